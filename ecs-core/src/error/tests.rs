use super::*;

fn call(status: Option<u16>, idempotent: bool) -> Box<CallContext> {
    Box::new(CallContext {
        operation: "DescribeInstances".into(),
        host: "ecs.cn-hangzhou.aliyuncs.com".into(),
        status,
        attempts: 4,
        elapsed: Duration::from_millis(3240),
        idempotent,
        retry_stop: None,
    })
}

fn service_on(status: u16, code: &str, idempotent: bool) -> Error {
    Error::Service {
        call: call(Some(status), idempotent),
        error: Box::new(ServiceError {
            status,
            code: code.into(),
            message: "The request was denied.".into(),
            request_id: Some("REQ-1".into()),
            recommend: Some("https://api.alibabacloud.com/troubleshoot?q=x".into()),
            ..ServiceError::default()
        }),
    }
}

fn service(status: u16, code: &str) -> Error {
    service_on(status, code, true)
}

fn transport(sent: bool, idempotent: bool) -> Error {
    Error::Transport {
        call: call(None, idempotent),
        message: "connection reset".into(),
        sent,
    }
}

#[test]
fn a_call_error_says_where_how_often_and_how_long() {
    assert_eq!(
        service(400, "Throttling.User").to_string(),
        "DescribeInstances to ecs.cn-hangzhou.aliyuncs.com: Throttling.User: The request was denied. \
         (RequestId REQ-1, HTTP 400, 4 attempts in 3.2 s)"
    );
}

#[test]
fn call_accessors_expose_operation_host_attempts_and_time() {
    let e = service(503, "ServiceUnavailable");
    assert_eq!(e.operation(), Some("DescribeInstances"));
    assert_eq!(e.host(), Some("ecs.cn-hangzhou.aliyuncs.com"));
    assert_eq!(e.attempts(), 4);
    assert_eq!(e.elapsed(), Some(Duration::from_millis(3240)));
    assert_eq!(Error::config("x").attempts(), 0);
}

#[test]
fn the_reason_a_retry_was_not_made_is_shown() {
    let mut e = service(429, "Throttling.User");
    e.call_mut().unwrap().retry_stop = Some(RetryStop::OutOfTime {
        wait: Duration::from_secs(30),
        left: Duration::from_millis(1200),
        asked_by_service: true,
        limit: TimeLimit::OperationTimeout,
    });
    let text = e.to_string();
    assert!(
        text.ends_with(
            "; not retried: the service asked to wait 30.0 s (x-acs-retry-after), \
             more than the 1.2 s left of the operation timeout"
        ),
        "{text}"
    );
}

#[test]
fn service_error_displays_code_message_and_request_id() {
    let e = service(403, "Forbidden.RAM");
    assert_eq!(
        e.service_error().unwrap().to_string(),
        "Forbidden.RAM: The request was denied. (RequestId REQ-1)"
    );
}

#[test]
fn service_error_accessors_expose_code_status_and_recommend() {
    let e = service(403, "Forbidden.RAM");
    assert_eq!(e.code(), Some("Forbidden.RAM"));
    assert_eq!(e.status(), Some(403));
    assert_eq!(e.request_id(), Some("REQ-1"));
    assert_eq!(
        e.recommend(),
        Some("https://api.alibabacloud.com/troubleshoot?q=x")
    );
}

#[test]
fn throttling_is_retryable_by_code_whatever_the_status() {
    assert!(service(400, "Throttling").is_retryable());
    assert!(service(429, "Throttling.User").is_retryable());
    assert!(service(400, "Throttling.Api").is_throttling());
}

#[test]
fn transient_codes_are_retryable() {
    for code in ["ServiceUnavailable", "InternalError", "UnknownError"] {
        assert!(service(400, code).is_retryable(), "{code}");
    }
}

#[test]
fn gateway_statuses_are_retryable() {
    for status in [500, 502, 503, 504] {
        assert!(service(status, "Whatever").is_retryable(), "{status}");
    }
}

