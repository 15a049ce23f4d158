//! Retries: what is retried, how often, with what, and what is not.

mod common;

use common::*;
use ecs_core::{CallOptions, Error, RetryPolicy, RetryStop, TimeLimit};
use ecs_fault_server::verify::verify_rpc_signature;
use ecs_fault_server::{Reply, Response, TestServer};
use std::time::{Duration, Instant};

fn ok() -> Response {
    Response::ok("req-ok", serde_json::json!({}))
}

/// A read-only call that meets `first`, then success: it must succeed on
/// its second attempt.
async fn recovers_after(first: impl Into<Reply>) {
    let server = TestServer::start().await;
    server.push(first).push(ok());
    let out = client(&server.url())
        .call(&DescribeRegions::default())
        .await
        .unwrap();
    assert_eq!(out.request_id, "req-ok");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn read_only_call_succeeds_after_an_injected_503() {
    recovers_after(Response::service_unavailable()).await;
}

#[tokio::test]
async fn call_succeeds_after_throttling_user() {
    recovers_after(Response::throttling_user()).await;
}

#[tokio::test]
async fn throttling_with_http_400_is_retried_by_code() {
    recovers_after(Response::service_error(400, "Throttling", "old gateway")).await;
}

#[tokio::test]
async fn call_succeeds_after_a_connection_reset() {
    recovers_after(Reply::Reset).await;
}

#[tokio::test]
async fn every_attempt_is_signed_afresh() {
    let server = TestServer::start().await;
    server
        .push(Response::service_unavailable())
        .push(Response::service_unavailable())
        .push(ok());
    client(&server.url())
        .call(&DescribeRegions::default())
        .await
        .unwrap();
    let reqs = server.requests();
    assert_eq!(reqs.len(), 3);
    let nonces: std::collections::HashSet<_> = reqs
        .iter()
        .map(|r| r.param("SignatureNonce").unwrap())
        .collect();
    assert_eq!(nonces.len(), 3);
    for r in &reqs {
        verify_rpc_signature(&r.method, r.raw_query(), SECRET).unwrap();
    }
}

#[tokio::test]
async fn unsafe_request_without_client_token_is_not_retried_after_an_internal_error() {
    let server = TestServer::start().await;
    server.set_default(Response::service_error(500, "InternalError", "oops"));
    let e = client(&server.url())
        .call(&StartInstance {
            instance_id: "i-1".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("InternalError"));
    assert!(!e.is_retryable(), "{e}");
    assert_eq!(e.retry_stop(), Some(&RetryStop::MayHaveBeenProcessed));
    assert!(e.to_string().contains("may have been processed"), "{e}");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn unsafe_request_without_client_token_is_not_retried_after_a_reset() {
    let server = TestServer::start().await;
    server.push(Reply::Reset).push(ok());
    let e = client(&server.url())
        .call(&StartInstance {
            instance_id: "i-1".into(),
        })
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Transport { sent: true, .. }), "{e}");
    assert!(!e.is_retryable(), "it may have been processed: {e}");
    assert_eq!(e.retry_stop(), Some(&RetryStop::MayHaveBeenProcessed));
    assert_eq!(server.requests().len(), 1);
}

fn start_instance() -> StartInstance {
    StartInstance {
        instance_id: "i-1".into(),
    }
}

#[tokio::test]
async fn unsafe_request_without_client_token_is_retried_after_throttling() {
    let server = TestServer::start().await;
    server.push(Response::throttling_user()).push(ok());
    client(&server.url()).call(&start_instance()).await.unwrap();
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn unsafe_request_without_client_token_is_retried_after_service_unavailable() {
    let server = TestServer::start().await;
    server.push(Response::service_unavailable()).push(ok());
    client(&server.url()).call(&start_instance()).await.unwrap();
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn unsafe_request_without_client_token_is_retried_after_connection_refused() {
    let e = client(&format!("http://{}", closed_port()))
        .call(&start_instance())
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Transport { sent: false, .. }), "{e}");
    assert!(e.is_retryable(), "nothing reached the service: {e}");
    assert_eq!(e.attempts(), 4, "{e}");
}

#[tokio::test]
async fn generated_client_token_is_reused_across_attempts() {
    let server = TestServer::start().await;
    server
        .push(Response::service_unavailable())
        .push(Reply::Reset)
        .push(ok());
    let tokens = client_tokens_sent(&server).await;
    assert_eq!(tokens.len(), 3);
    assert!(
        tokens.iter().all(|t| *t == tokens[0] && t.len() == 36),
        "{tokens:?}"
    );
}

#[tokio::test]
async fn each_call_gets_its_own_client_token() {
    let server = TestServer::start().await;
    let c = client(&server.url());
    let req = RunInstances {
        image_id: "img".into(),
        ..RunInstances::default()
    };
    c.call(&req).await.unwrap();
    c.call(&req).await.unwrap();
    let reqs = server.requests();
    assert_ne!(reqs[0].param("ClientToken"), reqs[1].param("ClientToken"));
}

#[tokio::test]
async fn user_client_token_is_sent_unchanged_on_every_attempt() {
    let server = TestServer::start().await;
    server.push(Response::service_unavailable()).push(ok());
    client(&server.url())
        .call(&RunInstances {
            image_id: "img".into(),
            client_token: Some("my-token-1".into()),
            ..RunInstances::default()
        })
        .await
        .unwrap();
    let tokens: Vec<_> = server
        .requests()
        .iter()
        .map(|r| r.param("ClientToken").unwrap())
        .collect();
    assert_eq!(tokens, ["my-token-1", "my-token-1"]);
}

#[tokio::test]
async fn attempts_are_bounded() {
    let server = TestServer::start().await;
    server.set_default(Response::service_unavailable());
    let c = builder(&server.url())
        .retry_policy(fast_retry().with_max_attempts(3))
        .build()
        .unwrap();
    let e = c.call(&DescribeRegions::default()).await.unwrap_err();
    assert_eq!(e.status(), Some(503));
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn retries_stop_when_the_total_time_budget_is_spent() {
    let server = TestServer::start().await;
    server.set_default(Response::service_unavailable());
    let policy = RetryPolicy::default()
        .with_max_attempts(100)
        .with_base_delay(Duration::from_millis(20))
        .with_max_delay(Duration::from_millis(20))
        .with_max_elapsed(Duration::from_millis(150));
    let started = Instant::now();
    let e = client(&server.url())
        .call_with(
            &DescribeRegions::default(),
            &CallOptions::new().retry(policy),
        )
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(503));
    let n = server.requests().len();
    assert!((3..=16).contains(&n), "{n} attempts");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn non_retryable_errors_are_returned_at_once() {
    let server = TestServer::start().await;
    server.set_default(Response::service_error(
        404,
        "InvalidRegionId.NotFound",
        "no such region",
    ));
    let e = client(&server.url())
        .call(&DescribeRegions::default())
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("InvalidRegionId.NotFound"));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn disabled_retry_policy_sends_once() {
    let server = TestServer::start().await;
    server.set_default(Response::service_unavailable());
    let c = builder(&server.url())
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    c.call(&DescribeRegions::default()).await.unwrap_err();
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn server_retry_after_header_sets_the_wait() {
    let server = TestServer::start().await;
    server
        .push(Response::throttling_user().with_header("x-acs-retry-after", "300"))
        .push(ok());
    let waited =
        time_to_success(&server, fast_retry().with_max_delay(Duration::from_secs(5))).await;
    assert!(
        waited >= Duration::from_millis(300) && waited < Duration::from_secs(3),
        "{waited:?}"
    );
}

/// How long a DescribeRegions call with `policy` takes to succeed.
async fn time_to_success(server: &TestServer, policy: RetryPolicy) -> Duration {
    let started = Instant::now();
    client(&server.url())
        .call_with(
            &DescribeRegions::default(),
            &CallOptions::new().retry(policy),
        )
        .await
        .unwrap();
    started.elapsed()
}

#[tokio::test]
async fn non_json_gateway_page_is_retried_then_reported_clearly() {
    let server = TestServer::start().await;
    server.set_default(Response::html(502, "<html><h1>502 Bad Gateway</h1></html>"));
    let c = builder(&server.url())
        .retry_policy(fast_retry().with_max_attempts(2))
        .build()
        .unwrap();
    let e = c.call(&DescribeRegions::default()).await.unwrap_err();
    match &e {
        Error::UnexpectedResponse {
            content_type,
            snippet,
            ..
        } => {
            assert_eq!(e.status(), Some(502));
            assert_eq!(content_type.as_deref(), Some("text/html"));
            assert!(snippet.contains("Bad Gateway"));
        }
        other => panic!("expected UnexpectedResponse, got {other}"),
    }
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn dry_run_operation_is_reported_as_passed() {
    let server = TestServer::start().await;
    server.push(Response::service_error(
        400,
        "DryRunOperation",
        "Request validation has been passed with DryRun flag set.",
    ));
    let e = client(&server.url())
        .call(&RunInstances {
            image_id: "img".into(),
            dry_run: Some(true),
            ..RunInstances::default()
        })
        .await
        .unwrap_err();
    assert!(e.is_dry_run_passed(), "{e}");
    assert_eq!(e.request_id(), Some("req-DryRunOperation"));
    assert_eq!(
        server.requests()[0].param("DryRun").as_deref(),
        Some("true")
    );
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_failed_dry_run_is_a_real_error() {
    let server = TestServer::start().await;
    server.push(Response::service_error(403, "Forbidden.RAM", "denied"));
    let e = client(&server.url())
        .call(&RunInstances {
            image_id: "img".into(),
            dry_run: Some(true),
            ..RunInstances::default()
        })
        .await
        .unwrap_err();
    assert!(!e.is_dry_run_passed());
    assert!(
        e.to_string().contains(
            ": Forbidden.RAM: denied (RequestId req-Forbidden.RAM, HTTP 403, 1 attempt in "
        ),
        "{e}"
    );
    assert_eq!(
        e.recommend(),
        Some("https://api.alibabacloud.com/troubleshoot?q=Forbidden.RAM")
    );
}

#[tokio::test]
async fn signature_mismatch_shows_the_server_string_beside_ours() {
    let server = TestServer::start().await;
    server.set_handler(|req| {
        let server_sts = ecs_fault_server::verify::string_to_sign(&req.method, req.raw_query()).replace("DescribeRegions", "Tampered");
        Response::service_error(400, "SignatureDoesNotMatch", &format!("Specified signature is not matched with our calculation. server string to sign is:{server_sts}")).into()
    });
    let e = client(&server.url())
        .call(&DescribeRegions::default())
        .await
        .unwrap_err();
    let m = e
        .service_error()
        .unwrap()
        .signature_mismatch
        .clone()
        .unwrap();
    assert!(m.server_string_to_sign.contains("Tampered"));
    assert!(m.client_string_to_sign.contains("DescribeRegions"));
    assert!(!m.secret_is_wrong());
    assert!(!format!("{e} {e:?}").contains(SECRET));
}

#[tokio::test]
async fn identical_strings_to_sign_point_at_the_secret() {
    let server = TestServer::start().await;
    server.set_handler(|req| {
        let sts = ecs_fault_server::verify::string_to_sign(&req.method, req.raw_query());
        Response::service_error(
            400,
            "SignatureDoesNotMatch",
            &format!("server string to sign is:{sts}"),
        )
        .into()
    });
    let e = client(&server.url())
        .call(&DescribeRegions::default())
        .await
        .unwrap_err();
    assert!(e
        .service_error()
        .unwrap()
        .signature_mismatch
        .as_ref()
        .unwrap()
        .secret_is_wrong());
    assert!(e.to_string().contains("AccessKeySecret is wrong"), "{e}");
}

#[tokio::test]
async fn response_fields_that_do_not_fit_give_a_decode_error_with_path() {
    let server = TestServer::start().await;
    server.push(Response::json(
        200,
        r#"{"RequestId":"R-7","Regions":{"Region":[]}}"#,
    ));
    let out = client(&server.url())
        .call(&DescribeRegions::default())
        .await
        .unwrap();
    assert_eq!(out.request_id, "R-7");
    server.push(Response::json(200, r#"{"RequestId":7}"#));
    let e = client(&server.url())
        .call(&DescribeRegions::default())
        .await
        .unwrap_err();
    assert_eq!(e.operation(), Some("DescribeRegions"));
    match e {
        Error::Decode { path, .. } => assert_eq!(path, "RequestId"),
        other => panic!("expected Decode, got {other}"),
    }
}

#[tokio::test]
async fn server_retry_after_in_the_error_document_sets_the_wait() {
    let server = TestServer::start().await;
    let body = r#"{"Code":"Throttling","Message":"slow down","RetryAfter":300}"#;
    server.push(Response::json(400, body)).push(ok());
    let waited = time_to_success(&server, fast_retry()).await;
    assert!(
        waited >= Duration::from_millis(300) && waited < Duration::from_secs(3),
        "{waited:?}"
    );
}

#[tokio::test]
async fn server_retry_after_header_applies_to_a_non_json_answer_too() {
    let server = TestServer::start().await;
    server
        .push(Response::html(503, "<h1>busy</h1>").with_header("x-acs-retry-after", "300"))
        .push(ok());
    let waited = time_to_success(&server, fast_retry()).await;
    assert!(waited >= Duration::from_millis(300), "{waited:?}");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_retry_after_longer_than_the_time_left_fails_now_and_says_how_long() {
    let server = TestServer::start().await;
    server.set_default(Response::throttling_user().with_header("x-acs-retry-after", "30000"));
    let c = builder(&server.url())
        .operation_timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let e = c.call(&DescribeRegions::default()).await.unwrap_err();
    assert_eq!(server.requests().len(), 1);
    assert!(
        e.elapsed().unwrap() < Duration::from_secs(2),
        "did not wait for the timeout: {e}"
    );
    match e.retry_stop() {
        Some(RetryStop::OutOfTime {
            wait,
            asked_by_service: true,
            limit: TimeLimit::OperationTimeout,
            ..
        }) => assert_eq!(*wait, Duration::from_secs(30)),
        other => panic!("expected OutOfTime, got {other:?}: {e}"),
    }
    assert!(
        e.to_string()
            .contains("the service asked to wait 30.0 s (x-acs-retry-after), more than the"),
        "{e}"
    );
}

#[tokio::test]
async fn a_retry_after_longer_than_max_delay_is_still_honoured() {
    let server = TestServer::start().await;
    server
        .push(Response::throttling_user().with_header("x-acs-retry-after", "200"))
        .push(ok());
    let waited = time_to_success(
        &server,
        fast_retry().with_max_delay(Duration::from_millis(10)),
    )
    .await;
    assert!(waited >= Duration::from_millis(200), "{waited:?}");
}

fn regions_body() -> Response {
    Response::json(
        200,
        format!(
            r#"{{"RequestId":"req-cut","Regions":{{"Region":[{}]}}}}"#,
            r#"{"RegionId":"cn-hangzhou","LocalName":"Hangzhou"},"#.repeat(40)
        ),
    )
}

#[tokio::test]
async fn a_cut_off_success_body_is_retried_for_a_read_only_call() {
    recovers_after(Reply::truncated(&regions_body(), 300)).await;
}

#[tokio::test]
async fn a_non_json_success_body_is_retried_for_a_read_only_call() {
    recovers_after(Response::html(200, "<html>captive portal</html>")).await;
}

#[tokio::test]
async fn a_cut_off_success_body_of_a_state_changing_call_is_reported_with_its_excerpt() {
    let server = TestServer::start().await;
    let answer = Response::json(200, r#"{"RequestId":"req-started","Extra":"0123456789"}"#);
    server.push(Reply::truncated(&answer, 20)).push(ok());
    let e = client(&server.url())
        .call(&start_instance())
        .await
        .unwrap_err();
    assert_eq!(server.requests().len(), 1, "processed: never sent twice");
    match &e {
        Error::UnexpectedResponse {
            truncated: true,
            snippet,
            ..
        } => assert_eq!(snippet, r#"{"RequestId":"req-st"#),
        other => panic!("expected a truncated answer, got {other}"),
    }
    assert_eq!(e.status(), Some(200));
    assert!(!e.is_retryable());
    let text = e.to_string();
    assert!(
        text.contains("body was cut off") && text.contains("req-st") && text.contains("HTTP 200"),
        "{text}"
    );
}

#[tokio::test]
async fn a_non_json_success_body_of_a_state_changing_call_is_reported_with_its_excerpt() {
    let server = TestServer::start().await;
    server
        .push(Response::html(200, "<html>proxy says hi</html>"))
        .push(ok());
    let e = client(&server.url())
        .call(&start_instance())
        .await
        .unwrap_err();
    assert_eq!(server.requests().len(), 1);
    assert!(e.to_string().contains("<html>proxy says hi</html>"), "{e}");
    assert_eq!(e.retry_stop(), Some(&RetryStop::MayHaveBeenProcessed));
}

#[tokio::test]
async fn a_garbled_success_with_a_client_token_is_retried_with_the_same_token() {
    let server = TestServer::start().await;
    server
        .push(Response::html(200, "<html>proxy says hi</html>"))
        .push(ok());
    let tokens = client_tokens_sent(&server).await;
    assert_eq!(tokens.len(), 2);
    assert_eq!(tokens[0], tokens[1]);
}

/// Runs a RunInstances that leaves `ClientToken` to the client through to
/// success; the token of every attempt.
async fn client_tokens_sent(server: &TestServer) -> Vec<String> {
    client(&server.url())
        .call(&RunInstances {
            image_id: "img".into(),
            ..RunInstances::default()
        })
        .await
        .unwrap();
    server
        .requests()
        .iter()
        .map(|r| r.param("ClientToken").unwrap())
        .collect()
}

/// The attempts an untyped call of `action` makes against a server that
/// answers `InternalError` (retryable, but only for a call that is safe
/// to repeat), with `params`.
async fn untyped_attempts(action: &str, params: &[(&str, &str)]) -> usize {
    let server = TestServer::start().await;
    server.set_default(Response::service_error(500, "InternalError", "oops"));
    client(&server.url())
        .call_action(action, params.iter().copied())
        .await
        .unwrap_err();
    server.requests().len()
}

#[tokio::test]
async fn an_untyped_call_of_an_action_the_api_lists_as_read_only_is_retried() {
    assert_eq!(untyped_attempts("DescribeRegions", &[]).await, 4);
}

#[tokio::test]
async fn an_untyped_call_of_an_action_the_api_lists_as_changing_state_is_not_retried() {
    assert_eq!(untyped_attempts("StartInstance", &[]).await, 1);
}

#[tokio::test]
async fn an_untyped_call_of_an_action_the_api_lacks_counts_as_changing_state() {
    // Named like a read, but the table does not list it: no name rule.
    assert_eq!(untyped_attempts("DescribeSomethingNew", &[]).await, 1);
    assert_eq!(untyped_attempts("ListThings", &[]).await, 1);
}

#[tokio::test]
async fn an_untyped_call_with_a_client_token_is_retried_whatever_the_action() {
    let token = [("ClientToken", "token-1")];
    assert_eq!(untyped_attempts("DescribeSomethingNew", &token).await, 4);
}
