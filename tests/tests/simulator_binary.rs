//! The `ecs-simulator` binary, run as a user runs it.

mod cloud_support;
mod simulator_support;

use ecs_api::describe_instances::DescribeInstancesRequest;
use ecs_api::describe_regions::DescribeRegionsRequest;
use ecs_simulator::simulator::cli::FLAGS;
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
    let err = client(&sim.url, "ecs-simulator-key", "ecs-simulator-secret")
        .describe_regions(DescribeRegionsRequest::new())
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("InvalidAccessKeyId.NotFound"), "{err}");
}

#[tokio::test]
async fn faults_from_flags_apply_until_cleared_over_the_admin_endpoint() {
    let sim = run(&["--error-rate", "1", "--region-down", "cn-beijing"]);
    let c = client(&sim.url, "ecs-simulator-key", "ecs-simulator-secret");
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
    let hangzhou = client(&sim.url, "ecs-simulator-key", "ecs-simulator-secret");
    let err = hangzhou
        .run_instances(cloud_support::run(1))
        .await
        .unwrap_err();
    cloud_support::assert_code(&err, "RunInstances", "OperationDenied.NoStock");
    let beijing: ecs_api::Client = builder(&sim.url, "ecs-simulator-key", "ecs-simulator-secret")
        .region("cn-beijing")
        .build()
        .unwrap()
        .into();
    let err = beijing
        .describe_instances(DescribeInstancesRequest::new())
        .await
        .unwrap_err();
    assert_eq!(
        (err.status(), err.code()),
        (Some(503), Some("ServiceUnavailable")),
        "{err}"
    );
    hangzhou
        .describe_instances(DescribeInstancesRequest::new())
        .await
        .unwrap();
}
