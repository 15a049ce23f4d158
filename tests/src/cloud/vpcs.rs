//! VPCs and vSwitches, and the private addresses they hand out. Every
//! region has a default VPC (`172.16.0.0/12`) with a default vSwitch per
//! zone, made on first use, so instances can be created without naming a
//! network, as in an account with its default VPC. More are made by a seed
//! document; the ECS API's own VPC calls (deprecated in favour of the VPC
//! product's) are answered from the metadata, except the two Describe calls.

use super::args::Args;
use super::clock::{iso_seconds, Millis, Timeline};
use super::errors::ApiError;
use super::ids;
use super::paging::{self, Limits};
use super::regions;
use super::state::{get, Region};
use super::Env;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Vpc {
    pub id: String,
    pub name: String,
    pub description: String,
    pub cidr: String,
    pub is_default: bool,
    pub created: Millis,
    pub lifecycle: Timeline,
    pub vrouter_id: String,
    pub route_table_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct VSwitch {
    pub id: String,
    pub vpc_id: String,
    pub zone: String,
    pub cidr: String,
    pub name: String,
    pub description: String,
    pub is_default: bool,
    pub created: Millis,
    pub lifecycle: Timeline,
    /// Host offsets in the block handed out and not given back.
    #[serde(default)]
    pub used: Vec<u32>,
}

const DEFAULT_VPC_CIDR: &str = "172.16.0.0/12";

/// `a.b.c.d/n` as (network address, prefix length).
fn parse_cidr(cidr: &str) -> Option<(u32, u32)> {
    let (addr, len) = cidr.split_once('/')?;
    let len: u32 = len.parse().ok().filter(|l| *l <= 32)?;
    let octets: Vec<u32> = addr
        .split('.')
        .map(|o| o.parse::<u8>().ok().map(u32::from))
        .collect::<Option<_>>()?;
    if octets.len() != 4 {
        return None;
    }
    let ip = octets.iter().fold(0, |acc, o| acc << 8 | o);
    let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
    (ip & mask == ip).then_some((ip, len))
}

fn contains(outer: (u32, u32), inner: (u32, u32)) -> bool {
    let mask = |len: u32| if len == 0 { 0 } else { u32::MAX << (32 - len) };
    inner.1 >= outer.1 && inner.0 & mask(outer.1) == outer.0
}

fn overlaps(a: (u32, u32), b: (u32, u32)) -> bool {
    contains(a, b) || contains(b, a)
}

fn dotted(ip: u32) -> String {
    format!(
        "{}.{}.{}.{}",
        ip >> 24,
        ip >> 16 & 255,
        ip >> 8 & 255,
        ip & 255
    )
}

fn malformed_cidr(cidr: &str) -> ApiError {
    ApiError::invalid(
        "InvalidCidrBlock.Malformed",
        format!("`{cidr}` is not a CIDR block such as 172.16.0.0/24 (the address must be the block's first)."),
    )
}

impl Region {
    /// The region's default VPC, made if missing.
    pub fn default_vpc(&mut self, env: &Env) -> String {
        if let Some(vpc) = self.vpcs.values().find(|v| v.is_default) {
            return vpc.id.clone();
        }
        let vpc = new_vpc(env, DEFAULT_VPC_CIDR, "", "", true);
        let id = vpc.id.clone();
        self.vpcs.insert(
            id.clone(),
            Vpc {
                lifecycle: Timeline::settled(env.now, "Available"),
                ..vpc
            },
        );
        id
    }

    /// The default vSwitch of `zone` in the default VPC, made if missing.
    pub fn default_vswitch(&mut self, zone: &str, env: &Env) -> String {
        let vpc_id = self.default_vpc(env);
        if let Some(vsw) = self
            .vswitches
            .values()
            .find(|v| v.is_default && v.zone == zone && v.vpc_id == vpc_id)
        {
            return vsw.id.clone();
        }
        let index = env
            .region
            .zone_ids()
            .iter()
            .position(|z| z == zone)
            .unwrap_or(0) as u32;
        let cidr = format!("172.16.{}.0/20", index * 16);
        let vsw = VSwitch {
            lifecycle: Timeline::settled(env.now, "Available"),
            ..new_vswitch(env, &vpc_id, zone, &cidr, "", "", true)
        };
        let id = vsw.id.clone();
        self.vswitches.insert(id.clone(), vsw);
        id
    }

    /// A vSwitch that can take new addresses, or why not.
    pub fn usable_vswitch(&self, id: &str, env: &Env) -> Result<&VSwitch, ApiError> {
        let vsw = self.vswitch(id)?;
        let now = vsw.lifecycle.status(env.now);
        ApiError::unless_available(now, 400, "IncorrectVSwitchStatus", "vSwitch", id)?;
        Ok(vsw)
    }

    /// The next free private address of the vSwitch, or `wanted` if given
    /// and free.
    pub fn allocate_ip(
        &mut self,
        vswitch_id: &str,
        wanted: Option<&str>,
    ) -> Result<String, ApiError> {
        let Some(vsw) = self.vswitches.get_mut(vswitch_id) else {
            return Err(ApiError::not_found(
                "InvalidVSwitchId.NotFound",
                "vSwitch",
                vswitch_id,
            ));
        };
        let (base, len) = parse_cidr(&vsw.cidr).unwrap_or((0, 32));
        let hosts = if len >= 31 {
            0
        } else {
            (1u32 << (32 - len)) - 2
        };
        let offset = match wanted {
            Some(ip) => {
                let parsed = parse_cidr(&format!("{ip}/32")).map(|(a, _)| a);
                match parsed {
                    Some(a) if a > base && a - base <= hosts => a - base,
                    _ => {
                        return Err(ApiError::invalid(
                            "InvalidPrivateIpAddress",
                            format!(
                                "`{ip}` is not an address in the vSwitch's block {}.",
                                vsw.cidr
                            ),
                        ))
                    }
                }
            }
            None => match (1..=hosts).find(|o| !vsw.used.contains(o)) {
                Some(o) => o,
                None => {
                    return Err(ApiError::invalid(
                        "QuotaExceeded.PrivateIpAddress",
                        format!("The vSwitch `{vswitch_id}` has no free private address left."),
                    ))
                }
            },
        };
        if vsw.used.contains(&offset) {
            return Err(ApiError::invalid(
                "InvalidPrivateIpAddress.Duplicated",
                format!(
                    "The address {} is already in use in `{vswitch_id}`.",
                    dotted(base + offset)
                ),
            ));
        }
        vsw.used.push(offset);
        Ok(dotted(base + offset))
    }

    /// A /24 of the VPC that no vSwitch of it uses yet.
    pub fn free_block(&self, vpc_id: &str) -> Option<String> {
        let vpc = parse_cidr(&self.vpcs.get(vpc_id)?.cidr)?;
        let taken: Vec<(u32, u32)> = self
            .vswitches
            .values()
            .filter(|v| v.vpc_id == vpc_id)
            .filter_map(|v| parse_cidr(&v.cidr))
            .collect();
        let size = 1u32 << 8;
        let blocks = if vpc.1 >= 24 { 1 } else { 1u32 << (24 - vpc.1) };
        (0..blocks)
            .rev()
            .map(|n| (vpc.0 + n * size, 24))
            .find(|b| !taken.iter().any(|t| overlaps(*t, *b)))
            .map(|(ip, len)| format!("{}/{len}", dotted(ip)))
    }

    /// Gives an address back to its vSwitch.
    pub fn release_ip(&mut self, vswitch_id: &str, ip: &str) {
        let Some(vsw) = self.vswitches.get_mut(vswitch_id) else {
            return;
        };
        let (Some((base, _)), Some((addr, _))) =
            (parse_cidr(&vsw.cidr), parse_cidr(&format!("{ip}/32")))
        else {
            return;
        };
        vsw.used.retain(|o| base + o != addr);
    }
}

fn new_vpc(env: &Env, cidr: &str, name: &str, description: &str, is_default: bool) -> Vpc {
    Vpc {
        id: ids::resource("vpc-", env.region.code),
        name: name.to_string(),
        description: description.to_string(),
        cidr: cidr.to_string(),
        is_default,
        created: env.now,
        lifecycle: env.timeline(&["Pending", "Available"]),
        vrouter_id: ids::resource("vrt-", env.region.code),
        route_table_id: ids::resource("vtb-", env.region.code),
    }
}

fn new_vswitch(
    env: &Env,
    vpc: &str,
    zone: &str,
    cidr: &str,
    name: &str,
    description: &str,
    is_default: bool,
) -> VSwitch {
    VSwitch {
        id: ids::resource("vsw-", env.region.code),
        vpc_id: vpc.to_string(),
        zone: zone.to_string(),
        cidr: cidr.to_string(),
        name: name.to_string(),
        description: description.to_string(),
        is_default,
        created: env.now,
        lifecycle: env.timeline(&["Pending", "Available"]),
        used: Vec::new(),
    }
}

pub fn create_vpc(region: &mut Region, args: &Args, env: &Env) -> Result<Value, ApiError> {
    let cidr = args.string_or("CidrBlock", DEFAULT_VPC_CIDR);
    parse_cidr(&cidr).ok_or_else(|| malformed_cidr(&cidr))?;
    let vpc = new_vpc(
        env,
        &cidr,
        &args.string_or("VpcName", ""),
        &args.string_or("Description", ""),
        false,
    );
    let body =
        json!({"VpcId": vpc.id, "VRouterId": vpc.vrouter_id, "RouteTableId": vpc.route_table_id});
    region.vpcs.insert(vpc.id.clone(), vpc);
    Ok(body)
}

pub fn create_vswitch(region: &mut Region, args: &Args, env: &Env) -> Result<Value, ApiError> {
    let vpc_id = args.string_or("VpcId", "");
    let vpc = get(&region.vpcs, &vpc_id, "InvalidVpcId.NotFound", "VPC")?;
    let zone = args.string_or("ZoneId", "");
    regions::zone_in(env.region, &zone)?;
    let cidr = args.string_or("CidrBlock", "");
    let block = parse_cidr(&cidr).ok_or_else(|| malformed_cidr(&cidr))?;
    let vpc_block = parse_cidr(&vpc.cidr).unwrap_or((0, 0));
    if !contains(vpc_block, block) {
        return Err(ApiError::invalid(
            "InvalidCidrBlock.Malformed",
            format!(
                "The block {cidr} is not inside the VPC's block {}.",
                vpc.cidr
            ),
        ));
    }
    if let Some(other) = region
        .vswitches
        .values()
        .filter(|v| v.vpc_id == vpc_id)
        .find(|v| parse_cidr(&v.cidr).is_some_and(|b| overlaps(b, block)))
    {
        return Err(ApiError::invalid(
            "InvalidCidrBlock.Overlapped",
            format!(
                "The block {cidr} overlaps {} of vSwitch `{}`.",
                other.cidr, other.id
            ),
        ));
    }
    let vsw = new_vswitch(
        env,
        &vpc_id,
        &zone,
        &cidr,
        &args.string_or("VSwitchName", ""),
        &args.string_or("Description", ""),
        false,
    );
    let body = json!({"VSwitchId": vsw.id});
    region.vswitches.insert(vsw.id.clone(), vsw);
    Ok(body)
}

pub fn describe_vpcs(region: &Region, args: &Args, env: &Env) -> Result<Value, ApiError> {
    let wanted = args.comma_list("VpcId");
    let is_default = args.bool("IsDefault");
    let list: Vec<&Vpc> = region
        .vpcs
        .values()
        .filter(|v| wanted.as_ref().is_none_or(|w| w.contains(&v.id)))
        .filter(|v| is_default.is_none_or(|d| d == v.is_default))
        .collect();
    let page = paging::page(args, Limits::new(10, 50), list, |v| {
        paging::by_creation(v.created, &v.id)
    })?;
    let vpcs: Vec<Value> = page
        .items
        .iter()
        .map(|v| {
            let vswitches: Vec<&str> = region
                .vswitches
                .values()
                .filter(|s| s.vpc_id == v.id)
                .map(|s| s.id.as_str())
                .collect();
            json!({
                "VpcId": v.id,
                "RegionId": env.region.id,
                "Status": v.lifecycle.status(env.now),
                "VpcName": v.name,
                "Description": v.description,
                "CidrBlock": v.cidr,
                "IsDefault": v.is_default,
                "VRouterId": v.vrouter_id,
                "CreationTime": iso_seconds(v.created),
                "VSwitchIds": {"VSwitchId": vswitches},
                "UserCidrs": {"UserCidr": []},
            })
        })
        .collect();
    Ok(super::join([
        page.counts(),
        json!({
            "Vpcs": {"Vpc": vpcs},
        }),
    ]))
}

pub fn describe_vswitches(region: &Region, args: &Args, env: &Env) -> Result<Value, ApiError> {
    let vpc = args.str("VpcId");
    let wanted = args.comma_list("VSwitchId");
    let zone = args.str("ZoneId");
    let is_default = args.bool("IsDefault");
    let list: Vec<&VSwitch> = region
        .vswitches
        .values()
        .filter(|v| vpc.is_none_or(|id| v.vpc_id == id))
        .filter(|v| wanted.as_ref().is_none_or(|w| w.contains(&v.id)))
        .filter(|v| zone.is_none_or(|z| v.zone == z))
        .filter(|v| is_default.is_none_or(|d| d == v.is_default))
        .collect();
    let page = paging::page(args, Limits::new(10, 50), list, |v| {
        paging::by_creation(v.created, &v.id)
    })?;
    let vswitches: Vec<Value> = page
        .items
        .iter()
        .map(|v| {
            let (_, len) = parse_cidr(&v.cidr).unwrap_or((0, 32));
            let hosts = if len >= 31 {
                0
            } else {
                (1u64 << (32 - len)) - 2
            };
            json!({
                "VSwitchId": v.id,
                "VpcId": v.vpc_id,
                "ZoneId": v.zone,
                "Status": v.lifecycle.status(env.now),
                "CidrBlock": v.cidr,
                "VSwitchName": v.name,
                "Description": v.description,
                "IsDefault": v.is_default,
                "AvailableIpAddressCount": hosts.saturating_sub(v.used.len() as u64),
                "ResourceGroupId": "",
                "CreationTime": iso_seconds(v.created),
            })
        })
        .collect();
    Ok(super::join([
        page.counts(),
        json!({
            "VSwitches": {"VSwitch": vswitches},
        }),
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cidr_blocks_and_their_containment() {
        let vpc = parse_cidr("172.16.0.0/12").unwrap();
        assert!(contains(vpc, parse_cidr("172.16.32.0/20").unwrap()));
        assert!(!contains(vpc, parse_cidr("192.168.0.0/24").unwrap()));
        assert_eq!(
            parse_cidr("172.16.0.1/24"),
            None,
            "not the block's first address"
        );
        assert_eq!(parse_cidr("172.16.0/24"), None);
        assert!(overlaps(
            parse_cidr("10.0.0.0/16").unwrap(),
            parse_cidr("10.0.1.0/24").unwrap()
        ));
        assert_eq!(
            dotted(parse_cidr("172.16.0.0/12").unwrap().0 + 258),
            "172.16.1.2"
        );
    }
}
