//! The examples of `ecs-api/examples`, run in-process against the simulator:
//! each one's real `run` must succeed, print what it did, and send the
//! requests of its workflow; each answers `--help` without a request.

#[path = "../../ecs-api/examples/available_resources.rs"]
#[allow(dead_code)]
mod available_resources;
#[path = "../../ecs-api/examples/change_instance_type.rs"]
#[allow(dead_code)]
mod change_instance_type;
#[path = "../../ecs-api/examples/create_instances.rs"]
#[allow(dead_code)]
mod create_instances;
#[path = "../../ecs-api/examples/hello_ecs.rs"]
#[allow(dead_code)]
mod hello_ecs;
#[path = "../../ecs-api/examples/inventory.rs"]
#[allow(dead_code)]
mod inventory;
#[path = "../../ecs-api/examples/release_instance.rs"]
#[allow(dead_code)]
mod release_instance;
#[path = "../../ecs-api/examples/renew_instance.rs"]
#[allow(dead_code)]
mod renew_instance;
#[path = "../../ecs-api/examples/run_command.rs"]
#[allow(dead_code)]
mod run_command;
#[path = "../../ecs-api/examples/spot_instance.rs"]
#[allow(dead_code)]
mod spot_instance;
mod stepping;

use ecs_simulator::cloud::{Clock, Cloud, Settings};
use ecs_simulator::simulator::Simulator;
use ecs_simulator::RecordedRequest;
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// The output, or a panic with the example's error.
fn output(result: Result<(), Box<dyn std::error::Error>>, out: Vec<u8>, example: &str) -> String {
    let text = String::from_utf8(out).expect("UTF-8 output");
    if let Err(e) = result {
        panic!("{example} failed: {e}\noutput so far:\n{text}");
    }
    text
}

fn actions(requests: &[RecordedRequest]) -> Vec<String> {
    requests
        .iter()
        .map(|r| r.param("Action").unwrap_or_default())
        .collect()
}

fn param(request: &RecordedRequest, name: &str) -> Option<String> {
    request.param(name)
}

/// Lifecycle steps that take `step` of real time.
fn stepping(step: Duration) -> Settings {
    Settings {
        transition: step,
        ..Settings::default()
    }
}

/// One lifecycle step on a manual clock.
const STEP: Duration = Duration::from_secs(1);

/// A manual clock at 2026-06-01T00:00:00Z and settings that use it.
fn manual() -> (Clock, Settings) {
    let clock = Clock::manual(SystemTime::UNIX_EPOCH + Duration::from_secs(1_780_272_000));
    let settings = Settings {
        clock: clock.clone(),
        ..stepping(STEP)
    };
    (clock, settings)
}

/// Moves `clock` one step each time the cloud has answered `action`, as
/// time would pass between an example's polls.
fn step_after_each(sim: &Simulator, clock: Clock, action: &'static str) {
    stepping::step_after_each(sim, clock, action, STEP);
}

/// A simulator whose cloud starts from `fleet`.
async fn sim_with(settings: Settings, fleet: serde_json::Value) -> Simulator {
    let cloud = Cloud::with_settings(settings);
    cloud.seed(&fleet).expect("the fleet seeds");
    Simulator::start_with_cloud(Arc::new(cloud)).await
}

/// Instances (seed entries) in cn-hangzhou.
fn hangzhou(instances: serde_json::Value) -> serde_json::Value {
    json!({"Regions": [{
        "RegionId": "cn-hangzhou",
        "Defaults": {"RunInstances": {"ImageId": "aliyun_3_x64_20G_alibase_20240819.vhd", "InstanceType": "ecs.g7.large"}},
        "Instances": instances,
    }]})
}

/// The instance as the simulator now describes it.
async fn instance(sim: &Simulator, id: &str) -> Option<ecs_api::describe_instances::Instance> {
    sim.client()
        .describe_instances(ecs_api::describe_instances::DescribeInstancesRequest {
            instance_ids: Some(vec![id.to_string()]),
            ..Default::default()
        })
        .await
        .expect("DescribeInstances")
        .instances
        .pop()
}

#[tokio::test]
async fn hello_ecs_lists_the_regions_then_the_instances_of_the_clients_region() {
    let fleet = hangzhou(
        json!([{"InstanceId": "i-hello-1"}, {"InstanceId": "i-hello-2", "Status": "Stopped"}]),
    );
    let sim = sim_with(stepping(Duration::ZERO), fleet).await;
    let mut out = Vec::new();
    let result = hello_ecs::run(&sim.client(), &[], &mut out).await;
    let text = output(result, out, "hello_ecs");

    let requests = sim.requests();
    assert_eq!(actions(&requests), ["DescribeRegions", "DescribeInstances"]);
    assert_eq!(
        param(&requests[1], "RegionId").as_deref(),
        Some("cn-hangzhou")
    );
    assert!(text.contains(" regions:\n"), "{text}");
    assert!(
        text.contains("cn-hangzhou          China (Hangzhou)"),
        "{text}"
    );
    assert!(text.contains("2 instances in cn-hangzhou:"), "{text}");
    assert!(text.contains("i-hello-1 Running"), "{text}");
    assert!(text.contains("i-hello-2 Stopped"), "{text}");
}

