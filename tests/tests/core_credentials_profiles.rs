//! Every mode of the aliyun CLI's `config.json` and every type of the INI
//! credentials file, end to end: real files in a temporary home, a local
//! STS, metadata service and credentials URI written for the tests, real
//! scripts for `External`, and an ECS front that accepts a call only when
//! the independent verifier accepts its signature. Then the default
//! chain's order.

mod common;
mod common_sts;

use common::*;
use common_sts::*;
use ecs_core::credentials::{CliProfileProvider, DefaultChain, ExternalProvider, ProfileProvider};
use ecs_core::{Client, Environment, ProvideCredentials, RetryPolicy};
use ecs_fault_server::TestServer;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

const ROLE: &str = "acs:ram::123456789012:role/fleet";
const SECOND_ROLE: &str = "acs:ram::210987654321:role/cross-account";
const OIDC_PROVIDER: &str = "acs:ram::123456789012:oidc-provider/ack-rrsa-c1";
const AK_ID: &str = "LTAI-profile";
const AK_SECRET: &str = "profile-secret";

/// The stand-ins and a temporary home.
struct World {
    keys: Keys,
    sts: Sts,
    ecs: TestServer,
    imds: Imds,
    home: tempfile::TempDir,
}

impl World {
    async fn new() -> World {
        let keys = Keys::default();
        keys.add(AK_ID, AK_SECRET, None);
        World {
            sts: Sts::start(&keys).await,
            ecs: ecs(&keys).await,
            imds: Imds::start(&keys, "node-role", ImdsOptions::default()).await,
            home: tempfile::tempdir().unwrap(),
            keys,
        }
    }

    /// Nothing but the home and the metadata stand-in.
    fn env(&self) -> Environment {
        Environment::empty()
            .with_home(self.home.path())
            .with_metadata_endpoint(self.imds.url())
    }

