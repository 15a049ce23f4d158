//! `cargo bench -p ecs-simulator --bench paginator`: what a paginator adds
//! per page, against the same pages fetched by a hand-written `NextToken`
//! loop of plain calls, both against one local server in the same run,
//! interleaved (alternating which goes first), over several runs. Twice:
//! through `ecs_core::Client::paginate` with hand-written types, and
//! through the generated `client.describe_instances_paginator` (its
//! `Paginated` impl, the generated response types) against
//! `client.describe_instances` in a loop.
//!
//! Prints, per case, the median time per page of each and the ratio
//! paginator / plain calls as the median and range over the runs. Each
//! page is a real signed HTTP call, so the ratio shows how much of a
//! page's cost is the paginator's own bookkeeping.

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "../tests/fleet/mod.rs"]
mod fleet;

use ecs_api::describe_instances::{DescribeInstancesRequest, Instance};
use ecs_core::Client;
use ecs_fault_server::{RecordedRequest, TestServer};
use fleet::{things, token_page, DescribeThings, Thing, ThingsPage};
use serde_json::{json, Value};
use std::hint::black_box;
use std::time::{Duration, Instant};

const RUNS: usize = 15;
const REPEATS: usize = 5;
/// Pages in one timed sample (whole listings, repeated).
const PAGES_PER_SAMPLE: usize = 200;
const ITEMS: usize = 1000;

fn main() {
    // One thread for client and server: no cross-thread wake-ups in the
    // figures, the same for both sides.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(bench());
}

async fn bench() {
    let server = TestServer::start().await;
    let items = things(ITEMS);
    server.set_handler(move |req| fleet::ok(token_page(&items, req, 100)));
    let client = common::client(&server.url());
    let ecs = TestServer::start().await;
    let items = things(ITEMS);
    ecs.set_handler(move |req| fleet::ok(instances_page(&items, req)));
    let api: ecs_api::Client = common::client(&ecs.url()).into();

    println!(
        "{:<42} {:>11} {:>11} {:>24}",
        "case", "paginator", "plain call", "ratio: median (range)"
    );
    for page_size in [10, 100] {
        let pages = ITEMS / page_size as usize;
        compare(
            &format!("pages() of {page_size} items, per page"),
            pages,
            || async { black_box(pages_by_paginator(&client, page_size).await) },
            || async { black_box(pages_by_hand(&client, page_size).await) },
        )
        .await;
        compare(
            &format!("collect_items() of {page_size} a page, per page"),
            pages,
            || async { black_box(items_by_paginator(&client, page_size).await) },
            || async { black_box(items_by_hand(&client, page_size).await) },
        )
        .await;
    }
    for page_size in [10, 100] {
        let pages = ITEMS / page_size as usize;
        compare(
            &format!("generated pages() of {page_size}, per page"),
            pages,
            || async { black_box(generated_pages(&api, page_size).await) },
            || async { black_box(generated_by_hand(&api, page_size, |_| ()).await) },
        )
        .await;
        compare(
            &format!("generated collect_items() of {page_size}, per page"),
            pages,
            || async { black_box(generated_items(&api, page_size).await) },
            || async {
                let mut items: Vec<Instance> = Vec::new();
                generated_by_hand(&api, page_size, |page| items.extend(page)).await;
                black_box(items.len())
            },
        )
        .await;
    }
}

/// `DescribeInstances` as ECS pages it: `{"Instances": {"Instance": [..]},
/// "NextToken": ..}`, the token paging of [`token_page`].
fn instances_page(items: &[Value], req: &RecordedRequest) -> Value {
    let mut page = token_page(items, req, 100);
    let listed = page["Things"]["Thing"].take();
    if let Some(fields) = page.as_object_mut() {
        fields.remove("Things");
    }
    page["Instances"] = json!({ "Instance": listed });
    page
}

async fn generated_pages(client: &ecs_api::Client, page_size: u32) -> usize {
    let mut pages = client
        .describe_instances_paginator(DescribeInstancesRequest::new())
        .page_size(page_size)
        .pages();
    let mut n = 0;
    while let Some(page) = pages.next().await {
        n += black_box(page.expect("page").instances.len());
    }
    n
}

async fn generated_items(client: &ecs_api::Client, page_size: u32) -> usize {
    client
        .describe_instances_paginator(DescribeInstancesRequest::new())
        .page_size(page_size)
        .collect_items()
        .await
        .expect("items")
        .len()
}