#[test]
fn client_errors_are_not_retryable() {
    assert!(!service(400, "InvalidParameter").is_retryable());
    assert!(!service(403, "Forbidden.RAM").is_retryable());
    assert!(!service(404, "InvalidInstanceId.NotFound").is_retryable());
}

#[test]
fn transport_errors_and_attempt_timeouts_are_retryable_but_not_operation_timeouts() {
    assert!(transport(true, true).is_retryable());
    let timeout = |kind| Error::Timeout {
        call: call(None, true),
        kind,
        after: Duration::from_secs(1),
    };
    assert!(timeout(TimeoutKind::Attempt).is_retryable());
    assert!(timeout(TimeoutKind::Connect).is_retryable());
    assert!(!timeout(TimeoutKind::Operation).is_retryable());
}

#[test]
fn a_state_changing_call_is_retryable_only_when_the_service_provably_did_nothing() {
    assert!(transport(false, false).is_retryable(), "refused");
    assert!(
        !transport(true, false).is_retryable(),
        "may have been processed"
    );
    assert!(service_on(429, "Throttling.User", false).is_retryable());
    assert!(service_on(503, "ServiceUnavailable", false).is_retryable());
    assert!(!service_on(500, "InternalError", false).is_retryable());
    assert!(!service_on(504, "GatewayTimeout", false).is_retryable());
    let attempt_timeout = Error::Timeout {
        call: call(None, false),
        kind: TimeoutKind::Attempt,
        after: Duration::from_secs(1),
    };
    assert!(!attempt_timeout.is_retryable());
}

#[test]
fn dry_run_passed_is_distinct_from_failures() {
    let e = Error::DryRunPassed {
        call: call(Some(400), false),
        request_id: Some("R".into()),
    };
    assert!(e.is_dry_run_passed());
    assert!(!e.is_retryable());
    assert_eq!(e.request_id(), Some("R"));
    assert!(!service(403, "Forbidden.RAM").is_dry_run_passed());
}

fn unexpected(status: u16, snippet: &str, idempotent: bool) -> Error {
    Error::UnexpectedResponse {
        call: call(Some(status), idempotent),
        content_type: Some("text/html".into()),
        snippet: snippet.into(),
        truncated: false,
        retry_after: None,
    }
}

#[test]
fn non_json_answer_is_explained() {
    let e = unexpected(502, "<html>Bad gateway</html>", true);
    let text = e.to_string();
    assert!(
        text.contains("HTTP 502") && text.contains("not JSON") && text.contains("<html>"),
        "{text}"
    );
    assert!(e.is_retryable());
}

#[test]
fn an_empty_body_says_so() {
    let text = unexpected(500, "", true).to_string();
    assert!(text.contains(": empty body (HTTP 500,"), "{text}");
}

#[test]
fn a_garbled_success_is_retryable_only_for_idempotent_calls() {
    assert!(unexpected(200, "<html>", true).is_retryable());
    assert!(!unexpected(200, "<html>", false).is_retryable());
}

#[test]
fn signature_mismatch_shows_both_strings() {
    let mut s = ServiceError {
        code: "SignatureDoesNotMatch".into(),
        message: "m".into(),
        ..ServiceError::default()
    };
    s.signature_mismatch = Some(SignatureMismatch {
        server_string_to_sign: "POST&%2F&A".into(),
        client_string_to_sign: "POST&%2F&B".into(),
    });
    let text = s.to_string();
    assert!(
        text.contains("server signed `POST&%2F&A`") && text.contains("client signed `POST&%2F&B`"),
        "{text}"
    );
}

#[test]
fn equal_strings_to_sign_blame_the_secret() {
    let s = ServiceError {
        code: "SignatureDoesNotMatch".into(),
        signature_mismatch: Some(SignatureMismatch {
            server_string_to_sign: "same".into(),
            client_string_to_sign: "same".into(),
        }),
        ..ServiceError::default()
    };
    assert!(s.to_string().contains("AccessKeySecret is wrong"));
}

#[test]
fn snippet_is_bounded_and_marks_the_cut() {
    assert_eq!(snippet("abcdef", 3), "abc…");
    assert_eq!(snippet("ab", 3), "ab");
    assert_eq!(snippet("中文字", 2), "中文…");
}
