//! The calls measured, both ways: the SDK's typed call, through the public
//! API only, and the baseline, the same call written by hand with reqwest
//! alone.

use ecs_api::describe_instances::DescribeInstancesRequest;
use ecs_api::describe_regions::DescribeRegionsRequest;

/// Instances in a `DescribeInstances` page.
pub const INSTANCES: usize = 100;

/// An SDK client for the local server at `endpoint`.
pub fn sdk_client(endpoint: &str) -> ecs_api::Client {
    ecs_api::Client::builder()
        .endpoint(endpoint)
        .region("cn-hangzhou")
        .credentials(ecs_core::Credentials::new(
            "test-access-key-id",
            "test-secret",
        ))
        .build()
        .expect("SDK client")
        .into()
}

/// A typed `DescribeRegions`; how many regions it decoded.
pub async fn describe_regions(client: &ecs_api::Client) -> usize {
    let answer = client
        .describe_regions(DescribeRegionsRequest::new())
        .await
        .expect("DescribeRegions");
    answer.regions.len()
}

/// A typed `DescribeInstances` of a page of [`INSTANCES`]; how many it decoded.
pub async fn describe_instances(client: &ecs_api::Client) -> usize {
    let request = DescribeInstancesRequest {
        max_results: Some(INSTANCES as i32),
        ..DescribeInstancesRequest::new()
    };
    let answer = client
        .describe_instances(request)
        .await
        .expect("DescribeInstances");
    answer.instances.len()
}

/// The baseline: a POST of a query with the parameters an SDK call carries
/// (common parameters, `RegionId`, the operation's own, a signature), built
/// once, with the `x-acs-action`/`x-acs-version` headers; the answer read
/// as text.
pub struct Raw {
    http: reqwest::Client,
    url: String,
    action: &'static str,
}

impl Raw {
    pub fn describe_regions(endpoint: &str) -> Raw {
        Raw::new(endpoint, "DescribeRegions", "")
    }

    pub fn describe_instances(endpoint: &str) -> Raw {
        Raw::new(
            endpoint,
            "DescribeInstances",
            &format!("&MaxResults={INSTANCES}"),
        )
    }

    /// `params`: the operation's own, encoded, each as `&Name=value`.
    fn new(endpoint: &str, action: &'static str, params: &str) -> Raw {
        let url = format!(
            "{endpoint}/?Action={action}&Format=JSON&Version=2014-05-26\
             &AccessKeyId=test-access-key-id&SignatureMethod=HMAC-SHA1&SignatureVersion=1.0\
             &SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf\
             &Timestamp=2024-05-28T08%3A00%3A00Z&RegionId=cn-hangzhou{params}\
             &Signature=OLeaidS1JvxuMvnyHOwuJ%2BuX5qY%3D"
        );
        Raw {
            http: reqwest::Client::new(),
            url,
            action,
        }
    }

    /// One call; the body as text.
    pub async fn text(&self) -> String {
        let response = self
            .http
            .post(&self.url)
            .header("x-acs-action", self.action)
            .header("x-acs-version", "2014-05-26")
            .send()
            .await
            .expect("raw call");
        assert!(response.status().is_success(), "{}", response.status());
        response.text().await.expect("raw body")
    }
}
