//! The simulator over real HTTP: a [`TestServer`] on 127.0.0.1 whose every
//! request is checked like the real service does (signature recomputed from
//! the raw query, common parameters, then the operation's metadata) and
//! answered by the [`Catalog`].

use super::{error_reply, Catalog, Reply as SimReply, COMMON_PARAMS};
use crate::cloud::{Call, Cloud};
use crate::server::{lock, RecordedRequest, Reply, Response, TestServer};
use crate::verify;
use std::collections::{BTreeMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The key pair the simulator accepts unless told otherwise.
pub const ACCESS_KEY_ID: &str = "ecs-simulator-key";
pub const ACCESS_KEY_SECRET: &str = "ecs-simulator-secret";

/// A fault the next request gets instead of a real answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// HTTP 400 `Throttling.User`.
    Throttling,
    /// HTTP 503 `ServiceUnavailable`.
    ServiceUnavailable,
    /// The connection is reset without an answer.
    ConnectionReset,
    /// The real answer, after a delay.
    Slow(Duration),
    /// A proxy's HTML error page.
    NotJson,
}

/// A running simulator; stops when dropped.
pub struct Simulator {
    server: TestServer,
    state: Arc<State>,
}

struct State {
    catalog: &'static Catalog,
    cloud: Arc<Cloud>,
    keys: BTreeMap<String, String>,
    nonces: Mutex<HashSet<String>>,
    slow: Mutex<Option<Duration>>,
}

impl Simulator {
    /// Serves the pinned ECS metadata on a free port of 127.0.0.1.
    pub async fn start() -> Simulator {
        Simulator::start_with_cloud(Arc::new(Cloud::new())).await
    }

    /// Like [`Simulator::start`], serving the given state.
    pub async fn start_with_cloud(cloud: Arc<Cloud>) -> Simulator {
        let catalog = Catalog::pinned().unwrap_or_else(|e| panic!("simulator: {e}"));
        Simulator::serve(TestServer::start().await, catalog, cloud)
    }

    /// Serves on `addr` (e.g. `127.0.0.1:8080`), for the `ecs-simulator` binary.
    pub async fn bind(addr: &str, catalog: &'static Catalog) -> std::io::Result<Simulator> {
        Ok(Simulator::serve(
            TestServer::bind(addr).await?,
            catalog,
            Arc::new(Cloud::new()),
        ))
    }

    fn serve(server: TestServer, catalog: &'static Catalog, cloud: Arc<Cloud>) -> Simulator {
        let state = Arc::new(State {
            catalog,
            cloud,
            keys: [(ACCESS_KEY_ID.to_string(), ACCESS_KEY_SECRET.to_string())].into(),
            nonces: Mutex::new(HashSet::new()),
            slow: Mutex::new(None),
        });
        let handler_state = state.clone();
        server.set_handler(move |request| handler_state.answer(request));
        Simulator { server, state }
    }

    /// `http://127.0.0.1:{port}`.
    pub fn url(&self) -> String {
        self.server.url()
    }

    pub fn catalog(&self) -> &'static Catalog {
        self.state.catalog
    }

    /// The simulated cloud's state behind this server.
    pub fn cloud(&self) -> &Arc<Cloud> {
        &self.state.cloud
    }

    /// A client for this simulator: its key pair, region `cn-hangzhou`,
    /// quick retries.
    pub fn client(&self) -> ecs_api::Client {
        self.builder().build().expect("simulator client").into()
    }

    /// The builder behind [`Simulator::client`], to adjust.
    pub fn builder(&self) -> ecs_core::ClientBuilder {
        ecs_api::Client::builder()
            .endpoint(self.url())
            .region("cn-hangzhou")
            .credentials(ecs_core::Credentials::new(ACCESS_KEY_ID, ACCESS_KEY_SECRET))
            .retry_policy(
                ecs_core::RetryPolicy::default()
                    .with_base_delay(Duration::from_millis(5))
                    .with_max_delay(Duration::from_millis(50)),
            )
    }

    /// The next request gets `fault` instead of its answer.
    pub fn inject(&self, fault: Fault) {
        let reply: Reply = match fault {
            Fault::Throttling => Response::throttling_user().into(),
            Fault::ServiceUnavailable => Response::service_unavailable().into(),
            Fault::ConnectionReset => Reply::Reset,
            Fault::NotJson => {
                Response::html(502, "<html><body><h1>502 Bad Gateway</h1></body></html>").into()
            }
            Fault::Slow(delay) => {
                *lock(&self.state.slow) = Some(delay);
                return;
            }
        };
        self.server.push(reply);
    }

    /// Every request received, in arrival order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.server.requests()
    }
}

