//! The workspace's fault server: a small HTTP/1.1 server on 127.0.0.1
//! (random port), run in-process on tokio, for testing a client against
//! answers written by hand. Answers come from a queue of scripted
//! [`Reply`]s, then a handler, then a default; every request is recorded
//! raw. Faults: delays, resets, raw and cut-off answers, huge streamed
//! bodies, redirects.
//!
//! It writes its answers byte by byte on purpose, so a test can send what
//! no well-kept HTTP stack would (a body cut short, a length that lies).
//! That is why it is a crate of the workspace's tests and not part of the
//! published simulator, which serves with hyper.
//!
//! - [`TestServer`]: the server; [`Reply`] and [`Response`]: what it answers.
//! - [`read_message`]: one HTTP/1.1 message off a raw connection, for
//!   tests that read answers byte for byte.
//! - [`verify`]: the RPC HMAC-SHA1 signature recomputed from a raw query,
//!   by the simulator's own code, never ecs-core's.

pub mod verify;

/// A request as received (the simulator's type: one request, one shape).
pub use ecs_simulator::RecordedRequest;

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// One HTTP answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// Wait this long before answering (a slow server).
    pub delay: Duration,
}

impl Response {
    pub fn new(status: u16, content_type: &str, body: impl Into<String>) -> Self {
        Response {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
            delay: Duration::ZERO,
        }
    }

    pub fn json(status: u16, body: impl Into<String>) -> Self {
        Response::new(status, "application/json;charset=utf-8", body)
    }

    /// 200 with `{"RequestId": request_id}` merged into `fields`.
    pub fn ok(request_id: &str, fields: serde_json::Value) -> Self {
        let mut body = match fields {
            serde_json::Value::Object(m) => m,
            _ => serde_json::Map::new(),
        };
        body.insert("RequestId".into(), request_id.into());
        Response::json(200, serde_json::Value::Object(body).to_string())
    }

    /// An ECS error document.
    pub fn service_error(status: u16, code: &str, message: &str) -> Self {
        let body = serde_json::json!({
            "RequestId": format!("req-{code}"),
            "HostId": "ecs.local.test",
            "Code": code,
            "Message": message,
            "Recommend": format!("https://api.alibabacloud.com/troubleshoot?q={code}"),
        });
        Response::json(status, body.to_string())
    }

    /// What newer gateways send when an account is throttled.
    pub fn throttling_user() -> Self {
        Response::service_error(
            429,
            "Throttling.User",
            "Request was denied due to user flow control.",
        )
    }

    pub fn service_unavailable() -> Self {
        Response::service_error(
            503,
            "ServiceUnavailable",
            "The request has failed due to a temporary failure of the server.",
        )
    }

    /// A proxy's HTML error page.
    pub fn html(status: u16, body: impl Into<String>) -> Self {
        Response::new(status, "text/html", body)
    }

    /// A redirect to `location`.
    pub fn redirect(status: u16, location: &str) -> Self {
        Response::new(status, "text/plain", "").with_header("Location", location)
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn with_delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

/// What the server does with one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    Respond(Response),
    /// Read the request, then reset the connection (TCP RST), no answer.
    Reset,
    /// Write these bytes as the whole answer, then close the connection.
    Raw(Vec<u8>),
    /// A `status` answer whose body is `len` filler bytes, streamed in
    /// chunks (never held whole); with `Content-Length` if `announce`,
    /// else delimited by closing the connection.
    Huge {
        status: u16,
        len: u64,
        announce: bool,
    },
}

impl Reply {
    /// `response` announcing its full `Content-Length` but sending only the
    /// first `keep` bytes of its body before closing: a cut connection.
    pub fn truncated(response: &Response, keep: usize) -> Reply {
        let full = encode(response);
        let head = full.len() - response.body.len();
        Reply::Raw(full[..head + keep.min(response.body.len())].to_vec())
    }
}

impl From<Response> for Reply {
    fn from(r: Response) -> Self {
        Reply::Respond(r)
    }
}

type Handler = Box<dyn Fn(&RecordedRequest) -> Reply + Send + Sync>;

struct State {
    script: Mutex<VecDeque<Reply>>,
    handler: Mutex<Option<Arc<Handler>>>,
    default: Mutex<Reply>,
    requests: Mutex<Vec<RecordedRequest>>,
    abandoned: AtomicUsize,
    unfinished: AtomicUsize,
}

/// The running server; stops when dropped.
pub struct TestServer {
    addr: SocketAddr,
    state: Arc<State>,
    task: JoinHandle<()>,
}

impl TestServer {
    /// Binds 127.0.0.1 on a free port; answers `200 {}` until told otherwise.
    pub async fn start() -> TestServer {
        TestServer::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1")
    }

