//! The examples of `ecs-api/examples`, run in-process against the simulator:
//! each one's real `run` must succeed, print what it did, and send the
//! requests of its workflow.

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
#[path = "../../ecs-api/examples/spot_instance.rs"]
#[allow(dead_code)]
mod spot_instance;

use ecs_simulator::server::RecordedRequest;
use ecs_simulator::simulator::Simulator;

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

#[tokio::test]
async fn hello_ecs_lists_the_regions_then_the_instances_of_the_clients_region() {
    let sim = Simulator::start().await;
    let mut out = Vec::new();
    let result = hello_ecs::run(&sim.client(), &[], &mut out).await;
    let text = output(result, out, "hello_ecs");

    let requests = sim.requests();
    assert_eq!(actions(&requests), ["DescribeRegions", "DescribeInstances"]);
    assert_eq!(
        param(&requests[1], "RegionId").as_deref(),
        Some("cn-hangzhou")
    );
    assert!(text.contains("1 regions:"), "{text}");
    assert!(text.contains("cn-qingdao-et2-bo1"), "{text}");
    assert!(text.contains("instances in cn-hangzhou:"), "{text}");
    assert!(text.contains("i-bp67acfmxazb4p**** Running"), "{text}");
}

#[tokio::test]
async fn create_instances_dry_runs_then_creates_the_batch_with_the_same_client_token_and_waits_for_running(
) {
    let sim = Simulator::start().await;
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
        "1",
    ]);
    let result = create_instances::run(&sim.client(), &argv, &mut out).await;
    let text = output(result, out, "create_instances");

    let requests = sim.requests();
    assert_eq!(
        actions(&requests),
        ["RunInstances", "RunInstances", "DescribeInstances"]
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
    // The poll asks for exactly the ids RunInstances returned, as JSON.
    let polled: Vec<String> = serde_json::from_str(
        &param(poll, "InstanceIds").expect("DescribeInstances filters by InstanceIds"),
    )
    .expect("InstanceIds is a JSON list");
    assert_eq!(polled.len(), 1, "{polled:?}");
    assert!(text.contains(&polled[0]), "{text}");
    assert!(text.contains("dry run passed"), "{text}");
    assert!(text.contains(&format!("ClientToken {token}")), "{text}");
    assert!(text.contains("all 1 instances are Running"), "{text}");
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
async fn change_instance_type_upgrades_a_pay_as_you_go_instance_to_an_offered_type() {
    let sim = Simulator::start().await;
    let mut out = Vec::new();
    let argv = args(&["--instance-id", "i-payg"]);
    let result = change_instance_type::run(&sim.client(), &argv, &mut out).await;
    let text = output(result, out, "change_instance_type");

    let requests = sim.requests();
    assert_eq!(
        actions(&requests),
        ["DescribeResourcesModification", "ModifyInstanceSpec"]
    );
    let query = &requests[0];
    assert_eq!(param(query, "ResourceId").as_deref(), Some("i-payg"));
    assert_eq!(
        param(query, "DestinationResource").as_deref(),
        Some("InstanceType")
    );
    assert_eq!(param(query, "OperationType").as_deref(), Some("Upgrade"));
    // No --instance-type: the first type offered.
    let modify = &requests[1];
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
}

#[tokio::test]
async fn change_instance_type_upgrades_a_subscription_instance_with_modify_prepay_instance_spec() {
    let sim = Simulator::start().await;
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
    assert!(text.contains("order 1234567890"), "{text}");
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
async fn release_instance_stops_the_instance_then_deletes_it() {
    let sim = Simulator::start().await;
    let mut out = Vec::new();
    let argv = args(&["--instance-id", "i-old", "--poll-ms", "1"]);
    let result = release_instance::run(&sim.client(), &argv, &mut out).await;
    let text = output(result, out, "release_instance");

    let requests = sim.requests();
    assert_eq!(actions(&requests), ["StopInstance", "DeleteInstance"]);
    for request in &requests {
        assert_eq!(param(request, "InstanceId").as_deref(), Some("i-old"));
    }
    assert!(text.contains("released i-old"), "{text}");
}

#[tokio::test]
async fn release_instance_with_an_auto_release_time_schedules_the_release_instead() {
    let sim = Simulator::start().await;
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
}

#[tokio::test]
async fn renew_instance_renews_the_subscription_then_turns_on_auto_renewal() {
    let sim = Simulator::start().await;
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
    assert_eq!(
        actions(&requests),
        ["RenewInstance", "ModifyInstanceAutoRenewAttribute"]
    );
    let (renew, auto) = (&requests[0], &requests[1]);
    assert_eq!(param(renew, "InstanceId").as_deref(), Some("i-prepaid"));
    assert_eq!(param(renew, "Period").as_deref(), Some("2"));
    assert_eq!(param(renew, "PeriodUnit").as_deref(), Some("Month"));
    assert!(param(renew, "ClientToken").is_some());
    assert_eq!(param(auto, "InstanceId").as_deref(), Some("i-prepaid"));
    assert_eq!(param(auto, "AutoRenew").as_deref(), Some("true"));
    assert_eq!(param(auto, "RenewalStatus").as_deref(), Some("AutoRenewal"));
    assert_eq!(param(auto, "Duration").as_deref(), Some("3"));
    assert!(text.contains("order 1234567890"), "{text}");
    assert!(text.contains("auto-renewal on: 3 month(s)"), "{text}");
}

#[tokio::test]
async fn inventory_pages_every_region_with_next_token_and_prints_the_instances_as_json() {
    let sim = Simulator::start().await;
    let mut out = Vec::new();
    let argv = args(&["--format", "json", "--page-size", "50"]);
    let result = inventory::run(&sim.client(), &argv, &mut out).await;
    let text = output(result, out, "inventory");

    let requests = sim.requests();
    // The simulator has one region and two pages: page 2 is asked for with
    // page 1's NextToken and answers with none, which ends paging.
    assert_eq!(
        actions(&requests),
        ["DescribeRegions", "DescribeInstances", "DescribeInstances"]
    );
    let (first, second) = (&requests[1], &requests[2]);
    for page in [first, second] {
        assert_eq!(
            param(page, "RegionId").as_deref(),
            Some("cn-qingdao-et2-bo1")
        );
        assert_eq!(param(page, "MaxResults").as_deref(), Some("50"));
    }
    assert_eq!(param(first, "NextToken"), None);
    assert_eq!(
        param(second, "NextToken").as_deref(),
        Some("caeba0bbb2be03f84eb48b699f0a4883")
    );

    let instances: serde_json::Value = serde_json::from_str(&text).expect("JSON output");
    let instances = instances.as_array().expect("a JSON array");
    // The same instance on both pages is listed once.
    assert_eq!(instances.len(), 1, "{text}");
    assert_eq!(instances[0]["InstanceId"], "i-bp67acfmxazb4p****");
    assert_eq!(instances[0]["Status"], "Running");
}

#[tokio::test]
async fn inventory_prints_one_tsv_line_per_instance_by_default() {
    let sim = Simulator::start().await;
    let mut out = Vec::new();
    let result = inventory::run(&sim.client(), &[], &mut out).await;
    let text = output(result, out, "inventory");

    let lines: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(lines.len(), 2, "a header and one instance: {text}");
    assert_eq!(lines[0][..3], ["region", "zone", "instance_id"]);
    assert_eq!(lines[0].len(), lines[1].len(), "{text}");
    assert_eq!(lines[1][2], "i-bp67acfmxazb4p****");
    assert_eq!(
        param(&sim.requests()[1], "MaxResults").as_deref(),
        Some("100")
    );
}
