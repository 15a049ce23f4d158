//! Disks, snapshots and images in the stateful simulator, through the typed
//! client over HTTP.

#[path = "cloud_support/mod.rs"]
mod support;

use ecs_api::attach_disk::AttachDiskRequest;
use ecs_api::create_disk::CreateDiskRequest;
use ecs_api::create_image::CreateImageRequest;
use ecs_api::create_snapshot::CreateSnapshotRequest;
use ecs_api::describe_disks::{DescribeDisksRequest, Disk};
use ecs_api::describe_images::{DescribeImagesRequest, Image};
use ecs_api::describe_snapshots::{DescribeSnapshotsRequest, Snapshot};
use ecs_api::detach_disk::DetachDiskRequest;
use serde_json::json;
use support::{assert_code, hangzhou, Lab};

/// A lab with two running instances in cn-hangzhou-h and one in -i.
async fn lab() -> Lab {
    Lab::seeded(hangzhou(json!({"Instances": [
        {"InstanceId": "i-web-1", "ZoneId": "cn-hangzhou-h"},
        {"InstanceId": "i-web-2", "ZoneId": "cn-hangzhou-h"},
        {"InstanceId": "i-far", "ZoneId": "cn-hangzhou-i"},
    ]})))
    .await
}

async fn new_disk(lab: &Lab, zone: &str, size: i32) -> String {
    lab.client
        .create_disk(CreateDiskRequest {
            zone_id: Some(zone.into()),
            size: Some(size),
            disk_category: Some("cloud_essd".into()),
            ..CreateDiskRequest::new()
        })
        .await
        .expect("CreateDisk")
        .disk_id
        .expect("a DiskId")
}

async fn disk(lab: &Lab, id: &str) -> Disk {
    let mut disks = lab
        .client
        .describe_disks(DescribeDisksRequest {
            disk_ids: Some(vec![id.to_string()]),
            ..DescribeDisksRequest::new()
        })
        .await
        .expect("DescribeDisks")
        .disks;
    assert_eq!(disks.len(), 1, "{id}");
    disks.remove(0)
}

async fn snapshot(lab: &Lab, id: &str) -> Snapshot {
    let mut found = lab
        .client
        .describe_snapshots(DescribeSnapshotsRequest {
            snapshot_ids: Some(vec![id.to_string()]),
            ..DescribeSnapshotsRequest::new()
        })
        .await
        .expect("DescribeSnapshots")
        .snapshots;
    assert_eq!(found.len(), 1, "{id}");
    found.remove(0)
}

async fn image(lab: &Lab, id: &str, region: &str) -> Option<Image> {
    lab.client
        .describe_images(DescribeImagesRequest {
            region_id: Some(region.into()),
            image_id: Some(id.into()),
            status: Some("Creating,Available".into()),
            ..DescribeImagesRequest::new()
        })
        .await
        .expect("DescribeImages")
        .images
        .pop()
}

/// A custom image of i-web-1 named "golden" (still Creating).
async fn golden(lab: &Lab) -> String {
    lab.client
        .create_image(CreateImageRequest {
            instance_id: Some("i-web-1".into()),
            image_name: Some("golden".into()),
            ..CreateImageRequest::new()
        })
        .await
        .expect("CreateImage")
        .image_id
        .expect("an ImageId")
}

/// A snapshot of a disk attached to i-web-1 (still progressing) and the disk.
async fn snapshot_of_a_disk(lab: &Lab) -> (String, String) {
    let disk = attached_disk(lab, "i-web-1").await;
    let snap = lab
        .client
        .create_snapshot(CreateSnapshotRequest::new(disk.as_str()))
        .await
        .expect("CreateSnapshot")
        .snapshot_id
        .expect("a SnapshotId");
    (snap, disk)
}

/// A disk attached to `instance` and in use.
async fn attached_disk(lab: &Lab, instance: &str) -> String {
    let id = new_disk(lab, "cn-hangzhou-h", 40).await;
    lab.step();
    lab.client
        .attach_disk(AttachDiskRequest::new(instance, id.as_str()))
        .await
        .expect("AttachDisk");
    lab.step();
    id
}

