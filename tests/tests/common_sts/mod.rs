//! Local stand-ins written for the credentials tests: an STS that issues
//! role credentials, an ECS front that accepts calls signed with any key it
//! knows, a metadata service and a credentials URI. STS and ECS share one
//! key registry, so credentials STS issues sign the next calls. Every
//! signature is checked with the independent verifier, never ecs-core's.
#![allow(dead_code)]

use ecs_core::ProvideCredentials;
use ecs_fault_server::verify::{decode_query, verify_rpc_signature};
use ecs_fault_server::{RecordedRequest, Reply, Response, TestServer};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

/// `YYYY-MM-DDThh:mm:ssZ`, computed here rather than by ecs-core.
pub fn utc(t: SystemTime) -> String {
    let secs = t.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs() as i64;
    let (mut days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let leap = |y: i64| (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let mut year = 1970;
    while days >= if leap(year) { 366 } else { 365 } {
        days -= if leap(year) { 366 } else { 365 };
        year += 1;
    }
    let feb = if leap(year) { 29 } else { 28 };
    let months = [31, feb, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let mut month = 0;
    while days >= months[month] {
        days -= months[month];
        month += 1;
    }
    format!(
        "{year:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        month + 1,
        days + 1,
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// A credentials document as the metadata service and credential URIs
/// send it: `id`, `{id}-secret`, `{id}-token`, expiring after `ttl`.
pub fn metadata_document(id: &str, ttl: Duration) -> String {
    serde_json::json!({
        "Code": "Success",
        "AccessKeyId": id,
        "AccessKeySecret": format!("{id}-secret"),
        "SecurityToken": format!("{id}-token"),
        "Expiration": utc(SystemTime::now() + ttl),
        "LastUpdated": utc(SystemTime::now()),
    })
    .to_string()
}

/// The text of the error `provider` fails with.
pub async fn error_of(provider: &impl ProvideCredentials) -> String {
    provider.provide().await.unwrap_err().to_string()
}

/// A 307 to `target`.
pub fn redirect_to(target: &str) -> Response {
    Response::new(307, "text/plain", "").with_header("Location", target)
}

/// A secret and, for STS credentials, the token that must come with it.
#[derive(Debug, Clone)]
pub struct Key {
    pub secret: String,
    pub token: Option<String>,
}

/// The keys the stand-ins accept, by access key id.
#[derive(Clone, Default)]
pub struct Keys(Arc<Mutex<HashMap<String, Key>>>);

impl Keys {
    pub fn add(&self, id: &str, secret: &str, token: Option<&str>) -> &Self {
        self.0.lock().unwrap().insert(
            id.into(),
            Key {
                secret: secret.into(),
                token: token.map(str::to_string),
            },
        );
        self
    }

    pub fn get(&self, id: &str) -> Option<Key> {
        self.0.lock().unwrap().get(id).cloned()
    }

    /// `None` when `req` is signed by a known key (with its token), else
    /// the error document a gateway would send.
    pub fn check(&self, req: &RecordedRequest) -> Option<Response> {
        let params = params(req);
        let deny = |code: &str, message: &str| Some(Response::service_error(400, code, message));
        let Some(id) = params.get("AccessKeyId") else {
            return deny("MissingAccessKeyId", "AccessKeyId is mandatory.");
        };
        let Some(key) = self.get(id) else {
            return deny(
                "InvalidAccessKeyId.NotFound",
                "Specified access key is not found.",
            );
        };
        if params.get("SecurityToken") != key.token.as_ref() {
            return deny(
                "InvalidSecurityToken.Mismatch",
                "The security token does not match.",
            );
        }
        match verify_rpc_signature(&req.method, req.raw_query(), &key.secret) {
            Ok(()) => None,
            Err(e) => deny("SignatureDoesNotMatch", &e),
        }
    }
}

/// Query and form parameters together, decoded.
pub fn params(req: &RecordedRequest) -> HashMap<String, String> {
    let body = String::from_utf8_lossy(&req.body);
    req.params()
        .into_iter()
        .chain(decode_query(&body))
        .collect()
}

/// An ECS front: answers `{}` to a call signed by a known key, else the
/// gateway's error.
pub async fn ecs(keys: &Keys) -> TestServer {
    let server = TestServer::start().await;
    let keys = keys.clone();
    server.set_handler(move |req| match keys.check(req) {
        Some(denied) => denied.into(),
        None => Response::ok("req-ecs", serde_json::json!({"Regions": {"Region": []}})).into(),
    });
    server
}

/// A local STS: `AssumeRole` signed by a known key, `AssumeRoleWithOIDC`
/// with the token currently in the trusted token file. Roles named
/// `missing…` do not exist. The n-th credentials it issues are `STS.n`,
/// `sts-secret-n`, `sts-token-n`, registered in the shared [`Keys`].
pub struct Sts {
    pub server: TestServer,
    state: Arc<StsState>,
}

struct StsState {
    keys: Keys,
    issued: AtomicUsize,
    ttl: Mutex<fn(usize) -> Duration>,
    oidc: Mutex<Option<(String, PathBuf)>>,
}

fn one_hour(_: usize) -> Duration {
    Duration::from_secs(3600)
}

impl Sts {
    pub async fn start(keys: &Keys) -> Sts {
        let server = TestServer::start().await;
        let state = Arc::new(StsState {
            keys: keys.clone(),
            issued: AtomicUsize::new(0),
            ttl: Mutex::new(one_hour),
            oidc: Mutex::new(None),
        });
        let shared = state.clone();
        server.set_handler(move |req| shared.answer(req));
        Sts { server, state }
    }

    pub fn url(&self) -> String {
        self.server.url()
    }

    /// How long the n-th issued credentials (from 1) last.
    pub fn set_ttl(&self, ttl: fn(usize) -> Duration) {
        *self.state.ttl.lock().unwrap() = ttl;
    }

    /// Accepts OIDC tokens from `provider_arn` equal to `token_file`'s
    /// content at the time of the request.
    pub fn trust_oidc(&self, provider_arn: &str, token_file: impl Into<PathBuf>) {
        *self.state.oidc.lock().unwrap() = Some((provider_arn.into(), token_file.into()));
    }

    /// How many credentials it issued.
    pub fn issued(&self) -> usize {
        self.state.issued.load(Ordering::SeqCst)
    }

    /// The decoded parameters of every request, in order.
    pub fn calls(&self) -> Vec<HashMap<String, String>> {
        self.server.requests().iter().map(params).collect()
    }
}

impl StsState {
    fn answer(&self, req: &RecordedRequest) -> Reply {
        let p = params(req);
        let get = |k: &str| p.get(k).map(String::as_str).unwrap_or("");
        if req.method != "POST" || get("Version") != "2015-04-01" || get("Format") != "JSON" {
            return Response::service_error(
                400,
                "InvalidVersion",
                "Specified parameter Version is not valid.",
            )
            .into();
        }
        let denied = match get("Action") {
            "AssumeRole" if !req.body.is_empty() => Some(Response::service_error(
                400,
                "InvalidParameter",
                "AssumeRole parameters must be signed in the query.",
            )),
            "AssumeRole" => self.keys.check(req),
            "AssumeRoleWithOIDC" => self.check_oidc(&p),
            other => Some(Response::service_error(
                404,
                "InvalidAction.NotFound",
                &format!("Specified api {other} is not found."),
            )),
        };
        if let Some(denied) = denied {
            return denied.into();
        }
        let role = get("RoleArn");
        if !role.starts_with("acs:ram::") || get("RoleSessionName").is_empty() {
            return Response::service_error(
                400,
                "MissingParameter",
                "RoleArn and RoleSessionName are mandatory.",
            )
            .into();
        }
        if role.contains(":role/missing") {
            return Response::service_error(
                404,
                "EntityNotExist.Role",
                &format!("The role not exists: {role}."),
            )
            .into();
        }
        let duration: u64 = get("DurationSeconds").parse().unwrap_or(0);
        if duration < 900 {
            return Response::service_error(
                400,
                "InvalidParameter.DurationSeconds",
                "The parameter DurationSeconds is invalid.",
            )
            .into();
        }
        let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
        let (id, secret, token) = (
            format!("STS.{n}"),
            format!("sts-secret-{n}"),
            format!("sts-token-{n}"),
        );
        self.keys.add(&id, &secret, Some(&token));
        let ttl = (self.ttl.lock().unwrap())(n);
        Response::json(
            200,
            serde_json::json!({
                "RequestId": format!("sts-req-{n}"),
                "AssumedRoleUser": {"Arn": format!("{role}/{}", get("RoleSessionName")), "AssumedRoleId": format!("3000:{}", get("RoleSessionName"))},
                "Credentials": {
                    "AccessKeyId": id,
                    "AccessKeySecret": secret,
                    "SecurityToken": token,
                    "Expiration": utc(SystemTime::now() + ttl),
                },
            })
            .to_string(),
        )
        .into()
    }

    fn check_oidc(&self, p: &HashMap<String, String>) -> Option<Response> {
        let deny = |code: &str, message: &str| Some(Response::service_error(400, code, message));
        if p.contains_key("Signature") || p.contains_key("AccessKeyId") {
            return deny("InvalidParameter", "AssumeRoleWithOIDC is anonymous.");
        }
        let Some((provider, file)) = self.oidc.lock().unwrap().clone() else {
            return deny(
                "EntityNotExist.OIDCProvider",
                "No OIDC provider is trusted.",
            );
        };
        if p.get("OIDCProviderArn") != Some(&provider) {
            return deny(
                "EntityNotExist.OIDCProvider",
                "The OIDC provider does not exist.",
            );
        }
        let current = std::fs::read_to_string(file).unwrap_or_default();
        if p.get("OIDCToken").map(String::as_str) != Some(current.trim()) {
            return deny(
                "AuthenticationFail.OIDCToken",
                "The OIDC token is not valid.",
            );
        }
        None
    }
}

pub const IMDS_TOKEN: &str = "imds-session-token";
pub const IMDS_LIST: &str = "/latest/meta-data/ram/security-credentials/";

/// How the metadata stand-in behaves.
#[derive(Clone, Copy)]
pub struct ImdsOptions {
    /// Whether `PUT /latest/api/token` gives a token (404 otherwise).
    pub token: bool,
    /// How long the n-th credentials (from 1) last.
    pub ttl: fn(usize) -> Duration,
    /// How long each credentials answer takes.
    pub delay: Duration,
}

impl Default for ImdsOptions {
    fn default() -> Self {
        ImdsOptions {
            token: true,
            ttl: one_hour,
            delay: Duration::ZERO,
        }
    }
}

/// A metadata service: the IMDSv2 token, the role listing `role`, and
/// credentials numbered by fetch (`id-1`, `id-2`, ...; secret `id-n-secret`,
/// token `id-n-token`), registered in the shared [`Keys`].
pub struct Imds {
    pub server: TestServer,
    fetches: Arc<AtomicUsize>,
}

impl Imds {
    pub async fn start(keys: &Keys, role: &str, options: ImdsOptions) -> Imds {
        let server = TestServer::start().await;
        let fetches = Arc::new(AtomicUsize::new(0));
        let (keys, role, counter) = (keys.clone(), role.to_string(), fetches.clone());
        server.set_handler(move |req| match (req.method.as_str(), req.path()) {
            ("PUT", "/latest/api/token") if options.token => {
                Response::new(200, "text/plain", IMDS_TOKEN).into()
            }
            ("GET", IMDS_LIST) => Response::new(200, "text/plain", role.as_str()).into(),
            ("GET", p) if p.strip_prefix(IMDS_LIST) == Some(role.as_str()) => {
                let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
                let id = format!("id-{n}");
                keys.add(&id, &format!("{id}-secret"), Some(&format!("{id}-token")));
                Response::json(200, metadata_document(&id, (options.ttl)(n)))
                    .with_delay(options.delay)
                    .into()
            }
            _ => Response::new(404, "text/plain", "unknown path").into(),
        });
        Imds { server, fetches }
    }

    pub fn url(&self) -> String {
        self.server.url()
    }

    /// How many credentials it served.
    pub fn fetches(&self) -> usize {
        self.fetches.load(Ordering::SeqCst)
    }
}

/// A credentials URI serving `id` (registered in `keys`), expiring in 1 h.
pub async fn credentials_uri(keys: &Keys, id: &str) -> TestServer {
    let server = TestServer::start().await;
    keys.add(id, &format!("{id}-secret"), Some(&format!("{id}-token")));
    server.set_default(Response::json(
        200,
        metadata_document(id, Duration::from_secs(3600)),
    ));
    server
}
