//! `ACS3-HMAC-SHA256`: the signature in the `Authorization` header over a
//! canonical request of the method, the path, the query, the signed
//! headers and the body's SHA-256
//! (<https://help.aliyun.com/zh/sdk/product-overview/v3-request-structure-and-signature>).

use super::{check_timestamp, check_version, missing, same, AccessKeys, Denied, Format, Verified};
use crate::simulator::encoding::{canonical_query, decode_query};
use crate::simulator::errors::Refusal;
use crate::simulator::RecordedRequest;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::fmt::Write;

pub const V3_ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// Headers a V3 request must carry (and sign, with `host` and every other
/// `x-acs-*` header it sends).
const REQUIRED: [&str; 5] = [
    "x-acs-action",
    "x-acs-version",
    "x-acs-date",
    "x-acs-signature-nonce",
    "x-acs-content-sha256",
];

/// The parts of `ACS3-HMAC-SHA256 Credential=..,SignedHeaders=..,Signature=..`.
struct Authorization<'a> {
    credential: &'a str,
    signed_headers: Vec<&'a str>,
    signature: &'a str,
}

fn parse_authorization(value: &str) -> Result<Authorization<'_>, Refusal> {
    let (algorithm, rest) = value.trim().split_once(' ').unwrap_or((value.trim(), ""));
    if algorithm != V3_ALGORITHM {
        return Err(Refusal::IncompleteSignature(format!(
            "The Authorization header uses `{algorithm}`; this simulator verifies {V3_ALGORITHM}."
        )));
    }
    let (mut credential, mut signed, mut signature) = (None, None, None);
    for part in rest.split(',') {
        match part.trim().split_once('=') {
            Some(("Credential", v)) => credential = Some(v),
            Some(("SignedHeaders", v)) => signed = Some(v),
            Some(("Signature", v)) => signature = Some(v),
            _ => {}
        }
    }
    Ok(Authorization {
        credential: part(credential, "Credential")?,
        signed_headers: part(signed, "SignedHeaders")?.split(';').collect(),
        signature: part(signature, "Signature")?,
    })
}

fn part<'a>(value: Option<&'a str>, name: &str) -> Result<&'a str, Refusal> {
    value.filter(|v| !v.is_empty()).ok_or_else(|| {
        Refusal::IncompleteSignature(format!("The Authorization header has no {name}."))
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// The canonical request: `METHOD\n/path\nquery\nheaders\nsigned\npayload`.
/// `headers` are `(lower-case name, value)` as received; each signed
/// header's values are trimmed, sorted and joined by `,`.
pub fn v3_canonical_request(
    method: &str,
    path: &str,
    raw_query: &str,
    headers: &[(String, String)],
    signed_headers: &[&str],
    payload_sha256: &str,
) -> String {
    let query = canonical_query(&decode_query(raw_query));
    let mut canonical_headers = String::new();
    for name in signed_headers {
        let mut values: Vec<&str> = headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim())
            .collect();
        values.sort_unstable();
        let _ = writeln!(canonical_headers, "{name}:{}", values.join(","));
    }
    format!(
        "{}\n{path}\n{query}\n{canonical_headers}\n{}\n{payload_sha256}",
        method.to_ascii_uppercase(),
        signed_headers.join(";")
    )
}

/// `(string to sign, hex(HMAC-SHA256(secret, string to sign)))`.
pub fn v3_signature(secret: &str, canonical_request: &str) -> (String, String) {
    let string_to_sign = format!(
        "{V3_ALGORITHM}\n{}",
        hex(&Sha256::digest(canonical_request.as_bytes()))
    );
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(string_to_sign.as_bytes());
    let signature = hex(&mac.finalize().into_bytes());
    (string_to_sign, signature)
}

pub(super) fn verify(
    request: &RecordedRequest,
    authorization: &str,
    keys: &AccessKeys,
) -> Result<Verified, Denied> {
    let auth = parse_authorization(authorization)?;
    for name in REQUIRED {
        if request.header(name).is_none_or(str::is_empty) {
            return Err(missing(name));
        }
    }
    let header = |name: &str| request.header(name).unwrap_or_default();
    check_version(header("x-acs-version"))?;
    check_timestamp(header("x-acs-date"))?;
    let must_sign = request
        .headers
        .iter()
        .map(|(k, _)| k.to_ascii_lowercase())
        .filter(|k| k == "host" || k == "content-type" || k.starts_with("x-acs-"));
    for name in must_sign {
        if !auth.signed_headers.contains(&name.as_str()) {
            return Err(Refusal::IncompleteSignature(format!(
                "The header `{name}` is sent but not in SignedHeaders."
            ))
            .into());
        }
    }
    if let Some(absent) = auth
        .signed_headers
        .iter()
        .find(|name| request.header(name).is_none())
    {
        return Err(Refusal::IncompleteSignature(format!(
            "SignedHeaders names `{absent}`, which the request does not send."
        ))
        .into());
    }
    let payload = hex(&Sha256::digest(&request.body));
    if !header("x-acs-content-sha256").eq_ignore_ascii_case(&payload) {
        return Err(Refusal::ContentSha256Mismatch.into());
    }
    let token = request.header("x-acs-security-token");
    let secret = keys.secret(auth.credential, token)?;
    let canonical = v3_canonical_request(
        &request.method,
        request.path(),
        request.raw_query(),
        &request.headers,
        &auth.signed_headers,
        &payload,
    );
    let (string_to_sign, expected) = v3_signature(secret, &canonical);
    if !same(&expected, &auth.signature.to_ascii_lowercase()) {
        // The hash alone cannot be compared by eye: show what it covers,
        // the security token withheld.
        let shown = match token.filter(|t| !t.is_empty()) {
            Some(token) => canonical.replace(token, "<redacted>"),
            None => canonical,
        };
        return Err(Refusal::SignatureMismatch {
            string_to_sign: format!("{string_to_sign} canonical request is:{shown}"),
        }
        .into());
    }
    Ok(Verified {
        action: header("x-acs-action").to_string(),
        nonce: header("x-acs-signature-nonce").to_string(),
        format: Format::Json,
    })
}
