//! STS (API version 2015-04-01), the RPC service behind the role providers:
//! where it is (global, regional, VPC or any endpoint), the role session to
//! ask for, and one request path for `AssumeRole` (signed with the client's
//! own RPC signer) and `AssumeRoleWithOIDC` (anonymous: the OIDC token is
//! the proof).

use super::http::{Answer, Deadline, FetchPolicy, Fetcher, Verdict};
use super::{CredentialsDocument, Environment};
use crate::endpoint::{validate_region, Endpoint, Network};
use crate::signer::{redact, RpcV1, Signer, SigningInput};
use crate::{Credentials, Error};
use serde::Deserialize;
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub const STS_VERSION: &str = "2015-04-01";
/// The global endpoint, used when no region is set.
pub const DEFAULT_STS_ENDPOINT: &str = "sts.aliyuncs.com";
/// `DurationSeconds` unless set (the official libraries' default).
pub const DEFAULT_SESSION_DURATION: Duration = Duration::from_secs(3600);
/// The shortest session STS grants.
pub const MIN_SESSION_DURATION: Duration = Duration::from_secs(900);

/// Where STS requests go and how they are retried.
#[derive(Debug, Clone)]
pub struct StsConfig {
    endpoint: Endpoint,
    fetcher: Fetcher,
}

impl Default for StsConfig {
    fn default() -> Self {
        StsConfig::global()
    }
}

impl StsConfig {
    /// `https://sts.aliyuncs.com`.
    pub fn global() -> Self {
        StsConfig::at(Endpoint::parse(DEFAULT_STS_ENDPOINT).expect("a valid host"))
    }

    /// `sts.{region}.aliyuncs.com`, or `sts-vpc.{region}.aliyuncs.com` on
    /// [`Network::Vpc`].
    pub fn regional(region: &str, network: Network) -> Result<Self, Error> {
        validate_region(region)?;
        let vpc = if network == Network::Vpc { "-vpc" } else { "" };
        Ok(StsConfig::at(Endpoint::parse(&format!(
            "sts{vpc}.{region}.aliyuncs.com"
        ))?))
    }

    /// Any endpoint: `host`, `host:port` or `http(s)://host[:port]`
    /// (HTTPS when no scheme is given), e.g. a local stand-in.
    pub fn endpoint(endpoint: &str) -> Result<Self, Error> {
        Ok(StsConfig::at(Endpoint::parse(endpoint)?))
    }

    /// From the environment: `ALIBABA_CLOUD_STS_ENDPOINT`, else
    /// `ALIBABA_CLOUD_STS_REGION` (with `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED`),
    /// else the global endpoint.
    pub fn from_env(env: &Environment) -> Result<Self, Error> {
        StsConfig::resolve(None, None, false, env)
    }

    /// Explicit settings (a builder's or a profile's) first, then the
    /// environment: endpoint before region at each level.
    pub(crate) fn resolve(
        endpoint: Option<&str>,
        region: Option<&str>,
        vpc: bool,
        env: &Environment,
    ) -> Result<Self, Error> {
        let vpc = vpc || env.flag("ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED");
        let network = if vpc { Network::Vpc } else { Network::Public };
        let named = |origin: &str, r: Result<Self, Error>| r.map_err(|e| e.in_setting(origin));
        let endpoint = endpoint.map(str::trim).filter(|e| !e.is_empty());
        let region = region.map(str::trim).filter(|r| !r.is_empty());
        if let Some(e) = endpoint {
            return named("the STS endpoint", StsConfig::endpoint(e));
        }
        if let Some(r) = region {
            return named("the STS region", StsConfig::regional(r, network));
        }
        if let Some(e) = env.var("ALIBABA_CLOUD_STS_ENDPOINT") {
            return named("ALIBABA_CLOUD_STS_ENDPOINT", StsConfig::endpoint(e));
        }
        if let Some(r) = env.var("ALIBABA_CLOUD_STS_REGION") {
            return named("ALIBABA_CLOUD_STS_REGION", StsConfig::regional(r, network));
        }
        Ok(StsConfig::global())
    }

    fn at(endpoint: Endpoint) -> Self {
        StsConfig {
            endpoint,
            fetcher: Fetcher::new(FetchPolicy::remote()),
        }
    }

    /// Attempts and time limits ([`FetchPolicy::remote`] by default).
    pub fn with_fetch_policy(mut self, policy: FetchPolicy) -> Self {
        self.fetcher = Fetcher::new(policy);
        self
    }

    pub fn endpoint_url(&self) -> &Endpoint {
        &self.endpoint
    }

