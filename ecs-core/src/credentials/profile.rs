//! INI credential profiles: `ALIBABA_CLOUD_CREDENTIALS_FILE`, else
//! `~/.alibabacloud/credentials`, else `~/.alibabacloud/credentials.ini`;
//! the section is `ALIBABA_CLOUD_PROFILE`, else `default`.

use super::{BoxFuture, Credentials, EcsRamRoleProvider, Environment, ProvideCredentials};
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

    /// The file this provider reads: the first that exists, or the first
    /// candidate when none does.
    pub fn path(&self) -> Option<PathBuf> {
        if let Some(p) = self.env.var("ALIBABA_CLOUD_CREDENTIALS_FILE") {
            return Some(PathBuf::from(p));
        }
        let dir = self.env.home()?.join(".alibabacloud");
        let candidates = [dir.join("credentials"), dir.join("credentials.ini")];
        let found = candidates.iter().find(|p| p.is_file()).cloned();
        found.or_else(|| candidates.into_iter().next())
    }

    pub(crate) fn applies(&self) -> bool {
        self.path().is_some_and(|p| p.is_file())
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
        let get = |key: &str| section.get(key).map(String::as_str).unwrap_or("");
        match get("type") {
            "access_key" => {
                Credentials::new(get("access_key_id"), get("access_key_secret")).validated(NAME)
            }
            "ecs_ram_role" => {
                EcsRamRoleProvider::new(&self.env)
                    .with_role_name(get("role_name"))
                    .provide()
                    .await
            }
            "" => Err(Error::credentials(
                NAME,
                format!("section [{name}] in {} has no `type`", path.display()),
            )),
            other => Err(Error::credentials(
                NAME,
                format!("section [{name}] has type `{other}`, which ecs-rs does not support (access_key, ecs_ram_role)"),
            )),
        }
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
