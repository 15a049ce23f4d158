//! Cloud disks: the system and data disks instances are created with, disks
//! made on their own, attaching, detaching, resizing and deleting them.

use super::args::Args;
use super::clock::{iso_minutes, iso_seconds, Millis, Timeline};
use super::errors::ApiError;
use super::ids;
use super::paging::{self, Limits};
use super::regions;
use super::state::Region;
use super::tags::{self, Tags};
use super::Env;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// Data disks one instance may hold.
pub const MAX_DATA_DISKS: usize = 16;

/// The expiry the service reports for pay-as-you-go resources.
pub const NEVER: Millis = 32_503_679_999_000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Disk {
    pub id: String,
    pub zone: String,
    pub name: String,
    pub description: String,
    pub category: String,
    pub performance_level: String,
    pub size: i64,
    /// `system` or `data`.
    pub kind: String,
    pub instance: Option<String>,
    pub device: String,
    pub delete_with_instance: bool,
    pub delete_auto_snapshot: bool,
    pub enable_auto_snapshot: bool,
    pub portable: bool,
    pub source_snapshot: String,
    pub image_id: String,
    /// `PostPaid` or `PrePaid`.
    pub charge: String,
    pub expires: Millis,
    pub encrypted: bool,
    pub created: Millis,
    pub attached: Option<Millis>,
    pub detached: Option<Millis>,
    /// `Creating`, `Available`, `Attaching`, `In_use`, `Detaching`.
    pub lifecycle: Timeline,
    pub tags: Tags,
    pub serial: String,
    #[serde(default)]
    pub resource_group: String,
}

impl Disk {
    /// Takes the disk off its instance; it goes through `status`.
    fn unplug(&mut self, now: Millis, status: Timeline) {
        self.instance = None;
        self.device.clear();
        self.detached = Some(now);
        self.lifecycle = status;
    }

    /// `IncorrectDiskStatus` unless the disk is In_use or Available (not
    /// being made, attached or detached).
    pub fn settled(&self, env: &Env) -> Result<(), ApiError> {
        match self.lifecycle.status(env.now) {
            "In_use" | "Available" => Ok(()),
            status => Err(ApiError::status(
                "IncorrectDiskStatus",
                "disk",
                &self.id,
                status,
                "In_use or Available",
            )),
        }
    }
}

/// What a new disk is made of.
#[derive(Debug, Clone, Default)]
pub(crate) struct DiskSpec {
    pub zone: String,
    pub name: String,
    pub description: String,
    pub category: String,
    pub performance_level: String,
    pub size: Option<i64>,
    pub snapshot: Option<String>,
    pub image_id: String,
    pub kind: String,
    pub delete_with_instance: bool,
    pub encrypted: bool,
    pub charge: String,
    pub expires: Millis,
    pub tags: Tags,
    pub resource_group: String,
}

impl DiskSpec {
    /// A data disk from `DataDisk.N` (RunInstances, CreateInstance).
    pub fn data_disk(a: &Args, zone: &str) -> DiskSpec {
        DiskSpec {
            zone: zone.to_string(),
            name: a.string_or("DiskName", ""),
            description: a.string_or("Description", ""),
            category: a.string_or("Category", "cloud_efficiency"),
            performance_level: a.string_or("PerformanceLevel", ""),
            size: a.int("Size"),
            snapshot: a.string("SnapshotId"),
            kind: "data".into(),
            delete_with_instance: a.bool("DeleteWithInstance").unwrap_or(true),
            encrypted: a.bool("Encrypted").unwrap_or(false) || a.str("Encrypted") == Some("true"),
            ..DiskSpec::default()
        }
    }
}

/// The sizes (GiB) a category allows.
fn size_range(category: &str, level: &str, kind: &str) -> Option<(i64, i64)> {
    if kind == "system" {
        return Some((20, 2048));
    }
    match category {
        "cloud" => Some((5, 2000)),
        "cloud_efficiency" | "cloud_ssd" => Some((20, 32768)),
        "cloud_essd" if level == "PL0" => Some((1, 65536)),
        "cloud_essd" => Some((20, 65536)),
        "cloud_auto" => Some((1, 65536)),
        "cloud_essd_entry" => Some((10, 32768)),
        _ => None,
    }
}

