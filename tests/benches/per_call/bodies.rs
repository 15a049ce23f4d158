//! The answers the local server sends: a `DescribeRegions` of the 29
//! public regions and a `DescribeInstances` page of different instances
//! (ids, names, addresses, tags, disks, zones, types, times), generated
//! from a fixed seed so every run decodes the same text. Fields the real
//! service leaves unset come as `""`/`0`/`false`, as it sends them.

use super::plain::*;

pub const REQUEST_ID: &str = "473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E";

/// The 29 regions of a `DescribeRegions` answer, id and local name.
const REGIONS: [(&str, &str); 29] = [
    ("cn-qingdao", "华北1（青岛）"),
    ("cn-beijing", "华北2（北京）"),
    ("cn-zhangjiakou", "华北3（张家口）"),
    ("cn-huhehaote", "华北5（呼和浩特）"),
    ("cn-wulanchabu", "华北6（乌兰察布）"),
    ("cn-hangzhou", "华东1（杭州）"),
    ("cn-shanghai", "华东2（上海）"),
    ("cn-nanjing", "华东5（南京-本地地域）"),
    ("cn-fuzhou", "华东6（福州-本地地域）"),
    ("cn-wuhan-lr", "华中1（武汉-本地地域）"),
    ("cn-shenzhen", "华南1（深圳）"),
    ("cn-heyuan", "华南2（河源）"),
    ("cn-guangzhou", "华南3（广州）"),
    ("cn-chengdu", "西南1（成都）"),
    ("cn-hongkong", "中国香港"),
    ("ap-northeast-1", "日本（东京）"),
    ("ap-northeast-2", "韩国（首尔）"),
    ("ap-southeast-1", "新加坡"),
    ("ap-southeast-3", "马来西亚（吉隆坡）"),
    ("ap-southeast-5", "印度尼西亚（雅加达）"),
    ("ap-southeast-6", "菲律宾（马尼拉）"),
    ("ap-southeast-7", "泰国（曼谷）"),
    ("ap-south-1", "印度（孟买）"),
    ("us-east-1", "美国（弗吉尼亚）"),
    ("us-west-1", "美国（硅谷）"),
    ("eu-west-1", "英国（伦敦）"),
    ("eu-central-1", "德国（法兰克福）"),
    ("me-east-1", "阿联酋（迪拜）"),
    ("me-central-1", "沙特（利雅得）"),
];

/// Regions served by the central endpoint rather than their own.
const CENTRAL: [&str; 8] = [
    "cn-qingdao",
    "cn-beijing",
    "cn-hangzhou",
    "cn-shanghai",
    "cn-shenzhen",
    "cn-hongkong",
    "ap-southeast-1",
    "us-east-1",
];

pub fn describe_regions() -> String {
    let items = REGIONS
        .iter()
        .map(|&(id, name)| Region {
            status: Some("available".into()),
            region_endpoint: Some(if CENTRAL.contains(&id) {
                "ecs.aliyuncs.com".into()
            } else {
                format!("ecs.{id}.aliyuncs.com")
            }),
            local_name: Some(name.into()),
            region_id: Some(id.into()),
        })
        .collect();
    let answer = DescribeRegionsResponse {
        request_id: Some(REQUEST_ID.into()),
        regions: Regions { items },
    };
    serde_json::to_string(&answer).expect("serializable")
}

/// A `DescribeRegions` answer with no region: the call without the decoding.
pub fn describe_regions_empty() -> String {
    serde_json::to_string(&DescribeRegionsResponse {
        request_id: Some(REQUEST_ID.into()),
        regions: Regions::default(),
    })
    .expect("serializable")
}

/// One page of `n` instances in `cn-hangzhou`.
pub fn describe_instances(n: usize) -> String {
    let mut rng = Rng(0x00ec_5eed);
    let items = (0..n).map(|i| instance(&mut rng, i)).collect();
    instances_page(n, Instances { items })
}

/// A `DescribeInstances` answer with no instance.
pub fn describe_instances_empty(page_size: usize) -> String {
    instances_page(page_size, Instances::default())
}

fn instances_page(page_size: usize, instances: Instances) -> String {
    let answer = DescribeInstancesResponse {
        next_token: Some("caeba0bbb2be03f84eb48b699f0a4883".into()),
        page_size: Some(page_size as i32),
        page_number: Some(1),
        request_id: Some(REQUEST_ID.into()),
        total_count: Some(1423),
        instances,
    };
    serde_json::to_string(&answer).expect("serializable")
}

