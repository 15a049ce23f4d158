//! Hand-written operations and a client wired to the local test server.
#![allow(dead_code)]

use ecs_core::{
    ApiInfo, Client, ClientBuilder, Credentials, Error, HasRequestId, Operation, OperationInfo,
    RegionParam, RetryPolicy, TimeoutKind,
};
use serde::{Deserialize, Serialize};
use std::time::Duration;

pub const ACCESS_KEY_ID: &str = "test-access-key-id";
pub const SECRET: &str = "test-secret-never-shown";

const fn info(name: &'static str, read_only: bool, client_token: bool) -> OperationInfo {
    OperationInfo {
        name,
        version: "2014-05-26",
        group: "test",
        deprecated: false,
        read_only,
        client_token,
        region_id: RegionParam::Required,
        enabled: true,
    }
}

#[derive(Debug, Default, Deserialize, PartialEq)]
pub struct Regions {
    #[serde(rename = "RequestId", default)]
    pub request_id: String,
    #[serde(rename = "Regions", default)]
    pub regions: serde_json::Value,
}

impl HasRequestId for Regions {
    fn request_id(&self) -> Option<&str> {
        Some(&self.request_id)
    }
}

/// A read-only operation.
#[derive(Debug, Default, Serialize)]
pub struct DescribeRegions {
    #[serde(rename = "AcceptLanguage", skip_serializing_if = "Option::is_none")]
    pub accept_language: Option<String>,
}

impl Operation for DescribeRegions {
    type Output = Regions;
    const INFO: OperationInfo = info("DescribeRegions", true, false);
}

#[derive(Debug, Default, Deserialize)]
pub struct Started {
    #[serde(rename = "RequestId", default)]
    pub request_id: String,
}

impl HasRequestId for Started {
    fn request_id(&self) -> Option<&str> {
        Some(&self.request_id)
    }
}

/// A mutating operation without a `ClientToken` parameter.
#[derive(Debug, Default, Serialize)]
pub struct StartInstance {
    #[serde(rename = "InstanceId")]
    pub instance_id: String,
}

impl Operation for StartInstance {
    type Output = Started;
    const INFO: OperationInfo = info("StartInstance", false, false);
}

/// A mutating operation that takes a `ClientToken`.
#[derive(Debug, Default, Serialize)]
pub struct RunInstances {
    #[serde(rename = "ImageId")]
    pub image_id: String,
    #[serde(rename = "ClientToken", skip_serializing_if = "Option::is_none")]
    pub client_token: Option<String>,
    #[serde(rename = "DryRun", skip_serializing_if = "Option::is_none")]
    pub dry_run: Option<bool>,
    #[serde(rename = "Tag", skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}

#[derive(Debug, Default, Serialize)]
pub struct Tag {
    #[serde(rename = "Key")]
    pub key: String,
    #[serde(rename = "Value")]
    pub value: String,
}

impl Operation for RunInstances {
    type Output = Started;
    const INFO: OperationInfo = info("RunInstances", false, true);
}

/// The operations above as an API, as a generated crate declares one:
/// the client's version, endpoint table and template, and what untyped
/// calls look actions up in.
pub static API: ApiInfo = ApiInfo {
    version: "2014-05-26",
    endpoint_template: "ecs{network}.{region}.aliyuncs.com",
    endpoints: &[
        ("cn-hangzhou", "ecs-cn-hangzhou.aliyuncs.com"),
        ("cn-beijing", "ecs.cn-beijing.aliyuncs.com"),
    ],
    operations: &OPERATIONS,
};

static OPERATIONS: [OperationInfo; 3] = [
    DescribeRegions::INFO,
    RunInstances::INFO,
    StartInstance::INFO,
];

/// Fast retries so tests stay quick.
pub fn fast_retry() -> RetryPolicy {
    RetryPolicy::default()
        .with_base_delay(Duration::from_millis(5))
        .with_max_delay(Duration::from_millis(50))
}

/// A client for `url` with static test credentials and fast retries.
pub fn builder(url: &str) -> ClientBuilder {
    Client::builder()
        .api(&API)
        .endpoint(url)
        .region("cn-hangzhou")
        .credentials(Credentials::new(ACCESS_KEY_ID, SECRET))
        .retry_policy(fast_retry())
}

pub fn client(url: &str) -> Client {
    builder(url).build().expect("client")
}

/// The error of one DescribeRegions attempt to `url`, retries off.
pub async fn single_attempt_error(url: &str) -> Error {
    builder(url)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .expect("client")
        .call(&DescribeRegions::default())
        .await
        .expect_err("the call fails")
}

/// The error of a DescribeRegions call with `client`, which must be a
/// timeout of `kind`.
pub async fn timeout_of(client: &Client, kind: TimeoutKind) -> Error {
    let e = client
        .call(&DescribeRegions::default())
        .await
        .expect_err("the call times out");
    assert!(
        matches!(&e, Error::Timeout { kind: k, .. } if *k == kind),
        "{e}"
    );
    e
}

/// An address nothing listens on (very likely): a port bound, then freed.
pub fn closed_port() -> std::net::SocketAddr {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("bind 127.0.0.1")
}