fn category_error(kind: &str, category: &str) -> ApiError {
    let code = if kind == "system" {
        "InvalidSystemDiskCategory.ValueNotSupported"
    } else {
        "InvalidDataDiskCategory.ValueNotSupported"
    };
    ApiError::invalid(
        code,
        format!("`{category}` is not a disk category; use cloud_essd, cloud_auto, cloud_efficiency, cloud_ssd, cloud_essd_entry or cloud."),
    )
}

impl Region {
    /// Checks a disk spec and returns its size: from `Size`, else its
    /// snapshot's, which must be finished and no larger.
    pub fn disk_size(&self, spec: &DiskSpec, env: &Env) -> Result<i64, ApiError> {
        let (min, max) = size_range(&spec.category, &spec.performance_level, &spec.kind)
            .ok_or_else(|| category_error(&spec.kind, &spec.category))?;
        let from_snapshot = match &spec.snapshot {
            Some(id) => {
                let s = self.snapshot(id)?;
                if s.lifecycle.status(env.now) != "accomplished" {
                    return Err(ApiError::new(
                        403,
                        "InvalidSnapshotId.NotReady",
                        format!("The snapshot `{id}` is not finished yet."),
                    ));
                }
                Some(s.disk_size)
            }
            None => None,
        };
        let size = match (spec.size, from_snapshot) {
            (Some(size), Some(snap)) if size < snap => {
                return Err(ApiError::new(
                    403,
                    "InvalidDiskSize.TooSmall",
                    format!("{size} GiB is smaller than the snapshot ({snap} GiB)."),
                ))
            }
            (Some(size), _) => size,
            (None, Some(snap)) => snap,
            (None, None) if spec.kind == "system" => min.max(40),
            (None, None) => return Err(ApiError::missing("Size")),
        };
        if !(min..=max).contains(&size) {
            let code = match spec.kind.as_str() {
                "system" => "InvalidSystemDiskSize.ValueNotSupported",
                _ if env.action == "CreateDisk" => "InvalidSize.ValueNotSupported",
                _ => "InvalidDataDiskSize.ValueNotSupported",
            };
            return Err(ApiError::invalid(
                code,
                format!(
                    "A {} {} disk is {min} to {max} GiB; {size} was asked for.",
                    spec.category, spec.kind
                ),
            ));
        }
        Ok(size)
    }

    /// Makes a disk (checked with [`Region::disk_size`] first).
    pub fn create_disk(&mut self, spec: DiskSpec, size: i64, env: &Env) -> String {
        let disk = Disk {
            id: ids::resource("d-", env.region.code),
            zone: spec.zone,
            name: spec.name,
            description: spec.description,
            category: spec.category,
            performance_level: spec.performance_level,
            size,
            kind: spec.kind,
            instance: None,
            device: String::new(),
            delete_with_instance: spec.delete_with_instance,
            delete_auto_snapshot: true,
            enable_auto_snapshot: false,
            portable: true,
            source_snapshot: spec.snapshot.unwrap_or_default(),
            image_id: spec.image_id,
            charge: if spec.charge.is_empty() {
                "PostPaid".into()
            } else {
                spec.charge
            },
            expires: if spec.expires == 0 {
                NEVER
            } else {
                spec.expires
            },
            encrypted: spec.encrypted,
            created: env.now,
            attached: None,
            detached: None,
            lifecycle: env.timeline(&["Creating", "Available"]),
            tags: spec.tags,
            serial: ids::resource("", env.region.code),
            resource_group: spec.resource_group,
        };
        let id = disk.id.clone();
        self.disks.insert(id.clone(), disk);
        id
    }

