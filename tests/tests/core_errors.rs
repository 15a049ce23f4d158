//! Errors that say where and how often: every error from a call names the
//! operation, the host, the HTTP status, the attempts and the time spent;
//! transport errors name host and port; a misspelt region gets a
//! suggestion; configuration errors name their setting or variable.

mod common;

use common::*;
use ecs_core::reqwest::dns::{Name, Resolve, Resolving};
use ecs_core::{AdaptiveRate, Client, Credentials, Environment, Error, RetryPolicy};
use ecs_fault_server::{Response, TestServer};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[tokio::test]
async fn a_call_error_names_operation_host_status_request_id_attempts_and_time() {
    let server = TestServer::start().await;
    server.set_default(Response::throttling_user());
    let e = client(&server.url())
        .call(&DescribeRegions::default())
        .await
        .unwrap_err();
    let host = server.addr().to_string();
    assert_eq!(e.operation(), Some("DescribeRegions"));
    assert_eq!(e.host(), Some(host.as_str()));
    assert_eq!(e.status(), Some(429));
    assert_eq!(e.attempts(), 4);
    assert!(e.elapsed().unwrap() > Duration::ZERO);
    let text = e.to_string();
    let start = format!(
        "DescribeRegions to {host}: Throttling.User: Request was denied due to user flow control. \
         (RequestId req-Throttling.User, HTTP 429, 4 attempts in "
    );
    assert!(text.starts_with(&start), "{text}");
    assert!(text.ends_with(" ms)") || text.ends_with(" s)"), "{text}");
}

#[tokio::test]
async fn a_connection_error_names_host_and_port() {
    let addr = closed_port();
    let e = single_attempt_error(&format!("http://{addr}")).await;
    let text = e.to_string();
    assert!(
        text.contains(&format!("transport error: cannot connect to {addr}: ")),
        "{text}"
    );
    assert_eq!(e.attempts(), 1);
}

#[tokio::test]
async fn a_500_with_an_empty_body_says_empty_body() {
    let server = TestServer::start().await;
    server.set_default(Response::new(500, "text/plain", ""));
    let e = single_attempt_error(&server.url()).await;
    let text = e.to_string();
    assert!(
        text.contains(": empty body (HTTP 500, 1 attempt in "),
        "{text}"
    );
    assert!(!text.contains("body starts"), "{text}");
}

/// A DNS stand-in: every name fails to resolve, and is recorded.
#[derive(Default)]
struct NoSuchHost {
    asked: Mutex<Vec<String>>,
}

impl Resolve for NoSuchHost {
    fn resolve(&self, name: Name) -> Resolving {
        self.asked.lock().unwrap().push(name.as_str().to_string());
        Box::pin(async { Err("no such host (test resolver)".into()) })
    }
}

async fn call_through_failing_dns(region: &str) -> (Error, Vec<String>) {
    let dns = Arc::new(NoSuchHost::default());
    let resolver = dns.clone();
    let e = Client::builder()
        .api(&API)
        .region(region)
        .credentials(Credentials::new(ACCESS_KEY_ID, SECRET))
        .retry_policy(fast_retry())
        .configure_http(move |http| http.dns_resolver(resolver.clone()))
        .build()
        .unwrap()
        .call(&DescribeRegions::default())
        .await
        .unwrap_err();
    let asked = dns.asked.lock().unwrap().clone();
    (e, asked)
}

#[tokio::test]
async fn a_misspelt_region_that_fails_dns_gets_a_suggestion() {
    let (e, asked) = call_through_failing_dns("cn-hangzou").await;
    assert_eq!(asked, ["ecs.cn-hangzou.aliyuncs.com"]);
    match &e {
        Error::UnknownRegion {
            region, suggestion, ..
        } => {
            assert_eq!(region, "cn-hangzou");
            assert_eq!(suggestion.as_deref(), Some("cn-hangzhou"));
        }
        other => panic!("expected UnknownRegion, got {other}"),
    }
    let text = e.to_string();
    assert!(
        text.contains("unknown region `cn-hangzou`; did you mean `cn-hangzhou`?"),
        "{text}"
    );
    assert!(text.contains("ecs.cn-hangzou.aliyuncs.com:443"), "{text}");
    assert_eq!(e.attempts(), 1, "a typo is not retried");
}

#[tokio::test]
async fn a_listed_region_that_fails_dns_is_a_plain_transport_error() {
    let (e, asked) = call_through_failing_dns("cn-beijing").await;
    assert!(matches!(e, Error::Transport { sent: false, .. }), "{e}");
    assert!(asked.iter().all(|h| h == "ecs.cn-beijing.aliyuncs.com"));
    let text = e.to_string();
    assert!(
        text.contains("cannot resolve ecs.cn-beijing.aliyuncs.com:443")
            && !text.contains("unknown region"),
        "{text}"
    );
}

#[test]
fn configuration_errors_name_the_variable_they_came_from() {
    let env = Environment::empty().with_var("ALIBABA_CLOUD_REGION_ID", "cn hangzhou");
    let e = Client::builder()
        .api(&API)
        .environment(env)
        .build()
        .unwrap_err();
    assert!(e.to_string().contains("ALIBABA_CLOUD_REGION_ID: "), "{e}");

    let env = Environment::empty()
        .with_var("ALIBABA_CLOUD_REGION_ID", "cn-hangzhou")
        .with_var("ALIBABA_CLOUD_ECS_ENDPOINT", "ftp://ecs.example.com");
    let e = Client::builder()
        .api(&API)
        .environment(env)
        .build()
        .unwrap_err();
    assert!(
        e.to_string().contains("ALIBABA_CLOUD_ECS_ENDPOINT: "),
        "{e}"
    );

    let env = Environment::empty().with_var("ALIBABA_CLOUD_USER_AGENT", "a\nb");
    let e = Client::builder()
        .api(&API)
        .environment(env)
        .region("cn-hangzhou")
        .build()
        .unwrap_err();
    assert!(e.to_string().contains("ALIBABA_CLOUD_USER_AGENT: "), "{e}");
}

#[test]
fn configuration_errors_name_the_builder_setting_they_came_from() {
    let named = |b: ecs_core::ClientBuilder, setting: &str| {
        let e = b.build().unwrap_err();
        assert!(e.to_string().contains(setting), "{setting}: {e}");
    };
    named(
        Client::builder().api(&API).region("cn/hangzhou"),
        "ClientBuilder::region: ",
    );
    named(
        Client::builder()
            .api(&API)
            .region("r")
            .endpoint("http://a b"),
        "ClientBuilder::endpoint: ",
    );
    named(
        Client::builder()
            .api(&API)
            .region("r")
            .operation_timeout(Duration::ZERO),
        "ClientBuilder::operation_timeout: ",
    );
    named(
        Client::builder().api(&API).region("r").max_response_body(0),
        "ClientBuilder::max_response_body: ",
    );
    named(
        Client::builder().api(&API).region("r").retry_policy(
            RetryPolicy::default().with_adaptive_rate(AdaptiveRate::default().with_beta(2.0)),
        ),
        "ClientBuilder::retry_policy: ",
    );
    named(
        Client::builder().api(&API),
        "ClientBuilder::region (or ALIBABA_CLOUD_REGION_ID)",
    );
    let e = Client::builder()
        .api(&API)
        .region("r")
        .build()
        .unwrap()
        .with_region("bad region")
        .unwrap_err();
    assert!(e.to_string().contains("Client::with_region: "), "{e}");
}