#[tokio::test]
async fn a_new_disk_is_creating_then_available_with_an_alibaba_id() {
    let lab = lab().await;
    let id = new_disk(&lab, "cn-hangzhou-h", 100).await;
    assert!(id.starts_with("d-bp") && id.len() == 22, "{id}");
    let d = disk(&lab, &id).await;
    assert_eq!(d.status.as_deref(), Some("Creating"));
    assert_eq!(
        (d.size, d.category.as_deref(), d.type_.as_deref()),
        (Some(100), Some("cloud_essd"), Some("data"))
    );
    lab.step();
    assert_eq!(disk(&lab, &id).await.status.as_deref(), Some("Available"));
}

#[tokio::test]
async fn an_attached_disk_goes_attaching_then_in_use_on_its_instance() {
    let lab = lab().await;
    let id = new_disk(&lab, "cn-hangzhou-h", 40).await;
    lab.step();
    lab.client
        .attach_disk(AttachDiskRequest::new("i-web-1", id.as_str()))
        .await
        .unwrap();
    assert_eq!(disk(&lab, &id).await.status.as_deref(), Some("Attaching"));
    lab.step();
    let d = disk(&lab, &id).await;
    assert_eq!(d.status.as_deref(), Some("In_use"));
    assert_eq!(d.instance_id.as_deref(), Some("i-web-1"));
    assert_eq!(d.device.as_deref(), Some("/dev/xvdb"));
}

#[tokio::test]
async fn a_disk_attached_to_one_instance_cannot_be_attached_again() {
    let lab = lab().await;
    let id = attached_disk(&lab, "i-web-1").await;
    let err = lab
        .client
        .attach_disk(AttachDiskRequest::new("i-web-2", id.as_str()))
        .await
        .unwrap_err();
    assert_code(&err, "AttachDisk", "IncorrectDiskStatus");
    assert!(err.to_string().contains("i-web-1"), "{err}");
    assert_eq!(
        disk(&lab, &id).await.instance_id.as_deref(),
        Some("i-web-1")
    );
}

#[tokio::test]
async fn a_disk_cannot_be_attached_to_an_instance_in_another_zone() {
    let lab = lab().await;
    let id = new_disk(&lab, "cn-hangzhou-h", 40).await;
    lab.step();
    let err = lab
        .client
        .attach_disk(AttachDiskRequest::new("i-far", id.as_str()))
        .await
        .unwrap_err();
    assert_code(&err, "AttachDisk", "ResourcesNotInSameZone");
}

#[tokio::test]
async fn an_attached_disk_is_not_deleted_and_a_detached_one_is() {
    let lab = lab().await;
    let id = attached_disk(&lab, "i-web-1").await;
    let delete = ecs_api::delete_disk::DeleteDiskRequest::new(id.as_str());
    let err = lab.client.delete_disk(delete.clone()).await.unwrap_err();
    assert_code(&err, "DeleteDisk", "IncorrectDiskStatus");
    lab.client
        .detach_disk(DetachDiskRequest::new("i-web-1", id.as_str()))
        .await
        .unwrap();
    assert_eq!(disk(&lab, &id).await.status.as_deref(), Some("Detaching"));
    lab.step();
    assert_eq!(disk(&lab, &id).await.status.as_deref(), Some("Available"));
    lab.client.delete_disk(delete).await.unwrap();
    let left = lab
        .client
        .describe_disks(DescribeDisksRequest {
            disk_ids: Some(vec![id]),
            ..DescribeDisksRequest::new()
        })
        .await
        .unwrap();
    assert_eq!(left.total_count, Some(0));
}

#[tokio::test]
async fn a_system_disk_cannot_be_detached() {
    let lab = lab().await;
    let system = lab.system_disk("i-web-1").await;
    let err = lab
        .client
        .detach_disk(DetachDiskRequest::new("i-web-1", system.as_str()))
        .await
        .unwrap_err();
    assert_code(&err, "DetachDisk", "DiskTypeViolation");
}