#[tokio::test]
async fn create_instances_dry_runs_then_creates_the_batch_with_the_same_client_token_and_waits_for_running(
) {
    let (clock, settings) = manual();
    let sim = sim_with(settings, json!({"Regions": []})).await;
    step_after_each(&sim, clock, "DescribeInstances");
    let mut out = Vec::new();
    let argv = args(&[
        "--amount",
        "3",
        "--zone",
        "cn-hangzhou-g",
        "--tag",
        "team=sdk",
        "--tag",
        "env=test",
        "--poll-ms",
        "20",
    ]);
    let result = create_instances::run(&sim.client(), &argv, &mut out).await;
    let text = output(result, out, "create_instances");

    let requests = sim.requests();
    let actions = actions(&requests);
    // The waiter polls while they are Pending, Starting, then Running.
    assert_eq!(
        actions,
        [
            "RunInstances",
            "RunInstances",
            "DescribeInstances",
            "DescribeInstances",
            "DescribeInstances"
        ]
    );
    let (dry, real, poll) = (&requests[0], &requests[1], &requests[2]);
    assert_eq!(param(dry, "DryRun").as_deref(), Some("true"));
    assert_eq!(param(real, "DryRun"), None);
    let token = param(dry, "ClientToken").expect("the dry run carries a ClientToken");
    assert!(
        token.starts_with("ecs-rs-example-"),
        "set by the example, not by the client: {token}"
    );
    for run in [dry, real] {
        assert_eq!(param(run, "ClientToken").as_deref(), Some(token.as_str()));
        assert_eq!(param(run, "Amount").as_deref(), Some("3"));
        assert_eq!(param(run, "ZoneId").as_deref(), Some("cn-hangzhou-g"));
        assert_eq!(param(run, "Tag.1.Key").as_deref(), Some("team"));
        assert_eq!(param(run, "Tag.1.Value").as_deref(), Some("sdk"));
        assert_eq!(param(run, "Tag.2.Key").as_deref(), Some("env"));
        assert_eq!(param(run, "DataDisk.1.Size").as_deref(), Some("40"));
        assert_eq!(
            param(run, "DataDisk.1.DeleteWithInstance").as_deref(),
            Some("true")
        );
    }
    // The polls ask for exactly the ids RunInstances returned, as JSON.
    let polled: Vec<String> = serde_json::from_str(
        &param(poll, "InstanceIds").expect("DescribeInstances filters by InstanceIds"),
    )
    .expect("InstanceIds is a JSON list");
    assert_eq!(polled.len(), 3, "{polled:?}");
    for id in &polled {
        assert!(text.contains(id.as_str()), "{text}");
        let created = instance(&sim, id).await.expect("created");
        assert_eq!(created.zone_id.as_deref(), Some("cn-hangzhou-g"));
        assert_eq!(created.tags.len(), 2);
    }
    assert!(text.contains("dry run passed"), "{text}");
    assert!(text.contains(&format!("ClientToken {token}")), "{text}");
    assert!(text.contains("waiting until all 3 are Running"), "{text}");
    assert!(text.contains("all 3 instances are Running"), "{text}");
    assert_eq!(
        text.matches(" Running cn-hangzhou-g\n").count(),
        3,
        "{text}"
    );
}

#[tokio::test]
async fn create_instances_run_again_with_its_client_token_creates_nothing_more() {
    let sim = sim_with(stepping(Duration::ZERO), json!({"Regions": []})).await;
    let argv = args(&[
        "--amount",
        "2",
        "--client-token",
        "team-sdk-batch-1",
        "--poll-ms",
        "1",
    ]);
    let mut first = Vec::new();
    let result = create_instances::run(&sim.client(), &argv, &mut first).await;
    let first = output(result, first, "create_instances");
    let mut again = Vec::new();
    let result = create_instances::run(&sim.client(), &argv, &mut again).await;
    let again = output(result, again, "create_instances");

    let created = |text: &str| {
        text.lines()
            .find(|l| l.starts_with("created "))
            .map(str::to_string)
            .unwrap_or_default()
    };
    assert_eq!(
        created(&first),
        created(&again),
        "the same instances, told twice"
    );
    let all = sim
        .client()
        .describe_instances(Default::default())
        .await
        .unwrap();
    assert_eq!(all.total_count, Some(2));
}

