//! `cargo bench -p ecs-simulator --bench per_call [-- --runs N]`: what one
//! typed SDK call costs next to the same call written with reqwest alone,
//! against one local server, in the same run; then issue 11's targets,
//! PASS or FAIL. `-- --profile CASE SIDE CALLS` runs one side alone for a
//! profiler (see [`profile`]).
//!
//! Cases: `DescribeRegions` (29 regions) and `DescribeInstances` (a page of
//! 100 different instances), both through the public SDK
//! (`ecs_api::Client::describe_regions` / `describe_instances`). Sides:
//!
//! - `SDK`: the typed call;
//! - `raw`: a reqwest POST of a comparable, pre-signed query, body as text;
//! - `raw+Value`: the same plus `serde_json::from_str::<Value>`;
//! - `raw+derive`: the same plus a plain `#[derive(Deserialize)]` of the
//!   response's shape (`per_call/plain.rs`).
//!
//! Method. The server (hyper, HTTP/1.1, keep-alive) runs on its own thread
//! and runtime; the calls run on the bench's main thread, a one-thread
//! tokio runtime, `c` of them in flight (c = 1 and 64). Per sample of
//! `calls` calls: wall time (calls/s), the calling thread's CPU time
//! (`CLOCK_THREAD_CPUTIME_ID`, user + system: signing, reqwest/hyper,
//! syscalls, timers, decoding; none of the server's) and the calling
//! thread's allocations (a counting global allocator, per thread). Each
//! run samples every side three times, round-robin in an order rotated
//! from run to run, and keeps each side's best figures (other processes
//! on the machine only ever add time); ratios are taken within a run and
//! reported as the median and the range over the runs.
//!
//! Decode time inside a call has no public seam, so it is measured where
//! it happens: the CPU of a typed call whose answer has nothing to decode
//! (same envelope, no regions or instances) is subtracted from that of
//! the full answer, less the same difference for raw (what reading the
//! longer body costs). `Value` and `derive` in a call are `raw+Value` and
//! `raw+derive` less `raw`. The same decoders alone, in a loop over the
//! body, are printed for reference (the generated type as the call path
//! decodes it, its bytes checked for UTF-8 once and read as text, without
//! the call's other work).
//!
//! Request building alone, last: a `RunInstances` request with tags and
//! data disks flattened into query parameters (`ecs_core::query`, what
//! every call does before signing) against `serde_json::to_string` of the
//! same request, interleaved the same way.
//!
//! `tests/tests/alloc_per_call.rs` uses the same server, bodies and calls
//! to keep allocations per call under a bound.

#[path = "per_call/alloc_count.rs"]
mod alloc_count;
#[path = "per_call/bodies.rs"]
mod bodies;
#[path = "per_call/calls.rs"]
mod calls;
#[path = "per_call/plain.rs"]
mod plain;
#[path = "per_call/requests.rs"]
mod requests;
#[path = "per_call/server.rs"]
mod server;

use alloc_count::Allocated;
use calls::{Raw, INSTANCES};
use serde::de::DeserializeOwned;
use server::Server;
use std::cell::Cell;
use std::hint::black_box;
use std::time::{Duration, Instant};

const DEFAULT_RUNS: usize = 7;
/// Wall time a sample of `raw+Value` aims at; the others take as many calls.
const SAMPLE: Duration = Duration::from_millis(100);
const DECODE_SAMPLE: Duration = Duration::from_millis(50);
/// Samples of each side per run; the run keeps the best.
const REPEATS: usize = 3;
const CONCURRENCY: [usize; 2] = [1, 64];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    if let Some(i) = args.iter().position(|a| a == "--profile") {
        let usage =
            "--profile <DescribeRegions|DescribeInstances> <sdk|raw|raw+Value|raw+derive> <calls>";
        let arg = |k: usize| args.get(i + k).map(String::as_str).expect(usage);
        let side = match arg(2) {
            "sdk" => Side::Sdk,
            "raw" => Side::Raw,
            "raw+Value" => Side::RawValue,
            "raw+derive" => Side::RawDerive,
            _ => panic!("{usage}"),
        };
        let calls = arg(3).parse().expect(usage);
        match arg(1) {
            Regions::ACTION => profile::<Regions>(&runtime, side, calls),
            Instances::ACTION => profile::<Instances>(&runtime, side, calls),
            _ => panic!("{usage}"),
        }
        return;
    }
    let runs = args
        .iter()
        .position(|a| a == "--runs")
        .map(|i| {
            args.get(i + 1)
                .and_then(|n| n.parse().ok())
                .expect("--runs N")
        })
        .unwrap_or(DEFAULT_RUNS);
    println!(
        "per_call: {runs} runs, each the best of {REPEATS} interleaved samples per side; \
         figures are medians, ratios median (min–max) over the runs"
    );
    println!(
        "client: one thread (tokio current_thread); server: hyper on its own thread; \
         CPU and allocations: the calling thread's\n"
    );
    let mut verdicts = Vec::new();
    runtime.block_on(async {
        verdicts.extend(measure::<Regions>(runs).await);
        verdicts.extend(measure::<Instances>(runs).await);
    });
    measure_encoding(runs);
    println!("targets (issue 11 item 2), judged on the median:");
    for v in verdicts {
        println!("  {v}");
    }
}

