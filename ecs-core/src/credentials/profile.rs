//! INI credential profiles: `ALIBABA_CLOUD_CREDENTIALS_FILE`, else
//! `~/.alibabacloud/credentials`, else `~/.alibabacloud/credentials.ini`;
//! the section is `ALIBABA_CLOUD_PROFILE`, else `default`. Types:
//! `access_key`, `ecs_ram_role`, `ram_role_arn`, `oidc_role_arn`.

use super::sts::{RoleSession, StsConfig};
use super::{
    describe, BoxFuture, Credentials, EcsRamRoleProvider, Environment, OidcProvider,
    ProvideCredentials, RamRoleArnProvider,
};
use crate::Error;
use std::collections::HashMap;
use std::path::PathBuf;

const NAME: &str = "profile";

#[derive(Debug, Clone)]
pub struct ProfileProvider {
    env: Environment,
}

impl ProfileProvider {
    pub fn new(env: Environment) -> Self {
        ProfileProvider { env }
    }

    /// The files this provider looks for, in order.
    fn candidates(&self) -> Vec<PathBuf> {
        if let Some(p) = self.env.var("ALIBABA_CLOUD_CREDENTIALS_FILE") {
            return vec![PathBuf::from(p)];
        }
        let Some(home) = self.env.home() else {
            return Vec::new();
        };
        let dir = home.join(".alibabacloud");
        vec![dir.join("credentials"), dir.join("credentials.ini")]
    }

    /// The file this provider reads: the first that exists, or the first
    /// candidate when none does.
    pub fn path(&self) -> Option<PathBuf> {
        let candidates = self.candidates();
        let found = candidates.iter().find(|p| p.is_file()).cloned();
        found.or_else(|| candidates.into_iter().next())
    }

    /// Why the default chain should pass this provider over, if it should.
    pub(crate) fn skip_reason(&self) -> Option<String> {
        let candidates = self.candidates();
        if candidates.iter().any(|p| p.is_file()) {
            return None;
        }
        if candidates.is_empty() {
            return Some("no home directory, and ALIBABA_CLOUD_CREDENTIALS_FILE is not set".into());
        }
        let shown: Vec<String> = candidates.iter().map(|p| p.display().to_string()).collect();
        let origin = if self.env.var("ALIBABA_CLOUD_CREDENTIALS_FILE").is_some() {
            "named by ALIBABA_CLOUD_CREDENTIALS_FILE"
        } else {
            "ALIBABA_CLOUD_CREDENTIALS_FILE is not set"
        };
        Some(format!("{} not found ({origin})", shown.join(" and ")))
    }

    async fn fetch(&self) -> Result<Credentials, Error> {
        let path = self.path().ok_or_else(|| {
            Error::credentials(NAME, "no home directory to find .alibabacloud/credentials")
        })?;
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Error::credentials(NAME, format!("cannot read {}: {e}", path.display()))
        })?;
        let name = self.env.var("ALIBABA_CLOUD_PROFILE").unwrap_or("default");
        let sections = parse_ini(&text);
        let section = sections.get(name).ok_or_else(|| {
            Error::credentials(NAME, format!("no section [{name}] in {}", path.display()))
        })?;
        let in_section = |e: Error| {
            Error::credentials(
                NAME,
                format!("[{name}] in {}: {}", path.display(), describe(&e)),
            )
        };
        self.section(section)
            .map_err(in_section)?
            .provide()
            .await
            .map_err(in_section)
    }

    /// The provider one section describes.
    fn section(
        &self,
        section: &HashMap<String, String>,
    ) -> Result<Box<dyn ProvideCredentials>, Error> {
        let get = |key: &str| section.get(key).map(String::as_str).unwrap_or("");
        let role = || {
            RoleSession::new(get("role_arn"))
                .with_session_name_from(&self.env, Some(get("role_session_name")))
                .with_policy(get("policy"))
        };
        let access_key = || Credentials::new(get("access_key_id"), get("access_key_secret"));
        Ok(match get("type") {
            "access_key" => Box::new(access_key().validated(NAME)?),
            "ecs_ram_role" => {
                Box::new(EcsRamRoleProvider::new(&self.env).with_role_name(get("role_name")))
            }
            "ram_role_arn" => Box::new(
                RamRoleArnProvider::new(access_key().validated(NAME)?, role())?
                    .with_sts(StsConfig::from_env(&self.env)?),
            ),
            "oidc_role_arn" => Box::new(
                OidcProvider::new(role(), get("oidc_provider_arn"), get("oidc_token_file_path"))?
                    .with_sts(StsConfig::from_env(&self.env)?),
            ),
            "" => return Err(Error::credentials(NAME, "no `type`")),
            other => {
                return Err(Error::credentials(
                    NAME,
                    format!("type `{other}`, which ecs-rs does not support (access_key, ecs_ram_role, ram_role_arn, oidc_role_arn)"),
                ))
            }
        })
    }
}

impl ProvideCredentials for ProfileProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, Error>> {
        Box::pin(self.fetch())
    }
}

/// `[section]` / `key = value` lines; `#` and `;` start comments, also
/// after a value (as the Python credentials library does).
pub(crate) fn parse_ini(text: &str) -> HashMap<String, HashMap<String, String>> {
    let mut out: HashMap<String, HashMap<String, String>> = HashMap::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        let comment = line.char_indices().find(|&(i, c)| {
            matches!(c, ';' | '#') && (i == 0 || line[..i].ends_with(char::is_whitespace))
        });
        let line = comment.map_or(line, |(i, _)| &line[..i]).trim();
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let name = name.trim().to_string();
            out.entry(name.clone()).or_default();
            current = Some(name);
        } else if let (Some(section), Some((k, v))) = (&current, line.split_once('=')) {
            let v = v.trim().trim_matches('"');
            out.entry(section.clone())
                .or_default()
                .insert(k.trim().to_string(), v.to_string());
        }
    }
    out
}
