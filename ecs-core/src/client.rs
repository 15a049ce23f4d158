//! The client: fills common inputs, signs every attempt afresh, retries what
//! is safe to retry, and turns answers into typed results or [`Error`]s.

use crate::config::ClientBuilder;
use crate::credentials::{CachingProvider, Credentials, ProvideCredentials};
use crate::endpoint::Endpoint;
use crate::error::{snippet, AccessDeniedDetail, ServiceError, SignatureMismatch};
use crate::retry::RetryPolicy;
use crate::signer::{redact_token, SignedRequest, Signer, SigningInput};
use crate::transport::{RawResponse, Transport};
use crate::{query, Error, Operation, OperationInfo, RegionParam};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};
use tracing::field::Empty;
use tracing::Instrument;

/// Characters of a body kept in error messages.
const SNIPPET_CHARS: usize = 512;

/// An ECS client. Cheap to clone (one `Arc`); `Debug` shows no secret.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub transport: Transport,
    pub region: Option<String>,
    pub endpoint: Endpoint,
    /// What resolved `endpoint`, to resolve it again for another region.
    pub routing: Routing,
    pub api_version: String,
    /// Shared by the clients [`Client::with_region`] makes.
    pub credentials: Arc<CachingProvider>,
    pub signer: Arc<dyn Signer>,
    pub retry: RetryPolicy,
    pub read_timeout: Duration,
    pub operation_timeout: Duration,
}

/// How the endpoint is found: an explicit override, else the network and
/// the endpoint table for the region.
#[derive(Debug, Clone)]
pub(crate) struct Routing {
    pub override_endpoint: Option<String>,
    pub network: crate::endpoint::Network,
    pub table: &'static [(&'static str, &'static str)],
}

impl Routing {
    pub fn resolve(&self, region: Option<&str>) -> Result<Endpoint, Error> {
        crate::endpoint::resolve(
            self.override_endpoint.as_deref(),
            region,
            self.network,
            self.table,
        )
    }
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

impl Client {
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    pub(crate) fn from_inner(inner: Inner) -> Self {
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
    /// cache), connection pool, signer, retry policy and timeouts. The
    /// endpoint is resolved again for the region, unless it was set
    /// explicitly. For fleets that span regions.
    pub fn with_region(&self, region: impl Into<String>) -> Result<Client, Error> {
        let region = region.into();
        crate::endpoint::validate_region(&region)?;
        let i = &self.inner;
        let endpoint = i.routing.resolve(Some(&region))?;
        Ok(Client::from_inner(Inner {
            transport: i.transport.clone(),
            region: Some(region),
            endpoint,
            routing: i.routing.clone(),
            api_version: i.api_version.clone(),
            credentials: i.credentials.clone(),
            signer: i.signer.clone(),
            retry: i.retry.clone(),
            read_timeout: i.read_timeout,
            operation_timeout: i.operation_timeout,
        }))
    }

    /// The credentials the next request would be signed with.
    pub async fn credentials(&self) -> Result<Credentials, Error> {
        self.inner.credentials.provide().await
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
        let raw = self.execute(prepared, options).await?;
        decode(info.name, &raw)
    }

    /// Calls `action` with raw parameters through the same signing, retry
    /// and error handling; the answer as JSON. Retried only when the action
    /// is `Describe*`/`List*` or the parameters carry a `ClientToken`.
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
        let params: Vec<(String, String)> = params
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        let info = OperationInfo {
            name: "",
            version: "",
            group: "",
            deprecated: false,
            read_only: action.starts_with("Describe") || action.starts_with("List"),
            client_token: false,
            region_id: RegionParam::Optional,
            enabled: true,
        };
        let mut prepared = self.prepare(&info, params, options)?;
        prepared.action = action;
        prepared.version = &self.inner.api_version;
        let raw = self.execute(prepared, options).await?;
        if raw.body.trim().is_empty() {
            return Ok(serde_json::Value::Object(Default::default()));
        }
        serde_json::from_str(&raw.body).map_err(|_| not_json(action, raw))
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
            params.push(("ClientToken".into(), uuid::Uuid::new_v4().to_string()));
        }
        let idempotent = info.read_only || has(&params, "ClientToken");
        Ok(Prepared {
            action: info.name,
            version: info.version,
            params,
            idempotent,
        })
    }

