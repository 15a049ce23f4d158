//! One request through the simulated service, in the order the service
//! checks it: an injected fault, the path, the signature (either scheme),
//! the nonce, the standing faults (region down, throttling, errors), the
//! operation's parameters against the metadata, then the answer: the
//! stateful [`Cloud`] where it models the action, else the metadata's
//! example. HTTP-free: [`super::http`] feeds it requests as received.

use super::auth::{self, AccessKeys, Format};
use super::encoding::decode_query;
use super::errors::Refusal;
use super::faults::{self, Fault, FaultSettings, Faults};
use super::RecordedRequest;
use super::{admin, dry_run_passed, is_dry_run, xml, Catalog, Reply, COMMON_PARAMS};
use crate::cloud::{Call, Cloud};
use crate::sync::lock;
use serde_json::Value;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What the HTTP layer does with one request.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// Answer, after `delay`.
    Respond { answer: Answer, delay: Duration },
    /// Reset the connection without an answer.
    Reset,
}

/// An HTTP answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Answer {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    /// Sent as `x-acs-request-id`.
    pub request_id: Option<String>,
}

pub(crate) const JSON: &str = "application/json;charset=utf-8";

impl Answer {
    pub fn json(status: u16, body: &Value) -> Answer {
        Answer {
            status,
            content_type: JSON,
            body: body.to_string().into_bytes(),
            request_id: None,
        }
    }

    /// `reply` in the format the caller asked for; XML bodies are rooted
    /// at `<{action}Response>`, or `<Error>` for errors.
    fn reply(reply: &Reply, format: Format, action: Option<&str>) -> Answer {
        let request_id = reply
            .body
            .get("RequestId")
            .and_then(Value::as_str)
            .map(String::from);
        let (content_type, body) = match format {
            Format::Json => (JSON, reply.body.to_string()),
            Format::Xml => {
                let root = match action {
                    Some(action) if reply.is_success() => format!("{action}Response"),
                    _ => "Error".to_string(),
                };
                ("text/xml;charset=utf-8", xml::to_xml(&root, &reply.body))
            }
        };
        Answer {
            status: reply.status,
            content_type,
            body: body.into_bytes(),
            request_id,
        }
    }
}

/// The simulated service behind one listening address.
pub(crate) struct Gateway {
    pub catalog: &'static Catalog,
    pub cloud: Arc<Cloud>,
    pub keys: AccessKeys,
    pub faults: Faults,
    nonces: Nonces,
    /// Every ECS request received, when recording.
    requests: Option<Mutex<Vec<RecordedRequest>>>,
    /// Whether `/_simulator/` answers.
    pub admin: bool,
}

impl Gateway {
    pub fn new(
        catalog: &'static Catalog,
        cloud: Arc<Cloud>,
        keys: AccessKeys,
        record_requests: bool,
    ) -> Gateway {
        Gateway {
            catalog,
            cloud,
            keys,
            faults: Faults::default(),
            nonces: Nonces::default(),
            requests: record_requests.then(Mutex::default),
            admin: true,
        }
    }

