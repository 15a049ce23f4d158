//! Credential providers against a real local metadata service, credentials
//! URI and files in a temporary home: the IMDS flow, bounded retries and
//! time, no redirects, refresh before expiry, and one fetch shared by every
//! waiting caller, success or failure.

mod common;
mod common_sts;

use common::*;
use common_sts::*;
use ecs_core::credentials::{
    CliProfileProvider, DefaultChain, EcsRamRoleProvider, FetchPolicy, ProfileProvider, UriProvider,
};
use ecs_core::{Client, Environment, Error, ProvideCredentials};
use ecs_fault_server::verify::verify_rpc_signature;
use ecs_fault_server::{Response, TestServer};
use std::time::{Duration, Instant};

const ROLE: &str = "my-ecs-role";

fn env_for(imds: &Imds) -> Environment {
    Environment::empty().with_metadata_endpoint(imds.url())
}

async fn imds(options: ImdsOptions) -> Imds {
    Imds::start(&Keys::default(), ROLE, options).await
}

/// Quick retries for tests of the retry loop.
fn quick(attempts: u32) -> FetchPolicy {
    FetchPolicy::metadata()
        .with_max_attempts(attempts)
        .with_base_delay(Duration::from_millis(10))
}

#[tokio::test]
async fn ecs_ram_role_uses_the_metadata_token_flow() {
    let imds = imds(ImdsOptions::default()).await;
    let c = EcsRamRoleProvider::new(&env_for(&imds))
        .provide()
        .await
        .unwrap();
    assert_eq!(
        (c.access_key_id(), c.access_key_secret(), c.security_token()),
        ("id-1", "id-1-secret", Some("id-1-token"))
    );
    assert!(c.expiration().is_some());
    let reqs = imds.server.requests();
    assert_eq!(reqs[0].method, "PUT");
    assert_eq!(
        reqs[0].header("x-aliyun-ecs-metadata-token-ttl-seconds"),
        Some("21600")
    );
    assert_eq!(reqs[1].path(), IMDS_LIST);
    assert_eq!(reqs[2].path(), format!("{IMDS_LIST}{ROLE}"));
    for r in &reqs[1..] {
        assert_eq!(r.header("x-aliyun-ecs-metadata-token"), Some(IMDS_TOKEN));
    }
}

#[tokio::test]
async fn ecs_ram_role_falls_back_to_imdsv1_without_a_token() {
    let imds = imds(ImdsOptions {
        token: false,
        ..ImdsOptions::default()
    })
    .await;
    let c = EcsRamRoleProvider::new(&env_for(&imds))
        .provide()
        .await
        .unwrap();
    assert_eq!(c.access_key_id(), "id-1");
    assert!(imds.server.requests()[1..]
        .iter()
        .all(|r| r.header("x-aliyun-ecs-metadata-token").is_none()));
}

#[tokio::test]
async fn ecs_ram_role_without_token_fails_when_imdsv1_is_disabled() {
    let imds = imds(ImdsOptions {
        token: false,
        ..ImdsOptions::default()
    })
    .await;
    let env = env_for(&imds).with_var("ALIBABA_CLOUD_IMDSV1_DISABLED", "true");
    let e = EcsRamRoleProvider::new(&env).provide().await.unwrap_err();
    assert!(
        matches!(e, Error::Credentials { .. })
            && e.to_string().contains("ALIBABA_CLOUD_IMDSV1_DISABLED"),
        "{e}"
    );
    assert_eq!(imds.server.requests().len(), 1);
}

#[tokio::test]
async fn ecs_ram_role_named_by_env_skips_the_listing() {
    let imds = imds(ImdsOptions::default()).await;
    let env = env_for(&imds).with_var("ALIBABA_CLOUD_ECS_METADATA", ROLE);
    EcsRamRoleProvider::new(&env).provide().await.unwrap();
    assert!(imds.server.requests().iter().all(|r| r.path() != IMDS_LIST));
}

#[tokio::test]
async fn ecs_ram_role_rejects_a_failed_code() {
    let server = TestServer::start().await;
    server.set_handler(|req| match req.path() {
        "/latest/api/token" => Response::new(200, "text/plain", IMDS_TOKEN).into(),
        IMDS_LIST => Response::new(200, "text/plain", ROLE).into(),
        _ => Response::json(
            200,
            r#"{"Code":"Failed","AccessKeyId":"a","AccessKeySecret":"b"}"#,
        )
        .into(),
    });
    let env = Environment::empty().with_metadata_endpoint(server.url());
    let e = EcsRamRoleProvider::new(&env).provide().await.unwrap_err();
    assert!(e.to_string().contains("Failed"), "{e}");
}