    /// Calls `action`: signed with `signer` credentials when given (all
    /// parameters in the query), else anonymous with `form` as the body.
    /// `secrets` are redacted from anything the answer echoes.
    pub(crate) async fn assume(
        &self,
        provider: &str,
        call: StsCall<'_>,
    ) -> Result<Credentials, Error> {
        let what = format!("STS {} at {}", call.action, self.endpoint.authority());
        let deadline = Deadline::start(self.fetcher.policy());
        let build = |http: &reqwest::Client| {
            let (query, headers) = call.query(self.endpoint.authority());
            let form = call
                .form
                .iter()
                .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
                .collect::<Vec<_>>()
                .join("&");
            // An explicit length: some front ends answer 411 to a bodiless POST.
            let mut req = http
                .post(self.endpoint.url(&query))
                .header(reqwest::header::CONTENT_LENGTH, form.len())
                .header(
                    reqwest::header::CONTENT_TYPE,
                    "application/x-www-form-urlencoded",
                )
                .body(form);
            for (k, v) in headers {
                req = req.header(k, v);
            }
            req
        };
        self.fetcher
            .send(provider, &what, &deadline, build, |answer| {
                judge(provider, &what, &call, answer)
            })
            .await
    }
}

/// One STS request: the action, its parameters, how it is authenticated.
pub(crate) struct StsCall<'a> {
    pub action: &'static str,
    /// Signed into the query (AssumeRole) or, anonymous, sent in the body.
    pub params: Vec<(String, String)>,
    pub form: Vec<(String, String)>,
    /// Signs the request; `None` for anonymous calls.
    pub signer: Option<&'a Credentials>,
    /// Redacted from errors (the OIDC token, say), with the signer's secret
    /// and token.
    pub secrets: Vec<&'a str>,
}

impl StsCall<'_> {
    /// A fresh query (new nonce, timestamp and signature) and headers.
    fn query(&self, host: &str) -> (String, Vec<(&'static str, String)>) {
        let timestamp = crate::utc::format(SystemTime::now());
        let nonce = crate::unique::next();
        match self.signer {
            Some(credentials) => {
                let signed = RpcV1.sign(&SigningInput {
                    method: "POST",
                    host,
                    action: self.action,
                    version: STS_VERSION,
                    params: &self.params,
                    credentials,
                    timestamp: &timestamp,
                    nonce: nonce.as_str(),
                });
                (signed.query, signed.headers)
            }
            None => {
                let common = [
                    ("Action", self.action),
                    ("Version", STS_VERSION),
                    ("Format", "JSON"),
                    ("Timestamp", timestamp.as_str()),
                    ("SignatureNonce", nonce.as_str()),
                ];
                let query = common
                    .iter()
                    .map(|(k, v)| format!("{k}={}", enc(v)))
                    .collect::<Vec<_>>()
                    .join("&");
                (query, Vec::new())
            }
        }
    }

    /// `text` with every secret of this call replaced.
    fn redact(&self, text: &str) -> String {
        let signer = self.signer.into_iter().flat_map(|c| {
            [Some(c.access_key_secret()), c.security_token()]
                .into_iter()
                .flatten()
        });
        self.secrets
            .iter()
            .copied()
            .chain(signer)
            .fold(redact(text, None), |t, s| redact(&t, Some(s)))
    }
}

fn enc(s: &str) -> String {
    crate::signer::percent_encode(s)
}

/// The answer to `AssumeRole*`.
#[derive(Deserialize)]
struct StsAnswer {
    #[serde(rename = "Credentials")]
    credentials: Option<CredentialsDocument>,
}

/// An STS error document (the ECS shape).
#[derive(Deserialize, Default)]
#[serde(default)]
struct StsError {
    #[serde(rename = "Code", alias = "code")]
    code: String,
    #[serde(rename = "Message", alias = "message")]
    message: String,
    #[serde(rename = "RequestId", alias = "requestId")]
    request_id: Option<String>,
}

fn judge(provider: &str, what: &str, call: &StsCall<'_>, answer: Answer) -> Verdict<Credentials> {
    let fail = |why: String| Verdict::Fail(Error::credentials(provider, format!("{what}: {why}")));
    if answer.is_success() {
        let parsed: Result<StsAnswer, _> = serde_json::from_str(&answer.body);
        let doc = match parsed {
            Ok(StsAnswer {
                credentials: Some(doc),
            }) => doc,
            Ok(_) => return fail("the answer has no `Credentials`".into()),
            Err(e) => return fail(format!("the answer is not JSON: {e}")),
        };
        if doc.security_token.is_none() || doc.expiration.is_none() {
            return fail("the answer's `Credentials` lack `SecurityToken` or `Expiration`".into());
        }
        return match doc.into_credentials(provider) {
            Ok(c) => Verdict::Done(c),
            Err(e) => Verdict::Fail(e),
        };
    }
    let (why, retryable) = match serde_json::from_str::<StsError>(&answer.body) {
        Ok(e) if !e.code.is_empty() => {
            let mut why = format!("HTTP {} {}: {}", answer.status, e.code, e.message);
            if let Some(id) = e.request_id {
                why.push_str(&format!(" (RequestId {id})"));
            }
            (why, crate::error::is_retryable_code(&e.code))
        }
        _ => (
            format!(
                "HTTP {}{}",
                answer.status,
                super::http::excerpt_suffix(&answer.body)
            ),
            false,
        ),
    };
    let why = call.redact(&why);
    if retryable || answer.is_transient() {
        Verdict::Retry(why)
    } else {
        fail(why)
    }
}

