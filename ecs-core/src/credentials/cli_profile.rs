//! Profiles of the aliyun CLI: `~/.aliyun/config.json`, or the file named by
//! `ALIBABA_CLOUD_CONFIG_FILE`; the profile is `ALIBABA_CLOUD_PROFILE`, else
//! the file's `current`. Every mode that yields credentials without a
//! browser: `AK`, `StsToken`, `RamRoleArn`, `EcsRamRole`, `OIDC`,
//! `ChainableRamRoleArn`, `CredentialsURI`, `External`.

use super::sts::{RoleSession, StsConfig};
use super::{
    describe, BoxFuture, Credentials, EcsRamRoleProvider, Environment, ExternalProvider,
    OidcProvider, ProvideCredentials, RamRoleArnProvider, UriProvider,
};
use crate::Error;
use serde::Deserialize;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

const NAME: &str = "cli_profile";

/// The modes this provider understands, as the CLI spells them.
const MODES: &str =
    "AK, StsToken, RamRoleArn, EcsRamRole, OIDC, ChainableRamRoleArn, CredentialsURI, External";

/// Set to `true` or `1`, it turns off `External` and `CredentialsURI`
/// profiles (as in aliyun-cli).
const DISABLE_EXTERNAL: &str = "ALIBABA_CLOUD_DISABLE_EXTERNAL_PROCESS";

#[derive(Debug, Clone)]
pub struct CliProfileProvider {
    env: Environment,
}

#[derive(Deserialize)]
struct ConfigFile {
    #[serde(default)]
    current: String,
    #[serde(default)]
    profiles: Vec<Profile>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Profile {
    name: String,
    mode: String,
    access_key_id: String,
    access_key_secret: String,
    sts_token: String,
    ram_role_name: String,
    ram_role_arn: String,
    ram_session_name: String,
    expired_seconds: u64,
    policy: String,
    external_id: String,
    sts_region: String,
    sts_endpoint: String,
    enable_vpc: bool,
    source_profile: String,
    oidc_provider_arn: String,
    oidc_token_file: String,
    credentials_uri: String,
    process_command: String,
}

impl CliProfileProvider {
    pub fn new(env: Environment) -> Self {
        CliProfileProvider { env }
    }

    /// The config file this provider reads, if one can be named.
    pub fn path(&self) -> Option<PathBuf> {
        match self.env.var("ALIBABA_CLOUD_CONFIG_FILE") {
            Some(p) => Some(PathBuf::from(p)),
            None => Some(self.env.home()?.join(".aliyun").join("config.json")),
        }
    }

    /// Why the default chain should pass this provider over, if it should.
    pub(crate) fn skip_reason(&self) -> Option<String> {
        if self.env.flag("ALIBABA_CLOUD_CLI_PROFILE_DISABLED") {
            return Some("turned off by ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true".into());
        }
        let named = self.env.var("ALIBABA_CLOUD_CONFIG_FILE").is_some();
        match self.path() {
            None => Some("no home directory, and ALIBABA_CLOUD_CONFIG_FILE is not set".into()),
            Some(p) if !p.is_file() => Some(format!(
                "{} does not exist ({})",
                p.display(),
                if named {
                    "named by ALIBABA_CLOUD_CONFIG_FILE"
                } else {
                    "ALIBABA_CLOUD_CONFIG_FILE is not set"
                }
            )),
            Some(_) => None,
        }
    }

