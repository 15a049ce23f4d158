//! The STS role providers against a local STS written for these tests:
//! `AssumeRole` signed with the source credentials (checked by the
//! independent verifier), `AssumeRoleWithOIDC` anonymous with the token
//! file read on every refresh; the issued credentials then sign ECS calls
//! that a local ECS front verifies the same way.

mod common;
mod common_sts;

use common::*;
use common_sts::*;
use ecs_core::credentials::{
    DefaultChain, FetchPolicy, OidcProvider, RamRoleArnProvider, RoleSession, StsConfig,
};
use ecs_core::{Client, Credentials, Environment, ProvideCredentials, RetryPolicy};
use ecs_fault_server::verify::verify_rpc_signature;
use ecs_fault_server::{Response, TestServer};
use std::path::Path;
use std::time::Duration;

const ROLE: &str = "acs:ram::123456789012:role/ecs-operator";
const OIDC_PROVIDER: &str = "acs:ram::123456789012:oidc-provider/ack-rrsa-c1";
const SOURCE_ID: &str = "LTAI-source";
const SOURCE_SECRET: &str = "source-secret-never-shown";
const SOURCE_TOKEN: &str = "source-token-never-shown";

/// Keys with the source access key, an STS stand-in and an ECS front.
async fn cloud() -> (Keys, Sts, TestServer) {
    let keys = Keys::default();
    keys.add(SOURCE_ID, SOURCE_SECRET, None);
    let sts = Sts::start(&keys).await;
    let ecs = ecs(&keys).await;
    (keys, sts, ecs)
}

fn sts_at(sts: &Sts) -> StsConfig {
    StsConfig::endpoint(&sts.url()).unwrap()
}

fn role_provider(sts: &Sts, role: RoleSession) -> RamRoleArnProvider {
    RamRoleArnProvider::new(Credentials::new(SOURCE_ID, SOURCE_SECRET), role)
        .unwrap()
        .with_sts(sts_at(sts))
}

/// The role provider with STS source credentials (id, secret and token).
fn sts_sourced(sts: &Sts) -> RamRoleArnProvider {
    let source = Credentials::sts(SOURCE_ID, SOURCE_SECRET, SOURCE_TOKEN);
    RamRoleArnProvider::new(source, RoleSession::new(ROLE))
        .unwrap()
        .with_sts(sts_at(sts))
}

/// A client of the ECS front using `provider`, without API retries.
fn client_with(ecs: &TestServer, provider: impl ProvideCredentials + 'static) -> Client {
    builder(&ecs.url())
        .credentials_provider(provider)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap()
}

/// The `AccessKeyId` of every call the ECS front accepted.
async fn call_ecs(client: &Client, times: usize, ecs: &TestServer) -> Vec<String> {
    for _ in 0..times {
        client.call(&DescribeRegions::default()).await.unwrap();
    }
    ecs.requests()
        .iter()
        .map(|r| r.param("AccessKeyId").unwrap())
        .collect()
}

#[tokio::test]
async fn assume_role_sends_every_setting_signed_with_the_source_key() {
    let (_keys, sts, ecs) = cloud().await;
    let role = RoleSession::new(ROLE)
        .with_session_name("deploy-42")
        .with_policy(r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"ecs:Describe*","Resource":"*"}]}"#)
        .with_duration(Duration::from_secs(1800));
    let provider = role_provider(&sts, role).with_external_id("ext-7");
    let client = client_with(&ecs, provider);
    assert_eq!(call_ecs(&client, 1, &ecs).await, ["STS.1"]);
    let req = &sts.server.requests()[0];
    verify_rpc_signature(&req.method, req.raw_query(), SOURCE_SECRET).unwrap();
    let p = &sts.calls()[0];
    for (k, v) in [
        ("Action", "AssumeRole"),
        ("Version", "2015-04-01"),
        ("Format", "JSON"),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureVersion", "1.0"),
        ("AccessKeyId", SOURCE_ID),
        ("RoleArn", ROLE),
        ("RoleSessionName", "deploy-42"),
        ("ExternalId", "ext-7"),
        ("DurationSeconds", "1800"),
    ] {
        assert_eq!(p.get(k).map(String::as_str), Some(v), "{k}");
    }
    assert!(p["Policy"].contains("ecs:Describe*"));
    assert!(!p.contains_key("SecurityToken"));
    assert_eq!(req.header("content-length"), Some("0"));
}

