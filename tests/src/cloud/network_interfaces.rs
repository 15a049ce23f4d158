//! Elastic network interfaces: every instance's primary interface, the
//! secondary ones `RunInstances` or `CreateNetworkInterface` make, and
//! attaching and detaching them.

use super::args::Args;
use super::clock::{iso_seconds, Millis, Timeline};
use super::errors::ApiError;
use super::ids;
use super::instance_types;
use super::paging::{self, Limits};
use super::state::Region;
use super::tags::{self, Tags};
use super::Env;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Eni {
    pub id: String,
    pub name: String,
    pub description: String,
    pub vswitch_id: String,
    pub vpc_id: String,
    pub zone: String,
    pub primary_ip: String,
    pub secondary_ips: Vec<String>,
    pub ipv6: Vec<String>,
    pub mac: String,
    pub security_groups: Vec<String>,
    /// `Primary` or `Secondary`.
    pub kind: String,
    pub instance: Option<String>,
    pub device_index: u32,
    pub network_card_index: i64,
    pub created: Millis,
    /// `Available`, `Attaching`, `InUse`, `Detaching`.
    pub lifecycle: Timeline,
    pub tags: Tags,
    pub delete_on_release: bool,
    pub queue_number: i64,
    pub traffic_mode: String,
    #[serde(default)]
    pub resource_group: String,
}

/// What a new interface is made of.
#[derive(Debug, Clone, Default)]
pub(crate) struct EniSpec {
    pub vswitch_id: String,
    pub security_groups: Vec<String>,
    pub primary_ip: Option<String>,
    pub secondary_ips: Vec<String>,
    pub secondary_count: usize,
    pub ipv6: Vec<String>,
    pub ipv6_count: usize,
    pub name: String,
    pub description: String,
    pub kind: String,
    pub tags: Tags,
    pub delete_on_release: bool,
    pub queue_number: i64,
    pub traffic_mode: String,
    pub resource_group: String,
}

fn ipv6_address() -> String {
    let b = uuid::Uuid::new_v4().into_bytes();
    format!(
        "2408:4005:3cc:{:x}:{:x}:{:x}:{:x}:{:x}",
        u16::from_be_bytes([b[0], b[1]]),
        u16::from_be_bytes([b[2], b[3]]),
        u16::from_be_bytes([b[4], b[5]]),
        u16::from_be_bytes([b[6], b[7]]),
        u16::from_be_bytes([b[8], b[9]])
    )
}

impl Region {
    /// Makes an interface in `spec.vswitch_id` (Available) and returns its id.
    pub fn create_eni(&mut self, spec: EniSpec, env: &Env) -> Result<String, ApiError> {
        let vsw = self.usable_vswitch(&spec.vswitch_id, env)?;
        let (vpc_id, zone) = (vsw.vpc_id.clone(), vsw.zone.clone());
        let group_vpc = self.groups_of_one_vpc(&spec.security_groups)?;
        if !spec.security_groups.is_empty() && group_vpc != vpc_id {
            return Err(ApiError::invalid(
                "InvalidParameter.Mismatch",
                format!("The security groups are in VPC `{group_vpc}` but the vSwitch `{}` is in `{vpc_id}`.", spec.vswitch_id),
            ));
        }
        // The primary address first, then the secondary ones; all or none.
        let wanted = std::iter::once(spec.primary_ip.clone())
            .chain(spec.secondary_ips.iter().cloned().map(Some))
            .chain(std::iter::repeat_n(None, spec.secondary_count));
        let mut taken: Vec<String> = Vec::new();
        for ip in wanted {
            match self.allocate_ip(&spec.vswitch_id, ip.as_deref()) {
                Ok(ip) => taken.push(ip),
                Err(e) => {
                    for ip in &taken {
                        self.release_ip(&spec.vswitch_id, ip);
                    }
                    return Err(e);
                }
            }
        }
        let primary = taken.remove(0);
        let secondary = taken;
        let mut ipv6 = spec.ipv6.clone();
        ipv6.extend((0..spec.ipv6_count).map(|_| ipv6_address()));
        let eni = Eni {
            id: ids::resource("eni-", env.region.code),
            name: spec.name,
            description: spec.description,
            vswitch_id: spec.vswitch_id,
            vpc_id,
            zone,
            primary_ip: primary,
            secondary_ips: secondary,
            ipv6,
            mac: ids::mac(),
            security_groups: spec.security_groups,
            kind: spec.kind,
            instance: None,
            device_index: 0,
            network_card_index: 0,
            created: env.now,
            lifecycle: Timeline::settled(env.now, "Available"),
            tags: spec.tags,
            delete_on_release: spec.delete_on_release,
            queue_number: spec.queue_number,
            traffic_mode: spec.traffic_mode,
            resource_group: spec.resource_group,
        };
        let id = eni.id.clone();
        self.enis.insert(id.clone(), eni);
        Ok(id)
    }

