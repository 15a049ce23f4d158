//! The RAM role attached to an ECS instance, read from the instance metadata
//! service: IMDSv2 token first, IMDSv1 as a fallback unless disabled.

use super::http::{Deadline, FetchPolicy, Fetcher, Trouble};
use super::{parse_document, BoxFuture, Credentials, Environment, ProvideCredentials};
use crate::Error;

const NAME: &str = "ecs_ram_role";
const CREDENTIALS_PATH: &str = "/latest/meta-data/ram/security-credentials/";

#[derive(Debug, Clone)]
pub struct EcsRamRoleProvider {
    endpoint: String,
    role_name: Option<String>,
    imdsv1_disabled: bool,
    fetcher: Fetcher,
}

impl EcsRamRoleProvider {
    /// Reads `ALIBABA_CLOUD_ECS_METADATA` (role name) and
    /// `ALIBABA_CLOUD_IMDSV1_DISABLED` from `env`, and its metadata endpoint.
    pub fn new(env: &Environment) -> Self {
        EcsRamRoleProvider {
            endpoint: env.metadata_endpoint().to_string(),
            role_name: env.var("ALIBABA_CLOUD_ECS_METADATA").map(str::to_string),
            imdsv1_disabled: env.flag("ALIBABA_CLOUD_IMDSV1_DISABLED"),
            fetcher: Fetcher::new(FetchPolicy::metadata()),
        }
    }

    /// Uses this role instead of asking the metadata service for it.
    pub fn with_role_name(mut self, role: impl Into<String>) -> Self {
        self.role_name = Some(role.into()).filter(|r| !r.is_empty());
        self
    }

    /// Attempts and time limits ([`FetchPolicy::metadata`] by default).
    pub fn with_fetch_policy(mut self, policy: FetchPolicy) -> Self {
        self.fetcher = Fetcher::new(policy);
        self
    }

    /// The IMDSv2 session token, or `None` to go on with IMDSv1. One
    /// attempt: IMDSv1 is the fallback, and a service that cannot be
    /// reached at all ends the fetch.
    async fn token(&self, deadline: &Deadline) -> Result<Option<String>, Error> {
        let what = "the metadata token";
        let attempt = self
            .fetcher
            .probe(NAME, what, deadline, |http| {
                http.put(format!("{}/latest/api/token", self.endpoint))
                    .header("X-aliyun-ecs-metadata-token-ttl-seconds", "21600")
            })
            .await;
        let failure = match attempt {
            Ok(answer) if answer.is_success() => return Ok(Some(answer.body.trim().to_string())),
            Ok(answer) => format!("HTTP {}", answer.status),
            Err(Trouble::Unreachable(reason)) => {
                return Err(Error::credentials(
                    NAME,
                    format!(
                        "the metadata service at {} is unreachable: {reason}",
                        self.endpoint
                    ),
                ))
            }
            Err(Trouble::Fail(e)) => return Err(e),
            Err(trouble) => trouble.to_string(),
        };
        if self.imdsv1_disabled {
            return Err(Error::credentials(
                NAME,
                format!("no metadata token ({failure}) and IMDSv1 is disabled (ALIBABA_CLOUD_IMDSV1_DISABLED)"),
            ));
        }
        tracing::debug!(%failure, "no metadata token; falling back to IMDSv1");
        Ok(None)
    }

    async fn get(
        &self,
        path: &str,
        token: Option<&str>,
        deadline: &Deadline,
    ) -> Result<String, Error> {
        let what = format!("metadata {CREDENTIALS_PATH}{path}");
        let url = format!("{}{CREDENTIALS_PATH}{path}", self.endpoint);
        self.fetcher
            .send(
                NAME,
                &what,
                deadline,
                |http| {
                    let req = http.get(&url);
                    match token {
                        Some(token) => req.header("X-aliyun-ecs-metadata-token", token),
                        None => req,
                    }
                },
                |answer| answer.text(NAME, &what),
            )
            .await
    }

    async fn fetch(&self) -> Result<Credentials, Error> {
        let deadline = Deadline::start(self.fetcher.policy());
        let token = self.token(&deadline).await?;
        let role = match &self.role_name {
            Some(role) => role.clone(),
            None => {
                let listing = self.get("", token.as_deref(), &deadline).await?;
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
            .get(
                &crate::signer::percent_encode(&role),
                token.as_deref(),
                &deadline,
            )
            .await?;
        parse_document(NAME, &body, true)
    }
}

impl ProvideCredentials for EcsRamRoleProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, Error>> {
        Box::pin(self.fetch())
    }
}
