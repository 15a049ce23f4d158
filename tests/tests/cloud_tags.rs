//! Tags in the stateful simulator, through the typed client over HTTP:
//! `TagResources`, `UntagResources`, `ListTagResources`, and the tag
//! filters of the Describe calls.

#[path = "cloud_support/mod.rs"]
mod support;

use ecs_api::list_tag_resources::{ListTagResourcesRequest, TagFilter};
use ecs_api::tag_resources::{Tag, TagResourcesRequest};
use serde_json::json;
use support::{assert_code, hangzhou, Lab};

async fn lab() -> Lab {
    Lab::seeded(hangzhou(json!({
        "Instances": [{"InstanceId": "i-a"}, {"InstanceId": "i-b"}],
        "Disks": [{"DiskId": "d-a", "Size": 40}],
    })))
    .await
}

fn tag(key: &str, value: &str) -> Tag {
    Tag {
        key: Some(key.into()),
        value: Some(value.into()),
    }
}

async fn listed(lab: &Lab, request: ListTagResourcesRequest) -> Vec<(String, String, String)> {
    lab.client
        .list_tag_resources(request)
        .await
        .expect("ListTagResources")
        .tag_resources
        .into_iter()
        .map(|t| {
            (
                t.resource_id.unwrap_or_default(),
                t.tag_key.unwrap_or_default(),
                t.tag_value.unwrap_or_default(),
            )
        })
        .collect()
}

fn triple(id: &str, key: &str, value: &str) -> (String, String, String) {
    (id.into(), key.into(), value.into())
}

#[tokio::test]
async fn tagged_resources_are_listed_by_type_and_untagging_removes_the_keys() {
    let lab = lab().await;
    lab.client
        .tag_resources(TagResourcesRequest::new(
            "instance",
            vec!["i-a".into(), "i-b".into()],
            vec![tag("team", "web")],
        ))
        .await
        .unwrap();
    lab.client
        .tag_resources(TagResourcesRequest::new(
            "disk",
            vec!["d-a".into()],
            vec![tag("team", "db")],
        ))
        .await
        .unwrap();
    let mut instances = listed(&lab, ListTagResourcesRequest::new("instance")).await;
    instances.sort();
    assert_eq!(
        instances,
        [triple("i-a", "team", "web"), triple("i-b", "team", "web")]
    );
    assert_eq!(
        listed(&lab, ListTagResourcesRequest::new("disk")).await,
        [triple("d-a", "team", "db")]
    );

    lab.client
        .untag_resources(ecs_api::untag_resources::UntagResourcesRequest {
            tag_key: vec!["team".into()],
            ..ecs_api::untag_resources::UntagResourcesRequest::new("instance", vec!["i-a".into()])
        })
        .await
        .unwrap();
    assert_eq!(
        listed(&lab, ListTagResourcesRequest::new("instance")).await,
        [triple("i-b", "team", "web")]
    );
}

#[tokio::test]
async fn tagging_a_key_again_replaces_its_value() {
    let lab = lab().await;
    for value in ["web", "api"] {
        lab.client
            .tag_resources(TagResourcesRequest::new(
                "instance",
                vec!["i-a".into()],
                vec![tag("team", value)],
            ))
            .await
            .unwrap();
    }
    assert_eq!(
        listed(
            &lab,
            ListTagResourcesRequest {
                resource_id: vec!["i-a".into()],
                ..ListTagResourcesRequest::new("instance")
            }
        )
        .await,
        [triple("i-a", "team", "api")]
    );
}

#[tokio::test]
async fn list_tag_resources_filters_by_tag_and_by_key_with_values() {
    let lab = lab().await;
    lab.client
        .tag_resources(TagResourcesRequest::new(
            "instance",
            vec!["i-a".into()],
            vec![tag("env", "prod")],
        ))
        .await
        .unwrap();
    lab.client
        .tag_resources(TagResourcesRequest::new(
            "instance",
            vec!["i-b".into()],
            vec![tag("env", "dev")],
        ))
        .await
        .unwrap();
    let by_value = listed(
        &lab,
        ListTagResourcesRequest {
            tag_filter: vec![TagFilter {
                tag_key: Some("env".into()),
                tag_values: vec!["dev".into(), "test".into()],
            }],
            ..ListTagResourcesRequest::new("instance")
        },
    )
    .await;
    assert_eq!(by_value, [triple("i-b", "env", "dev")]);
}

#[tokio::test]
async fn more_than_twenty_tags_on_a_resource_are_refused_and_none_added() {
    let lab = lab().await;
    let many: Vec<Tag> = (0..21).map(|i| tag(&format!("k{i}"), "v")).collect();
    let err = lab
        .client
        .tag_resources(TagResourcesRequest::new(
            "instance",
            vec!["i-a".into()],
            many,
        ))
        .await
        .unwrap_err();
    assert_code(&err, "TagResources", "OperationDenied.QuotaExceed");
    assert!(listed(&lab, ListTagResourcesRequest::new("instance"))
        .await
        .is_empty());
}

#[tokio::test]
async fn tagging_a_resource_that_does_not_exist_is_refused_and_tags_nothing() {
    let lab = lab().await;
    let err = lab
        .client
        .tag_resources(TagResourcesRequest::new(
            "instance",
            vec!["i-a".into(), "i-gone".into()],
            vec![tag("team", "web")],
        ))
        .await
        .unwrap_err();
    assert_code(&err, "TagResources", "InvalidResourceId.NotFound");
    assert!(err.to_string().contains("i-gone"), "{err}");
    assert!(listed(&lab, ListTagResourcesRequest::new("instance"))
        .await
        .is_empty());
}

#[tokio::test]
async fn a_reserved_tag_key_is_refused() {
    let lab = lab().await;
    let err = lab
        .client
        .tag_resources(TagResourcesRequest::new(
            "instance",
            vec!["i-a".into()],
            vec![tag("acs:owner", "me")],
        ))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("InvalidTagKey.Malformed"), "{err}");
}

#[tokio::test]
async fn describe_disks_filters_by_tag_as_describe_instances_does() {
    let lab = lab().await;
    lab.client
        .tag_resources(TagResourcesRequest::new(
            "disk",
            vec!["d-a".into()],
            vec![tag("backup", "daily")],
        ))
        .await
        .unwrap();
    let tagged = lab
        .client
        .describe_disks(ecs_api::describe_disks::DescribeDisksRequest {
            tag: vec![ecs_api::describe_disks::Tag {
                key: Some("backup".into()),
                ..Default::default()
            }],
            ..Default::default()
        })
        .await
        .unwrap()
        .disks;
    assert_eq!(tagged.len(), 1);
    assert_eq!(tagged[0].disk_id.as_deref(), Some("d-a"));
    assert_eq!(tagged[0].tags[0].tag_value.as_deref(), Some("daily"));
}
