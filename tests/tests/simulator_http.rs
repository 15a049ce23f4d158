//! The simulator over HTTP: both signatures from a real client, parameters
//! in the query and in a form body, the service's error bodies, XML when
//! asked, injected faults at the connection, and many clients at once.

mod simulator_support;

use ecs_api::describe_instances::{DescribeInstancesRequest, Tag};
use ecs_api::describe_regions::DescribeRegionsRequest;
use ecs_core::SignatureVersion;
use ecs_simulator::simulator::ACCESS_KEY_ID;
use ecs_simulator::{Fault, FaultSettings, Simulator};
use simulator_support::{common, encode, post, send_raw, send_signed, sign, signed};
use std::time::Duration;

fn tagged(value: &str) -> DescribeInstancesRequest {
    DescribeInstancesRequest {
        tag: vec![Tag {
            key: Some("team".into()),
            value: Some(value.into()),
            ..Tag::new()
        }],
        ..DescribeInstancesRequest::new()
    }
}

/// DescribeRegions from a client of `sim` that signs with `version` and
/// `credentials`.
async fn regions_as(
    sim: &Simulator,
    version: SignatureVersion,
    credentials: ecs_core::Credentials,
) -> Result<(), ecs_core::Error> {
    let client: ecs_api::Client = sim
        .builder()
        .signature_version(version)
        .credentials(credentials)
        .build()
        .unwrap()
        .into();
    client
        .describe_regions(DescribeRegionsRequest::new())
        .await
        .map(drop)
}

#[tokio::test]
async fn the_typed_client_is_answered_with_hmac_sha1() {
    let sim = Simulator::start().await;
    let response = sim
        .client()
        .describe_instances(tagged("web tier*~+/"))
        .await
        .unwrap();
    assert!(response.request_id.is_some());
    assert_eq!(
        sim.requests()[0].param("SignatureMethod").as_deref(),
        Some("HMAC-SHA1")
    );
}

#[tokio::test]
async fn the_typed_client_is_answered_with_acs3_hmac_sha256() {
    let sim = Simulator::start().await;
    let client: ecs_api::Client = sim
        .builder()
        .signature_version(SignatureVersion::V3)
        .build()
        .unwrap()
        .into();
    let response = client
        .describe_instances(tagged("web tier*~+/"))
        .await
        .unwrap();
    assert!(response.request_id.is_some());
    let received = &sim.requests()[0];
    assert!(received
        .header("authorization")
        .is_some_and(|a| a.starts_with("ACS3-HMAC-SHA256 Credential=ecs-simulator-key,")));
    assert_eq!(received.param("Signature"), None);
}

#[tokio::test]
async fn a_wrong_secret_is_refused_in_v3_too() {
    let sim = Simulator::start().await;
    let wrong = ecs_core::Credentials::new(ACCESS_KEY_ID, "not-the-secret");
    let err = regions_as(&sim, SignatureVersion::V3, wrong)
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("SignatureDoesNotMatch"), "{err}");
}

#[tokio::test]
async fn sts_credentials_are_accepted_with_their_token_in_both_modes() {
    let sim = Simulator::configure()
        .sts_access_key("STS.key", "sts-secret", "sts-token")
        .start()
        .await
        .unwrap();
    for version in [SignatureVersion::RpcV1, SignatureVersion::V3] {
        let right = ecs_core::Credentials::sts("STS.key", "sts-secret", "sts-token");
        regions_as(&sim, version, right)
            .await
            .unwrap_or_else(|e| panic!("{version:?}: {e}"));
        let wrong = ecs_core::Credentials::sts("STS.key", "sts-secret", "other");
        let err = regions_as(&sim, version, wrong).await.unwrap_err();
        assert_eq!(
            err.code(),
            Some("InvalidSecurityToken.MismatchWithAccessKey"),
            "{version:?}: {err}"
        );
    }
}

#[tokio::test]
async fn parameters_in_a_form_body_are_signed_and_read_with_the_query() {
    let sim = Simulator::start().await;
    let mut query = common("DescribeInstances");
    let form: Vec<(String, String)> = [
        ("RegionId", "cn-hangzhou"),
        ("Tag.1.Key", "team"),
        ("Tag.1.Value", "web tier"),
    ]
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .to_vec();
    let all: Vec<_> = query.iter().chain(&form).cloned().collect();
    query.push(("Signature".into(), sign("POST", &all)));
    // The form body writes the space as `+`, as HTML forms do.
    let body = encode(&form).replace("%20", "+");
    let response = send_raw(sim.addr(), &post(&encode(&query), Some(&body)))
        .await
        .unwrap();
    assert_eq!(response.status, 200, "{}", response.body);
}

