use super::*;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

fn home() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn write(dir: &Path, rel: &str, text: &str) -> PathBuf {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

/// An environment that can reach no metadata service.
fn env_in(home: &Path) -> Environment {
    Environment::empty()
        .with_home(home)
        .with_var("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
}

fn block<T>(f: impl Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

fn provide(p: &dyn ProvideCredentials) -> Result<Credentials, Error> {
    block(p.provide())
}

#[test]
fn debug_never_shows_the_secret_or_token() {
    let c = Credentials::sts("AKID", "very-secret", "sts-token-value");
    let shown = format!("{c:?}");
    assert!(shown.contains("AKID"));
    assert!(
        !shown.contains("very-secret") && !shown.contains("sts-token-value"),
        "{shown}"
    );
}

#[test]
fn environment_debug_shows_variable_names_only() {
    let env = Environment::empty().with_var("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "very-secret");
    let shown = format!("{env:?}");
    assert!(
        shown.contains("ALIBABA_CLOUD_ACCESS_KEY_SECRET") && !shown.contains("very-secret"),
        "{shown}"
    );
}

#[test]
fn static_credentials_with_an_empty_secret_are_rejected() {
    let e = provide(&Credentials::new("id", "")).unwrap_err();
    assert!(e.to_string().contains("non-empty"), "{e}");
}

#[test]
fn env_provider_reads_the_access_key_pair() {
    let env = Environment::empty()
        .with_var("ALIBABA_CLOUD_ACCESS_KEY_ID", "id")
        .with_var("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "secret");
    let c = provide(&EnvProvider::new(env)).unwrap();
    assert_eq!(
        (c.access_key_id(), c.access_key_secret(), c.security_token()),
        ("id", "secret", None)
    );
}

#[test]
fn env_provider_with_a_security_token_gives_sts_credentials() {
    let env = Environment::empty()
        .with_var("ALIBABA_CLOUD_ACCESS_KEY_ID", "id")
        .with_var("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "secret")
        .with_var("ALIBABA_CLOUD_SECURITY_TOKEN", "tok");
    assert_eq!(
        provide(&EnvProvider::new(env)).unwrap().security_token(),
        Some("tok")
    );
}

#[test]
fn env_provider_falls_back_to_alicloud_variables() {
    let env = Environment::empty()
        .with_var("ALICLOUD_ACCESS_KEY", "tf-id")
        .with_var("ALICLOUD_SECRET_KEY", "tf-secret");
    let c = provide(&EnvProvider::new(env)).unwrap();
    assert_eq!(
        (c.access_key_id(), c.access_key_secret()),
        ("tf-id", "tf-secret")
    );
}

#[test]
fn env_provider_prefers_alibaba_cloud_variables() {
    let env = Environment::empty()
        .with_var("ALIBABA_CLOUD_ACCESS_KEY_ID", "id")
        .with_var("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "secret")
        .with_var("ALICLOUD_ACCESS_KEY_ID", "other")
        .with_var("ALICLOUD_ACCESS_KEY_SECRET", "other");
    assert_eq!(
        provide(&EnvProvider::new(env)).unwrap().access_key_id(),
        "id"
    );
}

#[test]
fn env_provider_ignores_an_incomplete_or_empty_pair() {
    let env = Environment::empty()
        .with_var("ALIBABA_CLOUD_ACCESS_KEY_ID", "id")
        .with_var("ALIBABA_CLOUD_ACCESS_KEY_SECRET", " ");
    let e = provide(&EnvProvider::new(env)).unwrap_err();
    assert!(e.to_string().contains("ALIBABA_CLOUD_ACCESS_KEY_ID"), "{e}");
}

const CLI_CONFIG: &str = r#"{
  "current": "main",
  "profiles": [
    {"name": "main", "mode": "AK", "access_key_id": "cli-id", "access_key_secret": "cli-secret", "region_id": "cn-hangzhou"},
    {"name": "sts", "mode": "StsToken", "access_key_id": "sts-id", "access_key_secret": "sts-secret", "sts_token": "sts-tok"},
    {"name": "arn", "mode": "RamRoleArn", "access_key_id": "a", "access_key_secret": "b", "ram_role_arn": "acs:ram::1:role/x"}
  ],
  "meta_path": ""
}"#;

#[test]
fn cli_profile_reads_the_current_ak_profile() {
    let h = home();
    write(h.path(), ".aliyun/config.json", CLI_CONFIG);
    let c = provide(&CliProfileProvider::new(env_in(h.path()))).unwrap();
    assert_eq!(
        (c.access_key_id(), c.access_key_secret()),
        ("cli-id", "cli-secret")
    );
}

#[test]
fn cli_profile_named_by_env_reads_sts_token_mode() {
    let h = home();
    write(h.path(), ".aliyun/config.json", CLI_CONFIG);
    let env = env_in(h.path()).with_var("ALIBABA_CLOUD_PROFILE", "sts");
    let c = provide(&CliProfileProvider::new(env)).unwrap();
    assert_eq!(
        (c.access_key_id(), c.security_token()),
        ("sts-id", Some("sts-tok"))
    );
}

#[test]
fn cli_profile_file_can_be_named_by_env() {
    let h = home();
    let path = write(h.path(), "elsewhere/cli.json", CLI_CONFIG);
    let env = Environment::empty().with_var("ALIBABA_CLOUD_CONFIG_FILE", path.to_str().unwrap());
    assert_eq!(
        provide(&CliProfileProvider::new(env))
            .unwrap()
            .access_key_id(),
        "cli-id"
    );
}

#[test]
fn cli_profile_unsupported_mode_is_named() {
    let h = home();
    write(h.path(), ".aliyun/config.json", CLI_CONFIG);
    let env = env_in(h.path()).with_var("ALIBABA_CLOUD_PROFILE", "arn");
    let e = provide(&CliProfileProvider::new(env))
        .unwrap_err()
        .to_string();
    assert!(e.contains("RamRoleArn") && e.contains("arn"), "{e}");
}

#[test]
fn cli_profile_missing_profile_is_named() {
    let h = home();
    write(h.path(), ".aliyun/config.json", CLI_CONFIG);
    let env = env_in(h.path()).with_var("ALIBABA_CLOUD_PROFILE", "nope");
    let e = provide(&CliProfileProvider::new(env))
        .unwrap_err()
        .to_string();
    assert!(e.contains("`nope`"), "{e}");
}

#[test]
fn cli_profile_invalid_json_names_the_file() {
    let h = home();
    write(h.path(), ".aliyun/config.json", "{not json");
    let e = provide(&CliProfileProvider::new(env_in(h.path())))
        .unwrap_err()
        .to_string();
    assert!(e.contains("config.json"), "{e}");
}

const INI: &str = "\
# comment line
[default]
type = access_key                  # inline comment
access_key_id = ini-id
access_key_secret = ini#secret

[project]
type = access_key
access_key_id = proj-id
access_key_secret = proj-secret

[odd]
type = rsa_key_pair
";

#[test]
fn ini_profile_reads_the_default_section() {
    let h = home();
    write(h.path(), ".alibabacloud/credentials", INI);
    let c = provide(&ProfileProvider::new(env_in(h.path()))).unwrap();
    assert_eq!(
        (c.access_key_id(), c.access_key_secret()),
        ("ini-id", "ini#secret")
    );
}

#[test]
fn ini_profile_reads_credentials_ini_too() {
    let h = home();
    write(h.path(), ".alibabacloud/credentials.ini", INI);
    assert_eq!(
        provide(&ProfileProvider::new(env_in(h.path())))
            .unwrap()
            .access_key_id(),
        "ini-id"
    );
}

#[test]
fn ini_profile_section_is_chosen_by_env() {
    let h = home();
    write(h.path(), ".alibabacloud/credentials", INI);
    let env = env_in(h.path()).with_var("ALIBABA_CLOUD_PROFILE", "project");
    assert_eq!(
        provide(&ProfileProvider::new(env)).unwrap().access_key_id(),
        "proj-id"
    );
}

#[test]
fn ini_profile_unsupported_type_is_named() {
    let h = home();
    write(h.path(), ".alibabacloud/credentials", INI);
    let env = env_in(h.path()).with_var("ALIBABA_CLOUD_PROFILE", "odd");
    let e = provide(&ProfileProvider::new(env)).unwrap_err().to_string();
    assert!(e.contains("rsa_key_pair"), "{e}");
}

#[test]
fn credentials_document_requires_success_code() {
    let e = parse_document(
        "t",
        r#"{"Code":"Failed","AccessKeyId":"a","AccessKeySecret":"b"}"#,
        true,
    )
    .unwrap_err();
    assert!(e.to_string().contains("Failed"), "{e}");
}

#[test]
fn credentials_document_parses_token_and_expiration() {
    let c = parse_document(
        "t",
        r#"{"Code":"Success","AccessKeyId":"a","AccessKeySecret":"b","SecurityToken":"s","Expiration":"2030-01-02T03:04:05Z"}"#,
        true,
    )
    .unwrap();
    assert_eq!(c.security_token(), Some("s"));
    assert_eq!(
        c.expiration().map(crate::utc::format).as_deref(),
        Some("2030-01-02T03:04:05Z")
    );
}

#[test]
fn credentials_document_with_a_bad_expiration_is_rejected() {
    let e = parse_document(
        "t",
        r#"{"AccessKeyId":"a","AccessKeySecret":"b","Expiration":"tomorrow"}"#,
        false,
    )
    .unwrap_err();
    assert!(e.to_string().contains("tomorrow"), "{e}");
}

/// Counts fetches; each answer expires `ttl` from now.
#[derive(Debug)]
struct Counting {
    calls: AtomicUsize,
    ttl: Duration,
    fail_after_first: bool,
}

impl ProvideCredentials for Counting {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, Error>> {
        Box::pin(async move {
            let n = self.calls.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(20)).await;
            if self.fail_after_first && n > 0 {
                return Err(Error::credentials("counting", "down"));
            }
            Ok(Credentials::sts(format!("id{n}"), "s", "t")
                .with_expiration(SystemTime::now() + self.ttl))
        })
    }
}

fn counting(ttl: Duration, fail_after_first: bool) -> Arc<Counting> {
    Arc::new(Counting {
        calls: AtomicUsize::new(0),
        ttl,
        fail_after_first,
    })
}

#[test]
fn cache_reuses_credentials_far_from_expiry() {
    let inner = counting(Duration::from_secs(3600), false);
    let cache = CachingProvider::new(inner.clone());
    block(async {
        cache.provide().await.unwrap();
        cache.provide().await.unwrap();
    });
    assert_eq!(inner.calls.load(Ordering::SeqCst), 1);
}

#[test]
fn cache_refreshes_credentials_inside_the_refresh_window() {
    let inner = counting(Duration::from_secs(100), false);
    let cache = CachingProvider::new(inner.clone());
    let ids = block(async {
        (
            cache.provide().await.unwrap(),
            cache.provide().await.unwrap(),
        )
    });
    assert_eq!(
        (ids.0.access_key_id(), ids.1.access_key_id()),
        ("id0", "id1")
    );
}

#[test]
fn cache_refreshes_once_for_concurrent_callers() {
    let inner = counting(Duration::from_secs(3600), false);
    let cache = Arc::new(CachingProvider::new(inner.clone()));
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            let tasks: Vec<_> = (0..16)
                .map(|_| {
                    let c = cache.clone();
                    tokio::spawn(async move { c.provide().await.unwrap() })
                })
                .collect();
            for t in tasks {
                assert_eq!(t.await.unwrap().access_key_id(), "id0");
            }
        });
    assert_eq!(inner.calls.load(Ordering::SeqCst), 1);
}

#[test]
fn cache_keeps_unexpired_credentials_when_refresh_fails() {
    let inner = counting(Duration::from_secs(100), true);
    let cache = CachingProvider::new(inner.clone());
    let second = block(async {
        cache.provide().await.unwrap();
        cache.provide().await
    });
    assert_eq!(second.unwrap().access_key_id(), "id0");
    assert_eq!(inner.calls.load(Ordering::SeqCst), 2);
}

#[test]
fn chain_prefers_env_over_profiles() {
    let h = home();
    write(h.path(), ".aliyun/config.json", CLI_CONFIG);
    let env = env_in(h.path())
        .with_var("ALIBABA_CLOUD_ACCESS_KEY_ID", "env-id")
        .with_var("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret");
    let chain = DefaultChain::new(env);
    assert_eq!(provide(&chain).unwrap().access_key_id(), "env-id");
    assert_eq!(chain.chosen(), Some("env"));
}

#[test]
fn chain_uses_cli_profile_before_ini_profile() {
    let h = home();
    write(h.path(), ".aliyun/config.json", CLI_CONFIG);
    write(h.path(), ".alibabacloud/credentials", INI);
    assert_eq!(
        provide(&DefaultChain::new(env_in(h.path())))
            .unwrap()
            .access_key_id(),
        "cli-id"
    );
}

#[test]
fn chain_skips_the_cli_profile_when_disabled() {
    let h = home();
    write(h.path(), ".aliyun/config.json", CLI_CONFIG);
    write(h.path(), ".alibabacloud/credentials", INI);
    let env = env_in(h.path()).with_var("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true");
    assert_eq!(
        provide(&DefaultChain::new(env)).unwrap().access_key_id(),
        "ini-id"
    );
}

#[test]
fn chain_without_any_source_says_what_to_set() {
    let h = home();
    let e = provide(&DefaultChain::new(env_in(h.path())))
        .unwrap_err()
        .to_string();
    assert!(e.contains("ALIBABA_CLOUD_ACCESS_KEY_ID"), "{e}");
}

#[test]
fn ini_parser_handles_sections_comments_and_quotes() {
    let parsed = profile::parse_ini("; top\n[a]\nk = \"v w\" ; note\nx=1#2\n[b]\nk=2\n");
    assert_eq!(parsed["a"]["k"], "v w");
    assert_eq!(parsed["a"]["x"], "1#2");
    assert_eq!(parsed["b"]["k"], "2");
}
