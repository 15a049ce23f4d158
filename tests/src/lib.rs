//! A local Alibaba Cloud ECS (API 2014-05-26) for tests, and the test
//! support of the ecs-rs workspace.
//!
//! Start one in a test and point the SDK at it:
//!
//! ```no_run
//! use ecs_api::describe_regions::DescribeRegionsRequest;
//! use ecs_simulator::Simulator;
//!
//! # async fn demo() -> Result<(), ecs_core::Error> {
//! let sim = Simulator::start().await; // a free port of 127.0.0.1
//! let client = sim.client(); // ecs_api::Client with the simulator's URL and key pair
//! let regions = client.describe_regions(DescribeRegionsRequest::new()).await?;
//! # Ok(())
//! # }
//! ```
//!
//! `tests/tests/simulator_quickstart.rs` in the repository is a complete
//! test to copy. [`Simulator::configure`] sets the rest: the address, a
//! state file, a seed fleet, lifecycle timing, faults. The `ecs-simulator`
//! binary serves the same over HTTP for clients in any language
//! (`ecs-simulator --help`).
//!
//! - [`simulator`]: the simulator (gateway, signatures, faults, metadata).
//! - [`cloud`]: the simulated resources and their lifecycles.
//! - [`server`]: a small HTTP/1.1 server with scripted answers and fault
//!   injection, for testing a client against answers written by hand.
//! - [`verify`]: recomputes an RPC HMAC-SHA1 signature from a raw query.

pub mod cloud;
pub mod server;
pub mod simulator;
pub mod verify;

pub use simulator::{Fault, FaultSettings, Simulator, SimulatorBuilder, SimulatorError};

/// The SDK the simulator's [`Simulator::client`] belongs to.
pub use ecs_api;