    /// Attaches a disk to `instance` at its next free device, with the
    /// lifecycle `status` (`In_use` at once for a new instance's disks).
    pub fn plug_disk(&mut self, disk_id: &str, instance: &str, status: Timeline, now: Millis) {
        let device = self.next_device(instance, disk_id);
        if let Some(d) = self.disks.get_mut(disk_id) {
            d.instance = Some(instance.to_string());
            d.device = device;
            d.attached = Some(now);
            d.lifecycle = status;
            if d.kind == "system" {
                d.portable = false;
            }
        }
    }

    fn next_device(&self, instance: &str, disk_id: &str) -> String {
        if self.disks.get(disk_id).is_some_and(|d| d.kind == "system") {
            return "/dev/xvda".into();
        }
        let used: Vec<&str> = self
            .disks
            .values()
            .filter(|d| d.instance.as_deref() == Some(instance))
            .map(|d| d.device.as_str())
            .collect();
        ('b'..='z')
            .map(|c| format!("/dev/xvd{c}"))
            .find(|dev| !used.contains(&dev.as_str()))
            .unwrap_or_default()
    }

    /// The disks of an instance.
    pub fn disks_of(&self, instance: &str) -> Vec<&Disk> {
        self.disks
            .values()
            .filter(|d| d.instance.as_deref() == Some(instance))
            .collect()
    }
}

pub fn create_disk(region: &mut Region, args: &Args, env: &Env) -> Result<Value, ApiError> {
    let instance = match args.str("InstanceId") {
        Some(id) => Some(region.instance(id)?.clone()),
        None => None,
    };
    let zone = match (&instance, args.str("ZoneId")) {
        (Some(i), _) => i.zone.clone(),
        (None, Some(zone)) => {
            regions::zone_in(env.region, zone)?;
            zone.to_string()
        }
        (None, None) => return Err(ApiError::missing("ZoneId")),
    };
    if args.str("Size").is_none() && args.str("SnapshotId").is_none() {
        return Err(ApiError::new(
            400,
            "MissingParameter",
            "Give Size or SnapshotId.",
        ));
    }
    let spec = DiskSpec {
        zone,
        name: args.string_or("DiskName", ""),
        description: args.string_or("Description", ""),
        category: args.string_or("DiskCategory", "cloud"),
        performance_level: args.string_or("PerformanceLevel", ""),
        size: args.int("Size"),
        snapshot: args.string("SnapshotId"),
        kind: "data".into(),
        delete_with_instance: false,
        encrypted: args.flag("Encrypted"),
        charge: instance
            .as_ref()
            .map_or("PostPaid".into(), |i| i.charge.clone()),
        expires: instance.as_ref().map_or(0, |i| i.expires),
        tags: tags::from_args(args, "Tag")?,
        resource_group: args.string_or("ResourceGroupId", ""),
        ..DiskSpec::default()
    };
    let size = region.disk_size(&spec, env)?;
    if let Some(i) = &instance {
        check_room(region, &i.id)?;
    }
    let id = region.create_disk(spec, size, env);
    if let Some(i) = instance {
        region.plug_disk(
            &id,
            &i.id,
            env.timeline(&["Creating", "Attaching", "In_use"]),
            env.now,
        );
    }
    Ok(json!({"DiskId": id, "OrderId": ""}))
}

fn check_room(region: &Region, instance: &str) -> Result<(), ApiError> {
    let data = region
        .disks_of(instance)
        .iter()
        .filter(|d| d.kind == "data")
        .count();
    if data >= MAX_DATA_DISKS {
        return Err(ApiError::new(
            403,
            "InstanceDiskLimitExceeded",
            format!("The instance `{instance}` already holds {MAX_DATA_DISKS} data disks."),
        ));
    }
    Ok(())
}

