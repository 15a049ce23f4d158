//! Standing faults and scenarios, set by the builder or at run time over
//! the admin endpoints, as a client sees them.

mod cloud_support;
mod simulator_support;

use cloud_support::{assert_code, run};
use ecs_api::describe_instances::DescribeInstancesRequest;
use ecs_api::describe_regions::DescribeRegionsRequest;
use ecs_api::run_instances::RunInstancesRequest;
use ecs_simulator::{FaultSettings, Simulator};
use serde_json::{json, Value};
use simulator_support::{assert_service_error, send_raw, RawResponse};

fn no_retries(sim: &Simulator) -> ecs_api::Client {
    sim.builder()
        .retry_policy(ecs_core::RetryPolicy::disabled())
        .build()
        .unwrap()
        .into()
}

/// A simulator started with standing `faults`.
async fn faulty(faults: FaultSettings) -> Simulator {
    Simulator::configure().faults(faults).start().await.unwrap()
}

async fn admin(sim: &Simulator, method: &str, route: &str, body: &str) -> RawResponse {
    let request = format!(
        "{method} /_simulator/{route} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    send_raw(sim.addr(), request.as_bytes()).await.unwrap()
}

#[tokio::test]
async fn a_throttle_rate_of_one_throttles_every_call() {
    let sim = faulty(FaultSettings {
        throttle_rate: 1.0,
        ..FaultSettings::default()
    })
    .await;
    let err = no_retries(&sim)
        .describe_regions(DescribeRegionsRequest::new())
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(429), "{err}");
    assert_eq!(err.code(), Some("Throttling.User"), "{err}");
}

#[tokio::test]
async fn an_error_rate_of_one_answers_internal_error() {
    let sim = Simulator::start().await;
    sim.set_faults(FaultSettings {
        error_rate: 1.0,
        ..FaultSettings::default()
    })
    .unwrap();
    let err = no_retries(&sim)
        .describe_regions(DescribeRegionsRequest::new())
        .await
        .unwrap_err();
    assert_service_error(&err, 500, "InternalError");
}

#[tokio::test]
async fn a_region_that_is_down_answers_service_unavailable_and_others_answer() {
    let sim = Simulator::start().await;
    let set = admin(
        &sim,
        "POST",
        "faults",
        r#"{"regions_down":["cn-hangzhou"]}"#,
    )
    .await;
    assert_eq!(set.status, 200, "{}", set.body);
    let err = no_retries(&sim)
        .describe_instances(DescribeInstancesRequest::new())
        .await
        .unwrap_err();
    assert_service_error(&err, 503, "ServiceUnavailable");
    let beijing: ecs_api::Client = sim.builder().region("cn-beijing").build().unwrap().into();
    beijing
        .describe_instances(DescribeInstancesRequest::new())
        .await
        .unwrap();
    let sent: Vec<_> = sim.requests().iter().map(|r| r.param("RegionId")).collect();
    assert_eq!(
        sent,
        [Some("cn-hangzhou".into()), Some("cn-beijing".into())]
    );
}

#[tokio::test]
async fn a_region_down_from_the_builder_answers_service_unavailable_until_cleared() {
    let sim = faulty(FaultSettings {
        regions_down: ["cn-hangzhou".to_string()].into(),
        ..FaultSettings::default()
    })
    .await;
    let err = no_retries(&sim).run_instances(run(1)).await.unwrap_err();
    assert_service_error(&err, 503, "ServiceUnavailable");
    sim.set_faults(FaultSettings::default()).unwrap();
    let ids = sim.client().run_instances(run(1)).await.unwrap();
    assert_eq!(ids.instance_id_sets.len(), 1);
}

#[tokio::test]
async fn an_instance_type_out_of_stock_from_the_builder_cannot_be_launched() {
    let sim = faulty(FaultSettings {
        out_of_stock: ["ecs.g7.large".to_string()].into(),
        ..FaultSettings::default()
    })
    .await;
    let err = no_retries(&sim).run_instances(run(1)).await.unwrap_err();
    assert_code(&err, "RunInstances", "OperationDenied.NoStock");
    let other_type = RunInstancesRequest {
        instance_type: Some("ecs.g7.xlarge".into()),
        ..run(1)
    };
    let launched = sim.client().run_instances(other_type).await.unwrap();
    assert_eq!(launched.instance_id_sets.len(), 1);
}