/// The loop users wrote before generated paginators, through the
/// generated method; `on_page` gets each page's instances.
async fn generated_by_hand(
    client: &ecs_api::Client,
    page_size: u32,
    mut on_page: impl FnMut(Vec<Instance>),
) -> usize {
    let mut next_token = None;
    let mut n = 0;
    loop {
        let request = DescribeInstancesRequest {
            max_results: Some(page_size as i32),
            next_token: next_token.take(),
            ..DescribeInstancesRequest::new()
        };
        let page = client.describe_instances(request).await.expect("page");
        n += black_box(page.instances.len());
        on_page(page.instances);
        match page.next_token.filter(|t| !t.is_empty()) {
            Some(t) => next_token = Some(t),
            None => return n,
        }
    }
}

/// Times both sides alternately over listings of `pages` pages (repeated
/// to `PAGES_PER_SAMPLE` pages a sample): `RUNS` runs after a warm-up,
/// each taking the best of `REPEATS` interleaved samples of each side
/// (other processes on the machine only ever add time).
/// Prints the per-page medians and the ratio.
async fn compare<A, B, FA, FB>(name: &str, pages: usize, ours: A, plain: B)
where
    A: Fn() -> FA,
    B: Fn() -> FB,
    FA: std::future::Future<Output = usize>,
    FB: std::future::Future<Output = usize>,
{
    assert_eq!(
        ours().await,
        plain().await,
        "{name}: both sides see the same"
    );
    let listings = PAGES_PER_SAMPLE.div_ceil(pages);
    let pages = (pages * listings) as u32;
    let (mut a, mut b, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for run in 0..RUNS {
        let (mut ta, mut tb) = (Duration::MAX, Duration::MAX);
        for repeat in 0..REPEATS {
            if (run + repeat) % 2 == 0 {
                ta = ta.min(time(&ours, listings).await);
                tb = tb.min(time(&plain, listings).await);
            } else {
                tb = tb.min(time(&plain, listings).await);
                ta = ta.min(time(&ours, listings).await);
            }
        }
        ratios.push(ta.as_secs_f64() / tb.as_secs_f64());
        a.push(ta / pages);
        b.push(tb / pages);
    }
    ratios.sort_by(f64::total_cmp);
    println!(
        "{name:<42} {:>9.1}µs {:>9.1}µs {:>9.3}x ({:.3}–{:.3})",
        median(a).as_secs_f64() * 1e6,
        median(b).as_secs_f64() * 1e6,
        ratios[ratios.len() / 2],
        ratios[0],
        ratios[ratios.len() - 1],
    );
}

/// The time of `listings` listings, one after the other.
async fn time<F, Fut>(f: &F, listings: usize) -> Duration
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = usize>,
{
    let start = Instant::now();
    for _ in 0..listings {
        black_box(f().await);
    }
    start.elapsed()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

async fn pages_by_paginator(client: &Client, page_size: u32) -> usize {
    let mut pages = client
        .paginate(DescribeThings::default())
        .page_size(page_size)
        .pages();
    let mut n = 0;
    while let Some(page) = pages.next().await {
        n += black_box(page.expect("page").things.thing.len());
    }
    n
}

/// The loop users wrote before paginators: `MaxResults`, then each
/// answer's `NextToken` until there is none; `on_page` gets each answer.
async fn by_hand(client: &Client, page_size: u32, mut on_page: impl FnMut(ThingsPage)) {
    let mut next_token = None;
    loop {
        let request = DescribeThings {
            max_results: Some(page_size as i32),
            next_token: next_token.take(),
            ..DescribeThings::default()
        };
        let mut page = client.call(&request).await.expect("page");
        let token = page.next_token.take().filter(|t| !t.is_empty());
        on_page(page);
        match token {
            Some(t) => next_token = Some(t),
            None => return,
        }
    }
}

async fn pages_by_hand(client: &Client, page_size: u32) -> usize {
    let mut n = 0;
    by_hand(client, page_size, |page| {
        n += black_box(page.things.thing.len())
    })
    .await;
    n
}

async fn items_by_paginator(client: &Client, page_size: u32) -> usize {
    let items: Vec<Thing> = client
        .paginate(DescribeThings::default())
        .page_size(page_size)
        .collect_items()
        .await
        .expect("items");
    items.len()
}

async fn items_by_hand(client: &Client, page_size: u32) -> usize {
    let mut items: Vec<Thing> = Vec::new();
    by_hand(client, page_size, |page| items.extend(page.things.thing)).await;
    items.len()
}
