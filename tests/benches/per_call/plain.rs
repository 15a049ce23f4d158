//! The two answers as plain `#[derive(Serialize, Deserialize)]` structs:
//! the same fields, Rust types and nesting as the generated responses
//! (wrapped lists as `{"Instance": [...]}` objects), written by hand. They
//! are the "plain derive" decode baseline and the shape the bodies are
//! generated in.

use serde::{Deserialize, Serialize};

/// `{"<key>": [T, ...]}`, the way ECS wraps every list.
macro_rules! wrapped {
    ($($name:ident => $key:literal: $item:ty),* $(,)?) => {$(
        #[derive(Debug, Default, Serialize, Deserialize)]
        pub struct $name {
            #[serde(rename = $key, default)]
            pub items: Vec<$item>,
        }
    )*};
}

wrapped! {
    Regions => "Region": Region,
    Instances => "Instance": Instance,
    NetworkInterfaces => "NetworkInterface": NetworkInterface,
    PrivateIpSets => "PrivateIpSet": PrivateIpSet,
    Ipv6Sets => "Ipv6Set": Ipv6Set,
    Ipv4PrefixSets => "Ipv4PrefixSet": Ipv4PrefixSet,
    Ipv6PrefixSets => "Ipv6PrefixSet": Ipv6PrefixSet,
    OperationLocks => "LockReason": LockReason,
    Tags => "Tag": InstanceTag,
    IpAddresses => "IpAddress": String,
    SecurityGroupIds => "SecurityGroupId": String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct DescribeRegionsResponse {
    #[serde(rename = "RequestId")]
    pub request_id: Option<String>,
    #[serde(rename = "Regions", default)]
    pub regions: Regions,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Region {
    #[serde(rename = "Status")]
    pub status: Option<String>,
    #[serde(rename = "RegionEndpoint")]
    pub region_endpoint: Option<String>,
    #[serde(rename = "LocalName")]
    pub local_name: Option<String>,
    #[serde(rename = "RegionId")]
    pub region_id: Option<String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct DescribeInstancesResponse {
    #[serde(rename = "NextToken")]
    pub next_token: Option<String>,
    #[serde(rename = "PageSize")]
    pub page_size: Option<i32>,
    #[serde(rename = "PageNumber")]
    pub page_number: Option<i32>,
    #[serde(rename = "RequestId")]
    pub request_id: Option<String>,
    #[serde(rename = "TotalCount")]
    pub total_count: Option<i32>,
    #[serde(rename = "Instances", default)]
    pub instances: Instances,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Instance {
    #[serde(rename = "CreationTime")]
    pub creation_time: Option<String>,
    #[serde(rename = "SerialNumber")]
    pub serial_number: Option<String>,
    #[serde(rename = "Status")]
    pub status: Option<String>,
    #[serde(rename = "DeploymentSetId")]
    pub deployment_set_id: Option<String>,
    #[serde(rename = "KeyPairName")]
    pub key_pair_name: Option<String>,
    #[serde(rename = "SaleCycle")]
    pub sale_cycle: Option<String>,
    #[serde(rename = "SpotStrategy")]
    pub spot_strategy: Option<String>,
    #[serde(rename = "DeviceAvailable")]
    pub device_available: Option<bool>,
    #[serde(rename = "LocalStorageCapacity")]
    pub local_storage_capacity: Option<i64>,
    #[serde(rename = "Description")]
    pub description: Option<String>,
    #[serde(rename = "SpotDuration")]
    pub spot_duration: Option<i32>,
    #[serde(rename = "InstanceNetworkType")]
    pub instance_network_type: Option<String>,
    #[serde(rename = "InstanceName")]
    pub instance_name: Option<String>,
    #[serde(rename = "OSNameEn")]
    pub os_name_en: Option<String>,
    #[serde(rename = "HpcClusterId")]
    pub hpc_cluster_id: Option<String>,
    #[serde(rename = "SpotPriceLimit")]
    pub spot_price_limit: Option<f64>,
    #[serde(rename = "Memory")]
    pub memory: Option<i32>,
    #[serde(rename = "OSName")]
    pub os_name: Option<String>,
    #[serde(rename = "DeploymentSetGroupNo")]
    pub deployment_set_group_no: Option<i32>,
    #[serde(rename = "ImageId")]
    pub image_id: Option<String>,
    #[serde(rename = "VlanId")]
    pub vlan_id: Option<String>,
    #[serde(rename = "ClusterId")]
    pub cluster_id: Option<String>,
    #[serde(rename = "GPUSpec")]
    pub gpu_spec: Option<String>,
    #[serde(rename = "AutoReleaseTime")]
    pub auto_release_time: Option<String>,
    #[serde(rename = "DeletionProtection")]
    pub deletion_protection: Option<bool>,
    #[serde(rename = "StoppedMode")]
    pub stopped_mode: Option<String>,
    #[serde(rename = "GPUAmount")]
    pub gpu_amount: Option<i32>,
    #[serde(rename = "HostName")]
    pub host_name: Option<String>,
    #[serde(rename = "InstanceId")]
    pub instance_id: Option<String>,
    #[serde(rename = "InternetMaxBandwidthOut")]
    pub internet_max_bandwidth_out: Option<i32>,
    #[serde(rename = "InternetMaxBandwidthIn")]
    pub internet_max_bandwidth_in: Option<i32>,
    #[serde(rename = "InstanceType")]
    pub instance_type: Option<String>,
    #[serde(rename = "InstanceChargeType")]
    pub instance_charge_type: Option<String>,
    #[serde(rename = "RegionId")]
    pub region_id: Option<String>,
    #[serde(rename = "IoOptimized")]
    pub io_optimized: Option<bool>,
    #[serde(rename = "StartTime")]
    pub start_time: Option<String>,
    #[serde(rename = "Cpu")]
    pub cpu: Option<i32>,
    #[serde(rename = "LocalStorageAmount")]
    pub local_storage_amount: Option<i32>,
    #[serde(rename = "ExpiredTime")]
    pub expired_time: Option<String>,
    #[serde(rename = "ResourceGroupId")]
    pub resource_group_id: Option<String>,
    #[serde(rename = "InternetChargeType")]
    pub internet_charge_type: Option<String>,
    #[serde(rename = "ZoneId")]
    pub zone_id: Option<String>,
    #[serde(rename = "Recyclable")]
    pub recyclable: Option<bool>,
    #[serde(rename = "ISP")]
    pub isp: Option<String>,
    #[serde(rename = "CreditSpecification")]
    pub credit_specification: Option<String>,
    #[serde(rename = "InstanceTypeFamily")]
    pub instance_type_family: Option<String>,
    #[serde(rename = "OSType")]
    pub os_type: Option<String>,
    #[serde(rename = "NetworkInterfaces", default)]
    pub network_interfaces: NetworkInterfaces,
    #[serde(rename = "OperationLocks", default)]
    pub operation_locks: OperationLocks,
    #[serde(rename = "Tags", default)]
    pub tags: Tags,
    #[serde(rename = "RdmaIpAddress", default)]
    pub rdma_ip_address: IpAddresses,
    #[serde(rename = "SecurityGroupIds", default)]
    pub security_group_ids: SecurityGroupIds,
    #[serde(rename = "PublicIpAddress", default)]
    pub public_ip_address: IpAddresses,
    #[serde(rename = "InnerIpAddress", default)]
    pub inner_ip_address: IpAddresses,
    #[serde(rename = "VpcAttributes")]
    pub vpc_attributes: Option<VpcAttributes>,
    #[serde(rename = "EipAddress")]
    pub eip_address: Option<EipAddress>,
    #[serde(rename = "HibernationOptions")]
    pub hibernation_options: Option<HibernationOptions>,
    #[serde(rename = "DedicatedHostAttribute")]
    pub dedicated_host_attribute: Option<DedicatedHostAttribute>,
    #[serde(rename = "EcsCapacityReservationAttr")]
    pub ecs_capacity_reservation_attr: Option<EcsCapacityReservationAttr>,
    #[serde(rename = "DedicatedInstanceAttribute")]
    pub dedicated_instance_attribute: Option<DedicatedInstanceAttribute>,
    #[serde(rename = "CpuOptions")]
    pub cpu_options: Option<CpuOptions>,
    #[serde(rename = "MetadataOptions")]
    pub metadata_options: Option<MetadataOptions>,
    #[serde(rename = "ImageOptions")]
    pub image_options: Option<ImageOptions>,
    #[serde(rename = "SpotInterruptionBehavior")]
    pub spot_interruption_behavior: Option<String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct NetworkInterface {
    #[serde(rename = "Type")]
    pub type_: Option<String>,
    #[serde(rename = "MacAddress")]
    pub mac_address: Option<String>,
    #[serde(rename = "PrimaryIpAddress")]
    pub primary_ip_address: Option<String>,
    #[serde(rename = "NetworkInterfaceId")]
    pub network_interface_id: Option<String>,
    #[serde(rename = "PrivateIpSets", default)]
    pub private_ip_sets: PrivateIpSets,
    #[serde(rename = "Ipv6Sets", default)]
    pub ipv6_sets: Ipv6Sets,
    #[serde(rename = "Ipv4PrefixSets", default)]
    pub ipv4_prefix_sets: Ipv4PrefixSets,
    #[serde(rename = "Ipv6PrefixSets", default)]
    pub ipv6_prefix_sets: Ipv6PrefixSets,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct PrivateIpSet {
    #[serde(rename = "PrivateIpAddress")]
    pub private_ip_address: Option<String>,
    #[serde(rename = "Primary")]
    pub primary: Option<bool>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Ipv6Set {
    #[serde(rename = "Ipv6Address")]
    pub ipv6_address: Option<String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Ipv4PrefixSet {
    #[serde(rename = "Ipv4Prefix")]
    pub ipv4_prefix: Option<String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Ipv6PrefixSet {
    #[serde(rename = "Ipv6Prefix")]
    pub ipv6_prefix: Option<String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct LockReason {
    #[serde(rename = "LockMsg")]
    pub lock_msg: Option<String>,
    #[serde(rename = "LockReason")]
    pub lock_reason: Option<String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct InstanceTag {
    #[serde(rename = "TagValue")]
    pub tag_value: Option<String>,
    #[serde(rename = "TagKey")]
    pub tag_key: Option<String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct VpcAttributes {
    #[serde(rename = "VpcId")]
    pub vpc_id: Option<String>,
    #[serde(rename = "NatIpAddress")]
    pub nat_ip_address: Option<String>,
    #[serde(rename = "VSwitchId")]
    pub v_switch_id: Option<String>,
    #[serde(rename = "PrivateIpAddress", default)]
    pub private_ip_address: IpAddresses,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct EipAddress {
    #[serde(rename = "IsSupportUnassociate")]
    pub is_support_unassociate: Option<bool>,
    #[serde(rename = "InternetChargeType")]
    pub internet_charge_type: Option<String>,
    #[serde(rename = "IpAddress")]
    pub ip_address: Option<String>,
    #[serde(rename = "Bandwidth")]
    pub bandwidth: Option<i32>,
    #[serde(rename = "AllocationId")]
    pub allocation_id: Option<String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct HibernationOptions {
    #[serde(rename = "Configured")]
    pub configured: Option<bool>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct DedicatedHostAttribute {
    #[serde(rename = "DedicatedHostId")]
    pub dedicated_host_id: Option<String>,
    #[serde(rename = "DedicatedHostName")]
    pub dedicated_host_name: Option<String>,
    #[serde(rename = "DedicatedHostClusterId")]
    pub dedicated_host_cluster_id: Option<String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct EcsCapacityReservationAttr {
    #[serde(rename = "CapacityReservationPreference")]
    pub capacity_reservation_preference: Option<String>,
    #[serde(rename = "CapacityReservationId")]
    pub capacity_reservation_id: Option<String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct DedicatedInstanceAttribute {
    #[serde(rename = "Affinity")]
    pub affinity: Option<String>,
    #[serde(rename = "Tenancy")]
    pub tenancy: Option<String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct CpuOptions {
    #[serde(rename = "Numa")]
    pub numa: Option<String>,
    #[serde(rename = "CoreCount")]
    pub core_count: Option<i32>,
    #[serde(rename = "ThreadsPerCore")]
    pub threads_per_core: Option<i32>,
    #[serde(rename = "TopologyType")]
    pub topology_type: Option<String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct MetadataOptions {
    #[serde(rename = "HttpEndpoint")]
    pub http_endpoint: Option<String>,
    #[serde(rename = "HttpPutResponseHopLimit")]
    pub http_put_response_hop_limit: Option<i32>,
    #[serde(rename = "HttpTokens")]
    pub http_tokens: Option<String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct ImageOptions {
    #[serde(rename = "LoginAsNonRoot")]
    pub login_as_non_root: Option<bool>,
}
