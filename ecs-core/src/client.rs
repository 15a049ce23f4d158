//! The client: fills common inputs, signs every attempt afresh, retries what
//! is safe to retry, and turns answers into typed results or [`Error`]s.
//!
//! - [`run`]: one call's attempts, retry decisions, budget and timeouts;
//! - [`answer`]: what an answer (or its absence) means: a decoded value,
//!   a service error, or a failure with its context.

mod answer;
mod run;

use crate::config::{ClientBuilder, Config};
use crate::credentials::{CachingProvider, Credentials};
use crate::endpoint::{Endpoint, Routing};
use crate::retry::adaptive::RateLimiter;
use crate::retry::{RetryPolicy, RetryShared, RetryStats};
use crate::signer::Signer;
use crate::transport::Transport;
use crate::{query, unique, Error, HasRequestId, Operation, OperationInfo, RegionParam};
use answer::decode;
use run::Run;
use serde::de::DeserializeOwned;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// An ECS client. Cheap to clone (one `Arc`); `Debug` shows no secret.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub transport: Transport,
    pub region: Option<String>,
    pub endpoint: Endpoint,
    /// `endpoint` as a URL, parsed once; each attempt adds its query.
    pub base_url: reqwest::Url,
    /// What resolved `endpoint` (and knows the API, if any), to resolve it
    /// again for another region.
    pub routing: Routing,
    /// Shared by the clients [`Client::with_region`] makes.
    pub credentials: Arc<CachingProvider>,
    pub signer: Arc<dyn Signer>,
    pub retry: RetryPolicy,
    /// The retry budget and rate limiters, shared with `with_region` clones.
    pub retry_shared: Arc<RetryShared>,
    /// This region's adaptive rate limiter, if the policy is adaptive.
    pub limiter: Option<Arc<RateLimiter>>,
    pub read_timeout: Duration,
    pub operation_timeout: Duration,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        f.debug_struct("Client")
            .field("region", &i.region)
            .field("endpoint", &i.endpoint.to_string())
            .field("signer", &i.signer)
            .field("retry", &i.retry)
            .finish_non_exhaustive()
    }
}

/// Per-call settings: extra parameters the metadata lacks, timeouts, retry.
#[derive(Debug, Clone, Default)]
pub struct CallOptions {
    /// Added to the request; a name already present gets this value instead.
    pub extra_params: Vec<(String, String)>,
    /// Bounds the whole call, retries included (client default otherwise).
    pub timeout: Option<Duration>,
    /// Bounds each attempt (client read timeout otherwise).
    pub attempt_timeout: Option<Duration>,
    pub retry: Option<RetryPolicy>,
}

impl CallOptions {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.extra_params.push((name.into(), value.into()));
        self
    }

    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }
}

/// A request ready to send: action and all its own parameters.
struct Prepared<'a> {
    action: &'a str,
    version: &'a str,
    params: Vec<(String, String)>,
    /// Safe to send twice: read-only, or carrying a `ClientToken`.
    idempotent: bool,
}

fn has(params: &[(String, String)], name: &str) -> bool {
    params.iter().any(|(k, _)| k == name)
}

fn set(params: &mut Vec<(String, String)>, name: String, value: String) {
    match params.iter_mut().find(|(k, _)| *k == name) {
        Some(slot) => slot.1 = value,
        None => params.push((name, value)),
    }
}

impl ClientBuilder {
    /// The client: [`ClientBuilder::build_config`], then
    /// [`Client::from_conf`].
    pub fn build(self) -> Result<Client, Error> {
        Ok(Client::from_conf(self.build_config()?))
    }
}

impl Client {
    /// A builder without an API: set one ([`ClientBuilder::api`]) or an
    /// endpoint. `ecs_api::Client::builder()` presets ECS's.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The client a checked configuration describes.
    pub fn from_conf(conf: Config) -> Client {
        let retry_shared = Arc::new(RetryShared::new(&conf.retry));
        let limiter = retry_shared.limiter(conf.region.as_deref().unwrap_or(""));
        Client::from_inner(Inner {
            transport: conf.transport,
            region: conf.region,
            base_url: base_url(&conf.endpoint),
            endpoint: conf.endpoint,
            routing: conf.routing,
            credentials: Arc::new(conf.credentials),
            signer: conf.signature.signer(),
            retry: conf.retry,
            retry_shared,
            limiter,
            read_timeout: conf.read_timeout,
            operation_timeout: conf.operation_timeout,
        })
    }

    fn from_inner(inner: Inner) -> Self {
        Client {
            inner: Arc::new(inner),
        }
    }

    /// The configured region, if any.
    pub fn region(&self) -> Option<&str> {
        self.inner.region.as_deref()
    }

    pub fn endpoint(&self) -> &Endpoint {
        &self.inner.endpoint
    }

    /// A client for `region` that shares this one's credentials (and their
    /// cache), connection pool, signer, retry policy, retry budget and
    /// timeouts (and, in adaptive mode, the rate limiter of that region). The
    /// endpoint is resolved again for the region, unless it was set
    /// explicitly. For fleets that span regions.
    pub fn with_region(&self, region: impl Into<String>) -> Result<Client, Error> {
        let region = region.into();
        let named = |e: Error| e.in_setting("Client::with_region");
        crate::endpoint::validate_region(&region).map_err(named)?;
        let i = &self.inner;
        let endpoint = i.routing.resolve(Some(&region)).map_err(named)?;
        let limiter = i.retry_shared.limiter(&region);
        Ok(Client::from_inner(Inner {
            transport: i.transport.clone(),
            region: Some(region),
            base_url: base_url(&endpoint),
            endpoint,
            routing: i.routing.clone(),
            credentials: i.credentials.clone(),
            signer: i.signer.clone(),
            retry: i.retry.clone(),
            retry_shared: i.retry_shared.clone(),
            limiter,
            read_timeout: i.read_timeout,
            operation_timeout: i.operation_timeout,
        }))
    }