const ZONES: [&str; 5] = [
    "cn-hangzhou-g",
    "cn-hangzhou-h",
    "cn-hangzhou-i",
    "cn-hangzhou-j",
    "cn-hangzhou-k",
];

/// Family, type, vCPUs, memory (MiB), GPUs, local disks (count, GiB each).
type Shape = (&'static str, &'static str, i32, i32, i32, (i32, i64));
const TYPES: [Shape; 8] = [
    ("ecs.g7", "ecs.g7.large", 2, 8192, 0, (0, 0)),
    ("ecs.g7", "ecs.g7.xlarge", 4, 16384, 0, (0, 0)),
    ("ecs.c7", "ecs.c7.2xlarge", 8, 16384, 0, (0, 0)),
    ("ecs.r7", "ecs.r7.4xlarge", 16, 131072, 0, (0, 0)),
    ("ecs.g8i", "ecs.g8i.xlarge", 4, 16384, 0, (0, 0)),
    ("ecs.i4", "ecs.i4.4xlarge", 16, 131072, 0, (2, 1788)),
    ("ecs.d1ne", "ecs.d1ne.4xlarge", 16, 65536, 0, (8, 5500)),
    ("ecs.gn7i", "ecs.gn7i-c8g1.2xlarge", 8, 30720, 1, (0, 0)),
];

const ROLES: [&str; 6] = ["web", "api", "worker", "db", "cache", "batch"];
const TEAMS: [&str; 4] = ["payments", "search", "platform", "growth"];
const ENVS: [&str; 3] = ["prod", "staging", "dev"];
const IMAGES: [(&str, &str, &str); 3] = [
    (
        "aliyun_3_x64_20G_alibase_20240528.vhd",
        "Alibaba Cloud Linux  3.2104 LTS 64位",
        "Alibaba Cloud Linux  3.2104 LTS 64 bit",
    ),
    (
        "ubuntu_22_04_x64_20G_alibase_20240508.vhd",
        "Ubuntu  22.04 64位",
        "Ubuntu  22.04 64 bit",
    ),
    (
        "centos_7_9_x64_20G_alibase_20240403.vhd",
        "CentOS  7.9 64位",
        "CentOS  7.9 64 bit",
    ),
];

