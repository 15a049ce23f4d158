use super::*;

fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The documented DescribeRegions example (protocol.md section 2), with the
/// timestamp parameter spelled `ts_name`.
fn documented_example(ts_name: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("AccessKeyId", "testid"),
        ("Action", "DescribeRegions"),
        ("Format", "XML"),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
        ("SignatureVersion", "1.0"),
        (ts_name, "2016-02-23T12:46:24Z"),
        ("Version", "2014-05-26"),
    ]
}

fn v1_signature(params: &[(&str, &str)], method: &str) -> String {
    let (_, sts) = RpcV1::string_to_sign(method, params.iter().copied());
    RpcV1::signature("testsecret", &sts)
}

#[test]
fn documented_example_string_to_sign_is_exact() {
    let (_, sts) = RpcV1::string_to_sign("GET", documented_example("TimeStamp"));
    assert_eq!(
        sts,
        "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26TimeStamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26"
    );
}

#[test]
fn documented_example_signs_with_timestamp_spelling() {
    assert_eq!(
        v1_signature(&documented_example("Timestamp"), "GET"),
        "OLeaidS1JvxuMvnyHOwuJ+uX5qY="
    );
}

#[test]
fn documented_example_signs_with_capital_s_timestamp_spelling() {
    assert_eq!(
        v1_signature(&documented_example("TimeStamp"), "GET"),
        "CT9X0VtwR86fNWSnsc6v8YGOjuE="
    );
}

#[test]
fn cpp_core_fixture_signs_as_documented() {
    let params = [
        ("AccessKeyId", "testid"),
        ("Action", "DescribeRegions"),
        ("Format", "XML"),
        ("RegionId", "region1"),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureNonce", "NwDAxvLU6tFE0DVb"),
        ("SignatureVersion", "1.0"),
        ("TimeStamp", "2012-12-26T10:33:56Z"),
        ("Version", "2013-01-10"),
    ];
    assert_eq!(v1_signature(&params, "GET"), "axE3FUHgDyfm9/+Iep0HpZXrRwE=");
}

#[test]
fn post_vector_with_tags_json_and_reserved_characters() {
    let params = [
        ("AccessKeyId", "testid"),
        ("Action", "DescribeInstances"),
        ("DryRun", "true"),
        ("Format", "JSON"),
        ("InstanceIds", r#"["i-a","i-b"]"#),
        ("MaxResults", "10"),
        ("RegionId", "cn-hangzhou"),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
        ("SignatureVersion", "1.0"),
        ("Tag.1.Key", "env"),
        ("Tag.1.Value", "prod env*~"),
        ("Timestamp", "2016-02-23T12:46:24Z"),
        ("Version", "2014-05-26"),
    ];
    let (canonical, _) = RpcV1::string_to_sign("POST", params.iter().copied());
    assert!(canonical.contains("InstanceIds=%5B%22i-a%22%2C%22i-b%22%5D"));
    assert!(canonical.contains("Tag.1.Value=prod%20env%2A~"));
    assert_eq!(
        v1_signature(&params, "POST"),
        "doKzW6h2qOy6n2rJtCqCt00K49A="
    );
}

#[test]
fn percent_encoding_follows_the_rpc_rules() {
    assert_eq!(percent_encode("a b"), "a%20b");
    assert_eq!(percent_encode("*"), "%2A");
    assert_eq!(percent_encode("~-_."), "~-_.");
    assert_eq!(percent_encode("+"), "%2B");
    assert_eq!(percent_encode("\""), "%22");
    assert_eq!(percent_encode("中文"), "%E4%B8%AD%E6%96%87");
    assert_eq!(percent_encode("a=b&c/d:e"), "a%3Db%26c%2Fd%3Ae");
}

#[test]
fn canonical_query_sorts_keys_byte_wise() {
    let q = canonical_query([
        ("Tag.2.Key", "b"),
        ("Tag.10.Key", "c"),
        ("Tag.1.Key", "a"),
        ("a", "lower"),
    ]);
    assert_eq!(q, "Tag.1.Key=a&Tag.10.Key=c&Tag.2.Key=b&a=lower");
}

#[test]
fn canonical_query_keeps_empty_values() {
    assert_eq!(canonical_query([("B", ""), ("A", "1")]), "A=1&B=");
}

fn input<'a>(
    params: &'a [(String, String)],
    creds: &'a Credentials,
    nonce: &'a str,
) -> SigningInput<'a> {
    SigningInput {
        method: "POST",
        host: "ecs.cn-hangzhou.aliyuncs.com",
        action: "DescribeRegions",
        version: "2014-05-26",
        params,
        credentials: creds,
        timestamp: "2016-02-23T12:46:24Z",
        nonce,
    }
}

fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap();
            (k.to_string(), v.to_string())
        })
        .collect()
}

#[test]
fn rpc_signer_puts_common_parameters_in_the_query() {
    let params = owned(&[("RegionId", "cn-hangzhou")]);
    let creds = Credentials::new("testid", "testsecret");
    let signed = RpcV1.sign(&input(&params, &creds, "n1"));
    let q = query_pairs(&signed.query);
    let get = |k: &str| q.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    assert_eq!(get("Action"), Some("DescribeRegions"));
    assert_eq!(get("Version"), Some("2014-05-26"));
    assert_eq!(get("Format"), Some("JSON"));
    assert_eq!(get("AccessKeyId"), Some("testid"));
    assert_eq!(get("SignatureMethod"), Some("HMAC-SHA1"));
    assert_eq!(get("SignatureVersion"), Some("1.0"));
    assert_eq!(get("SignatureNonce"), Some("n1"));
    assert_eq!(get("Timestamp"), Some("2016-02-23T12%3A46%3A24Z"));
    assert_eq!(get("RegionId"), Some("cn-hangzhou"));
    assert_eq!(get("SecurityToken"), None);
    assert_eq!(get("SignatureType"), None);
}

#[test]
fn rpc_signature_is_appended_last_and_encoded() {
    let params = owned(&[("RegionId", "cn-hangzhou")]);
    let creds = Credentials::new("testid", "testsecret");
    let signed = RpcV1.sign(&input(&params, &creds, "n1"));
    let (last_key, last_value) = query_pairs(&signed.query).pop().unwrap();
    assert_eq!(last_key, "Signature");
    let expected = RpcV1::signature("testsecret", &signed.string_to_sign);
    assert_eq!(last_value, percent_encode(&expected));
}

#[test]
fn rpc_signer_signs_the_security_token_for_sts() {
    let params = owned(&[]);
    let creds = Credentials::sts("testid", "testsecret", "tok+en/1");
    let signed = RpcV1.sign(&input(&params, &creds, "n1"));
    assert!(signed.query.contains("SecurityToken=tok%2Ben%2F1"));
    assert!(signed
        .string_to_sign
        .contains("SecurityToken%3Dtok%252Ben%252F1"));
}

#[test]
fn rpc_signer_sends_action_and_version_headers() {
    let params = owned(&[]);
    let creds = Credentials::new("testid", "testsecret");
    let signed = RpcV1.sign(&input(&params, &creds, "n1"));
    assert!(signed
        .headers
        .contains(&("x-acs-action", "DescribeRegions".into())));
    assert!(signed
        .headers
        .contains(&("x-acs-version", "2014-05-26".into())));
}

#[test]
fn a_new_nonce_gives_a_new_signature() {
    let params = owned(&[]);
    let creds = Credentials::new("testid", "testsecret");
    let a = RpcV1.sign(&input(&params, &creds, "n1"));
    let b = RpcV1.sign(&input(&params, &creds, "n2"));
    assert_ne!(a.query, b.query);
}

#[test]
fn signed_request_debug_hides_query_and_headers() {
    let params = owned(&[]);
    let creds = Credentials::sts("testid", "testsecret", "the-token");
    let signed = RpcV1.sign(&input(&params, &creds, "n1"));
    let shown = format!("{signed:?}");
    assert!(
        !shown.contains("the-token") && !shown.contains("Signature="),
        "{shown}"
    );
}

