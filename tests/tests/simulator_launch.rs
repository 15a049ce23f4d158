//! Starting a simulator: what the builder sets and what it refuses.

use ecs_api::describe_regions::DescribeRegionsRequest;
use ecs_simulator::cloud::Cloud;
use ecs_simulator::{Simulator, SimulatorError};
use std::sync::Arc;

#[tokio::test]
async fn the_client_it_hands_out_signs_with_the_configured_key_pair() {
    let sim = Simulator::configure()
        .access_key("team-key", "team-secret")
        .start()
        .await
        .unwrap();
    sim.client()
        .describe_regions(DescribeRegionsRequest::new())
        .await
        .unwrap();
    assert_eq!(
        sim.requests()[0].param("AccessKeyId").as_deref(),
        Some("team-key")
    );
    assert!(!format!("{sim:?}").contains("team-secret"));
}

#[tokio::test]
async fn env_points_an_sdk_at_it() {
    let sim = Simulator::start().await;
    let env = sim.env();
    assert!(env.contains(&("ALIBABA_CLOUD_ECS_ENDPOINT", sim.url())));
    assert!(env.contains(&("ALIBABA_CLOUD_ACCESS_KEY_ID", "ecs-simulator-key".into())));
}

#[tokio::test]
async fn it_listens_where_it_is_told() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let sim = Simulator::configure()
        .addr(format!("127.0.0.1:{port}"))
        .start()
        .await
        .unwrap();
    assert_eq!(sim.url(), format!("http://127.0.0.1:{port}"));
}

#[tokio::test]
async fn a_taken_address_is_an_error_naming_it() {
    let first = Simulator::start().await;
    let addr = first.addr().to_string();
    let err = Simulator::configure()
        .addr(&addr)
        .start()
        .await
        .unwrap_err();
    assert!(matches!(err, SimulatorError::Bind { .. }), "{err}");
    assert!(
        err.to_string()
            .starts_with(&format!("cannot listen on {addr}: ")),
        "{err}"
    );
}

#[tokio::test]
async fn a_cloud_passed_in_and_a_state_file_are_refused_together() {
    let err = Simulator::configure()
        .cloud(Arc::new(Cloud::new()))
        .state_file("fleet.json")
        .start()
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("a state file or a cloud, not both"),
        "{err}"
    );
}

#[tokio::test]
async fn the_cloud_passed_in_is_the_one_served() {
    let cloud = Arc::new(Cloud::new());
    let sim = Simulator::start_with_cloud(cloud.clone()).await;
    assert!(Arc::ptr_eq(sim.cloud(), &cloud));
}

#[tokio::test]
async fn a_dropped_simulator_stops_listening() {
    let sim = Simulator::start().await;
    let addr = sim.addr();
    drop(sim);
    tokio::task::yield_now().await;
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}
