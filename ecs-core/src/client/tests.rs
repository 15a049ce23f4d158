use super::*;
use crate::error::CallContext;
use crate::signer::SignedRequest;
use crate::transport::RawResponse;
use crate::Credentials;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Default)]
struct Req {
    #[serde(rename = "RegionId", skip_serializing_if = "Option::is_none")]
    region_id: Option<String>,
    #[serde(rename = "ClientToken", skip_serializing_if = "Option::is_none")]
    client_token: Option<String>,
    #[serde(rename = "Name", skip_serializing_if = "Option::is_none")]
    name: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Out {
    #[serde(rename = "RequestId", default)]
    request_id: Option<String>,
    #[serde(rename = "Count", default)]
    count: Option<u32>,
    #[serde(rename = "Items", default)]
    items: Option<Items>,
}

#[derive(Debug, Deserialize)]
struct Items {
    #[serde(rename = "Item")]
    item: Vec<Item>,
}

#[derive(Debug, Deserialize)]
struct Item {
    #[serde(rename = "Name")]
    name: String,
}

impl HasRequestId for Out {
    fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

const fn info(region_id: RegionParam, read_only: bool, client_token: bool) -> OperationInfo {
    OperationInfo {
        name: "TestOp",
        version: "2014-05-26",
        group: "test",
        deprecated: false,
        read_only,
        client_token,
        region_id,
        enabled: true,
    }
}

macro_rules! op {
    ($name:ident, $info:expr) => {
        #[derive(Serialize, Default)]
        struct $name(Req);
        impl Operation for $name {
            type Output = Out;
            const INFO: OperationInfo = $info;
        }
    };
}

op!(RequiredRegion, info(RegionParam::Required, true, false));

/// Nothing listens on port 1: any I/O fails.
fn client(region: Option<&str>) -> Client {
    let mut b = Client::builder()
        .endpoint("http://127.0.0.1:1")
        .credentials(Credentials::new("id", "secret"))
        .retry_policy(RetryPolicy::disabled());
    if let Some(r) = region {
        b = b.region(r);
    }
    b.build().unwrap()
}

fn params<'a>(p: &'a Prepared<'_>) -> Vec<(&'a str, &'a str)> {
    p.params
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

fn prepare(
    c: &Client,
    info: OperationInfo,
    req: Req,
    options: &CallOptions,
) -> Result<Vec<(String, String)>, Error> {
    let p = c.prepare(&info, query::to_params(&req).unwrap(), options)?;
    Ok(p.params)
}

#[test]
fn client_region_is_filled_when_the_request_has_none() {
    let c = client(Some("cn-beijing"));
    let p = c
        .prepare(
            &info(RegionParam::Optional, true, false),
            vec![],
            &CallOptions::new(),
        )
        .unwrap();
    assert_eq!(params(&p), [("RegionId", "cn-beijing")]);
}

#[test]
fn request_region_wins_over_client_region() {
    let c = client(Some("cn-beijing"));
    let req = Req {
        region_id: Some("cn-shanghai".into()),
        ..Req::default()
    };
    let p = prepare(
        &c,
        info(RegionParam::Required, true, false),
        req,
        &CallOptions::new(),
    )
    .unwrap();
    assert_eq!(p, [("RegionId".to_string(), "cn-shanghai".to_string())]);
}

#[test]
fn operations_without_region_get_none() {
    let c = client(Some("cn-beijing"));
    let p = prepare(
        &c,
        info(RegionParam::None, true, false),
        Req::default(),
        &CallOptions::new(),
    )
    .unwrap();
    assert!(p.is_empty());
}

#[tokio::test]
async fn required_region_missing_everywhere_fails_before_any_io() {
    let e = client(None)
        .call(&RequiredRegion::default())
        .await
        .unwrap_err();
    match e {
        Error::MissingParameter { operation, params } => {
            assert_eq!(operation, "TestOp");
            assert_eq!(params, ["RegionId"]);
        }
        other => panic!("expected MissingParameter, got {other}"),
    }
}

#[test]
fn client_token_is_generated_for_operations_that_take_one() {
    let c = client(Some("r"));
    let p = c
        .prepare(
            &info(RegionParam::None, false, true),
            vec![],
            &CallOptions::new(),
        )
        .unwrap();
    let token = &p.params.iter().find(|(k, _)| k == "ClientToken").unwrap().1;
    assert_eq!(token.len(), 36);
    assert!(p.idempotent);
}

#[test]
fn a_given_client_token_is_kept() {
    let c = client(Some("r"));
    let req = Req {
        client_token: Some("mine".into()),
        ..Req::default()
    };
    let p = prepare(
        &c,
        info(RegionParam::None, false, true),
        req,
        &CallOptions::new(),
    )
    .unwrap();
    assert_eq!(p, [("ClientToken".to_string(), "mine".to_string())]);
}

#[test]
fn mutating_requests_without_token_are_not_idempotent() {
    let c = client(Some("r"));
    let p = c
        .prepare(
            &info(RegionParam::None, false, false),
            vec![],
            &CallOptions::new(),
        )
        .unwrap();
    assert!(!p.idempotent);
    let p = c
        .prepare(
            &info(RegionParam::None, true, false),
            vec![],
            &CallOptions::new(),
        )
        .unwrap();
    assert!(p.idempotent);
}

#[test]
fn extra_params_are_added_or_replace_existing_ones() {
    let c = client(None);
    let req = Req {
        name: Some("typed".into()),
        ..Req::default()
    };
    let opts = CallOptions::new()
        .param("Name", "override")
        .param("NewParam", "x");
    let p = prepare(&c, info(RegionParam::None, true, false), req, &opts).unwrap();
    assert_eq!(
        p,
        [
            ("Name".to_string(), "override".to_string()),
            ("NewParam".to_string(), "x".to_string())
        ]
    );
}

#[test]
fn an_empty_extra_param_name_is_invalid_input() {
    let c = client(None);
    let e = prepare(
        &c,
        info(RegionParam::None, true, false),
        Req::default(),
        &CallOptions::new().param(" ", "v"),
    )
    .unwrap_err();
    assert!(matches!(e, Error::InvalidInput { .. }), "{e}");
}

#[tokio::test]
async fn untyped_call_rejects_a_malformed_action() {
    let e = client(None)
        .call_action("Describe Regions", [("A", "b")])
        .await
        .unwrap_err();
    assert!(e.to_string().contains("`Describe Regions`"), "{e}");
}

fn raw(status: u16, body: impl AsRef<[u8]>) -> RawResponse {
    RawResponse {
        status,
        content_type: Some(reqwest::header::HeaderValue::from_static(
            "application/json",
        )),
        retry_after: None,
        body: bytes::Bytes::copy_from_slice(body.as_ref()),
    }
}

fn context(status: u16) -> Box<CallContext> {
    Box::new(CallContext {
        operation: "TestOp".into(),
        host: "ecs.example.com".into(),
        status: Some(status),
        attempts: 1,
        elapsed: Duration::from_millis(3),
        idempotent: true,
        retry_stop: None,
    })
}

fn decoded(status: u16, body: impl AsRef<[u8]>) -> Result<Out, Error> {
    let r = raw(status, body);
    decode::<Out>(&r.body).map_err(|bad| answer::bad_answer(context(status), &r, bad, None))
}

#[test]
fn blank_body_decodes_as_an_empty_object() {
    for body in ["", "  \n"] {
        let out = decoded(200, body).unwrap();
        assert!(out.request_id.is_none() && out.count.is_none());
    }
}

#[test]
fn decode_error_names_the_json_path_and_request_id() {
    let e = decoded(200, r#"{"RequestId":"R-9","Count":"many"}"#).unwrap_err();
    assert_eq!(e.operation(), Some("TestOp"));
    assert_eq!(e.request_id(), Some("R-9"));
    match e {
        Error::Decode { path, snippet, .. } => {
            assert_eq!(path, "Count");
            assert!(snippet.contains("many"));
        }
        other => panic!("expected Decode, got {other}"),
    }
}

#[test]
fn decode_error_in_a_list_names_the_element_path() {
    let body = r#"{"RequestId":"R-2","Items":{"Item":[{"Name":"a"},{"Name":7}]}}"#;
    match decoded(200, body).unwrap_err() {
        Error::Decode { path, message, .. } => {
            assert_eq!(path, "Items.Item[1].Name");
            assert!(message.contains("expected a string"), "{message}");
        }
        other => panic!("expected Decode, got {other}"),
    }
}

#[test]
fn a_success_body_that_is_not_utf8_is_a_decode_error_naming_where() {
    let body = b"{\"RequestId\":\"R-3\",\"Items\":{\"Item\":[{\"Name\":\"caf\xe9\"}]}}";
    match decoded(200, body).unwrap_err() {
        Error::Decode {
            path,
            message,
            snippet,
            request_id,
            ..
        } => {
            assert_eq!(path, "Items.Item[0].Name");
            assert!(
                message.contains("not UTF-8") && message.contains("offset 48"),
                "{message}"
            );
            assert!(snippet.contains("caf\u{fffd}"), "{snippet}");
            assert_eq!(request_id.as_deref(), Some("R-3"));
        }
        other => panic!("expected Decode, got {other}"),
    }
}

#[test]
fn bytes_that_are_not_utf8_in_a_field_the_type_does_not_read_lose_nothing() {
    let out = decoded(
        200,
        b"{\"RequestId\":\"R-5\",\"Note\":\"caf\xe9\",\"Count\":2}",
    )
    .unwrap();
    assert_eq!((out.request_id(), out.count), (Some("R-5"), Some(2)));
}

#[test]
fn a_non_utf8_page_that_is_not_json_is_an_unexpected_response() {
    let e = decoded(200, b"<html>Fehler: \xe4</html>").unwrap_err();
    assert!(matches!(e, Error::UnexpectedResponse { .. }), "{e}");
    assert!(e.to_string().contains("Fehler: \u{fffd}"), "{e}");
}

#[test]
fn the_request_id_comes_from_the_decoded_answer() {
    let out = decoded(
        200,
        r#"{"Count":1,"Items":{"Item":[{"Name":"a"}]},"RequestId":"R-4"}"#,
    );
    let out = out.unwrap();
    assert_eq!(out.request_id(), Some("R-4"));
    assert_eq!(out.count, Some(1));
    let names: Vec<&str> = out
        .items
        .iter()
        .flat_map(|i| &i.item)
        .map(|i| i.name.as_str())
        .collect();
    assert_eq!(names, ["a"]);
}

#[test]
fn non_json_success_body_is_an_unexpected_response() {
    for body in [
        "<html>proxy login</html>",
        "{} trailing",
        r#"{"RequestId":"R"#,
    ] {
        let e = decoded(200, body).unwrap_err();
        assert!(
            matches!(
                e,
                Error::UnexpectedResponse {
                    truncated: false,
                    ..
                }
            ),
            "{e}"
        );
        assert_eq!(e.status(), Some(200));
    }
}

#[test]
fn huge_bodies_are_cut_in_errors() {
    let body = format!("<html>{}</html>", "x".repeat(10_000));
    let e = decoded(200, &body).unwrap_err();
    assert!(e.to_string().len() < 1000);
}

fn signed(sts: &str) -> SignedRequest {
    SignedRequest {
        query: String::new(),
        headers: vec![],
        string_to_sign: sts.into(),
    }
}

fn service_error(status: u16, body: &str) -> Error {
    answer::error_answer(
        context(status),
        raw(status, body),
        &signed("POST&%2F&ours"),
        None,
    )
}

#[test]
fn error_document_fields_are_all_kept() {
    let body = r#"{"RequestId":"R-1","HostId":"ecs.cn-hangzhou.aliyuncs.com","Code":"Forbidden.RAM","Message":"denied","Recommend":"https://x/troubleshoot","AccessDeniedDetail":{"AuthAction":"ecs:DescribeInstances","NoPermissionType":"ImplicitDeny","PolicyType":"AccountLevelIdentityBasedPolicy"}}"#;
    let e = service_error(403, body);
    let s = e.service_error().unwrap();
    assert_eq!(
        (s.status, s.code.as_str(), s.message.as_str()),
        (403, "Forbidden.RAM", "denied")
    );
    assert_eq!(s.request_id.as_deref(), Some("R-1"));
    assert_eq!(s.host_id.as_deref(), Some("ecs.cn-hangzhou.aliyuncs.com"));
    assert_eq!(s.recommend.as_deref(), Some("https://x/troubleshoot"));
    let d = s.access_denied_detail.as_ref().unwrap();
    assert_eq!(d.auth_action.as_deref(), Some("ecs:DescribeInstances"));
    assert_eq!(d.no_permission_type.as_deref(), Some("ImplicitDeny"));
}

#[test]
fn lower_case_error_keys_are_accepted() {
    let e = service_error(
        400,
        r#"{"code":"InvalidParameter","message":"bad","requestId":"r"}"#,
    );
    assert_eq!(e.code(), Some("InvalidParameter"));
    assert_eq!(e.request_id(), Some("r"));
}

#[test]
fn dry_run_operation_becomes_dry_run_passed() {
    let body = r#"{"RequestId":"R-2","Code":"DryRunOperation","Message":"Request validation has been passed with DryRun flag set."}"#;
    let e = service_error(400, body);
    assert!(e.is_dry_run_passed());
    assert_eq!(e.request_id(), Some("R-2"));
}

#[test]
fn non_json_error_page_is_an_unexpected_response() {
    let e = service_error(502, "<html><body>Bad Gateway</body></html>");
    match &e {
        Error::UnexpectedResponse { snippet, .. } => assert!(snippet.contains("Bad Gateway")),
        other => panic!("expected UnexpectedResponse, got {other}"),
    }
    assert_eq!(e.status(), Some(502));
    assert!(e.is_retryable());
}

#[test]
fn signature_mismatch_keeps_both_strings_without_the_token_or_signature() {
    let body = r#"{"Code":"SignatureDoesNotMatch","Message":"Specified signature is not matched with our calculation. server string to sign is:POST&%2F&SecurityToken%3Dtok%252F1%26Signature%3Dsig%252B"}"#;
    let e = answer::error_answer(
        context(400),
        raw(400, body),
        &signed("POST&%2F&SecurityToken%3Dtok%252F1%26X"),
        Some("tok/1"),
    );
    let m = e
        .service_error()
        .unwrap()
        .signature_mismatch
        .clone()
        .unwrap();
    assert_eq!(
        m.server_string_to_sign,
        "POST&%2F&SecurityToken%3D<redacted>%26Signature%3D<redacted>"
    );
    assert_eq!(
        m.client_string_to_sign,
        "POST&%2F&SecurityToken%3D<redacted>%26X"
    );
    let shown = format!("{e} {e:?}");
    assert!(
        !shown.contains("tok%252F1") && !shown.contains("sig%252B"),
        "{shown}"
    );
}

#[test]
fn retry_after_is_read_from_the_header() {
    let mut r = raw(429, r#"{"Code":"Throttling.User","Message":"slow down"}"#);
    r.retry_after = Some(Duration::from_millis(1500));
    let e = answer::error_answer(context(429), r, &signed(""), None);
    assert_eq!(e.retry_after(), Some(Duration::from_millis(1500)));
    assert!(e.is_throttling() && e.is_retryable());
}

#[test]
fn retry_after_is_read_from_the_error_document_when_the_header_is_absent() {
    for field in [r#""RetryAfter":2500"#, r#""retryAfter":"2500""#] {
        let body = format!(r#"{{"Code":"Throttling","Message":"m",{field}}}"#);
        let e = service_error(400, &body);
        assert_eq!(
            e.retry_after(),
            Some(Duration::from_millis(2500)),
            "{field}"
        );
    }
}

#[test]
fn a_huge_service_message_is_capped() {
    let body = serde_json::json!({"Code": "InternalError", "Message": "m".repeat(1 << 20)});
    let e = service_error(500, &body.to_string());
    let chars = e.service_error().unwrap().message.chars().count();
    assert_eq!(chars, crate::error::MESSAGE_CHARS + 1);
    assert!(e.to_string().len() < 2 * crate::error::MESSAGE_CHARS);
}

#[test]
fn client_debug_shows_no_secret() {
    let c = Client::builder()
        .region("cn-hangzhou")
        .api(&API)
        .credentials(Credentials::sts("AKID", "the-secret", "the-token"))
        .build()
        .unwrap();
    let shown = format!("{c:?}");
    assert!(shown.contains("cn-hangzhou"));
    assert!(
        !shown.contains("the-secret") && !shown.contains("the-token"),
        "{shown}"
    );
}

fn assert_send<T: Send>(_: &T) {}
fn assert_traits<T: Send + Sync + Clone + fmt::Debug + 'static>() {}

#[test]
fn client_is_send_sync_clone_and_its_call_future_is_send() {
    assert_traits::<Client>();
    let c = client(Some("r"));
    let req = RequiredRegion::default();
    let opts = CallOptions::new();
    assert_send(&c.call(&req));
    assert_send(&c.call_with(&req, &opts));
    assert_send(&c.call_action("DescribeRegions", [("A", "b")]));
}

#[test]
fn builder_rejects_an_invalid_region() {
    let e = Client::builder().region("cn hangzhou").build().unwrap_err();
    assert!(
        matches!(e, Error::Config { .. }) && e.to_string().contains("cn hangzhou"),
        "{e}"
    );
}

#[test]
fn builder_rejects_an_invalid_endpoint() {
    let e = Client::builder().endpoint("ftp://x").build().unwrap_err();
    assert!(e.to_string().contains("ftp://x"), "{e}");
}

#[test]
fn builder_needs_a_region_or_an_endpoint() {
    let e = Client::builder().build().unwrap_err();
    assert!(e.to_string().contains("region"), "{e}");
}

#[test]
fn builder_rejects_zero_timeouts() {
    let e = Client::builder()
        .region("cn-hangzhou")
        .api(&API)
        .read_timeout(Duration::ZERO)
        .build()
        .unwrap_err();
    assert!(e.to_string().contains("ClientBuilder::read_timeout"), "{e}");
}

#[test]
fn builder_takes_region_and_endpoint_from_the_environment() {
    let env = crate::Environment::empty()
        .with_var("ALIBABA_CLOUD_REGION_ID", "cn-shenzhen")
        .with_var("ALIBABA_CLOUD_ECS_ENDPOINT", "http://127.0.0.1:9");
    let c = Client::builder().environment(env).build().unwrap();
    assert_eq!(c.region(), Some("cn-shenzhen"));
    assert_eq!(c.endpoint().to_string(), "http://127.0.0.1:9");
}

#[test]
fn explicit_settings_win_over_the_environment() {
    let env = crate::Environment::empty()
        .with_var("ALIBABA_CLOUD_REGION_ID", "cn-shenzhen")
        .with_var("ALIBABA_CLOUD_ECS_ENDPOINT", "http://127.0.0.1:9");
    let c = Client::builder()
        .environment(env)
        .region("cn-beijing")
        .endpoint("http://127.0.0.1:10")
        .build()
        .unwrap();
    assert_eq!(c.region(), Some("cn-beijing"));
    assert_eq!(c.endpoint().to_string(), "http://127.0.0.1:10");
}

#[test]
fn builder_uses_the_api_endpoint_table_and_network() {
    let c = Client::builder()
        .region("cn-hangzhou")
        .api(&API)
        .build()
        .unwrap();
    assert_eq!(c.endpoint().authority(), "ecs-cn-hangzhou.aliyuncs.com");
    let c = Client::builder()
        .region("cn-hangzhou")
        .api(&API)
        .network(crate::Network::Vpc)
        .build()
        .unwrap();
    assert_eq!(c.endpoint().authority(), "ecs-vpc.cn-hangzhou.aliyuncs.com");
}

#[test]
fn a_region_without_an_api_or_endpoint_is_a_config_error() {
    let e = Client::builder().region("cn-hangzhou").build().unwrap_err();
    assert!(matches!(e, Error::Config { .. }), "{e}");
    let text = e.to_string();
    assert!(
        text.contains("cn-hangzhou") && text.contains("ClientBuilder::api"),
        "{text}"
    );
}

#[test]
fn a_config_value_makes_the_client() {
    let conf = Client::builder()
        .region("cn-beijing")
        .api(&API)
        .credentials(Credentials::new("id", "secret"))
        .build_config()
        .unwrap();
    assert_eq!(conf.region(), Some("cn-beijing"));
    assert!(!format!("{conf:?}").contains("secret"));
    let c = Client::from_conf(conf);
    assert_eq!(c.endpoint().authority(), "ecs.cn-beijing.aliyuncs.com");
}

#[tokio::test]
async fn an_untyped_call_without_an_api_says_it_has_no_version() {
    let e = client(None)
        .call_action("DescribeRegions", [("A", "b")])
        .await
        .unwrap_err();
    assert!(matches!(e, Error::InvalidInput { .. }), "{e}");
    assert!(e.to_string().contains("no API version"), "{e}");
}

#[test]
fn user_agent_names_the_crate_version_and_the_user_suffix() {
    let ua = crate::config::user_agent(Some("my-app/1.2"));
    assert!(ua.starts_with("AlibabaCloud ("), "{ua}");
    assert!(
        ua.contains(&format!("ecs-core/{}", env!("CARGO_PKG_VERSION"))),
        "{ua}"
    );
    assert!(ua.ends_with(" my-app/1.2"), "{ua}");
}

#[test]
fn a_user_agent_with_a_newline_is_a_config_error() {
    let e = Client::builder()
        .region("cn-hangzhou")
        .api(&API)
        .user_agent("evil\r\nX-Injected: 1")
        .build()
        .unwrap_err();
    assert!(matches!(e, Error::Config { .. }), "{e}");
    assert!(e.to_string().contains("control character"), "{e}");
}

static OPERATIONS: [OperationInfo; 1] = [info(RegionParam::Required, true, false)];

static API: crate::ApiInfo = crate::ApiInfo {
    version: "2014-05-26",
    endpoint_template: "ecs{network}.{region}.aliyuncs.com",
    endpoints: &[("cn-hangzhou", "ecs-cn-hangzhou.aliyuncs.com")],
    operations: &OPERATIONS,
};

fn regional(endpoint: Option<&str>) -> Client {
    let mut b = Client::builder()
        .region("cn-hangzhou")
        .api(&API)
        .credentials(Credentials::new("id", "secret"));
    if let Some(e) = endpoint {
        b = b.endpoint(e);
    }
    b.build().unwrap()
}

#[test]
fn with_region_resolves_the_endpoint_of_the_new_region() {
    let client = regional(None);
    let beijing = client.with_region("cn-beijing").unwrap();
    assert_eq!(beijing.region(), Some("cn-beijing"));
    assert_eq!(
        beijing.endpoint().authority(),
        "ecs.cn-beijing.aliyuncs.com"
    );
    assert_eq!(
        client.endpoint().authority(),
        "ecs-cn-hangzhou.aliyuncs.com"
    );
    let back = beijing.with_region("cn-hangzhou").unwrap();
    assert_eq!(back.endpoint().authority(), "ecs-cn-hangzhou.aliyuncs.com");
}

#[test]
fn with_region_keeps_an_explicit_endpoint() {
    let client = regional(Some("http://127.0.0.1:9"));
    let other = client.with_region("eu-central-1").unwrap();
    assert_eq!(other.endpoint().authority(), "127.0.0.1:9");
    assert_eq!(other.region(), Some("eu-central-1"));
}

#[test]
fn with_region_refuses_an_invalid_region() {
    let err = regional(None).with_region("cn/../x").unwrap_err();
    assert!(err.to_string().contains("cn/../x"), "{err}");
}

#[tokio::test]
async fn with_region_shares_the_credentials_cache() {
    let client = regional(None);
    let other = client.with_region("cn-beijing").unwrap();
    assert!(Arc::ptr_eq(
        &client.inner.credentials,
        &other.inner.credentials
    ));
    assert_eq!(other.credentials().await.unwrap().access_key_id(), "id");
}