/// Alibaba's published V3 example: "签名示例" in
/// https://help.aliyun.com/zh/sdk/product-overview/v3-request-structure-and-signature
/// (RunInstances, YourAccessKeyId/YourAccessKeySecret, 2023-10-26T10:22:32Z,
/// nonce 3156853299f313e23d1673dc12e1703d, empty body).
#[test]
fn v3_matches_the_published_example() {
    let params = owned(&[
        (
            "ImageId",
            "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd",
        ),
        ("RegionId", "cn-shanghai"),
    ]);
    let creds = Credentials::new("YourAccessKeyId", "YourAccessKeySecret");
    let signed = V3.sign(&SigningInput {
        method: "POST",
        host: "ecs.cn-shanghai.aliyuncs.com",
        action: "RunInstances",
        version: "2014-05-26",
        params: &params,
        credentials: &creds,
        timestamp: "2023-10-26T10:22:32Z",
        nonce: "3156853299f313e23d1673dc12e1703d",
    });
    let auth = signed
        .headers
        .iter()
        .find(|(k, _)| *k == "authorization")
        .unwrap();
    assert_eq!(
        auth.1,
        "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
    );
    assert_eq!(
        signed.query,
        "ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai"
    );
}

#[test]
fn v3_sends_its_x_acs_headers_but_not_host() {
    let params = owned(&[]);
    let creds = Credentials::new("id", "secret");
    let signed = V3.sign(&input(&params, &creds, "n1"));
    let names: Vec<&str> = signed.headers.iter().map(|(k, _)| *k).collect();
    for want in [
        "x-acs-action",
        "x-acs-version",
        "x-acs-date",
        "x-acs-signature-nonce",
        "x-acs-content-sha256",
        "authorization",
    ] {
        assert!(names.contains(&want), "{want} missing from {names:?}");
    }
    assert!(!names.contains(&"host"));
}

#[test]
fn v3_signs_the_security_token_header_for_sts() {
    let params = owned(&[]);
    let creds = Credentials::sts("id", "secret", "tok");
    let signed = V3.sign(&input(&params, &creds, "n1"));
    assert!(signed
        .headers
        .contains(&("x-acs-security-token", "tok".into())));
    let auth = &signed
        .headers
        .iter()
        .find(|(k, _)| *k == "authorization")
        .unwrap()
        .1;
    assert!(auth.contains("x-acs-security-token"), "{auth}");
}

#[test]
fn redact_token_hides_raw_and_encoded_forms() {
    let token = "a+b/c";
    let text = format!(
        "raw {token} once {} twice {}",
        percent_encode(token),
        percent_encode(&percent_encode(token))
    );
    let out = redact(&text, Some(token));
    assert_eq!(out, "raw <redacted> once <redacted> twice <redacted>");
}

#[test]
fn redact_hides_signature_values_raw_and_encoded() {
    let text = "q: A=1&Signature=ab%2Bc%3D&B=2 sts: POST&%2F&A%3D1%26Signature%3Dab%252Bc%26B%3D2 \
                twice: Signature%253Dxy%2526C auth: Credential=k,Signature=0f1e";
    assert_eq!(
        redact(text, None),
        "q: A=1&Signature=<redacted>&B=2 sts: POST&%2F&A%3D1%26Signature%3D<redacted>%26B%3D2 \
         twice: Signature%253D<redacted>%2526C auth: Credential=k,Signature=<redacted>"
    );
}

#[test]
fn redact_keeps_the_other_signature_parameters() {
    let text = "SignatureMethod=HMAC-SHA1&SignatureNonce=n-1&SignatureVersion=1.0&Signature";
    assert_eq!(redact(text, None), text);
}

/// Secrets around HMAC's 64-byte block: `secret&` shorter than, equal to
/// and longer than a block (hashed first, RFC 2104). Expected values from
/// Python's `hmac` module over the documented string to sign.
#[test]
fn secrets_sign_alike_below_at_and_above_the_hmac_block_size() {
    let (_, sts) = RpcV1::string_to_sign("GET", documented_example("TimeStamp"));
    let alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".repeat(2);
    for (len, expected) in [
        (63, "d8OGOBYsI6UMd+4wrCbyLHaeu80="),
        (64, "qxFPqL6WUWwFasSh0cFZsmttfnk="),
        (100, "qADdZgmyEL8VaH1IFn5MCU9yQ2M="),
    ] {
        assert_eq!(
            RpcV1::signature(&alphabet[..len], &sts),
            expected,
            "secret of {len} bytes"
        );
    }
}

