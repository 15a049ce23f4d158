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
fn env_provider_with_half_a_pair_names_the_missing_variable() {
    let env = Environment::empty()
        .with_var("ALIBABA_CLOUD_ACCESS_KEY_ID", "id")
        .with_var("ALIBABA_CLOUD_ACCESS_KEY_SECRET", " ");
    let e = provide(&EnvProvider::new(env)).unwrap_err();
    assert_eq!(
        e.to_string(),
        "credentials (env): ALIBABA_CLOUD_ACCESS_KEY_SECRET is not set (ALIBABA_CLOUD_ACCESS_KEY_ID is)"
    );
}

#[test]
fn env_provider_with_only_a_secret_names_the_missing_key_id() {
    let env = Environment::empty().with_var("ALICLOUD_SECRET_KEY", "s");
    let e = provide(&EnvProvider::new(env)).unwrap_err().to_string();
    assert!(
        e.ends_with(
            "ALICLOUD_ACCESS_KEY_ID or ALICLOUD_ACCESS_KEY is not set (ALICLOUD_SECRET_KEY is)"
        ),
        "{e}"
    );
}

const CLI_CONFIG: &str = r#"{
  "current": "main",
  "profiles": [
    {"name": "main", "mode": "AK", "access_key_id": "cli-id", "access_key_secret": "cli-secret", "region_id": "cn-hangzhou"},
    {"name": "sts", "mode": "StsToken", "access_key_id": "sts-id", "access_key_secret": "sts-secret", "sts_token": "sts-tok"},
    {"name": "sso", "mode": "CloudSSO", "cloud_sso_sign_in_url": "https://signin.example"},
    {"name": "loop-a", "mode": "ChainableRamRoleArn", "source_profile": "loop-b", "ram_role_arn": "acs:ram::1:role/a"},
    {"name": "loop-b", "mode": "ChainableRamRoleArn", "source_profile": "loop-a", "ram_role_arn": "acs:ram::1:role/b"},
    {"name": "short", "mode": "RamRoleArn", "access_key_id": "a", "access_key_secret": "b", "ram_role_arn": "acs:ram::1:role/x", "expired_seconds": 600},
    {"name": "ext-off", "mode": "External", "process_command": "/bin/true"}
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

fn cli_error(profile: &str, extra: &[(&str, &str)]) -> String {
    let h = home();
    write(h.path(), ".aliyun/config.json", CLI_CONFIG);
    let mut env = env_in(h.path()).with_var("ALIBABA_CLOUD_PROFILE", profile);
    for (k, v) in extra {
        env = env.with_var(*k, *v);
    }
    provide(&CliProfileProvider::new(env))
        .unwrap_err()
        .to_string()
}

#[test]
fn cli_profile_unsupported_mode_is_named_with_the_supported_ones() {
    let e = cli_error("sso", &[]);
    assert!(
        e.contains("`sso`") && e.contains("`CloudSSO`") && e.contains("ChainableRamRoleArn"),
        "{e}"
    );
}

#[test]
fn cli_profile_source_profile_loop_is_an_error_naming_the_loop() {
    let e = cli_error("loop-a", &[]);
    assert!(e.contains("loop-a -> loop-b -> loop-a"), "{e}");
}

#[test]
fn cli_profile_session_shorter_than_sts_allows_is_rejected_before_any_request() {
    let e = cli_error("short", &[]);
    assert!(e.contains("DurationSeconds") && e.contains("600"), "{e}");
}

#[test]
fn cli_profile_external_mode_can_be_turned_off() {
    let e = cli_error(
        "ext-off",
        &[("ALIBABA_CLOUD_DISABLE_EXTERNAL_PROCESS", "true")],
    );
    assert!(e.contains("ALIBABA_CLOUD_DISABLE_EXTERNAL_PROCESS"), "{e}");
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
fn chain_without_any_source_lists_every_step_with_what_it_looked_at() {
    let h = home();
    let e = provide(&DefaultChain::new(env_in(h.path())))
        .unwrap_err()
        .to_string();
    let home = h.path().display();
    let expected = [
        "env: none of ALIBABA_CLOUD_ACCESS_KEY_ID/ALIBABA_CLOUD_ACCESS_KEY_SECRET".to_string(),
        "oidc_role_arn: ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN and ALIBABA_CLOUD_OIDC_TOKEN_FILE are not set".into(),
        format!("cli_profile: {home}/.aliyun/config.json does not exist (ALIBABA_CLOUD_CONFIG_FILE is not set)"),
        format!("profile: {home}/.alibabacloud/credentials and {home}/.alibabacloud/credentials.ini not found (ALIBABA_CLOUD_CREDENTIALS_FILE is not set)"),
        "ecs_ram_role: turned off by ALIBABA_CLOUD_ECS_METADATA_DISABLED=true".into(),
        "credentials_uri: ALIBABA_CLOUD_CREDENTIALS_URI is not set".into(),
    ];
    let mut at = 0;
    for part in &expected {
        let found = e[at..].find(part.as_str());
        assert!(found.is_some(), "missing or out of order: {part}\nin: {e}");
        at += found.unwrap() + part.len();
    }
}

#[test]
fn chain_with_half_a_key_pair_names_the_missing_variable() {
    let h = home();
    let env = env_in(h.path()).with_var("ALIBABA_CLOUD_ACCESS_KEY_ID", "id");
    let e = provide(&DefaultChain::new(env)).unwrap_err().to_string();
    assert!(
        e.contains(
            "env: ALIBABA_CLOUD_ACCESS_KEY_SECRET is not set (ALIBABA_CLOUD_ACCESS_KEY_ID is)"
        ),
        "{e}"
    );
}

#[test]
fn chain_with_part_of_the_oidc_variables_names_the_missing_ones() {
    let h = home();
    let env = env_in(h.path()).with_var("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::1:role/r");
    let e = provide(&DefaultChain::new(env)).unwrap_err().to_string();
    assert!(
        e.contains("oidc_role_arn: ALIBABA_CLOUD_OIDC_PROVIDER_ARN and ALIBABA_CLOUD_OIDC_TOKEN_FILE are not set (ALIBABA_CLOUD_ROLE_ARN is set)"),
        "{e}"
    );
}

#[test]
fn chain_names_a_credentials_file_set_by_variable_that_is_missing() {
    let h = home();
    let missing = h.path().join("nowhere.ini");
    let env = env_in(h.path())
        .with_var("ALIBABA_CLOUD_CREDENTIALS_FILE", missing.to_str().unwrap())
        .with_var("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true");
    let e = provide(&DefaultChain::new(env)).unwrap_err().to_string();
    assert!(
        e.contains(&format!(
            "profile: {} not found (named by ALIBABA_CLOUD_CREDENTIALS_FILE)",
            missing.display()
        )) && e.contains("cli_profile: turned off by ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true"),
        "{e}"
    );
}

#[test]
fn ini_parser_handles_sections_comments_and_quotes() {
    let parsed = profile::parse_ini("; top\n[a]\nk = \"v w\" ; note\nx=1#2\n[b]\nk=2\n");
    assert_eq!(parsed["a"]["k"], "v w");
    assert_eq!(parsed["a"]["x"], "1#2");
    assert_eq!(parsed["b"]["k"], "2");
}

#[test]
fn ini_profile_ram_role_arn_with_a_blank_secret_is_named() {
    let h = home();
    write(
        h.path(),
        ".alibabacloud/credentials",
        "[default]\ntype = ram_role_arn\naccess_key_id = a\nrole_arn = acs:ram::1:role/x\n",
    );
    let e = provide(&ProfileProvider::new(env_in(h.path())))
        .unwrap_err()
        .to_string();
    assert!(e.contains("[default]") && e.contains("non-empty"), "{e}");
}

#[test]
fn cache_callers_waiting_on_a_failing_refresh_share_its_failure() {
    #[derive(Debug)]
    struct Failing(AtomicUsize);
    impl ProvideCredentials for Failing {
        fn provide(&self) -> BoxFuture<'_, Result<Credentials, Error>> {
            Box::pin(async move {
                self.0.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(50)).await;
                Err(Error::credentials("failing", "down"))
            })
        }
    }
    let inner = Arc::new(Failing(AtomicUsize::new(0)));
    let cache = Arc::new(CachingProvider::new(inner.clone()));
    let errors = block(async {
        let tasks: Vec<_> = (0..16)
            .map(|_| {
                let c = cache.clone();
                tokio::spawn(async move { c.provide().await.unwrap_err().to_string() })
            })
            .collect();
        let mut out = Vec::new();
        for t in tasks {
            out.push(t.await.unwrap());
        }
        out
    });
    assert_eq!(inner.0.load(Ordering::SeqCst), 1);
    assert!(
        errors.iter().all(|e| e == "credentials (failing): down"),
        "{errors:?}"
    );
}

