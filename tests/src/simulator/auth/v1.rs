//! RPC HMAC-SHA1, `SignatureVersion=1.0` (protocol.md, section 2): every
//! parameter of the query and the form body is signed, `Signature` aside.

use super::{check_timestamp, check_version, missing, same, AccessKeys, Denied, Format, Verified};
use crate::simulator::encoding::{canonical_query, percent_encode};
use crate::simulator::errors::Refusal;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha1::Sha1;

/// The common parameters a signed RPC request must carry.
const REQUIRED: [&str; 8] = [
    "Action",
    "Version",
    "AccessKeyId",
    "SignatureMethod",
    "SignatureVersion",
    "SignatureNonce",
    "Timestamp",
    "Signature",
];

/// `METHOD&%2F&percentEncode(canonical)` over every parameter but `Signature`.
pub fn rpc_string_to_sign(method: &str, params: &[(String, String)]) -> String {
    let signed: Vec<&(String, String)> = params.iter().filter(|(k, _)| k != "Signature").collect();
    let pairs: Vec<(&str, &str)> = signed
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    format!(
        "{}&{}&{}",
        method.to_ascii_uppercase(),
        percent_encode("/"),
        percent_encode(&canonical_query(&pairs))
    )
}

/// `Base64(HMAC-SHA1(secret + "&", string_to_sign))`.
pub fn rpc_signature(secret: &str, string_to_sign: &str) -> String {
    let mut mac = Hmac::<Sha1>::new_from_slice(format!("{secret}&").as_bytes())
        .expect("HMAC takes keys of any length");
    mac.update(string_to_sign.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

pub(super) fn verify(
    method: &str,
    params: &[(String, String)],
    keys: &AccessKeys,
) -> Result<Verified, Denied> {
    let param = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    };
    for name in REQUIRED {
        if param(name).is_none() {
            return Err(missing(name));
        }
    }
    let value = |name: &str| param(name).unwrap_or_default();
    check_version(value("Version"))?;
    if value("SignatureMethod") != "HMAC-SHA1" || value("SignatureVersion") != "1.0" {
        return Err(Refusal::InvalidSignatureMethod.into());
    }
    let format = match param("Format") {
        None => Format::Xml,
        Some(f) if f.eq_ignore_ascii_case("json") => Format::Json,
        Some(f) if f.eq_ignore_ascii_case("xml") => Format::Xml,
        Some(_) => return Err(Refusal::InvalidFormat.into()),
    };
    check_timestamp(value("Timestamp"))?;
    let secret = keys.secret(value("AccessKeyId"), param("SecurityToken"))?;
    let string_to_sign = rpc_string_to_sign(method, params);
    if !same(&rpc_signature(secret, &string_to_sign), value("Signature")) {
        return Err(Refusal::SignatureMismatch { string_to_sign }.into());
    }
    Ok(Verified {
        action: value("Action").to_string(),
        nonce: value("SignatureNonce").to_string(),
        format,
    })
}