fn instance(rng: &mut Rng, i: usize) -> Instance {
    let zone = rng.pick(&ZONES);
    let (family, kind, cpu, memory, gpus, (disks, disk_gib)) = rng.pick(&TYPES);
    let role = rng.pick(&ROLES);
    let env = rng.pick(&ENVS);
    let (image, os_name, os_name_en) = rng.pick(&IMAGES);
    let running = rng.below(10) < 8;
    let spot = rng.below(8) == 0;
    let prepaid = !spot && rng.below(3) == 0;
    let created = rng.minute_in(2022, 2024);
    let id = rng.id("i-bp1", 17);
    let name = format!("{role}-{env}-{}-{i:03}", &zone[zone.len() - 1..]);
    let private_ip = format!("172.16.{}.{}", rng.below(256), 1 + rng.below(254));
    let public_ip = (rng.below(3) == 0).then(|| {
        format!(
            "47.{}.{}.{}",
            96 + rng.below(32),
            rng.below(256),
            1 + rng.below(254)
        )
    });
    let eip = (public_ip.is_none() && rng.below(4) == 0).then(|| EipAddress {
        is_support_unassociate: Some(true),
        internet_charge_type: Some("PayByTraffic".into()),
        ip_address: Some(format!("121.40.{}.{}", rng.below(256), 1 + rng.below(254))),
        bandwidth: Some(5 * (1 + rng.below(20)) as i32),
        allocation_id: Some(rng.id("eip-bp1", 17)),
    });
    let bandwidth_out = if public_ip.is_some() {
        [1, 5, 10, 100][rng.below(4) as usize]
    } else {
        0
    };
    let mut tags = vec![
        tag("env", env),
        tag("app", role),
        tag("team", rng.pick(&TEAMS)),
    ];
    tags.truncate(1 + rng.below(3) as usize);
    if rng.below(4) == 0 {
        tags.push(tag(
            "cost-center",
            &format!("cc-{}", 1000 + rng.below(9000)),
        ));
    }
    let security_groups = (0..1 + rng.below(3))
        .map(|_| rng.id("sg-bp1", 17))
        .collect();
    let interfaces = (0..1 + u64::from(rng.below(4) == 0))
        .map(|n| network_interface(rng, n == 0, &private_ip))
        .collect();
    let locked = !running && rng.below(5) == 0;
    Instance {
        creation_time: Some(created.clone()),
        serial_number: Some(rng.uuid()),
        status: Some(if running { "Running" } else { "Stopped" }.into()),
        deployment_set_id: Some(if rng.below(5) == 0 {
            rng.id("ds-bp1", 17)
        } else {
            String::new()
        }),
        key_pair_name: Some(format!("{env}-{role}-key")),
        sale_cycle: Some(if prepaid { "Month" } else { "" }.into()),
        spot_strategy: Some(if spot { "SpotAsPriceGo" } else { "NoSpot" }.into()),
        device_available: Some(true),
        local_storage_capacity: Some(i64::from(disks) * disk_gib),
        description: Some(if rng.below(2) == 0 {
            format!("{role} node for {env}, owned by {}", rng.pick(&TEAMS))
        } else {
            String::new()
        }),
        spot_duration: Some(if spot { 1 } else { 0 }),
        instance_network_type: Some("vpc".into()),
        instance_name: Some(name),
        os_name_en: Some(os_name_en.into()),
        hpc_cluster_id: Some(String::new()),
        spot_price_limit: Some(if spot {
            0.05 + rng.below(100) as f64 / 100.0
        } else {
            0.0
        }),
        memory: Some(memory),
        os_name: Some(os_name.into()),
        deployment_set_group_no: Some(0),
        image_id: Some(image.into()),
        vlan_id: Some(String::new()),
        cluster_id: Some(String::new()),
        gpu_spec: Some(if gpus > 0 { "NVIDIA A10" } else { "" }.into()),
        auto_release_time: Some(String::new()),
        deletion_protection: Some(env == "prod"),
        stopped_mode: Some(
            if running {
                "Not-applicable"
            } else {
                "KeepCharging"
            }
            .into(),
        ),
        gpu_amount: Some(gpus),
        host_name: Some(format!("iZ{}Z", &id[2..])),
        instance_id: Some(id),
        internet_max_bandwidth_out: Some(bandwidth_out),
        internet_max_bandwidth_in: Some(if bandwidth_out > 0 { 100 } else { 0 }),
        instance_type: Some(kind.into()),
        instance_charge_type: Some(if prepaid { "PrePaid" } else { "PostPaid" }.into()),
        region_id: Some("cn-hangzhou".into()),
        io_optimized: Some(true),
        start_time: Some(created),
        cpu: Some(cpu),
        local_storage_amount: Some(disks),
        expired_time: Some(if prepaid {
            rng.minute_in(2025, 2026)
        } else {
            "2099-12-31T15:59Z".into()
        }),
        resource_group_id: Some(format!("rg-acfm{}", rng.base36(11))),
        internet_charge_type: Some("PayByTraffic".into()),
        zone_id: Some(zone.into()),
        recyclable: Some(false),
        isp: Some(String::new()),
        credit_specification: Some(String::new()),
        instance_type_family: Some(family.into()),
        os_type: Some("linux".into()),
        network_interfaces: NetworkInterfaces { items: interfaces },
        operation_locks: OperationLocks {
            items: if locked {
                vec![LockReason {
                    lock_msg: Some(
                        "The specified instance is locked due to financial reason.".into(),
                    ),
                    lock_reason: Some("financial".into()),
                }]
            } else {
                Vec::new()
            },
        },
        tags: Tags { items: tags },
        rdma_ip_address: IpAddresses::default(),
        security_group_ids: SecurityGroupIds {
            items: security_groups,
        },
        public_ip_address: IpAddresses {
            items: public_ip.into_iter().collect(),
        },
        inner_ip_address: IpAddresses::default(),
        vpc_attributes: Some(VpcAttributes {
            vpc_id: Some(format!("vpc-bp1{}", rng.base36(17))),
            nat_ip_address: Some(String::new()),
            v_switch_id: Some(format!("vsw-bp1{}", rng.base36(17))),
            private_ip_address: IpAddresses {
                items: vec![private_ip],
            },
        }),
        eip_address: Some(eip.unwrap_or_else(|| EipAddress {
            is_support_unassociate: Some(false),
            internet_charge_type: Some(String::new()),
            ip_address: Some(String::new()),
            bandwidth: Some(0),
            allocation_id: Some(String::new()),
        })),
        hibernation_options: Some(HibernationOptions {
            configured: Some(false),
        }),
        dedicated_host_attribute: Some(DedicatedHostAttribute {
            dedicated_host_id: Some(String::new()),
            dedicated_host_name: Some(String::new()),
            dedicated_host_cluster_id: Some(String::new()),
        }),
        ecs_capacity_reservation_attr: Some(EcsCapacityReservationAttr {
            capacity_reservation_preference: Some(String::new()),
            capacity_reservation_id: Some(String::new()),
        }),
        dedicated_instance_attribute: Some(DedicatedInstanceAttribute {
            affinity: Some(String::new()),
            tenancy: Some(String::new()),
        }),
        cpu_options: Some(CpuOptions {
            numa: Some(String::new()),
            core_count: Some(cpu / 2),
            threads_per_core: Some(2),
            topology_type: Some(String::new()),
        }),
        metadata_options: Some(MetadataOptions {
            http_endpoint: Some("enabled".into()),
            http_put_response_hop_limit: Some(1),
            http_tokens: Some(
                if rng.below(2) == 0 {
                    "required"
                } else {
                    "optional"
                }
                .into(),
            ),
        }),
        image_options: Some(ImageOptions {
            login_as_non_root: Some(false),
        }),
        spot_interruption_behavior: Some(if spot { "Terminate" } else { "" }.into()),
    }
}