#[tokio::test]
async fn assume_role_defaults_to_one_hour_and_an_ecs_rs_session_name() {
    let (_keys, sts, _ecs) = cloud().await;
    role_provider(&sts, RoleSession::new(ROLE))
        .provide()
        .await
        .unwrap();
    let p = &sts.calls()[0];
    assert_eq!(p["DurationSeconds"], "3600");
    assert!(
        p["RoleSessionName"].starts_with("ecs-rs-"),
        "{}",
        p["RoleSessionName"]
    );
    assert!(!p.contains_key("ExternalId") && !p.contains_key("Policy"));
}

#[tokio::test]
async fn assume_role_with_sts_source_credentials_sends_their_token() {
    let (keys, sts, ecs) = cloud().await;
    keys.add("STS.source", SOURCE_SECRET, Some(SOURCE_TOKEN));
    let source = Credentials::sts("STS.source", SOURCE_SECRET, SOURCE_TOKEN);
    let provider = RamRoleArnProvider::new(source, RoleSession::new(ROLE))
        .unwrap()
        .with_sts(sts_at(&sts));
    let client = client_with(&ecs, provider);
    assert_eq!(call_ecs(&client, 1, &ecs).await, ["STS.1"]);
    assert_eq!(sts.calls()[0]["SecurityToken"], SOURCE_TOKEN);
}

#[tokio::test]
async fn role_credentials_are_refreshed_before_they_expire() {
    let (_keys, sts, ecs) = cloud().await;
    // The first credentials last 60 s, inside the 180 s refresh window.
    sts.set_ttl(|n| Duration::from_secs(if n == 1 { 60 } else { 3600 }));
    let client = client_with(&ecs, role_provider(&sts, RoleSession::new(ROLE)));
    assert_eq!(
        call_ecs(&client, 3, &ecs).await,
        ["STS.1", "STS.2", "STS.2"]
    );
    assert_eq!(sts.issued(), 2);
}