#[test]
fn cache_a_caller_that_gives_up_hands_the_refresh_to_one_that_waits() {
    let inner = counting(Duration::from_secs(3600), false);
    let cache = Arc::new(CachingProvider::new(inner.clone()));
    let id = block(async {
        let leader = cache.clone();
        // The first caller leads, then is dropped before its fetch ends.
        let first = tokio::spawn(async move { leader.provide().await });
        tokio::time::sleep(Duration::from_millis(5)).await;
        let waiter = cache.clone();
        let second = tokio::spawn(async move { waiter.provide().await });
        tokio::time::sleep(Duration::from_millis(5)).await;
        first.abort();
        second.await.unwrap().unwrap().access_key_id().to_string()
    });
    assert_eq!(id, "id1");
    assert_eq!(inner.calls.load(Ordering::SeqCst), 2);
}

#[test]
fn command_lines_split_like_a_posix_shell() {
    let split = |s| external::split_command(s).unwrap();
    assert_eq!(split("a b  c"), ["a", "b", "c"]);
    assert_eq!(
        split(r#"'/opt/my tool' --x "y z" ''"#),
        ["/opt/my tool", "--x", "y z", ""]
    );
    assert_eq!(split(r#""a\"b\$c" d\ e"#), [r#"a"b$c"#, "d e"]);
    assert_eq!(split("a \\\nb"), ["a", "b"]);
    assert_eq!(split(r#""C:\tools\x.exe""#), [r"C:\tools\x.exe"]);
}

#[test]
fn command_lines_that_cannot_be_split_say_why() {
    for (line, why) in [("", "empty"), ("a 'b", "unclosed"), ("a\\", "backslash")] {
        let e = external::split_command(line).unwrap_err();
        assert!(e.contains(why), "{line}: {e}");
    }
}

#[test]
fn sts_endpoint_is_global_by_default() {
    let sts = StsConfig::from_env(&Environment::empty()).unwrap();
    assert_eq!(sts.endpoint_url().to_string(), "https://sts.aliyuncs.com");
}

#[test]
fn sts_endpoint_is_regional_or_vpc_from_the_environment() {
    let env = Environment::empty().with_var("ALIBABA_CLOUD_STS_REGION", "cn-shanghai");
    assert_eq!(
        StsConfig::from_env(&env)
            .unwrap()
            .endpoint_url()
            .to_string(),
        "https://sts.cn-shanghai.aliyuncs.com"
    );
    let vpc = env.with_var("ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED", "true");
    assert_eq!(
        StsConfig::from_env(&vpc)
            .unwrap()
            .endpoint_url()
            .to_string(),
        "https://sts-vpc.cn-shanghai.aliyuncs.com"
    );
}

#[test]
fn sts_endpoint_explicit_settings_win_over_the_environment() {
    let env = Environment::empty()
        .with_var("ALIBABA_CLOUD_STS_ENDPOINT", "http://127.0.0.1:9")
        .with_var("ALIBABA_CLOUD_STS_REGION", "cn-shanghai");
    let url = |e, r, vpc| {
        StsConfig::resolve(e, r, vpc, &env)
            .unwrap()
            .endpoint_url()
            .to_string()
    };
    assert_eq!(url(None, None, false), "http://127.0.0.1:9");
    assert_eq!(
        url(None, Some("cn-beijing"), true),
        "https://sts-vpc.cn-beijing.aliyuncs.com"
    );
    assert_eq!(
        url(Some("sts.example.com:8443"), Some("cn-beijing"), false),
        "https://sts.example.com:8443"
    );
}

#[test]
fn sts_endpoint_errors_name_the_variable() {
    let env = Environment::empty().with_var("ALIBABA_CLOUD_STS_ENDPOINT", "ftp://x");
    let e = StsConfig::from_env(&env).unwrap_err().to_string();
    assert!(
        e.contains("ALIBABA_CLOUD_STS_ENDPOINT") && e.contains("ftp://x"),
        "{e}"
    );
    let env = Environment::empty().with_var("ALIBABA_CLOUD_STS_REGION", "cn hangzhou");
    let e = StsConfig::from_env(&env).unwrap_err().to_string();
    assert!(e.contains("ALIBABA_CLOUD_STS_REGION"), "{e}");
}

#[test]
fn role_session_defaults_follow_the_official_libraries() {
    let role = RoleSession::new("acs:ram::1:role/r");
    assert_eq!(role.duration(), Duration::from_secs(3600));
    assert!(
        role.session_name().starts_with("ecs-rs-"),
        "{}",
        role.session_name()
    );
}

#[test]
fn role_session_name_comes_from_the_environment_when_not_set() {
    let env = Environment::empty()
        .with_var("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::1:role/r")
        .with_var("ALIBABA_CLOUD_ROLE_SESSION_NAME", "from-env");
    let role = RoleSession::from_env(&env).unwrap();
    assert_eq!(
        (role.role_arn(), role.session_name()),
        ("acs:ram::1:role/r", "from-env")
    );
}

#[test]
fn ram_role_arn_from_env_without_a_role_names_the_variable() {
    let env = Environment::empty()
        .with_var("ALIBABA_CLOUD_ACCESS_KEY_ID", "id")
        .with_var("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "s");
    let e = RamRoleArnProvider::from_env(&env).unwrap_err().to_string();
    assert!(e.contains("ALIBABA_CLOUD_ROLE_ARN"), "{e}");
}

#[test]
fn ram_role_arn_from_env_without_source_keys_names_the_missing_one() {
    let env = Environment::empty()
        .with_var("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::1:role/r")
        .with_var("ALIBABA_CLOUD_ACCESS_KEY_ID", "id");
    let e = RamRoleArnProvider::from_env(&env).unwrap_err().to_string();
    assert!(
        e.contains("ALIBABA_CLOUD_ACCESS_KEY_SECRET is not set"),
        "{e}"
    );
}

#[test]
fn oidc_from_env_names_every_missing_variable() {
    let env = Environment::empty().with_var("ALIBABA_CLOUD_OIDC_TOKEN_FILE", "/t");
    let e = OidcProvider::from_env(&env).unwrap_err().to_string();
    assert!(
        e.contains("ALIBABA_CLOUD_ROLE_ARN and ALIBABA_CLOUD_OIDC_PROVIDER_ARN are not set"),
        "{e}"
    );
}

#[test]
fn providers_debug_shows_no_secret() {
    let source = Credentials::sts("AKID", "very-secret", "sts-token-value");
    let p = RamRoleArnProvider::new(
        source,
        RoleSession::new("acs:ram::1:role/r").with_policy("{}"),
    )
    .unwrap()
    .with_external_id("ext-id-value");
    let shown = format!("{p:?}");
    assert!(
        shown.contains("acs:ram::1:role/r") && shown.contains("AKID"),
        "{shown}"
    );
    for secret in ["very-secret", "sts-token-value", "ext-id-value"] {
        assert!(!shown.contains(secret), "{shown}");
    }
    let uri = UriProvider::new("http://127.0.0.1:1/creds?token=uri-secret");
    assert!(!format!("{uri:?}").contains("uri-secret"));
}

#[test]
fn cache_a_failed_refresh_of_valid_credentials_is_not_retried_at_once() {
    let inner = counting(Duration::from_secs(100), true);
    let cache = CachingProvider::new(inner.clone());
    let ids = block(async {
        let mut ids = Vec::new();
        for _ in 0..4 {
            ids.push(cache.provide().await.unwrap().access_key_id().to_string());
        }
        ids
    });
    assert_eq!(ids, ["id0"; 4]);
    assert_eq!(
        inner.calls.load(Ordering::SeqCst),
        2,
        "one fetch, one failed refresh"
    );
}

#[test]
fn cache_callers_with_valid_credentials_do_not_wait_for_a_refresh() {
    #[derive(Debug)]
    struct SlowSecond(AtomicUsize);
    impl ProvideCredentials for SlowSecond {
        fn provide(&self) -> BoxFuture<'_, Result<Credentials, Error>> {
            Box::pin(async move {
                let n = self.0.fetch_add(1, Ordering::SeqCst);
                if n > 0 {
                    tokio::time::sleep(Duration::from_secs(5)).await;
                }
                Ok(Credentials::sts(format!("id{n}"), "s", "t")
                    .with_expiration(SystemTime::now() + Duration::from_secs(100)))
            })
        }
    }
    let cache = Arc::new(CachingProvider::new(Arc::new(SlowSecond(
        AtomicUsize::new(0),
    ))));
    let id = block(async {
        cache.provide().await.unwrap();
        let leader = cache.clone();
        let refreshing = tokio::spawn(async move { leader.provide().await });
        tokio::time::sleep(Duration::from_millis(10)).await;
        let quick = tokio::time::timeout(Duration::from_millis(100), cache.provide()).await;
        refreshing.abort();
        quick
            .expect("did not wait")
            .unwrap()
            .access_key_id()
            .to_string()
    });
    assert_eq!(id, "id0");
}