    fn load(&self) -> Result<(PathBuf, ConfigFile), Error> {
        let path = self.path().ok_or_else(|| {
            Error::credentials(NAME, "no home directory to find .aliyun/config.json")
        })?;
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Error::credentials(NAME, format!("cannot read {}: {e}", path.display()))
        })?;
        let file = serde_json::from_str(&text).map_err(|e| {
            Error::credentials(NAME, format!("{} is not valid: {e}", path.display()))
        })?;
        Ok((path, file))
    }

    async fn fetch(&self) -> Result<Credentials, Error> {
        let (path, file) = self.load()?;
        let wanted = self
            .env
            .var("ALIBABA_CLOUD_PROFILE")
            .unwrap_or(&file.current)
            .to_string();
        let provider = self
            .provider(&file, &wanted, &mut Vec::new())
            .map_err(|e| Error::credentials(NAME, format!("{}: {e}", path.display())))?;
        provider.provide().await.map_err(|e| {
            Error::credentials(
                NAME,
                format!("profile `{wanted}` ({}): {}", path.display(), describe(&e)),
            )
        })
    }

    /// The provider profile `name` describes; `seen` guards
    /// `source_profile` cycles. Errors are plain text, wrapped by the caller.
    fn provider(
        &self,
        file: &ConfigFile,
        name: &str,
        seen: &mut Vec<String>,
    ) -> Result<Arc<dyn ProvideCredentials>, String> {
        if seen.iter().any(|s| s == name) {
            seen.push(name.to_string());
            return Err(format!("source_profile loops: {}", seen.join(" -> ")));
        }
        seen.push(name.to_string());
        let p = file
            .profiles
            .iter()
            .find(|p| p.name == name)
            .ok_or_else(|| format!("profile `{name}` is not in the file"))?;
        let env = &self.env;
        let in_mode = |e: Error| format!("profile `{name}` (mode {}): {}", p.mode, describe(&e));
        let external_off = || {
            let v = env.var(DISABLE_EXTERNAL).unwrap_or("");
            (v == "1" || v.eq_ignore_ascii_case("true")).then(|| {
                format!(
                    "profile `{name}` (mode {}) is turned off by {DISABLE_EXTERNAL}",
                    p.mode
                )
            })
        };
        let mode = p.mode.to_ascii_lowercase();
        let provider: Arc<dyn ProvideCredentials> = match mode.as_str() {
            "ak" => Arc::new(
                Credentials::new(&p.access_key_id, &p.access_key_secret)
                    .validated(NAME)
                    .map_err(in_mode)?,
            ),
            "ststoken" => Arc::new(
                Credentials::sts(&p.access_key_id, &p.access_key_secret, &p.sts_token)
                    .validated(NAME)
                    .map_err(in_mode)?,
            ),
            "ramrolearn" => {
                let mut source = Credentials::new(&p.access_key_id, &p.access_key_secret);
                if !p.sts_token.is_empty() {
                    source = Credentials::sts(&p.access_key_id, &p.access_key_secret, &p.sts_token);
                }
                let source = source.validated(NAME).map_err(in_mode)?;
                Arc::new(self.assume(p, source).map_err(in_mode)?)
            }
            "chainableramrolearn" => {
                if p.source_profile.is_empty() {
                    return Err(format!(
                        "profile `{name}` (mode {}) has no source_profile",
                        p.mode
                    ));
                }
                let source = self.provider(file, &p.source_profile, seen)?;
                Arc::new(self.assume(p, source).map_err(in_mode)?)
            }
            "ecsramrole" => Arc::new(EcsRamRoleProvider::new(env).with_role_name(&p.ram_role_name)),
            "oidc" => {
                let sts = self.sts(p).map_err(in_mode)?;
                Arc::new(
                    OidcProvider::new(self.role(p), &p.oidc_provider_arn, &p.oidc_token_file)
                        .map_err(in_mode)?
                        .with_sts(sts),
                )
            }
            "credentialsuri" => {
                if let Some(off) = external_off() {
                    return Err(off);
                }
                let uri = Some(p.credentials_uri.trim())
                    .filter(|u| !u.is_empty())
                    .or_else(|| env.var("ALIBABA_CLOUD_CREDENTIALS_URI"))
                    .ok_or_else(|| {
                        format!("profile `{name}` (mode {}) has no credentials_uri, and ALIBABA_CLOUD_CREDENTIALS_URI is not set", p.mode)
                    })?;
                Arc::new(UriProvider::new(uri))
            }
            "external" => {
                if let Some(off) = external_off() {
                    return Err(off);
                }
                Arc::new(ExternalProvider::new(&p.process_command, env).map_err(in_mode)?)
            }
            _ => {
                return Err(format!(
                    "profile `{name}` has mode `{}`, which ecs-rs does not support ({MODES})",
                    p.mode
                ))
            }
        };
        Ok(provider)
    }

    /// `ram_role_arn`, `ram_session_name`, `expired_seconds`, `policy`.
    fn role(&self, p: &Profile) -> RoleSession {
        let role = RoleSession::new(&p.ram_role_arn)
            .with_session_name_from(&self.env, Some(&p.ram_session_name))
            .with_policy(&p.policy);
        match p.expired_seconds {
            0 => role,
            secs => role.with_duration(Duration::from_secs(secs)),
        }
    }

    /// `sts_endpoint`, else `sts_region` and `enable_vpc`, else the
    /// environment.
    fn sts(&self, p: &Profile) -> Result<StsConfig, Error> {
        StsConfig::resolve(
            Some(&p.sts_endpoint),
            Some(&p.sts_region),
            p.enable_vpc,
            &self.env,
        )
    }

    fn assume(
        &self,
        p: &Profile,
        source: impl ProvideCredentials + 'static,
    ) -> Result<RamRoleArnProvider, Error> {
        Ok(RamRoleArnProvider::new(source, self.role(p))?
            .with_external_id(&p.external_id)
            .with_sts(self.sts(p)?))
    }
}

impl ProvideCredentials for CliProfileProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, Error>> {
        Box::pin(self.fetch())
    }
}
