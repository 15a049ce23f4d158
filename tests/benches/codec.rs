//! `cargo bench -p ecs-simulator --bench codec`: the per-call costs ecs-rs adds,
//! each as a ratio against a baseline measured in the same run.
//!
//! - decoding: a DescribeInstances body of 100 instances into the typed
//!   response, against `serde_json::Value` of the same text;
//! - encoding: a RunInstances request into query parameters, against
//!   `serde_json::to_string` of the same request.

use ecs_api::describe_instances::DescribeInstancesResponse;
use ecs_api::run_instances::{DataDisk, RunInstancesRequest, Tag};
use std::hint::black_box;
use std::time::{Duration, Instant};

fn main() {
    let body = describe_instances_body(100);
    let request = run_instances_request();

    println!(
        "{:<44} {:>12} {:>12} {:>7}",
        "case", "ecs-rs", "baseline", "ratio"
    );
    compare(
        "decode DescribeInstances (100 instances)",
        || black_box(serde_json::from_str::<DescribeInstancesResponse>(&body).unwrap()),
        || black_box(serde_json::from_str::<serde_json::Value>(&body).unwrap()),
    );
    compare(
        "encode RunInstances to query parameters",
        || black_box(ecs_core::query::to_params(&request).unwrap()),
        || black_box(serde_json::to_string(&request).unwrap()),
    );
}

/// Runs both closures alternately in batches and reports the median time
/// per call of each, and ecs-rs / baseline.
fn compare<A, B, RA, RB>(name: &str, mut ours: A, mut baseline: B)
where
    A: FnMut() -> RA,
    B: FnMut() -> RB,
{
    let batch = calibrate(&mut ours);
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for _ in 0..15 {
        a.push(time(batch, &mut ours));
        b.push(time(batch, &mut baseline));
    }
    let (a, b) = (median(a), median(b));
    println!(
        "{name:<44} {:>10.1}µs {:>10.1}µs {:>6.2}x",
        a.as_secs_f64() * 1e6,
        b.as_secs_f64() * 1e6,
        a.as_secs_f64() / b.as_secs_f64()
    );
}

fn calibrate<R>(f: &mut impl FnMut() -> R) -> u32 {
    let mut n = 1;
    while time(n, f) * n < Duration::from_millis(20) && n < 1 << 20 {
        n *= 2;
    }
    n
}

/// Mean time per call over a batch of `n`.
fn time<R>(n: u32, f: &mut impl FnMut() -> R) -> Duration {
    let start = Instant::now();
    for _ in 0..n {
        black_box(f());
    }
    start.elapsed() / n
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// The metadata's example body with its one instance repeated `n` times.
fn describe_instances_body(n: usize) -> String {
    let docs = ecs_rs_metadata::load_pinned().unwrap_or_else(|e| panic!("{e}"));
    let mut body = docs.apis["DescribeInstances"]
        .json_example()
        .expect("example");
    let one = body["Instances"]["Instance"][0].clone();
    body["Instances"]["Instance"] = serde_json::Value::Array(vec![one; n]);
    body.to_string()
}

fn run_instances_request() -> RunInstancesRequest {
    RunInstancesRequest {
        image_id: Some("aliyun_3_x64_20G_alibase_20240528.vhd".into()),
        instance_type: Some("ecs.g7.large".into()),
        security_group_ids: vec!["sg-1".into(), "sg-2".into()],
        amount: Some(10),
        tag: (1..=5)
            .map(|i| Tag {
                key: Some(format!("key{i}")),
                value: Some(format!("value {i}*~")),
            })
            .collect(),
        data_disk: (0..4)
            .map(|i| DataDisk {
                size: Some(40 + i),
                category: Some("cloud_essd".into()),
                ..DataDisk::new()
            })
            .collect(),
        ..RunInstancesRequest::new()
    }
}