#[tokio::test]
async fn a_form_body_parameter_left_out_of_the_signature_is_refused() {
    let sim = Simulator::start().await;
    let query = signed(common("DescribeRegions"));
    let response = send_raw(sim.addr(), &post(&query, Some("RegionId=cn-hangzhou")))
        .await
        .unwrap();
    assert_eq!(response.code().as_deref(), Some("SignatureDoesNotMatch"));
}

#[tokio::test]
async fn a_plus_in_the_query_is_a_space() {
    let sim = Simulator::start().await;
    let mut params = common("DescribeInstances");
    params.push(("RegionId".into(), "cn-hangzhou".into()));
    params.push(("Tag.1.Key".into(), "team".into()));
    params.push(("Tag.1.Value".into(), "web tier".into()));
    params.push(("Signature".into(), sign("POST", &params)));
    let query = encode(&params).replace("web%20tier", "web+tier");
    assert!(query.contains("web+tier"));
    let response = send_raw(sim.addr(), &post(&query, None)).await.unwrap();
    assert_eq!(response.status, 200, "{}", response.body);
}

#[tokio::test]
async fn an_unknown_key_gets_the_services_404_error_body() {
    let sim = Simulator::start().await;
    let stranger = ecs_core::Credentials::new("someone-else", "x");
    let err = regions_as(&sim, SignatureVersion::RpcV1, stranger)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404), "{err}");
    assert_eq!(err.code(), Some("InvalidAccessKeyId.NotFound"), "{err}");
    assert!(err.request_id().is_some_and(|id| id.len() == 36), "{err}");
}

#[tokio::test]
async fn a_missing_common_parameter_is_named() {
    let sim = Simulator::start().await;
    let mut params = common("DescribeRegions");
    params.retain(|(k, _)| k != "Timestamp");
    let response = send_signed(sim.addr(), params).await.unwrap();
    assert_eq!(response.status, 400);
    assert_eq!(response.code().as_deref(), Some("MissingParameter"));
    response.assert_has("\\\"Timestamp\\\"");
}

#[tokio::test]
async fn another_path_is_not_an_action() {
    let sim = Simulator::start().await;
    let response = send_raw(
        sim.addr(),
        b"GET /instances?Format=JSON HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
    )
    .await
    .unwrap();
    assert_eq!(response.status, 404);
    assert_eq!(response.code().as_deref(), Some("InvalidAction.NotFound"));
}

#[tokio::test]
async fn an_rpc_request_without_format_is_answered_in_xml() {
    let sim = Simulator::start().await;
    let mut params = common("DescribeRegions");
    params.retain(|(k, _)| k != "Format");
    let response = send_signed(sim.addr(), params).await.unwrap();
    assert_eq!(response.status, 200, "{}", response.body);
    assert!(response
        .header("content-type")
        .unwrap()
        .starts_with("text/xml"));
    assert!(
        response
            .body
            .starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?><DescribeRegionsResponse>"),
        "{}",
        response.body
    );
    response.assert_has("<Regions><Region>");
}

#[tokio::test]
async fn an_xml_error_is_rooted_at_error() {
    let sim = Simulator::start().await;
    let mut params = common("DescribeRegions");
    params[2].1 = "XML".into();
    params.push(("Signature".into(), "wrong".into()));
    let response = send_raw(sim.addr(), &post(&encode(&params), None))
        .await
        .unwrap();
    assert_eq!(response.status, 400);
    response.assert_has("<Error>");
    response.assert_has("<Code>SignatureDoesNotMatch</Code>");
}

#[tokio::test]
async fn an_injected_reset_closes_the_connection_with_rst() {
    let sim = Simulator::start().await;
    sim.inject(Fault::ConnectionReset);
    let params = common("DescribeRegions");
    let err = send_signed(sim.addr(), params).await.unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::ConnectionReset, "{err}");
}

#[tokio::test]
async fn sixty_four_clients_are_served_at_once() {
    // Each answer takes 2 s; 64 calls in a row would take over two minutes,
    // so every call finishing within its 20 s timeout shows they overlap.
    let sim = Simulator::configure()
        .faults(FaultSettings {
            latency: Duration::from_secs(2),
            ..FaultSettings::default()
        })
        .start()
        .await
        .unwrap();
    let calls = (0..64).map(|_| {
        let client: ecs_api::Client = sim
            .builder()
            .operation_timeout(Duration::from_secs(20))
            .read_timeout(Duration::from_secs(20))
            .retry_policy(ecs_core::RetryPolicy::disabled())
            .build()
            .unwrap()
            .into();
        tokio::spawn(async move {
            client
                .describe_regions(DescribeRegionsRequest::new())
                .await
                .map(|r| r.request_id)
        })
    });
    let mut ids = std::collections::HashSet::new();
    for call in calls.collect::<Vec<_>>() {
        let id = call.await.unwrap().unwrap();
        ids.insert(id);
    }
    assert_eq!(ids.len(), 64, "64 answers, each its own RequestId");
    assert_eq!(sim.requests().len(), 64);
}
