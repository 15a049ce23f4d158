//! The RAM role attached to an ECS instance, read from the instance metadata
//! service: IMDSv2 token first, IMDSv1 as a fallback unless disabled.

use super::{
    fetch_text, http_client, parse_document, BoxFuture, Credentials, Environment,
    ProvideCredentials,
};
use crate::Error;
use std::time::Duration;

const NAME: &str = "ecs_ram_role";
const CREDENTIALS_PATH: &str = "/latest/meta-data/ram/security-credentials/";

#[derive(Debug, Clone)]
pub struct EcsRamRoleProvider {
    endpoint: String,
    role_name: Option<String>,
    imdsv1_disabled: bool,
    http: reqwest::Client,
}

impl EcsRamRoleProvider {
    /// Reads `ALIBABA_CLOUD_ECS_METADATA` (role name) and
    /// `ALIBABA_CLOUD_IMDSV1_DISABLED` from `env`, and its metadata endpoint.
    pub fn new(env: &Environment) -> Self {
        EcsRamRoleProvider {
            endpoint: env.metadata_endpoint().to_string(),
            role_name: env.var("ALIBABA_CLOUD_ECS_METADATA").map(str::to_string),
            imdsv1_disabled: env.flag("ALIBABA_CLOUD_IMDSV1_DISABLED"),
            http: http_client(Duration::from_secs(1)),
        }
    }

    /// Uses this role instead of asking the metadata service for it.
    pub fn with_role_name(mut self, role: impl Into<String>) -> Self {
        self.role_name = Some(role.into()).filter(|r| !r.is_empty());
        self
    }

    async fn token(&self) -> Result<Option<String>, Error> {
        let attempt = self
            .http
            .put(format!("{}/latest/api/token", self.endpoint))
            .header("X-aliyun-ecs-metadata-token-ttl-seconds", "21600")
            .send()
            .await;
        let failure = match attempt {
            Ok(resp) if resp.status().is_success() => match resp.text().await {
                Ok(token) => return Ok(Some(token.trim().to_string())),
                Err(e) => format!("reading the token failed: {}", e.without_url()),
            },
            Ok(resp) => format!("HTTP {}", resp.status()),
            Err(e) => e.without_url().to_string(),
        };
        if self.imdsv1_disabled {
            return Err(Error::credentials(
                NAME,
                format!("no metadata token ({failure}) and IMDSv1 is disabled"),
            ));
        }
        tracing::debug!(%failure, "no metadata token; falling back to IMDSv1");
        Ok(None)
    }

    async fn get(&self, path: &str, token: Option<&str>) -> Result<String, Error> {
        let mut req = self
            .http
            .get(format!("{}{CREDENTIALS_PATH}{path}", self.endpoint));
        if let Some(token) = token {
            req = req.header("X-aliyun-ecs-metadata-token", token);
        }
        fetch_text(NAME, &format!("metadata {CREDENTIALS_PATH}{path}"), req).await
    }

    async fn fetch(&self) -> Result<Credentials, Error> {
        let token = self.token().await?;
        let role = match &self.role_name {
            Some(role) => role.clone(),
            None => {
                let listing = self.get("", token.as_deref()).await?;
                listing
                    .lines()
                    .map(str::trim)
                    .find(|l| !l.is_empty())
                    .ok_or_else(|| {
                        Error::credentials(NAME, "no RAM role is attached to this instance")
                    })?
                    .to_string()
            }
        };
        let body = self
            .get(&crate::signer::percent_encode(&role), token.as_deref())
            .await?;
        parse_document(NAME, &body, true)
    }
}

impl ProvideCredentials for EcsRamRoleProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, Error>> {
        Box::pin(self.fetch())
    }
}
