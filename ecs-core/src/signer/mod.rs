//! Request signing. [`Signer`] is the seam; [`RpcV1`] (HMAC-SHA1,
//! `SignatureVersion=1.0`, protocol.md section 2) is the default for ECS
//! 2014-05-26 and [`V3`] (`ACS3-HMAC-SHA256`) is selectable per client.

mod rpc_v1;
mod v3;

pub use rpc_v1::RpcV1;
pub use v3::V3;

use crate::credentials::Credentials;
use std::fmt;

/// One request to sign. Every attempt builds a new one (new nonce and
/// timestamp), so retries are always freshly signed.
#[derive(Debug, Clone, Copy)]
pub struct SigningInput<'a> {
    /// Upper-case HTTP method, e.g. `POST`.
    pub method: &'a str,
    /// `host[:port]` exactly as sent in the `Host` header.
    pub host: &'a str,
    pub action: &'a str,
    pub version: &'a str,
    /// The operation's own parameters (not the common ones), raw values.
    pub params: &'a [(String, String)],
    pub credentials: &'a Credentials,
    /// UTC `YYYY-MM-DDThh:mm:ssZ`.
    pub timestamp: &'a str,
    pub nonce: &'a str,
}

/// What to put on the wire: the full query string (already encoded) and the
/// headers to add (lower-case names).
#[derive(Clone, PartialEq, Eq)]
pub struct SignedRequest {
    pub query: String,
    pub headers: Vec<(&'static str, String)>,
    /// The string that was signed, kept to diagnose `SignatureDoesNotMatch`.
    pub string_to_sign: String,
}

// The query and headers carry the signature and security token.
impl fmt::Debug for SignedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignedRequest").finish_non_exhaustive()
    }
}

/// A request signing scheme.
pub trait Signer: Send + Sync + fmt::Debug {
    fn sign(&self, input: &SigningInput<'_>) -> SignedRequest;
}

/// The signature scheme a client uses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignatureVersion {
    /// HMAC-SHA1, `SignatureVersion=1.0`, all in the query (the docs' "V2").
    #[default]
    RpcV1,
    /// `ACS3-HMAC-SHA256` in the `Authorization` header.
    V3,
}

impl SignatureVersion {
    pub(crate) fn signer(self) -> std::sync::Arc<dyn Signer> {
        match self {
            SignatureVersion::RpcV1 => std::sync::Arc::new(RpcV1),
            SignatureVersion::V3 => std::sync::Arc::new(V3),
        }
    }
}

/// Alibaba's percent-encoding (protocol.md section 2): RFC 3986 unreserved
/// characters stay, every other UTF-8 byte becomes `%XY` (upper-case hex).
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(encoded_len(s));
    percent_encode_into(&mut out, s);
    out
}

/// RFC 3986 unreserved bytes: `A-Z a-z 0-9 - _ . ~`.
const UNRESERVED: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.' | b'~');
        b += 1;
    }
    table
};

/// Whether `b` becomes `%XY`.
pub(crate) fn is_escaped(b: u8) -> bool {
    !UNRESERVED[b as usize]
}

/// The bytes of `s` that [`percent_encode`] escapes.
pub(crate) fn escaped_bytes(s: &str) -> usize {
    s.bytes().filter(|&b| is_escaped(b)).count()
}

/// The two upper-case hex digits of `b`.
pub(crate) fn hex(b: u8) -> [char; 2] {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    [
        HEX[(b >> 4) as usize] as char,
        HEX[(b & 15) as usize] as char,
    ]
}

/// The length of `percent_encode(s)`, to size buffers exactly.
pub(crate) fn encoded_len(s: &str) -> usize {
    s.len() + 2 * escaped_bytes(s)
}

/// [`percent_encode`] appended to `out`.
pub(crate) fn percent_encode_into(out: &mut String, s: &str) {
    encode_parts(s, |part| match part {
        Part::Run(run) => out.push_str(run),
        Part::Escape(b) => {
            let [hi, lo] = hex(b);
            for c in ['%', hi, lo] {
                out.push(c);
            }
        }
    });
}

/// A piece of text being percent-encoded.
pub(crate) enum Part<'a> {
    /// Unreserved bytes, copied as they are.
    Run(&'a str),
    /// A byte that becomes `%XY`.
    Escape(u8),
}

