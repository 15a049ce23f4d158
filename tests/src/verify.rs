//! An independent check of the RPC HMAC-SHA1 signature (protocol.md
//! section 2), recomputed from the raw query string a server received.
//! Deliberately shares no code with ecs-core's signer.

use base64::Engine;
use hmac::{Hmac, Mac};
use sha1::Sha1;

/// Decodes `%XY` escapes (and nothing else: `+` stays `+`).
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `k=v&...` into decoded pairs, in wire order.
pub fn decode_query(raw: &str) -> Vec<(String, String)> {
    raw.split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

/// RFC 3986 encoding with the RPC rules: only `A-Za-z0-9-_.~` stay.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The string to sign the server derives from a received query.
pub fn string_to_sign(method: &str, raw_query: &str) -> String {
    let mut params: Vec<(String, String)> = decode_query(raw_query)
        .into_iter()
        .filter(|(k, _)| k != "Signature")
        .collect();
    params.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let canonical = params
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    format!(
        "{}&{}&{}",
        method.to_ascii_uppercase(),
        encode("/"),
        encode(&canonical)
    )
}

/// Checks the `Signature` of a received RPC request against `secret`.
/// On mismatch, the error carries the server-side string to sign.
pub fn verify_rpc_signature(method: &str, raw_query: &str, secret: &str) -> Result<(), String> {
    let params = decode_query(raw_query);
    let given = params
        .iter()
        .find(|(k, _)| k == "Signature")
        .map(|(_, v)| v.clone())
        .ok_or("the request has no Signature")?;
    for required in [
        "AccessKeyId",
        "SignatureMethod",
        "SignatureVersion",
        "SignatureNonce",
        "Timestamp",
    ] {
        if !params.iter().any(|(k, _)| k == required) {
            return Err(format!("the request has no {required}"));
        }
    }
    let sts = string_to_sign(method, raw_query);
    let mut mac =
        Hmac::<Sha1>::new_from_slice(format!("{secret}&").as_bytes()).map_err(|e| e.to_string())?;
    mac.update(sts.as_bytes());
    let expected = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    if expected == given {
        Ok(())
    } else {
        Err(format!("server string to sign is:{sts}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// protocol.md section 2: the documented example, as a GET URL would carry it.
    const DOCUMENTED: &str = "AccessKeyId=testid&Action=DescribeRegions&Format=XML&SignatureMethod=HMAC-SHA1&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&SignatureVersion=1.0&Timestamp=2016-02-23T12%3A46%3A24Z&Version=2014-05-26";

    #[test]
    fn accepts_the_documented_signature() {
        let q = format!("{DOCUMENTED}&Signature=OLeaidS1JvxuMvnyHOwuJ%2BuX5qY%3D");
        assert_eq!(verify_rpc_signature("GET", &q, "testsecret"), Ok(()));
    }

    #[test]
    fn rejects_a_wrong_secret_and_shows_its_string_to_sign() {
        let q = format!("{DOCUMENTED}&Signature=OLeaidS1JvxuMvnyHOwuJ%2BuX5qY%3D");
        let e = verify_rpc_signature("GET", &q, "other").unwrap_err();
        assert!(
            e.starts_with("server string to sign is:GET&%2F&AccessKeyId%3Dtestid"),
            "{e}"
        );
    }

    #[test]
    fn rejects_a_tampered_parameter() {
        let q = format!("{DOCUMENTED}&Signature=OLeaidS1JvxuMvnyHOwuJ%2BuX5qY%3D")
            .replace("XML", "JSON");
        assert!(verify_rpc_signature("GET", &q, "testsecret").is_err());
    }

    #[test]
    fn decodes_percent_escapes_only() {
        assert_eq!(percent_decode("a%20b+c%2A%E4%B8%AD%"), "a b+c*中%");
    }
}