/// Signs `params` with `creds` (nonce `n1`) and gives the signed request
/// with the reference canonical query and string to sign of the same call.
fn signed_and_reference(
    params: &[(&str, &str)],
    creds: &Credentials,
) -> (crate::signer::SignedRequest, String, String) {
    let owned_params = owned(params);
    let signed = RpcV1.sign(&input(&owned_params, creds, "n1"));
    let common = [
        ("Action", "DescribeRegions"),
        ("Version", "2014-05-26"),
        ("Format", "JSON"),
        ("AccessKeyId", creds.access_key_id()),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureVersion", "1.0"),
        ("SignatureNonce", "n1"),
        ("Timestamp", "2016-02-23T12:46:24Z"),
    ];
    let token = creds.security_token().map(|t| ("SecurityToken", t));
    let (canonical, sts) = RpcV1::string_to_sign(
        "POST",
        common
            .into_iter()
            .chain(token)
            .chain(params.iter().copied()),
    );
    (signed, canonical, sts)
}

#[test]
fn rpc_query_is_the_canonical_query_then_the_signature() {
    let creds = Credentials::sts("testid", "testsecret", "tok+en/1");
    let params = [("RegionId", "cn-hangzhou"), ("Tag.1.Value", "prod env*~")];
    let (signed, canonical, sts) = signed_and_reference(&params, &creds);
    assert_eq!(signed.string_to_sign, sts);
    let signature = percent_encode(&RpcV1::signature("testsecret", &sts));
    assert_eq!(signed.query, format!("{canonical}&Signature={signature}"));
}

#[test]
fn rpc_signer_encodes_multibyte_values_as_the_reference_string_to_sign() {
    let creds = Credentials::new("testid", "testsecret");
    let params = [
        ("Description", "华东 1（杭州）=%&"),
        ("RegionId", "cn-hangzhou"),
    ];
    let (signed, canonical, sts) = signed_and_reference(&params, &creds);
    assert_eq!(signed.string_to_sign, sts);
    assert!(signed.query.starts_with(&canonical), "{}", signed.query);
    assert!(canonical.contains("Description=%E5%8D%8E%E4%B8%9C%201%EF%BC%88"));
}

#[test]
fn percent_encoding_keeps_runs_between_escapes_intact() {
    assert_eq!(percent_encode("ab 中c~d/é"), "ab%20%E4%B8%ADc~d%2F%C3%A9");
    assert_eq!(percent_encode(""), "");
    assert_eq!(percent_encode("é"), "%C3%A9");
}

#[test]
fn encoded_len_is_the_length_of_the_encoding() {
    for s in ["", "plain", "a b", "中文", "k=v&x", "~-_.", "%2F", "é!*'()"] {
        assert_eq!(encoded_len(s), percent_encode(s).len(), "{s}");
    }
}

#[test]
fn v3_empty_body_hash_is_sha256_of_no_bytes() {
    use sha2::{Digest, Sha256};
    let computed: String = Sha256::digest(b"")
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(v3::EMPTY_BODY_SHA256, computed);
}

#[test]
fn v3_sends_its_headers_sorted_by_name_then_authorization() {
    let params = owned(&[]);
    let creds = Credentials::sts("id", "secret", "tok");
    let signed = V3.sign(&input(&params, &creds, "n1"));
    let names: Vec<&str> = signed.headers.iter().map(|(k, _)| *k).collect();
    assert_eq!(
        names,
        [
            "x-acs-action",
            "x-acs-content-sha256",
            "x-acs-date",
            "x-acs-security-token",
            "x-acs-signature-nonce",
            "x-acs-version",
            "authorization",
        ]
    );
}