#[tokio::test]
async fn a_disk_only_grows() {
    let lab = lab().await;
    let id = new_disk(&lab, "cn-hangzhou-h", 100).await;
    lab.step();
    let err = lab
        .client
        .resize_disk(ecs_api::resize_disk::ResizeDiskRequest::new(
            id.as_str(),
            50,
        ))
        .await
        .unwrap_err();
    assert_code(&err, "ResizeDisk", "InvalidDiskSize.TooSmall");
    lab.client
        .resize_disk(ecs_api::resize_disk::ResizeDiskRequest::new(
            id.as_str(),
            200,
        ))
        .await
        .unwrap();
    assert_eq!(disk(&lab, &id).await.size, Some(200));
}

#[tokio::test]
async fn a_snapshot_is_progressing_with_its_progress_then_accomplished() {
    let lab = lab().await;
    let (snap, id) = snapshot_of_a_disk(&lab).await;
    assert!(snap.starts_with("s-bp"), "{snap}");
    let s = snapshot(&lab, &snap).await;
    assert_eq!(
        (s.status.as_deref(), s.progress.as_deref()),
        (Some("progressing"), Some("0%"))
    );
    assert_eq!(s.source_disk_id.as_deref(), Some(id.as_str()));
    lab.clock.advance(support::STEP / 2);
    assert_eq!(snapshot(&lab, &snap).await.progress.as_deref(), Some("50%"));
    lab.clock.advance(support::STEP / 2);
    let s = snapshot(&lab, &snap).await;
    assert_eq!(
        (s.status.as_deref(), s.progress.as_deref()),
        (Some("accomplished"), Some("100%"))
    );
}

#[tokio::test]
async fn a_second_snapshot_waits_for_the_first() {
    let lab = lab().await;
    let id = attached_disk(&lab, "i-web-1").await;
    let create = CreateSnapshotRequest::new(id.as_str());
    lab.client.create_snapshot(create.clone()).await.unwrap();
    let err = lab.client.create_snapshot(create).await.unwrap_err();
    assert_code(
        &err,
        "CreateSnapshot",
        "IncorrectDiskStatus.CreatingSnapshot",
    );
}

#[tokio::test]
async fn a_disk_that_was_never_attached_has_nothing_to_snapshot() {
    let lab = lab().await;
    let id = new_disk(&lab, "cn-hangzhou-h", 40).await;
    lab.step();
    let err = lab
        .client
        .create_snapshot(CreateSnapshotRequest::new(id.as_str()))
        .await
        .unwrap_err();
    assert_code(&err, "CreateSnapshot", "IncorrectDiskStatus.NeverAttached");
}

#[tokio::test]
async fn a_disk_made_from_a_snapshot_takes_its_size_once_the_snapshot_is_done() {
    let lab = lab().await;
    let (snap, _) = snapshot_of_a_disk(&lab).await;
    let from_snapshot = CreateDiskRequest {
        zone_id: Some("cn-hangzhou-h".into()),
        snapshot_id: Some(snap.clone()),
        disk_category: Some("cloud_essd".into()),
        ..CreateDiskRequest::new()
    };
    let err = lab
        .client
        .create_disk(from_snapshot.clone())
        .await
        .unwrap_err();
    assert_code(&err, "CreateDisk", "InvalidSnapshotId.NotReady");
    lab.step();
    let copy = lab
        .client
        .create_disk(from_snapshot)
        .await
        .unwrap()
        .disk_id
        .unwrap();
    let d = disk(&lab, &copy).await;
    assert_eq!(d.size, Some(40));
    assert_eq!(d.source_snapshot_id.as_deref(), Some(snap.as_str()));
}

#[tokio::test]
async fn an_image_from_an_instance_is_creating_then_available_and_launches_instances() {
    let lab = lab().await;
    let id = golden(&lab).await;
    assert!(id.starts_with("m-bp"), "{id}");
    let made = image(&lab, &id, "cn-hangzhou").await.expect("listed");
    assert_eq!(made.status.as_deref(), Some("Creating"));
    assert_eq!(made.image_owner_alias.as_deref(), Some("self"));
    assert_eq!(
        made.disk_device_mappings.len(),
        1,
        "the system disk's snapshot"
    );
    let run = ecs_api::run_instances::RunInstancesRequest {
        image_id: Some(id.clone()),
        ..ecs_api::run_instances::RunInstancesRequest::new()
    };
    let err = lab.client.run_instances(run.clone()).await.unwrap_err();
    assert_eq!(err.code(), Some("OperationDenied"), "{err}");
    lab.step();
    assert_eq!(
        image(&lab, &id, "cn-hangzhou")
            .await
            .unwrap()
            .status
            .as_deref(),
        Some("Available")
    );
    assert_eq!(
        lab.client
            .run_instances(run)
            .await
            .unwrap()
            .instance_id_sets
            .len(),
        1
    );
}

