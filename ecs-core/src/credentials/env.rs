//! Access keys from environment variables: `ALIBABA_CLOUD_*`, then the
//! `ALICLOUD_*` spellings of aliyun-cli and Terraform as a fallback.

use super::{BoxFuture, Credentials, Environment, ProvideCredentials};
use crate::Error;

const NAME: &str = "env";

/// One spelling of the variables: (id, secret, token) names, each in order
/// of preference.
struct Spelling {
    id: &'static [&'static str],
    secret: &'static [&'static str],
    token: &'static [&'static str],
}

const SPELLINGS: &[Spelling] = &[
    Spelling {
        id: &["ALIBABA_CLOUD_ACCESS_KEY_ID"],
        secret: &["ALIBABA_CLOUD_ACCESS_KEY_SECRET"],
        token: &["ALIBABA_CLOUD_SECURITY_TOKEN"],
    },
    Spelling {
        id: &["ALICLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY"],
        secret: &["ALICLOUD_ACCESS_KEY_SECRET", "ALICLOUD_SECRET_KEY"],
        token: &["ALICLOUD_SECURITY_TOKEN"],
    },
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
        SPELLINGS.iter().find_map(|s| {
            let id = self.env.first_var(s.id)?;
            let secret = self.env.first_var(s.secret)?;
            Some(match self.env.first_var(s.token) {
                Some(token) => Credentials::sts(id, secret, token),
                None => Credentials::new(id, secret),
            })
        })
    }

    /// Why [`EnvProvider::lookup`] found nothing: the one variable missing
    /// when half a pair is set, else every variable looked at.
    pub(crate) fn missing(&self) -> String {
        for s in SPELLINGS {
            match (self.env.first_var(s.id), self.env.first_var(s.secret)) {
                (Some(_), None) => {
                    return format!(
                        "{} is not set ({} is)",
                        s.secret.join(" or "),
                        self.set_name(s.id)
                    )
                }
                (None, Some(_)) => {
                    return format!(
                        "{} is not set ({} is)",
                        s.id.join(" or "),
                        self.set_name(s.secret)
                    )
                }
                _ => {}
            }
        }
        let names: Vec<String> = SPELLINGS
            .iter()
            .map(|s| format!("{}/{}", s.id.join("|"), s.secret.join("|")))
            .collect();
        format!("none of {} is set", names.join(", "))
    }

    fn set_name(&self, names: &[&'static str]) -> &'static str {
        names
            .iter()
            .find(|n| self.env.var(n).is_some())
            .copied()
            .unwrap_or("")
    }
}

impl ProvideCredentials for EnvProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, Error>> {
        let found = self
            .lookup()
            .ok_or_else(|| Error::credentials(NAME, self.missing()));
        Box::pin(async move { found })
    }
}
