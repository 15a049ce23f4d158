//! Profiles of the aliyun CLI: `~/.aliyun/config.json`, or the file named by
//! `ALIBABA_CLOUD_CONFIG_FILE`; the profile is `ALIBABA_CLOUD_PROFILE`, else
//! the file's `current`.

use super::{BoxFuture, Credentials, EcsRamRoleProvider, Environment, ProvideCredentials};
use crate::Error;
use serde::Deserialize;
use std::path::PathBuf;

const NAME: &str = "cli_profile";

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

    /// Whether the chain should consult this provider at all.
    pub(crate) fn applies(&self) -> bool {
        !self.env.flag("ALIBABA_CLOUD_CLI_PROFILE_DISABLED")
            && self.path().is_some_and(|p| p.is_file())
    }

    fn profile(&self) -> Result<Profile, Error> {
        let path = self.path().ok_or_else(|| {
            Error::credentials(NAME, "no home directory to find .aliyun/config.json")
        })?;
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Error::credentials(NAME, format!("cannot read {}: {e}", path.display()))
        })?;
        let file: ConfigFile = serde_json::from_str(&text).map_err(|e| {
            Error::credentials(NAME, format!("{} is not valid: {e}", path.display()))
        })?;
        let wanted = self
            .env
            .var("ALIBABA_CLOUD_PROFILE")
            .unwrap_or(&file.current)
            .to_string();
        file.profiles
            .into_iter()
            .find(|p| p.name == wanted)
            .ok_or_else(|| {
                Error::credentials(NAME, format!("no profile `{wanted}` in {}", path.display()))
            })
    }

    async fn fetch(&self) -> Result<Credentials, Error> {
        let p = self.profile()?;
        let creds = match p.mode.as_str() {
            "AK" => Credentials::new(p.access_key_id, p.access_key_secret),
            "StsToken" => Credentials::sts(p.access_key_id, p.access_key_secret, p.sts_token),
            "EcsRamRole" => {
                return EcsRamRoleProvider::new(&self.env)
                    .with_role_name(p.ram_role_name)
                    .provide()
                    .await
            }
            other => {
                return Err(Error::credentials(
                    NAME,
                    format!("profile `{}` has mode `{other}`, which ecs-rs does not support (AK, StsToken, EcsRamRole)", p.name),
                ))
            }
        };
        creds.validated(NAME)
    }
}

impl ProvideCredentials for CliProfileProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, Error>> {
        Box::pin(self.fetch())
    }
}
