//! Requests on the wire: signed so that an independent verifier accepts
//! them, with the documented common parameters and headers.

mod common;

use common::*;
use ecs_core::{CallOptions, Credentials, SignatureVersion};
use ecs_fault_server::verify::verify_rpc_signature;
use ecs_fault_server::{RecordedRequest, TestServer};

/// The request a DescribeRegions call puts on the wire.
async fn one_describe_regions() -> RecordedRequest {
    let server = TestServer::start().await;
    client(&server.url())
        .call(&DescribeRegions::default())
        .await
        .unwrap();
    server.requests().remove(0)
}

#[tokio::test]
async fn request_signature_verifies_independently_from_the_raw_query() {
    let req = &one_describe_regions().await;
    verify_rpc_signature(&req.method, req.raw_query(), SECRET).unwrap();
}

#[tokio::test]
async fn tags_json_unicode_and_reserved_characters_still_verify() {
    let server = TestServer::start().await;
    let req = RunInstances {
        image_id: r#"["i-a","i-b"] 中文 *~+&="#.into(),
        tags: vec![
            Tag {
                key: "env".into(),
                value: "prod env*~".into(),
            },
            Tag {
                key: "k2".into(),
                value: "".into(),
            },
        ],
        ..RunInstances::default()
    };
    client(&server.url()).call(&req).await.unwrap();
    let got = &server.requests()[0];
    verify_rpc_signature(&got.method, got.raw_query(), SECRET).unwrap();
    assert_eq!(
        got.param("ImageId").as_deref(),
        Some(r#"["i-a","i-b"] 中文 *~+&="#)
    );
    assert_eq!(got.param("Tag.1.Value").as_deref(), Some("prod env*~"));
    assert_eq!(got.param("Tag.2.Value").as_deref(), Some(""));
}

#[tokio::test]
async fn the_empty_post_body_is_announced_with_content_length_zero() {
    let req = &one_describe_regions().await;
    let lengths: Vec<&str> = req
        .headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(lengths, ["0"], "{:?}", req.headers);
    assert_eq!(req.header("transfer-encoding"), None);
}

#[tokio::test]
async fn request_is_a_post_to_root_with_everything_in_the_query_and_no_body() {
    let req = &one_describe_regions().await;
    assert_eq!(req.method, "POST");
    assert_eq!(req.path(), "/");
    assert!(req.body.is_empty());
    for (name, value) in [
        ("Action", "DescribeRegions"),
        ("Version", "2014-05-26"),
        ("Format", "JSON"),
        ("AccessKeyId", ACCESS_KEY_ID),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureVersion", "1.0"),
        ("RegionId", "cn-hangzhou"),
    ] {
        assert_eq!(req.param(name).as_deref(), Some(value), "{name}");
    }
    let ts = req.param("Timestamp").unwrap();
    assert_eq!(ts.len(), 20, "{ts}");
    assert!(ts.ends_with('Z') && ts.as_bytes()[10] == b'T', "{ts}");
    assert!(req.param("SignatureNonce").is_some_and(|n| !n.is_empty()));
    assert_eq!(req.param("SecurityToken"), None);
    assert_eq!(req.param("SignatureType"), None);
}

#[tokio::test]
async fn action_version_and_user_agent_headers_are_sent() {
    let server = TestServer::start().await;
    builder(&server.url())
        .user_agent("my-app/1.2")
        .build()
        .unwrap()
        .call(&DescribeRegions::default())
        .await
        .unwrap();
    let req = &server.requests()[0];
    assert_eq!(req.header("x-acs-action"), Some("DescribeRegions"));
    assert_eq!(req.header("x-acs-version"), Some("2014-05-26"));
    let ua = req.header("user-agent").unwrap();
    assert!(
        ua.contains("ecs-core/") && ua.ends_with("my-app/1.2"),
        "{ua}"
    );
}

#[tokio::test]
async fn sts_credentials_send_a_signed_security_token() {
    let server = TestServer::start().await;
    builder(&server.url())
        .credentials(Credentials::sts("sts-id", SECRET, "sts/token+1"))
        .build()
        .unwrap()
        .call(&DescribeRegions::default())
        .await
        .unwrap();
    let req = &server.requests()[0];
    assert_eq!(req.param("SecurityToken").as_deref(), Some("sts/token+1"));
    verify_rpc_signature(&req.method, req.raw_query(), SECRET).unwrap();
}

#[tokio::test]
async fn extra_params_are_sent_and_signed() {
    let server = TestServer::start().await;
    let opts = CallOptions::new().param("NewFeatureFlag", "on");
    client(&server.url())
        .call_with(&DescribeRegions::default(), &opts)
        .await
        .unwrap();
    let req = &server.requests()[0];
    assert_eq!(req.param("NewFeatureFlag").as_deref(), Some("on"));
    verify_rpc_signature(&req.method, req.raw_query(), SECRET).unwrap();
}

#[tokio::test]
async fn untyped_call_is_signed_the_same_way_and_returns_json() {
    let server = TestServer::start().await;
    server.push(ecs_fault_server::Response::ok(
        "req-u",
        serde_json::json!({"Regions": {"Region": [{"RegionId": "cn-hangzhou"}]}}),
    ));
    let value = client(&server.url())
        .call_action("DescribeRegions", [("AcceptLanguage", "en-US")])
        .await
        .unwrap();
    assert_eq!(value["Regions"]["Region"][0]["RegionId"], "cn-hangzhou");
    let req = &server.requests()[0];
    assert_eq!(req.param("Action").as_deref(), Some("DescribeRegions"));
    assert_eq!(req.param("RegionId").as_deref(), Some("cn-hangzhou"));
    verify_rpc_signature(&req.method, req.raw_query(), SECRET).unwrap();
}

#[tokio::test]
async fn v3_client_sends_an_authorization_header_instead_of_query_signature() {
    let server = TestServer::start().await;
    builder(&server.url())
        .signature_version(SignatureVersion::V3)
        .build()
        .unwrap()
        .call(&DescribeRegions::default())
        .await
        .unwrap();
    let req = &server.requests()[0];
    let auth = req.header("authorization").unwrap();
    assert!(
        auth.starts_with(&format!(
            "ACS3-HMAC-SHA256 Credential={ACCESS_KEY_ID},SignedHeaders=host;x-acs-action;"
        )),
        "{auth}"
    );
    assert!(req.header("x-acs-date").is_some() && req.header("x-acs-signature-nonce").is_some());
    assert_eq!(req.param("Signature"), None);
    assert_eq!(req.param("RegionId").as_deref(), Some("cn-hangzhou"));
}