/// A server answering 307 to `elsewhere`, which must never be asked.
async fn redirecting() -> (TestServer, TestServer) {
    let (server, elsewhere) = (TestServer::start().await, TestServer::start().await);
    let target = format!("{}/stolen?token=leak", elsewhere.url());
    server.set_handler(move |req| match req.path() {
        "/latest/api/token" => Response::new(200, "text/plain", IMDS_TOKEN).into(),
        _ => redirect_to(&target).into(),
    });
    (server, elsewhere)
}

#[tokio::test]
async fn ecs_ram_role_never_follows_a_redirect() {
    let (server, elsewhere) = redirecting().await;
    let env = Environment::empty()
        .with_metadata_endpoint(server.url())
        .with_var("ALIBABA_CLOUD_ECS_METADATA", ROLE);
    let e = error_of(&EcsRamRoleProvider::new(&env)).await;
    assert!(elsewhere.requests().is_empty());
    assert!(
        e.contains("307") && e.contains(&format!("`{}/stolen`", elsewhere.url())),
        "{e}"
    );
    assert!(!e.contains(IMDS_TOKEN) && !e.contains("leak"), "{e}");
    assert_eq!(server.requests().len(), 2, "a redirect is not retried");
}

#[tokio::test]
async fn credentials_uri_never_follows_a_redirect() {
    let (server, elsewhere) = redirecting().await;
    let e = error_of(&UriProvider::new(format!("{}/creds", server.url()))).await;
    assert!(elsewhere.requests().is_empty());
    assert!(e.contains("307") && e.contains("/stolen`"), "{e}");
}

#[tokio::test]
async fn ecs_ram_role_retries_a_failing_metadata_service() {
    let imds = imds(ImdsOptions::default()).await;
    let path = format!("{IMDS_LIST}{ROLE}");
    imds.server
        .push(Response::new(200, "text/plain", IMDS_TOKEN))
        .push(Response::new(500, "text/plain", "busy"))
        .push(Response::new(503, "text/plain", "busy"));
    let env = env_for(&imds).with_var("ALIBABA_CLOUD_ECS_METADATA", ROLE);
    let c = EcsRamRoleProvider::new(&env)
        .with_fetch_policy(quick(3))
        .provide()
        .await
        .unwrap();
    assert_eq!(c.access_key_id(), "id-1");
    let asked = imds.server.requests();
    assert_eq!(asked.iter().filter(|r| r.path() == path).count(), 3);
}

#[tokio::test]
async fn ecs_ram_role_gives_up_after_its_attempts() {
    let server = TestServer::start().await;
    server.set_default(Response::new(500, "text/plain", "down"));
    let env = Environment::empty()
        .with_metadata_endpoint(server.url())
        .with_var("ALIBABA_CLOUD_ECS_METADATA", ROLE);
    let e = error_of(&EcsRamRoleProvider::new(&env).with_fetch_policy(quick(3))).await;
    // The token is asked once (IMDSv1 is its fallback), the role three times.
    assert_eq!(server.requests().len(), 4);
    assert!(
        e.contains("HTTP 500: down") && e.contains("gave up after 3 attempts"),
        "{e}"
    );
}

#[tokio::test]
async fn ecs_ram_role_does_not_retry_what_retrying_cannot_fix() {
    let server = TestServer::start().await;
    server.set_default(Response::new(404, "text/plain", "no such role"));
    let env = Environment::empty()
        .with_metadata_endpoint(server.url())
        .with_var("ALIBABA_CLOUD_ECS_METADATA", "other-role");
    let e = error_of(&EcsRamRoleProvider::new(&env).with_fetch_policy(quick(3))).await;
    assert_eq!(server.requests().len(), 2, "{e}");
    assert!(e.contains("HTTP 404"), "{e}");
}

#[tokio::test]
async fn ecs_ram_role_with_nothing_listening_fails_at_once() {
    let closed = TestServer::start().await;
    let url = closed.url();
    drop(closed);
    let env = Environment::empty().with_metadata_endpoint(&url);
    let e = error_of(&EcsRamRoleProvider::new(&env)).await;
    assert!(
        e.contains(&format!("the metadata service at {url} is unreachable")),
        "{e}"
    );
}

