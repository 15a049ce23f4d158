//! The retry budget a client shares with its `with_region` clones bounds
//! retries in a throttle storm, without hurting calls when throttling is
//! partial; adaptive mode slows the client down when throttled and speeds
//! it up again when throttling stops.

mod common;

use common::*;
use ecs_core::{AdaptiveRate, CallOptions, Client, Error, RetryPolicy, RetryStop};
use ecs_fault_server::{RecordedRequest, Reply, Response, TestServer};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const CALLS: usize = 512;
const WORKERS: usize = 16;
const REGIONS: [&str; 4] = ["cn-hangzhou", "cn-beijing", "cn-shanghai", "cn-shenzhen"];

fn ok() -> Response {
    Response::ok("req-ok", serde_json::json!({}))
}

/// `calls` DescribeRegions calls, numbered by a `TestCall` parameter,
/// spread over `WORKERS` tasks that use the client and its `with_region`
/// clones in turn.
async fn storm(client: &Client, calls: usize) -> Vec<Result<(), Error>> {
    let clients: Vec<Client> = REGIONS
        .iter()
        .map(|r| client.with_region(*r).unwrap())
        .collect();
    let mut tasks = Vec::new();
    for w in 0..WORKERS {
        let c = clients[w % clients.len()].clone();
        tasks.push(tokio::spawn(async move {
            let mut results = Vec::new();
            for call in (w..calls).step_by(WORKERS) {
                let opts = CallOptions::new().param("TestCall", call.to_string());
                let r = c.call_with(&DescribeRegions::default(), &opts).await;
                results.push(r.map(|_| ()));
            }
            results
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    all
}

#[tokio::test]
async fn a_throttle_storm_gets_at_most_1_3_attempts_per_call() {
    let server = TestServer::start().await;
    server.set_default(Response::throttling_user());
    let results = storm(&client(&server.url()), CALLS).await;
    let attempts = server.requests().len();
    assert!(results.iter().all(Result::is_err));
    assert!(
        attempts as f64 <= 1.3 * CALLS as f64,
        "{attempts} attempts for {CALLS} calls"
    );
    // Without the budget every call would have made 4.
    assert!(attempts > CALLS, "retries happened at all: {attempts}");
}

#[tokio::test]
async fn calls_refused_for_lack_of_budget_say_so() {
    let server = TestServer::start().await;
    server.set_default(Response::throttling_user());
    let results = storm(&client(&server.url()), CALLS).await;
    let refused: Vec<&Error> = results
        .iter()
        .filter_map(|r| r.as_ref().err())
        .filter(|e| e.retry_stop() == Some(&RetryStop::BudgetExhausted))
        .collect();
    assert!(refused.len() > CALLS / 2, "{} refused", refused.len());
    let e = refused
        .iter()
        .find(|e| e.attempts() == 1)
        .expect("once the budget is spent, a throttled call is not retried at all");
    assert!(e.is_retryable(), "still transient: {e}");
    assert!(e.to_string().contains("retry budget is spent"), "{e}");
}

/// Throttles attempt `n` of call `c` in a fixed pseudo-random 30% of
/// (call, attempt) pairs, whatever the order requests arrive in.
fn throttle_30_percent() -> impl Fn(&RecordedRequest) -> Reply + Send + Sync {
    let seen: Mutex<HashMap<String, u64>> = Mutex::new(HashMap::new());
    move |req| {
        let call = req.param("TestCall").unwrap_or_default();
        let attempt = {
            let mut seen = seen.lock().unwrap();
            let n = seen.entry(call.clone()).or_insert(0);
            *n += 1;
            *n
        };
        let key = call.parse::<u64>().unwrap_or(0) * 16 + attempt;
        if splitmix64(key) % 100 < 30 {
            Response::throttling_user().into()
        } else {
            ok().into()
        }
    }
}

fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

#[tokio::test]
async fn with_30_percent_throttling_at_least_98_percent_of_calls_succeed() {
    let server = TestServer::start().await;
    server.set_handler(throttle_30_percent());
    let results = storm(&client(&server.url()), CALLS).await;
    let succeeded = results.iter().filter(|r| r.is_ok()).count();
    assert!(
        succeeded as f64 >= 0.98 * CALLS as f64,
        "{succeeded} of {CALLS} succeeded"
    );
    let throttled = server.requests().len() - succeeded;
    assert!(
        throttled > CALLS / 5,
        "the server did throttle: {throttled}"
    );
}

#[tokio::test]
async fn with_region_clones_spend_the_same_budget() {
    let server = TestServer::start().await;
    server.set_default(Response::throttling_user());
    let budget = ecs_core::RetryBudget::default().with_capacity(10);
    let hangzhou = builder(&server.url())
        .retry_policy(fast_retry().with_budget(Some(budget)))
        .build()
        .unwrap();
    let beijing = hangzhou.with_region("cn-beijing").unwrap();
    // Two retries at 5 tokens empty the bucket.
    hangzhou
        .call(&DescribeRegions::default())
        .await
        .unwrap_err();
    assert_eq!(hangzhou.retry_stats().budget_tokens, Some(0));
    let before = server.requests().len();
    let e = beijing.call(&DescribeRegions::default()).await.unwrap_err();
    assert_eq!(server.requests().len() - before, 1, "{e}");
    assert_eq!(e.retry_stop(), Some(&RetryStop::BudgetExhausted));
    // A client built separately has its own budget.
    let other = builder(&server.url())
        .retry_policy(fast_retry().with_budget(Some(budget)))
        .build()
        .unwrap();
    let before = server.requests().len();
    other.call(&DescribeRegions::default()).await.unwrap_err();
    assert_eq!(server.requests().len() - before, 3);
}

#[tokio::test]
async fn successes_refill_the_budget() {
    let server = TestServer::start().await;
    let budget = ecs_core::RetryBudget::default().with_capacity(10);
    let c = builder(&server.url())
        .retry_policy(fast_retry().with_budget(Some(budget)))
        .build()
        .unwrap();
    server
        .push(Response::throttling_user())
        .push(Response::throttling_user())
        .push(Response::throttling_user());
    c.call(&DescribeRegions::default()).await.unwrap_err();
    assert_eq!(c.retry_stats().budget_tokens, Some(0));
    for expected in 1..=10 {
        c.call(&DescribeRegions::default()).await.unwrap();
        assert_eq!(c.retry_stats().budget_tokens, Some(expected));
    }
    c.call(&DescribeRegions::default()).await.unwrap();
    assert_eq!(c.retry_stats().budget_tokens, Some(10));
}

#[tokio::test]
async fn without_a_budget_every_call_retries_up_to_max_attempts() {
    let server = TestServer::start().await;
    server.set_default(Response::throttling_user());
    let c = builder(&server.url())
        .retry_policy(fast_retry().with_budget(None))
        .build()
        .unwrap();
    let results = storm(&c, 64).await;
    assert!(results.iter().all(Result::is_err));
    assert_eq!(server.requests().len(), 64 * 4);
}

/// A server that admits `per_second` requests (bursts of `burst`) and
/// throttles the rest, until `open` is set.
struct RateLimitedServer {
    server: TestServer,
    open: Arc<std::sync::atomic::AtomicBool>,
}

impl RateLimitedServer {
    async fn start(per_second: f64, burst: f64) -> Self {
        let server = TestServer::start().await;
        let open = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let gate = open.clone();
        let bucket = Mutex::new((burst, Instant::now()));
        server.set_handler(move |_| {
            if gate.load(std::sync::atomic::Ordering::SeqCst) {
                return ok().into();
            }
            let mut b = bucket.lock().unwrap();
            let now = Instant::now();
            b.0 = (b.0 + now.duration_since(b.1).as_secs_f64() * per_second).min(burst);
            b.1 = now;
            if b.0 >= 1.0 {
                b.0 -= 1.0;
                ok().into()
            } else {
                Response::throttling_user().into()
            }
        });
        RateLimitedServer { server, open }
    }
}

fn adaptive_for_tests() -> RetryPolicy {
    fast_retry().with_adaptive_rate(
        AdaptiveRate::default()
            .with_min_rate(20.0)
            .with_scale(2000.0)
            .with_measure_window(Duration::from_millis(50)),
    )
}

/// The server admits this many requests a second, well below what the
/// client sends when left alone.
const ADMITTED: f64 = 60.0;

#[tokio::test]
async fn adaptive_mode_cuts_throttled_attempts() {
    const N: usize = 120;
    let standard = RateLimitedServer::start(ADMITTED, 5.0).await;
    let c = client(&standard.server.url());
    let standard_ok = storm(&c, N).await.iter().filter(|r| r.is_ok()).count();
    let standard_throttled = standard.server.requests().len() - standard_ok;

    let adaptive = RateLimitedServer::start(ADMITTED, 5.0).await;
    let c = builder(&adaptive.server.url())
        .retry_policy(adaptive_for_tests())
        .build()
        .unwrap();
    let adaptive_ok = storm(&c, N).await.iter().filter(|r| r.is_ok()).count();
    let adaptive_throttled = adaptive.server.requests().len() - adaptive_ok;

    assert!(
        adaptive_throttled * 2 < standard_throttled,
        "throttled attempts: adaptive {adaptive_throttled}, standard {standard_throttled}"
    );
    assert!(
        adaptive_ok > standard_ok,
        "succeeded: adaptive {adaptive_ok}, standard {standard_ok}"
    );
}

#[tokio::test]
async fn adaptive_mode_recovers_when_throttling_stops() {
    let limited = RateLimitedServer::start(ADMITTED, 5.0).await;
    let c = builder(&limited.server.url())
        .retry_policy(adaptive_for_tests())
        .build()
        .unwrap();
    assert_eq!(c.retry_stats().send_rate, None, "idle before throttling");
    storm(&c, 60).await;
    let throttled_rate = c.retry_stats().send_rate.expect("limiting started");

    limited
        .open
        .store(true, std::sync::atomic::Ordering::SeqCst);
    let before = limited.server.requests().len();
    let results = storm(&c, 300).await;
    assert!(results.iter().all(Result::is_ok));
    assert_eq!(limited.server.requests().len() - before, 300, "no retries");
    let recovered = c.retry_stats().send_rate.unwrap();
    assert!(
        recovered > throttled_rate && recovered > ADMITTED,
        "rate {throttled_rate:.0}/s while throttled, {recovered:.0}/s after"
    );
}