#[tokio::test]
async fn create_instances_stops_after_a_refused_dry_run_without_creating_anything() {
    let sim = Simulator::start().await;
    let mut out = Vec::new();
    // One tag more than RunInstances accepts (71).
    let mut argv = Vec::new();
    for i in 0..72 {
        argv.push("--tag".to_string());
        argv.push(format!("k{i}=v"));
    }
    let result = create_instances::run(&sim.client(), &argv, &mut out).await;

    let error = result.expect_err("72 tags are refused").to_string();
    assert!(error.starts_with("dry run failed:"), "{error}");
    assert_eq!(actions(&sim.requests()), ["RunInstances"]);
    assert_eq!(param(&sim.requests()[0], "DryRun").as_deref(), Some("true"));
}

#[tokio::test]
async fn spot_instance_sets_its_price_limit_a_margin_above_the_recent_spot_price() {
    let sim = Simulator::start().await;
    let mut out = Vec::new();
    let argv = args(&[
        "--zone",
        "cn-hangzhou-c",
        "--instance-type",
        "ecs.g5.large",
        "--margin-percent",
        "20",
    ]);
    let result = spot_instance::run(&sim.client(), &argv, &mut out).await;
    let text = output(result, out, "spot_instance");

    let requests = sim.requests();
    assert_eq!(
        actions(&requests),
        ["DescribeSpotPriceHistory", "RunInstances"]
    );
    let history = &requests[0];
    assert_eq!(param(history, "NetworkType").as_deref(), Some("vpc"));
    assert_eq!(
        param(history, "InstanceType").as_deref(),
        Some("ecs.g5.large")
    );
    assert_eq!(param(history, "ZoneId").as_deref(), Some("cn-hangzhou-c"));
    // The simulated history has one price, 0.036: plus 20% is 0.0432.
    let run = &requests[1];
    assert_eq!(
        param(run, "SpotStrategy").as_deref(),
        Some("SpotWithPriceLimit")
    );
    assert_eq!(param(run, "SpotPriceLimit").as_deref(), Some("0.043"));
    assert_eq!(param(run, "InstanceType").as_deref(), Some("ecs.g5.large"));
    assert_eq!(param(run, "ZoneId").as_deref(), Some("cn-hangzhou-c"));
    assert!(text.contains("highest 0.036"), "{text}");
    assert!(text.contains("SpotPriceLimit 0.043"), "{text}");
    let spot = sim
        .client()
        .describe_instances(Default::default())
        .await
        .unwrap()
        .instances;
    assert_eq!(spot.len(), 1);
    assert_eq!(spot[0].spot_strategy.as_deref(), Some("SpotWithPriceLimit"));
    assert_eq!(spot[0].spot_price_limit, Some(0.043));
}

#[tokio::test]
async fn available_resources_prints_the_instance_types_on_offer_for_a_zone_and_charge_type() {
    let sim = Simulator::start().await;
    let mut out = Vec::new();
    let argv = args(&[
        "--zone",
        "cn-hangzhou-e",
        "--charge-type",
        "PrePaid",
        "--instance-type",
        "ecs.d1ne.xlarge",
    ]);
    let result = available_resources::run(&sim.client(), &argv, &mut out).await;
    let text = output(result, out, "available_resources");

    let requests = sim.requests();
    assert_eq!(actions(&requests), ["DescribeAvailableResource"]);
    let request = &requests[0];
    assert_eq!(
        param(request, "DestinationResource").as_deref(),
        Some("InstanceType")
    );
    assert_eq!(param(request, "ZoneId").as_deref(), Some("cn-hangzhou-e"));
    assert_eq!(
        param(request, "InstanceChargeType").as_deref(),
        Some("PrePaid")
    );
    assert_eq!(
        param(request, "InstanceType").as_deref(),
        Some("ecs.d1ne.xlarge")
    );
    assert!(
        text.contains("cn-hangzhou-e Available (WithStock)"),
        "{text}"
    );
    assert!(
        text.contains("InstanceType ecs.d1ne.xlarge Available (WithStock)"),
        "{text}"
    );
}