#[tokio::test]
async fn a_slow_metadata_service_is_abandoned_within_the_default_total_time() {
    let server = TestServer::start().await;
    server.set_default(Response::new(200, "text/plain", ROLE).with_delay(Duration::from_secs(30)));
    let env = Environment::empty().with_metadata_endpoint(server.url());
    let started = Instant::now();
    let e = error_of(&EcsRamRoleProvider::new(&env)).await;
    let took = started.elapsed();
    let policy = FetchPolicy::metadata();
    assert!(
        took <= policy.total_timeout + Duration::from_secs(1),
        "{took:?}: {e}"
    );
    assert!(e.contains("timed out") && e.contains("gave up"), "{e}");
    // One token attempt, then the listing at most `max_attempts` times.
    assert!(server.requests().len() as u32 <= 1 + policy.max_attempts);
}

#[tokio::test]
async fn a_slow_metadata_service_is_abandoned_within_a_configured_total_time() {
    let server = TestServer::start().await;
    server.set_default(Response::new(200, "text/plain", ROLE).with_delay(Duration::from_secs(30)));
    let env = Environment::empty()
        .with_metadata_endpoint(server.url())
        .with_var("ALIBABA_CLOUD_ECS_METADATA", ROLE);
    let policy = FetchPolicy::metadata()
        .with_attempt_timeout(Duration::from_millis(200))
        .with_total_timeout(Duration::from_millis(500));
    let started = Instant::now();
    let e = EcsRamRoleProvider::new(&env)
        .with_fetch_policy(policy)
        .provide()
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_millis(1500), "{e}");
    assert!(e.to_string().contains("gave up"), "{e}");
}

#[tokio::test]
async fn credentials_uri_serves_sts_credentials() {
    let server = credentials_uri(&Keys::default(), "uri-id").await;
    let c = UriProvider::new(format!("{}/creds", server.url()))
        .provide()
        .await
        .unwrap();
    assert_eq!(
        (c.access_key_id(), c.security_token()),
        ("uri-id", Some("uri-id-token"))
    );
    assert_eq!(server.requests()[0].path(), "/creds");
}

