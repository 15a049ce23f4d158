//! `ACS3-HMAC-SHA256`: the signature in an `Authorization` header over a
//! canonical request of method, path, query, `host` and `x-acs-*` headers.
//! <https://help.aliyun.com/zh/sdk/product-overview/v3-request-structure-and-signature>

use super::{action_headers, canonical_query, SignedRequest, Signer, SigningInput};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::fmt::Write;

pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// The V3 signer. Parameters stay in the query; the body is empty.
#[derive(Debug, Clone, Copy, Default)]
pub struct V3;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

impl Signer for V3 {
    fn sign(&self, input: &SigningInput<'_>) -> SignedRequest {
        let creds = input.credentials;
        let empty_body_hash = hex(&Sha256::digest(b""));
        let mut headers = action_headers(input);
        headers.extend([
            ("host".to_string(), input.host.to_string()),
            ("x-acs-content-sha256".into(), empty_body_hash.clone()),
            ("x-acs-date".into(), input.timestamp.into()),
            ("x-acs-signature-nonce".into(), input.nonce.into()),
        ]);
        if let Some(token) = creds.security_token() {
            headers.push(("x-acs-security-token".into(), token.into()));
        }
        headers.sort();
        let signed_names: Vec<&str> = headers.iter().map(|(k, _)| k.as_str()).collect();
        let signed_names = signed_names.join(";");
        let canonical_headers: String = headers
            .iter()
            .map(|(k, v)| format!("{k}:{}\n", v.trim()))
            .collect();
        let query = canonical_query(input.params.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let canonical_request = format!(
            "{}\n/\n{query}\n{canonical_headers}\n{signed_names}\n{empty_body_hash}",
            input.method
        );
        let string_to_sign = format!(
            "{ALGORITHM}\n{}",
            hex(&Sha256::digest(canonical_request.as_bytes()))
        );
        let mut mac = Hmac::<Sha256>::new_from_slice(creds.access_key_secret().as_bytes())
            .expect("HMAC accepts keys of any length");
        mac.update(string_to_sign.as_bytes());
        let signature = hex(&mac.finalize().into_bytes());
        // reqwest derives `Host` from the URL; sending it twice would be wrong.
        headers.retain(|(k, _)| k != "host");
        headers.push((
            "Authorization".into(),
            format!(
                "{ALGORITHM} Credential={},SignedHeaders={signed_names},Signature={signature}",
                creds.access_key_id()
            ),
        ));
        SignedRequest {
            query,
            headers,
            string_to_sign,
        }
    }
}
