//! The HTTP seam: `ClientBuilder::configure_http` shapes the reqwest client
//! (its settings reach the wire) but cannot undo what the core enforces:
//! no redirects, the timeouts, the body limit.

mod common;

use common::*;
use ecs_core::reqwest::header::{HeaderMap, HeaderValue};
use ecs_core::reqwest::redirect::Policy;
use ecs_core::{Error, RetryPolicy, TimeoutKind};
use ecs_fault_server::{Reply, Response, TestServer};
use std::time::{Duration, Instant};

const HOUR: Duration = Duration::from_secs(3600);

#[tokio::test]
async fn the_hook_shapes_the_http_client() {
    let server = TestServer::start().await;
    let c = builder(&server.url())
        .configure_http(|http| {
            let mut headers = HeaderMap::new();
            headers.insert("x-proxy-authorization", HeaderValue::from_static("team-a"));
            http.default_headers(headers).pool_max_idle_per_host(1)
        })
        .build()
        .unwrap();
    c.call(&DescribeRegions::default()).await.unwrap();
    let req = &server.requests()[0];
    assert_eq!(req.header("x-proxy-authorization"), Some("team-a"));
}

#[tokio::test]
async fn a_hook_enabling_redirects_does_not_win() {
    let elsewhere = TestServer::start().await;
    let server = TestServer::start().await;
    server.set_default(Response::redirect(307, &format!("{}/", elsewhere.url())));
    let c = builder(&server.url())
        .configure_http(|http| http.redirect(Policy::limited(10)))
        .build()
        .unwrap();
    let e = c.call(&DescribeRegions::default()).await.unwrap_err();
    assert!(matches!(e, Error::Redirect { .. }), "{e}");
    assert!(elsewhere.requests().is_empty(), "the redirect was followed");
}

#[tokio::test]
async fn a_hook_lengthening_timeouts_does_not_win() {
    let server = TestServer::start().await;
    server.set_default(
        Response::ok("req-slow", serde_json::json!({})).with_delay(Duration::from_secs(5)),
    );
    let c = builder(&server.url())
        .read_timeout(Duration::from_millis(200))
        .retry_policy(RetryPolicy::disabled())
        .configure_http(|http| http.timeout(HOUR).read_timeout(HOUR).connect_timeout(HOUR))
        .build()
        .unwrap();
    let started = Instant::now();
    let e = timeout_of(&c, TimeoutKind::Attempt).await;
    assert!(started.elapsed() < Duration::from_secs(3), "{e}");
}

#[tokio::test]
async fn a_hook_shortening_the_overall_timeout_does_not_cut_attempts_short() {
    let server = TestServer::start().await;
    server.set_default(
        Response::ok("req-slowish", serde_json::json!({})).with_delay(Duration::from_millis(300)),
    );
    let c = builder(&server.url())
        .retry_policy(RetryPolicy::disabled())
        .configure_http(|http| http.timeout(Duration::from_millis(50)))
        .build()
        .unwrap();
    let out = c.call(&DescribeRegions::default()).await.unwrap();
    assert_eq!(out.request_id, "req-slowish");
}

#[tokio::test]
async fn the_body_limit_holds_whatever_the_hook_does() {
    let server = TestServer::start().await;
    server.set_default(Reply::Huge {
        status: 200,
        len: 8 << 20,
        announce: false,
    });
    let c = builder(&server.url())
        .max_response_body(1 << 20)
        .configure_http(|http| http.pool_max_idle_per_host(0))
        .build()
        .unwrap();
    let e = c.call(&DescribeRegions::default()).await.unwrap_err();
    assert!(matches!(e, Error::ResponseTooLarge { .. }), "{e}");
}

#[test]
fn a_hook_that_breaks_the_http_client_is_a_config_error_naming_it() {
    let e = ecs_core::Client::builder()
        .api(&API)
        .region("cn-hangzhou")
        .configure_http(|http| {
            http.proxy(ecs_core::reqwest::Proxy::all("http://proxy.internal:3128").unwrap())
                .tls_built_in_root_certs(false)
                .https_only(true)
                .min_tls_version(ecs_core::reqwest::tls::Version::TLS_1_3)
                .max_tls_version(ecs_core::reqwest::tls::Version::TLS_1_2)
        })
        .build()
        .unwrap_err();
    assert!(
        e.to_string().contains("ClientBuilder::configure_http"),
        "{e}"
    );
}