/// `s` as runs of unreserved bytes (copied whole) and bytes to escape.
pub(crate) fn encode_parts<'a>(s: &'a str, mut part: impl FnMut(Part<'a>)) {
    let mut run = 0;
    for (i, b) in s.bytes().enumerate() {
        if !is_escaped(b) {
            continue;
        }
        // A run of unreserved (ASCII) bytes starts and ends on char boundaries.
        if run < i {
            part(Part::Run(&s[run..i]));
        }
        part(Part::Escape(b));
        run = i + 1;
    }
    if run < s.len() {
        part(Part::Run(&s[run..]));
    }
}

/// `k=v&...` with both sides percent-encoded, sorted byte-wise by key.
pub(crate) fn canonical_query<'a>(params: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let pairs = sorted(params.into_iter().collect());
    let mut out = String::with_capacity(canonical_len(&pairs));
    write_canonical(&mut out, &pairs);
    out
}

/// Borrowed pairs in canonical order: by key, then value (byte-wise).
pub(crate) fn sorted<'a>(mut pairs: Vec<(&'a str, &'a str)>) -> Vec<(&'a str, &'a str)> {
    pairs.sort_unstable();
    pairs
}

/// The length of the canonical query of `pairs`.
pub(crate) fn canonical_len(pairs: &[(&str, &str)]) -> usize {
    pairs
        .iter()
        .map(|(k, v)| encoded_len(k) + encoded_len(v) + 2)
        .sum::<usize>()
        .saturating_sub(1)
}

/// Appends the canonical query of already sorted `pairs` to `out`.
pub(crate) fn write_canonical(out: &mut String, pairs: &[(&str, &str)]) {
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        percent_encode_into(out, k);
        out.push('=');
        percent_encode_into(out, v);
    }
}

/// Headers every scheme sends (protocol.md section 1), with room for
/// `more` that the scheme adds.
pub(crate) fn action_headers(input: &SigningInput<'_>, more: usize) -> Vec<(&'static str, String)> {
    let mut headers = Vec::with_capacity(2 + more);
    headers.push(("x-acs-action", input.action.into()));
    headers.push(("x-acs-version", input.version.into()));
    headers
}

/// Hides secrets in text meant for people (errors, logs): the security
/// token, raw or (doubly) percent-encoded, and every `Signature=` value, as
/// a server echoing our query or string-to-sign would show them.
pub(crate) fn redact(text: &str, token: Option<&str>) -> String {
    let mut out = redact_signatures(text);
    if let Some(token) = token.filter(|t| !t.is_empty()) {
        let once = percent_encode(token);
        let twice = percent_encode(&once);
        out = out
            .replace(&twice, REDACTED)
            .replace(&once, REDACTED)
            .replace(token, REDACTED);
    }
    out
}

const REDACTED: &str = "<redacted>";

/// `Signature` followed by `=` raw, once or twice percent-encoded.
const SIGNATURE_ASSIGN: [&str; 3] = ["=", "%3D", "%253D"];
/// What ends a value: a separator raw, once or twice percent-encoded.
const VALUE_END: [&str; 6] = ["%26", "%2526", "%2C", "%252C", "%20", "%2520"];

/// Replaces the value of every `Signature=` (not `SignatureNonce=` and the
/// like) up to the next separator. A longer name ending in `Signature` is
/// redacted too: hiding a harmless value costs less than showing a secret.
fn redact_signatures(text: &str) -> String {
    const KEY: &str = "Signature";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(KEY) {
        let before = &rest[..at];
        let after = &rest[at + KEY.len()..];
        let assign = SIGNATURE_ASSIGN
            .iter()
            .rev()
            .find(|a| starts_with_ignore_case(after, a));
        out.push_str(before);
        out.push_str(KEY);
        match assign {
            Some(assign) => {
                out.push_str(&after[..assign.len()]);
                out.push_str(REDACTED);
                let value = &after[assign.len()..];
                rest = &value[value_len(value)..];
            }
            None => rest = after,
        }
    }
    out.push_str(rest);
    out
}

/// Bytes up to the end of a query value.
fn value_len(value: &str) -> usize {
    value
        .char_indices()
        .find(|&(i, c)| {
            matches!(c, '&' | ',' | ';' | '"' | '\'' | '<' | '>' | ')') || c.is_whitespace() || {
                let tail = &value[i..];
                VALUE_END
                    .iter()
                    .any(|end| starts_with_ignore_case(tail, end))
            }
        })
        .map_or(value.len(), |(i, _)| i)
}

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.len() >= prefix.len()
        && text.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

#[cfg(test)]
mod tests;
