//! Limits: answers over the body limit are refused without being read, the
//! service messages kept in errors are capped, and no signature or token
//! echoed by the server is shown.

mod common;

use common::*;
use ecs_core::{Credentials, Error, DEFAULT_MAX_RESPONSE_BODY};
use ecs_fault_server::{Reply, Response, TestServer};
use std::time::{Duration, Instant};

const MIB: u64 = 1 << 20;

/// A call to a server streaming `len` bytes of `status` answer, by a client
/// whose limit is 1 MiB.
async fn over_a_1_mib_limit(status: u16, len: u64, announce: bool) -> (TestServer, Error) {
    let server = TestServer::start().await;
    server.set_default(Reply::Huge {
        status,
        len,
        announce,
    });
    let e = builder(&server.url())
        .max_response_body(MIB)
        .build()
        .unwrap()
        .call(&DescribeRegions::default())
        .await
        .unwrap_err();
    (server, e)
}

/// Waits until the server notices the client stopped reading.
async fn until_unfinished(server: &TestServer) -> usize {
    let started = Instant::now();
    while server.unfinished() == 0 && started.elapsed() < Duration::from_secs(5) {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    server.unfinished()
}

#[tokio::test]
async fn a_content_length_over_the_limit_is_refused_unread() {
    let (server, e) = over_a_1_mib_limit(200, 32 * MIB, true).await;
    match &e {
        Error::ResponseTooLarge {
            limit,
            content_length,
            ..
        } => {
            assert_eq!(*limit, MIB);
            assert_eq!(*content_length, Some(32 * MIB));
        }
        other => panic!("expected ResponseTooLarge, got {other}"),
    }
    assert!(!e.is_retryable());
    assert_eq!(server.requests().len(), 1);
    assert_eq!(until_unfinished(&server).await, 1, "connection dropped");
    let text = e.to_string();
    assert!(
        text.contains("larger than the 1048576-byte limit") && text.contains("max_response_body"),
        "{text}"
    );
}

#[tokio::test]
async fn a_body_without_content_length_is_cut_at_the_limit() {
    let (server, e) = over_a_1_mib_limit(200, 32 * MIB, false).await;
    assert!(
        matches!(
            e,
            Error::ResponseTooLarge {
                content_length: None,
                ..
            }
        ),
        "{e}"
    );
    assert_eq!(until_unfinished(&server).await, 1, "connection dropped");
}

#[tokio::test]
async fn an_error_answer_over_the_limit_is_refused_too() {
    let (server, e) = over_a_1_mib_limit(500, 32 * MIB, false).await;
    assert!(matches!(e, Error::ResponseTooLarge { .. }), "{e}");
    assert_eq!(e.status(), Some(500));
    assert_eq!(server.requests().len(), 1, "not retried");
}

#[tokio::test]
async fn the_default_limit_is_64_mib() {
    assert_eq!(DEFAULT_MAX_RESPONSE_BODY, 64 * MIB);
    let server = TestServer::start().await;
    server.set_default(Reply::Huge {
        status: 200,
        len: 64 * MIB + 1,
        announce: true,
    });
    let e = client(&server.url())
        .call(&DescribeRegions::default())
        .await
        .unwrap_err();
    assert!(
        matches!(e, Error::ResponseTooLarge { limit, .. } if limit == 64 * MIB),
        "{e}"
    );
}

#[tokio::test]
async fn an_answer_at_the_limit_is_read() {
    let server = TestServer::start().await;
    let body = r#"{"RequestId":"req-fits"}"#;
    server.push(Response::json(200, body));
    let c = builder(&server.url())
        .max_response_body(body.len() as u64)
        .build()
        .unwrap();
    let out = c.call(&DescribeRegions::default()).await.unwrap();
    assert_eq!(out.request_id, "req-fits");
}

#[tokio::test]
async fn a_huge_service_message_is_capped_in_the_error() {
    let server = TestServer::start().await;
    let message = "x".repeat(8 << 20);
    server.set_default(Response::service_error(400, "InvalidParameter", &message));
    let e = client(&server.url())
        .call(&DescribeRegions::default())
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("InvalidParameter"));
    let shown = e.to_string().len() + format!("{e:?}").len();
    assert!(shown < 8 << 10, "{shown} bytes shown for an 8 MiB message");
    assert!(e.service_error().unwrap().message.ends_with('…'));
}

#[tokio::test]
async fn a_signature_echoed_by_the_server_is_redacted() {
    let server = TestServer::start().await;
    // A server that quotes the whole query back, signature included.
    server.set_handler(|req| {
        let message = format!(
            "Specified signature is not matched with our calculation. server string to sign is:POST&%2F&{}",
            ecs_core::signer::percent_encode(req.raw_query())
        );
        Response::service_error(400, "SignatureDoesNotMatch", &message).into()
    });
    let c = builder(&server.url())
        .credentials(Credentials::sts(ACCESS_KEY_ID, SECRET, "echoed-sts-token"))
        .build()
        .unwrap();
    let e = c.call(&DescribeRegions::default()).await.unwrap_err();
    let req = &server.requests()[0];
    let signature = req.param("Signature").unwrap();
    let encoded = ecs_core::signer::percent_encode(&signature);
    let shown = format!("{e} {e:?}");
    for secret in [
        signature.as_str(),
        encoded.as_str(),
        "echoed-sts-token",
        SECRET,
    ] {
        assert!(!shown.contains(secret), "{secret} shown in {shown}");
    }
    assert!(shown.contains("Signature%3D<redacted>"), "{shown}");
}