impl State {
    fn answer(&self, request: &RecordedRequest) -> Reply {
        let reply = match self.check_envelope(request) {
            Err(reply) => reply,
            Ok(action) => {
                let params: Vec<(String, String)> = request
                    .params()
                    .into_iter()
                    .filter(|(k, _)| !COMMON_PARAMS.contains(&k.as_str()))
                    .collect();
                let dry_run = params
                    .iter()
                    .any(|(k, v)| k == "DryRun" && v.eq_ignore_ascii_case("true"));
                let reply = match self.catalog.check(&action, &params) {
                    Err(rejection) => rejection.reply(),
                    Ok(()) if dry_run => self.catalog.handle(&action, &params),
                    Ok(()) => {
                        let call = Call {
                            action: &action,
                            params: &params,
                        };
                        match self.cloud.handle(&call) {
                            Some(reply) => reply,
                            None => self.catalog.handle(&action, &params),
                        }
                    }
                };
                if dry_run && reply.is_success() {
                    // As the service does: a valid dry run answers with an error.
                    error_reply(
                        400,
                        "DryRunOperation",
                        "Request validation has been passed with DryRun flag set.",
                    )
                } else {
                    last_page(reply, &params)
                }
            }
        };
        let mut response = Response::json(reply.status, reply.body.to_string());
        if let Some(delay) = lock(&self.slow).take() {
            response = response.with_delay(delay);
        }
        response.into()
    }

    /// What the gateway checks before the operation: method and path,
    /// common parameters, the key, the signature, nonce reuse.
    fn check_envelope(&self, request: &RecordedRequest) -> Result<String, SimReply> {
        let reject = |status, code: &str, message: &str| Err(error_reply(status, code, message));
        if request.path() != "/" {
            return reject(
                404,
                "InvalidAction.NotFound",
                "The request path must be `/`.",
            );
        }
        let param = |name: &str| request.param(name).filter(|v| !v.is_empty());
        for name in [
            "Action",
            "Version",
            "AccessKeyId",
            "SignatureMethod",
            "SignatureVersion",
            "SignatureNonce",
            "Timestamp",
            "Signature",
        ] {
            if param(name).is_none() {
                return reject(
                    400,
                    "MissingParameter",
                    &format!("The input parameter \"{name}\" that is mandatory for processing this request is not supplied."),
                );
            }
        }
        let action = param("Action").unwrap_or_default();
        if param("Version").as_deref() != Some("2014-05-26") {
            return reject(
                400,
                "InvalidVersion",
                "Specified parameter Version is not valid.",
            );
        }
        if param("SignatureMethod").as_deref() != Some("HMAC-SHA1")
            || param("SignatureVersion").as_deref() != Some("1.0")
        {
            return reject(
                400,
                "InvalidParameter.SignatureMethod",
                "Specified signature method or version is not supported.",
            );
        }
        if let Some(format) = param("Format") {
            if !format.eq_ignore_ascii_case("json") && !format.eq_ignore_ascii_case("xml") {
                return reject(
                    400,
                    "InvalidParameter.Format",
                    "Specified parameter Format is not valid.",
                );
            }
        }
        if !valid_timestamp(&param("Timestamp").unwrap_or_default()) {
            return reject(
                400,
                "InvalidTimeStamp.Format",
                "Specified time stamp or date value is not well formatted.",
            );
        }
        let key = param("AccessKeyId").unwrap_or_default();
        let Some(secret) = self.keys.get(&key) else {
            return reject(
                404,
                "InvalidAccessKeyId.NotFound",
                "Specified access key is not found.",
            );
        };
        if verify::verify_rpc_signature(&request.method, request.raw_query(), secret).is_err() {
            let string_to_sign = verify::string_to_sign(&request.method, request.raw_query());
            return reject(
                400,
                "SignatureDoesNotMatch",
                &format!("Specified signature is not matched with our calculation. server string to sign is:{string_to_sign}"),
            );
        }
        let nonce = param("SignatureNonce").unwrap_or_default();
        if !lock(&self.nonces).insert(nonce) {
            return reject(
                400,
                "SignatureNonceUsed",
                "Specified signature nonce was used already.",
            );
        }
        Ok(action)
    }
}

/// Token paging over a fixed example: the page asked for with the example's
/// own `NextToken` is the last one, so a client that pages until the token
/// is empty ends after two pages.
fn last_page(mut reply: SimReply, params: &[(String, String)]) -> SimReply {
    let sent = params
        .iter()
        .find(|(k, _)| k == "NextToken")
        .map(|(_, v)| v);
    if let (Some(sent), Some(token)) = (sent, reply.body.get_mut("NextToken")) {
        if token.as_str() == Some(sent.as_str()) {
            *token = serde_json::Value::String(String::new());
        }
    }
    reply
}

/// `YYYY-MM-DDThh:mm:ssZ`.
fn valid_timestamp(t: &str) -> bool {
    let b = t.as_bytes();
    b.len() == 20
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 | 16 => *c == b':',
            19 => *c == b'Z',
            _ => c.is_ascii_digit(),
        })
}
