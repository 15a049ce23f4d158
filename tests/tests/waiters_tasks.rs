//! The generated `DescribeTasks` waiter through the typed client over HTTP.
//! The simulator keeps no tasks (it answers `DescribeTasks` with the
//! metadata's example), so a stand-in written for this test plays ECS:
//! each task's `TaskStatus` moves along a script, one step per call that
//! names it in `TaskIds`.

mod common;

use ecs_api::ecs_core::waiter::WaitError;
use ecs_fault_server::{RecordedRequest, Reply, Response, TestServer};
use serde_json::json;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const QUICK: Duration = Duration::from_millis(10);

/// A server answering `DescribeTasks` for the scripted tasks.
async fn tasks(scripts: &[(&'static str, &'static [&'static str])]) -> TestServer {
    let server = TestServer::start().await;
    let calls: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
    let scripts: HashMap<&str, &[&str]> = scripts.iter().copied().collect();
    server.set_handler(move |req: &RecordedRequest| -> Reply {
        assert_eq!(req.param("Action").as_deref(), Some("DescribeTasks"));
        let ids = req.param("TaskIds").unwrap_or_default();
        let mut calls = calls.lock().unwrap();
        let tasks: Vec<_> = ids
            .split(',')
            .filter_map(|id| {
                let script = scripts.get(id)?;
                let at = calls.entry(id.to_string()).or_default();
                let status = script[(*at).min(script.len() - 1)];
                *at += 1;
                Some(json!({"TaskId": id, "TaskStatus": status, "TaskAction": "ImportImage"}))
            })
            .collect();
        Response::ok(
            "req-tasks",
            json!({"TotalCount": tasks.len(), "PageNumber": 1, "PageSize": 100,
                   "TaskSet": {"Task": tasks}}),
        )
        .into()
    });
    server
}

fn client(server: &TestServer) -> ecs_api::Client {
    common::client(&server.url()).into()
}

#[tokio::test]
async fn tasks_finished_polls_the_comma_joined_ids_until_every_task_is_finished() {
    let server = tasks(&[
        ("t-1", &["Processing", "Processing", "Finished"]),
        ("t-2", &["Processing", "Finished"]),
    ])
    .await;
    let done = client(&server)
        .wait_until_tasks_finished(["t-1", "t-2"])
        .min_delay(QUICK)
        .max_delay(QUICK)
        .await
        .expect("finished");
    let got: Vec<(Option<String>, Option<String>)> = done
        .into_iter()
        .map(|t| (t.task_id, t.task_status))
        .collect();
    assert_eq!(
        got,
        [
            (Some("t-1".into()), Some("Finished".into())),
            (Some("t-2".into()), Some("Finished".into()))
        ]
    );
    let sent: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.param("TaskIds").unwrap())
        .collect();
    // Done ids are not asked for again.
    assert_eq!(sent, ["t-1,t-2", "t-1,t-2", "t-1"]);
    assert!(server
        .requests()
        .iter()
        .all(|r| r.param("PageSize").as_deref() == Some("100")));
}

#[tokio::test]
async fn a_failed_task_ends_the_wait_at_once_naming_it() {
    let server = tasks(&[("t-1", &["Processing", "Finished"]), ("t-bad", &["Failed"])]).await;
    let err = client(&server)
        .wait_until_tasks_finished(["t-1", "t-bad"])
        .timeout(Duration::from_secs(600))
        .await
        .expect_err("t-bad failed");
    assert!(
        matches!(&err, WaitError::Failed { waiter: "tasks_finished", id, state } if id == "t-bad" && state == "Failed"),
        "{err}"
    );
    assert_eq!(server.requests().len(), 1);
}
