//! OIDC role (RRSA on ACK): an OIDC token from a file, exchanged with STS
//! `AssumeRoleWithOIDC` for role credentials. The file is read again on
//! every refresh, since the platform rotates the token in place.

use super::sts::{RoleSession, StsCall, StsConfig};
use super::{BoxFuture, Credentials, Environment, ProvideCredentials};
use crate::Error;
use std::path::PathBuf;

const NAME: &str = "oidc_role_arn";

/// The three variables that turn this provider on in the default chain.
pub(crate) const VARIABLES: [&str; 3] = [
    "ALIBABA_CLOUD_ROLE_ARN",
    "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
    "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
];

#[derive(Debug, Clone)]
pub struct OidcProvider {
    role: RoleSession,
    provider_arn: String,
    token_file: PathBuf,
    sts: StsConfig,
}

impl OidcProvider {
    /// Assumes `role` as the identity provider `provider_arn` (e.g.
    /// `acs:ram::123456789012:oidc-provider/ack-rrsa-c123`) vouches for,
    /// with the token in `token_file`.
    pub fn new(
        role: RoleSession,
        provider_arn: impl Into<String>,
        token_file: impl Into<PathBuf>,
    ) -> Result<Self, Error> {
        role.validate(NAME)?;
        let provider_arn = provider_arn.into().trim().to_string();
        if provider_arn.is_empty() {
            return Err(Error::credentials(NAME, "the OIDC provider ARN is empty"));
        }
        Ok(OidcProvider {
            role,
            provider_arn,
            token_file: token_file.into(),
            sts: StsConfig::global(),
        })
    }

    /// `ALIBABA_CLOUD_ROLE_ARN`, `ALIBABA_CLOUD_OIDC_PROVIDER_ARN`,
    /// `ALIBABA_CLOUD_OIDC_TOKEN_FILE`, optionally
    /// `ALIBABA_CLOUD_ROLE_SESSION_NAME`, and the STS endpoint of
    /// [`StsConfig::from_env`].
    pub fn from_env(env: &Environment) -> Result<Self, Error> {
        let missing: Vec<&str> = VARIABLES
            .iter()
            .copied()
            .filter(|v| env.var(v).is_none())
            .collect();
        if !missing.is_empty() {
            return Err(Error::credentials(
                NAME,
                format!("{} not set", is_or_are(&missing)),
            ));
        }
        let var = |name| env.var(name).unwrap_or_default();
        let role = RoleSession::from_env(env)?;
        Ok(OidcProvider::new(
            role,
            var("ALIBABA_CLOUD_OIDC_PROVIDER_ARN"),
            var("ALIBABA_CLOUD_OIDC_TOKEN_FILE"),
        )?
        .with_sts(StsConfig::from_env(env)?))
    }

    /// Which STS endpoint to ask, and its retry limits.
    pub fn with_sts(mut self, sts: StsConfig) -> Self {
        self.sts = sts;
        self
    }

    async fn fetch(&self) -> Result<Credentials, Error> {
        let path = &self.token_file;
        let token = std::fs::read_to_string(path).map_err(|e| {
            Error::credentials(
                NAME,
                format!("cannot read the OIDC token file {}: {e}", path.display()),
            )
        })?;
        let token = token.trim();
        if token.is_empty() {
            return Err(Error::credentials(
                NAME,
                format!("the OIDC token file {} is empty", path.display()),
            ));
        }
        let mut form = self.role.params();
        form.push(("OIDCProviderArn".into(), self.provider_arn.clone()));
        form.push(("OIDCToken".into(), token.to_string()));
        let call = StsCall {
            action: "AssumeRoleWithOIDC",
            params: Vec::new(),
            form,
            signer: None,
            secrets: vec![token],
        };
        self.sts.assume(NAME, call).await
    }
}

/// `A is` or `A, B and C are`.
pub(crate) fn is_or_are(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => format!("{one} is"),
        [init @ .., last] => format!("{} and {last} are", init.join(", ")),
    }
}

impl ProvideCredentials for OidcProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, Error>> {
        Box::pin(self.fetch())
    }
}
