//! Credentials and where they come from (protocol.md section 6).
//!
//! Every provider reads its environment (variables, home directory,
//! metadata service URL) from an [`Environment`] value, never from the
//! process directly, so it can be tested in isolation. Every HTTP request
//! a provider makes goes through one path ([`FetchPolicy`]): no redirects,
//! bounded retries, bounded time.

mod cache;
mod chain;
mod cli_profile;
mod ecs_ram_role;
mod env;
mod external;
mod http;
mod oidc;
mod profile;
mod ram_role_arn;
mod sts;
mod uri;

pub use cache::{CachingProvider, DEFAULT_REFRESH_WINDOW};
pub use chain::{ChainStep, DefaultChain};
pub use cli_profile::CliProfileProvider;
pub use ecs_ram_role::EcsRamRoleProvider;
pub use env::EnvProvider;
pub use external::{ExternalProvider, DEFAULT_PROCESS_TIMEOUT};
pub use http::FetchPolicy;
pub use oidc::OidcProvider;
pub use profile::ProfileProvider;
pub use ram_role_arn::RamRoleArnProvider;
pub use sts::{
    RoleSession, StsConfig, DEFAULT_SESSION_DURATION, DEFAULT_STS_ENDPOINT, MIN_SESSION_DURATION,
    STS_VERSION,
};
pub use uri::UriProvider;

use crate::Error;
use serde::Deserialize;
use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::time::{Duration, SystemTime};

/// A boxed `Send` future, as returned by [`ProvideCredentials::provide`].
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// An access key, optionally with an STS security token and an expiry.
/// `Debug` never shows the secret or the token.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    access_key_secret: String,
    security_token: Option<String>,
    expiration: Option<SystemTime>,
}

impl Credentials {
    /// A long-lived access key.
    pub fn new(access_key_id: impl Into<String>, access_key_secret: impl Into<String>) -> Self {
        Credentials {
            access_key_id: access_key_id.into(),
            access_key_secret: access_key_secret.into(),
            security_token: None,
            expiration: None,
        }
    }

    /// Temporary STS credentials; `SecurityToken` is sent with each request.
    pub fn sts(
        access_key_id: impl Into<String>,
        access_key_secret: impl Into<String>,
        security_token: impl Into<String>,
    ) -> Self {
        Credentials {
            security_token: Some(security_token.into()),
            ..Credentials::new(access_key_id, access_key_secret)
        }
    }

    pub fn with_expiration(mut self, expiration: SystemTime) -> Self {
        self.expiration = Some(expiration);
        self
    }

    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    pub fn access_key_secret(&self) -> &str {
        &self.access_key_secret
    }

    pub fn security_token(&self) -> Option<&str> {
        self.security_token.as_deref()
    }

    pub fn expiration(&self) -> Option<SystemTime> {
        self.expiration
    }

    /// Whether these expire within `window` from now.
    pub fn expires_within(&self, window: Duration) -> bool {
        self.expiration
            .is_some_and(|e| e <= SystemTime::now() + window)
    }

    /// Rejects empty key parts, naming the provider.
    fn validated(self, provider: &str) -> Result<Self, Error> {
        if self.access_key_id.trim().is_empty() || self.access_key_secret.trim().is_empty() {
            return Err(Error::credentials(
                provider,
                "the access key id and secret must both be non-empty",
            ));
        }
        Ok(self)
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("access_key_secret", &"<redacted>")
            .field(
                "security_token",
                &self.security_token.as_ref().map(|_| "<redacted>"),
            )
            .field("expiration", &self.expiration.map(crate::utc::format))
            .finish()
    }
}

/// A source of credentials. Implementations are cheap to call repeatedly;
/// the client wraps them in a [`CachingProvider`] for expiry and
/// single-flight refresh.
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, Error>>;
}

/// A shared provider is a provider (e.g. one source for several roles).
impl<P: ProvideCredentials + ?Sized> ProvideCredentials for std::sync::Arc<P> {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, Error>> {
        (**self).provide()
    }
}

/// Fixed credentials are their own provider.
impl ProvideCredentials for Credentials {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, Error>> {
        let creds = self.clone().validated("static");
        Box::pin(async move { creds })
    }
}

/// Where providers look: environment variables, the home directory and the
/// ECS instance metadata service.
#[derive(Clone)]
pub struct Environment {
    vars: HashMap<String, String>,
    home: Option<PathBuf>,
    metadata_endpoint: String,
}

/// The ECS instance metadata service.
pub const DEFAULT_METADATA_ENDPOINT: &str = "http://100.100.100.200";

