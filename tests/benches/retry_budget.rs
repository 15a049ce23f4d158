//! `cargo bench -p ecs-simulator --bench retry_budget`: what the retry
//! machinery costs a successful call, as a ratio against the same call with
//! retries off (`RetryPolicy::disabled()`, which skips the budget), both
//! against one local server, interleaved batch by batch in the same run,
//! repeated over several runs and reported as a range.
//!
//! - budget full: the usual state, a success costs one atomic load;
//! - budget refilling: after a throttle storm, a success puts a token back;
//! - adaptive, not throttled: the opt-in rate limiter while idle.

use ecs_core::{Client, Credentials, RetryBudget, RetryPolicy};
use ecs_fault_server::{Response, TestServer};
use std::time::{Duration, Instant};

/// Runs per case; each gives one ratio.
const RUNS: usize = 7;
/// Pairs of batches per run.
const ROUNDS: usize = 31;
/// Calls per batch.
const BATCH: usize = 100;

#[derive(serde::Serialize)]
struct DescribeRegions {}

impl ecs_core::Operation for DescribeRegions {
    type Output = serde_json::Value;
    const INFO: ecs_core::OperationInfo = ecs_core::OperationInfo {
        name: "DescribeRegions",
        version: "2014-05-26",
        group: "bench",
        deprecated: false,
        read_only: true,
        client_token: false,
        region_id: ecs_core::RegionParam::Required,
        enabled: true,
    };
}

fn client(url: &str, policy: RetryPolicy) -> Client {
    Client::builder()
        .endpoint(url)
        .region("cn-hangzhou")
        .credentials(Credentials::new("bench-key", "bench-secret"))
        .retry_policy(policy.with_base_delay(Duration::from_millis(1)))
        .build()
        .expect("client")
}

fn main() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let server = TestServer::start().await;
        server.set_default(Response::ok("req-bench", serde_json::json!({})));
        let url = server.url();
        let baseline = client(&url, RetryPolicy::disabled());

        let full = client(&url, RetryPolicy::default());
        let refilling = drained(&server, &url).await;
        let adaptive = client(&url, RetryPolicy::adaptive());

        println!(
            "{:<26} {:>10} {:>10} {:>8} {:>16}",
            "case (vs retries off)", "ours", "baseline", "ratio", "range of runs"
        );
        for (name, ours) in [
            ("budget full", &full),
            ("budget refilling", &refilling),
            ("adaptive, not throttled", &adaptive),
        ] {
            compare(name, ours, &baseline).await;
        }
        let tokens = refilling.retry_stats().budget_tokens.unwrap_or(0);
        assert!(
            tokens < 1_000_000,
            "the refilling case stayed below capacity"
        );
    });
}

/// A client whose huge budget a throttle storm emptied, so that every
/// success in the bench puts a token back instead of finding it full.
async fn drained(server: &TestServer, url: &str) -> Client {
    let budget = RetryBudget::default()
        .with_capacity(1_000_000)
        .with_costs(500_000, 500_000);
    let c = client(url, RetryPolicy::default().with_budget(Some(budget)));
    for _ in 0..3 {
        server.push(Response::throttling_user());
    }
    let e = c
        .call(&DescribeRegions {})
        .await
        .expect_err("throttled three times");
    assert_eq!(c.retry_stats().budget_tokens, Some(0), "{e}");
    c
}

/// Runs `RUNS` runs of `ROUNDS` pairs of adjacent batches (which goes
/// first alternates); a run's ratio is the median of its pairs' ratios, so
/// load that drifts over a run cancels out. Prints the median times per
/// call over all batches, the median run's ratio and the range of the runs'.
async fn compare(name: &str, ours: &Client, baseline: &Client) {
    batch(ours).await;
    batch(baseline).await;
    let (mut all_a, mut all_b, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..RUNS {
        let mut pairs = Vec::new();
        for round in 0..ROUNDS {
            let (a, b) = if round % 2 == 0 {
                let a = batch(ours).await;
                (a, batch(baseline).await)
            } else {
                let b = batch(baseline).await;
                (batch(ours).await, b)
            };
            pairs.push(a.as_secs_f64() / b.as_secs_f64());
            all_a.push(a);
            all_b.push(b);
        }
        pairs.sort_by(f64::total_cmp);
        ratios.push(pairs[pairs.len() / 2]);
    }
    ratios.sort_by(f64::total_cmp);
    println!(
        "{name:<26} {:>8.1}µs {:>8.1}µs {:>7.3}x {:>7.3}x-{:.3}x",
        median(all_a).as_secs_f64() * 1e6,
        median(all_b).as_secs_f64() * 1e6,
        ratios[ratios.len() / 2],
        ratios[0],
        ratios[ratios.len() - 1]
    );
}

/// Time per call over one batch of successful calls.
async fn batch(c: &Client) -> Duration {
    let started = Instant::now();
    for _ in 0..BATCH {
        c.call(&DescribeRegions {}).await.expect("bench call");
    }
    started.elapsed() / BATCH as u32
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}