    /// Deletes an interface and gives its addresses back.
    pub fn remove_eni(&mut self, id: &str) {
        if let Some(eni) = self.enis.remove(id) {
            for ip in std::iter::once(&eni.primary_ip).chain(&eni.secondary_ips) {
                self.release_ip(&eni.vswitch_id, ip);
            }
        }
    }

    /// The interfaces of a released instance: its primary one and those
    /// set to go with it are deleted, the others are Available at once.
    pub fn release_enis_of(&mut self, instance: &str, now: Millis) {
        let enis: Vec<(String, bool)> = self
            .enis_of(instance)
            .iter()
            .map(|e| (e.id.clone(), e.kind == "Primary" || e.delete_on_release))
            .collect();
        for (eni, goes) in enis {
            if goes {
                self.remove_eni(&eni);
            } else if let Some(e) = self.enis.get_mut(&eni) {
                e.instance = None;
                e.lifecycle = Timeline::settled(now, "Available");
            }
        }
    }

    /// Attaches an Available interface to `instance` at the next device index.
    pub fn plug_eni(&mut self, eni_id: &str, instance: &str, status: Timeline) {
        let next = self
            .enis
            .values()
            .filter(|e| e.instance.as_deref() == Some(instance))
            .map(|e| e.device_index + 1)
            .max()
            .unwrap_or(0);
        if let Some(eni) = self.enis.get_mut(eni_id) {
            eni.instance = Some(instance.to_string());
            eni.device_index = next;
            eni.lifecycle = status;
        }
    }

    /// The interfaces of an instance, primary first.
    pub fn enis_of(&self, instance: &str) -> Vec<&Eni> {
        let mut list: Vec<&Eni> = self
            .enis
            .values()
            .filter(|e| e.instance.as_deref() == Some(instance))
            .collect();
        list.sort_by_key(|e| e.device_index);
        list
    }
}

/// The `NetworkInterfaces.NetworkInterface` entry of an instance.
pub fn render_for_instance(eni: &Eni) -> Value {
    json!({
        "Type": eni.kind,
        "MacAddress": eni.mac,
        "PrimaryIpAddress": eni.primary_ip,
        "NetworkInterfaceId": eni.id,
        "PrivateIpSets": {"PrivateIpSet": private_ips(eni)},
        "Ipv6Sets": {"Ipv6Set": ipv6_sets(eni)},
        "Ipv4PrefixSets": {"Ipv4PrefixSet": []},
        "Ipv6PrefixSets": {"Ipv6PrefixSet": []},
    })
}

fn private_ips(eni: &Eni) -> Vec<Value> {
    std::iter::once((&eni.primary_ip, true))
        .chain(eni.secondary_ips.iter().map(|ip| (ip, false)))
        .map(|(ip, primary)| json!({"PrivateIpAddress": ip, "Primary": primary}))
        .collect()
}

/// [`private_ips`] with the public address each is associated with (none).
fn private_ips_with_public(eni: &Eni) -> Vec<Value> {
    let mut ips = private_ips(eni);
    for ip in &mut ips {
        ip["AssociatedPublicIp"] = json!({"PublicIpAddress": "", "AllocationId": ""});
    }
    ips
}

fn ipv6_sets(eni: &Eni) -> Vec<Value> {
    eni.ipv6
        .iter()
        .map(|ip| json!({"Ipv6Address": ip}))
        .collect()
}

/// An address written with `*` for digits, as the metadata's examples
/// write them: no address to take, so the next free one is.
pub fn masked(ip: &str) -> bool {
    ip.contains('*')
}

/// `Name.N` security groups, else the single `SecurityGroupId`.
fn groups(args: &Args, list: &str) -> Vec<String> {
    let mut ids: Vec<String> = args.list(list).iter().map(|s| s.to_string()).collect();
    if ids.is_empty() {
        ids.extend(args.string("SecurityGroupId"));
    }
    ids
}