impl Environment {
    /// Nothing set: no variables, no home, the real metadata address.
    pub fn empty() -> Self {
        Environment {
            vars: HashMap::new(),
            home: None,
            metadata_endpoint: DEFAULT_METADATA_ENDPOINT.into(),
        }
    }

    /// A snapshot of this process's variables and home directory.
    pub fn from_process() -> Self {
        let vars: HashMap<String, String> = std::env::vars().collect();
        let home = vars
            .get("HOME")
            .or_else(|| vars.get("USERPROFILE"))
            .filter(|h| !h.is_empty())
            .map(PathBuf::from);
        Environment {
            vars,
            home,
            ..Environment::empty()
        }
    }

    pub fn with_var(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.vars.insert(name.into(), value.into());
        self
    }

    pub fn with_home(mut self, home: impl Into<PathBuf>) -> Self {
        self.home = Some(home.into());
        self
    }

    /// Base URL of the metadata service, e.g. a local stand-in in tests.
    pub fn with_metadata_endpoint(mut self, url: impl Into<String>) -> Self {
        self.metadata_endpoint = url.into().trim_end_matches('/').to_string();
        self
    }

    /// A variable's value; empty counts as unset.
    pub fn var(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// The first of `names` that is set.
    pub fn first_var(&self, names: &[&str]) -> Option<&str> {
        names.iter().find_map(|n| self.var(n))
    }

    /// A boolean switch such as `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true`.
    pub fn flag(&self, name: &str) -> bool {
        self.var(name)
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }

    pub fn home(&self) -> Option<&Path> {
        self.home.as_deref()
    }

    pub fn metadata_endpoint(&self) -> &str {
        &self.metadata_endpoint
    }

    /// Every variable, for a process run on its behalf.
    pub(crate) fn vars(&self) -> impl Iterator<Item = (&str, &str)> {
        self.vars.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

impl Default for Environment {
    fn default() -> Self {
        Environment::empty()
    }
}

// Variables may hold secrets: show names only.
impl fmt::Debug for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut names: Vec<&String> = self.vars.keys().collect();
        names.sort();
        f.debug_struct("Environment")
            .field("vars", &names)
            .field("home", &self.home)
            .field("metadata_endpoint", &self.metadata_endpoint)
            .finish()
    }
}

/// The JSON the metadata service and credential URIs answer with, and
/// STS's `Credentials` object.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CredentialsDocument {
    code: Option<String>,
    access_key_id: Option<String>,
    access_key_secret: Option<String>,
    security_token: Option<String>,
    expiration: Option<String>,
}

impl CredentialsDocument {
    fn into_credentials(self, provider: &str) -> Result<Credentials, Error> {
        let missing =
            |field: &str| Error::credentials(provider, format!("the answer has no `{field}`"));
        let id = self.access_key_id.ok_or_else(|| missing("AccessKeyId"))?;
        let secret = self
            .access_key_secret
            .ok_or_else(|| missing("AccessKeySecret"))?;
        let mut creds = match self.security_token {
            Some(token) => Credentials::sts(id, secret, token),
            None => Credentials::new(id, secret),
        };
        if let Some(exp) = self.expiration {
            let at = crate::utc::parse(&exp).ok_or_else(|| {
                Error::credentials(
                    provider,
                    format!("`Expiration` `{exp}` is not YYYY-MM-DDThh:mm:ssZ"),
                )
            })?;
            creds = creds.with_expiration(at);
        }
        creds.validated(provider)
    }
}

/// Parses a credentials document; `require_success` demands `Code=Success`.
fn parse_document(provider: &str, body: &str, require_success: bool) -> Result<Credentials, Error> {
    let doc: CredentialsDocument = serde_json::from_str(body).map_err(|e| {
        Error::credentials(
            provider,
            format!("the answer is not a credentials document: {e}"),
        )
    })?;
    if let Some(code) = doc.code.as_deref().filter(|c| *c != "Success") {
        return Err(Error::credentials(
            provider,
            format!("the answer has Code `{code}`"),
        ));
    }
    if require_success && doc.code.is_none() {
        return Err(Error::credentials(provider, "the answer has no `Code`"));
    }
    doc.into_credentials(provider)
}

/// `provider: message` for a credentials error (to nest it in another's
/// message), the `Display` text otherwise.
fn describe(e: &Error) -> String {
    match e {
        Error::Credentials {
            provider, message, ..
        } => format!("{provider}: {message}"),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests;
