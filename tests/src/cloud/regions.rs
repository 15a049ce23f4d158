//! The regions and zones the simulated cloud offers (Alibaba's public
//! regions, each with the code its resource ids begin with), and
//! `DescribeRegions` / `DescribeZones` over them.

use super::args::Args;
use super::errors::ApiError;
use super::instance_types;
use super::state::{Region, World};
use super::Env;
use serde_json::{json, Value};

/// One region: its id, English name, id code and zone letters.
#[derive(Debug, Clone, Copy)]
pub struct RegionInfo {
    pub id: &'static str,
    pub name: &'static str,
    pub code: &'static str,
    pub zones: &'static str,
}

impl RegionInfo {
    /// `cn-hangzhou-b`, `cn-hangzhou-c`, ...
    pub fn zone_ids(&self) -> Vec<String> {
        self.zones
            .chars()
            .map(|z| format!("{}-{z}", self.id))
            .collect()
    }

    pub fn has_zone(&self, zone: &str) -> bool {
        zone.strip_prefix(self.id)
            .and_then(|z| z.strip_prefix('-'))
            .is_some_and(|z| z.len() == 1 && self.zones.contains(z))
    }

    pub fn first_zone(&self) -> String {
        self.zone_ids().remove(0)
    }
}

pub const REGIONS: &[RegionInfo] = &[
    RegionInfo {
        id: "cn-qingdao",
        name: "China (Qingdao)",
        code: "m5",
        zones: "bc",
    },
    RegionInfo {
        id: "cn-beijing",
        name: "China (Beijing)",
        code: "2z",
        zones: "acdefghijkl",
    },
    RegionInfo {
        id: "cn-zhangjiakou",
        name: "China (Zhangjiakou)",
        code: "8v",
        zones: "abc",
    },
    RegionInfo {
        id: "cn-huhehaote",
        name: "China (Hohhot)",
        code: "hp",
        zones: "ab",
    },
    RegionInfo {
        id: "cn-wulanchabu",
        name: "China (Ulanqab)",
        code: "0j",
        zones: "abc",
    },
    RegionInfo {
        id: "cn-hangzhou",
        name: "China (Hangzhou)",
        code: "bp",
        zones: "bcdefghijk",
    },
    RegionInfo {
        id: "cn-shanghai",
        name: "China (Shanghai)",
        code: "uf",
        zones: "abcdefglmn",
    },
    RegionInfo {
        id: "cn-nanjing",
        name: "China (Nanjing - Local Region)",
        code: "gc",
        zones: "a",
    },
    RegionInfo {
        id: "cn-shenzhen",
        name: "China (Shenzhen)",
        code: "wz",
        zones: "abcdef",
    },
    RegionInfo {
        id: "cn-heyuan",
        name: "China (Heyuan)",
        code: "f8",
        zones: "ab",
    },
    RegionInfo {
        id: "cn-guangzhou",
        name: "China (Guangzhou)",
        code: "7x",
        zones: "ab",
    },
    RegionInfo {
        id: "cn-chengdu",
        name: "China (Chengdu)",
        code: "2v",
        zones: "ab",
    },
    RegionInfo {
        id: "cn-hongkong",
        name: "China (Hong Kong)",
        code: "j6",
        zones: "bcd",
    },
    RegionInfo {
        id: "ap-northeast-1",
        name: "Japan (Tokyo)",
        code: "6w",
        zones: "abc",
    },
    RegionInfo {
        id: "ap-northeast-2",
        name: "South Korea (Seoul)",
        code: "mj",
        zones: "a",
    },
    RegionInfo {
        id: "ap-southeast-1",
        name: "Singapore",
        code: "t4",
        zones: "abc",
    },
    RegionInfo {
        id: "ap-southeast-3",
        name: "Malaysia (Kuala Lumpur)",
        code: "8p",
        zones: "ab",
    },
    RegionInfo {
        id: "ap-southeast-5",
        name: "Indonesia (Jakarta)",
        code: "k1",
        zones: "abc",
    },
    RegionInfo {
        id: "ap-southeast-6",
        name: "Philippines (Manila)",
        code: "5t",
        zones: "a",
    },
    RegionInfo {
        id: "ap-southeast-7",
        name: "Thailand (Bangkok)",
        code: "0i",
        zones: "a",
    },
    RegionInfo {
        id: "us-east-1",
        name: "US (Virginia)",
        code: "0x",
        zones: "ab",
    },
    RegionInfo {
        id: "us-west-1",
        name: "US (Silicon Valley)",
        code: "rj",
        zones: "ab",
    },
    RegionInfo {
        id: "eu-west-1",
        name: "UK (London)",
        code: "d7",
        zones: "ab",
    },
    RegionInfo {
        id: "eu-central-1",
        name: "Germany (Frankfurt)",
        code: "gw",
        zones: "abc",
    },
    RegionInfo {
        id: "me-east-1",
        name: "UAE (Dubai)",
        code: "eb",
        zones: "a",
    },
    RegionInfo {
        id: "me-central-1",
        name: "Saudi Arabia (Riyadh - Partner Region)",
        code: "l4",
        zones: "a",
    },
];