/// `--profile CASE SIDE CALLS`: a warm-up, then `calls` calls of one side
/// at c=1 inside [`profile_window`], for a profiler to look at alone, e.g.
/// `valgrind --tool=callgrind --separate-threads=yes --collect-atstart=no
/// --toggle-collect='*profile_window*' <bench binary> --profile
/// DescribeRegions sdk 2000` (instructions of the calling thread in the
/// window), or `valgrind --tool=dhat --num-callers=120` and the stacks
/// that pass through `profile_window` (allocation sites).
fn profile<C: Case>(runtime: &tokio::runtime::Runtime, side: Side, calls: usize) {
    let callers = Callers::new::<C>();
    runtime.block_on(sample::<C>(&callers, side, 50, 1));
    let per_call = profile_window::<C>(runtime, &callers, side, calls);
    println!(
        "{} {side:?}: {calls} calls, {:.1} µs CPU and {:.1} allocations per call",
        C::ACTION,
        per_call.cpu_us,
        per_call.allocations
    );
}

#[inline(never)]
fn profile_window<C: Case>(
    runtime: &tokio::runtime::Runtime,
    callers: &Callers,
    side: Side,
    calls: usize,
) -> PerCall {
    runtime.block_on(sample::<C>(callers, side, calls, 1))
}

/// One case: an operation, its answer, and how each side calls it.
trait Case {
    const ACTION: &'static str;
    type Plain: DeserializeOwned;
    type Typed: DeserializeOwned;
    fn title() -> String;
    fn body() -> String;
    /// The same envelope with no item.
    fn empty_body() -> String;
    /// The typed call; how many items it decoded.
    async fn sdk(client: &ecs_api::Client) -> usize;
    fn raw(endpoint: &str) -> Raw;
    fn plain_items(answer: &Self::Plain) -> usize;
}

struct Regions;

impl Case for Regions {
    const ACTION: &'static str = "DescribeRegions";
    type Plain = plain::DescribeRegionsResponse;
    type Typed = ecs_api::describe_regions::DescribeRegionsResponse;

    fn title() -> String {
        "DescribeRegions, 29 regions".into()
    }

    fn body() -> String {
        bodies::describe_regions()
    }

    fn empty_body() -> String {
        bodies::describe_regions_empty()
    }

    async fn sdk(client: &ecs_api::Client) -> usize {
        calls::describe_regions(client).await
    }

    fn raw(endpoint: &str) -> Raw {
        Raw::describe_regions(endpoint)
    }

    fn plain_items(answer: &Self::Plain) -> usize {
        answer.regions.items.len()
    }
}

struct Instances;

impl Case for Instances {
    const ACTION: &'static str = "DescribeInstances";
    type Plain = plain::DescribeInstancesResponse;
    type Typed = ecs_api::describe_instances::DescribeInstancesResponse;

    fn title() -> String {
        format!("DescribeInstances, {INSTANCES} instances")
    }

    fn body() -> String {
        bodies::describe_instances(INSTANCES)
    }

    fn empty_body() -> String {
        bodies::describe_instances_empty(INSTANCES)
    }

    async fn sdk(client: &ecs_api::Client) -> usize {
        calls::describe_instances(client).await
    }

    fn raw(endpoint: &str) -> Raw {
        Raw::describe_instances(endpoint)
    }