    /// Runs the attempts under the whole-operation timeout, in a span.
    async fn execute(
        &self,
        req: Prepared<'_>,
        options: &CallOptions,
    ) -> Result<RawResponse, Error> {
        let region = req
            .params
            .iter()
            .find(|(k, _)| k == "RegionId")
            .map(|(_, v)| v.as_str())
            .unwrap_or("");
        let span = tracing::info_span!(
            "ecs_call",
            operation = req.action,
            region,
            attempts = Empty,
            status = Empty,
            request_id = Empty,
            latency_ms = Empty,
        );
        let started = Instant::now();
        let timeout = options.timeout.unwrap_or(self.inner.operation_timeout);
        let result = tokio::time::timeout(timeout, self.attempts(&req, options, &span))
            .instrument(span.clone())
            .await
            .unwrap_or_else(|_| {
                Err(Error::Timeout {
                    operation: req.action.to_string(),
                    kind: crate::error::TimeoutKind::Operation,
                    after: timeout,
                })
            });
        span.record("latency_ms", started.elapsed().as_millis() as u64);
        match &result {
            Ok(raw) => {
                span.record("request_id", request_id(&raw.body).as_deref());
                tracing::debug!(parent: &span, "call succeeded");
            }
            Err(e) => {
                span.record("request_id", e.request_id());
                tracing::debug!(parent: &span, error = %e, "call failed");
            }
        }
        result
    }

    async fn attempts(
        &self,
        req: &Prepared<'_>,
        options: &CallOptions,
        span: &tracing::Span,
    ) -> Result<RawResponse, Error> {
        let policy = options.retry.as_ref().unwrap_or(&self.inner.retry);
        let attempt_timeout = options.attempt_timeout.unwrap_or(self.inner.read_timeout);
        let started = Instant::now();
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            span.record("attempts", attempt);
            let result = self
                .attempt(req, attempt_timeout)
                .instrument(tracing::debug_span!("attempt", attempt))
                .await;
            let status = match &result {
                Ok(raw) => Some(raw.status),
                Err(e) => e.status(),
            };
            span.record("status", status);
            let err = match result {
                Ok(raw) => return Ok(raw),
                Err(e) => e,
            };
            if !req.idempotent || !err.is_retryable() || attempt >= policy.max_attempts {
                return Err(err);
            }
            let retry_after = err.service_error().and_then(|s| s.retry_after);
            let delay = policy.delay(attempt - 1, err.is_throttling(), retry_after);
            if started.elapsed() + delay > policy.max_elapsed {
                return Err(err);
            }
            tracing::debug!(attempt, delay_ms = delay.as_millis() as u64, error = %err, "retrying");
            tokio::time::sleep(delay).await;
        }
    }

    /// One signed request: fresh credentials check, nonce and timestamp.
    async fn attempt(&self, req: &Prepared<'_>, timeout: Duration) -> Result<RawResponse, Error> {
        let inner = &self.inner;
        let creds = inner.credentials.provide().await?;
        let timestamp = crate::utc::format(SystemTime::now());
        let nonce = uuid::Uuid::new_v4().to_string();
        let signed = inner.signer.sign(&SigningInput {
            method: "POST",
            host: inner.endpoint.authority(),
            action: req.action,
            version: req.version,
            params: &req.params,
            credentials: &creds,
            timestamp: &timestamp,
            nonce: &nonce,
        });
        let url = inner.endpoint.url(&signed.query);
        let raw = inner
            .transport
            .post(req.action, &url, &signed.headers, timeout)
            .await?;
        if (200..300).contains(&raw.status) {
            return Ok(raw);
        }
        Err(error_from_response(req.action, raw, &signed, &creds))
    }
}

