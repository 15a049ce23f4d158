//! Waiters over real HTTP: success after state transitions, timeouts that
//! name what is pending, failure states, deletions, batching, errors, the
//! deadline, and the Cloud Assistant shape (ids within one invocation).

mod common;
mod fleet;

use common::*;
use ecs_core::waiter::{Absent, IdState, LastSeen, Wait, WaitError, WaiterSpec};
use ecs_fault_server::{Response, TestServer};
use fleet::*;
use serde_json::json;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const MS: Duration = Duration::from_millis(1);

/// Running, with `Stopped` a failure; tiny delays so tests stay quick.
const RUNNING: WaiterSpec<DescribeThings> = WaiterSpec {
    name: "things_running",
    state_path: "Things.Thing[].Status",
    state: |thing| thing.status.as_deref(),
    success: &["Running"],
    failure: &["Stopped"],
    absent: Absent::Pending,
    timeout: Duration::from_secs(20),
    min_delay: Duration::from_millis(5),
    max_delay: Duration::from_millis(20),
};

/// Deleted: done once an id is no longer listed.
const DELETED: WaiterSpec<DescribeThings> = WaiterSpec {
    name: "things_deleted",
    success: &[],
    failure: &[],
    absent: Absent::Success,
    ..RUNNING
};

const STATUS_RUNNING: WaiterSpec<DescribeThingStatus> = WaiterSpec {
    name: "thing_status_running",
    state_path: "Things.Thing[].Status",
    state: |thing| thing.status.as_deref(),
    success: &["Running"],
    failure: &[],
    absent: Absent::Pending,
    timeout: Duration::from_secs(20),
    min_delay: Duration::from_millis(5),
    max_delay: Duration::from_millis(20),
};

const RUN_FINISHED: WaiterSpec<DescribeRunResults> = WaiterSpec {
    name: "run_finished",
    state_path: "Invocation.InvocationResults.InvocationResult[].InvocationStatus",
    state: |result| result.invocation_status.as_deref(),
    success: &["Success", "Failed"],
    failure: &[],
    absent: Absent::Pending,
    timeout: Duration::from_secs(20),
    min_delay: Duration::from_millis(5),
    max_delay: Duration::from_millis(20),
};

const PENDING: Option<&str> = Some("Pending");
const STARTING: Option<&str> = Some("Starting");
const RUNNING_: Option<&str> = Some("Running");
const GONE: Option<&str> = None;

/// A server answering describe calls from `fleet`.
async fn fleet_server(fleet: &Fleet) -> TestServer {
    let server = TestServer::start().await;
    let fleet = fleet.clone();
    server.set_handler(move |req| fleet.answer(req));
    server
}

/// A wait with [`RUNNING`] for `ids`.
fn wait_running(
    server: &TestServer,
    ids: impl IntoIterator<Item = impl Into<String>>,
) -> Wait<DescribeThings> {
    client(&server.url()).wait(RUNNING, DescribeThings::default(), ids)
}

fn requested(server: &TestServer) -> Vec<Vec<String>> {
    server.requests().iter().map(requested_ids).collect()
}

fn id_list(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("i-{i:03}")).collect()
}

fn item_ids(items: &[Thing]) -> Vec<String> {
    items.iter().map(|t| t.id.clone().unwrap()).collect()
}

#[tokio::test]
async fn waits_through_pending_and_starting_until_running() {
    let fleet = Fleet::new();
    fleet
        .script("i-1", &[PENDING, STARTING, RUNNING_])
        .script("i-2", &[PENDING, RUNNING_]);
    let server = fleet_server(&fleet).await;
    let items = wait_running(&server, ["i-1", "i-2"]).await.unwrap();
    assert_eq!(item_ids(&items), ["i-1", "i-2"]);
    assert!(items.iter().all(|t| t.status.as_deref() == Some("Running")));
    // Done ids are not asked for again.
    assert_eq!(
        requested(&server),
        [vec!["i-1", "i-2"], vec!["i-1", "i-2"], vec!["i-1"]]
    );
}

