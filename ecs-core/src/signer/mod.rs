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
/// headers to add.
#[derive(Clone, PartialEq, Eq)]
pub struct SignedRequest {
    pub query: String,
    pub headers: Vec<(String, String)>,
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

/// The length of `percent_encode(s)`, to size buffers exactly.
pub(crate) fn encoded_len(s: &str) -> usize {
    s.len() + 2 * s.bytes().filter(|&b| !UNRESERVED[b as usize]).count()
}

/// [`percent_encode`] appended to `out`: runs of unreserved bytes are
/// copied whole.
pub(crate) fn percent_encode_into(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut run = 0;
    for (i, b) in s.bytes().enumerate() {
        if UNRESERVED[b as usize] {
            continue;
        }
        // A run of unreserved (ASCII) bytes starts and ends on char boundaries.
        if run < i {
            out.push_str(&s[run..i]);
        }
        out.push('%');
        out.push(HEX[(b >> 4) as usize] as char);
        out.push(HEX[(b & 15) as usize] as char);
        run = i + 1;
    }
    out.push_str(&s[run..]);
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
pub(crate) fn action_headers(input: &SigningInput<'_>, more: usize) -> Vec<(String, String)> {
    let mut headers = Vec::with_capacity(2 + more);
    headers.push(("x-acs-action".into(), input.action.into()));
    headers.push(("x-acs-version".into(), input.version.into()));
    headers
}

/// Replaces a security token, raw or (doubly) percent-encoded, so diagnostic
/// strings can be shown.
pub(crate) fn redact_token(text: &str, token: Option<&str>) -> String {
    let Some(token) = token.filter(|t| !t.is_empty()) else {
        return text.to_string();
    };
    let once = percent_encode(token);
    let twice = percent_encode(&once);
    text.replace(&twice, "<redacted>")
        .replace(&once, "<redacted>")
        .replace(token, "<redacted>")
}

#[cfg(test)]
mod tests;