#[tokio::test]
async fn credentials_uri_retries_a_transient_failure() {
    let server = credentials_uri(&Keys::default(), "uri-id").await;
    server.push(Response::new(503, "text/plain", "warming up"));
    let c = UriProvider::new(server.url())
        .with_fetch_policy(quick(2))
        .provide()
        .await
        .unwrap();
    assert_eq!(c.access_key_id(), "uri-id");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn credentials_uri_error_status_is_reported() {
    let server = TestServer::start().await;
    server.set_default(Response::new(403, "text/plain", "forbidden"));
    let e = UriProvider::new(server.url()).provide().await.unwrap_err();
    assert!(e.to_string().contains("HTTP 403: forbidden"), "{e}");
    assert_eq!(server.requests().len(), 1);
}

/// `n` concurrent calls of `client`.
fn spawn_calls(client: &Client, n: usize) -> Vec<tokio::task::JoinHandle<Result<Regions, Error>>> {
    (0..n)
        .map(|_| {
            let c = client.clone();
            tokio::spawn(async move { c.call(&DescribeRegions::default()).await })
        })
        .collect()
}

#[tokio::test]
async fn waiting_callers_share_one_failing_fetch() {
    let ecs = TestServer::start().await;
    let uri = TestServer::start().await;
    uri.set_default(
        Response::new(403, "text/plain", "denied").with_delay(Duration::from_millis(500)),
    );
    let client = builder(&ecs.url())
        .credentials_provider(UriProvider::new(uri.url()))
        .build()
        .unwrap();
    let started = Instant::now();
    let calls = spawn_calls(&client, 16);
    for call in calls {
        let e = call.await.unwrap().unwrap_err();
        assert!(
            matches!(e, Error::Credentials { .. }) && e.to_string().contains("403"),
            "{e}"
        );
    }
    assert_eq!(uri.requests().len(), 1, "one fetch for 16 callers");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert!(ecs.requests().is_empty());
}

#[tokio::test]
async fn a_credentials_failure_during_a_call_names_the_call() {
    let ecs = TestServer::start().await;
    let uri = TestServer::start().await;
    uri.set_default(Response::new(403, "text/plain", "denied"));
    let client = builder(&ecs.url())
        .credentials_provider(UriProvider::new(uri.url()))
        .build()
        .unwrap();
    let e = client.call(&DescribeRegions::default()).await.unwrap_err();
    assert!(matches!(e, Error::Credentials { .. }), "{e}");
    let host = ecs.addr().to_string();
    assert_eq!(e.operation(), Some("DescribeRegions"));
    assert_eq!(e.host(), Some(host.as_str()));
    assert_eq!(e.attempts(), 0, "nothing was sent");
    assert!(e.elapsed().is_some());
    let text = e.to_string();
    assert!(
        text.starts_with(&format!("DescribeRegions to {host}: credentials (")),
        "{text}"
    );
    assert!(
        text.contains("403") && text.contains("(0 attempts in "),
        "{text}"
    );
    assert!(ecs.requests().is_empty());

    let outside = client.credentials().await.unwrap_err();
    assert!(
        matches!(outside, Error::Credentials { call: None, .. }),
        "{outside}"
    );
}

#[tokio::test]
async fn waiting_callers_share_one_retried_fetch() {
    let ecs = TestServer::start().await;
    let server = TestServer::start().await;
    server.set_default(
        Response::new(500, "text/plain", "down").with_delay(Duration::from_millis(50)),
    );
    let env = Environment::empty()
        .with_metadata_endpoint(server.url())
        .with_var("ALIBABA_CLOUD_ECS_METADATA", ROLE);
    let client = builder(&ecs.url())
        .credentials_provider(EcsRamRoleProvider::new(&env).with_fetch_policy(quick(3)))
        .build()
        .unwrap();
    let calls = spawn_calls(&client, 16);
    for call in calls {
        assert!(call
            .await
            .unwrap()
            .unwrap_err()
            .to_string()
            .contains("gave up"));
    }
    // One fetch: the token once, the role three times.
    assert_eq!(server.requests().len(), 4);
}

#[tokio::test]
async fn default_chain_falls_through_to_the_ecs_ram_role() {
    let imds = imds(ImdsOptions::default()).await;
    let home = tempfile::tempdir().unwrap();
    let chain = DefaultChain::new(env_for(&imds).with_home(home.path()));
    assert_eq!(chain.provide().await.unwrap().access_key_id(), "id-1");
    assert_eq!(chain.chosen(), Some("ecs_ram_role"));
}

#[tokio::test]
async fn default_chain_uses_the_credentials_uri_last() {
    let server = credentials_uri(&Keys::default(), "uri-id").await;
    let home = tempfile::tempdir().unwrap();
    let env = Environment::empty()
        .with_home(home.path())
        .with_var("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
        .with_var("ALIBABA_CLOUD_CREDENTIALS_URI", server.url());
    let chain = DefaultChain::new(env);
    assert_eq!(chain.provide().await.unwrap().access_key_id(), "uri-id");
    assert_eq!(chain.chosen(), Some("credentials_uri"));
}

#[tokio::test]
async fn default_chain_error_includes_each_failure() {
    let uri = TestServer::start().await;
    uri.set_default(Response::new(403, "text/plain", "denied"));
    let home = tempfile::tempdir().unwrap();
    let closed = TestServer::start().await;
    let imds_url = closed.url();
    drop(closed);
    let env = Environment::empty()
        .with_home(home.path())
        .with_metadata_endpoint(&imds_url)
        .with_var("ALIBABA_CLOUD_CREDENTIALS_URI", uri.url());
    let e = error_of(&DefaultChain::new(env)).await;
    assert!(
        e.contains(&format!(
            "ecs_ram_role: the metadata service at {imds_url} is unreachable"
        )) && e.contains("credentials_uri: the credentials URI: HTTP 403: denied"),
        "{e}"
    );
}

#[tokio::test]
async fn cli_profile_in_ecs_ram_role_mode_asks_the_metadata_service() {
    let imds = imds(ImdsOptions::default()).await;
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join(".aliyun")).unwrap();
    std::fs::write(
        home.path().join(".aliyun/config.json"),
        format!(r#"{{"current":"ecs","profiles":[{{"name":"ecs","mode":"EcsRamRole","ram_role_name":"{ROLE}"}}]}}"#),
    )
    .unwrap();
    let c = CliProfileProvider::new(env_for(&imds).with_home(home.path()))
        .provide()
        .await
        .unwrap();
    assert_eq!(c.access_key_id(), "id-1");
    assert!(
        imds.server.requests().iter().all(|r| r.path() != IMDS_LIST),
        "the profile names the role"
    );
}

#[tokio::test]
async fn ini_profile_of_type_ecs_ram_role_asks_the_metadata_service() {
    let imds = imds(ImdsOptions::default()).await;
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join(".alibabacloud")).unwrap();
    std::fs::write(
        home.path().join(".alibabacloud/credentials"),
        format!("[default]\ntype = ecs_ram_role\nrole_name = {ROLE}\n"),
    )
    .unwrap();
    let c = ProfileProvider::new(env_for(&imds).with_home(home.path()))
        .provide()
        .await
        .unwrap();
    assert_eq!(c.security_token(), Some("id-1-token"));
}

/// An ECS stand-in and a metadata stand-in, and a client using the ECS RAM
/// role through them.
async fn role_client(options: ImdsOptions) -> (TestServer, Imds, Client) {
    let ecs = TestServer::start().await;
    let imds = imds(options).await;
    let client = builder(&ecs.url())
        .credentials_provider(EcsRamRoleProvider::new(&env_for(&imds)))
        .build()
        .unwrap();
    (ecs, imds, client)
}

#[tokio::test]
async fn expiring_credentials_are_refreshed_before_expiry() {
    // The first credentials expire in 60 s, inside the 180 s refresh window.
    fn ttl(n: usize) -> Duration {
        Duration::from_secs(if n == 1 { 60 } else { 3600 })
    }
    let (ecs, imds, client) = role_client(ImdsOptions {
        ttl,
        ..ImdsOptions::default()
    })
    .await;
    for _ in 0..3 {
        client.call(&DescribeRegions::default()).await.unwrap();
    }
    let reqs = ecs.requests();
    let ids: Vec<_> = reqs
        .iter()
        .map(|r| r.param("AccessKeyId").unwrap())
        .collect();
    assert_eq!(ids, ["id-1", "id-2", "id-2"]);
    assert_eq!(imds.fetches(), 2);
    for r in &reqs {
        let id = r.param("AccessKeyId").unwrap();
        assert_eq!(r.param("SecurityToken"), Some(format!("{id}-token")));
        verify_rpc_signature(&r.method, r.raw_query(), &format!("{id}-secret")).unwrap();
    }
}

#[tokio::test]
async fn concurrent_calls_fetch_credentials_once() {
    let (ecs, imds, client) = role_client(ImdsOptions {
        delay: Duration::from_millis(100),
        ..ImdsOptions::default()
    })
    .await;
    let calls = spawn_calls(&client, 8);
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(imds.fetches(), 1);
    assert_eq!(ecs.requests().len(), 8);
}

#[tokio::test]
async fn credential_failures_surface_as_credentials_errors_without_io_to_ecs() {
    let ecs = TestServer::start().await;
    let home = tempfile::tempdir().unwrap();
    let env = Environment::empty()
        .with_home(home.path())
        .with_var("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true");
    let client = builder(&ecs.url())
        .credentials_provider(DefaultChain::new(env))
        .build()
        .unwrap();
    let e = client.call(&DescribeRegions::default()).await.unwrap_err();
    assert!(matches!(e, Error::Credentials { .. }), "{e}");
    assert!(ecs.requests().is_empty());
}

#[tokio::test]
async fn client_from_an_environment_uses_env_credentials_region_and_endpoint() {
    let ecs = TestServer::start().await;
    let home = tempfile::tempdir().unwrap();
    let env = Environment::empty()
        .with_home(home.path())
        .with_var("ALIBABA_CLOUD_ACCESS_KEY_ID", "env-id")
        .with_var("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET)
        .with_var("ALIBABA_CLOUD_REGION_ID", "cn-shenzhen")
        .with_var("ALIBABA_CLOUD_ECS_ENDPOINT", ecs.url());
    let client = Client::builder()
        .api(&API)
        .environment(env)
        .build()
        .unwrap();
    client.call(&DescribeRegions::default()).await.unwrap();
    let r = &ecs.requests()[0];
    assert_eq!(r.param("AccessKeyId").as_deref(), Some("env-id"));
    assert_eq!(r.param("RegionId").as_deref(), Some("cn-shenzhen"));
    verify_rpc_signature(&r.method, r.raw_query(), SECRET).unwrap();
}
