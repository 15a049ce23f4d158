use super::*;
use crate::simulator::encoding::decode_query;

fn keys() -> AccessKeys {
    let mut keys = AccessKeys::new();
    keys.insert("testid", "testsecret");
    keys
}

/// protocol.md section 2: the documented example, `Timestamp` spelling.
const DOCUMENTED: &str = "AccessKeyId=testid&Action=DescribeRegions&Format=XML&SignatureMethod=HMAC-SHA1&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&SignatureVersion=1.0&Timestamp=2016-02-23T12%3A46%3A24Z&Version=2014-05-26&Signature=OLeaidS1JvxuMvnyHOwuJ%2BuX5qY%3D";

fn rpc(query: &str) -> RecordedRequest {
    RecordedRequest {
        method: "GET".into(),
        target: format!("/?{query}"),
        headers: vec![("host".into(), "ecs.aliyuncs.com".into())],
        body: Vec::new(),
    }
}

fn verify_rpc(query: &str, keys: &AccessKeys) -> Result<Verified, Denied> {
    let request = rpc(query);
    verify(&request, &decode_query(query), keys)
}

fn refusal(result: Result<Verified, Denied>) -> Refusal {
    match result {
        Err(Denied::Refused(r)) => r,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn rpc_accepts_the_documented_signature() {
    let verified = verify_rpc(DOCUMENTED, &keys()).unwrap();
    assert_eq!(verified.action, "DescribeRegions");
    assert_eq!(verified.nonce, "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf");
    assert_eq!(verified.format, Format::Xml);
}

#[test]
fn rpc_refuses_a_tampered_parameter_and_shows_its_string_to_sign() {
    let r = refusal(verify_rpc(&DOCUMENTED.replace("XML", "JSON"), &keys()));
    assert_eq!(r.code(), "SignatureDoesNotMatch");
    assert!(
        r.to_string()
            .contains("server string to sign is:GET&%2F&AccessKeyId%3Dtestid"),
        "{r}"
    );
}

#[test]
fn rpc_reads_a_plus_as_a_space_like_the_service() {
    let params = [
        ("AccessKeyId", "testid"),
        ("Action", "DescribeInstances"),
        ("Format", "json"),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureNonce", "n-1"),
        ("SignatureVersion", "1.0"),
        ("Tag.1.Value", "web tier"),
        ("Timestamp", "2016-02-23T12:46:24Z"),
        ("Version", "2014-05-26"),
    ]
    .map(|(k, v)| (k.to_string(), v.to_string()));
    let signature = rpc_signature("testsecret", &rpc_string_to_sign("POST", &params));
    let query = format!(
        "AccessKeyId=testid&Action=DescribeInstances&Format=json&SignatureMethod=HMAC-SHA1&SignatureNonce=n-1&SignatureVersion=1.0&Tag.1.Value=web+tier&Timestamp=2016-02-23T12%3A46%3A24Z&Version=2014-05-26&Signature={}",
        crate::simulator::encoding::percent_encode(&signature)
    );
    let mut request = rpc(&query);
    request.method = "POST".into();
    let verified = verify(&request, &decode_query(&query), &keys()).unwrap();
    assert_eq!(verified.format, Format::Json);
}

#[test]
fn rpc_names_the_first_missing_common_parameter() {
    let query = DOCUMENTED.replace("SignatureNonce=", "Nonce=");
    match verify_rpc(&query, &keys()) {
        Err(Denied::Missing(r)) => assert_eq!(r, Rejection::Missing("SignatureNonce".into())),
        other => panic!("{other:?}"),
    }
}

#[test]
fn rpc_refuses_an_unknown_key_with_404() {
    let r = refusal(verify_rpc(DOCUMENTED, &AccessKeys::new()));
    assert_eq!((r.status(), r.code()), (404, "InvalidAccessKeyId.NotFound"));
}

#[test]
fn rpc_refuses_another_signature_method() {
    let query = DOCUMENTED.replace("HMAC-SHA1", "HMAC-SHA256");
    assert_eq!(
        refusal(verify_rpc(&query, &keys())),
        Refusal::InvalidSignatureMethod
    );
}

#[test]
fn rpc_refuses_a_timestamp_with_fractional_seconds() {
    let query = DOCUMENTED.replace("24Z", "24.5Z");
    assert_eq!(
        refusal(verify_rpc(&query, &keys())),
        Refusal::InvalidTimestamp
    );
}

#[test]
fn rpc_refuses_another_api_version() {
    let query = DOCUMENTED.replace("2014-05-26", "2016-03-14");
    assert_eq!(
        refusal(verify_rpc(&query, &keys())),
        Refusal::InvalidVersion
    );
}

#[test]
fn an_sts_key_requires_its_token() {
    let mut keys = AccessKeys::new();
    keys.insert_sts("testid", "testsecret", "the-token");
    assert_eq!(
        refusal(verify_rpc(DOCUMENTED, &keys)),
        Refusal::SecurityTokenMismatch
    );
}

#[test]
fn debug_of_the_keys_shows_no_secret() {
    let mut keys = keys();
    keys.insert_sts("stsid", "sts-secret", "sts-token");
    let shown = format!("{keys:?}");
    assert!(
        shown.contains("testid") && shown.contains("stsid"),
        "{shown}"
    );
    assert!(
        !shown.contains("secret") && !shown.contains("sts-token"),
        "{shown}"
    );
}

/// Signed by the official Python SDK's `Utils.get_authorization` (tea-openapi
/// 0.4.6) with key `testid` / `testsecret`: a query with a space and a JSON
/// list, a form body, `content-type` signed.
fn python_signed_v3() -> RecordedRequest {
    RecordedRequest {
        method: "POST".into(),
        target: "/?RegionId=cn-hangzhou&Tag.1.Value=web+tier&InstanceIds=%5B%22i-a%22%2C%22i-b%22%5D".into(),
        headers: [
            ("host", "ecs.cn-hangzhou.aliyuncs.com"),
            ("x-acs-action", "DescribeInstances"),
            ("x-acs-version", "2014-05-26"),
            ("x-acs-date", "2024-06-24T08:00:00Z"),
            ("x-acs-signature-nonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
            ("x-acs-content-sha256", "9df3ab30ebc0e8e3539fb180d317b4c6a131ed17c885ad86871ea8304efeda90"),
            ("content-type", "application/x-www-form-urlencoded"),
            ("authorization", "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=9da85de721e00d3ae379cf35daf6092b255429e5bb17d4682047b0187fc3f5fd"),
        ]
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .to_vec(),
        body: b"InstanceName=web%20server".to_vec(),
    }
}

fn verify_v3(request: &RecordedRequest) -> Result<Verified, Denied> {
    verify(request, &[], &keys())
}

fn set_header(request: &mut RecordedRequest, name: &str, value: &str) {
    let slot = request.headers.iter_mut().find(|(k, _)| k == name).unwrap();
    slot.1 = value.to_string();
}

#[test]
fn v3_accepts_the_official_sdks_signature() {
    let verified = verify_v3(&python_signed_v3()).unwrap();
    assert_eq!(verified.action, "DescribeInstances");
    assert_eq!(verified.nonce, "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf");
    assert_eq!(verified.format, Format::Json);
}

#[test]
fn v3_refuses_a_changed_query_value() {
    let mut request = python_signed_v3();
    request.target = request.target.replace("web+tier", "web+tie");
    let r = refusal(verify_v3(&request));
    assert_eq!(r.code(), "SignatureDoesNotMatch");
    assert!(r.to_string().contains("Tag.1.Value=web%20tie"), "{r}");
}

#[test]
fn v3_refuses_a_body_that_is_not_the_one_hashed() {
    let mut request = python_signed_v3();
    request.body = b"InstanceName=other".to_vec();
    assert_eq!(refusal(verify_v3(&request)), Refusal::ContentSha256Mismatch);
}

#[test]
fn v3_refuses_an_unsigned_acs_header() {
    let mut request = python_signed_v3();
    request
        .headers
        .push(("x-acs-security-token".into(), "tok".into()));
    let r = refusal(verify_v3(&request));
    assert_eq!(r.code(), "IncompleteSignature");
    assert!(r.to_string().contains("`x-acs-security-token`"), "{r}");
}

#[test]
fn v3_names_a_missing_required_header() {
    let mut request = python_signed_v3();
    request.headers.retain(|(k, _)| k != "x-acs-date");
    match verify_v3(&request) {
        Err(Denied::Missing(r)) => assert_eq!(r, Rejection::Missing("x-acs-date".into())),
        other => panic!("{other:?}"),
    }
}

#[test]
fn v3_refuses_another_algorithm_by_name() {
    let mut request = python_signed_v3();
    set_header(
        &mut request,
        "authorization",
        "ACS3-HMAC-SM3 Credential=testid,SignedHeaders=host,Signature=00",
    );
    let r = refusal(verify_v3(&request));
    assert!(r.to_string().contains("ACS3-HMAC-SM3"), "{r}");
}

#[test]
fn v3_refuses_a_wrong_secret() {
    let mut other = AccessKeys::new();
    other.insert("testid", "not-the-secret");
    let r = refusal(verify(&python_signed_v3(), &[], &other));
    assert_eq!(r.code(), "SignatureDoesNotMatch");
    assert!(!r.to_string().contains("not-the-secret"), "{r}");
}

#[test]
fn v3_withholds_the_security_token_from_the_mismatch_message() {
    let mut keys = AccessKeys::new();
    keys.insert_sts("testid", "testsecret", "sts-token-value");
    let mut request = python_signed_v3();
    request
        .headers
        .push(("x-acs-security-token".into(), "sts-token-value".into()));
    set_header(
        &mut request,
        "authorization",
        "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version,Signature=00",
    );
    let r = refusal(verify(&request, &[], &keys));
    assert_eq!(r.code(), "SignatureDoesNotMatch");
    assert!(!r.to_string().contains("sts-token-value"), "{r}");
    assert!(
        r.to_string().contains("x-acs-security-token:<redacted>"),
        "{r}"
    );
}
