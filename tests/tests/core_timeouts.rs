//! Timeouts fire, per attempt and per call, and dropping a call cancels it.

mod common;

use common::*;
use ecs_core::{CallOptions, Error, RetryPolicy, TimeoutKind};
use ecs_fault_server::{Response, TestServer};
use std::time::{Duration, Instant};

fn slow(delay: Duration) -> Response {
    Response::ok("req-slow", serde_json::json!({})).with_delay(delay)
}

#[tokio::test]
async fn read_timeout_fires_for_a_slow_answer() {
    let server = TestServer::start().await;
    server.set_default(slow(Duration::from_secs(5)));
    let c = builder(&server.url())
        .read_timeout(Duration::from_millis(200))
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    let started = Instant::now();
    let e = timeout_of(&c, TimeoutKind::Attempt).await;
    assert!(e.is_timeout());
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn timed_out_attempts_are_retried() {
    let server = TestServer::start().await;
    server.push(slow(Duration::from_secs(5)));
    server.push(Response::ok("req-fast", serde_json::json!({})));
    let opts = CallOptions::new().attempt_timeout(Duration::from_millis(200));
    let out = client(&server.url())
        .call_with(&DescribeRegions::default(), &opts)
        .await
        .unwrap();
    assert_eq!(out.request_id, "req-fast");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn operation_timeout_bounds_the_whole_call() {
    let server = TestServer::start().await;
    server.set_default(slow(Duration::from_secs(5)));
    let c = builder(&server.url())
        .operation_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let started = Instant::now();
    timeout_of(&c, TimeoutKind::Operation).await;
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn per_call_timeout_overrides_the_client_default() {
    let server = TestServer::start().await;
    server.set_default(slow(Duration::from_secs(5)));
    let e = client(&server.url())
        .call_with(
            &DescribeRegions::default(),
            &CallOptions::new().timeout(Duration::from_millis(200)),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(e, Error::Timeout { kind: TimeoutKind::Operation, after, .. } if after == Duration::from_millis(200)),
        "{e}"
    );
}

#[tokio::test]
async fn connect_failures_are_transport_errors() {
    let e = single_attempt_error(&format!("http://{}", closed_port())).await;
    assert!(matches!(e, Error::Transport { .. }), "{e}");
    assert!(!e.to_string().contains("Signature"), "{e}");
}

#[tokio::test]
async fn dropping_the_call_future_cancels_the_request() {
    let server = TestServer::start().await;
    server.set_default(slow(Duration::from_secs(5)));
    let c = client(&server.url());
    let req = DescribeRegions::default();
    let call = c.call(&req);
    assert!(tokio::time::timeout(Duration::from_millis(200), call)
        .await
        .is_err());
    // The server sees the connection go away well before its 5 s answer.
    let started = Instant::now();
    while server.abandoned() == 0 && started.elapsed() < Duration::from_secs(2) {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(server.abandoned(), 1);
}

#[tokio::test]
async fn an_operation_timeout_too_large_to_add_means_none() {
    let server = TestServer::start().await;
    let c = builder(&server.url())
        .operation_timeout(Duration::MAX)
        .build()
        .unwrap();
    c.call(&DescribeRegions::default()).await.unwrap();
}

/// Credentials that never come.
#[derive(Debug)]
struct NeverAnswers;

impl ecs_core::ProvideCredentials for NeverAnswers {
    fn provide(
        &self,
    ) -> ecs_core::credentials::BoxFuture<'_, Result<ecs_core::Credentials, Error>> {
        Box::pin(std::future::pending())
    }
}

#[tokio::test]
async fn the_operation_timeout_bounds_a_wait_for_credentials() {
    let server = TestServer::start().await;
    let c = builder(&server.url())
        .credentials_provider(NeverAnswers)
        .operation_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let started = Instant::now();
    let e = timeout_of(&c, TimeoutKind::Operation).await;
    assert_eq!(e.attempts(), 0, "{e}");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(server.requests().is_empty());
}
