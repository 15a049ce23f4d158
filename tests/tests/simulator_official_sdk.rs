//! The simulator answers requests exactly as the official Python SDK
//! (`alibabacloud_ecs20140526` 7.11.8, `alibabacloud_tea_openapi` 0.4.6)
//! sends them, in its default `ACS3-HMAC-SHA256` mode (action and version
//! in headers, signature in `Authorization`) and in its HMAC-SHA1 mode
//! (`signature_algorithm='v2'`, a space sent as `+`). The requests were
//! captured byte for byte by `tests/fixtures/official-sdk/capture.py`,
//! signed with the simulator's key pair, and are replayed here unchanged.

mod simulator_support;

use ecs_simulator::Simulator;
use simulator_support::{fixture, send_raw, RawResponse};

const MODES: [&str; 2] = ["v3", "v2"];

async fn replay(sim: &Simulator, name: &str) -> RawResponse {
    send_raw(sim.addr(), &fixture(name)).await.unwrap()
}

fn assert_success(name: &str, response: &RawResponse) {
    assert_eq!(response.status, 200, "{name}: {}", response.body);
    let body = response.json();
    let id = body["RequestId"].as_str().unwrap_or_default();
    assert!(!id.is_empty(), "{name}: {}", response.body);
    assert_eq!(response.header("x-acs-request-id"), Some(id), "{name}");
}

#[tokio::test]
async fn describe_regions_is_answered_in_both_signature_modes() {
    for mode in MODES {
        let sim = Simulator::start().await;
        let name = format!("python-{mode}-describe-regions.http");
        let response = replay(&sim, &name).await;
        assert_success(&name, &response);
        assert!(response.json()["Regions"]["Region"].is_array(), "{name}");
    }
}

#[tokio::test]
async fn describe_instances_with_a_space_in_a_tag_value_is_answered_in_both_modes() {
    for mode in MODES {
        let name = format!("python-{mode}-describe-instances.http");
        let request = String::from_utf8(fixture(&name)).unwrap();
        assert!(
            request.contains("Tag.1.Value=web+tier"),
            "the SDK sends the space as `+`"
        );
        let sim = Simulator::start().await;
        assert_success(&name, &replay(&sim, &name).await);
    }
}

/// The vSwitch and security group the captured `RunInstances` names.
fn its_network() -> serde_json::Value {
    serde_json::json!({"Regions": [{
        "RegionId": "cn-hangzhou",
        "VSwitches": [{"VSwitchId": "vsw-bp1s5fnvk4gn2tws03624", "ZoneId": "cn-hangzhou-h"}],
        "SecurityGroups": [{"SecurityGroupId": "sg-bp15ed6xe1yxeycg7o3u"}],
    }]})
}

#[tokio::test]
async fn a_run_instances_dry_run_passes_in_both_modes_where_its_network_exists() {
    for mode in MODES {
        let sim = Simulator::configure()
            .seed(its_network())
            .start()
            .await
            .unwrap();
        let name = format!("python-{mode}-run-instances-dry-run.http");
        let response = replay(&sim, &name).await;
        assert_eq!(response.status, 400, "{name}: {}", response.body);
        assert_eq!(
            response.code().as_deref(),
            Some("DryRunOperation"),
            "{name}: {}",
            response.body
        );
    }
}

#[tokio::test]
async fn a_run_instances_dry_run_in_an_empty_cloud_names_the_missing_vswitch_in_both_modes() {
    for mode in MODES {
        let sim = Simulator::start().await;
        let name = format!("python-{mode}-run-instances-dry-run.http");
        let response = replay(&sim, &name).await;
        assert_eq!(
            response.code().as_deref(),
            Some("InvalidVSwitchId.NotFound"),
            "{name}: {}",
            response.body
        );
        response.assert_has("vsw-bp1s5fnvk4gn2tws03624");
    }
}

#[tokio::test]
async fn the_same_request_sent_twice_is_refused_for_its_reused_nonce_in_both_modes() {
    for mode in MODES {
        let sim = Simulator::start().await;
        let name = format!("python-{mode}-describe-regions.http");
        assert_success(&name, &replay(&sim, &name).await);
        let again = replay(&sim, &name).await;
        assert_eq!(again.status, 400, "{name}: {}", again.body);
        assert_eq!(
            again.code().as_deref(),
            Some("SignatureNonceUsed"),
            "{name}"
        );
    }
}

#[tokio::test]
async fn a_changed_signed_value_is_refused_in_both_modes() {
    for mode in MODES {
        let sim = Simulator::start().await;
        let name = format!("python-{mode}-describe-instances.http");
        let tampered = String::from_utf8(fixture(&name))
            .unwrap()
            .replace("web+tier", "web+tear");
        let response = send_raw(sim.addr(), tampered.as_bytes()).await.unwrap();
        assert_eq!(response.status, 400, "{name}: {}", response.body);
        assert_eq!(
            response.code().as_deref(),
            Some("SignatureDoesNotMatch"),
            "{name}"
        );
        // What the server signed, to compare by eye: the canonical request
        // (V3), the string to sign with its values encoded twice (V2).
        let shown = if mode == "v3" {
            "web%20tear"
        } else {
            "web%2520tear"
        };
        response.assert_has(shown);
    }
}

#[tokio::test]
async fn the_v3_request_is_read_from_its_headers_not_the_query() {
    let request = String::from_utf8(fixture("python-v3-describe-regions.http")).unwrap();
    let first_line = request.lines().next().unwrap();
    assert!(!first_line.contains("Action="), "{first_line}");
    assert!(request.contains("x-acs-action: DescribeRegions"));
    let sim = Simulator::start().await;
    replay(&sim, "python-v3-describe-regions.http").await;
    let received = &sim.requests()[0];
    assert_eq!(received.header("x-acs-action"), Some("DescribeRegions"));
    assert!(received
        .header("authorization")
        .is_some_and(|a| a.starts_with("ACS3-HMAC-SHA256 ")));
}
