//! Snapshots of disks: made `progressing` with a `Progress` that grows,
//! `accomplished` one transition later; used by images and new disks.

use super::args::Args;
use super::clock::{iso_seconds, Millis, Timeline};
use super::errors::ApiError;
use super::ids;
use super::paging::{self, Limits};
use super::state::Region;
use super::tags::{self, Tags};
use super::Env;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Snapshot {
    pub id: String,
    pub name: String,
    pub description: String,
    pub disk_id: String,
    /// `system` or `data`.
    pub disk_kind: String,
    pub disk_size: i64,
    pub created: Millis,
    /// `progressing`, then `accomplished`.
    pub lifecycle: Timeline,
    pub retention_days: Option<i64>,
    /// `standard` or `flash`.
    pub category: String,
    /// `user` or `auto`.
    pub kind: String,
    pub encrypted: bool,
    pub tags: Tags,
    #[serde(default)]
    pub source_snapshot: String,
    #[serde(default)]
    pub source_region: String,
    #[serde(default)]
    pub resource_group: String,
}

impl Region {
    /// Starts a snapshot of `disk_id` (which must exist).
    pub fn snapshot_disk(&mut self, disk_id: &str, name: &str, env: &Env) -> String {
        let (kind, size, encrypted) = self
            .disks
            .get(disk_id)
            .map_or(("data".to_string(), 0, false), |d| {
                (d.kind.clone(), d.size, d.encrypted)
            });
        let snapshot = Snapshot {
            id: ids::resource("s-", env.region.code),
            name: name.to_string(),
            description: String::new(),
            disk_id: disk_id.to_string(),
            disk_kind: kind,
            disk_size: size,
            created: env.now,
            lifecycle: env.timeline(&["progressing", "accomplished"]),
            retention_days: None,
            category: "standard".into(),
            kind: "user".into(),
            encrypted,
            tags: Tags::new(),
            source_snapshot: String::new(),
            source_region: String::new(),
            resource_group: String::new(),
        };
        let id = snapshot.id.clone();
        self.snapshots.insert(id.clone(), snapshot);
        id
    }

    /// `code` if a snapshot of the disk is still being made.
    pub fn no_snapshot_in_progress(
        &self,
        disk_id: &str,
        code: &'static str,
        env: &Env,
    ) -> Result<(), ApiError> {
        let busy = self
            .snapshots
            .values()
            .any(|s| s.disk_id == disk_id && s.lifecycle.status(env.now) == "progressing");
        if busy {
            return Err(ApiError::new(
                403,
                code,
                format!("A snapshot of `{disk_id}` is still being made."),
            ));
        }
        Ok(())
    }

    /// What a snapshot is used for: `image`, `disk`, `image_disk` or `none`.
    fn usage(&self, id: &str) -> &'static str {
        let image = self
            .images
            .values()
            .any(|i| i.mappings.iter().any(|m| m.snapshot_id == id));
        let disk = self.disks.values().any(|d| d.source_snapshot == id);
        match (image, disk) {
            (true, true) => "image_disk",
            (true, false) => "image",
            (false, true) => "disk",
            (false, false) => "none",
        }
    }
}

pub fn create_snapshot(region: &mut Region, args: &Args, env: &Env) -> Result<Value, ApiError> {
    let disk_id = args.string_or("DiskId", "");
    let disk = region.disk(&disk_id)?;
    if disk.attached.is_none() {
        return Err(ApiError::new(
            403,
            "IncorrectDiskStatus.NeverAttached",
            format!("The disk `{disk_id}` has never been attached to an instance."),
        ));
    }
    disk.settled(env)?;
    region.no_snapshot_in_progress(&disk_id, "IncorrectDiskStatus.CreatingSnapshot", env)?;
    let tags = tags::from_args(args, "Tag")?;
    let id = region.snapshot_disk(&disk_id, &args.string_or("SnapshotName", ""), env);
    if let Some(s) = region.snapshots.get_mut(&id) {
        s.description = args.string_or("Description", "");
        s.retention_days = args.int("RetentionDays");
        s.category = args.string_or("Category", "standard");
        s.tags = tags;
        s.resource_group = args.string_or("ResourceGroupId", "");
    }
    Ok(json!({"SnapshotId": id}))
}