    fn plain_items(answer: &Self::Plain) -> usize {
        answer.instances.items.len()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Sdk,
    Raw,
    RawValue,
    RawDerive,
    /// Controls for the decode figures: the answer without items.
    SdkEmpty,
    RawEmpty,
}

const SIDES_C1: [Side; 6] = [
    Side::Sdk,
    Side::Raw,
    Side::RawValue,
    Side::RawDerive,
    Side::SdkEmpty,
    Side::RawEmpty,
];
const SIDES_CN: [Side; 4] = [Side::Sdk, Side::Raw, Side::RawValue, Side::RawDerive];

/// Both servers and every side's client for one case.
struct Callers {
    _servers: [Server; 2],
    sdk: ecs_api::Client,
    sdk_empty: ecs_api::Client,
    raw: Raw,
    raw_empty: Raw,
}

impl Callers {
    fn new<C: Case>() -> Callers {
        let full = Server::start(vec![(C::ACTION, C::body())]);
        let empty = Server::start(vec![(C::ACTION, C::empty_body())]);
        Callers {
            sdk: calls::sdk_client(full.url()),
            sdk_empty: calls::sdk_client(empty.url()),
            raw: C::raw(full.url()),
            raw_empty: C::raw(empty.url()),
            _servers: [full, empty],
        }
    }

    /// One call; the number of items decoded (the text's length for raw).
    async fn call<C: Case>(&self, side: Side) -> usize {
        match side {
            Side::Sdk => C::sdk(&self.sdk).await,
            Side::SdkEmpty => C::sdk(&self.sdk_empty).await,
            Side::Raw => self.raw.text().await.len(),
            Side::RawEmpty => self.raw_empty.text().await.len(),
            Side::RawValue => {
                let text = self.raw.text().await;
                let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
                black_box(&value);
                text.len()
            }
            Side::RawDerive => {
                let text = self.raw.text().await;
                let answer: C::Plain = serde_json::from_str(&text).expect("plain decode");
                C::plain_items(&black_box(answer))
            }
        }
    }
}

/// What one sample cost, per call.
#[derive(Debug, Clone, Copy)]
struct PerCall {
    calls_per_sec: f64,
    cpu_us: f64,
    allocations: f64,
    kib: f64,
}

impl PerCall {
    /// The better of two samples, figure by figure: other processes on the
    /// machine only ever add time (and never allocations).
    fn best(self, other: PerCall) -> PerCall {
        PerCall {
            calls_per_sec: self.calls_per_sec.max(other.calls_per_sec),
            cpu_us: self.cpu_us.min(other.cpu_us),
            allocations: self.allocations.min(other.allocations),
            kib: self.kib.min(other.kib),
        }
    }
}

async fn sample<C: Case>(callers: &Callers, side: Side, calls: usize, c: usize) -> PerCall {
    let started = Cell::new(0);
    let worker = || async {
        while started.get() < calls {
            started.set(started.get() + 1);
            black_box(callers.call::<C>(side).await);
        }
    };
    let (wall, cpu, allocated) = (Instant::now(), thread_cpu(), Allocated::on_this_thread());
    futures_util::future::join_all((0..c).map(|_| worker())).await;
    let (wall, cpu) = (wall.elapsed(), thread_cpu() - cpu);
    let allocated = Allocated::on_this_thread().since(allocated);
    let n = calls as f64;
    PerCall {
        calls_per_sec: n / wall.as_secs_f64(),
        cpu_us: cpu.as_secs_f64() * 1e6 / n,
        allocations: allocated.allocations as f64 / n,
        kib: allocated.bytes as f64 / 1024.0 / n,
    }
}

/// This thread's CPU time, user and system.
fn thread_cpu() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid place for the result.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID)");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// Samples of one side at one concurrency, one per run.
#[derive(Default)]
struct Series(Vec<PerCall>);

impl Series {
    fn median(&self, f: impl Fn(&PerCall) -> f64) -> f64 {
        median(self.0.iter().map(f).collect())
    }
}

/// Per run: `f(run)`; then median and range.
struct Spread {
    median: f64,
    min: f64,
    max: f64,
}

impl Spread {
    fn of(values: Vec<f64>) -> Spread {
        let min = values.iter().copied().fold(f64::INFINITY, f64::min);
        let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        Spread {
            median: median(values),
            min,
            max,
        }
    }

    fn ratio(&self) -> String {
        format!("{:.2}x ({:.2}–{:.2})", self.median, self.min, self.max)
    }

