//! Client configuration: [`ClientBuilder`] checks the settings (its own,
//! then the environment's) and builds a [`Config`], which
//! [`Client::from_conf`](crate::Client::from_conf) makes a client of.

use crate::credentials::{CachingProvider, DefaultChain, Environment, ProvideCredentials};
use crate::endpoint::{self, Endpoint, Network, Routing};
use crate::retry::RetryPolicy;
use crate::signer::SignatureVersion;
use crate::transport::{HttpHook, HttpPolicy, Transport};
use crate::{ApiInfo, Credentials, Error};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(10);
pub const DEFAULT_OPERATION_TIMEOUT: Duration = Duration::from_secs(60);
/// The largest answer body the client reads (64 MiB).
pub const DEFAULT_MAX_RESPONSE_BODY: u64 = 64 << 20;

/// Builds a [`Client`](crate::Client) (through a [`Config`]). Explicit
/// settings win over the environment read by [`ClientBuilder::from_env`].
#[derive(Clone)]
pub struct ClientBuilder {
    region: Option<String>,
    endpoint: Option<String>,
    api: Option<&'static ApiInfo>,
    network: Network,
    credentials: Option<Arc<dyn ProvideCredentials>>,
    env: Option<Environment>,
    connect_timeout: Duration,
    read_timeout: Duration,
    operation_timeout: Duration,
    retry: RetryPolicy,
    user_agent: Option<String>,
    signature: SignatureVersion,
    refresh_window: Option<Duration>,
    max_response_body: u64,
    http_hook: Option<HttpHook>,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            region: None,
            endpoint: None,
            api: None,
            network: Network::Public,
            credentials: None,
            env: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            read_timeout: DEFAULT_READ_TIMEOUT,
            operation_timeout: DEFAULT_OPERATION_TIMEOUT,
            retry: RetryPolicy::default(),
            user_agent: None,
            signature: SignatureVersion::default(),
            refresh_window: None,
            max_response_body: DEFAULT_MAX_RESPONSE_BODY,
            http_hook: None,
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
            .field("max_response_body", &self.max_response_body)
            .field("configure_http", &self.http_hook.is_some())
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

