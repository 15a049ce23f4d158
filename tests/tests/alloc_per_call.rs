//! Allocations per typed call stay within a bound of what a raw reqwest
//! call plus a `serde_json::Value` parse of the same answer allocates.
//! Counted on the calling thread only (the local server runs on its own
//! thread; other tests run on theirs), over many calls after a warm-up, so
//! the figures are exact and repeatable. `cargo bench -p ecs-simulator
//! --bench per_call` prints the same ratios.

#[path = "../benches/per_call/alloc_count.rs"]
mod alloc_count;
#[allow(dead_code)] // the bench's empty-answer controls
#[path = "../benches/per_call/bodies.rs"]
mod bodies;
#[path = "../benches/per_call/calls.rs"]
mod calls;
#[path = "../benches/per_call/plain.rs"]
mod plain;
#[path = "../benches/per_call/server.rs"]
mod server;

use alloc_count::Allocated;
use calls::{Raw, INSTANCES};
use server::Server;
use std::future::Future;

/// Today's ratios with a little headroom: 182 allocations against 328
/// (0.555x) and 5,777 against 20,935 (0.276x), after keys were borrowed,
/// path tracking left to failures and the body decoded once (issue 11's
/// target is 1.5x). Most of what is left is the decoded answer's own
/// strings and reqwest's per-request allocations (56 for raw alone).
const MAX_RATIO_DESCRIBE_REGIONS: f64 = 0.60;
const MAX_RATIO_DESCRIBE_INSTANCES: f64 = 0.30;

const WARM_UP: usize = 10;
const CALLS: usize = 30;

/// Allocations per call of `call` on this thread, after a warm-up (the
/// connection, lazily built statics, pool and timer slots).
async fn allocations_per_call<F, Fut>(call: F) -> f64
where
    F: Fn() -> Fut,
    Fut: Future<Output = ()>,
{
    for _ in 0..WARM_UP {
        call().await;
    }
    let before = Allocated::on_this_thread();
    for _ in 0..CALLS {
        call().await;
    }
    Allocated::on_this_thread().since(before).allocations as f64 / CALLS as f64
}

/// Serves `body` for `action`, then counts, on this thread (a one-thread
/// runtime), the allocations of `typed` calls (which return the items they
/// decoded, `items` expected) and of a raw call plus a `Value` parse, and
/// checks their ratio against `max_ratio`.
fn assert_typed_call_within<F, Fut>(
    action: &'static str,
    body: String,
    raw: fn(&str) -> Raw,
    typed: F,
    items: usize,
    max_ratio: f64,
) where
    F: Fn(ecs_api::Client) -> Fut,
    Fut: Future<Output = usize>,
{
    let server = Server::start(vec![(action, body)]);
    let client = calls::sdk_client(server.url());
    let raw = raw(server.url());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let (sdk, baseline) = runtime.block_on(async {
        let sdk = allocations_per_call(|| async {
            assert_eq!(typed(client.clone()).await, items, "{action} items");
        })
        .await;
        let baseline = allocations_per_call(|| async {
            let text = raw.text().await;
            let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
            assert!(value.is_object());
        })
        .await;
        (sdk, baseline)
    });
    let ratio = sdk / baseline;
    assert!(
        ratio <= max_ratio,
        "{action}: {sdk:.1} allocations per typed call, {baseline:.1} for raw reqwest \
         + Value: {ratio:.3}x, above the bound {max_ratio:.2}x"
    );
}

#[test]
fn describe_regions_allocates_within_its_bound_of_raw_reqwest_plus_value() {
    assert_typed_call_within(
        "DescribeRegions",
        bodies::describe_regions(),
        Raw::describe_regions,
        |client| async move { calls::describe_regions(&client).await },
        29,
        MAX_RATIO_DESCRIBE_REGIONS,
    );
}

#[test]
fn describe_instances_allocates_within_its_bound_of_raw_reqwest_plus_value() {
    assert_typed_call_within(
        "DescribeInstances",
        bodies::describe_instances(INSTANCES),
        Raw::describe_instances,
        |client| async move { calls::describe_instances(&client).await },
        INSTANCES,
        MAX_RATIO_DESCRIBE_INSTANCES,
    );
}
