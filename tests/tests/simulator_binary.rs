//! The `ecs-simulator` binary, run as a user runs it.

mod cloud_support;
mod simulator_support;

use ecs_api::describe_instances::DescribeInstancesRequest;
use ecs_api::describe_regions::DescribeRegionsRequest;
use ecs_simulator::simulator::cli::FLAGS;
use simulator_support::assert_service_error;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

fn binary() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ecs-simulator"))
}

/// The running binary; killed when dropped.
struct Running {
    child: Child,
    url: String,
    banner: Vec<String>,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the binary on a free port and reads its banner up to the last
/// line it prints before serving.
fn run(args: &[&str]) -> Running {
    let mut child = binary()
        .args(["--addr", "127.0.0.1:0"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut banner = Vec::new();
    while let Some(Ok(line)) = lines.next() {
        let done = line.starts_with("faults:");
        banner.push(line);
        if done {
            break;
        }
    }
    let url = banner
        .iter()
        .find_map(|l| l.split("listening on ").nth(1))
        .unwrap_or_else(|| panic!("no address in {banner:?}"))
        .to_string();
    Running { child, url, banner }
}

const KEY: (&str, &str) = ("ecs-simulator-key", "ecs-simulator-secret");

/// Every instance in cn-hangzhou: id and status, by id.
async fn fleet(client: &ecs_api::Client) -> Vec<(String, String)> {
    let listed = client
        .describe_instances(DescribeInstancesRequest {
            max_results: Some(100),
            ..DescribeInstancesRequest::new()
        })
        .await
        .unwrap();
    let mut found: Vec<(String, String)> = listed
        .instances
        .into_iter()
        .map(|i| (i.instance_id.unwrap(), i.status.unwrap()))
        .collect();
    found.sort();
    found
}

/// A seed file of `count` instances in cn-hangzhou-h.
fn seed_file(dir: &std::path::Path, count: u32) -> String {
    let path = dir.join("fleet.json");
    let fleet = serde_json::json!({"Regions": [{"RegionId": "cn-hangzhou", "Instances": [{
        "Count": count, "ZoneId": "cn-hangzhou-h",
        "ImageId": "aliyun_3_x64_20G_alibase_20240819.vhd", "InstanceType": "ecs.g7.large"}]}]});
    std::fs::write(&path, fleet.to_string()).unwrap();
    path.to_str().unwrap().to_string()
}

/// A client of the binary in cn-hangzhou, without retries.
fn builder(url: &str, id: &str, secret: &str) -> ecs_core::ClientBuilder {
    ecs_api::Client::builder()
        .endpoint(url)
        .region("cn-hangzhou")
        .credentials(ecs_core::Credentials::new(id, secret))
        .retry_policy(ecs_core::RetryPolicy::disabled())
}

fn client(url: &str, id: &str, secret: &str) -> ecs_api::Client {
    builder(url, id, secret).build().unwrap().into()
}

#[test]
fn help_documents_every_flag() {
    let out = binary().arg("--help").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for flag in FLAGS {
        assert!(text.contains(flag.name), "{} missing:\n{text}", flag.name);
    }
    assert!(text.contains("/_simulator/faults"), "{text}");
}

#[test]
fn an_unknown_flag_exits_2_naming_it() {
    let out = binary().arg("--frobnicate").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("unknown argument `--frobnicate`"), "{err}");
}

#[test]
fn a_missing_metadata_file_exits_1_naming_it() {
    let out = binary()
        .args([
            "--addr",
            "127.0.0.1:0",
            "--metadata",
            "/no/such/api-docs.json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("/no/such/api-docs.json"), "{err}");
}

#[test]
fn a_seed_file_that_is_not_json_exits_1_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let seed = dir.path().join("fleet.json");
    std::fs::write(&seed, "instances: 3").unwrap();
    let out = binary()
        .args(["--addr", "127.0.0.1:0", "--seed"])
        .arg(&seed)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains(&format!("{} is not JSON", seed.display())),
        "{err}"
    );
}

#[tokio::test]
async fn it_prints_the_environment_that_points_an_sdk_at_it() {
    let sim = run(&[
        "--access-key-id",
        "my-key",
        "--access-key-secret",
        "my-secret",
    ]);
    let banner = sim.banner.join("\n");
    for line in [
        format!("export ALIBABA_CLOUD_ECS_ENDPOINT={}", sim.url),
        "export ALIBABA_CLOUD_ACCESS_KEY_ID=my-key".to_string(),
        "export ALIBABA_CLOUD_ACCESS_KEY_SECRET=my-secret".to_string(),
    ] {
        assert!(banner.contains(&line), "{line} missing:\n{banner}");
    }
    client(&sim.url, "my-key", "my-secret")
        .describe_regions(DescribeRegionsRequest::new())
        .await
        .unwrap();
    let err = client(&sim.url, KEY.0, KEY.1)
        .describe_regions(DescribeRegionsRequest::new())
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("InvalidAccessKeyId.NotFound"), "{err}");
}

#[tokio::test]
async fn faults_from_flags_apply_until_cleared_over_the_admin_endpoint() {
    let sim = run(&["--error-rate", "1", "--region-down", "cn-beijing"]);
    let c = client(&sim.url, KEY.0, KEY.1);
    let err = c
        .describe_regions(DescribeRegionsRequest::new())
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("InternalError"), "{err}");
    let addr = sim.url.trim_start_matches("http://").parse().unwrap();
    let shown = simulator_support::send_raw(
        addr,
        b"DELETE /_simulator/faults HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
    )
    .await
    .unwrap();
    assert_eq!(shown.json()["regions_down"], serde_json::json!([]));
    c.describe_regions(DescribeRegionsRequest::new())
        .await
        .unwrap();
}