pub fn attach_disk(region: &mut Region, args: &Args, env: &Env) -> Result<Value, ApiError> {
    let disk_id = args.string_or("DiskId", "");
    let instance_id = args.string_or("InstanceId", "");
    let instance = region.instance(&instance_id)?;
    let disk = region.disk(&disk_id)?;
    let status = disk.lifecycle.status(env.now);
    if let Some(on) = &disk.instance {
        return Err(ApiError::new(
            403,
            "IncorrectDiskStatus",
            format!(
                "The disk `{disk_id}` is already attached to `{on}` ({status}); detach it first."
            ),
        ));
    }
    if status != "Available" {
        return Err(ApiError::status(
            "IncorrectDiskStatus",
            "disk",
            &disk_id,
            status,
            "Available",
        ));
    }
    if disk.zone != instance.zone {
        return Err(ApiError::new(
            403,
            "ResourcesNotInSameZone",
            format!(
                "The disk is in {} and the instance in {}.",
                disk.zone, instance.zone
            ),
        ));
    }
    instance.settled(env)?;
    check_room(region, &instance_id)?;
    region.plug_disk(
        &disk_id,
        &instance_id,
        env.timeline(&["Attaching", "In_use"]),
        env.now,
    );
    if let (Some(d), Some(flag)) = (
        region.disks.get_mut(&disk_id),
        args.bool("DeleteWithInstance"),
    ) {
        d.delete_with_instance = flag;
    }
    Ok(json!({}))
}

pub fn detach_disk(region: &mut Region, args: &Args, env: &Env) -> Result<Value, ApiError> {
    let disk_id = args.string_or("DiskId", "");
    let instance_id = args.string_or("InstanceId", "");
    region.instance(&instance_id)?;
    let disk = region.disk_mut(&disk_id)?;
    match disk.instance.as_deref() {
        None => {
            return Err(ApiError::new(
                404,
                "InvalidDisk.AlreadyDetached",
                format!("The disk `{disk_id}` is not attached."),
            ))
        }
        Some(on) if on != instance_id => {
            return Err(ApiError::new(
                403,
                "DependencyViolation",
                format!("The disk `{disk_id}` is attached to `{on}`, not `{instance_id}`."),
            ))
        }
        Some(_) => {}
    }
    if disk.kind == "system" {
        return Err(ApiError::new(
            403,
            "DiskTypeViolation",
            format!("`{disk_id}` is the system disk of `{instance_id}`."),
        ));
    }
    let status = disk.lifecycle.status(env.now).to_string();
    if status != "In_use" {
        return Err(ApiError::status(
            "IncorrectDiskStatus",
            "disk",
            &disk_id,
            &status,
            "In_use",
        ));
    }
    disk.unplug(env.now, env.timeline(&["Detaching", "Available"]));
    if let Some(flag) = args.bool("DeleteWithInstance") {
        disk.delete_with_instance = flag;
    }
    Ok(json!({}))
}

pub fn resize_disk(region: &mut Region, args: &Args, env: &Env) -> Result<Value, ApiError> {
    let disk_id = args.string_or("DiskId", "");
    let new_size = args.int("NewSize").unwrap_or(0);
    let online = args
        .str("Type")
        .is_some_and(|t| t.eq_ignore_ascii_case("online"));
    let disk = region.disk(&disk_id)?;
    if online {
        let running = disk
            .instance
            .as_ref()
            .and_then(|i| region.instances.get(i))
            .is_some_and(|i| i.lifecycle.status(env.now) == "Running");
        if !running {
            return Err(ApiError::new(
                403,
                "InvalidInstanceStatus.NotRunning",
                format!("Resizing `{disk_id}` online needs it attached to a Running instance."),
            ));
        }
    }
    disk.settled(env)?;
    let (_, max) =
        size_range(&disk.category, &disk.performance_level, &disk.kind).unwrap_or((1, 65536));
    if new_size < disk.size {
        return Err(ApiError::new(
            403,
            "InvalidDiskSize.TooSmall",
            format!(
                "{new_size} GiB is less than the disk's {} GiB; disks only grow.",
                disk.size
            ),
        ));
    }
    if new_size == disk.size {
        return Err(ApiError::new(
            403,
            "InvalidDiskSize",
            format!("The disk is already {new_size} GiB."),
        ));
    }
    if new_size > max {
        return Err(ApiError::new(
            403,
            "InvalidDiskSize.TooLarge",
            format!(
                "A {} {} disk is at most {max} GiB.",
                disk.category, disk.kind
            ),
        ));
    }
    let prepaid = disk.charge == "PrePaid";
    if let Some(d) = region.disks.get_mut(&disk_id) {
        d.size = new_size;
    }
    Ok(json!({"OrderId": if prepaid { ids::order_id() } else { String::new() }}))
}