fn network_interface(rng: &mut Rng, primary: bool, primary_ip: &str) -> NetworkInterface {
    let ip = if primary {
        primary_ip.to_string()
    } else {
        format!("172.16.{}.{}", rng.below(256), 1 + rng.below(254))
    };
    let mut ips = vec![PrivateIpSet {
        private_ip_address: Some(ip.clone()),
        primary: Some(true),
    }];
    if rng.below(4) == 0 {
        ips.push(PrivateIpSet {
            private_ip_address: Some(format!("172.16.{}.{}", rng.below(256), 1 + rng.below(254))),
            primary: Some(false),
        });
    }
    let ipv6 = (rng.below(3) == 0).then(|| Ipv6Set {
        ipv6_address: Some(format!(
            "2408:4005:3c4:{:x}:{:x}:{:x}:{:x}:{:x}",
            rng.below(0x10000),
            rng.below(0x10000),
            rng.below(0x10000),
            rng.below(0x10000),
            rng.below(0x10000)
        )),
    });
    NetworkInterface {
        type_: Some(if primary { "Primary" } else { "Secondary" }.into()),
        mac_address: Some(format!(
            "00:16:3e:{:02x}:{:02x}:{:02x}",
            rng.below(256),
            rng.below(256),
            rng.below(256)
        )),
        primary_ip_address: Some(ip),
        network_interface_id: Some(rng.id("eni-bp1", 17)),
        private_ip_sets: PrivateIpSets { items: ips },
        ipv6_sets: Ipv6Sets {
            items: ipv6.into_iter().collect(),
        },
        ipv4_prefix_sets: Ipv4PrefixSets::default(),
        ipv6_prefix_sets: Ipv6PrefixSets::default(),
    }
}

fn tag(key: &str, value: &str) -> InstanceTag {
    InstanceTag {
        tag_key: Some(key.into()),
        tag_value: Some(value.into()),
    }
}

/// splitmix64: a fixed seed gives the same instances on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }

    fn base36(&mut self, len: usize) -> String {
        const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
        (0..len)
            .map(|_| DIGITS[self.below(36) as usize] as char)
            .collect()
    }

    fn id(&mut self, prefix: &str, len: usize) -> String {
        format!("{prefix}{}", self.base36(len))
    }

    fn uuid(&mut self) -> String {
        let (a, b) = (self.next(), self.next());
        format!(
            "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            b >> 52,
            b & 0xffff_ffff_ffff
        )
    }

    /// `YYYY-MM-DDThh:mmZ`, the service's minute precision.
    fn minute_in(&mut self, first_year: u64, last_year: u64) -> String {
        format!(
            "{}-{:02}-{:02}T{:02}:{:02}Z",
            first_year + self.below(last_year - first_year + 1),
            1 + self.below(12),
            1 + self.below(28),
            self.below(24),
            self.below(60)
        )
    }
}