#[tokio::test]
async fn ram_role_arn_from_env_uses_the_role_variables_and_the_env_keys() {
    let (_keys, sts, ecs) = cloud().await;
    let env = Environment::empty()
        .with_var("ALIBABA_CLOUD_ACCESS_KEY_ID", SOURCE_ID)
        .with_var("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SOURCE_SECRET)
        .with_var("ALIBABA_CLOUD_ROLE_ARN", ROLE)
        .with_var("ALIBABA_CLOUD_ROLE_SESSION_NAME", "from-env")
        .with_var("ALIBABA_CLOUD_STS_ENDPOINT", sts.url());
    let client = client_with(&ecs, RamRoleArnProvider::from_env(&env).unwrap());
    assert_eq!(call_ecs(&client, 1, &ecs).await, ["STS.1"]);
    let p = &sts.calls()[0];
    assert_eq!(
        (p["RoleArn"].as_str(), p["RoleSessionName"].as_str()),
        (ROLE, "from-env")
    );
}

#[tokio::test]
async fn sts_error_names_code_message_request_id_and_status() {
    let (_keys, sts, _ecs) = cloud().await;
    let missing = "acs:ram::123456789012:role/missing-role";
    let e = error_of(&role_provider(&sts, RoleSession::new(missing))).await;
    let host = sts.url().trim_start_matches("http://").to_string();
    assert_eq!(
        e,
        format!("credentials (ram_role_arn): STS AssumeRole at {host}: HTTP 404 EntityNotExist.Role: The role not exists: {missing}. (RequestId req-EntityNotExist.Role)")
    );
    assert_eq!(sts.server.requests().len(), 1, "not retried");
}

#[tokio::test]
async fn sts_throttling_is_retried_then_succeeds() {
    let (_keys, sts, _ecs) = cloud().await;
    sts.server
        .push(Response::service_error(
            400,
            "Throttling.User",
            "Request was denied due to user flow control.",
        ))
        .push(Response::service_error(
            503,
            "ServiceUnavailable",
            "Try again.",
        ));
    let quick = FetchPolicy::remote().with_base_delay(Duration::from_millis(10));
    let c = role_provider(&sts, RoleSession::new(ROLE))
        .with_sts(sts_at(&sts).with_fetch_policy(quick))
        .provide()
        .await
        .unwrap();
    assert_eq!(c.access_key_id(), "STS.1");
    let nonces: std::collections::HashSet<_> = sts
        .calls()
        .iter()
        .map(|p| p["SignatureNonce"].clone())
        .collect();
    assert_eq!(nonces.len(), 3, "every attempt is signed afresh");
}

#[tokio::test]
async fn sts_retries_the_service_errors_an_api_call_retries() {
    // By their codes, whatever the status: the rule API calls use.
    let (_keys, sts, _ecs) = cloud().await;
    sts.server
        .push(Response::service_error(400, "InternalError", "Oops."))
        .push(Response::service_error(400, "UnknownError", "Unknown."));
    let quick = FetchPolicy::remote().with_base_delay(Duration::from_millis(10));
    let c = role_provider(&sts, RoleSession::new(ROLE))
        .with_sts(sts_at(&sts).with_fetch_policy(quick))
        .provide()
        .await
        .unwrap();
    assert_eq!(c.access_key_id(), "STS.1");
    assert_eq!(sts.server.requests().len(), 3);
}

#[tokio::test]
async fn sts_throttling_retries_are_bounded() {
    let (_keys, sts, _ecs) = cloud().await;
    sts.server
        .set_handler(|_| Response::service_error(400, "Throttling", "Slow down.").into());
    let quick = FetchPolicy::remote()
        .with_max_attempts(2)
        .with_base_delay(Duration::from_millis(10));
    let e = error_of(
        &role_provider(&sts, RoleSession::new(ROLE))
            .with_sts(sts_at(&sts).with_fetch_policy(quick)),
    )
    .await;
    assert_eq!(sts.server.requests().len(), 2);
    assert!(
        e.contains("Throttling: Slow down.") && e.contains("gave up after 2 attempts"),
        "{e}"
    );
}

#[tokio::test]
async fn sts_redirect_is_never_followed() {
    let (_keys, sts, _ecs) = cloud().await;
    let elsewhere = TestServer::start().await;
    let target = format!("{}/assume?SecurityToken={SOURCE_TOKEN}", elsewhere.url());
    sts.server.set_handler(move |_| redirect_to(&target).into());
    let e = error_of(&sts_sourced(&sts)).await;
    assert!(elsewhere.requests().is_empty());
    assert!(
        e.contains("HTTP 307") && e.contains(&format!("`{}/assume`", elsewhere.url())),
        "{e}"
    );
    assert!(
        !e.contains(SOURCE_TOKEN) && !e.contains(SOURCE_SECRET),
        "{e}"
    );
}

#[tokio::test]
async fn sts_error_echoing_the_source_token_is_redacted() {
    let (_keys, sts, _ecs) = cloud().await;
    // A gateway that quotes the string it signed, token included.
    sts.server.set_handler(|req| {
        let echoed = format!("Specified signature is not matched with our calculation. server string to sign is:POST&%2F&{}", req.raw_query());
        Response::service_error(400, "SignatureDoesNotMatch", &echoed).into()
    });
    let e = error_of(&sts_sourced(&sts)).await;
    assert!(
        e.contains("SignatureDoesNotMatch") && e.contains("<redacted>"),
        "{e}"
    );
    assert!(!e.contains(SOURCE_TOKEN), "{e}");
}

/// A token file holding `token`.
fn token_file(dir: &Path, token: &str) -> std::path::PathBuf {
    let path = dir.join("token");
    std::fs::write(&path, token).unwrap();
    path
}

#[tokio::test]
async fn oidc_exchanges_the_token_file_anonymously_and_its_credentials_sign_calls() {
    let (_keys, sts, ecs) = cloud().await;
    let dir = tempfile::tempdir().unwrap();
    let file = token_file(dir.path(), "eyJ.oidc-token-1.sig");
    sts.trust_oidc(OIDC_PROVIDER, &file);
    let role = RoleSession::new(ROLE).with_session_name("pod-a");
    let provider = OidcProvider::new(role, OIDC_PROVIDER, &file)
        .unwrap()
        .with_sts(sts_at(&sts));
    let client = client_with(&ecs, provider);
    assert_eq!(call_ecs(&client, 1, &ecs).await, ["STS.1"]);
    let req = &sts.server.requests()[0];
    assert!(
        !req.raw_query().contains("oidc-token"),
        "the token stays out of the URL"
    );
    let p = &sts.calls()[0];
    for (k, v) in [
        ("Action", "AssumeRoleWithOIDC"),
        ("Version", "2015-04-01"),
        ("RoleArn", ROLE),
        ("OIDCProviderArn", OIDC_PROVIDER),
        ("OIDCToken", "eyJ.oidc-token-1.sig"),
        ("RoleSessionName", "pod-a"),
        ("DurationSeconds", "3600"),
    ] {
        assert_eq!(p.get(k).map(String::as_str), Some(v), "{k}");
    }
    assert!(!p.contains_key("Signature") && !p.contains_key("AccessKeyId"));
}

#[tokio::test]
async fn oidc_token_file_is_read_again_on_refresh() {
    let (_keys, sts, ecs) = cloud().await;
    let dir = tempfile::tempdir().unwrap();
    let file = token_file(dir.path(), "token-before-rotation");
    sts.trust_oidc(OIDC_PROVIDER, &file);
    sts.set_ttl(|n| Duration::from_secs(if n == 1 { 60 } else { 3600 }));
    let provider = OidcProvider::new(RoleSession::new(ROLE), OIDC_PROVIDER, &file)
        .unwrap()
        .with_sts(sts_at(&sts));
    let client = client_with(&ecs, provider);
    client.call(&DescribeRegions::default()).await.unwrap();
    // The platform rotates the token in place; the stand-in now accepts only the new one.
    std::fs::write(&file, "token-after-rotation\n").unwrap();
    client.call(&DescribeRegions::default()).await.unwrap();
    let tokens: Vec<_> = sts.calls().iter().map(|p| p["OIDCToken"].clone()).collect();
    assert_eq!(tokens, ["token-before-rotation", "token-after-rotation"]);
}

#[tokio::test]
async fn default_chain_uses_oidc_from_the_three_variables() {
    let (_keys, sts, ecs) = cloud().await;
    let dir = tempfile::tempdir().unwrap();
    let file = token_file(dir.path(), "rrsa-token");
    sts.trust_oidc(OIDC_PROVIDER, &file);
    let env = Environment::empty()
        .with_home(dir.path())
        .with_var("ALIBABA_CLOUD_ROLE_ARN", ROLE)
        .with_var("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", OIDC_PROVIDER)
        .with_var("ALIBABA_CLOUD_OIDC_TOKEN_FILE", file.to_str().unwrap())
        .with_var("ALIBABA_CLOUD_ROLE_SESSION_NAME", "rrsa-pod")
        .with_var("ALIBABA_CLOUD_STS_ENDPOINT", sts.url());
    let chain = std::sync::Arc::new(DefaultChain::new(env));
    let client = client_with(&ecs, chain.clone());
    assert_eq!(call_ecs(&client, 1, &ecs).await, ["STS.1"]);
    assert_eq!(chain.chosen(), Some("oidc_role_arn"));
    assert_eq!(sts.calls()[0]["RoleSessionName"], "rrsa-pod");
}

#[tokio::test]
async fn oidc_errors_never_show_the_token() {
    let (_keys, sts, _ecs) = cloud().await;
    let dir = tempfile::tempdir().unwrap();
    let token = "eyJhbGciOiJSUzI1NiJ9.secret-claims.signature";
    let file = token_file(dir.path(), token);
    sts.server.set_handler(|req| {
        let body = String::from_utf8_lossy(&req.body).into_owned();
        Response::service_error(
            400,
            "InvalidParameter.OIDCToken",
            &format!("Cannot parse the request body: {body}"),
        )
        .into()
    });
    let e = error_of(
        &OidcProvider::new(RoleSession::new(ROLE), OIDC_PROVIDER, &file)
            .unwrap()
            .with_sts(sts_at(&sts)),
    )
    .await;
    assert!(
        e.contains("InvalidParameter.OIDCToken") && e.contains("<redacted>"),
        "{e}"
    );
    assert!(!e.contains("secret-claims"), "{e}");
}

#[tokio::test]
async fn oidc_unreadable_token_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-token");
    let e = error_of(&OidcProvider::new(RoleSession::new(ROLE), OIDC_PROVIDER, &missing).unwrap())
        .await;
    assert!(
        e.contains(&format!(
            "cannot read the OIDC token file {}",
            missing.display()
        )),
        "{e}"
    );
}

