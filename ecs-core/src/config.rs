//! Client configuration: [`ClientBuilder`].

use crate::client::{Client, Inner, Routing};
use crate::credentials::{CachingProvider, DefaultChain, Environment, ProvideCredentials};
use crate::endpoint::{self, Network};
use crate::retry::RetryPolicy;
use crate::signer::SignatureVersion;
use crate::transport::Transport;
use crate::{Credentials, Error};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(10);
pub const DEFAULT_OPERATION_TIMEOUT: Duration = Duration::from_secs(60);
/// The API version untyped calls use unless told otherwise.
pub const DEFAULT_API_VERSION: &str = "2014-05-26";

/// Builds a [`Client`]. Explicit settings win over the environment read by
/// [`ClientBuilder::from_env`].
#[derive(Clone)]
pub struct ClientBuilder {
    region: Option<String>,
    endpoint: Option<String>,
    endpoints: &'static [(&'static str, &'static str)],
    network: Network,
    credentials: Option<Arc<dyn ProvideCredentials>>,
    env: Option<Environment>,
    connect_timeout: Duration,
    read_timeout: Duration,
    operation_timeout: Duration,
    retry: RetryPolicy,
    user_agent: Option<String>,
    signature: SignatureVersion,
    api_version: String,
    refresh_window: Option<Duration>,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            region: None,
            endpoint: None,
            endpoints: &[],
            network: Network::Public,
            credentials: None,
            env: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            read_timeout: DEFAULT_READ_TIMEOUT,
            operation_timeout: DEFAULT_OPERATION_TIMEOUT,
            retry: RetryPolicy::default(),
            user_agent: None,
            signature: SignatureVersion::default(),
            api_version: DEFAULT_API_VERSION.into(),
            refresh_window: None,
        }
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .field("network", &self.network)
            .field("signature", &self.signature)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// A builder that also reads the process environment: region from
    /// `ALIBABA_CLOUD_REGION_ID` (or `ALICLOUD_REGION_ID`), endpoint from
    /// `ALIBABA_CLOUD_ECS_ENDPOINT`, credentials through the default chain.
    pub fn from_env() -> Self {
        ClientBuilder::default().environment(Environment::from_process())
    }

    /// Like [`ClientBuilder::from_env`] with an explicit environment.
    pub fn environment(mut self, env: Environment) -> Self {
        self.env = Some(env);
        self
    }

    /// The region, e.g. `cn-hangzhou`; filled into requests that omit `RegionId`.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Overrides endpoint resolution: `host`, `host:port` or
    /// `http(s)://host[:port]` (HTTPS when no scheme is given).
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// The metadata's region -> host table (e.g. `ecs_api::ENDPOINTS`).
    pub fn endpoints(mut self, table: &'static [(&'static str, &'static str)]) -> Self {
        self.endpoints = table;
        self
    }

    pub fn network(mut self, network: Network) -> Self {
        self.network = network;
        self
    }

    /// Fixed credentials (an access key, or STS with [`Credentials::sts`]).
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(Arc::new(credentials));
        self
    }

    /// Any credentials source; the client caches and refreshes what it returns.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.credentials = Some(Arc::new(provider));
        self
    }

    /// Refresh expiring credentials this long before they expire (180 s).
    pub fn credentials_refresh_window(mut self, window: Duration) -> Self {
        self.refresh_window = Some(window);
        self
    }

    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Bounds one attempt: sending the request and reading the answer.
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = timeout;
        self
    }

    /// Bounds a whole call, retries and backoff included.
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.operation_timeout = timeout;
        self
    }

    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Appended to the User-Agent, e.g. `my-app/1.2`.
    pub fn user_agent(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent = Some(suffix.into());
        self
    }

    pub fn signature_version(mut self, version: SignatureVersion) -> Self {
        self.signature = version;
        self
    }

    /// The `Version` of untyped calls (typed ones carry their own).
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        self.api_version = version.into();
        self
    }

    pub fn build(self) -> Result<Client, Error> {
        let env = self.env.as_ref();
        let env_var = |names: &[&str]| env.and_then(|e| e.first_var(names)).map(str::to_string);
        let region = self
            .region
            .clone()
            .or_else(|| env_var(&["ALIBABA_CLOUD_REGION_ID", "ALICLOUD_REGION_ID"]));
        if let Some(r) = &region {
            endpoint::validate_region(r)?;
        }
        let override_endpoint = self
            .endpoint
            .clone()
            .or_else(|| env_var(&["ALIBABA_CLOUD_ECS_ENDPOINT"]));
        let routing = Routing {
            override_endpoint,
            network: self.network,
            table: self.endpoints,
        };
        let endpoint = routing.resolve(region.as_deref())?;
        for (name, d) in [
            ("connect timeout", self.connect_timeout),
            ("read timeout", self.read_timeout),
            ("operation timeout", self.operation_timeout),
        ] {
            if d.is_zero() {
                return Err(Error::config(format!(
                    "the {name} must be greater than zero"
                )));
            }
        }
        if self.api_version.trim().is_empty() {
            return Err(Error::config("the API version is empty"));
        }
        let suffix = self
            .user_agent
            .clone()
            .or_else(|| env_var(&["ALIBABA_CLOUD_USER_AGENT"]));
        let user_agent = user_agent(suffix.as_deref());
        let provider = match self.credentials {
            Some(p) => p,
            None => Arc::new(DefaultChain::new(
                self.env.clone().unwrap_or_else(Environment::from_process),
            )),
        };
        let mut credentials = CachingProvider::new(provider);
        if let Some(w) = self.refresh_window {
            credentials = credentials.with_refresh_window(w);
        }
        Ok(Client::from_inner(Inner {
            transport: Transport::new(self.connect_timeout, self.read_timeout, &user_agent)?,
            region,
            endpoint,
            routing,
            api_version: self.api_version,
            credentials: Arc::new(credentials),
            signer: self.signature.signer(),
            retry: self.retry,
            read_timeout: self.read_timeout,
            operation_timeout: self.operation_timeout,
        }))
    }
}

/// `AlibabaCloud ({os}; {arch}) Rust ecs-core/{version}[ {suffix}]`.
pub(crate) fn user_agent(suffix: Option<&str>) -> String {
    let mut ua = format!(
        "AlibabaCloud ({}; {}) Rust ecs-core/{}",
        std::env::consts::OS,
        std::env::consts::ARCH,
        env!("CARGO_PKG_VERSION")
    );
    if let Some(s) = suffix.map(str::trim).filter(|s| !s.is_empty()) {
        ua.push(' ');
        ua.push_str(s);
    }
    ua
}