#[tokio::test]
async fn change_instance_type_upgrades_a_stopped_pay_as_you_go_instance_to_an_offered_type() {
    let fleet = hangzhou(json!([{"InstanceId": "i-payg", "Status": "Stopped"}]));
    let sim = sim_with(stepping(Duration::ZERO), fleet).await;
    let mut out = Vec::new();
    let argv = args(&["--instance-id", "i-payg"]);
    let result = change_instance_type::run(&sim.client(), &argv, &mut out).await;
    let text = output(result, out, "change_instance_type");

    let requests = sim.requests();
    assert_eq!(
        actions(&requests),
        [
            "DescribeResourcesModification",
            "DescribeInstanceAttribute",
            "ModifyInstanceSpec"
        ]
    );
    let query = &requests[0];
    assert_eq!(param(query, "ResourceId").as_deref(), Some("i-payg"));
    assert_eq!(
        param(query, "DestinationResource").as_deref(),
        Some("InstanceType")
    );
    assert_eq!(param(query, "OperationType").as_deref(), Some("Upgrade"));
    // No --instance-type: the first type offered.
    let modify = &requests[2];
    assert_eq!(param(modify, "InstanceId").as_deref(), Some("i-payg"));
    assert_eq!(
        param(modify, "InstanceType").as_deref(),
        Some("ecs.g5.large")
    );
    assert!(
        text.contains("i-payg can upgrade to: ecs.g5.large"),
        "{text}"
    );
    assert!(
        text.contains("pay-as-you-go i-payg -> ecs.g5.large"),
        "{text}"
    );
    let changed = instance(&sim, "i-payg").await.unwrap();
    assert_eq!(changed.instance_type.as_deref(), Some("ecs.g5.large"));
}

#[tokio::test]
async fn change_instance_type_with_stop_stops_a_running_instance_waits_changes_it_and_starts_it_again(
) {
    let (clock, settings) = manual();
    let sim = sim_with(settings, hangzhou(json!([{"InstanceId": "i-payg"}]))).await;
    step_after_each(&sim, clock, "DescribeInstances");
    let mut out = Vec::new();
    let argv = args(&["--instance-id", "i-payg", "--stop", "--poll-ms", "20"]);
    let result = change_instance_type::run(&sim.client(), &argv, &mut out).await;
    let text = output(result, out, "change_instance_type");

    // Waiters between the steps: Stopping, Stopped; Starting, Running.
    assert_eq!(
        actions(&sim.requests()),
        [
            "DescribeResourcesModification",
            "DescribeInstanceAttribute",
            "StopInstance",
            "DescribeInstances",
            "DescribeInstances",
            "ModifyInstanceSpec",
            "StartInstance",
            "DescribeInstances",
            "DescribeInstances",
        ]
    );
    assert!(text.contains("stopping i-payg (it was Running)"), "{text}");
    assert!(
        text.contains("starting i-payg again, now ecs.g5.large"),
        "{text}"
    );
    assert!(text.contains("i-payg is Running as ecs.g5.large"), "{text}");
    let changed = instance(&sim, "i-payg").await.unwrap();
    assert_eq!(changed.instance_type.as_deref(), Some("ecs.g5.large"));
    assert_eq!(changed.status.as_deref(), Some("Running"));
}

#[tokio::test]
async fn change_instance_type_refuses_a_running_instance_without_stop_and_changes_nothing() {
    let fleet = hangzhou(json!([{"InstanceId": "i-payg"}]));
    let sim = sim_with(stepping(Duration::ZERO), fleet).await;
    let mut out = Vec::new();
    let argv = args(&["--instance-id", "i-payg"]);
    let error = change_instance_type::run(&sim.client(), &argv, &mut out)
        .await
        .expect_err("a running instance")
        .to_string();
    assert!(error.contains("i-payg is Running"), "{error}");
    assert!(error.contains("--stop"), "{error}");
    assert!(!actions(&sim.requests()).contains(&"ModifyInstanceSpec".to_string()));
    assert_eq!(
        instance(&sim, "i-payg")
            .await
            .unwrap()
            .instance_type
            .as_deref(),
        Some("ecs.g7.large")
    );
}

#[tokio::test]
async fn change_instance_type_upgrades_a_subscription_instance_with_modify_prepay_instance_spec() {
    let fleet = hangzhou(
        json!([{"InstanceId": "i-prepaid", "InstanceChargeType": "PrePaid", "Period": 1}]),
    );
    let sim = sim_with(stepping(Duration::ZERO), fleet).await;
    let mut out = Vec::new();
    let argv = args(&[
        "--instance-id",
        "i-prepaid",
        "--instance-type",
        "ecs.g5.large",
        "--subscription",
    ]);
    let result = change_instance_type::run(&sim.client(), &argv, &mut out).await;
    let text = output(result, out, "change_instance_type");

    let requests = sim.requests();
    assert_eq!(
        actions(&requests),
        ["DescribeResourcesModification", "ModifyPrepayInstanceSpec"]
    );
    let modify = &requests[1];
    assert_eq!(param(modify, "InstanceId").as_deref(), Some("i-prepaid"));
    assert_eq!(
        param(modify, "InstanceType").as_deref(),
        Some("ecs.g5.large")
    );
    assert_eq!(param(modify, "OperatorType").as_deref(), Some("upgrade"));
    let order = text
        .split("order ")
        .nth(1)
        .map(str::trim)
        .unwrap_or_default();
    assert!(
        order.len() > 5 && order.bytes().all(|b| b.is_ascii_digit()),
        "{text}"
    );
    let changed = instance(&sim, "i-prepaid").await.unwrap();
    assert_eq!(changed.instance_type.as_deref(), Some("ecs.g5.large"));
}

