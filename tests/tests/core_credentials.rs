//! Credential providers against a real local metadata service and real
//! files in a temporary home; refresh before expiry, once.

mod common;

use common::*;
use ecs_core::credentials::{
    CliProfileProvider, DefaultChain, EcsRamRoleProvider, ProfileProvider, UriProvider,
};
use ecs_core::{Client, Environment, Error, ProvideCredentials};
use ecs_simulator::server::{RecordedRequest, Reply, Response, TestServer};
use ecs_simulator::verify::verify_rpc_signature;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

const TOKEN: &str = "imds-session-token";
const ROLE: &str = "my-ecs-role";
const LIST: &str = "/latest/meta-data/ram/security-credentials/";

fn utc(t: SystemTime) -> String {
    // Reuse nothing from ecs-core: format via the documented layout.
    let secs = t.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs() as i64;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (mut y, mut d) = (1970i64, days);
    loop {
        let len = if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 {
            366
        } else {
            365
        };
        if d < len {
            break;
        }
        d -= len;
        y += 1;
    }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let months = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    let mut m = 0;
    while d >= months[m] {
        d -= months[m];
        m += 1;
    }
    format!(
        "{y:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        m + 1,
        d + 1,
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

fn doc(id: &str, expires_in: Duration) -> String {
    serde_json::json!({
        "Code": "Success",
        "AccessKeyId": id,
        "AccessKeySecret": format!("{id}-secret"),
        "SecurityToken": format!("{id}-token"),
        "Expiration": utc(SystemTime::now() + expires_in),
        "LastUpdated": utc(SystemTime::now()),
    })
    .to_string()
}

/// A metadata service: token endpoint (unless `token_ok` is false), role
/// listing, and credentials numbered by fetch (`id-1`, `id-2`, ...), each
/// expiring after `ttl(n)`.
fn metadata(
    server: &TestServer,
    token_ok: bool,
    ttl: fn(usize) -> Duration,
    delay: Duration,
) -> Arc<AtomicUsize> {
    let fetches = Arc::new(AtomicUsize::new(0));
    let counter = fetches.clone();
    server.set_handler(move |req: &RecordedRequest| -> Reply {
        match (req.method.as_str(), req.path()) {
            ("PUT", "/latest/api/token") if token_ok => {
                Response::new(200, "text/plain", TOKEN).into()
            }
            ("PUT", _) => Response::new(404, "text/plain", "not here").into(),
            ("GET", LIST) => Response::new(200, "text/plain", ROLE).into(),
            ("GET", p) if p == format!("{LIST}{ROLE}") => {
                let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
                Response::json(200, doc(&format!("id-{n}"), ttl(n)))
                    .with_delay(delay)
                    .into()
            }
            _ => Response::new(404, "text/plain", "unknown path").into(),
        }
    });
    fetches
}

fn one_hour(_: usize) -> Duration {
    Duration::from_secs(3600)
}

fn env_for(server: &TestServer) -> Environment {
    Environment::empty().with_metadata_endpoint(server.url())
}

#[tokio::test]
async fn ecs_ram_role_uses_the_metadata_token_flow() {
    let server = TestServer::start().await;
    metadata(&server, true, one_hour, Duration::ZERO);
    let c = EcsRamRoleProvider::new(&env_for(&server))
        .provide()
        .await
        .unwrap();
    assert_eq!(
        (c.access_key_id(), c.access_key_secret(), c.security_token()),
        ("id-1", "id-1-secret", Some("id-1-token"))
    );
    assert!(c.expiration().is_some());
    let reqs = server.requests();
    assert_eq!(reqs[0].method, "PUT");
    assert_eq!(
        reqs[0].header("x-aliyun-ecs-metadata-token-ttl-seconds"),
        Some("21600")
    );
    assert_eq!(reqs[1].path(), LIST);
    assert_eq!(reqs[2].path(), format!("{LIST}{ROLE}"));
    for r in &reqs[1..] {
        assert_eq!(r.header("x-aliyun-ecs-metadata-token"), Some(TOKEN));
    }
}

#[tokio::test]
async fn ecs_ram_role_falls_back_to_imdsv1_without_a_token() {
    let server = TestServer::start().await;
    metadata(&server, false, one_hour, Duration::ZERO);
    let c = EcsRamRoleProvider::new(&env_for(&server))
        .provide()
        .await
        .unwrap();
    assert_eq!(c.access_key_id(), "id-1");
    assert!(server.requests()[1..]
        .iter()
        .all(|r| r.header("x-aliyun-ecs-metadata-token").is_none()));
}

#[tokio::test]
async fn ecs_ram_role_without_token_fails_when_imdsv1_is_disabled() {
    let server = TestServer::start().await;
    metadata(&server, false, one_hour, Duration::ZERO);
    let env = env_for(&server).with_var("ALIBABA_CLOUD_IMDSV1_DISABLED", "true");
    let e = EcsRamRoleProvider::new(&env).provide().await.unwrap_err();
    assert!(
        matches!(e, Error::Credentials { .. }) && e.to_string().contains("IMDSv1"),
        "{e}"
    );
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn ecs_ram_role_named_by_env_skips_the_listing() {
    let server = TestServer::start().await;
    metadata(&server, true, one_hour, Duration::ZERO);
    let env = env_for(&server).with_var("ALIBABA_CLOUD_ECS_METADATA", ROLE);
    EcsRamRoleProvider::new(&env).provide().await.unwrap();
    assert!(server.requests().iter().all(|r| r.path() != LIST));
}

#[tokio::test]
async fn ecs_ram_role_rejects_a_failed_code() {
    let server = TestServer::start().await;
    server.set_handler(|req| match req.path() {
        "/latest/api/token" => Response::new(200, "text/plain", TOKEN).into(),
        LIST => Response::new(200, "text/plain", ROLE).into(),
        _ => Response::json(
            200,
            r#"{"Code":"Failed","AccessKeyId":"a","AccessKeySecret":"b"}"#,
        )
        .into(),
    });
    let e = EcsRamRoleProvider::new(&env_for(&server))
        .provide()
        .await
        .unwrap_err();
    assert!(e.to_string().contains("Failed"), "{e}");
}

#[tokio::test]
async fn credentials_uri_serves_sts_credentials() {
    let server = TestServer::start().await;
    server.set_default(Response::json(
        200,
        doc("uri-id", Duration::from_secs(3600)),
    ));
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
async fn credentials_uri_error_status_is_reported() {
    let server = TestServer::start().await;
    server.set_default(Response::new(500, "text/plain", "boom"));
    let e = UriProvider::new(server.url()).provide().await.unwrap_err();
    assert!(e.to_string().contains("500"), "{e}");
}

#[tokio::test]
async fn default_chain_falls_through_to_the_ecs_ram_role() {
    let server = TestServer::start().await;
    metadata(&server, true, one_hour, Duration::ZERO);
    let home = tempfile::tempdir().unwrap();
    let chain = DefaultChain::new(env_for(&server).with_home(home.path()));
    assert_eq!(chain.provide().await.unwrap().access_key_id(), "id-1");
    assert_eq!(chain.chosen(), Some("ecs_ram_role"));
}

#[tokio::test]
async fn default_chain_uses_the_credentials_uri_last() {
    let server = TestServer::start().await;
    server.set_default(Response::json(
        200,
        doc("uri-id", Duration::from_secs(3600)),
    ));
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
async fn cli_profile_in_ecs_ram_role_mode_asks_the_metadata_service() {
    let server = TestServer::start().await;
    metadata(&server, true, one_hour, Duration::ZERO);
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join(".aliyun")).unwrap();
    std::fs::write(
        home.path().join(".aliyun/config.json"),
        format!(r#"{{"current":"ecs","profiles":[{{"name":"ecs","mode":"EcsRamRole","ram_role_name":"{ROLE}"}}]}}"#),
    )
    .unwrap();
    let c = CliProfileProvider::new(env_for(&server).with_home(home.path()))
        .provide()
        .await
        .unwrap();
    assert_eq!(c.access_key_id(), "id-1");
    assert!(
        server.requests().iter().all(|r| r.path() != LIST),
        "the profile names the role"
    );
}

#[tokio::test]
async fn ini_profile_of_type_ecs_ram_role_asks_the_metadata_service() {
    let server = TestServer::start().await;
    metadata(&server, true, one_hour, Duration::ZERO);
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join(".alibabacloud")).unwrap();
    std::fs::write(
        home.path().join(".alibabacloud/credentials"),
        format!("[default]\ntype = ecs_ram_role\nrole_name = {ROLE}\n"),
    )
    .unwrap();
    let c = ProfileProvider::new(env_for(&server).with_home(home.path()))
        .provide()
        .await
        .unwrap();
    assert_eq!(c.security_token(), Some("id-1-token"));
}

/// An ECS stand-in and a metadata stand-in, and a client using the ECS RAM
/// role through them.
async fn role_client(
    ttl: fn(usize) -> Duration,
    delay: Duration,
) -> (TestServer, TestServer, Arc<AtomicUsize>, Client) {
    let ecs = TestServer::start().await;
    let imds = TestServer::start().await;
    let fetches = metadata(&imds, true, ttl, delay);
    let client = builder(&ecs.url())
        .credentials_provider(EcsRamRoleProvider::new(&env_for(&imds)))
        .build()
        .unwrap();
    (ecs, imds, fetches, client)
}

#[tokio::test]
async fn expiring_credentials_are_refreshed_before_expiry() {
    // The first credentials expire in 60 s, inside the 180 s refresh window.
    fn ttl(n: usize) -> Duration {
        Duration::from_secs(if n == 1 { 60 } else { 3600 })
    }
    let (ecs, _imds, fetches, client) = role_client(ttl, Duration::ZERO).await;
    for _ in 0..3 {
        client.call(&DescribeRegions::default()).await.unwrap();
    }
    let reqs = ecs.requests();
    let ids: Vec<_> = reqs
        .iter()
        .map(|r| r.param("AccessKeyId").unwrap())
        .collect();
    assert_eq!(ids, ["id-1", "id-2", "id-2"]);
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
    for r in &reqs {
        let id = r.param("AccessKeyId").unwrap();
        assert_eq!(r.param("SecurityToken"), Some(format!("{id}-token")));
        verify_rpc_signature(&r.method, r.raw_query(), &format!("{id}-secret")).unwrap();
    }
}

#[tokio::test]
async fn concurrent_calls_fetch_credentials_once() {
    let (ecs, _imds, fetches, client) = role_client(one_hour, Duration::from_millis(100)).await;
    let calls: Vec<_> = (0..8)
        .map(|_| {
            let c = client.clone();
            tokio::spawn(async move { c.call(&DescribeRegions::default()).await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(fetches.load(Ordering::SeqCst), 1);
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
    let client = Client::builder().environment(env).build().unwrap();
    client.call(&DescribeRegions::default()).await.unwrap();
    let r = &ecs.requests()[0];
    assert_eq!(r.param("AccessKeyId").as_deref(), Some("env-id"));
    assert_eq!(r.param("RegionId").as_deref(), Some("cn-shenzhen"));
    verify_rpc_signature(&r.method, r.raw_query(), SECRET).unwrap();
}
