//! An independent check of the RPC HMAC-SHA1 signature (protocol.md
//! section 2), recomputed from the raw query string a server received, for
//! the core's tests. The logic is the simulator's own
//! ([`ecs_simulator::simulator::auth`]); it shares no code with ecs-core's
//! signer.

use ecs_simulator::simulator::auth::{rpc_signature, rpc_string_to_sign};
pub use ecs_simulator::simulator::encoding::{decode_query, percent_decode};

/// The string to sign the server derives from a received query.
pub fn string_to_sign(method: &str, raw_query: &str) -> String {
    rpc_string_to_sign(method, &decode_query(raw_query))
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
    let sts = rpc_string_to_sign(method, &params);
    if rpc_signature(secret, &sts) == given {
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
}