    fn micros(&self) -> String {
        format!("{:.1} ({:.1}–{:.1})", self.median, self.min, self.max)
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// Runs one case, prints its table; returns the target verdicts.
async fn measure<C: Case>(runs: usize) -> Vec<String> {
    let callers = Callers::new::<C>();
    let body_kib = C::body().len() as f64 / 1024.0;
    check_sides_agree::<C>(&callers).await;

    // Calls per sample: what `raw+Value` does in `SAMPLE`, at least two
    // rounds of the `c` callers.
    let mut calls = Vec::new();
    for c in CONCURRENCY {
        sample::<C>(&callers, Side::Sdk, 4 * c, c).await; // warm-up
        let probe = sample::<C>(&callers, Side::RawValue, 4 * c, c).await;
        calls.push(((SAMPLE.as_secs_f64() * probe.calls_per_sec) as usize).max(2 * c.max(10)));
    }

    let mut series: Vec<Vec<(Side, Series)>> = CONCURRENCY
        .iter()
        .map(|&c| {
            let sides: &[Side] = if c == 1 { &SIDES_C1 } else { &SIDES_CN };
            sides.iter().map(|&s| (s, Series::default())).collect()
        })
        .collect();
    let mut decode_alone = [Series::default(), Series::default(), Series::default()];
    for run in 0..runs {
        for (i, &c) in CONCURRENCY.iter().enumerate() {
            let n = series[i].len();
            let mut best: Vec<Option<PerCall>> = vec![None; n];
            for repeat in 0..REPEATS {
                for k in 0..n {
                    let slot = (k + run + repeat) % n;
                    let side = series[i][slot].0;
                    let per_call = sample::<C>(&callers, side, calls[i], c).await;
                    best[slot] = Some(best[slot].map_or(per_call, |b| b.best(per_call)));
                }
            }
            for (slot, b) in best.into_iter().enumerate() {
                series[i][slot].1 .0.push(b.expect("sampled"));
            }
        }
        let mut best: Option<[PerCall; 3]> = None;
        for repeat in 0..REPEATS {
            let decoded = decode_loop::<C>(run + repeat);
            best = Some(match best {
                None => decoded,
                Some(b) => [0, 1, 2].map(|k| b[k].best(decoded[k])),
            });
        }
        for (slot, per_decode) in best.expect("sampled").into_iter().enumerate() {
            decode_alone[slot].0.push(per_decode);
        }
    }

    let get = |c: usize, side: Side| -> &Series {
        let i = CONCURRENCY
            .iter()
            .position(|&x| x == c)
            .expect("concurrency");
        &series[i].iter().find(|(s, _)| *s == side).expect("side").1
    };
    let ratio = |c: usize, a: Side, b: Side, f: fn(&PerCall) -> f64| {
        let (a, b) = (get(c, a), get(c, b));
        Spread::of(a.0.iter().zip(&b.0).map(|(x, y)| f(x) / f(y)).collect())
    };

    println!("{} ({body_kib:.1} KiB answer)", C::title());
    println!(
        "  {:<24} {:>9} {:>9} {:>10} {:>10}   {:<19} {:<19} {:<19}",
        "",
        "SDK",
        "raw",
        "raw+Value",
        "raw+derive",
        "SDK/raw",
        "SDK/(raw+Value)",
        "SDK/(raw+derive)"
    );
    let row = |label: &str, c: usize, f: fn(&PerCall) -> f64, digits: usize| {
        let cell = |side: Side| -> String {
            let i = CONCURRENCY
                .iter()
                .position(|&x| x == c)
                .expect("concurrency");
            match series[i].iter().find(|(s, _)| *s == side) {
                Some((_, s)) => format!("{:.*}", digits, s.median(f)),
                None => "-".into(),
            }
        };
        println!(
            "  {:<24} {:>9} {:>9} {:>10} {:>10}   {:<19} {:<19} {:<19}",
            label,
            cell(Side::Sdk),
            cell(Side::Raw),
            cell(Side::RawValue),
            cell(Side::RawDerive),
            ratio(c, Side::Sdk, Side::Raw, f).ratio(),
            ratio(c, Side::Sdk, Side::RawValue, f).ratio(),
            ratio(c, Side::Sdk, Side::RawDerive, f).ratio(),
        );
    };
    for c in CONCURRENCY {
        row(&format!("calls/s, c={c}"), c, |p| p.calls_per_sec, 0);
    }
    for c in CONCURRENCY {
        row(&format!("CPU µs/call, c={c}"), c, |p| p.cpu_us, 1);
    }
    for c in CONCURRENCY {
        row(&format!("allocations/call, c={c}"), c, |p| p.allocations, 1);
    }
    row("KiB allocated/call, c=1", 1, |p| p.kib, 1);

    // Decode inside a call, per run (see the module docs).
    let cpu = |side: Side| -> Vec<f64> { get(1, side).0.iter().map(|p| p.cpu_us).collect() };
    let (sdk, sdk_empty, raw, raw_empty) = (
        cpu(Side::Sdk),
        cpu(Side::SdkEmpty),
        cpu(Side::Raw),
        cpu(Side::RawEmpty),
    );
    let (value, derive) = (cpu(Side::RawValue), cpu(Side::RawDerive));
    let in_call: Vec<[f64; 3]> = (0..runs)
        .map(|r| {
            let reading = raw[r] - raw_empty[r];
            [
                sdk[r] - sdk_empty[r] - reading,
                value[r] - raw[r],
                derive[r] - raw[r],
            ]
        })
        .collect();
    let column = |k: usize| Spread::of(in_call.iter().map(|d| d[k]).collect());
    let per_value = |k: usize| Spread::of(in_call.iter().map(|d| d[k] / d[1]).collect());
    println!(
        "  decode in a call, µs:    SDK path {}   Value {}   derive {}",
        column(0).micros(),
        column(1).micros(),
        column(2).micros()
    );
    println!(
        "    SDK path/Value {}   derive/Value {}",
        per_value(0).ratio(),
        per_value(2).ratio()
    );
    let alone = |k: usize| Spread::of(decode_alone[k].0.iter().map(|p| p.cpu_us).collect());
    let alone_per_value = |k: usize| {
        Spread::of(
            decode_alone[k]
                .0
                .iter()
                .zip(&decode_alone[1].0)
                .map(|(a, v)| a.cpu_us / v.cpu_us)
                .collect(),
        )
    };
    println!(
        "  decode alone, µs:        generated {}   Value {}   derive {}",
        alone(0).micros(),
        alone(1).micros(),
        alone(2).micros()
    );
    println!(
        "    generated/Value {}   derive/Value {}   allocations: generated {:.0}, Value {:.0}, derive {:.0}\n",
        alone_per_value(0).ratio(),
        alone_per_value(2).ratio(),
        decode_alone[0].median(|p| p.allocations),
        decode_alone[1].median(|p| p.allocations),
        decode_alone[2].median(|p| p.allocations),
    );

    let action = C::ACTION;
    let verdict = |what: String, spread: Spread, pass: bool| {
        format!(
            "{action:<18} {what:<36} {:<19} {}",
            spread.ratio(),
            if pass { "PASS" } else { "FAIL" }
        )
    };
    let mut verdicts = Vec::new();
    for c in CONCURRENCY {
        let s = ratio(c, Side::Sdk, Side::Raw, |p| p.calls_per_sec);
        let pass = s.median >= 0.9;
        verdicts.push(verdict(format!("calls/s c={c} >= 0.90x raw"), s, pass));
    }
    // Raw reads the answer as text and decodes nothing; a plain derive of
    // the same shape shows how close any typed call can come to it.
    for c in CONCURRENCY {
        let s = ratio(c, Side::RawDerive, Side::Raw, |p| p.calls_per_sec);
        verdicts.push(format!(
            "{action:<18} {:<36} {:<19} (any typed decode)",
            format!("  raw+derive calls/s c={c} vs raw"),
            s.ratio()
        ));
        let s = ratio(c, Side::Sdk, Side::RawDerive, |p| p.calls_per_sec);
        let pass = s.median >= 0.9;
        verdicts.push(verdict(
            format!("calls/s c={c} >= 0.90x raw+derive"),
            s,
            pass,
        ));
    }
    for c in CONCURRENCY {
        let s = ratio(c, Side::Sdk, Side::RawValue, |p| p.cpu_us);
        let pass = s.median <= 1.15;
        verdicts.push(verdict(
            format!("CPU/call c={c} <= 1.15x raw+Value"),
            s,
            pass,
        ));
    }
    let s = ratio(1, Side::Sdk, Side::RawValue, |p| p.allocations);
    let pass = s.median <= 1.5;
    verdicts.push(verdict(
        "allocations/call <= 1.50x raw+Value".into(),
        s,
        pass,
    ));
    let s = per_value(0);
    let pass = s.median <= 0.6;
    verdicts.push(verdict("decode in a call <= 0.60x Value".into(), s, pass));
    verdicts
}

/// Before measuring: every side gets the whole answer.
async fn check_sides_agree<C: Case>(callers: &Callers) {
    let typed: C::Typed = serde_json::from_str(&C::body()).expect("generated type decodes");
    black_box(typed);
    let plain: C::Plain = serde_json::from_str(&C::body()).expect("plain type decodes");
    let items = C::plain_items(&plain);
    assert!(items > 0);
    assert_eq!(callers.call::<C>(Side::Sdk).await, items, "SDK items");
    assert_eq!(callers.call::<C>(Side::RawDerive).await, items, "raw items");
    assert_eq!(
        callers.call::<C>(Side::SdkEmpty).await,
        0,
        "SDK, empty answer"
    );
    assert_eq!(
        callers.call::<C>(Side::Raw).await,
        C::body().len(),
        "raw text"
    );
}

/// The decoders alone over the body, interleaved (order rotated by
/// `run`): the generated type from the body's bytes as the call path
/// decodes it, `Value`, plain derive.
fn decode_loop<C: Case>(run: usize) -> [PerCall; 3] {
    let body = C::body();
    let decoders: [&dyn Fn(&str); 3] = [
        &|t| {
            let text = std::str::from_utf8(t.as_bytes()).expect("UTF-8");
            drop(black_box(
                serde_json::from_str::<C::Typed>(text).expect("typed"),
            ))
        },
        &|t| {
            drop(black_box(
                serde_json::from_str::<serde_json::Value>(t).expect("Value"),
            ))
        },
        &|t| {
            drop(black_box(
                serde_json::from_str::<C::Plain>(t).expect("plain"),
            ))
        },
    ];
    let time = |decode: &dyn Fn(&str), n: usize| in_a_loop(&|| decode(black_box(&body)), n);
    let probe = time(decoders[1], 20);
    let n = ((DECODE_SAMPLE.as_secs_f64() * probe.calls_per_sec) as usize).max(20);
    let mut out = [probe; 3];
    for k in 0..3 {
        let slot = (k + run) % 3;
        out[slot] = time(decoders[slot], n);
    }
    out
}

/// `work` run `n` times on this thread: CPU and allocations per run.
fn in_a_loop(work: &dyn Fn(), n: usize) -> PerCall {
    let (cpu, allocated) = (thread_cpu(), Allocated::on_this_thread());
    for _ in 0..n {
        work();
    }
    let cpu = thread_cpu() - cpu;
    let allocated = Allocated::on_this_thread().since(allocated);
    PerCall {
        calls_per_sec: n as f64 / cpu.as_secs_f64(),
        cpu_us: cpu.as_secs_f64() * 1e6 / n as f64,
        allocations: allocated.allocations as f64 / n as f64,
        kib: allocated.bytes as f64 / 1024.0 / n as f64,
    }
}

/// Request building alone: a `RunInstances` request into query parameters
/// against `serde_json::to_string` of it, interleaved, best of
/// [`REPEATS`] per run; prints the figures and their ratio.
fn measure_encoding(runs: usize) {
    let request = requests::run_instances();
    let sides: [&dyn Fn(); 2] = [
        &|| {
            drop(black_box(
                ecs_core::query::to_params(black_box(&request)).expect("params"),
            ))
        },
        &|| {
            drop(black_box(
                serde_json::to_string(black_box(&request)).expect("JSON"),
            ))
        },
    ];
    let probe = in_a_loop(sides[1], 100);
    let n = ((DECODE_SAMPLE.as_secs_f64() * probe.calls_per_sec) as usize).max(100);
    let mut per_run: Vec<[PerCall; 2]> = Vec::new();
    for run in 0..runs {
        let mut best: [Option<PerCall>; 2] = [None; 2];
        for repeat in 0..REPEATS {
            for k in 0..2 {
                let slot = (k + run + repeat) % 2;
                let sample = in_a_loop(sides[slot], n);
                best[slot] = Some(best[slot].map_or(sample, |b| b.best(sample)));
            }
        }
        per_run.push(best.map(|b| b.expect("sampled")));
    }
    let us = |k: usize| Spread::of(per_run.iter().map(|p| p[k].cpu_us).collect());
    let ratio = Spread::of(per_run.iter().map(|p| p[0].cpu_us / p[1].cpu_us).collect());
    println!("Request building, RunInstances with 5 tags and 4 data disks");
    println!(
        "  alone, µs:  query parameters {}   serde_json::to_string {}   parameters/to_string {}",
        us(0).micros(),
        us(1).micros(),
        ratio.ratio()
    );
    println!(
        "  allocations: query parameters {:.0}, to_string {:.0}\n",
        median(per_run.iter().map(|p| p[0].allocations).collect()),
        median(per_run.iter().map(|p| p[1].allocations).collect()),
    );
}
