//! RPC signature: HMAC-SHA1, `SignatureVersion=1.0` (protocol.md section 2).

use super::{action_headers, canonical_query, percent_encode, SignedRequest, Signer, SigningInput};
use base64::Engine;
use hmac::{Hmac, Mac};
use sha1::Sha1;

/// The HMAC-SHA1 RPC signer; every parameter, common ones included, goes in
/// the query string.
#[derive(Debug, Clone, Copy, Default)]
pub struct RpcV1;

impl RpcV1 {
    /// `METHOD&%2F&percentEncode(canonical)` over `params`.
    pub fn string_to_sign<'a>(
        method: &str,
        params: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> (String, String) {
        let canonical = canonical_query(params);
        let sts = format!("{method}&%2F&{}", percent_encode(&canonical));
        (canonical, sts)
    }

    /// Base64(HMAC-SHA1(secret + "&", string_to_sign)).
    pub fn signature(secret: &str, string_to_sign: &str) -> String {
        let mut mac = Hmac::<Sha1>::new_from_slice(format!("{secret}&").as_bytes())
            .expect("HMAC accepts keys of any length");
        mac.update(string_to_sign.as_bytes());
        base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
    }
}

impl Signer for RpcV1 {
    fn sign(&self, input: &SigningInput<'_>) -> SignedRequest {
        let creds = input.credentials;
        let mut common: Vec<(&str, &str)> = vec![
            ("Action", input.action),
            ("Version", input.version),
            ("Format", "JSON"),
            ("AccessKeyId", creds.access_key_id()),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureVersion", "1.0"),
            ("SignatureNonce", input.nonce),
            ("Timestamp", input.timestamp),
        ];
        if let Some(token) = creds.security_token() {
            common.push(("SecurityToken", token));
        }
        let all = common
            .into_iter()
            .chain(input.params.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let (canonical, string_to_sign) = Self::string_to_sign(input.method, all);
        let signature = Self::signature(creds.access_key_secret(), &string_to_sign);
        SignedRequest {
            query: format!("{canonical}&Signature={}", percent_encode(&signature)),
            headers: action_headers(input),
            string_to_sign,
        }
    }
}