#[tokio::test]
async fn a_snapshot_backing_an_image_cannot_be_deleted() {
    let lab = lab().await;
    let id = golden(&lab).await;
    lab.step();
    let snap = image(&lab, &id, "cn-hangzhou")
        .await
        .unwrap()
        .disk_device_mappings[0]
        .snapshot_id
        .clone()
        .unwrap();
    let err = lab
        .client
        .delete_snapshot(ecs_api::delete_snapshot::DeleteSnapshotRequest::new(
            snap.as_str(),
        ))
        .await
        .unwrap_err();
    assert_code(&err, "DeleteSnapshot", "SnapshotCreatedImage");
}

#[tokio::test]
async fn a_copied_image_comes_up_in_the_destination_region() {
    let lab = lab().await;
    let id = golden(&lab).await;
    let copy = ecs_api::copy_image::CopyImageRequest {
        destination_region_id: Some("cn-shanghai".into()),
        ..ecs_api::copy_image::CopyImageRequest::new(id.as_str())
    };
    let err = lab.client.copy_image(copy.clone()).await.unwrap_err();
    assert_code(&err, "CopyImage", "IncorrectImageStatus");
    lab.step();
    let copied = lab.client.copy_image(copy).await.unwrap().image_id.unwrap();
    assert!(copied.starts_with("m-uf"), "a Shanghai id: {copied}");
    let there = image(&lab, &copied, "cn-shanghai")
        .await
        .expect("in cn-shanghai");
    assert_eq!(there.status.as_deref(), Some("Creating"));
    assert_eq!(there.is_copied, Some(true));
    assert_eq!(there.image_name.as_deref(), Some("golden"));
    assert!(image(&lab, &copied, "cn-hangzhou").await.is_none());
}

#[tokio::test]
async fn describe_images_lists_the_public_catalog_and_custom_images_by_owner() {
    let lab = lab().await;
    let public = lab
        .client
        .describe_images(DescribeImagesRequest {
            image_owner_alias: Some("system".into()),
            page_size: Some(100),
            ..DescribeImagesRequest::new()
        })
        .await
        .unwrap();
    assert!(public.total_count.unwrap_or_default() >= 5);
    assert!(public
        .images
        .iter()
        .any(|i| i.image_id.as_deref() == Some("aliyun_3_x64_20G_alibase_20240819.vhd")));
    assert!(public.images.iter().all(|i| i.is_public == Some(true)));
    let own = lab
        .client
        .describe_images(DescribeImagesRequest {
            image_owner_alias: Some("self".into()),
            ..DescribeImagesRequest::new()
        })
        .await
        .unwrap();
    assert_eq!(own.total_count, Some(0));
}

#[tokio::test]
async fn a_public_image_is_not_deleted() {
    let lab = lab().await;
    let err = lab
        .client
        .delete_image(ecs_api::delete_image::DeleteImageRequest::new(
            "aliyun_3_x64_20G_alibase_20240819.vhd",
        ))
        .await
        .unwrap_err();
    assert_code(&err, "DeleteImage", "InvalidImageId.NotFound");
}

#[tokio::test]
async fn create_disk_with_a_client_token_creates_one_disk() {
    let lab = lab().await;
    let request = CreateDiskRequest {
        zone_id: Some("cn-hangzhou-h".into()),
        size: Some(40),
        client_token: Some("disk-1".into()),
        ..CreateDiskRequest::new()
    };
    let first = lab
        .client
        .create_disk(request.clone())
        .await
        .unwrap()
        .disk_id;
    let again = lab.client.create_disk(request).await.unwrap().disk_id;
    assert_eq!(first, again);
    let standalone = lab
        .client
        .describe_disks(DescribeDisksRequest {
            disk_type: Some("data".into()),
            ..DescribeDisksRequest::new()
        })
        .await
        .unwrap();
    assert_eq!(standalone.total_count, Some(1));
}