pub fn delete_disk(region: &mut Region, args: &Args, env: &Env) -> Result<Value, ApiError> {
    let disk_id = args.string_or("DiskId", "");
    let disk = region.disk(&disk_id)?;
    let status = disk.lifecycle.status(env.now);
    if disk.instance.is_some() || status != "Available" {
        return Err(ApiError::status(
            "IncorrectDiskStatus",
            "disk",
            &disk_id,
            status,
            "Available (detached)",
        ));
    }
    region.no_snapshot_in_progress(&disk_id, "DiskCreatingSnapshot", env)?;
    region.forget_disk(&disk_id);
    Ok(json!({}))
}

impl Region {
    /// The disks of a released instance: its system disk and those set to
    /// go with it are deleted, the others are Available at once.
    pub fn release_disks_of(&mut self, instance: &str, now: Millis) {
        let disks: Vec<(String, bool)> = self
            .disks_of(instance)
            .iter()
            .map(|d| (d.id.clone(), d.kind == "system" || d.delete_with_instance))
            .collect();
        for (disk, goes) in disks {
            if goes {
                self.forget_disk(&disk);
            } else if let Some(d) = self.disks.get_mut(&disk) {
                d.unplug(now, Timeline::settled(now, "Available"));
            }
        }
    }

    /// Removes a disk, and its automatic snapshots if it says so.
    pub fn forget_disk(&mut self, disk_id: &str) {
        if let Some(disk) = self.disks.remove(disk_id) {
            if disk.delete_auto_snapshot {
                self.snapshots
                    .retain(|_, s| !(s.disk_id == disk_id && s.kind == "auto"));
            }
        }
    }
}

pub fn modify_attribute(region: &mut Region, args: &Args, _env: &Env) -> Result<Value, ApiError> {
    let many = args.list("DiskIds");
    let ids: Vec<String> = match (args.string("DiskId"), many.is_empty()) {
        (Some(_), false) => {
            return Err(ApiError::invalid(
                "ParameterConflict.DiskIdAndDiskIds",
                "Give DiskId or DiskIds, not both.",
            ))
        }
        (Some(one), true) => vec![one],
        (None, false) => many.iter().map(|s| s.to_string()).collect(),
        (None, true) => {
            return Err(ApiError::invalid(
                "MissingParameter.DiskIdOrDiskIds",
                "Give DiskId or DiskIds.",
            ))
        }
    };
    for id in &ids {
        region.disk(id)?;
    }
    for id in &ids {
        if let Some(d) = region.disks.get_mut(id) {
            if let Some(v) = args.string("DiskName") {
                d.name = v;
            }
            if let Some(v) = args.string("Description") {
                d.description = v;
            }
            if let Some(v) = args.bool("DeleteWithInstance") {
                d.delete_with_instance = v;
            }
            if let Some(v) = args.bool("DeleteAutoSnapshot") {
                d.delete_auto_snapshot = v;
            }
            if let Some(v) = args.bool("EnableAutoSnapshot") {
                d.enable_auto_snapshot = v;
            }
        }
    }
    Ok(json!({}))
}