#[tokio::test]
async fn a_region_down_and_a_type_out_of_stock_from_flags_are_what_clients_meet() {
    let sim = run(&[
        "--region-down",
        "cn-beijing",
        "--out-of-stock",
        "ecs.g7.large",
    ]);
    let hangzhou = client(&sim.url, KEY.0, KEY.1);
    let err = hangzhou
        .run_instances(cloud_support::run(1))
        .await
        .unwrap_err();
    cloud_support::assert_code(&err, "RunInstances", "OperationDenied.NoStock");
    let beijing: ecs_api::Client = builder(&sim.url, KEY.0, KEY.1)
        .region("cn-beijing")
        .build()
        .unwrap()
        .into();
    let err = beijing
        .describe_instances(DescribeInstancesRequest::new())
        .await
        .unwrap_err();
    assert_service_error(&err, 503, "ServiceUnavailable");
    hangzhou
        .describe_instances(DescribeInstancesRequest::new())
        .await
        .unwrap();
}

#[tokio::test]
async fn a_seed_file_is_the_fleet_clients_find() {
    let dir = tempfile::tempdir().unwrap();
    let seed = seed_file(dir.path(), 3);
    let sim = run(&["--seed", &seed]);
    let found = fleet(&client(&sim.url, KEY.0, KEY.1)).await;
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(
        found.iter().all(|(_, status)| status == "Running"),
        "{found:?}"
    );
}

#[tokio::test]
async fn every_answered_change_survives_the_process_being_killed() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let state = state.to_str().unwrap();
    let before = {
        let sim = run(&["--state", state, "--transition", "0"]);
        let c = client(&sim.url, KEY.0, KEY.1);
        let ids = c
            .run_instances(cloud_support::run(4))
            .await
            .unwrap()
            .instance_id_sets;
        c.stop_instances(ecs_api::stop_instances::StopInstancesRequest::new(
            ids[..2].to_vec(),
        ))
        .await
        .unwrap();
        let before = fleet(&c).await;
        assert_eq!(before.len(), 4);
        before
        // Dropped: the process is killed (SIGKILL), with no chance to save.
    };
    let sim = run(&["--state", state]);
    let after = fleet(&client(&sim.url, KEY.0, KEY.1)).await;
    assert_eq!(after, before);
    let stopped = after.iter().filter(|(_, s)| s == "Stopped").count();
    assert_eq!(stopped, 2, "{after:?}");
}

#[tokio::test]
async fn restarting_with_the_same_seed_and_state_file_keeps_one_fleet() {
    let dir = tempfile::tempdir().unwrap();
    let seed = seed_file(dir.path(), 3);
    let state = dir.path().join("state.json");
    let args = ["--seed", &seed, "--state", state.to_str().unwrap()];
    let first = {
        let sim = run(&args);
        fleet(&client(&sim.url, KEY.0, KEY.1)).await
    };
    assert_eq!(first.len(), 3);
    let sim = run(&args);
    assert_eq!(fleet(&client(&sim.url, KEY.0, KEY.1)).await, first);
}