/// The error document (either key casing is accepted).
#[derive(Deserialize)]
struct ErrorBody {
    #[serde(alias = "code")]
    #[serde(rename = "Code")]
    code: Option<String>,
    #[serde(alias = "message")]
    #[serde(rename = "Message")]
    message: Option<String>,
    #[serde(alias = "requestId")]
    #[serde(rename = "RequestId")]
    request_id: Option<String>,
    #[serde(rename = "HostId")]
    host_id: Option<String>,
    #[serde(rename = "Recommend")]
    recommend: Option<String>,
    #[serde(alias = "accessDeniedDetail")]
    #[serde(rename = "AccessDeniedDetail")]
    access_denied_detail: Option<AccessDeniedDetail>,
}

fn error_from_response(
    operation: &str,
    raw: RawResponse,
    signed: &SignedRequest,
    creds: &Credentials,
) -> Error {
    let Ok(body) = serde_json::from_str::<ErrorBody>(&raw.body) else {
        return not_json(operation, raw);
    };
    let code = body.code.unwrap_or_default();
    if code == "DryRunOperation" {
        return Error::DryRunPassed {
            request_id: body.request_id,
        };
    }
    let message = body.message.unwrap_or_default();
    let signature_mismatch = (code == "SignatureDoesNotMatch")
        .then(|| message.rsplit_once(':'))
        .flatten()
        .map(|(_, server)| {
            let token = creds.security_token();
            SignatureMismatch {
                server_string_to_sign: redact_token(server.trim(), token),
                client_string_to_sign: redact_token(&signed.string_to_sign, token),
            }
        });
    let service = ServiceError {
        operation: operation.to_string(),
        status: raw.status,
        message: redact_token(&message, creds.security_token()),
        code,
        request_id: body.request_id,
        host_id: body.host_id,
        recommend: body.recommend,
        access_denied_detail: body.access_denied_detail,
        retry_after: raw.retry_after,
        signature_mismatch,
    };
    Error::Service(Box::new(service))
}

/// The answer was not JSON (a proxy's error page, say).
fn not_json(operation: &str, raw: RawResponse) -> Error {
    Error::UnexpectedResponse {
        operation: operation.to_string(),
        status: raw.status,
        content_type: raw.content_type,
        snippet: snippet(&raw.body, SNIPPET_CHARS),
    }
}

/// The `RequestId` of a JSON body, if it has one.
fn request_id(body: &str) -> Option<String> {
    serde_json::from_str::<ErrorBody>(body).ok()?.request_id
}

/// Decodes a success body (blank counts as `{}`), naming the JSON path of
/// any mismatch.
pub(crate) fn decode<T: DeserializeOwned>(
    operation: &'static str,
    raw: &RawResponse,
) -> Result<T, Error> {
    let body = raw.body.as_str();
    let text = if body.trim().is_empty() { "{}" } else { body };
    let not_json = || Error::UnexpectedResponse {
        operation: operation.to_string(),
        status: raw.status,
        content_type: raw.content_type.clone(),
        snippet: snippet(body, SNIPPET_CHARS),
    };
    let mut de = serde_json::Deserializer::from_str(text);
    match serde_path_to_error::deserialize(&mut de) {
        Ok(v) => de.end().map(|()| v).map_err(|_| not_json()),
        Err(e) if e.inner().is_syntax() || e.inner().is_eof() => Err(not_json()),
        Err(e) => Err(Error::Decode {
            operation,
            path: e.path().to_string(),
            message: e.into_inner().to_string(),
            snippet: snippet(body, SNIPPET_CHARS),
            request_id: request_id(text),
        }),
    }
}

#[cfg(test)]
mod tests;