pub fn delete_snapshot(region: &mut Region, args: &Args, _env: &Env) -> Result<Value, ApiError> {
    let id = args.string_or("SnapshotId", "");
    region.snapshot(&id)?;
    match region.usage(&id) {
        "image" | "image_disk" => {
            return Err(ApiError::new(
                403,
                "SnapshotCreatedImage",
                format!("The snapshot `{id}` backs a custom image; delete the image first."),
            ))
        }
        "disk" if !args.flag("Force") => {
            return Err(ApiError::new(
                403,
                "SnapshotCreatedDisk",
                format!("Disks were made from `{id}`; set Force=true to delete it anyway."),
            ))
        }
        _ => {}
    }
    region.snapshots.remove(&id);
    Ok(json!({}))
}

pub fn describe_snapshots(region: &Region, args: &Args, env: &Env) -> Result<Value, ApiError> {
    let ids = args.json_list("SnapshotIds");
    let tag_filter = tags::Filter::from_args(args);
    let field = |name: &str| args.str(name);
    let instance_disks: Option<Vec<String>> = field("InstanceId").map(|i| {
        region
            .disks
            .values()
            .filter(|d| d.instance.as_deref() == Some(i))
            .map(|d| d.id.clone())
            .collect()
    });
    let list: Vec<&Snapshot> = region
        .snapshots
        .values()
        .filter(|s| ids.as_ref().is_none_or(|ids| ids.contains(&s.id)))
        .filter(|s| {
            instance_disks
                .as_ref()
                .is_none_or(|d| d.contains(&s.disk_id))
        })
        .filter(|s| field("DiskId").is_none_or(|v| s.disk_id == v))
        .filter(|s| field("SnapshotName").is_none_or(|v| s.name == v))
        .filter(|s| field("Status").is_none_or(|v| v == "all" || s.lifecycle.status(env.now) == v))
        .filter(|s| field("SnapshotType").is_none_or(|v| v == "all" || s.kind == v))
        .filter(|s| field("SourceDiskType").is_none_or(|v| s.disk_kind.eq_ignore_ascii_case(v)))
        .filter(|s| field("Usage").is_none_or(|v| region.usage(&s.id) == v))
        .filter(|s| field("Category").is_none_or(|v| s.category == v))
        .filter(|s| args.bool("Encrypted").is_none_or(|v| s.encrypted == v))
        .filter(|s| tag_filter.matches(&s.tags))
        .collect();
    let page = paging::page(args, Limits::new(10, 100), list, |s| {
        paging::by_creation(s.created, &s.id)
    })?;
    let snapshots: Vec<Value> = page
        .items
        .iter()
        .map(|s| {
            json!({
                "SnapshotId": s.id,
                "SnapshotName": s.name,
                "Description": s.description,
                "RegionId": env.region.id,
                "Status": s.lifecycle.status(env.now),
                "Progress": format!("{}%", s.lifecycle.progress(env.now)),
                "RemainTime": s.lifecycle.remaining_secs(env.now),
                "Available": s.lifecycle.is_settled(env.now),
                "CreationTime": iso_seconds(s.created),
                "LastModifiedTime": iso_seconds(s.lifecycle.settles().min(env.now.max(s.created))),
                "SourceDiskId": s.disk_id,
                "SourceDiskType": s.disk_kind,
                "SourceDiskSize": s.disk_size.to_string(),
                "SourceStorageType": "disk",
                "SourceSnapshotId": s.source_snapshot,
                "SourceRegionId": s.source_region,
                "RetentionDays": s.retention_days.unwrap_or(0),
                "SnapshotType": s.kind,
                "Category": s.category,
                "Usage": region.usage(&s.id),
                "Encrypted": s.encrypted,
                "KMSKeyId": "",
                "InstantAccess": false,
                "InstantAccessRetentionDays": 0,
                "ResourceGroupId": s.resource_group,
                "SnapshotSN": s.id.trim_start_matches("s-"),
                "ProductCode": "",
                "SnapshotLinkId": "",
                "Tags": tags::render(&s.tags),
            })
        })
        .collect();
    Ok(super::join([
        page.counts_and_token(),
        json!({
            "Snapshots": {"Snapshot": snapshots},
        }),
    ]))
}