#[tokio::test]
async fn change_instance_type_refuses_a_type_that_is_not_offered_and_modifies_nothing() {
    let sim = Simulator::start().await;
    let mut out = Vec::new();
    let argv = args(&["--instance-id", "i-payg", "--instance-type", "ecs.huge"]);
    let result = change_instance_type::run(&sim.client(), &argv, &mut out).await;

    let error = result.expect_err("ecs.huge is not offered").to_string();
    assert!(error.contains("ecs.huge is not offered"), "{error}");
    assert_eq!(actions(&sim.requests()), ["DescribeResourcesModification"]);
}

#[tokio::test]
async fn an_example_needing_an_instance_says_which_flag_and_where_ids_come_from() {
    let sim = Simulator::start().await;
    let mut out = Vec::new();
    let error = release_instance::run(&sim.client(), &[], &mut out)
        .await
        .expect_err("no --instance-id")
        .to_string();
    assert!(error.contains("--instance-id is required"), "{error}");
    assert!(error.contains("inventory"), "{error}");
    assert!(error.contains("create_instances"), "{error}");
    assert!(sim.requests().is_empty());
}

#[tokio::test]
async fn release_instance_stops_the_instance_waits_until_stopped_then_deletes_it_and_waits_until_gone(
) {
    let (clock, settings) = manual();
    let sim = sim_with(settings, hangzhou(json!([{"InstanceId": "i-old"}]))).await;
    step_after_each(&sim, clock, "DescribeInstances");
    let mut out = Vec::new();
    let argv = args(&["--instance-id", "i-old", "--poll-ms", "20"]);
    let result = release_instance::run(&sim.client(), &argv, &mut out).await;
    let text = output(result, out, "release_instance");

    let requests = sim.requests();
    assert_eq!(
        actions(&requests),
        [
            "StopInstance",
            "DescribeInstances",
            "DescribeInstances",
            "DeleteInstance",
            "DescribeInstances"
        ],
        "Stopping, Stopped, then gone"
    );
    assert_eq!(param(&requests[0], "InstanceId").as_deref(), Some("i-old"));
    assert_eq!(
        param(&requests[1], "InstanceIds").as_deref(),
        Some(r#"["i-old"]"#)
    );
    assert_eq!(
        text, "stopping i-old\ni-old is Stopped\nreleased i-old\n",
        "{text}"
    );
    assert!(instance(&sim, "i-old").await.is_none());
}

#[tokio::test]
async fn release_instance_with_an_auto_release_time_schedules_the_release_instead() {
    let (_, settings) = manual();
    let sim = sim_with(settings, hangzhou(json!([{"InstanceId": "i-old"}]))).await;
    let mut out = Vec::new();
    let argv = args(&[
        "--instance-id",
        "i-old",
        "--auto-release-time",
        "2026-12-01T00:00:00Z",
    ]);
    let result = release_instance::run(&sim.client(), &argv, &mut out).await;
    let text = output(result, out, "release_instance");

    let requests = sim.requests();
    assert_eq!(actions(&requests), ["ModifyInstanceAutoReleaseTime"]);
    assert_eq!(
        param(&requests[0], "AutoReleaseTime").as_deref(),
        Some("2026-12-01T00:00:00Z")
    );
    assert!(
        text.contains("i-old will be released at 2026-12-01T00:00:00Z"),
        "{text}"
    );
    let scheduled = instance(&sim, "i-old").await.unwrap();
    assert_eq!(
        scheduled.auto_release_time.as_deref(),
        Some("2026-12-01T00:00Z")
    );
}

#[tokio::test]
async fn renew_instance_renews_the_subscription_then_turns_on_auto_renewal() {
    let fleet = hangzhou(
        json!([{"InstanceId": "i-prepaid", "InstanceChargeType": "PrePaid", "Period": 1}]),
    );
    let sim = sim_with(stepping(Duration::ZERO), fleet).await;
    let before = instance(&sim, "i-prepaid").await.unwrap().expired_time;
    let mut out = Vec::new();
    let argv = args(&[
        "--instance-id",
        "i-prepaid",
        "--period",
        "2",
        "--auto-renew-months",
        "3",
    ]);
    let result = renew_instance::run(&sim.client(), &argv, &mut out).await;
    let text = output(result, out, "renew_instance");

    let requests = sim.requests();
    let actions = actions(&requests);
    assert_eq!(
        actions[1..3],
        ["RenewInstance", "ModifyInstanceAutoRenewAttribute"]
    );
    let (renew, auto) = (&requests[1], &requests[2]);
    assert_eq!(param(renew, "InstanceId").as_deref(), Some("i-prepaid"));
    assert_eq!(param(renew, "Period").as_deref(), Some("2"));
    assert_eq!(param(renew, "PeriodUnit").as_deref(), Some("Month"));
    assert!(param(renew, "ClientToken").is_some());
    assert_eq!(param(auto, "InstanceId").as_deref(), Some("i-prepaid"));
    assert_eq!(param(auto, "AutoRenew").as_deref(), Some("true"));
    assert_eq!(param(auto, "RenewalStatus").as_deref(), Some("AutoRenewal"));
    assert_eq!(param(auto, "Duration").as_deref(), Some("3"));
    assert!(!text.contains("order -"), "{text}");
    assert!(text.contains("auto-renewal on: 3 month(s)"), "{text}");
    let after = instance(&sim, "i-prepaid").await.unwrap().expired_time;
    assert_ne!(after, before, "the expiry moved");
    let renewal = sim
        .client()
        .describe_instance_auto_renew_attribute(
            ecs_api::describe_instance_auto_renew_attribute::DescribeInstanceAutoRenewAttributeRequest {
                instance_id: Some("i-prepaid".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let attribute = &renewal.instance_renew_attributes[0];
    assert_eq!(attribute.auto_renew_enabled, Some(true));
    assert_eq!(attribute.duration, Some(3));
}

#[tokio::test]
async fn inventory_pages_every_region_with_next_token_and_prints_the_instances_as_json() {
    let fleet = json!({"Regions": [
        {"RegionId": "cn-hangzhou", "Instances": [{"Count": 12, "ImageId": "aliyun_3_x64_20G_alibase_20240819.vhd", "InstanceType": "ecs.g7.large"}]},
        {"RegionId": "cn-shanghai", "Instances": [{"Count": 2, "ImageId": "aliyun_3_x64_20G_alibase_20240819.vhd", "InstanceType": "ecs.c7.large"}]},
    ]});
    let sim = sim_with(stepping(Duration::ZERO), fleet).await;
    let mut out = Vec::new();
    let argv = args(&["--format", "json", "--page-size", "10"]);
    let result = inventory::run(&sim.client(), &argv, &mut out).await;
    let text = output(result, out, "inventory");

    let requests = sim.requests();
    let regions = sim
        .client()
        .describe_regions(Default::default())
        .await
        .unwrap()
        .regions
        .len();
    assert_eq!(actions(&requests)[0], "DescribeRegions");
    // One page per region, and a second for cn-hangzhou's twelve.
    assert_eq!(requests.len(), 1 + regions + 1);
    let hangzhou: Vec<&RecordedRequest> = requests
        .iter()
        .filter(|r| param(r, "RegionId").as_deref() == Some("cn-hangzhou"))
        .collect();
    assert_eq!(hangzhou.len(), 2);
    assert_eq!(param(hangzhou[0], "NextToken"), None);
    assert!(param(hangzhou[1], "NextToken").is_some_and(|t| !t.is_empty()));
    for page in &requests[1..] {
        assert_eq!(param(page, "MaxResults").as_deref(), Some("10"));
    }

    let instances: serde_json::Value = serde_json::from_str(&text).expect("JSON output");
    let instances = instances.as_array().expect("a JSON array");
    assert_eq!(instances.len(), 14, "{text}");
    let in_shanghai = instances
        .iter()
        .filter(|i| i["RegionId"] == "cn-shanghai")
        .count();
    assert_eq!(in_shanghai, 2);
    assert!(instances.iter().all(|i| i["Status"] == "Running"));
}

#[tokio::test]
async fn inventory_prints_one_tsv_line_per_instance_by_default() {
    let sim = sim_with(
        stepping(Duration::ZERO),
        hangzhou(json!([{"Count": 3, "InstanceName": "web-"}])),
    )
    .await;
    let mut out = Vec::new();
    let result = inventory::run(&sim.client(), &[], &mut out).await;
    let text = output(result, out, "inventory");

    let lines: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(lines.len(), 4, "a header and three instances: {text}");
    assert_eq!(lines[0][..3], ["region", "zone", "instance_id"]);
    for line in &lines[1..] {
        assert_eq!(line.len(), lines[0].len(), "{text}");
        assert_eq!(line[0], "cn-hangzhou");
        assert!(line[2].starts_with("i-bp"), "{text}");
        assert!(line[3].starts_with("web-"), "{text}");
    }
    assert_eq!(
        param(&sim.requests()[1], "MaxResults").as_deref(),
        Some("100")
    );
}

/// Two regions: web servers in two groups in cn-hangzhou (one stopped), a
/// database in cn-shanghai.
fn two_regions() -> serde_json::Value {
    let image = "aliyun_3_x64_20G_alibase_20240819.vhd";
    json!({"Regions": [
        {"RegionId": "cn-hangzhou",
         "SecurityGroups": [{"SecurityGroupId": "sg-web"}, {"SecurityGroupId": "sg-ssh"}],
         "Instances": [
            {"Count": 3, "ImageId": image, "InstanceType": "ecs.g7.large", "SecurityGroupIds": ["sg-web", "sg-ssh"]},
            {"InstanceId": "i-spare", "ImageId": image, "InstanceType": "ecs.c7.large", "SecurityGroupIds": ["sg-web"], "Status": "Stopped"}]},
        {"RegionId": "cn-shanghai",
         "SecurityGroups": [{"SecurityGroupId": "sg-db"}],
         "Instances": [{"InstanceId": "i-db", "ImageId": image, "InstanceType": "ecs.r7.large", "SecurityGroupIds": ["sg-db"]}]},
    ]})
}

#[tokio::test]
async fn inventory_summary_counts_the_instances_by_region_status_type_vpc_and_security_group() {
    let sim = sim_with(stepping(Duration::ZERO), two_regions()).await;
    let mut out = Vec::new();
    let argv = args(&[
        "--summary",
        "--region",
        "cn-hangzhou",
        "--region",
        "cn-shanghai",
    ]);
    let result = inventory::run(&sim.client(), &argv, &mut out).await;
    let text = output(result, out, "inventory");

    assert_eq!(
        actions(&sim.requests()),
        ["DescribeInstances", "DescribeInstances"],
        "the regions given, no DescribeRegions"
    );
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
    let count = |dimension: &str, value: &str| -> usize {
        rows.iter()
            .find(|r| r[0] == dimension && r[1] == value)
            .map_or(0, |r| r[2].parse().unwrap())
    };
    assert_eq!(rows[0], ["dimension", "value", "instances"]);
    assert_eq!(count("all", "-"), 5);
    assert_eq!(
        (
            count("region", "cn-hangzhou"),
            count("region", "cn-shanghai")
        ),
        (4, 1)
    );
    assert_eq!(
        (count("status", "Running"), count("status", "Stopped")),
        (4, 1)
    );
    assert_eq!(count("instance_type", "ecs.g7.large"), 3);
    assert_eq!(count("instance_type", "ecs.r7.large"), 1);
    assert_eq!(
        (
            count("security_group", "sg-web"),
            count("security_group", "sg-ssh"),
            count("security_group", "sg-db")
        ),
        (4, 3, 1)
    );
    let vpcs: usize = rows
        .iter()
        .filter(|r| r[0] == "vpc")
        .map(|r| r[2].parse::<usize>().unwrap())
        .sum();
    assert_eq!(vpcs, 5, "every instance is in a VPC: {text}");
    assert!(
        rows.iter()
            .filter(|r| r[0] == "vpc")
            .all(|r| r[1].starts_with("vpc-")),
        "{text}"
    );
}

#[tokio::test]
async fn inventory_summary_as_json_is_one_object_of_counts() {
    let sim = sim_with(stepping(Duration::ZERO), two_regions()).await;
    let mut out = Vec::new();
    let argv = args(&["--summary", "--format", "json"]);
    let result = inventory::run(&sim.client(), &argv, &mut out).await;
    let text = output(result, out, "inventory");

    let summary: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(summary["instances"], 5);
    assert_eq!(
        summary["region"],
        json!({"cn-hangzhou": 4, "cn-shanghai": 1})
    );
    assert_eq!(summary["status"], json!({"Running": 4, "Stopped": 1}));
    assert_eq!(
        summary["instance_type"],
        json!({"ecs.c7.large": 1, "ecs.g7.large": 3, "ecs.r7.large": 1})
    );
    assert_eq!(
        summary["security_group"],
        json!({"sg-db": 1, "sg-ssh": 3, "sg-web": 4})
    );
}

#[tokio::test]
async fn run_command_runs_on_each_instance_waits_until_finished_and_prints_each_output() {
    let (clock, settings) = manual();
    let fleet = hangzhou(json!([
        {"InstanceId": "i-web-1", "HostName": "web-1"},
        {"InstanceId": "i-web-2", "HostName": "web-2"}
    ]));
    let sim = sim_with(settings, fleet).await;
    step_after_each(&sim, clock, "DescribeInvocationResults");
    let mut out = Vec::new();
    let argv = args(&[
        "--instance-id",
        "i-web-1",
        "--instance-id",
        "i-web-2",
        "--command",
        "echo hello from $(hostname)",
        "--poll-ms",
        "20",
    ]);
    let result = run_command::run(&sim.client(), &argv, &mut out).await;
    let text = output(result, out, "run_command");

    let requests = sim.requests();
    assert_eq!(
        actions(&requests),
        [
            "RunCommand",
            "DescribeInvocationResults",
            "DescribeInvocationResults"
        ],
        "Running, then finished"
    );
    let run = &requests[0];
    assert_eq!(param(run, "InstanceId.1").as_deref(), Some("i-web-1"));
    assert_eq!(param(run, "InstanceId.2").as_deref(), Some("i-web-2"));
    assert_eq!(param(run, "Type").as_deref(), Some("RunShellScript"));
    assert_eq!(param(run, "ContentEncoding").as_deref(), Some("PlainText"));
    let invoke_id = text
        .split_whitespace()
        .nth(1)
        .expect("invocation t-... on 2 instance(s)");
    for poll in &requests[1..] {
        assert_eq!(param(poll, "InvokeId").as_deref(), Some(invoke_id));
        assert_eq!(param(poll, "ContentEncoding").as_deref(), Some("PlainText"));
    }
    assert!(
        text.contains("i-web-1 Success exit 0\n  | hello from web-1\n"),
        "{text}"
    );
    assert!(
        text.contains("i-web-2 Success exit 0\n  | hello from web-2\n"),
        "{text}"
    );
}

#[tokio::test]
async fn run_command_fails_when_a_run_does_not_succeed_after_printing_every_result() {
    let sim = sim_with(
        stepping(Duration::ZERO),
        hangzhou(json!([{"InstanceId": "i-web-1"}, {"InstanceId": "i-down", "Status": "Stopped"}])),
    )
    .await;
    let mut out = Vec::new();
    let argv = args(&[
        "--instance-id",
        "i-web-1",
        "--instance-id",
        "i-down",
        "--command",
        "exit 3",
    ]);
    let result = run_command::run(&sim.client(), &argv, &mut out).await;
    let error = result.expect_err("no run succeeded").to_string();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(error, "2 of 2 runs did not succeed");
    assert!(text.contains("i-web-1 Failed exit 3"), "{text}");
    assert!(
        text.contains("i-down Failed exit 0 (the instance is Stopped"),
        "{text}"
    );
}

#[tokio::test]
async fn an_example_run_without_its_instance_id_names_the_flag_and_how_to_get_one() {
    let sim = Simulator::start().await;
    let mut out = Vec::new();
    let error = run_command::run(&sim.client(), &args(&["--command", "uptime"]), &mut out)
        .await
        .expect_err("no --instance-id")
        .to_string();
    assert!(error.starts_with("--instance-id is required"), "{error}");
    assert!(error.contains("--example inventory"), "{error}");
    assert!(error.contains("--example create_instances"), "{error}");
    assert!(sim.requests().is_empty());
}

/// Runs `run` with `--help`: the output, and the requests it sent.
macro_rules! help_of {
    ($sim:expr, $example:ident) => {{
        let mut out = Vec::new();
        let result = $example::run(&$sim.client(), &args(&["--help"]), &mut out).await;
        (
            output(result, out, stringify!($example)),
            stringify!($example),
        )
    }};
}

#[tokio::test]
async fn every_example_answers_help_with_its_usage_and_flags_and_sends_nothing() {
    let sim = Simulator::start().await;
    let helps = [
        help_of!(sim, available_resources),
        help_of!(sim, change_instance_type),
        help_of!(sim, create_instances),
        help_of!(sim, hello_ecs),
        help_of!(sim, inventory),
        help_of!(sim, release_instance),
        help_of!(sim, renew_instance),
        help_of!(sim, run_command),
        help_of!(sim, spot_instance),
    ];
    for (text, name) in &helps {
        assert!(
            text.contains(&format!("usage: cargo run -p ecs-api --example {name}")),
            "{text}"
        );
        assert!(text.contains("-h, --help"), "{text}");
        assert!(text.contains("ALIBABA_CLOUD_ECS_ENDPOINT"), "{text}");
    }
    let help = |name: &str| &helps.iter().find(|(_, n)| *n == name).unwrap().0;
    assert!(help("inventory").contains("--summary"));
    assert!(help("release_instance").contains("--instance-id ID"));
    assert!(help("create_instances").contains("--timeout-secs N"));
    assert!(sim.requests().is_empty());
}
