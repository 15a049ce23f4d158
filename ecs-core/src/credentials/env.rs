//! Access keys from environment variables: `ALIBABA_CLOUD_*`, then the
//! `ALICLOUD_*` spellings of aliyun-cli and Terraform as a fallback.

use super::{BoxFuture, Credentials, Environment, ProvideCredentials};
use crate::Error;

/// (id, secret, token) variable names, in order of preference.
const SPELLINGS: &[(&[&str], &[&str], &[&str])] = &[
    (
        &["ALIBABA_CLOUD_ACCESS_KEY_ID"],
        &["ALIBABA_CLOUD_ACCESS_KEY_SECRET"],
        &["ALIBABA_CLOUD_SECURITY_TOKEN"],
    ),
    (
        &["ALICLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY"],
        &["ALICLOUD_ACCESS_KEY_SECRET", "ALICLOUD_SECRET_KEY"],
        &["ALICLOUD_SECURITY_TOKEN"],
    ),
];

#[derive(Debug, Clone)]
pub struct EnvProvider {
    env: Environment,
}

impl EnvProvider {
    pub fn new(env: Environment) -> Self {
        EnvProvider { env }
    }

    /// The credentials if a complete id/secret pair of one spelling is set.
    pub fn lookup(&self) -> Option<Credentials> {
        SPELLINGS.iter().find_map(|(ids, secrets, tokens)| {
            let id = self.env.first_var(ids)?;
            let secret = self.env.first_var(secrets)?;
            Some(match self.env.first_var(tokens) {
                Some(token) => Credentials::sts(id, secret, token),
                None => Credentials::new(id, secret),
            })
        })
    }
}

impl ProvideCredentials for EnvProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, Error>> {
        let found = self.lookup().ok_or_else(|| {
            Error::credentials(
                "env",
                "ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET are not both set",
            )
        });
        Box::pin(async move { found })
    }
}