pub fn create(region: &mut Region, args: &Args, env: &Env) -> Result<Value, ApiError> {
    let traffic = args.object("NetworkInterfaceTrafficConfig");
    let spec = EniSpec {
        vswitch_id: args.string_or("VSwitchId", ""),
        security_groups: groups(args, "SecurityGroupIds"),
        primary_ip: args.string("PrimaryIpAddress").filter(|ip| !masked(ip)),
        secondary_ips: args
            .list("PrivateIpAddress")
            .iter()
            .filter(|ip| !masked(ip))
            .map(|s| s.to_string())
            .collect(),
        secondary_count: args
            .int("SecondaryPrivateIpAddressCount")
            .unwrap_or(0)
            .max(0) as usize,
        ipv6: args
            .list("Ipv6Address")
            .iter()
            .map(|s| s.to_string())
            .collect(),
        ipv6_count: args.int("Ipv6AddressCount").unwrap_or(0).max(0) as usize,
        name: args.string_or("NetworkInterfaceName", ""),
        description: args.string_or("Description", ""),
        kind: "Secondary".into(),
        tags: tags::from_args(args, "Tag")?,
        delete_on_release: args.bool("DeleteOnRelease").unwrap_or(true),
        queue_number: traffic
            .int("QueueNumber")
            .or(args.int("QueueNumber"))
            .unwrap_or(1),
        traffic_mode: traffic
            .string("NetworkInterfaceTrafficMode")
            .or(args.string("NetworkInterfaceTrafficMode"))
            .unwrap_or_else(|| "Standard".into()),
        resource_group: args.string_or("ResourceGroupId", ""),
    };
    if spec.security_groups.is_empty() {
        return Err(ApiError::missing("SecurityGroupId"));
    }
    let id = region.create_eni(spec, env)?;
    let eni = &region.enis[&id];
    Ok(json!({
        "NetworkInterfaceId": eni.id,
        "Status": eni.lifecycle.status(env.now),
        "Type": eni.kind,
        "VpcId": eni.vpc_id,
        "VSwitchId": eni.vswitch_id,
        "ZoneId": eni.zone,
        "PrivateIpAddress": eni.primary_ip,
        "MacAddress": eni.mac,
        "NetworkInterfaceName": eni.name,
        "Description": eni.description,
        "ResourceGroupId": eni.resource_group,
        "ServiceID": 0,
        "ServiceManaged": false,
        "OwnerId": super::ACCOUNT_ID.to_string(),
        "SecurityGroupIds": {"SecurityGroupId": eni.security_groups},
        "PrivateIpSets": {"PrivateIpSet": private_ips(eni)},
        "Ipv6Sets": {"Ipv6Set": ipv6_sets(eni)},
        "Ipv4PrefixSets": {"Ipv4PrefixSet": []},
        "Ipv6PrefixSets": {"Ipv6PrefixSet": []},
        "Tags": tags::render(&eni.tags),
    }))
}

fn eni_state(id: &str, status: &str, needs: &str) -> ApiError {
    ApiError::status(
        "InvalidOperation.InvalidEniState",
        "network interface",
        id,
        status,
        needs,
    )
}

pub fn delete(region: &mut Region, args: &Args, env: &Env) -> Result<Value, ApiError> {
    let id = args.string_or("NetworkInterfaceId", "");
    let eni = region.eni(&id)?;
    let status = eni.lifecycle.status(env.now);
    if eni.instance.is_some() || status != "Available" {
        return Err(eni_state(&id, status, "Available (detach it first)"));
    }
    region.remove_eni(&id);
    Ok(json!({}))
}

pub fn attach(region: &mut Region, args: &Args, env: &Env) -> Result<Value, ApiError> {
    let eni_id = args.string_or("NetworkInterfaceId", "");
    let instance_id = args.string_or("InstanceId", "");
    let eni = region.eni(&eni_id)?;
    let instance = region.instance(&instance_id)?;
    let status = eni.lifecycle.status(env.now);
    if eni.instance.is_some() || status != "Available" {
        return Err(eni_state(&eni_id, status, "Available"));
    }
    instance.settled(env)?;
    if eni.zone != instance.zone {
        return Err(ApiError::new(
            403,
            "InvalidOperation.AvailabilityZoneMismatch",
            format!(
                "The network interface is in {} and the instance in {}.",
                eni.zone, instance.zone
            ),
        ));
    }
    if eni.vpc_id != instance.vpc_id {
        return Err(ApiError::new(
            403,
            "InvalidOperation.VpcMismatch",
            format!(
                "The network interface is in VPC {} and the instance in {}.",
                eni.vpc_id, instance.vpc_id
            ),
        ));
    }
    let limit = instance_types::parse(&instance.instance_type)
        .map_or(2, |s| (s.cpu / 2 + 1).clamp(2, 8)) as usize;
    if region.enis_of(&instance_id).len() >= limit {
        return Err(ApiError::new(
            403,
            "EniPerInstanceLimitExceeded",
            format!(
                "The instance `{instance_id}` ({}) takes at most {limit} network interfaces.",
                instance.instance_type
            ),
        ));
    }
    region.plug_eni(&eni_id, &instance_id, env.timeline(&["Attaching", "InUse"]));
    if let Some(eni) = region.enis.get_mut(&eni_id) {
        eni.network_card_index = args.int("NetworkCardIndex").unwrap_or(0);
    }
    Ok(json!({}))
}