#[tokio::test]
async fn stock_taken_away_and_given_back_over_the_admin_endpoint_decides_launches() {
    let sim = Simulator::start().await;
    let set = admin(
        &sim,
        "POST",
        "faults",
        r#"{"out_of_stock":["ecs.g7.large"]}"#,
    )
    .await;
    assert_eq!(set.status, 200, "{}", set.body);
    let err = no_retries(&sim).run_instances(run(1)).await.unwrap_err();
    assert_code(&err, "RunInstances", "OperationDenied.NoStock");
    let cleared = admin(&sim, "DELETE", "faults", "").await;
    assert_eq!(cleared.json()["out_of_stock"], json!([]));
    let launched = sim.client().run_instances(run(2)).await.unwrap();
    assert_eq!(launched.instance_id_sets.len(), 2);
}

#[tokio::test]
async fn a_seed_posted_to_the_admin_endpoint_is_the_fleet_clients_then_list() {
    let sim = Simulator::start().await;
    let launch =
        json!({"ImageId": "aliyun_3_x64_20G_alibase_20240819.vhd", "InstanceType": "ecs.g7.large"});
    let fleet = json!({"Regions": [
        {"RegionId": "cn-hangzhou", "Defaults": {"RunInstances": launch}, "Instances": [
            {"Count": 3, "ZoneId": "cn-hangzhou-h", "Tags": {"team": "web"}},
            {"InstanceId": "i-db", "ZoneId": "cn-hangzhou-i", "Status": "Stopped"}]},
        {"RegionId": "cn-beijing", "Defaults": {"RunInstances": launch}, "Instances": [{"Count": 2}]},
    ]});
    let seeded = admin(&sim, "POST", "seed", &fleet.to_string()).await;
    assert_eq!(seeded.status, 200, "{}", seeded.body);
    assert_eq!(seeded.json(), json!({"seeded": true}));

    let hangzhou = sim
        .client()
        .describe_instances(DescribeInstancesRequest::new())
        .await
        .unwrap();
    assert_eq!(hangzhou.total_count, Some(4));
    let mut seen: Vec<(String, String, String)> = hangzhou
        .instances
        .iter()
        .map(|i| {
            let team = i.tags.iter().find(|t| t.tag_key.as_deref() == Some("team"));
            (
                i.zone_id.clone().unwrap_or_default(),
                i.status.clone().unwrap_or_default(),
                team.and_then(|t| t.tag_value.clone()).unwrap_or_default(),
            )
        })
        .collect();
    seen.sort();
    let web = ("cn-hangzhou-h", "Running", "web");
    let db = ("cn-hangzhou-i", "Stopped", "");
    assert_eq!(
        seen,
        [web, web, web, db].map(|(z, s, t)| (z.into(), s.into(), t.into()))
    );
    assert!(hangzhou
        .instances
        .iter()
        .any(|i| i.instance_id.as_deref() == Some("i-db")));
    let beijing: ecs_api::Client = sim.builder().region("cn-beijing").build().unwrap().into();
    let there = beijing
        .describe_instances(DescribeInstancesRequest::new())
        .await
        .unwrap();
    assert_eq!(there.total_count, Some(2));
}

#[tokio::test]
async fn a_seed_with_a_mistake_is_refused_naming_where_and_adds_nothing() {
    let sim = Simulator::start().await;
    let fleet = json!({"Regions": [{"RegionId": "cn-hangzhou", "Instances": [
        {"Count": 2, "ImageId": "aliyun_3_x64_20G_alibase_20240819.vhd", "InstanceType": "ecs.g7.large"},
        {"Cuont": 2}]}]});
    let refused = admin(&sim, "POST", "seed", &fleet.to_string()).await;
    assert_eq!(refused.status, 400);
    let error = refused.json()["error"].as_str().map(String::from).unwrap();
    assert!(
        error
            .starts_with("the seed was refused: Regions[0].Instances[1].Cuont is not a seed field"),
        "{error}"
    );
    let listed = sim
        .client()
        .describe_instances(DescribeInstancesRequest::new())
        .await
        .unwrap();
    assert_eq!(listed.total_count, Some(0));
}