    /// The credentials the next request would be signed with.
    pub async fn credentials(&self) -> Result<Credentials, Error> {
        let creds = self.inner.credentials.get().await?;
        Ok(Arc::unwrap_or_clone(creds))
    }

    /// Sends one typed request and decodes its typed response.
    pub async fn call<O: Operation>(&self, request: &O) -> Result<O::Output, Error> {
        self.call_with(request, &CallOptions::default()).await
    }

    /// [`Client::call`] with per-call options.
    pub async fn call_with<O: Operation>(
        &self,
        request: &O,
        options: &CallOptions,
    ) -> Result<O::Output, Error> {
        let info = O::INFO;
        let params = query::to_params(request).map_err(|source| Error::InvalidRequest {
            operation: info.name,
            source,
        })?;
        let prepared = self.prepare(&info, params, options)?;
        self.run(prepared, options).await
    }

    /// Calls `action` with raw parameters through the same signing, retry
    /// and error handling; the answer as JSON. Retried only when the API's
    /// operations table ([`ClientBuilder::api`]) says the action is
    /// read-only, or when the parameters carry a `ClientToken`: an action
    /// the table lacks counts as changing state.
    pub async fn call_action<I, K, V>(
        &self,
        action: &str,
        params: I,
    ) -> Result<serde_json::Value, Error>
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        self.call_action_with(action, params, &CallOptions::default())
            .await
    }

    /// [`Client::call_action`] with per-call options.
    pub async fn call_action_with<I, K, V>(
        &self,
        action: &str,
        params: I,
        options: &CallOptions,
    ) -> Result<serde_json::Value, Error>
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        if action.is_empty() || !action.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(Error::InvalidInput {
                what: "action".into(),
                message: format!("`{action}` is not an API name such as `DescribeRegions`"),
            });
        }
        let Some(api) = self.inner.routing.api else {
            return Err(Error::InvalidInput {
                what: "action".into(),
                message: format!(
                    "`{action}` has no API version to send: the client was built without an \
                     API (ClientBuilder::api, which `ecs_api::Client::builder()` sets)"
                ),
            });
        };
        let params: Vec<(String, String)> = params
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        let known = api.operation(action);
        let info = OperationInfo {
            name: "",
            version: known.map_or(api.version, |op| op.version),
            group: "",
            deprecated: false,
            read_only: known.is_some_and(|op| op.read_only),
            client_token: false,
            region_id: RegionParam::Optional,
            enabled: true,
        };
        let mut prepared = self.prepare(&info, params, options)?;
        prepared.action = action;
        self.run(prepared, options).await
    }

    /// The attempts of one call, until an answer decodes as `T` or the
    /// call fails. Decoding is inside the loop: a garbled success body is
    /// retried like any transient failure when that is safe.
    async fn run<T: DeserializeOwned + HasRequestId>(
        &self,
        prepared: Prepared<'_>,
        options: &CallOptions,
    ) -> Result<T, Error> {
        let mut run = Run::start(self, prepared, options);
        loop {
            let raw = run.send().await?;
            match decode::<T>(&raw.body) {
                Ok(value) => {
                    run.succeeded(value.request_id());
                    return Ok(value);
                }
                Err(bad) => run.retry_bad_answer(&raw, bad).await?,
            }
        }
    }

    /// The retry budget and adaptive rate right now (shared with the
    /// clients [`Client::with_region`] makes), e.g. for metrics.
    pub fn retry_stats(&self) -> RetryStats {
        let i = &self.inner;
        RetryStats {
            budget_tokens: i.retry_shared.budget.as_ref().map(|b| b.available()),
            send_rate: i.limiter.as_ref().and_then(|l| l.rate()),
        }
    }

    /// Fills `RegionId` and `ClientToken`, applies extra parameters.
    fn prepare<'a>(
        &'a self,
        info: &OperationInfo,
        mut params: Vec<(String, String)>,
        options: &CallOptions,
    ) -> Result<Prepared<'a>, Error> {
        for (k, v) in &options.extra_params {
            if k.trim().is_empty() {
                return Err(Error::InvalidInput {
                    what: "extra parameter".into(),
                    message: format!("a parameter name is empty (value `{v}`)"),
                });
            }
            set(&mut params, k.clone(), v.clone());
        }
        if info.region_id != RegionParam::None && !has(&params, "RegionId") {
            match &self.inner.region {
                Some(r) => params.push(("RegionId".into(), r.clone())),
                None if info.region_id == RegionParam::Required => {
                    return Err(Error::MissingParameter {
                        operation: info.name,
                        params: vec!["RegionId".into()],
                    })
                }
                None => {}
            }
        }
        if info.client_token && !has(&params, "ClientToken") {
            params.push(("ClientToken".into(), unique::next().as_str().into()));
        }
        let idempotent = info.read_only || has(&params, "ClientToken");
        Ok(Prepared {
            action: info.name,
            version: info.version,
            params,
            idempotent,
        })
    }
}

/// `endpoint` as the URL requests go to, before their query.
fn base_url(endpoint: &Endpoint) -> reqwest::Url {
    reqwest::Url::parse(&format!("{endpoint}/")).expect("a parsed endpoint is a valid URL")
}

#[cfg(test)]
mod tests;
