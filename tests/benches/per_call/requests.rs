//! A request with nested lists, for the request-building figures.

use ecs_api::run_instances::{DataDisk, RunInstancesRequest, Tag};

/// A `RunInstances` of 10 instances with 5 tags (values with characters
/// that are percent-encoded) and 4 data disks.
pub fn run_instances() -> RunInstancesRequest {
    RunInstancesRequest {
        image_id: Some("aliyun_3_x64_20G_alibase_20240528.vhd".into()),
        instance_type: Some("ecs.g7.large".into()),
        security_group_ids: vec!["sg-1".into(), "sg-2".into()],
        amount: Some(10),
        tag: (1..=5)
            .map(|i| Tag {
                key: Some(format!("key{i}")),
                value: Some(format!("value {i}*~")),
            })
            .collect(),
        data_disk: (0..4)
            .map(|i| DataDisk {
                size: Some(40 + i),
                category: Some("cloud_essd".into()),
                ..DataDisk::new()
            })
            .collect(),
        ..RunInstancesRequest::new()
    }
}