pub fn describe_disks(region: &Region, args: &Args, env: &Env) -> Result<Value, ApiError> {
    let ids = args.json_list("DiskIds");
    let tag_filter = tags::Filter::from_args(args);
    let field = |name: &str| args.str(name);
    let statuses: Option<Vec<String>> = args.comma_list("Status");
    let kind = args.str("DiskType").filter(|k| *k != "all");
    let list: Vec<&Disk> = region
        .disks
        .values()
        .filter(|d| ids.as_ref().is_none_or(|ids| ids.contains(&d.id)))
        .filter(|d| field("ZoneId").is_none_or(|v| d.zone == v))
        .filter(|d| field("InstanceId").is_none_or(|v| d.instance.as_deref() == Some(v)))
        .filter(|d| kind.is_none_or(|k| d.kind == k))
        .filter(|d| field("Category").is_none_or(|v| v == "all" || d.category == v))
        .filter(|d| {
            statuses.as_ref().is_none_or(|s| {
                s.iter()
                    .any(|s| s == "All" || s == d.lifecycle.status(env.now))
            })
        })
        .filter(|d| field("SnapshotId").is_none_or(|v| d.source_snapshot == v))
        .filter(|d| field("DiskName").is_none_or(|v| d.name == v))
        .filter(|d| field("DiskChargeType").is_none_or(|v| d.charge == v))
        .filter(|d| args.bool("Portable").is_none_or(|v| d.portable == v))
        .filter(|d| {
            args.bool("DeleteWithInstance")
                .is_none_or(|v| d.delete_with_instance == v)
        })
        .filter(|d| args.bool("Encrypted").is_none_or(|v| d.encrypted == v))
        .filter(|d| tag_filter.matches(&d.tags))
        .collect();
    let page = paging::page(args, Limits::new(10, 100), list, |d| {
        paging::by_creation(d.created, &d.id)
    })?;
    let disks: Vec<Value> = page.items.iter().map(|d| render(d, env)).collect();
    Ok(super::join([
        page.counts_and_token(),
        json!({
            "Disks": {"Disk": disks},
        }),
    ]))
}

fn render(d: &Disk, env: &Env) -> Value {
    let instance = d.instance.clone().unwrap_or_default();
    let attached = d.attached.map(iso_seconds).unwrap_or_default();
    let attachments: Vec<Value> = d
        .instance
        .iter()
        .map(|i| json!({"InstanceId": i, "Device": d.device, "AttachedTime": attached}))
        .collect();
    let iops = (1800 + 50 * d.size).min(50_000);
    let identity = json!({
        "DiskId": d.id,
        "RegionId": env.region.id,
        "ZoneId": d.zone,
        "DiskName": d.name,
        "Description": d.description,
        "Type": d.kind,
        "Category": d.category,
        "PerformanceLevel": d.performance_level,
        "Size": d.size,
        "Status": d.lifecycle.status(env.now),
        "InstanceId": instance,
        "Device": d.device,
        "DeleteWithInstance": d.delete_with_instance,
        "DeleteAutoSnapshot": d.delete_auto_snapshot,
        "EnableAutoSnapshot": d.enable_auto_snapshot,
        "EnableAutomatedSnapshotPolicy": false,
        "AutoSnapshotPolicyId": "",
        "Portable": d.portable,
        "SourceSnapshotId": d.source_snapshot,
        "ImageId": d.image_id,
        "DiskChargeType": d.charge,
        "ExpiredTime": iso_minutes(d.expires),
        "Encrypted": d.encrypted,
        "KMSKeyId": "",
        "CreationTime": iso_seconds(d.created),
        "AttachedTime": attached,
        "DetachedTime": d.detached.map(iso_seconds).unwrap_or_default(),
        "SerialNumber": d.serial,
        "ResourceGroupId": d.resource_group,
    });
    let performance = json!({
        "IOPS": iops,
        "IOPSRead": iops / 2,
        "IOPSWrite": iops / 2,
        "Throughput": 150,
        "ThroughputRead": 75,
        "ThroughputWrite": 75,
        "MountInstanceNum": attachments.len(),
        "MultiAttach": "Disabled",
        "BdfId": "",
        "ProductCode": "",
        "StorageSetId": "",
        "StorageSetPartitionNumber": 0,
        "StorageClusterId": "",
        "ProvisionedIops": 0,
        "BurstingEnabled": false,
        "OperationLocks": {"OperationLock": []},
        "MountInstances": {"MountInstance": attachments},
        "Attachments": {"Attachment": attachments},
        "Tags": tags::render(&d.tags),
        "Placement": {"ZoneIds": d.zone},
    });
    super::join([identity, performance])
}
