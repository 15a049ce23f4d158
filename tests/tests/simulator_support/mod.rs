//! What the simulator's HTTP tests share: raw requests over a plain TCP
//! socket (bytes exactly as given, no client in between), the captured
//! official-SDK requests, and RPC requests signed by hand.

#![allow(dead_code)] // each test file uses some of these

use serde_json::Value;
use std::net::SocketAddr;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

/// An HTTP answer as read off the socket.
#[derive(Debug)]
pub struct RawResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl RawResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// Asserts the body holds `text`, showing the body when it does not.
    #[track_caller]
    pub fn assert_has(&self, text: &str) {
        assert!(self.body.contains(text), "no {text} in {}", self.body);
    }

    /// The error `Code`, if the body has one.
    pub fn code(&self) -> Option<String> {
        self.json()
            .get("Code")
            .and_then(Value::as_str)
            .map(String::from)
    }
}

/// Sends `request` as it is and reads one answer (`Content-Length` framed).
pub async fn send_raw(addr: SocketAddr, request: &[u8]) -> std::io::Result<RawResponse> {
    let mut stream = TcpStream::connect(addr).await?;
    stream.write_all(request).await?;
    let answer = ecs_fault_server::read_message(&mut stream, &mut Vec::new())
        .await?
        .ok_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "closed before an answer")
        })?;
    let status = answer
        .start
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    Ok(RawResponse {
        status,
        headers: answer.headers,
        body: String::from_utf8_lossy(&answer.body).into_owned(),
    })
}

/// A request the official Python SDK sent, captured byte for byte by
/// `tests/fixtures/official-sdk/capture.py`.
pub fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/official-sdk")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A POST to `/` carrying `query` and, if given, a form body.
pub fn post(query: &str, form: Option<&str>) -> Vec<u8> {
    let body = form.unwrap_or("");
    let content_type = if form.is_some() {
        "Content-Type: application/x-www-form-urlencoded\r\n"
    } else {
        ""
    };
    format!(
        "POST /?{query} HTTP/1.1\r\nHost: 127.0.0.1\r\n{content_type}Content-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// The common RPC parameters for `action` under the simulator's key, a
/// fresh nonce each call.
pub fn common(action: &str) -> Vec<(String, String)> {
    [
        ("Action", action.to_string()),
        ("Version", "2014-05-26".to_string()),
        ("Format", "JSON".to_string()),
        (
            "AccessKeyId",
            ecs_simulator::simulator::ACCESS_KEY_ID.to_string(),
        ),
        ("SignatureMethod", "HMAC-SHA1".to_string()),
        ("SignatureVersion", "1.0".to_string()),
        ("SignatureNonce", uuid::Uuid::new_v4().to_string()),
        ("Timestamp", "2024-06-24T08:00:00Z".to_string()),
    ]
    .map(|(k, v)| (k.to_string(), v))
    .to_vec()
}

/// The `Signature` for `params` (query and form together), computed by
/// ecs-core's signer, which the simulator does not share.
pub fn sign(method: &str, params: &[(String, String)]) -> String {
    let pairs = params.iter().map(|(k, v)| (k.as_str(), v.as_str()));
    let (_, string_to_sign) = ecs_core::signer::RpcV1::string_to_sign(method, pairs);
    ecs_core::signer::RpcV1::signature(ecs_simulator::simulator::ACCESS_KEY_SECRET, &string_to_sign)
}

/// POSTs `params`, signed, in the query.
pub async fn send_signed(
    addr: SocketAddr,
    params: Vec<(String, String)>,
) -> std::io::Result<RawResponse> {
    send_raw(addr, &post(&signed(params), None)).await
}

/// `params` and their `Signature` as a query string.
pub fn signed(mut params: Vec<(String, String)>) -> String {
    let signature = sign("POST", &params);
    params.push(("Signature".into(), signature));
    encode(&params)
}

/// `k=v&...` with Alibaba's percent-encoding.
pub fn encode(params: &[(String, String)]) -> String {
    params
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                ecs_core::signer::percent_encode(k),
                ecs_core::signer::percent_encode(v)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Asserts a typed call failed with the service's answer `status` `code`.
#[track_caller]
pub fn assert_service_error(err: &ecs_core::Error, status: u16, code: &str) {
    assert_eq!(
        (err.status(), err.code()),
        (Some(status), Some(code)),
        "{err}"
    );
}
