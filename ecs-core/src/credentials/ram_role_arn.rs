//! A RAM role assumed with STS `AssumeRole`, signed with source credentials
//! (an access key, STS credentials, or any other provider).

use super::sts::{RoleSession, StsCall, StsConfig};
use super::{
    BoxFuture, CachingProvider, Credentials, EnvProvider, Environment, ProvideCredentials,
};
use crate::Error;
use std::fmt;
use std::sync::Arc;

const NAME: &str = "ram_role_arn";

#[derive(Clone)]
pub struct RamRoleArnProvider {
    source: Arc<CachingProvider>,
    role: RoleSession,
    external_id: Option<String>,
    sts: StsConfig,
}

impl fmt::Debug for RamRoleArnProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RamRoleArnProvider")
            .field("role", &self.role)
            .field("external_id", &self.external_id.as_ref().map(|_| "<set>"))
            .field("sts", &self.sts.endpoint_url().to_string())
            .field("source", &self.source)
            .finish()
    }
}

impl RamRoleArnProvider {
    /// Assumes `role` with credentials from `source`, at the global STS
    /// endpoint until [`RamRoleArnProvider::with_sts`] says otherwise. The
    /// source's answers are cached and refreshed on their own.
    pub fn new(
        source: impl ProvideCredentials + 'static,
        role: RoleSession,
    ) -> Result<Self, Error> {
        role.validate(NAME)?;
        Ok(RamRoleArnProvider {
            source: Arc::new(CachingProvider::new(Arc::new(source))),
            role,
            external_id: None,
            sts: StsConfig::global(),
        })
    }

    /// The role from `ALIBABA_CLOUD_ROLE_ARN` (session name from
    /// `ALIBABA_CLOUD_ROLE_SESSION_NAME`), assumed with the access key of
    /// `ALIBABA_CLOUD_ACCESS_KEY_ID`/`_SECRET` (and `_SECURITY_TOKEN`), at
    /// the STS endpoint of [`StsConfig::from_env`].
    pub fn from_env(env: &Environment) -> Result<Self, Error> {
        let role = RoleSession::from_env(env)?;
        let keys = EnvProvider::new(env.clone());
        let source = keys.lookup().ok_or_else(|| {
            Error::credentials(NAME, format!("no source credentials: {}", keys.missing()))
        })?;
        Ok(RamRoleArnProvider::new(source, role)?.with_sts(StsConfig::from_env(env)?))
    }

    /// `ExternalId`, when the role's trust policy asks for one.
    pub fn with_external_id(mut self, external_id: impl Into<String>) -> Self {
        self.external_id = Some(external_id.into()).filter(|e| !e.trim().is_empty());
        self
    }

    /// Which STS endpoint to ask, and its retry limits.
    pub fn with_sts(mut self, sts: StsConfig) -> Self {
        self.sts = sts;
        self
    }

    async fn fetch(&self) -> Result<Credentials, Error> {
        let source = self.source.provide().await.map_err(|e| {
            Error::credentials(
                NAME,
                format!("the source credentials: {}", super::describe(&e)),
            )
        })?;
        let mut params = self.role.params();
        if let Some(id) = &self.external_id {
            params.push(("ExternalId".into(), id.clone()));
        }
        let call = StsCall {
            action: "AssumeRole",
            params,
            form: Vec::new(),
            signer: Some(&source),
            secrets: Vec::new(),
        };
        self.sts.assume(NAME, call).await
    }
}

impl ProvideCredentials for RamRoleArnProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, Error>> {
        Box::pin(self.fetch())
    }
}