    /// The API the client calls: its version, endpoint table and template,
    /// and operations. `ecs_api::Client::builder()` sets it.
    pub fn api(mut self, api: &'static ApiInfo) -> Self {
        self.api = Some(api);
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

    /// The largest answer body read (default 64 MiB). A larger answer is an
    /// error and its connection is dropped unread: a `Content-Length` over
    /// the limit is refused before reading, and a body without one is
    /// counted as it streams in.
    pub fn max_response_body(mut self, bytes: u64) -> Self {
        self.max_response_body = bytes;
        self
    }

    /// Shapes the underlying `reqwest` client: a custom CA, an mTLS
    /// identity, proxies, connection-pool limits. The hook runs first; the
    /// core then applies what it enforces, which the hook cannot undo:
    /// connect and read timeouts, no redirects, the user agent (and, per
    /// request, the attempt timeout and the body limit).
    ///
    /// ```no_run
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use ecs_core::reqwest::{Certificate, Identity, Proxy};
    /// use std::time::Duration;
    ///
    /// let ca = Certificate::from_pem(&std::fs::read("corp-ca.pem")?)?;
    /// let identity = Identity::from_pem(&std::fs::read("client.pem")?)?;
    /// let client = ecs_core::Client::builder()
    ///     .region("cn-hangzhou")
    ///     .configure_http(move |http| {
    ///         http.add_root_certificate(ca.clone())
    ///             .identity(identity.clone())
    ///             .proxy(Proxy::https("http://proxy.internal:3128").expect("proxy URL"))
    ///             .pool_max_idle_per_host(32)
    ///             .pool_idle_timeout(Duration::from_secs(30))
    ///     })
    ///     .build()?;
    /// # let _ = client;
    /// # Ok(())
    /// # }
    /// ```
    pub fn configure_http(
        mut self,
        hook: impl Fn(reqwest::ClientBuilder) -> reqwest::ClientBuilder + Send + Sync + 'static,
    ) -> Self {
        self.http_hook = Some(Arc::new(hook));
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

    /// Checks every setting and builds the configuration a client is made
    /// of ([`ClientBuilder::build`] does both).
    pub fn build_config(self) -> Result<Config, Error> {
        let env = self.env.as_ref();
        let region = setting(
            self.region.clone(),
            "ClientBuilder::region",
            env,
            &["ALIBABA_CLOUD_REGION_ID", "ALICLOUD_REGION_ID"],
        );
        if let Some((r, origin)) = &region {
            endpoint::validate_region(r).map_err(|e| e.in_setting(origin))?;
        }
        let endpoint_setting = setting(
            self.endpoint.clone(),
            "ClientBuilder::endpoint",
            env,
            &["ALIBABA_CLOUD_ECS_ENDPOINT"],
        );
        let endpoint_origin = endpoint_setting.as_ref().map(|(_, o)| *o);
        let routing = Routing {
            override_endpoint: endpoint_setting.map(|(e, _)| e),
            network: self.network,
            api: self.api,
        };
        let region = region.map(|(r, _)| r);
        let endpoint = routing
            .resolve(region.as_deref())
            .map_err(|e| match endpoint_origin {
                Some(origin) => e.in_setting(origin),
                None => e,
            })?;
        for (name, d) in [
            ("ClientBuilder::connect_timeout", self.connect_timeout),
            ("ClientBuilder::read_timeout", self.read_timeout),
            ("ClientBuilder::operation_timeout", self.operation_timeout),
        ] {
            if d.is_zero() {
                return Err(Error::config(format!("{name}: must be greater than zero")));
            }
        }
        if self.max_response_body == 0 {
            return Err(Error::config(
                "ClientBuilder::max_response_body: must be greater than zero",
            ));
        }
        if let Some(problem) = self.retry.adaptive.as_ref().and_then(|a| a.problem()) {
            return Err(Error::config(format!(
                "ClientBuilder::retry_policy: adaptive rate setting {problem} is out of range"
            )));
        }
        let suffix = setting(
            self.user_agent.clone(),
            "ClientBuilder::user_agent",
            env,
            &["ALIBABA_CLOUD_USER_AGENT"],
        );
        if let Some((s, origin)) = &suffix {
            if s.chars().any(char::is_control) {
                return Err(Error::config(format!(
                    "{origin}: the user agent suffix contains a control character"
                )));
            }
        }
        let user_agent = user_agent(suffix.as_ref().map(|(s, _)| s.as_str()));
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
        let policy = HttpPolicy {
            connect_timeout: self.connect_timeout,
            max_body: self.max_response_body,
        };
        Ok(Config {
            transport: Transport::new(policy, &user_agent, self.http_hook.as_ref())?,
            region,
            endpoint,
            routing,
            credentials,
            signature: self.signature,
            retry: self.retry,
            read_timeout: self.read_timeout,
            operation_timeout: self.operation_timeout,
        })
    }
}

/// A checked client configuration, from [`ClientBuilder::build_config`]:
/// the endpoint resolved, the credentials source chosen, the HTTP client
/// built. [`Client::from_conf`](crate::Client::from_conf) makes the client.
pub struct Config {
    pub(crate) region: Option<String>,
    pub(crate) endpoint: Endpoint,
    pub(crate) routing: Routing,
    pub(crate) credentials: CachingProvider,
    pub(crate) signature: SignatureVersion,
    pub(crate) retry: RetryPolicy,
    pub(crate) transport: Transport,
    pub(crate) read_timeout: Duration,
    pub(crate) operation_timeout: Duration,
}

impl Config {
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }
}

// The credentials source may hold secrets: show where calls go and how.
impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("region", &self.region)
            .field("endpoint", &self.endpoint.to_string())
            .field("signature", &self.signature)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

/// An explicit setting, else the first of `vars` that is set, with where
/// it came from.
fn setting(
    explicit: Option<String>,
    name: &'static str,
    env: Option<&Environment>,
    vars: &[&'static str],
) -> Option<(String, &'static str)> {
    if let Some(v) = explicit {
        return Some((v, name));
    }
    let env = env?;
    vars.iter()
        .find_map(|var| env.var(var).map(|v| (v.to_string(), *var)))
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