    /// Binds `addr`, e.g. `127.0.0.1:8080`.
    pub async fn bind(addr: &str) -> std::io::Result<TestServer> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(State {
            script: Mutex::new(VecDeque::new()),
            handler: Mutex::new(None),
            default: Mutex::new(Response::ok("req-default", serde_json::json!({})).into()),
            requests: Mutex::new(Vec::new()),
            abandoned: AtomicUsize::new(0),
            unfinished: AtomicUsize::new(0),
        });
        let shared = state.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, shared.clone()));
            }
        });
        Ok(TestServer { addr, state, task })
    }

    /// `http://127.0.0.1:{port}`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Queues a reply for the next unanswered request.
    pub fn push(&self, reply: impl Into<Reply>) -> &Self {
        lock(&self.state.script).push_back(reply.into());
        self
    }

    /// Answers every request not covered by the queue with `reply`.
    pub fn set_default(&self, reply: impl Into<Reply>) {
        *lock(&self.state.default) = reply.into();
    }

    /// Answers requests not covered by the queue by calling `handler`.
    pub fn set_handler(&self, handler: impl Fn(&RecordedRequest) -> Reply + Send + Sync + 'static) {
        *lock(&self.state.handler) = Some(Arc::new(Box::new(handler)));
    }

    /// Every request received so far, in arrival order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.state.requests).clone()
    }

    /// Requests whose client went away while a delayed answer was pending.
    pub fn abandoned(&self) -> usize {
        self.state.abandoned.load(Ordering::SeqCst)
    }

    /// Answers the client stopped reading: the connection was closed before
    /// the whole answer could be written.
    pub fn unfinished(&self) -> usize {
        self.state.unfinished.load(Ordering::SeqCst)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn next_reply(state: &State, req: &RecordedRequest) -> Reply {
    if let Some(r) = lock(&state.script).pop_front() {
        return r;
    }
    let handler = lock(&state.handler).clone();
    match handler {
        Some(h) => h(req),
        None => lock(&state.default).clone(),
    }
}

/// Serves one connection, keep-alive included.
async fn serve(mut stream: TcpStream, state: Arc<State>) {
    let mut buf = Vec::new();
    loop {
        let Some(req) = read_request(&mut stream, &mut buf).await else {
            return;
        };
        lock(&state.requests).push(req.clone());
        let close = req
            .header("connection")
            .is_some_and(|v| v.eq_ignore_ascii_case("close"));
        match next_reply(&state, &req) {
            Reply::Reset => {
                #[allow(deprecated)] // zero linger: drop sends RST at once
                let _ = stream.set_linger(Some(Duration::ZERO));
                return;
            }
            Reply::Respond(resp) => {
                if !resp.delay.is_zero() && !wait_or_abandon(&mut stream, resp.delay).await {
                    state.abandoned.fetch_add(1, Ordering::SeqCst);
                    return;
                }
                if stream.write_all(&encode(&resp)).await.is_err() {
                    state.unfinished.fetch_add(1, Ordering::SeqCst);
                    return;
                }
                if close {
                    return;
                }
            }
            Reply::Raw(bytes) => {
                let _ = stream.write_all(&bytes).await;
                let _ = stream.shutdown().await;
                return;
            }
            Reply::Huge {
                status,
                len,
                announce,
            } => {
                if write_huge(&mut stream, status, len, announce)
                    .await
                    .is_err()
                {
                    state.unfinished.fetch_add(1, Ordering::SeqCst);
                    return;
                }
                if close || !announce {
                    let _ = stream.shutdown().await;
                    return;
                }
            }
        }
    }
}

/// Streams a head and `len` bytes of JSON-ish filler in 64 KiB chunks.
async fn write_huge(
    stream: &mut TcpStream,
    status: u16,
    len: u64,
    announce: bool,
) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: application/json\r\n",
        reason(status)
    );
    if announce {
        head.push_str(&format!("Content-Length: {len}\r\n"));
    } else {
        head.push_str("Connection: close\r\n");
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await?;
    let chunk = vec![b'x'; 64 << 10];
    let mut left = len;
    while left > 0 {
        let n = left.min(chunk.len() as u64) as usize;
        stream.write_all(&chunk[..n]).await?;
        left -= n as u64;
    }
    stream.flush().await
}

/// Waits `delay`; false if the client closed the connection meanwhile.
async fn wait_or_abandon(stream: &mut TcpStream, delay: Duration) -> bool {
    let mut probe = [0u8; 1];
    tokio::select! {
        _ = tokio::time::sleep(delay) => true,
        n = stream.read(&mut probe) => !matches!(n, Ok(0) | Err(_)),
    }
}

fn encode(resp: &Response) -> Vec<u8> {
    let mut head = format!("HTTP/1.1 {} {}\r\n", resp.status, reason(resp.status));
    for (k, v) in &resp.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", resp.body.len()));
    let mut out = head.into_bytes();
    out.extend_from_slice(resp.body.as_bytes());
    out
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

/// One HTTP/1.1 message as read off a connection: its first line, its
/// headers (names in lower case) and its `Content-Length` body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub start: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// Reads one message (request or answer) from `stream`; `buf` keeps what
/// was read past it, for the next one on a kept-alive connection.
/// `Ok(None)` when the connection ends before a whole message.
pub async fn read_message(
    stream: &mut (impl AsyncRead + Unpin),
    buf: &mut Vec<u8>,
) -> std::io::Result<Option<Message>> {
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        if !read_more(stream, buf).await? {
            return Ok(None);
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let start = lines.next().unwrap_or_default().to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let len: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let body_start = head_end + 4;
    while buf.len() < body_start + len {
        if !read_more(stream, buf).await? {
            return Ok(None);
        }
    }
    let body = buf[body_start..body_start + len].to_vec();
    buf.drain(..body_start + len);
    Ok(Some(Message {
        start,
        headers,
        body,
    }))
}

/// Appends what the stream has; false at its end.
async fn read_more(
    stream: &mut (impl AsyncRead + Unpin),
    buf: &mut Vec<u8>,
) -> std::io::Result<bool> {
    let mut chunk = [0u8; 4096];
    let n = stream.read(&mut chunk).await?;
    buf.extend_from_slice(&chunk[..n]);
    Ok(n > 0)
}

/// Reads one request; `None` at EOF or on a malformed request.
async fn read_request(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Option<RecordedRequest> {
    let message = read_message(stream, buf).await.ok()??;
    let mut first = message.start.split(' ');
    let (method, target) = (first.next()?.to_string(), first.next()?.to_string());
    Some(RecordedRequest {
        method,
        target,
        headers: message.headers,
        body: message.body,
    })
}
