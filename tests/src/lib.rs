//! A local Alibaba Cloud ECS (API 2014-05-26) for tests: it verifies both
//! signatures the service takes, validates every operation against
//! Alibaba's metadata, keeps instances and the resources around them with
//! lifecycles that take time, and injects faults.
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
//! - [`simulator`]: the service's front: HTTP (hyper), signatures, the
//!   checks against the metadata, faults, the admin endpoints, finding the
//!   metadata, the command line.
//! - [`cloud`]: the state behind it: the resources, their lifecycles,
//!   `ClientToken`, paging, the state file, seeding. Usable alone, without
//!   HTTP ([`cloud::Cloud::handle`]).

pub mod cloud;
pub mod simulator;
mod sync;

pub use simulator::{
    Fault, FaultSettings, RecordedRequest, Simulator, SimulatorBuilder, SimulatorError,
};

/// The SDK the simulator's [`Simulator::client`] belongs to.
pub use ecs_api;
