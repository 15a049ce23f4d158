//! The default chain, in the official credentials libraries' order
//! (protocol.md section 6): environment, OIDC, CLI profile, INI profile,
//! ECS RAM role, credentials URI. The provider that succeeded is remembered
//! and used alone from then on; when none does, the error lists every step,
//! with the variables and files it looked at.

use super::oidc::{is_or_are, VARIABLES as OIDC_VARIABLES};
use super::{
    describe, BoxFuture, CliProfileProvider, Credentials, EcsRamRoleProvider, EnvProvider,
    Environment, OidcProvider, ProfileProvider, ProvideCredentials, UriProvider,
};
use crate::Error;
use std::sync::{Arc, Mutex};

/// One step of the default chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ChainStep {
    Env,
    Oidc,
    CliProfile,
    Profile,
    EcsRamRole,
    CredentialsUri,
}

impl ChainStep {
    /// The steps in the order they are tried.
    pub const ORDER: [ChainStep; 6] = [
        ChainStep::Env,
        ChainStep::Oidc,
        ChainStep::CliProfile,
        ChainStep::Profile,
        ChainStep::EcsRamRole,
        ChainStep::CredentialsUri,
    ];

    /// The name errors, logs and [`DefaultChain::chosen`] use.
    pub fn name(self) -> &'static str {
        match self {
            ChainStep::Env => "env",
            ChainStep::Oidc => "oidc_role_arn",
            ChainStep::CliProfile => "cli_profile",
            ChainStep::Profile => "profile",
            ChainStep::EcsRamRole => "ecs_ram_role",
            ChainStep::CredentialsUri => "credentials_uri",
        }
    }
}

#[derive(Debug)]
pub struct DefaultChain {
    env: Environment,
    chosen: Mutex<Option<(&'static str, Arc<dyn ProvideCredentials>)>>,
}

/// One step of the chain for this environment.
enum Step {
    /// Configured here: ask it.
    Ask(Arc<dyn ProvideCredentials>),
    /// Not configured here, and why (naming variables and files).
    Skip(String),
}

impl DefaultChain {
    pub fn new(env: Environment) -> Self {
        DefaultChain {
            env,
            chosen: Mutex::new(None),
        }
    }

    /// What `step` is in this environment.
    fn step(&self, step: ChainStep) -> Step {
        let env = &self.env;
        let ask = |p: Arc<dyn ProvideCredentials>| Step::Ask(p);
        match step {
            ChainStep::Env => {
                let p = EnvProvider::new(env.clone());
                match p.lookup() {
                    Some(_) => ask(Arc::new(p)),
                    None => Step::Skip(p.missing()),
                }
            }
            ChainStep::Oidc => {
                let (set, unset): (Vec<&str>, Vec<&str>) =
                    OIDC_VARIABLES.iter().partition(|v| env.var(v).is_some());
                match (set.is_empty(), unset.is_empty()) {
                    (_, true) => match OidcProvider::from_env(env) {
                        Ok(p) => ask(Arc::new(p)),
                        Err(e) => Step::Skip(describe(&e)),
                    },
                    (true, false) => Step::Skip(format!("{} not set", is_or_are(&unset))),
                    (false, false) => Step::Skip(format!(
                        "{} not set ({} set)",
                        is_or_are(&unset),
                        is_or_are(&set)
                    )),
                }
            }
            ChainStep::CliProfile => {
                let p = CliProfileProvider::new(env.clone());
                match p.skip_reason() {
                    Some(why) => Step::Skip(why),
                    None => ask(Arc::new(p)),
                }
            }
            ChainStep::Profile => {
                let p = ProfileProvider::new(env.clone());
                match p.skip_reason() {
                    Some(why) => Step::Skip(why),
                    None => ask(Arc::new(p)),
                }
            }
            ChainStep::EcsRamRole if env.flag("ALIBABA_CLOUD_ECS_METADATA_DISABLED") => {
                Step::Skip("turned off by ALIBABA_CLOUD_ECS_METADATA_DISABLED=true".into())
            }
            ChainStep::EcsRamRole => ask(Arc::new(EcsRamRoleProvider::new(env))),
            ChainStep::CredentialsUri => match env.var("ALIBABA_CLOUD_CREDENTIALS_URI") {
                Some(uri) => ask(Arc::new(UriProvider::new(uri))),
                None => Step::Skip("ALIBABA_CLOUD_CREDENTIALS_URI is not set".into()),
            },
        }
    }

    /// The name of the provider in use, once one has succeeded.
    pub fn chosen(&self) -> Option<&'static str> {
        self.chosen
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .map(|c| c.0)
    }

    async fn get(&self) -> Result<Credentials, Error> {
        let chosen = self
            .chosen
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        if let Some((_, provider)) = chosen {
            return provider.provide().await;
        }
        let mut tried = Vec::new();
        for step in ChainStep::ORDER {
            let name = step.name();
            let provider = match self.step(step) {
                Step::Skip(why) => {
                    tried.push(format!("{name}: {why}"));
                    continue;
                }
                Step::Ask(p) => p,
            };
            match provider.provide().await {
                Ok(c) => {
                    tracing::debug!(provider = name, "credentials found");
                    self.warn_unused_role(name);
                    *self.chosen.lock().unwrap_or_else(|p| p.into_inner()) = Some((name, provider));
                    return Ok(c);
                }
                Err(e) => {
                    let text = describe(&e);
                    let own = text.strip_prefix(name).and_then(|t| t.strip_prefix(": "));
                    tried.push(format!("{name}: {}", own.unwrap_or(&text)));
                }
            }
        }
        Err(Error::credentials(
            "default chain",
            format!(
                "no credentials found; tried, in order: {}",
                tried.join("; ")
            ),
        ))
    }

    /// The official chains assume `ALIBABA_CLOUD_ROLE_ARN` only with OIDC;
    /// say so when an access key is used while it is set.
    fn warn_unused_role(&self, chosen: &str) {
        if chosen == "env" && self.env.var("ALIBABA_CLOUD_ROLE_ARN").is_some() {
            tracing::info!("ALIBABA_CLOUD_ROLE_ARN is set, but the default chain uses the access key as it is; RamRoleArnProvider::from_env assumes the role with it");
        }
    }
}

impl ProvideCredentials for DefaultChain {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, Error>> {
        Box::pin(self.get())
    }
}
