//! Images: a catalog of public images every region offers, and custom
//! images made from an instance or a snapshot (`Creating`, then
//! `Available`), copied to other regions, deleted.

use super::args::Args;
use super::clock::{iso_seconds, Millis, Timeline};
use super::errors::ApiError;
use super::ids;
use super::paging::{self, Limits};
use super::regions;
use super::state::{get, Region, World};
use super::tags::{self, Tags};
use super::Env;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Image {
    pub id: String,
    pub name: String,
    pub description: String,
    pub family: String,
    pub version: String,
    /// `linux` or `windows`.
    pub os_type: String,
    pub platform: String,
    pub os_name: String,
    pub architecture: String,
    pub boot_mode: String,
    pub size: i64,
    /// `system` (the public catalog) or `self`.
    pub owner: String,
    pub created: Millis,
    /// `Creating`, then `Available`.
    pub lifecycle: Timeline,
    pub mappings: Vec<Mapping>,
    pub tags: Tags,
    pub is_copied: bool,
    #[serde(default)]
    pub resource_group: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Mapping {
    pub snapshot_id: String,
    pub size: i64,
    pub device: String,
    /// `system` or `data`.
    pub kind: String,
}

/// (id, OS name, platform, os type, architecture, size GiB).
const PUBLIC: &[(&str, &str, &str, &str, &str, i64)] = &[
    (
        "aliyun_3_x64_20G_alibase_20240819.vhd",
        "Alibaba Cloud Linux 3.2104 LTS 64 bit",
        "Aliyun",
        "linux",
        "x86_64",
        20,
    ),
    (
        "aliyun_3_arm64_20G_alibase_20240819.vhd",
        "Alibaba Cloud Linux 3.2104 LTS 64 bit ARM Edition",
        "Aliyun",
        "linux",
        "arm64",
        20,
    ),
    (
        "aliyun_2_1903_x64_20G_alibase_20240628.vhd",
        "Alibaba Cloud Linux 2.1903 LTS 64 bit",
        "Aliyun",
        "linux",
        "x86_64",
        20,
    ),
    (
        "ubuntu_24_04_x64_20G_alibase_20240812.vhd",
        "Ubuntu 24.04 64 bit",
        "Ubuntu",
        "linux",
        "x86_64",
        20,
    ),
    (
        "ubuntu_22_04_x64_20G_alibase_20240710.vhd",
        "Ubuntu 22.04 64 bit",
        "Ubuntu",
        "linux",
        "x86_64",
        20,
    ),
    (
        "debian_12_6_x64_20G_alibase_20240711.vhd",
        "Debian 12.6 64 bit",
        "Debian",
        "linux",
        "x86_64",
        20,
    ),
    (
        "centos_7_9_x64_20G_alibase_20240628.vhd",
        "CentOS 7.9 64 bit",
        "CentOS",
        "linux",
        "x86_64",
        20,
    ),
    (
        "rockylinux_9_4_x64_20G_alibase_20240709.vhd",
        "Rocky Linux 9.4 64 bit",
        "Rocky Linux",
        "linux",
        "x86_64",
        20,
    ),
    (
        "win2022_21H2_x64_dtc_en-us_40G_alibase_20240816.vhd",
        "Windows Server 2022 Datacenter 64-bit (English)",
        "Windows Server 2022",
        "windows",
        "x86_64",
        40,
    ),
];

/// Released with the catalog, long before any simulated clock.
const PUBLISHED: Millis = 1_723_507_200_000; // 2024-08-13T00:00:00Z

fn public(id: &str) -> Option<Image> {
    PUBLIC.iter().find(|p| p.0 == id).map(public_image)
}

fn public_image(
    &(id, name, platform, os, arch, size): &(&str, &str, &str, &str, &str, i64),
) -> Image {
    Image {
        id: id.into(),
        name: id.trim_end_matches(".vhd").into(),
        description: name.into(),
        family: String::new(),
        version: String::new(),
        os_type: os.into(),
        platform: platform.into(),
        os_name: name.into(),
        architecture: arch.into(),
        boot_mode: "BIOS".into(),
        size,
        owner: "system".into(),
        created: PUBLISHED,
        lifecycle: Timeline::settled(PUBLISHED, "Available"),
        mappings: Vec::new(),
        tags: Tags::new(),
        is_copied: false,
        resource_group: String::new(),
    }
}

/// A custom image a seed document names, Available at once.
pub(crate) fn seeded(
    id: &str,
    name: &str,
    family: &str,
    description: &str,
    size: i64,
    now: Millis,
) -> Image {
    Image {
        id: id.into(),
        name: name.into(),
        family: family.into(),
        description: description.into(),
        size,
        owner: "self".into(),
        created: now,
        lifecycle: Timeline::settled(now, "Available"),
        ..public_image(&PUBLIC[0])
    }
}

impl Region {
    /// A usable image of this region (public or custom), or why not.
    pub fn usable_image(&self, id: &str, env: &Env) -> Result<Image, ApiError> {
        let image = public(id)
            .or_else(|| self.images.get(id).cloned())
            .ok_or_else(|| ApiError::not_found("InvalidImageId.NotFound", "image", id))?;
        let now = image.lifecycle.status(env.now);
        ApiError::unless_available(now, 404, "OperationDenied", "image", id)?;
        Ok(image)
    }
}

pub fn create_image(region: &mut Region, args: &Args, env: &Env) -> Result<Value, ApiError> {
    let name = args.string_or("ImageName", "");
    if !name.is_empty() && region.images.values().any(|i| i.name == name) {
        return Err(ApiError::invalid(
            "InvalidImageName.Duplicated",
            format!("An image named `{name}` exists already."),
        ));
    }
    let tags = tags::from_args(args, "Tag")?;
    // The image's disks: an instance's, one snapshot, or the given mappings.
    let (base, sources): (Option<Image>, Vec<(String, Option<String>)>) =
        if let Some(instance_id) = args.str("InstanceId") {
            let instance = region.instance(instance_id)?;
            instance.settled(env)?;
            let mut disks = region.disks_of(instance_id);
            disks.sort_by(|a, b| a.device.cmp(&b.device));
            let base = region.usable_image(&instance.image_id, env).ok();
            (base, disks.iter().map(|d| (d.id.clone(), None)).collect())
        } else {
            let mut snaps: Vec<(String, String)> = args
                .items("DiskDeviceMapping")
                .iter()
                .filter_map(|m| Some((m.string("SnapshotId")?, m.string_or("Device", ""))))
                .collect();
            if let Some(s) = args.string("SnapshotId") {
                snaps.insert(0, (s, "/dev/xvda".into()));
            }
            if snaps.is_empty() {
                return Err(ApiError::missing("InstanceId"));
            }
            for (id, _) in &snaps {
                let s = region.snapshot(id)?;
                if s.lifecycle.status(env.now) != "accomplished" {
                    return Err(ApiError::new(
                        403,
                        "IncorrectDiskStatus",
                        format!("The snapshot `{id}` is not finished yet."),
                    ));
                }
            }
            (
                None,
                snaps.into_iter().map(|(s, dev)| (s, Some(dev))).collect(),
            )
        };
    let mut mappings = Vec::new();
    for (i, (source, device)) in sources.into_iter().enumerate() {
        let snapshot = match device {
            // An instance's disk: snapshot it now, for the image.
            None => region.snapshot_disk(&source, "", env),
            Some(_) => source,
        };
        let s = &region.snapshots[&snapshot];
        let device = region
            .disks
            .get(&s.disk_id)
            .map(|d| d.device.clone())
            .filter(|d| !d.is_empty())
            .unwrap_or_else(|| format!("/dev/xvd{}", (b'a' + i as u8) as char));
        mappings.push(Mapping {
            snapshot_id: snapshot.clone(),
            size: s.disk_size,
            device,
            kind: if i == 0 {
                "system".into()
            } else {
                "data".into()
            },
        });
    }
    let base = base.unwrap_or_else(|| public_image(&PUBLIC[0]));
    let image = Image {
        id: ids::resource("m-", env.region.code),
        name,
        description: args.string_or("Description", ""),
        family: args.string_or("ImageFamily", ""),
        version: args.string_or("ImageVersion", ""),
        platform: args.string_or("Platform", &base.platform),
        architecture: args.string_or("Architecture", &base.architecture),
        boot_mode: args.string_or("BootMode", &base.boot_mode),
        size: mappings.first().map_or(base.size, |m| m.size),
        owner: "self".into(),
        created: env.now,
        lifecycle: env.timeline(&["Creating", "Available"]),
        mappings,
        tags,
        is_copied: false,
        resource_group: args.string_or("ResourceGroupId", ""),
        ..base
    };
    let id = image.id.clone();
    region.images.insert(id.clone(), image);
    Ok(json!({"ImageId": id}))
}

pub fn copy_image(world: &mut World, args: &Args, env: &Env) -> Result<Value, ApiError> {
    let source_id = args.string_or("ImageId", "");
    let source_region = env.region.id;
    let source = world.region(source_region);
    let image = get(
        &source.images,
        &source_id,
        "InvalidImageId.NotFound",
        "custom image",
    )?
    .clone();
    let now = image.lifecycle.status(env.now);
    ApiError::unless_available(now, 400, "IncorrectImageStatus", "image", &source_id)?;
    let dest_id = args.string_or("DestinationRegionId", source_region);
    let dest_info = regions::find(&dest_id).ok_or_else(|| {
        ApiError::invalid(
            "DestinationRegion.NotFound",
            format!("The region `{dest_id}` does not exist."),
        )
    })?;
    // Each mapping with its snapshot; one whose snapshot is gone is not copied.
    let snapshots: Vec<_> = image
        .mappings
        .iter()
        .filter_map(|m| Some((m, source.snapshots.get(&m.snapshot_id)?.clone())))
        .collect();
    let tags = tags::from_args(args, "Tag")?;
    let dest_env = Env {
        region: dest_info,
        ..*env
    };
    let dest = world.region(&dest_id);
    let name = args.string_or("DestinationImageName", &image.name);
    if dest
        .images
        .values()
        .any(|i| i.name == name && !name.is_empty())
    {
        return Err(ApiError::invalid(
            "InvalidImageName.Duplicated",
            format!("An image named `{name}` exists already in {dest_id}."),
        ));
    }
    let mut mappings = Vec::new();
    for (m, s) in &snapshots {
        let copy = super::snapshots::Snapshot {
            id: ids::resource("s-", dest_info.code),
            created: env.now,
            lifecycle: dest_env.timeline(&["progressing", "accomplished"]),
            source_snapshot: s.id.clone(),
            source_region: source_region.to_string(),
            tags: Tags::new(),
            ..s.clone()
        };
        mappings.push(Mapping {
            snapshot_id: copy.id.clone(),
            ..(*m).clone()
        });
        dest.snapshots.insert(copy.id.clone(), copy);
    }
    let copy = Image {
        id: ids::resource("m-", dest_info.code),
        name,
        description: args.string_or("DestinationDescription", &image.description),
        created: env.now,
        lifecycle: dest_env.timeline(&["Creating", "Available"]),
        mappings,
        tags,
        is_copied: true,
        ..image
    };
    let id = copy.id.clone();
    dest.images.insert(id.clone(), copy);
    Ok(json!({"ImageId": id}))
}

pub fn delete_image(region: &mut Region, args: &Args, _env: &Env) -> Result<Value, ApiError> {
    let id = args.string_or("ImageId", "");
    get(
        &region.images,
        &id,
        "InvalidImageId.NotFound",
        "custom image",
    )?;
    region.images.remove(&id);
    Ok(json!({}))
}

pub fn describe_images(region: &Region, args: &Args, env: &Env) -> Result<Value, ApiError> {
    let ids = args.comma_list("ImageId");
    let statuses = args
        .comma_list("Status")
        .unwrap_or_else(|| vec!["Available".into()]);
    let owner = args.str("ImageOwnerAlias");
    let tag_filter = tags::Filter::from_args(args);
    let field = |name: &str| args.str(name);
    let catalog: Vec<Image> = PUBLIC.iter().map(public_image).collect();
    let list: Vec<&Image> = catalog
        .iter()
        .chain(region.images.values())
        .filter(|i| ids.as_ref().is_none_or(|ids| ids.contains(&i.id)))
        .filter(|i| statuses.iter().any(|s| s == i.lifecycle.status(env.now)))
        .filter(|i| owner.is_none_or(|o| i.owner == o))
        .filter(|i| field("ImageName").is_none_or(|v| i.name == v))
        .filter(|i| field("ImageFamily").is_none_or(|v| i.family == v))
        .filter(|i| field("OSType").is_none_or(|v| i.os_type == v))
        .filter(|i| field("Architecture").is_none_or(|v| i.architecture == v))
        .filter(|i| {
            args.bool("IsPublic")
                .is_none_or(|v| (i.owner == "system") == v)
        })
        .filter(|i| {
            field("SnapshotId").is_none_or(|v| i.mappings.iter().any(|m| m.snapshot_id == v))
        })
        .filter(|i| {
            field("Usage").is_none_or(|v| {
                let used = region.instances.values().any(|inst| inst.image_id == i.id);
                (v == "instance") == used
            })
        })
        .filter(|i| tag_filter.matches(&i.tags))
        .collect();
    let page = paging::page(args, Limits::new(10, 100), list, |i| {
        paging::by_creation(i.created, &i.id)
    })?;
    let images: Vec<Value> = page.items.iter().map(|i| render(i, region, env)).collect();
    Ok(super::join([
        page.counts(),
        json!({"RegionId": env.region.id, "Images": {"Image": images}}),
    ]))
}

fn render(i: &Image, region: &Region, env: &Env) -> Value {
    let mappings: Vec<Value> = i
        .mappings
        .iter()
        .map(|m| {
            let progress = region
                .snapshots
                .get(&m.snapshot_id)
                .map_or(100, |s| s.lifecycle.progress(env.now));
            json!({
                "SnapshotId": m.snapshot_id,
                "Size": m.size.to_string(),
                "Device": m.device,
                "Type": m.kind,
                "Format": "",
                "ImportOSSBucket": "",
                "ImportOSSObject": "",
                "Progress": format!("{progress}%"),
                "RemainTime": 0,
            })
        })
        .collect();
    let used = region.instances.values().any(|inst| inst.image_id == i.id);
    json!({
        "ImageId": i.id,
        "ImageName": i.name,
        "Description": i.description,
        "ImageFamily": i.family,
        "ImageVersion": i.version,
        "Status": i.lifecycle.status(env.now),
        "Progress": format!("{}%", i.lifecycle.progress(env.now)),
        "CreationTime": iso_seconds(i.created),
        "OSType": i.os_type,
        "OSName": i.os_name,
        "OSNameEn": i.os_name,
        "Platform": i.platform,
        "Architecture": i.architecture,
        "BootMode": i.boot_mode,
        "Size": i.size,
        "ImageOwnerAlias": i.owner,
        "ImageOwnerId": if i.owner == "self" { super::ACCOUNT_ID } else { 0 },
        "IsPublic": i.owner == "system",
        "IsCopied": i.is_copied,
        "IsSelfShared": "",
        "IsSubscribed": false,
        "IsSupportIoOptimized": true,
        "IsSupportCloudinit": true,
        "LoginAsNonRootSupported": i.os_type == "linux",
        "Usage": if used { "instance" } else { "none" },
        "ProductCode": "",
        "SupplierName": "",
        "ResourceGroupId": i.resource_group,
        "DiskDeviceMappings": {"DiskDeviceMapping": mappings},
        "Tags": tags::render(&i.tags),
        "DetectionOptions": {"Status": "", "Items": {"Item": []}},
        "Features": {"NvmeSupport": "supported"},
    })
}
