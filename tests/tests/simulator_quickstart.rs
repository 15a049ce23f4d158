//! Testing your own ECS code without an account: copy this file into your
//! crate's `tests/` and add to its `Cargo.toml` (beside your `ecs-api`
//! dependency)
//!
//! ```toml
//! [dev-dependencies]
//! ecs-simulator = "0.1"
//! tokio = { version = "1", features = ["macros", "rt"] }
//! ```
//!
//! `Simulator::start()` serves a local ECS on a free port of 127.0.0.1 and
//! stops when dropped; `sim.client()` is an `ecs_api::Client` pointed at
//! it with its key pair. Give your code that client (or `sim.url()` and
//! `sim.credentials()`), then assert on what it did.

use ecs_api::describe_instances::DescribeInstancesRequest;
use ecs_api::describe_regions::DescribeRegionsRequest;
use ecs_simulator::{Fault, Simulator};

/// The code under test: the regions your fleet tooling would visit.
async fn region_ids(client: &ecs_api::Client) -> Result<Vec<String>, ecs_api::ecs_core::Error> {
    let response = client
        .describe_regions(DescribeRegionsRequest::new())
        .await?;
    Ok(response
        .regions
        .into_iter()
        .filter_map(|r| r.region_id)
        .collect())
}

#[tokio::test]
async fn lists_the_regions_through_the_simulator() {
    let sim = Simulator::start().await;

    let regions = region_ids(&sim.client()).await.unwrap();

    assert!(!regions.is_empty());
    // Every request the simulator received, to check what your code sent.
    let sent = sim.requests();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].param("Action").as_deref(), Some("DescribeRegions"));
}

#[tokio::test]
async fn survives_a_throttled_call() {
    let sim = Simulator::start().await;
    // The next request is answered `Throttling.User` (HTTP 429); the client
    // retries it.
    sim.inject(Fault::Throttling);

    let regions = region_ids(&sim.client()).await.unwrap();

    assert!(!regions.is_empty());
    assert_eq!(sim.requests().len(), 2);
}

#[tokio::test]
async fn a_request_the_service_would_refuse_is_refused() {
    let sim = Simulator::start().await;
    let request = DescribeInstancesRequest {
        max_results: Some(500), // the metadata allows at most 100
        ..DescribeInstancesRequest::new()
    };

    let err = sim.client().describe_instances(request).await.unwrap_err();

    assert_eq!(err.code(), Some("InvalidParameter"), "{err}");
    assert!(err.to_string().contains("MaxResults"), "{err}");
}
