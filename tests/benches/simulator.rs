//! `cargo bench -p ecs-simulator --bench simulator`: the simulator's calls/s
//! at 1 and 64 concurrent clients, as a ratio against a bare hyper server
//! answering the same operation's body as a fixed string. The same typed
//! client drives both, so the ratio is the simulator's own cost: signature
//! check, validation against the metadata, the answer. Rounds alternate
//! between the two servers; the ratio is given as a range over the rounds.

use bytes::Bytes;
use ecs_api::describe_instances::DescribeInstancesRequest;
use ecs_api::describe_regions::DescribeRegionsRequest;
use ecs_simulator::Simulator;
use http_body_util::Full;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant};

const ROUNDS: usize = 5;
const ROUND: Duration = Duration::from_millis(1000);
const CONCURRENCY: [usize; 2] = [1, 64];

type Call = fn(ecs_api::Client) -> Pin<Box<dyn Future<Output = ()> + Send>>;

fn describe_regions(client: ecs_api::Client) -> Pin<Box<dyn Future<Output = ()> + Send>> {
    Box::pin(async move {
        client
            .describe_regions(DescribeRegionsRequest::new())
            .await
            .expect("DescribeRegions");
    })
}

fn describe_instances(client: ecs_api::Client) -> Pin<Box<dyn Future<Output = ()> + Send>> {
    Box::pin(async move {
        client
            .describe_instances(DescribeInstancesRequest::new())
            .await
            .expect("DescribeInstances");
    })
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(bench());
}

async fn bench() {
    let sim = Simulator::configure()
        .record_requests(false)
        .start()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    println!(
        "simulator calls/s against a bare hyper server answering a fixed body\n\
         (same client, {ROUNDS} interleaved rounds of {} ms each)\n",
        ROUND.as_millis()
    );
    println!(
        "{:<20} {:>7} {:>12} {:>12} {:>7} {:>13}",
        "operation", "clients", "simulator/s", "baseline/s", "ratio", "ratio range"
    );
    let cases: [(&str, Call); 2] = [
        ("DescribeRegions", describe_regions),
        ("DescribeInstances", describe_instances),
    ];
    for (action, call) in cases {
        let body = sim.catalog().example_body(action).expect("an example");
        let baseline = fixed_body_server(body.to_string()).await;
        for clients in CONCURRENCY {
            let (mut ours, mut base, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
            // One unmeasured round each to open connections and warm caches.
            rate(&sim.url(), &sim, clients, call, ROUND / 4).await;
            rate(&baseline, &sim, clients, call, ROUND / 4).await;
            for _ in 0..ROUNDS {
                let b = rate(&baseline, &sim, clients, call, ROUND).await;
                let s = rate(&sim.url(), &sim, clients, call, ROUND).await;
                base.push(b);
                ours.push(s);
                ratios.push(s / b);
            }
            let (lo, hi) = (min(&ratios), max(&ratios));
            println!(
                "{action:<20} {clients:>7} {:>12.0} {:>12.0} {:>6.2}x {:>6.2}-{:.2}x",
                median(&ours),
                median(&base),
                median(&ratios),
                lo,
                hi
            );
        }
    }
}

/// Calls/s of `clients` tasks calling `url` back to back for `time`.
async fn rate(url: &str, sim: &Simulator, clients: usize, call: Call, time: Duration) -> f64 {
    let client: ecs_api::Client = sim
        .builder()
        .endpoint(url)
        .retry_policy(ecs_core::RetryPolicy::disabled())
        .build()
        .unwrap()
        .into();
    let start = Instant::now();
    let deadline = start + time;
    let tasks: Vec<_> = (0..clients)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                let mut n = 0u64;
                while Instant::now() < deadline {
                    call(client.clone()).await;
                    n += 1;
                }
                n
            })
        })
        .collect();
    let mut total = 0;
    for task in tasks {
        total += task.await.unwrap();
    }
    total as f64 / start.elapsed().as_secs_f64()
}

/// A hyper server on 127.0.0.1 answering every request with `body`.
async fn fixed_body_server(body: String) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let body = Bytes::from(body);
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let _ = stream.set_nodelay(true);
            let body = body.clone();
            tokio::spawn(async move {
                let service = service_fn(move |_request| {
                    let body = body.clone();
                    async move {
                        let mut response = hyper::Response::new(Full::new(body));
                        response.headers_mut().insert(
                            hyper::header::CONTENT_TYPE,
                            hyper::header::HeaderValue::from_static(
                                "application/json;charset=utf-8",
                            ),
                        );
                        Ok::<_, Infallible>(response)
                    }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    url
}

fn median(v: &[f64]) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn min(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::INFINITY, f64::min)
}

fn max(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::NEG_INFINITY, f64::max)
}
