//! Starting a simulator: what the builder sets and what it refuses.

mod cloud_support;

use ecs_api::describe_instances::DescribeInstancesRequest;
use ecs_api::describe_regions::DescribeRegionsRequest;
use ecs_simulator::cloud::{Cloud, Settings, DEFAULT_TRANSITION};
use ecs_simulator::{Simulator, SimulatorError};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The status of every instance in cn-hangzhou.
async fn statuses(client: &ecs_api::Client) -> Vec<String> {
    let listed = client
        .describe_instances(DescribeInstancesRequest::new())
        .await
        .unwrap();
    listed
        .instances
        .into_iter()
        .map(|i| i.status.unwrap_or_default())
        .collect()
}

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

#[tokio::test]
async fn by_default_a_new_instance_is_running_after_two_short_steps() {
    assert_eq!(Settings::default().transition, DEFAULT_TRANSITION);
    assert_eq!(DEFAULT_TRANSITION, Duration::from_secs(1));
    let sim = Simulator::start().await;
    let client = sim.client();
    let launched = Instant::now();
    client.run_instances(cloud_support::run(1)).await.unwrap();
    let first = statuses(&client).await;
    assert!(
        first == ["Pending"] || first == ["Starting"],
        "not settled at once: {first:?}"
    );
    while statuses(&client).await != ["Running"] {
        assert!(
            launched.elapsed() < Duration::from_secs(30),
            "still not Running"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_zero_transition_makes_a_new_instance_running_at_once() {
    let sim = Simulator::configure()
        .transition(Duration::ZERO)
        .start()
        .await
        .unwrap();
    let client = sim.client();
    client.run_instances(cloud_support::run(2)).await.unwrap();
    assert_eq!(statuses(&client).await, ["Running", "Running"]);
}

#[tokio::test]
async fn a_transition_and_a_cloud_passed_in_are_refused_together() {
    let err = Simulator::configure()
        .cloud(Arc::new(Cloud::new()))
        .transition(Duration::ZERO)
        .start()
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("give settings or a cloud, not both"),
        "{err}"
    );
}

#[tokio::test]
async fn a_state_file_cloud_passed_in_keeps_what_it_was_told_across_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let zero = || Settings {
        transition: Duration::ZERO,
        ..Settings::default()
    };
    let first = Simulator::start_with_cloud(Arc::new(Cloud::open(&path, zero()).unwrap())).await;
    let ids = first
        .client()
        .run_instances(cloud_support::run(3))
        .await
        .unwrap()
        .instance_id_sets;
    drop(first);
    let second = Simulator::start_with_cloud(Arc::new(Cloud::open(&path, zero()).unwrap())).await;
    let listed = second
        .client()
        .describe_instances(DescribeInstancesRequest::new())
        .await
        .unwrap();
    let mut found: Vec<String> = listed
        .instances
        .into_iter()
        .filter_map(|i| i.instance_id)
        .collect();
    found.sort();
    let mut created = ids;
    created.sort();
    assert_eq!(found, created);
}
