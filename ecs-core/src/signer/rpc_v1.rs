//! RPC signature: HMAC-SHA1, `SignatureVersion=1.0` (protocol.md section 2).
//!
//! Built for a signature per attempt: the parameters are sorted as borrowed
//! pairs and percent-encoded straight into the query, which then takes the
//! signature; the HMAC key and the Base64 text live on the stack.

use super::{
    action_headers, canonical_query, encode_parts, encoded_len, escaped_bytes, hex,
    percent_encode_into, sorted, Part, SignedRequest, Signer, SigningInput,
};
use base64::Engine;
use hmac::{Hmac, Mac};
use sha1::{Digest, Sha1};

/// The HMAC-SHA1 RPC signer; every parameter, common ones included, goes in
/// the query string.
#[derive(Debug, Clone, Copy, Default)]
pub struct RpcV1;

/// `&Signature=` and the longest encoding of 28 Base64 characters.
const SIGNATURE_PARAM_MAX: usize = "&Signature=".len() + 28 * 3;

impl RpcV1 {
    /// `METHOD&%2F&percentEncode(canonical)` over `params`.
    pub fn string_to_sign<'a>(
        method: &str,
        params: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> (String, String) {
        let canonical = canonical_query(params);
        let sts = string_to_sign_of(method, &canonical);
        (canonical, sts)
    }

    /// Base64(HMAC-SHA1(secret + "&", string_to_sign)).
    pub fn signature(secret: &str, string_to_sign: &str) -> String {
        Base64Sha1::sign(secret, string_to_sign)
            .as_str()
            .to_string()
    }
}

/// Between the method and the encoded canonical query.
const SLASH: &str = "&%2F&";

fn string_to_sign_of(method: &str, canonical: &str) -> String {
    let mut sts = String::with_capacity(method.len() + SLASH.len() + encoded_len(canonical));
    sts.push_str(method);
    sts.push_str(SLASH);
    percent_encode_into(&mut sts, canonical);
    sts
}

/// The lengths of the canonical query of `pairs` and of its own
/// percent-encoding (each escape's `%` and each `&` and `=` take two more).
fn canonical_lens(pairs: &[(&str, &str)]) -> (usize, usize) {
    let (mut len, mut escapes) = (0, 0);
    for (k, v) in pairs {
        let (k_escapes, v_escapes) = (escaped_bytes(k), escaped_bytes(v));
        len += k.len() + v.len() + 2 * (k_escapes + v_escapes) + 2;
        escapes += k_escapes + v_escapes + 2;
    }
    // No `&` before the first pair.
    let (len, escapes) = (len.saturating_sub(1), escapes.saturating_sub(1));
    (len, len + 2 * escapes)
}

/// Appends the canonical query of sorted `pairs` to `query` and its
/// percent-encoding to `sts`, reading each key and value once.
fn write_canonical_twice(query: &mut String, sts: &mut String, pairs: &[(&str, &str)]) {
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            query.push('&');
            sts.push_str("%26");
        }
        encode_twice(query, sts, k);
        query.push('=');
        sts.push_str("%3D");
        encode_twice(query, sts, v);
    }
}

/// `s` percent-encoded into `once`, and encoded again into `twice` (an
/// escape `%XY` becomes `%25XY`).
fn encode_twice(once: &mut String, twice: &mut String, s: &str) {
    encode_parts(s, |part| match part {
        Part::Run(run) => {
            once.push_str(run);
            twice.push_str(run);
        }
        Part::Escape(b) => {
            let [hi, lo] = hex(b);
            for c in ['%', hi, lo] {
                once.push(c);
            }
            for c in ['%', '2', '5', hi, lo] {
                twice.push(c);
            }
        }
    });
}

/// HMAC-SHA1 keyed with `secret + "&"`, without building that string: a
/// key shorter than the 64-byte block is copied into a stack buffer, a
/// longer one is hashed first, as HMAC itself does (RFC 2104, section 2).
fn keyed_mac(secret: &str) -> Hmac<Sha1> {
    const BLOCK: usize = 64;
    let secret = secret.as_bytes();
    let mac = if secret.len() < BLOCK {
        let mut key = [0u8; BLOCK];
        key[..secret.len()].copy_from_slice(secret);
        key[secret.len()] = b'&';
        Hmac::new_from_slice(&key[..=secret.len()])
    } else {
        let digest = Sha1::new()
            .chain_update(secret)
            .chain_update(b"&")
            .finalize();
        Hmac::new_from_slice(&digest)
    };
    mac.expect("HMAC accepts keys of any length")
}

/// The Base64 text of an HMAC-SHA1, on the stack.
struct Base64Sha1 {
    text: [u8; 28],
}

impl Base64Sha1 {
    fn sign(secret: &str, string_to_sign: &str) -> Self {
        let mut mac = keyed_mac(secret);
        mac.update(string_to_sign.as_bytes());
        let mut text = [0u8; 28];
        let written = base64::engine::general_purpose::STANDARD
            .encode_slice(mac.finalize().into_bytes(), &mut text)
            .expect("20 bytes are 28 Base64 characters");
        debug_assert_eq!(written, text.len());
        Base64Sha1 { text }
    }

    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.text).expect("Base64 is ASCII")
    }
}

impl Signer for RpcV1 {
    fn sign(&self, input: &SigningInput<'_>) -> SignedRequest {
        let creds = input.credentials;
        let mut pairs: Vec<(&str, &str)> = Vec::with_capacity(9 + input.params.len());
        pairs.extend([
            ("Action", input.action),
            ("Version", input.version),
            ("Format", "JSON"),
            ("AccessKeyId", creds.access_key_id()),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureVersion", "1.0"),
            ("SignatureNonce", input.nonce),
            ("Timestamp", input.timestamp),
        ]);
        if let Some(token) = creds.security_token() {
            pairs.push(("SecurityToken", token));
        }
        pairs.extend(input.params.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let pairs = sorted(pairs);
        // The canonical query becomes the query (the signature goes last)
        // and, encoded once more, the string to sign: both in one pass.
        let (query_len, sts_len) = canonical_lens(&pairs);
        let mut query = String::with_capacity(query_len + SIGNATURE_PARAM_MAX);
        let mut string_to_sign = String::with_capacity(input.method.len() + SLASH.len() + sts_len);
        string_to_sign.push_str(input.method);
        string_to_sign.push_str(SLASH);
        write_canonical_twice(&mut query, &mut string_to_sign, &pairs);
        debug_assert_eq!(
            (query.len(), string_to_sign.capacity()),
            (query_len, string_to_sign.len())
        );
        let signature = Base64Sha1::sign(creds.access_key_secret(), &string_to_sign);
        query.push_str("&Signature=");
        percent_encode_into(&mut query, signature.as_str());
        SignedRequest {
            query,
            headers: action_headers(input, 0),
            string_to_sign,
        }
    }
}
