//! `ACS3-HMAC-SHA256`: the signature in an `Authorization` header over a
//! canonical request of method, path, query, `host` and `x-acs-*` headers.
//! <https://help.aliyun.com/zh/sdk/product-overview/v3-request-structure-and-signature>

use super::{action_headers, canonical_query, SignedRequest, Signer, SigningInput};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// Hex SHA-256 of the empty body every request sends.
pub(super) const EMPTY_BODY_SHA256: &str =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// The V3 signer. Parameters stay in the query; the body is empty.
#[derive(Debug, Clone, Copy, Default)]
pub struct V3;

/// Appends the lower-case hex of `bytes`.
fn push_hex(out: &mut String, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for &b in bytes {
        out.push(HEX[(b >> 4) as usize] as char);
        out.push(HEX[(b & 15) as usize] as char);
    }
}

impl Signer for V3 {
    fn sign(&self, input: &SigningInput<'_>) -> SignedRequest {
        let creds = input.credentials;
        let mut headers = action_headers(input, 5);
        headers.extend([
            ("x-acs-content-sha256", EMPTY_BODY_SHA256.into()),
            ("x-acs-date", input.timestamp.into()),
            ("x-acs-signature-nonce", input.nonce.into()),
        ]);
        if let Some(token) = creds.security_token() {
            headers.push(("x-acs-security-token", token.into()));
        }
        headers.sort_unstable();
        // Signed: `host` (reqwest derives it from the URL, so it is not sent
        // from here; it sorts before every `x-acs-*`) and the headers above.
        let signed: Vec<(&str, &str)> = std::iter::once(("host", input.host))
            .chain(headers.iter().map(|(k, v)| (*k, v.as_str())))
            .collect();

        let query = canonical_query(input.params.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let (canonical_request, names) = canonical_request(input.method, &query, &signed);
        let signed_names = &canonical_request[names];
        let mut string_to_sign = String::with_capacity(ALGORITHM.len() + 1 + 64);
        string_to_sign.push_str(ALGORITHM);
        string_to_sign.push('\n');
        push_hex(
            &mut string_to_sign,
            &Sha256::digest(canonical_request.as_bytes()),
        );
        let mut mac = Hmac::<Sha256>::new_from_slice(creds.access_key_secret().as_bytes())
            .expect("HMAC accepts keys of any length");
        mac.update(string_to_sign.as_bytes());

        let id = creds.access_key_id();
        let mut authorization =
            String::with_capacity(ALGORITHM.len() + 40 + id.len() + signed_names.len() + 64);
        authorization.push_str(ALGORITHM);
        authorization.push_str(" Credential=");
        authorization.push_str(id);
        authorization.push_str(",SignedHeaders=");
        authorization.push_str(signed_names);
        authorization.push_str(",Signature=");
        push_hex(&mut authorization, &mac.finalize().into_bytes());
        headers.push(("authorization", authorization));
        SignedRequest {
            query,
            headers,
            string_to_sign,
        }
    }
}

/// `METHOD\n/\nquery\nname:value\n...\n\nnames\nbody-hash` over sorted
/// `headers`, and where in it the `;`-joined header names are.
fn canonical_request(
    method: &str,
    query: &str,
    headers: &[(&str, &str)],
) -> (String, std::ops::Range<usize>) {
    let names_len: usize = headers.iter().map(|(k, _)| k.len() + 1).sum();
    let lines_len: usize = headers.iter().map(|(k, v)| k.len() + v.len() + 2).sum();
    let mut out = String::with_capacity(
        method.len() + query.len() + lines_len + names_len + EMPTY_BODY_SHA256.len() + 6,
    );
    out.push_str(method);
    out.push_str("\n/\n");
    out.push_str(query);
    out.push('\n');
    for (k, v) in headers {
        out.push_str(k);
        out.push(':');
        out.push_str(v.trim());
        out.push('\n');
    }
    out.push('\n');
    let names_at = out.len();
    for (i, (k, _)) in headers.iter().enumerate() {
        if i > 0 {
            out.push(';');
        }
        out.push_str(k);
    }
    let names = names_at..out.len();
    out.push('\n');
    out.push_str(EMPTY_BODY_SHA256);
    (out, names)
}
