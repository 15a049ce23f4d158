//! Redirects are never followed: a 3xx is an error naming its status and
//! `Location`, and nothing (least of all the security token) reaches the
//! origin it points to.

mod common;

use common::*;
use ecs_core::{Credentials, Error};
use ecs_fault_server::{Response, TestServer};

const TOKEN: &str = "sts-token-for-redirect-test";

/// A server that redirects everything to `other`, echoing the signed query.
async fn redirecting_to(other: &TestServer, status: u16) -> TestServer {
    let server = TestServer::start().await;
    let target = other.url();
    server.set_handler(move |req| {
        Response::redirect(status, &format!("{target}/?{}", req.raw_query())).into()
    });
    server
}

fn sts_client(url: &str) -> ecs_core::Client {
    builder(url)
        .credentials(Credentials::sts(ACCESS_KEY_ID, SECRET, TOKEN))
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_307_to_another_port_is_not_followed_and_the_token_goes_nowhere() {
    let elsewhere = TestServer::start().await;
    let server = redirecting_to(&elsewhere, 307).await;
    let e = sts_client(&server.url())
        .call(&DescribeRegions::default())
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Redirect { .. }), "{e}");
    assert_eq!(e.status(), Some(307));
    assert!(elsewhere.requests().is_empty(), "the redirect was followed");
    assert_eq!(server.requests().len(), 1, "a redirect is not retried");
    // The token was sent to the configured endpoint only, and is not shown.
    assert_eq!(
        server.requests()[0].param("SecurityToken").as_deref(),
        Some(TOKEN)
    );
    let shown = format!("{e} {e:?}");
    assert!(!shown.contains(TOKEN), "{shown}");
    let signature = server.requests()[0].param("Signature").unwrap();
    assert!(!shown.contains(&signature), "{shown}");
}

#[tokio::test]
async fn the_error_names_the_status_and_the_location() {
    let elsewhere = TestServer::start().await;
    let server = redirecting_to(&elsewhere, 302).await;
    let e = sts_client(&server.url())
        .call(&DescribeRegions::default())
        .await
        .unwrap_err();
    let text = e.to_string();
    assert!(text.contains("HTTP 302"), "{text}");
    assert!(text.contains("redirect not followed"), "{text}");
    assert!(text.contains(&elsewhere.url()), "{text}");
    assert!(text.contains("SecurityToken=<redacted>"), "{text}");
    assert!(text.contains("Signature=<redacted>"), "{text}");
}

#[tokio::test]
async fn a_state_changing_call_is_not_resent_where_location_points() {
    for status in [301, 302, 307, 308] {
        let elsewhere = TestServer::start().await;
        let server = redirecting_to(&elsewhere, status).await;
        let e = sts_client(&server.url())
            .call(&RunInstances {
                image_id: "img".into(),
                ..RunInstances::default()
            })
            .await
            .unwrap_err();
        assert!(matches!(e, Error::Redirect { .. }), "{status}: {e}");
        assert!(!e.is_retryable());
        assert!(elsewhere.requests().is_empty(), "{status} was followed");
        assert_eq!(server.requests().len(), 1);
    }
}

#[tokio::test]
async fn a_redirect_without_location_is_still_an_error() {
    let server = TestServer::start().await;
    server.push(Response::new(307, "text/plain", ""));
    let e = client(&server.url())
        .call(&DescribeRegions::default())
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Redirect { location: None, .. }), "{e}");
    assert!(e.to_string().contains("no Location"), "{e}");
}