#[tokio::test]
async fn a_throttle_rate_throttles_about_that_share_of_calls() {
    let sim = Simulator::start().await;
    admin(&sim, "POST", "faults", r#"{"throttle_rate":0.5}"#).await;
    let client = no_retries(&sim);
    let mut throttled = 0;
    for _ in 0..200 {
        match client.describe_regions(DescribeRegionsRequest::new()).await {
            Ok(_) => {}
            Err(e) if e.code() == Some("Throttling.User") => throttled += 1,
            Err(e) => panic!("{e}"),
        }
    }
    // 100 expected; the bounds are seven standard deviations away.
    assert!((50..=150).contains(&throttled), "{throttled} of 200");
}

#[tokio::test]
async fn a_faults_patch_changes_only_what_it_names_and_answers_the_result() {
    let sim = Simulator::start().await;
    admin(
        &sim,
        "POST",
        "faults",
        r#"{"throttle_rate":0.25,"out_of_stock":["ecs.g7.large"]}"#,
    )
    .await;
    let after = admin(&sim, "POST", "faults", r#"{"latency_ms":5}"#).await;
    assert_eq!(after.status, 200, "{}", after.body);
    assert_eq!(
        after.json(),
        json!({
            "throttle_rate": 0.25,
            "error_rate": 0.0,
            "latency_ms": 5,
            "regions_down": [],
            "out_of_stock": ["ecs.g7.large"],
        })
    );
    assert_eq!(admin(&sim, "GET", "faults", "").await.json(), after.json());
    assert_eq!(sim.faults().out_of_stock.len(), 1);
}

#[tokio::test]
async fn deleting_the_faults_clears_them() {
    let sim = Simulator::start().await;
    admin(&sim, "POST", "faults", r#"{"error_rate":1}"#).await;
    let cleared = admin(&sim, "DELETE", "faults", "").await;
    assert_eq!(cleared.json()["error_rate"], json!(0.0));
    sim.client()
        .describe_regions(DescribeRegionsRequest::new())
        .await
        .unwrap();
}

#[tokio::test]
async fn a_bad_faults_document_is_refused_naming_the_problem() {
    let sim = Simulator::start().await;
    let unknown = admin(&sim, "POST", "faults", r#"{"throttle":1}"#).await;
    assert_eq!(unknown.status, 400);
    assert!(
        unknown.json()["error"]
            .as_str()
            .unwrap()
            .contains("unknown field `throttle`"),
        "{}",
        unknown.body
    );
    let rate = admin(&sim, "POST", "faults", r#"{"error_rate":2}"#).await;
    assert_eq!(rate.status, 400);
    assert_eq!(
        rate.json()["error"],
        json!("error_rate must be between 0 and 1, got 2")
    );
    assert_eq!(sim.faults(), FaultSettings::default());
}

#[tokio::test]
async fn health_reports_the_operations_served() {
    let sim = Simulator::start().await;
    let health = admin(&sim, "GET", "health", "").await;
    assert_eq!(health.json(), json!({"status": "ok", "operations": 347}));
}

#[tokio::test]
async fn an_unknown_admin_path_lists_the_endpoints() {
    let sim = Simulator::start().await;
    let response = admin(&sim, "GET", "state", "").await;
    assert_eq!(response.status, 404);
    let error = response.json()["error"].as_str().map(String::from).unwrap();
    assert!(error.contains("/_simulator/faults"), "{error}");
}

#[tokio::test]
async fn admin_calls_are_not_ecs_requests() {
    let sim = Simulator::start().await;
    admin(&sim, "GET", "health", "").await;
    assert!(sim.requests().is_empty());
}

#[tokio::test]
async fn without_admin_the_path_is_an_unknown_action() {
    let sim = Simulator::configure().admin(false).start().await.unwrap();
    let response = admin(&sim, "POST", "faults?Format=JSON", r#"{"error_rate":1}"#).await;
    assert_eq!(response.status, 404);
    assert_eq!(response.code().as_deref(), Some("InvalidAction.NotFound"));
    assert_eq!(sim.faults(), FaultSettings::default());
}

#[tokio::test]
async fn a_seed_that_is_not_json_is_refused() {
    let sim = Simulator::start().await;
    let response = admin(&sim, "POST", "seed", "{instances").await;
    assert_eq!(response.status, 400);
    let error: Value = response.json()["error"].clone();
    assert!(
        error.as_str().unwrap().starts_with("the body is not JSON"),
        "{error}"
    );
}
