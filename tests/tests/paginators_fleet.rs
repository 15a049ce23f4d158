//! Generated paginators against the stateful simulator over HTTP, through
//! the typed client: 250 instances listed by token (`DescribeInstances`)
//! and by page number (`DescribeInstanceAutoRenewAttribute`,
//! `DescribeInstanceStatus`), every one once, at several page sizes.

use ecs_api::describe_instance_auto_renew_attribute::DescribeInstanceAutoRenewAttributeRequest;
use ecs_api::describe_instance_status::DescribeInstanceStatusRequest;
use ecs_api::describe_instances::DescribeInstancesRequest;
use ecs_api::ecs_core::paginator::{Paginated, Paginator, Paging, PagingError};
use ecs_api::Error;
use ecs_simulator::cloud::{Cloud, Settings};
use ecs_simulator::simulator::Simulator;
use ecs_simulator::RecordedRequest;
use serde_json::json;
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

const FLEET: usize = 250;

/// 250 settled instances in cn-hangzhou, subscription (`PrePaid`) ones
/// when `prepaid`.
async fn fleet(prepaid: bool) -> Simulator {
    let mut instances = json!({"Count": FLEET, "ZoneId": "cn-hangzhou-h",
        "ImageId": "aliyun_3_x64_20G_alibase_20240819.vhd", "InstanceType": "ecs.g7.large"});
    if prepaid {
        instances["InstanceChargeType"] = json!("PrePaid");
        instances["Period"] = json!(1);
    }
    let cloud = Cloud::with_settings(Settings {
        transition: Duration::ZERO,
        ..Settings::default()
    });
    cloud
        .seed(&json!({"Regions": [{"RegionId": "cn-hangzhou", "Instances": [instances]}]}))
        .expect("the fleet seeds");
    Simulator::start_with_cloud(Arc::new(cloud)).await
}

fn unique(ids: impl IntoIterator<Item = Option<String>>) -> (usize, usize) {
    let ids: Vec<String> = ids.into_iter().map(|id| id.expect("an id")).collect();
    let set: HashSet<&String> = ids.iter().collect();
    (ids.len(), set.len())
}

/// Reads every item of `paginator` at `size` a page, checks that each of
/// the fleet's instances came once (by `id`), and gives the requests it
/// sent (those after the first `before`, which it moves on).
async fn every_instance_once<Op: Paginated>(
    sim: &Simulator,
    paginator: Paginator<Op>,
    size: u32,
    id: fn(Op::Item) -> Option<String>,
    before: &mut usize,
) -> Vec<RecordedRequest> {
    let items = paginator
        .page_size(size)
        .collect_items()
        .await
        .expect("every page");
    assert_eq!(
        unique(items.into_iter().map(id)),
        (FLEET, FLEET),
        "page size {size}"
    );
    let requests = sim.requests()[*before..].to_vec();
    *before += requests.len();
    let size_param = Op::PAGING.size_param().expect("a page size").param;
    assert!(
        params(&requests, size_param)
            .iter()
            .all(|s| s.as_deref() == Some(size.to_string().as_str())),
        "page size {size}"
    );
    requests
}

fn params(requests: &[RecordedRequest], name: &str) -> Vec<Option<String>> {
    requests.iter().map(|r| r.param(name)).collect()
}

#[tokio::test]
async fn describe_instances_pages_by_token_through_250_instances_once_each_at_page_sizes_1_7_and_100(
) {
    let sim = fleet(false).await;
    let client = sim.client();
    assert!(matches!(
        <DescribeInstancesRequest as Paginated>::PAGING,
        Paging::Token { .. }
    ));
    let mut before = 0;
    for size in [1u32, 7, 100] {
        let paginator = client.describe_instances_paginator(DescribeInstancesRequest::new());
        let requests =
            every_instance_once(&sim, paginator, size, |i| i.instance_id, &mut before).await;
        // ECS raises a MaxResults below 10 to 10 (the parameter's doc).
        let per_page = size.max(10) as usize;
        assert_eq!(requests.len(), FLEET.div_ceil(per_page), "page size {size}");
        let tokens = params(&requests, "NextToken");
        assert_eq!(tokens[0], None, "the first page carries no token");
        let sent: HashSet<&String> = tokens[1..].iter().flatten().collect();
        assert_eq!(
            sent.len(),
            requests.len() - 1,
            "each later page a new token"
        );
        assert!(params(&requests, "PageNumber").iter().all(Option::is_none));
    }
}

#[tokio::test]
async fn describe_instance_auto_renew_attribute_pages_by_number_through_250_instances_at_page_sizes_1_7_and_100(
) {
    let sim = fleet(true).await;
    let client = sim.client();
    assert!(matches!(
        <DescribeInstanceAutoRenewAttributeRequest as Paginated>::PAGING,
        Paging::Number { .. }
    ));
    let mut before = 0;
    for size in [1u32, 7, 100] {
        let request = DescribeInstanceAutoRenewAttributeRequest {
            renewal_status: Some("Normal".into()),
            ..DescribeInstanceAutoRenewAttributeRequest::new()
        };
        let paginator = client.describe_instance_auto_renew_attribute_paginator(request);
        let requests =
            every_instance_once(&sim, paginator, size, |i| i.instance_id, &mut before).await;
        let pages = FLEET.div_ceil(size as usize);
        let numbers: Vec<Option<String>> = (1..=pages).map(|n| Some(n.to_string())).collect();
        assert_eq!(params(&requests, "PageNumber"), numbers, "page size {size}");
    }
}

#[tokio::test]
async fn describe_instance_status_pages_by_number_up_to_its_documented_maximum_of_50() {
    let sim = fleet(false).await;
    let client = sim.client();
    let mut before = 0;
    for size in [1u32, 7, 50] {
        let paginator =
            client.describe_instance_status_paginator(DescribeInstanceStatusRequest::new());
        every_instance_once(&sim, paginator, size, |i| i.instance_id, &mut before).await;
    }
    let sent = sim.requests().len();
    let err = client
        .describe_instance_status_paginator(DescribeInstanceStatusRequest::new())
        .page_size(100)
        .collect_items()
        .await
        .expect_err("100 is above PageSize's maximum");
    let Error::Paging(paging) = err else {
        panic!("a paging error: {err}")
    };
    assert_eq!(
        paging,
        PagingError::InvalidPageSize {
            operation: "DescribeInstanceStatus",
            param: "PageSize",
            requested: 100,
            max: 50
        }
    );
    assert_eq!(sim.requests().len(), sent, "refused before sending");
}

#[tokio::test]
async fn items_stream_lazily_and_max_pages_stops_early() {
    let sim = fleet(false).await;
    let client = sim.client();
    let mut items = client
        .describe_instances_paginator(DescribeInstancesRequest::new())
        .page_size(20)
        .max_pages(2)
        .items();
    assert!(
        sim.requests().is_empty(),
        "nothing sent before the first read"
    );
    let first = items.next().await.expect("an item").expect("no error");
    assert!(first.instance_id.is_some());
    assert_eq!(sim.requests().len(), 1);
    let mut count = 1;
    while let Some(item) = items.next().await {
        item.expect("no error");
        count += 1;
    }
    assert_eq!((count, sim.requests().len()), (40, 2));
}