#[tokio::test]
async fn a_timeout_names_the_pending_ids_with_their_last_states() {
    let fleet = Fleet::new();
    fleet
        .script("i-1", &[PENDING, RUNNING_])
        .script("i-2", &[PENDING]);
    let server = fleet_server(&fleet).await;
    let err = wait_running(&server, ["i-1", "i-2", "i-3"])
        .timeout(1000 * MS)
        .await
        .unwrap_err();
    let WaitError::TimedOut {
        waiter, after, ids, ..
    } = &err
    else {
        panic!("expected a timeout, got {err:?}");
    };
    assert_eq!((*waiter, *after), ("things_running", 1000 * MS));
    let state = |id: &str, last_seen: LastSeen, done: bool| IdState {
        id: id.into(),
        last_seen,
        done,
    };
    assert_eq!(
        *ids,
        [
            state("i-1", LastSeen::State("Running".into()), true),
            state("i-2", LastSeen::State("Pending".into()), false),
            state("i-3", LastSeen::NotListed, false),
        ]
    );
    let pending: Vec<&str> = err.pending().map(|s| s.id.as_str()).collect();
    assert_eq!(pending, ["i-2", "i-3"]);
    let text = err.to_string();
    assert!(
        text.contains("2 of 3 not done: i-2 (Pending) i-3 (not listed)"),
        "{text}"
    );
}

#[tokio::test]
async fn a_failure_state_ends_the_wait_at_once() {
    let fleet = Fleet::new();
    fleet
        .script("i-1", &[PENDING, Some("Stopped")])
        .script("i-2", &[PENDING]);
    let server = fleet_server(&fleet).await;
    let started = Instant::now();
    let err = wait_running(&server, ["i-1", "i-2"]).await.unwrap_err();
    assert!(
        matches!(&err, WaitError::Failed { waiter: "things_running", id, state } if id == "i-1" && state == "Stopped"),
        "{err:?}"
    );
    assert_eq!(server.requests().len(), 2);
    // The 20 s timeout was not waited out.
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(err
        .to_string()
        .contains("i-1 reached failure state `Stopped`"));
}

#[tokio::test]
async fn ids_no_longer_listed_are_done_when_gone_means_success() {
    let fleet = Fleet::new();
    fleet
        .script("i-1", &[Some("Stopping"), GONE])
        .script("i-2", &[GONE]);
    let server = fleet_server(&fleet).await;
    let items = client(&server.url())
        .wait(DELETED, DescribeThings::default(), ["i-1", "i-2"])
        .await
        .unwrap();
    assert!(items.is_empty(), "{items:?}");
    assert_eq!(requested(&server), [vec!["i-1", "i-2"], vec!["i-1"]]);
}

