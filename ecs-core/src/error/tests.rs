use super::*;

fn service(status: u16, code: &str) -> Error {
    Error::Service(Box::new(ServiceError {
        operation: "DescribeInstances".into(),
        status,
        code: code.into(),
        message: "The request was denied.".into(),
        request_id: Some("REQ-1".into()),
        recommend: Some("https://api.alibabacloud.com/troubleshoot?q=x".into()),
        ..ServiceError::default()
    }))
}

#[test]
fn service_error_displays_code_message_and_request_id() {
    assert_eq!(
        service(403, "Forbidden.RAM").to_string(),
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
    let transport = Error::Transport {
        operation: "X".into(),
        message: "connection reset".into(),
    };
    assert!(transport.is_retryable());
    let timeout = |kind| Error::Timeout {
        operation: "X".into(),
        kind,
        after: Duration::from_secs(1),
    };
    assert!(timeout(TimeoutKind::Attempt).is_retryable());
    assert!(timeout(TimeoutKind::Connect).is_retryable());
    assert!(!timeout(TimeoutKind::Operation).is_retryable());
}

#[test]
fn dry_run_passed_is_distinct_from_failures() {
    let e = Error::DryRunPassed {
        request_id: Some("R".into()),
    };
    assert!(e.is_dry_run_passed());
    assert!(!e.is_retryable());
    assert_eq!(e.request_id(), Some("R"));
    assert!(!service(403, "Forbidden.RAM").is_dry_run_passed());
}

#[test]
fn non_json_answer_is_explained() {
    let e = Error::UnexpectedResponse {
        operation: "DescribeRegions".into(),
        status: 502,
        content_type: Some("text/html".into()),
        snippet: "<html>Bad gateway</html>".into(),
    };
    let text = e.to_string();
    assert!(
        text.contains("HTTP 502") && text.contains("not JSON") && text.contains("<html>"),
        "{text}"
    );
    assert!(e.is_retryable());
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