pub fn find(id: &str) -> Option<&'static RegionInfo> {
    REGIONS.iter().find(|r| r.id == id)
}

/// The region or `InvalidRegionId.NotFound`.
pub fn known(id: &str) -> Result<&'static RegionInfo, ApiError> {
    find(id).ok_or_else(|| {
        ApiError::new(
            404,
            "InvalidRegionId.NotFound",
            format!("The region `{id}` does not exist; DescribeRegions lists the regions."),
        )
    })
}

/// The zone or `InvalidZoneId.NotFound`.
pub fn zone_in(region: &RegionInfo, zone: &str) -> Result<(), ApiError> {
    if region.has_zone(zone) {
        Ok(())
    } else {
        Err(ApiError::new(
            404,
            "InvalidZoneId.NotFound",
            format!(
                "The zone `{zone}` is not a zone of {}; its zones are {}.",
                region.id,
                region.zone_ids().join(", ")
            ),
        ))
    }
}

pub fn describe_regions(_world: &World, _args: &Args, _env: &Env) -> Result<Value, ApiError> {
    let regions: Vec<Value> = REGIONS
        .iter()
        .map(|r| {
            json!({
                "RegionId": r.id,
                "LocalName": r.name,
                "RegionEndpoint": format!("ecs.{}.aliyuncs.com", r.id),
                "Status": "available",
            })
        })
        .collect();
    Ok(json!({ "Regions": { "Region": regions } }))
}

pub fn describe_zones(_region: &Region, _args: &Args, env: &Env) -> Result<Value, ApiError> {
    let region = env.region;
    let types: Vec<&str> = instance_types::OFFERED
        .iter()
        .copied()
        .filter(|t| !env.out_of_stock(t))
        .collect();
    let families: Vec<String> = {
        let mut f: Vec<String> = types
            .iter()
            .filter_map(|t| instance_types::parse(t).map(|s| s.family))
            .collect();
        f.sort();
        f.dedup();
        f
    };
    let disks = ["cloud_efficiency", "cloud_ssd", "cloud_essd", "cloud_auto"];
    let zones: Vec<Value> = region
        .zone_ids()
        .iter()
        .map(|zone| {
            let letter = zone.rsplit('-').next().unwrap_or("").to_uppercase();
            json!({
                "ZoneId": zone,
                "ZoneType": "AvailabilityZone",
                "LocalName": format!("{} Zone {letter}", region.name),
                "AvailableResourceCreation": {"ResourceTypes": ["VSwitch", "IoOptimized", "Instance", "Disk", "DedicatedHost"]},
                "AvailableInstanceTypes": {"InstanceTypes": types},
                "AvailableDiskCategories": {"DiskCategories": disks},
                "AvailableVolumeCategories": {"VolumeCategories": []},
                "AvailableDedicatedHostTypes": {"DedicatedHostType": []},
                "DedicatedHostGenerations": {"DedicatedHostGeneration": []},
                "AvailableResources": {"ResourcesInfo": [{
                    "IoOptimized": true,
                    "SystemDiskCategories": {"supportedSystemDiskCategory": disks},
                    "DataDiskCategories": {"supportedDataDiskCategory": disks},
                    "InstanceGenerations": {"supportedInstanceGeneration": ["ecs-5", "ecs-6", "ecs-7"]},
                    "InstanceTypes": {"supportedInstanceType": types},
                    "InstanceTypeFamilies": {"supportedInstanceTypeFamily": families},
                    "NetworkTypes": {"supportedNetworkCategory": ["vpc"]},
                }]},
            })
        })
        .collect();
    Ok(json!({ "Zones": { "Zone": zones } }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_belong_to_their_region_only() {
        let hz = find("cn-hangzhou").unwrap();
        assert!(hz.has_zone("cn-hangzhou-g"));
        assert!(!hz.has_zone("cn-hangzhou-a"));
        assert!(!hz.has_zone("cn-shanghai-g"));
        assert!(!hz.has_zone("cn-hangzhou-gg"));
    }

    #[test]
    fn region_codes_are_two_id_characters() {
        for r in REGIONS {
            assert_eq!(r.code.len(), 2, "{}", r.id);
            assert!(r
                .code
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
        }
    }
}