#[tokio::test]
async fn an_id_not_yet_listed_is_waited_for_when_gone_is_not_success() {
    let fleet = Fleet::new();
    fleet.script("i-new", &[GONE, GONE, RUNNING_]);
    let server = fleet_server(&fleet).await;
    let items = wait_running(&server, ["i-new"]).await.unwrap();
    assert_eq!(item_ids(&items), ["i-new"]);
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn ids_over_the_parameter_limit_are_split_into_calls_of_100() {
    let ids = id_list(250);
    let fleet = Fleet::new();
    fleet.script_all(&ids, &[RUNNING_]);
    let server = fleet_server(&fleet).await;
    let items = wait_running(&server, ids.clone()).await.unwrap();
    assert_eq!(item_ids(&items), ids);
    let calls = requested(&server);
    let sizes: Vec<usize> = calls.iter().map(Vec::len).collect();
    assert_eq!(sizes, [100, 100, 50]);
    assert_eq!(calls.concat(), ids);
    // Each call asks for a page as large as the operation allows.
    for r in server.requests() {
        assert_eq!(r.param("MaxResults").as_deref(), Some("100"));
    }
}

#[tokio::test]
async fn every_poll_of_a_large_wait_makes_one_call_per_batch() {
    let ids = id_list(250);
    let fleet = Fleet::new();
    fleet.script_all(&ids, &[PENDING, RUNNING_]);
    let server = fleet_server(&fleet).await;
    wait_running(&server, ids).await.unwrap();
    // Two polls, three calls each.
    assert_eq!(server.requests().len(), 6);
}

#[tokio::test]
async fn repeat_list_ids_are_batched_by_their_own_limit() {
    let ids = id_list(90);
    let fleet = Fleet::new();
    fleet.script_all(&ids, &[RUNNING_]);
    let server = fleet_server(&fleet).await;
    let items = client(&server.url())
        .wait(STATUS_RUNNING, DescribeThingStatus::default(), ids.clone())
        .await
        .unwrap();
    assert_eq!(item_ids(&items), ids);
    let requests = server.requests();
    let sizes: Vec<usize> = requests.iter().map(|r| requested_ids(r).len()).collect();
    assert_eq!(sizes, [40, 40, 10]);
    assert_eq!(requests[2].param("InstanceId.1").as_deref(), Some("i-080"));
    assert_eq!(requests[2].param("PageNumber").as_deref(), Some("1"));
}

#[tokio::test]
async fn a_service_error_ends_the_wait_with_that_error() {
    let server = TestServer::start().await;
    server.set_default(Response::service_error(
        403,
        "Forbidden.RAM",
        "User not authorized to operate on the specified resource.",
    ));
    let err = wait_running(&server, ["i-1"]).await.unwrap_err();
    let source = err.call_error().expect("a call error");
    assert_eq!(source.code(), Some("Forbidden.RAM"));
    let shown = err.to_string();
    assert!(
        shown.starts_with("things_running: DescribeThings to "),
        "{shown}"
    );
    assert!(shown.contains(": Forbidden.RAM: "), "{shown}");
    assert!(std::error::Error::source(&err).is_some());
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_throttled_poll_is_retried_by_the_client() {
    let fleet = Fleet::new();
    fleet.script("i-1", &[RUNNING_]);
    let server = fleet_server(&fleet).await;
    server.push(Response::throttling_user());
    let items = wait_running(&server, ["i-1"]).await.unwrap();
    assert_eq!(item_ids(&items), ["i-1"]);
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn no_pause_runs_past_the_deadline() {
    let fleet = Fleet::new();
    fleet.script("i-1", &[PENDING]);
    let server = fleet_server(&fleet).await;
    let started = Instant::now();
    let err = wait_running(&server, ["i-1"])
        .min_delay(Duration::from_secs(30))
        .max_delay(Duration::from_secs(30))
        .timeout(400 * MS)
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    assert!(matches!(err, WaitError::TimedOut { .. }), "{err:?}");
    // The 30 s pause was cut to the deadline.
    assert!(elapsed >= 200 * MS, "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(10), "{elapsed:?}");
}

#[tokio::test]
async fn a_poll_still_running_at_the_deadline_is_abandoned() {
    let server = TestServer::start().await;
    server.set_default(
        Response::ok("slow", json!({"Things": {"Thing": []}})).with_delay(Duration::from_secs(30)),
    );
    let started = Instant::now();
    let err = wait_running(&server, ["i-1"])
        .timeout(300 * MS)
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(10));
    let WaitError::TimedOut { polls, ids, .. } = err else {
        panic!("expected a timeout, got {err:?}");
    };
    assert_eq!(polls, 0);
    assert_eq!(ids[0].last_seen, LastSeen::NotListed);
}

#[tokio::test]
async fn duplicate_ids_are_waited_for_once() {
    let fleet = Fleet::new();
    fleet.script("i-1", &[RUNNING_]).script("i-2", &[RUNNING_]);
    let server = fleet_server(&fleet).await;
    let items = wait_running(&server, ["i-1", "i-2", "i-1"]).await.unwrap();
    assert_eq!(item_ids(&items), ["i-1", "i-2"]);
    assert_eq!(requested(&server), [vec!["i-1", "i-2"]]);
}

#[tokio::test]
async fn no_ids_is_done_without_a_call() {
    let server = TestServer::start().await;
    let items = wait_running(&server, Vec::<String>::new()).await.unwrap();
    assert!(items.is_empty());
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn a_zero_min_delay_is_refused_before_any_call() {
    let server = TestServer::start().await;
    let err = wait_running(&server, ["i-1"])
        .min_delay(Duration::ZERO)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, WaitError::InvalidOptions { message, .. } if message.contains("min_delay")),
        "{err:?}"
    );
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn a_max_delay_below_min_delay_is_refused() {
    let server = TestServer::start().await;
    let err = wait_running(&server, ["i-1"])
        .min_delay(50 * MS)
        .max_delay(10 * MS)
        .await
        .unwrap_err();
    assert!(err
        .to_string()
        .contains("max_delay 10ms is below min_delay 50ms"));
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn waits_are_send_and_can_be_spawned() {
    let fleet = Fleet::new();
    fleet
        .script("i-1", &[PENDING, RUNNING_])
        .script("i-2", &[RUNNING_]);
    let server = fleet_server(&fleet).await;
    let client = client(&server.url());
    let handles: Vec<_> = ["i-1", "i-2"]
        .into_iter()
        .map(|id| tokio::spawn(client.wait(RUNNING, DescribeThings::default(), [id]).run()))
        .collect();
    for h in handles {
        assert_eq!(h.await.unwrap().unwrap().len(), 1);
    }
}

/// Serves `DescribeRunResults` for invocation `t-1`: one row of states per
/// poll (the last row repeats), paged two results at a time.
async fn run_results_server(polls: Vec<Vec<(&'static str, &'static str)>>) -> TestServer {
    let server = TestServer::start().await;
    let poll = Arc::new(Mutex::new(0usize));
    server.set_handler(move |req| {
        assert_eq!(req.param("InvokeId").as_deref(), Some("t-1"));
        let mut at = poll.lock().unwrap();
        if req.param("NextToken").is_none() {
            *at += 1;
        }
        let row = &polls[(*at - 1).min(polls.len() - 1)];
        let results: Vec<_> = row
            .iter()
            .map(|(id, s)| json!({"InstanceId": id, "InvocationStatus": s}))
            .collect();
        let page = token_page(&results, req, 2);
        ok(json!({"Invocation": {
            "InvocationResults": {"InvocationResult": page["Things"]["Thing"]},
            "NextToken": page.get("NextToken"),
        }}))
    });
    server
}

fn run_request() -> DescribeRunResults {
    DescribeRunResults {
        invoke_id: "t-1".into(),
    }
}

#[tokio::test]
async fn the_invocation_waiter_reads_every_page_and_picks_its_instances() {
    let server = run_results_server(vec![
        vec![
            ("i-1", "Running"),
            ("i-2", "Running"),
            ("i-3", "Running"),
            ("i-4", "Pending"),
            ("i-5", "Running"),
        ],
        vec![
            ("i-1", "Success"),
            ("i-2", "Running"),
            ("i-3", "Running"),
            ("i-4", "Failed"),
            ("i-5", "Running"),
        ],
        vec![
            ("i-1", "Success"),
            ("i-2", "Success"),
            ("i-3", "Running"),
            ("i-4", "Failed"),
            ("i-5", "Running"),
        ],
    ])
    .await;
    let results = client(&server.url())
        .wait(RUN_FINISHED, run_request(), ["i-1", "i-2", "i-4"])
        .await
        .unwrap();
    let got: Vec<(String, String)> = results
        .into_iter()
        .map(|r| (r.instance_id.unwrap(), r.invocation_status.unwrap()))
        .collect();
    let want = [("i-1", "Success"), ("i-2", "Success"), ("i-4", "Failed")];
    assert_eq!(got, want.map(|(a, b)| (a.to_string(), b.to_string())));
    let requests = server.requests();
    // Three polls, three pages each; ids are never sent.
    assert_eq!(requests.len(), 9);
    assert!(requests.iter().all(|r| requested_ids(r).is_empty()));
    assert!(requests
        .iter()
        .all(|r| r.param("MaxResults").as_deref() == Some("50")));
}

#[tokio::test]
async fn with_no_ids_the_invocation_waiter_waits_for_every_listed_instance() {
    let server = run_results_server(vec![
        vec![],
        vec![("i-1", "Running"), ("i-2", "Pending")],
        vec![("i-1", "Success"), ("i-2", "Running")],
        vec![("i-1", "Success"), ("i-2", "Success")],
    ])
    .await;
    let results = client(&server.url())
        .wait(RUN_FINISHED, run_request(), Vec::<String>::new())
        .await
        .unwrap();
    let ids: Vec<_> = results
        .iter()
        .map(|r| r.instance_id.clone().unwrap())
        .collect();
    assert_eq!(ids, ["i-1", "i-2"]);
    assert_eq!(server.requests().len(), 4);
}