pub fn detach(region: &mut Region, args: &Args, env: &Env) -> Result<Value, ApiError> {
    let eni_id = args.string_or("NetworkInterfaceId", "");
    let instance_id = args.string_or("InstanceId", "");
    region.instance(&instance_id)?;
    let eni = region.eni_mut(&eni_id)?;
    if eni.instance.as_deref() != Some(instance_id.as_str()) {
        return Err(ApiError::new(
            403,
            "InvalidOperation.InvalidEniState",
            format!("The network interface `{eni_id}` is not attached to `{instance_id}`."),
        ));
    }
    if eni.kind == "Primary" {
        return Err(ApiError::new(403, "InvalidOperation.DetachPrimaryEniNotAllowed", format!("`{eni_id}` is the primary interface of `{instance_id}`; it goes with the instance.")));
    }
    let status = eni.lifecycle.status(env.now).to_string();
    if status != "InUse" {
        return Err(eni_state(&eni_id, &status, "InUse"));
    }
    eni.instance = None;
    eni.lifecycle = env.timeline(&["Detaching", "Available"]);
    Ok(json!({}))
}

pub fn describe(region: &Region, args: &Args, env: &Env) -> Result<Value, ApiError> {
    let ids = args.list("NetworkInterfaceId");
    let private = args.list("PrivateIpAddress");
    let tag_filter = tags::Filter::from_args(args);
    let field = |name: &str| args.str(name);
    let list: Vec<&Eni> = region
        .enis
        .values()
        .filter(|e| ids.is_empty() || ids.contains(&e.id.as_str()))
        .filter(|e| {
            private.is_empty()
                || private.contains(&e.primary_ip.as_str())
                || e.secondary_ips
                    .iter()
                    .any(|ip| private.contains(&ip.as_str()))
        })
        .filter(|e| field("VSwitchId").is_none_or(|v| e.vswitch_id == v))
        .filter(|e| field("VpcId").is_none_or(|v| e.vpc_id == v))
        .filter(|e| field("PrimaryIpAddress").is_none_or(|v| e.primary_ip == v))
        .filter(|e| {
            field("SecurityGroupId").is_none_or(|v| e.security_groups.iter().any(|g| g == v))
        })
        .filter(|e| field("NetworkInterfaceName").is_none_or(|v| e.name == v))
        .filter(|e| field("Type").is_none_or(|v| e.kind == v))
        .filter(|e| field("InstanceId").is_none_or(|v| e.instance.as_deref() == Some(v)))
        .filter(|e| field("Status").is_none_or(|v| e.lifecycle.status(env.now) == v))
        .filter(|e| tag_filter.matches(&e.tags))
        .collect();
    let page = paging::page(args, Limits::new(10, 500), list, |e| {
        paging::by_creation(e.created, &e.id)
    })?;
    let sets: Vec<Value> = page
        .items
        .iter()
        .map(|e| {
            json!({
                "NetworkInterfaceId": e.id,
                "NetworkInterfaceName": e.name,
                "Description": e.description,
                "Status": e.lifecycle.status(env.now),
                "Type": e.kind,
                "VpcId": e.vpc_id,
                "VSwitchId": e.vswitch_id,
                "ZoneId": e.zone,
                "PrivateIpAddress": e.primary_ip,
                "MacAddress": e.mac,
                "InstanceId": e.instance.clone().unwrap_or_default(),
                "CreationTime": iso_seconds(e.created),
                "ResourceGroupId": e.resource_group,
                "ServiceID": 0,
                "ServiceManaged": false,
                "OwnerId": super::ACCOUNT_ID.to_string(),
                "QueueNumber": e.queue_number,
                "QueuePairNumber": 0,
                "NetworkInterfaceTrafficMode": e.traffic_mode,
                "DeleteOnRelease": e.delete_on_release,
                "SecurityGroupIds": {"SecurityGroupId": e.security_groups},
                "PrivateIpSets": {"PrivateIpSet": private_ips_with_public(e)},
                "Ipv6Sets": {"Ipv6Set": ipv6_sets(e)},
                "Ipv4PrefixSets": {"Ipv4PrefixSet": []},
                "Ipv6PrefixSets": {"Ipv6PrefixSet": []},
                "Tags": tags::render(&e.tags),
                "AssociatedPublicIp": {"PublicIpAddress": "", "AllocationId": ""},
                "Attachment": {
                    "InstanceId": e.instance.clone().unwrap_or_default(),
                    "DeviceIndex": e.device_index,
                    "NetworkCardIndex": e.network_card_index,
                    "TrunkNetworkInterfaceId": "",
                },
            })
        })
        .collect();
    Ok(super::join([
        page.counts_and_token(),
        json!({
            "NetworkInterfaceSets": {"NetworkInterfaceSet": sets},
        }),
    ]))
}