#[tokio::test]
async fn role_sessions_shorter_than_sts_allows_are_rejected_up_front() {
    let e = RamRoleArnProvider::new(
        Credentials::new(SOURCE_ID, SOURCE_SECRET),
        RoleSession::new(ROLE).with_duration(Duration::from_secs(600)),
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("DurationSeconds") && e.contains("600 s") && e.contains("900 s"),
        "{e}"
    );
}

/// Every span and event field, as text.
#[derive(Clone, Default)]
struct Logs(std::sync::Arc<std::sync::Mutex<String>>);

struct Text<'a>(&'a mut String);

impl tracing::field::Visit for Text<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!(" {}={value:?}", field.name()));
    }
}

impl tracing::Subscriber for Logs {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        span.record(&mut Text(&mut self.0.lock().unwrap()));
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        values.record(&mut Text(&mut self.0.lock().unwrap()));
    }
    fn event(&self, event: &tracing::Event<'_>) {
        event.record(&mut Text(&mut self.0.lock().unwrap()));
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[test]
fn secrets_and_tokens_never_appear_in_debug_errors_or_logs() {
    let logs = Logs::default();
    let oidc_token = "eyJ.oidc-secret-claims.sig";
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let shown = tracing::subscriber::with_default(logs.clone(), || {
        rt.block_on(async {
            let (keys, sts, ecs) = cloud().await;
            keys.add("STS.source", SOURCE_SECRET, Some(SOURCE_TOKEN));
            sts.set_ttl(|n| Duration::from_secs(if n == 1 { 60 } else { 3600 }));
            sts.server
                .push(Response::service_error(503, "ServiceUnavailable", "busy"));
            let quick = FetchPolicy::remote().with_base_delay(Duration::from_millis(5));
            let source = Credentials::sts("STS.source", SOURCE_SECRET, SOURCE_TOKEN);
            let provider = RamRoleArnProvider::new(source, RoleSession::new(ROLE))
                .unwrap()
                .with_sts(sts_at(&sts).with_fetch_policy(quick));
            let mut shown = vec![format!("{provider:?}")];
            let client = client_with(&ecs, provider);
            shown.push(format!("{client:?}"));
            // Retried, then issued; then a refresh that fails and falls back.
            client.call(&DescribeRegions::default()).await.unwrap();
            sts.server.set_handler(|req| {
                let echoed = format!("string to sign: {}", req.raw_query());
                Response::service_error(400, "SignatureDoesNotMatch", &echoed).into()
            });
            client.call(&DescribeRegions::default()).await.unwrap();
            let creds = client.credentials().await.unwrap();
            shown.push(format!("{creds:?}"));
            // An OIDC exchange that fails with the token echoed.
            let dir = tempfile::tempdir().unwrap();
            let file = token_file(dir.path(), oidc_token);
            let oidc = OidcProvider::new(RoleSession::new(ROLE), OIDC_PROVIDER, &file)
                .unwrap()
                .with_sts(sts_at(&sts).with_fetch_policy(quick));
            shown.push(format!("{oidc:?}"));
            sts.server.set_handler(|req| {
                let body = String::from_utf8_lossy(&req.body).into_owned();
                Response::service_error(500, "InternalError", &body).into()
            });
            let e = oidc.provide().await.unwrap_err();
            shown.push(format!("{e} {e:?}"));
            let signatures: Vec<String> = sts
                .calls()
                .into_iter()
                .filter_map(|p| p.get("Signature").cloned())
                .collect();
            (shown.join("\n"), signatures)
        })
    });
    let (shown, signatures) = shown;
    assert_eq!(signatures.len(), 3, "two attempts, then one failed refresh");
    let logs = logs.0.lock().unwrap().clone();
    assert!(logs.contains("retrying a credentials request"), "{logs}");
    assert!(logs.contains("using the cached ones"), "{logs}");
    for text in [&shown, &logs] {
        let secrets = [
            SOURCE_SECRET,
            SOURCE_TOKEN,
            "sts-secret-1",
            "sts-token-1",
            "oidc-secret-claims",
        ];
        for secret in secrets
            .iter()
            .copied()
            .chain(signatures.iter().map(String::as_str))
        {
            let encoded = ecs_core::signer::percent_encode(secret);
            assert!(
                !text.contains(secret) && !text.contains(&encoded),
                "{secret} in:\n{text}"
            );
        }
    }
}