    /// Every ECS request received so far (none when not recording).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.requests
            .as_ref()
            .map(|r| lock(r).clone())
            .unwrap_or_default()
    }

    /// Replaces the standing faults, telling the cloud which instance types
    /// went out of (or back into) stock. Returns the new settings.
    pub fn set_faults(&self, settings: FaultSettings) -> Result<FaultSettings, String> {
        settings.validate()?;
        let previous = self.faults.replace(settings.clone());
        for gone in previous.out_of_stock.difference(&settings.out_of_stock) {
            self.cloud.set_out_of_stock(gone, false);
        }
        for short in settings.out_of_stock.difference(&previous.out_of_stock) {
            self.cloud.set_out_of_stock(short, true);
        }
        Ok(settings)
    }

    pub async fn answer(self: Arc<Self>, request: RecordedRequest) -> Outcome {
        if self.admin && request.path().starts_with(admin::PREFIX) {
            return Outcome::Respond {
                answer: admin::answer(&self, &request).await,
                delay: Duration::ZERO,
            };
        }
        if let Some(log) = &self.requests {
            lock(log).push(request.clone());
        }
        let mut delay = Duration::ZERO;
        let injected = match self.faults.next_injected() {
            None => None,
            Some(Fault::ConnectionReset) => return Outcome::Reset,
            Some(Fault::Slow(d)) => {
                delay = d;
                None
            }
            Some(Fault::Throttling) => Some(faults::throttled()),
            Some(Fault::ServiceUnavailable) => Some(faults::service_unavailable()),
            Some(Fault::NotJson) => {
                let answer = Answer {
                    status: 502,
                    content_type: "text/html",
                    body: b"<html><body><h1>502 Bad Gateway</h1></body></html>".to_vec(),
                    request_id: None,
                };
                return Outcome::Respond { answer, delay };
            }
        };
        let params = params_of(&request);
        let format = requested_format(&request, &params);
        if let Some(reply) = injected {
            return Outcome::Respond {
                answer: Answer::reply(&reply, format, None),
                delay,
            };
        }
        let latency = self.faults.latency();
        let (reply, action) = match self.call(&request, params).await {
            Ok((reply, action)) => (reply, Some(action)),
            Err(reply) => (reply, None),
        };
        Outcome::Respond {
            answer: Answer::reply(&reply, format, action.as_deref()),
            delay: delay + latency,
        }
    }

    /// The checks and the answer of one ECS call: `Err` when refused before
    /// the operation, else the reply and the action.
    async fn call(
        &self,
        request: &RecordedRequest,
        params: Vec<(String, String)>,
    ) -> Result<(Reply, String), Reply> {
        if request.path() != "/" {
            return Err(Refusal::PathNotFound.reply());
        }
        let verified = auth::verify(request, &params, &self.keys).map_err(|d| d.reply())?;
        if !self.nonces.first_use(&verified.nonce) {
            return Err(Refusal::NonceUsed.reply());
        }
        let own: Vec<(String, String)> = params
            .into_iter()
            .filter(|(k, _)| !COMMON_PARAMS.contains(&k.as_str()))
            .collect();
        let region = own.iter().find(|(k, _)| k == "RegionId").map(|(_, v)| v);
        let reply = match self.faults.verdict(region.map(String::as_str)) {
            Some(reply) => reply,
            None => self.operation(&verified.action, own).await,
        };
        Ok((reply, verified.action))
    }

    /// Validation, then the cloud (dry runs included) or the metadata example.
    async fn operation(&self, action: &str, params: Vec<(String, String)>) -> Reply {
        if let Err(rejection) = self.catalog.check(action, &params) {
            return rejection.reply();
        }
        let dry_run = is_dry_run(&params);
        let owned = action.to_string();
        let answered = self
            .with_cloud(move |cloud| {
                let call = Call {
                    action: &owned,
                    params: &params,
                };
                cloud.handle(&call).ok_or(params)
            })
            .await;
        match answered {
            Ok(reply) => reply,
            // The state checks its own dry runs; the others pass here.
            Err(_) if dry_run => dry_run_passed(),
            Err(params) => example(self.catalog, action, &params),
        }
    }

    /// Runs `work` on the cloud: on the blocking pool when the cloud writes
    /// a state file (an fsync must never stall a server thread, whichever
    /// way the cloud came: a state file or `Cloud::open` passed in), else
    /// right here.
    pub async fn with_cloud<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Cloud) -> T + Send + 'static,
    ) -> T {
        if !self.cloud.is_persistent() {
            return work(&self.cloud);
        }
        let cloud = self.cloud.clone();
        tokio::task::spawn_blocking(move || work(&cloud))
            .await
            .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))
    }
}

/// The metadata's example for an action the cloud does not model.
fn example(catalog: &Catalog, action: &str, params: &[(String, String)]) -> Reply {
    last_page(catalog.handle(action, params), params)
}

/// The query's parameters, then the form body's: the RPC signature covers
/// both (protocol.md, section 1).
fn params_of(request: &RecordedRequest) -> Vec<(String, String)> {
    let mut params = decode_query(request.raw_query());
    let form = request.header("content-type").is_some_and(|t| {
        t.split(';').next().is_some_and(|t| {
            t.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        })
    });
    if form && !request.body.is_empty() {
        params.extend(decode_query(&String::from_utf8_lossy(&request.body)));
    }
    params
}

/// V3 callers get JSON; RPC callers what `Format` says, XML by default.
fn requested_format(request: &RecordedRequest, params: &[(String, String)]) -> Format {
    if request.header("authorization").is_some() {
        return Format::Json;
    }
    match params.iter().find(|(k, _)| k == "Format") {
        Some((_, f)) if f.eq_ignore_ascii_case("json") => Format::Json,
        Some((_, f)) if !f.eq_ignore_ascii_case("xml") => Format::Json,
        _ => Format::Xml,
    }
}