/// The role to assume and the session to ask for.
#[derive(Clone, PartialEq, Eq)]
pub struct RoleSession {
    role_arn: String,
    session_name: String,
    policy: Option<String>,
    duration: Duration,
}

impl fmt::Debug for RoleSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RoleSession")
            .field("role_arn", &self.role_arn)
            .field("session_name", &self.session_name)
            .field("policy", &self.policy.as_ref().map(|_| "<set>"))
            .field("duration", &self.duration)
            .finish()
    }
}

impl RoleSession {
    /// `role_arn`, e.g. `acs:ram::123456789012:role/ecs-admin`, with the
    /// default session name (`ecs-rs-{unix ms}`) and duration (3600 s).
    pub fn new(role_arn: impl Into<String>) -> Self {
        let ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_millis();
        RoleSession {
            role_arn: role_arn.into().trim().to_string(),
            session_name: format!("ecs-rs-{ms}"),
            policy: None,
            duration: DEFAULT_SESSION_DURATION,
        }
    }

    /// `ALIBABA_CLOUD_ROLE_ARN` and, if set, `ALIBABA_CLOUD_ROLE_SESSION_NAME`.
    pub fn from_env(env: &Environment) -> Result<Self, Error> {
        let arn = env
            .var("ALIBABA_CLOUD_ROLE_ARN")
            .ok_or_else(|| Error::config("no role to assume: ALIBABA_CLOUD_ROLE_ARN is not set"))?;
        Ok(RoleSession::new(arn).with_session_name_from(env, None))
    }

    /// `name`, else `ALIBABA_CLOUD_ROLE_SESSION_NAME`, else the default.
    pub(crate) fn with_session_name_from(self, env: &Environment, name: Option<&str>) -> Self {
        match name
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .or_else(|| env.var("ALIBABA_CLOUD_ROLE_SESSION_NAME"))
        {
            Some(n) => self.with_session_name(n),
            None => self,
        }
    }

    /// `RoleSessionName`, shown in ActionTrail (2 to 64 of `A-Za-z0-9.@_-`).
    pub fn with_session_name(mut self, name: impl Into<String>) -> Self {
        self.session_name = name.into();
        self
    }

    /// An inline policy that narrows the role's permissions.
    pub fn with_policy(mut self, policy: impl Into<String>) -> Self {
        self.policy = Some(policy.into()).filter(|p| !p.trim().is_empty());
        self
    }

    /// `DurationSeconds`: 900 s up to the role's maximum session duration.
    pub fn with_duration(mut self, duration: Duration) -> Self {
        self.duration = duration;
        self
    }

    pub fn role_arn(&self) -> &str {
        &self.role_arn
    }

    pub fn session_name(&self) -> &str {
        &self.session_name
    }

    pub fn duration(&self) -> Duration {
        self.duration
    }

    /// Checks what STS would reject without asking it.
    pub(crate) fn validate(&self, provider: &str) -> Result<(), Error> {
        if self.role_arn.is_empty() {
            return Err(Error::credentials(provider, "the role ARN is empty"));
        }
        if self.duration < MIN_SESSION_DURATION {
            return Err(Error::credentials(
                provider,
                format!(
                    "the session duration (DurationSeconds) is {} s; STS grants at least {} s",
                    self.duration.as_secs(),
                    MIN_SESSION_DURATION.as_secs()
                ),
            ));
        }
        Ok(())
    }

    /// `RoleArn`, `RoleSessionName`, `DurationSeconds` and `Policy`.
    pub(crate) fn params(&self) -> Vec<(String, String)> {
        let mut out = vec![
            ("RoleArn".to_string(), self.role_arn.clone()),
            ("RoleSessionName".to_string(), self.session_name.clone()),
            (
                "DurationSeconds".to_string(),
                self.duration.as_secs().to_string(),
            ),
        ];
        if let Some(p) = &self.policy {
            out.push(("Policy".to_string(), p.clone()));
        }
        out
    }
}
