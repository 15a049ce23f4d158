//! The default chain (protocol.md section 6): environment, CLI profile, INI
//! profile, ECS RAM role, credentials URI. The provider that succeeded is
//! remembered and used alone from then on.

use super::{
    BoxFuture, CliProfileProvider, Credentials, EcsRamRoleProvider, EnvProvider, Environment,
    ProfileProvider, ProvideCredentials, UriProvider,
};
use crate::Error;
use std::sync::{Arc, Mutex};

#[derive(Debug)]
pub struct DefaultChain {
    env: Environment,
    chosen: Mutex<Option<(&'static str, Arc<dyn ProvideCredentials>)>>,
}

impl DefaultChain {
    pub fn new(env: Environment) -> Self {
        DefaultChain {
            env,
            chosen: Mutex::new(None),
        }
    }

    /// The providers that apply to this environment, in order.
    fn candidates(&self) -> Vec<(&'static str, Arc<dyn ProvideCredentials>)> {
        let env = &self.env;
        let mut out: Vec<(&'static str, Arc<dyn ProvideCredentials>)> = Vec::new();
        let env_provider = EnvProvider::new(env.clone());
        if env_provider.lookup().is_some() {
            out.push(("env", Arc::new(env_provider)));
        }
        let cli = CliProfileProvider::new(env.clone());
        if cli.applies() {
            out.push(("cli_profile", Arc::new(cli)));
        }
        let ini = ProfileProvider::new(env.clone());
        if ini.applies() {
            out.push(("profile", Arc::new(ini)));
        }
        if !env.flag("ALIBABA_CLOUD_ECS_METADATA_DISABLED") {
            out.push(("ecs_ram_role", Arc::new(EcsRamRoleProvider::new(env))));
        }
        if let Some(uri) = env.var("ALIBABA_CLOUD_CREDENTIALS_URI") {
            out.push(("credentials_uri", Arc::new(UriProvider::new(uri))));
        }
        out
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
        let mut failures = Vec::new();
        for (name, provider) in self.candidates() {
            match provider.provide().await {
                Ok(c) => {
                    tracing::debug!(provider = name, "credentials found");
                    *self.chosen.lock().unwrap_or_else(|p| p.into_inner()) = Some((name, provider));
                    return Ok(c);
                }
                Err(e) => failures.push(e.to_string()),
            }
        }
        let tried = if failures.is_empty() {
            String::from("no environment variables, profile files or credentials URI")
        } else {
            failures.join("; ")
        };
        Err(Error::credentials(
            "default chain",
            format!("no credentials found ({tried}); set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET or configure a profile"),
        ))
    }
}

impl ProvideCredentials for DefaultChain {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, Error>> {
        Box::pin(self.get())
    }
}