/// Token paging over a fixed example: the page asked for with the example's
/// own `NextToken` is the last one, so a client that pages until the token
/// is empty ends after two pages. Only for examples: the cloud pages its
/// own state.
fn last_page(mut reply: Reply, params: &[(String, String)]) -> Reply {
    let sent = params
        .iter()
        .find(|(k, _)| k == "NextToken")
        .map(|(_, v)| v);
    if let (Some(sent), Some(token)) = (sent, reply.body.get_mut("NextToken")) {
        if token.as_str() == Some(sent.as_str()) {
            *token = Value::String(String::new());
        }
    }
    reply
}

/// Nonces seen within the service's 15-minute window. Two generations of
/// at most one window each keep memory bounded in a long-running server.
#[derive(Debug)]
struct Nonces {
    window: Duration,
    inner: Mutex<Generations>,
}

#[derive(Debug)]
struct Generations {
    current: HashSet<String>,
    previous: HashSet<String>,
    since: Instant,
}

impl Default for Nonces {
    fn default() -> Self {
        Nonces {
            window: Duration::from_secs(15 * 60),
            inner: Mutex::new(Generations {
                current: HashSet::new(),
                previous: HashSet::new(),
                since: Instant::now(),
            }),
        }
    }
}

impl Nonces {
    /// True the first time `nonce` is seen within the window.
    fn first_use(&self, nonce: &str) -> bool {
        let mut g = lock(&self.inner);
        if g.since.elapsed() >= self.window {
            g.previous = std::mem::take(&mut g.current);
            g.since = Instant::now();
        }
        if g.previous.contains(nonce) {
            return false;
        }
        g.current.insert(nonce.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(target: &str, headers: &[(&str, &str)], body: &str) -> RecordedRequest {
        RecordedRequest {
            method: "POST".into(),
            target: target.into(),
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn form_body_parameters_join_the_query_ones() {
        let r = request(
            "/?Action=A",
            &[(
                "content-type",
                "application/x-www-form-urlencoded; charset=UTF-8",
            )],
            "Tag.1.Value=web+tier&X=%2B",
        );
        let params = params_of(&r);
        assert_eq!(
            params,
            [("Action", "A"), ("Tag.1.Value", "web tier"), ("X", "+")]
                .map(|(k, v)| (k.to_string(), v.to_string()))
        );
    }

    #[test]
    fn a_body_of_another_type_is_not_read_as_parameters() {
        let r = request("/?Action=A", &[("content-type", "application/json")], "X=1");
        assert_eq!(params_of(&r).len(), 1);
    }

    #[test]
    fn rpc_answers_xml_unless_json_is_asked_for() {
        let none = request("/", &[], "");
        assert_eq!(requested_format(&none, &[]), Format::Xml);
        let json = [("Format".to_string(), "json".to_string())];
        assert_eq!(requested_format(&none, &json), Format::Json);
        let v3 = request("/", &[("authorization", "ACS3-HMAC-SHA256 x")], "");
        assert_eq!(requested_format(&v3, &[]), Format::Json);
    }

    fn gateway(cloud: Cloud) -> Gateway {
        let catalog = Catalog::pinned().unwrap_or_else(|e| panic!("{e}"));
        Gateway::new(catalog, Arc::new(cloud), AccessKeys::new(), false)
    }

    #[tokio::test]
    async fn a_cloud_in_a_state_file_is_worked_on_off_the_server_thread() {
        let dir = tempfile::tempdir().unwrap();
        let cloud = Cloud::open(&dir.path().join("state.json"), Default::default()).unwrap();
        let gateway = gateway(cloud);
        let here = std::thread::current().id();
        let there = gateway.with_cloud(|_| std::thread::current().id()).await;
        assert_ne!(here, there);
    }

    #[tokio::test]
    async fn a_cloud_in_memory_is_worked_on_in_place() {
        let gateway = gateway(Cloud::new());
        let here = std::thread::current().id();
        let there = gateway.with_cloud(|_| std::thread::current().id()).await;
        assert_eq!(here, there);
    }

    #[test]
    fn a_nonce_is_accepted_once() {
        let nonces = Nonces::default();
        assert!(nonces.first_use("a"));
        assert!(!nonces.first_use("a"));
        assert!(nonces.first_use("b"));
    }

    #[test]
    fn a_nonce_is_remembered_for_a_window_then_forgotten() {
        let nonces = Nonces {
            window: Duration::from_millis(30),
            ..Nonces::default()
        };
        assert!(nonces.first_use("a"));
        std::thread::sleep(Duration::from_millis(40));
        assert!(
            !nonces.first_use("a"),
            "still within the previous generation"
        );
        std::thread::sleep(Duration::from_millis(40));
        assert!(nonces.first_use("b"));
        std::thread::sleep(Duration::from_millis(40));
        assert!(nonces.first_use("a"), "two windows later");
    }
}