    fn write(&self, rel: &str, text: &str) -> PathBuf {
        let path = self.home.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    /// `~/.aliyun/config.json` with `profiles`, the first one current.
    fn cli_config(&self, profiles: serde_json::Value) {
        let current = profiles[0]["name"].clone();
        let config = json!({"current": current, "profiles": profiles, "meta_path": ""});
        self.write(".aliyun/config.json", &config.to_string());
    }

    /// Calls the ECS front once with `provider`; the key id it accepted.
    async fn call(&self, provider: impl ProvideCredentials + 'static) -> String {
        let client: Client = builder(&self.ecs.url())
            .credentials_provider(provider)
            .retry_policy(RetryPolicy::disabled())
            .build()
            .unwrap();
        client.call(&DescribeRegions::default()).await.unwrap();
        self.ecs
            .requests()
            .last()
            .unwrap()
            .param("AccessKeyId")
            .unwrap()
    }

    /// The key id the CLI profile of this home yields at the ECS front.
    async fn cli(&self, env: Environment) -> String {
        self.call(CliProfileProvider::new(env)).await
    }
}

/// An executable script in `dir` that runs `body` with `/bin/sh`.
fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

#[tokio::test]
async fn cli_ak_profile_signs_with_its_access_key() {
    let w = World::new().await;
    w.cli_config(json!([{"name": "ak", "mode": "AK", "access_key_id": AK_ID, "access_key_secret": AK_SECRET, "region_id": "cn-hangzhou"}]));
    assert_eq!(w.cli(w.env()).await, AK_ID);
}

#[tokio::test]
async fn cli_sts_token_profile_sends_its_token() {
    let w = World::new().await;
    w.keys
        .add("STS.cli", "cli-sts-secret", Some("cli-sts-token"));
    w.cli_config(json!([{"name": "sts", "mode": "StsToken", "access_key_id": "STS.cli", "access_key_secret": "cli-sts-secret", "sts_token": "cli-sts-token"}]));
    assert_eq!(w.cli(w.env()).await, "STS.cli");
    assert_eq!(
        w.ecs.requests()[0].param("SecurityToken").as_deref(),
        Some("cli-sts-token")
    );
}

#[tokio::test]
async fn cli_ram_role_arn_profile_assumes_its_role_at_its_sts_endpoint() {
    let w = World::new().await;
    w.cli_config(json!([{
        "name": "arn", "mode": "RamRoleArn", "access_key_id": AK_ID, "access_key_secret": AK_SECRET,
        "ram_role_arn": ROLE, "ram_session_name": "cli-session", "expired_seconds": 1200,
        "external_id": "cli-ext", "policy": "{\"Version\":\"1\"}", "sts_endpoint": w.sts.url(),
    }]));
    assert_eq!(w.cli(w.env()).await, "STS.1");
    let p = &w.sts.calls()[0];
    for (k, v) in [
        ("AccessKeyId", AK_ID),
        ("RoleArn", ROLE),
        ("RoleSessionName", "cli-session"),
        ("DurationSeconds", "1200"),
        ("ExternalId", "cli-ext"),
        ("Policy", "{\"Version\":\"1\"}"),
    ] {
        assert_eq!(p.get(k).map(String::as_str), Some(v), "{k}");
    }
}

#[tokio::test]
async fn cli_ecs_ram_role_profile_asks_the_metadata_service() {
    let w = World::new().await;
    w.cli_config(json!([{"name": "ecs", "mode": "EcsRamRole", "ram_role_name": "node-role"}]));
    assert_eq!(w.cli(w.env()).await, "id-1");
}

#[tokio::test]
async fn cli_chainable_profile_assumes_a_role_with_another_role() {
    let w = World::new().await;
    w.cli_config(json!([
        {"name": "cross", "mode": "ChainableRamRoleArn", "source_profile": "first", "ram_role_arn": SECOND_ROLE, "sts_endpoint": w.sts.url()},
        {"name": "first", "mode": "RamRoleArn", "access_key_id": AK_ID, "access_key_secret": AK_SECRET, "ram_role_arn": ROLE, "sts_endpoint": w.sts.url()},
    ]));
    assert_eq!(w.cli(w.env()).await, "STS.2");
    let calls = w.sts.calls();
    assert_eq!(
        (
            calls[0]["AccessKeyId"].as_str(),
            calls[0]["RoleArn"].as_str()
        ),
        (AK_ID, ROLE)
    );
    assert_eq!(
        (
            calls[1]["AccessKeyId"].as_str(),
            calls[1]["SecurityToken"].as_str(),
            calls[1]["RoleArn"].as_str()
        ),
        ("STS.1", "sts-token-1", SECOND_ROLE)
    );
}

#[tokio::test]
async fn cli_chainable_profile_can_start_from_the_instance_role() {
    let w = World::new().await;
    w.cli_config(json!([
        {"name": "cross", "mode": "ChainableRamRoleArn", "source_profile": "node", "ram_role_arn": ROLE, "sts_endpoint": w.sts.url()},
        {"name": "node", "mode": "EcsRamRole", "ram_role_name": "node-role"},
    ]));
    assert_eq!(w.cli(w.env()).await, "STS.1");
    assert_eq!(w.sts.calls()[0]["AccessKeyId"], "id-1");
}

#[tokio::test]
async fn cli_oidc_profile_exchanges_its_token_file() {
    let w = World::new().await;
    let file = w.write("var/run/token", "cli-oidc-token");
    w.sts.trust_oidc(OIDC_PROVIDER, &file);
    w.cli_config(json!([{
        "name": "oidc", "mode": "OIDC", "ram_role_arn": ROLE, "oidc_provider_arn": OIDC_PROVIDER,
        "oidc_token_file": file, "ram_session_name": "cli-oidc", "sts_endpoint": w.sts.url(),
    }]));
    assert_eq!(w.cli(w.env()).await, "STS.1");
    assert_eq!(w.sts.calls()[0]["RoleSessionName"], "cli-oidc");
}

#[tokio::test]
async fn cli_credentials_uri_profile_fetches_its_uri() {
    let w = World::new().await;
    let uri = credentials_uri(&w.keys, "uri-key").await;
    w.cli_config(json!([{"name": "uri", "mode": "CredentialsURI", "credentials_uri": format!("{}/creds", uri.url())}]));
    assert_eq!(w.cli(w.env()).await, "uri-key");
    assert_eq!(uri.requests()[0].path(), "/creds");
}

#[tokio::test]
async fn cli_credentials_uri_profile_falls_back_to_the_variable() {
    let w = World::new().await;
    let uri = credentials_uri(&w.keys, "uri-key").await;
    w.cli_config(json!([{"name": "uri", "mode": "CredentialsURI"}]));
    let env = w.env().with_var("ALIBABA_CLOUD_CREDENTIALS_URI", uri.url());
    assert_eq!(w.cli(env).await, "uri-key");
}

#[tokio::test]
async fn cli_external_profile_runs_its_process_and_reads_its_output() {
    let w = World::new().await;
    w.keys.add("STS.ext", "ext-secret", Some("ext-token"));
    let dir = w.home.path().join("my tools");
    std::fs::create_dir_all(&dir).unwrap();
    let expires = utc(SystemTime::now() + Duration::from_secs(3600));
    // The script checks its argument and its environment before answering.
    let tool = script(
        &dir,
        "issue-creds",
        &format!(
            r#"[ "$1" = "--profile" ] && [ "$2" = "fleet ops" ] && [ "$FLEET" = "blue" ] || exit 3
echo '{{"mode":"StsToken","access_key_id":"STS.ext","access_key_secret":"ext-secret","sts_token":"ext-token","expiration":"{expires}"}}'"#
        ),
    );
    let command = format!("'{}' --profile \"fleet ops\"", tool.display());
    w.cli_config(json!([{"name": "ext", "mode": "External", "process_command": command}]));
    assert_eq!(w.cli(w.env().with_var("FLEET", "blue")).await, "STS.ext");
}

/// The error of an external process running `body`, stopped after `timeout`.
async fn external_error(body: &str, timeout: Duration) -> String {
    let dir = tempfile::tempdir().unwrap();
    let tool = script(dir.path(), "tool", body);
    let provider = ExternalProvider::new(&tool.display().to_string(), &Environment::empty())
        .unwrap()
        .with_timeout(timeout);
    error_of(&provider).await
}

#[tokio::test]
async fn external_process_failure_shows_its_status_and_stderr() {
    let e = external_error(
        "echo 'token expired, run sso login' >&2; exit 2",
        Duration::from_secs(10),
    )
    .await;
    assert!(
        e.contains("exit status: 2") && e.contains("token expired, run sso login"),
        "{e}"
    );
}

#[tokio::test]
async fn external_process_output_that_is_not_credentials_is_not_quoted() {
    let e = external_error(
        "echo 'access_key_secret=leaked-secret'",
        Duration::from_secs(10),
    )
    .await;
    assert!(
        e.contains("not a credentials document") && !e.contains("leaked-secret"),
        "{e}"
    );
}

#[tokio::test]
async fn external_process_that_hangs_is_stopped_at_its_timeout() {
    let started = std::time::Instant::now();
    let e = external_error("sleep 30", Duration::from_millis(300)).await;
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(e.contains("did not finish within 300ms"), "{e}");
}

#[tokio::test]
async fn ini_ram_role_arn_profile_assumes_its_role() {
    let w = World::new().await;
    w.write(
        ".alibabacloud/credentials",
        &format!("[default]\ntype = ram_role_arn\naccess_key_id = {AK_ID}\naccess_key_secret = {AK_SECRET}\nrole_arn = {ROLE}\nrole_session_name = ini-session\npolicy = {{\"Version\":\"1\"}}\n"),
    );
    let env = w.env().with_var("ALIBABA_CLOUD_STS_ENDPOINT", w.sts.url());
    assert_eq!(w.call(ProfileProvider::new(env)).await, "STS.1");
    let p = &w.sts.calls()[0];
    assert_eq!(
        (p["RoleSessionName"].as_str(), p["Policy"].as_str()),
        ("ini-session", "{\"Version\":\"1\"}")
    );
}

#[tokio::test]
async fn ini_oidc_role_arn_profile_exchanges_its_token_file() {
    let w = World::new().await;
    let file = w.write("token", "ini-oidc-token");
    w.sts.trust_oidc(OIDC_PROVIDER, &file);
    w.write(
        ".alibabacloud/credentials",
        &format!("[default]\ntype = oidc_role_arn\nrole_arn = {ROLE}\noidc_provider_arn = {OIDC_PROVIDER}\noidc_token_file_path = {}\n", file.display()),
    );
    let env = w.env().with_var("ALIBABA_CLOUD_STS_ENDPOINT", w.sts.url());
    assert_eq!(w.call(ProfileProvider::new(env)).await, "STS.1");
}

#[tokio::test]
async fn ini_ecs_ram_role_profile_asks_the_metadata_service() {
    let w = World::new().await;
    w.write(
        ".alibabacloud/credentials.ini",
        "[ops]\ntype = ecs_ram_role\nrole_name = node-role\n",
    );
    let env = w.env().with_var("ALIBABA_CLOUD_PROFILE", "ops");
    assert_eq!(w.call(ProfileProvider::new(env)).await, "id-1");
}

#[tokio::test]
async fn cli_profile_sts_failure_names_the_profile_file_and_sts_error() {
    let w = World::new().await;
    let missing = "acs:ram::123456789012:role/missing";
    w.cli_config(json!([{"name": "arn", "mode": "RamRoleArn", "access_key_id": AK_ID, "access_key_secret": AK_SECRET, "ram_role_arn": missing, "sts_endpoint": w.sts.url()}]));
    let e = error_of(&CliProfileProvider::new(w.env())).await;
    let file = w.home.path().join(".aliyun/config.json");
    assert!(
        e.starts_with(&format!(
            "credentials (cli_profile): profile `arn` ({}): ram_role_arn: STS AssumeRole",
            file.display()
        )) && e.contains("EntityNotExist.Role"),
        "{e}"
    );
}

/// Sets up all six sources, each yielding its own key id, and turns them
/// off one by one: the chain must pick them in the official order.
#[tokio::test]
async fn default_chain_tries_the_sources_in_the_official_order() {
    let w = World::new().await;
    w.keys.add("env-key", "env-secret", None);
    let uri = credentials_uri(&w.keys, "uri-key").await;
    let token = w.write("rrsa/token", "rrsa-token");
    w.sts.trust_oidc(OIDC_PROVIDER, &token);
    w.cli_config(json!([{"name": "default", "mode": "AK", "access_key_id": AK_ID, "access_key_secret": AK_SECRET}]));
    w.keys.add("ini-key", "ini-secret", None);
    w.write(
        ".alibabacloud/credentials",
        "[default]\ntype = access_key\naccess_key_id = ini-key\naccess_key_secret = ini-secret\n",
    );
    let all = w
        .env()
        .with_var("ALIBABA_CLOUD_ACCESS_KEY_ID", "env-key")
        .with_var("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret")
        .with_var("ALIBABA_CLOUD_ROLE_ARN", ROLE)
        .with_var("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", OIDC_PROVIDER)
        .with_var("ALIBABA_CLOUD_OIDC_TOKEN_FILE", token.to_str().unwrap())
        .with_var("ALIBABA_CLOUD_STS_ENDPOINT", w.sts.url())
        .with_var("ALIBABA_CLOUD_CREDENTIALS_URI", uri.url());
    let turn_off: [(&str, &str); 6] = [
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", ""),
        ("ALIBABA_CLOUD_OIDC_TOKEN_FILE", ""),
        ("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true"),
        ("ALIBABA_CLOUD_CREDENTIALS_FILE", "/nonexistent/credentials"),
        ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true"),
        ("ALIBABA_CLOUD_CREDENTIALS_URI", ""),
    ];
    let mut env = all;
    let mut picked = Vec::new();
    for (var, off) in turn_off {
        let chain = Arc::new(DefaultChain::new(env.clone()));
        let key = w.call(chain.clone()).await;
        picked.push((chain.chosen().unwrap(), key));
        env = env.with_var(var, off);
    }
    let expected = [
        ("env", "env-key"),
        ("oidc_role_arn", "STS.1"),
        ("cli_profile", AK_ID),
        ("profile", "ini-key"),
        ("ecs_ram_role", "id-1"),
        ("credentials_uri", "uri-key"),
    ];
    let picked: Vec<(&str, &str)> = picked.iter().map(|(n, k)| (*n, k.as_str())).collect();
    assert_eq!(picked, expected);
    let names: Vec<&str> = ecs_core::credentials::ChainStep::ORDER
        .iter()
        .map(|s| s.name())
        .collect();
    assert_eq!(names, expected.map(|(n, _)| n));
}
