//! Every action the state answers answers in exactly the shape of its
//! response schema in the metadata: no field the schema lacks, every field
//! it has, each of the schema's type, lists in their wrappers
//! (`{"Instances":{"Instance":[...]}}`). One scenario calls every modeled
//! action on real resources, so the lists checked are not empty.

use ecs_rs_metadata::{ApiDocs, Schema};
use ecs_simulator::cloud::{self, Call, Clock, Cloud, Settings};
use serde_json::Value;
use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

struct Driver {
    cloud: Cloud,
    replies: BTreeMap<String, Vec<Value>>,
}

impl Driver {
    /// Calls `action` in cn-hangzhou (unless `params` name a region); the
    /// reply must be a success.
    fn call(&mut self, action: &str, params: &[(&str, &str)]) -> Value {
        let mut owned: Vec<(String, String)> = params
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        if !params.iter().any(|(k, _)| *k == "RegionId") {
            owned.push(("RegionId".into(), "cn-hangzhou".into()));
        }
        let reply = self
            .cloud
            .handle(&Call {
                action,
                params: &owned,
            })
            .unwrap_or_else(|| panic!("{action} is not modeled"));
        assert!(reply.is_success(), "{action} {params:?}: {:#}", reply.body);
        self.replies
            .entry(action.to_string())
            .or_default()
            .push(reply.body.clone());
        reply.body
    }
}

fn text(v: &Value, path: &[&str]) -> String {
    let mut at = v;
    for p in path {
        at = &at[*p];
    }
    match at {
        Value::String(s) => s.clone(),
        Value::Array(a) => a[0].as_str().unwrap_or_default().to_string(),
        other => panic!("{path:?} in {v:#}: {other}"),
    }
}

/// Calls every modeled action at least once.
fn scenario() -> BTreeMap<String, Vec<Value>> {
    // 2025-06-15T15:06:40Z, standing still.
    let clock = Clock::manual(SystemTime::UNIX_EPOCH + Duration::from_secs(1_750_000_000));
    let cloud = Cloud::with_settings(Settings {
        transition: Duration::ZERO,
        clock,
        ..Settings::default()
    });
    cloud
        .seed(&serde_json::json!({"Regions": [{
            "RegionId": "cn-hangzhou",
            "Defaults": {"RunInstances": {"ImageId": "aliyun_3_x64_20G_alibase_20240819.vhd", "InstanceType": "ecs.g7.large"}},
            "VSwitches": [{"VSwitchId": "vsw-shapes", "VpcId": "vpc-shapes", "ZoneId": "cn-hangzhou-h", "CidrBlock": "10.0.1.0/24"}],
        }]}))
        .unwrap();
    let mut d = Driver {
        cloud,
        replies: BTreeMap::new(),
    };
    d.call("DescribeRegions", &[]);
    d.call("DescribeZones", &[]);

    let (vpc, vsw) = ("vpc-shapes".to_string(), "vsw-shapes".to_string());
    d.call("DescribeVpcs", &[]);
    d.call("DescribeVSwitches", &[("VpcId", &vpc)]);

    let sg = text(
        &d.call(
            "CreateSecurityGroup",
            &[
                ("VpcId", &vpc),
                ("SecurityGroupName", "web"),
                ("Tag.1.Key", "team"),
                ("Tag.1.Value", "web"),
            ],
        ),
        &["SecurityGroupId"],
    );
    let sg2 = text(
        &d.call("CreateSecurityGroup", &[("VpcId", &vpc)]),
        &["SecurityGroupId"],
    );
    d.call(
        "AuthorizeSecurityGroup",
        &[
            ("SecurityGroupId", &sg),
            ("Permissions.1.IpProtocol", "TCP"),
            ("Permissions.1.PortRange", "22/22"),
            ("Permissions.1.SourceCidrIp", "10.0.0.0/8"),
            ("Permissions.2.IpProtocol", "ICMP"),
            ("Permissions.2.SourceGroupId", &sg2),
        ],
    );
    d.call(
        "AuthorizeSecurityGroupEgress",
        &[
            ("SecurityGroupId", &sg),
            ("IpProtocol", "ALL"),
            ("DestCidrIp", "0.0.0.0/0"),
        ],
    );
    d.call(
        "DescribeSecurityGroupAttribute",
        &[("SecurityGroupId", &sg)],
    );
    d.call(
        "RevokeSecurityGroup",
        &[
            ("SecurityGroupId", &sg),
            ("Permissions.1.IpProtocol", "ICMP"),
            ("Permissions.1.SourceGroupId", &sg2),
        ],
    );
    d.call(
        "RevokeSecurityGroupEgress",
        &[
            ("SecurityGroupId", &sg),
            ("IpProtocol", "ALL"),
            ("DestCidrIp", "0.0.0.0/0"),
        ],
    );
    d.call("DescribeSecurityGroups", &[("IsQueryEcsCount", "true")]);

    d.call("CreateKeyPair", &[("KeyPairName", "ops")]);
    d.call(
        "ImportKeyPair",
        &[
            ("KeyPairName", "imported"),
            ("PublicKeyBody", "ssh-rsa AAAAB3NzaC1yc2E= me@host"),
        ],
    );
    d.call("DescribeKeyPairs", &[("IncludePublicKey", "true")]);

    let run = d.call(
        "RunInstances",
        &[
            ("Amount", "2"),
            ("VSwitchId", &vsw),
            ("SecurityGroupId", &sg),
            ("KeyPairName", "ops"),
            ("InstanceName", "web"),
            ("UniqueSuffix", "true"),
            ("InternetMaxBandwidthOut", "5"),
            ("Tag.1.Key", "team"),
            ("Tag.1.Value", "web"),
            ("DataDisk.1.Size", "40"),
            ("DataDisk.1.Category", "cloud_essd"),
            ("NetworkInterface.1.InstanceType", "Secondary"),
            ("NetworkInterface.1.Ipv6AddressCount", "1"),
        ],
    );
    let ids: Vec<String> = run["InstanceIdSets"]["InstanceIdSet"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    let (web1, web2) = (ids[0].clone(), ids[1].clone());
    let prepaid = text(
        &d.call(
            "CreateInstance",
            &[
                ("InstanceType", "ecs.c7.large"),
                ("ImageId", "ubuntu_22_04_x64_20G_alibase_20240710.vhd"),
                ("InstanceChargeType", "PrePaid"),
                ("Period", "1"),
                ("VSwitchId", &vsw),
                ("SecurityGroupId", &sg),
            ],
        ),
        &["InstanceId"],
    );
    d.call("DescribeInstances", &[("VpcId", &vpc)]);
    d.call("DescribeInstanceStatus", &[]);
    d.call("DescribeInstanceAttribute", &[("InstanceId", &web1)]);
    d.call(
        "ModifyInstanceAttribute",
        &[("InstanceId", &web1), ("Description", "the first")],
    );
    d.call("StopInstance", &[("InstanceId", &web1)]);
    d.call(
        "ModifyInstanceSpec",
        &[("InstanceId", &web1), ("InstanceType", "ecs.g7.xlarge")],
    );
    d.call("StartInstance", &[("InstanceId", &web1)]);
    d.call("RebootInstance", &[("InstanceId", &web1)]);
    d.call(
        "StopInstances",
        &[
            ("InstanceId.1", &web1),
            ("InstanceId.2", &web2),
            ("BatchOptimization", "SuccessFirst"),
        ],
    );
    d.call(
        "StartInstances",
        &[("InstanceId.1", &web1), ("InstanceId.2", &web2)],
    );
    d.call("RebootInstances", &[("InstanceId.1", &web2)]);
    d.call("StartInstance", &[("InstanceId", &prepaid)]);
    d.call(
        "ModifyPrepayInstanceSpec",
        &[("InstanceId", &prepaid), ("InstanceType", "ecs.c7.xlarge")],
    );
    d.call(
        "RenewInstance",
        &[("InstanceId", &prepaid), ("Period", "1")],
    );
    d.call(
        "ModifyInstanceAutoRenewAttribute",
        &[
            ("InstanceId", &prepaid),
            ("AutoRenew", "true"),
            ("Duration", "3"),
        ],
    );
    d.call(
        "DescribeInstanceAutoRenewAttribute",
        &[("InstanceId", &prepaid)],
    );
    d.call(
        "ModifyInstanceAutoReleaseTime",
        &[
            ("InstanceId", &web2),
            ("AutoReleaseTime", "2025-07-01T00:00:00Z"),
        ],
    );
    d.call("ModifyInstanceAutoReleaseTime", &[("InstanceId", &web2)]);
    let web2_json = format!("[\"{web2}\"]");
    d.call(
        "ModifyInstanceChargeType",
        &[
            ("InstanceIds", &web2_json),
            ("InstanceChargeType", "PrePaid"),
            ("Period", "1"),
            ("IsDetailFee", "true"),
        ],
    );
    d.call(
        "JoinSecurityGroup",
        &[("SecurityGroupId", &sg2), ("InstanceId", &web1)],
    );
    d.call(
        "LeaveSecurityGroup",
        &[("SecurityGroupId", &sg2), ("InstanceId", &web1)],
    );
    let web1_json = format!("[\"{web1}\"]");
    d.call(
        "AttachKeyPair",
        &[("KeyPairName", "imported"), ("InstanceIds", &web1_json)],
    );
    d.call(
        "DetachKeyPair",
        &[("KeyPairName", "imported"), ("InstanceIds", &web1_json)],
    );
    d.call("DeleteKeyPairs", &[("KeyPairNames", "[\"imported\"]")]);

    let disk = text(
        &d.call(
            "CreateDisk",
            &[
                ("ZoneId", "cn-hangzhou-h"),
                ("Size", "50"),
                ("DiskCategory", "cloud_essd"),
                ("DiskName", "data"),
            ],
        ),
        &["DiskId"],
    );
    d.call("AttachDisk", &[("DiskId", &disk), ("InstanceId", &web1)]);
    d.call("ResizeDisk", &[("DiskId", &disk), ("NewSize", "60")]);
    d.call(
        "ModifyDiskAttribute",
        &[("DiskId", &disk), ("Description", "grown")],
    );
    d.call("DescribeDisks", &[("InstanceId", &web1)]);
    let snapshot = text(
        &d.call(
            "CreateSnapshot",
            &[
                ("DiskId", &disk),
                ("SnapshotName", "daily"),
                ("Tag.1.Key", "kind"),
                ("Tag.1.Value", "daily"),
            ],
        ),
        &["SnapshotId"],
    );
    d.call("DescribeSnapshots", &[("DiskId", &disk)]);
    d.call("DetachDisk", &[("DiskId", &disk), ("InstanceId", &web1)]);
    d.call("DeleteDisk", &[("DiskId", &disk)]);
    d.call("DeleteSnapshot", &[("SnapshotId", &snapshot)]);

    let image = text(
        &d.call(
            "CreateImage",
            &[("InstanceId", &web1), ("ImageName", "golden")],
        ),
        &["ImageId"],
    );
    d.call("DescribeImages", &[("ImageOwnerAlias", "self")]);
    d.call(
        "DescribeImages",
        &[("ImageId", "aliyun_3_x64_20G_alibase_20240819.vhd")],
    );
    let copy = text(
        &d.call(
            "CopyImage",
            &[("ImageId", &image), ("DestinationRegionId", "cn-shanghai")],
        ),
        &["ImageId"],
    );
    d.call(
        "DeleteImage",
        &[("ImageId", &copy), ("RegionId", "cn-shanghai")],
    );

    let eni = text(
        &d.call(
            "CreateNetworkInterface",
            &[
                ("VSwitchId", &vsw),
                ("SecurityGroupId", &sg),
                ("SecondaryPrivateIpAddressCount", "1"),
                ("Ipv6AddressCount", "1"),
            ],
        ),
        &["NetworkInterfaceId"],
    );
    d.call(
        "AttachNetworkInterface",
        &[("NetworkInterfaceId", &eni), ("InstanceId", &web1)],
    );
    d.call("DescribeNetworkInterfaces", &[("VpcId", &vpc)]);
    d.call(
        "DetachNetworkInterface",
        &[("NetworkInterfaceId", &eni), ("InstanceId", &web1)],
    );
    d.call("DeleteNetworkInterface", &[("NetworkInterfaceId", &eni)]);

    d.call(
        "TagResources",
        &[
            ("ResourceType", "instance"),
            ("ResourceId.1", &web1),
            ("Tag.1.Key", "env"),
            ("Tag.1.Value", "prod"),
        ],
    );
    d.call("ListTagResources", &[("ResourceType", "instance")]);
    d.call(
        "UntagResources",
        &[
            ("ResourceType", "instance"),
            ("ResourceId.1", &web1),
            ("TagKey.1", "env"),
        ],
    );

    let command = text(
        &d.call(
            "CreateCommand",
            &[
                ("Name", "hello"),
                ("Type", "RunShellScript"),
                ("CommandContent", "ZWNobyBoZWxsbyB7e25hbWV9fQ=="),
                ("EnableParameter", "true"),
                ("Tag.1.Key", "team"),
                ("Tag.1.Value", "web"),
            ],
        ),
        &["CommandId"],
    );
    d.call("DescribeCommands", &[]);
    d.call(
        "InvokeCommand",
        &[
            ("CommandId", &command),
            ("InstanceId.1", &web1),
            ("Parameters", "{\"name\":\"fleet\"}"),
            ("Tag.1.Key", "team"),
            ("Tag.1.Value", "web"),
        ],
    );
    let invoke = text(
        &d.call(
            "RunCommand",
            &[
                ("Type", "RunShellScript"),
                ("CommandContent", "hostname"),
                ("InstanceId.1", &web1),
                ("InstanceId.2", &web2),
            ],
        ),
        &["InvokeId"],
    );
    d.call("DescribeInvocations", &[("IncludeOutput", "true")]);
    d.call("DescribeInvocationResults", &[("InvokeId", &invoke)]);
    d.call("StopInvocation", &[("InvokeId", &invoke)]);
    d.call("DeleteCommand", &[("CommandId", &command)]);

    d.call(
        "DeleteInstance",
        &[("InstanceId", &web1), ("Force", "true")],
    );
    d.call(
        "DeleteInstances",
        &[
            ("InstanceId.1", &prepaid),
            ("Force", "true"),
            ("TerminateSubscription", "true"),
        ],
    );
    d.call("DeleteSecurityGroup", &[("SecurityGroupId", &sg2)]);
    d.replies
}

/// Where `value` differs from `schema`: fields it lacks or adds, values of
/// another type.
fn differences(value: &Value, schema: &Schema, path: &str, out: &mut Vec<String>) {
    let kind = schema.kind.as_deref().unwrap_or("string");
    match (kind, value) {
        ("object", Value::Object(map)) => {
            let props = schema.properties.clone().unwrap_or_default();
            for key in map.keys().filter(|k| !props.contains_key(*k)) {
                out.push(format!("{path}.{key}: not in the schema"));
            }
            for (key, field) in &props {
                match map.get(key) {
                    Some(v) => differences(v, field, &format!("{path}.{key}"), out),
                    None => out.push(format!("{path}.{key}: missing")),
                }
            }
        }
        ("array", Value::Array(items)) => {
            let item = schema.items.as_deref().cloned().unwrap_or_default();
            for (i, v) in items.iter().enumerate() {
                differences(v, &item, &format!("{path}[{i}]"), out);
            }
        }
        ("string", Value::String(_))
        | ("boolean", Value::Bool(_))
        | ("number", Value::Number(_)) => {}
        ("integer", Value::Number(n)) if n.is_i64() || n.is_u64() => {}
        (kind, v) => out.push(format!("{path}: a {kind} in the schema, served {v}")),
    }
}

#[test]
fn every_modeled_reply_has_exactly_the_shape_of_its_response_schema() {
    let replies = scenario();
    let docs: ApiDocs = ecs_rs_metadata::load_pinned().unwrap_or_else(|e| panic!("{e}"));
    let mut problems = Vec::new();
    for (action, bodies) in &replies {
        let schema = docs.apis[action].success_schema().expect("a 200 schema");
        for body in bodies {
            let mut found = Vec::new();
            differences(body, schema, action, &mut found);
            problems.extend(found);
        }
    }
    problems.dedup();
    assert!(
        problems.is_empty(),
        "{} differences:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn the_scenario_calls_every_modeled_action() {
    let replies = scenario();
    let missed: Vec<&str> = cloud::modeled_actions()
        .filter(|a| !replies.contains_key(*a))
        .collect();
    assert!(missed.is_empty(), "not called: {missed:?}");
}

#[test]
fn lists_in_the_scenario_are_not_empty() {
    let replies = scenario();
    let lists = [
        ("DescribeInstances", "/Instances/Instance"),
        ("DescribeDisks", "/Disks/Disk"),
        ("DescribeSnapshots", "/Snapshots/Snapshot"),
        ("DescribeImages", "/Images/Image"),
        ("DescribeSecurityGroups", "/SecurityGroups/SecurityGroup"),
        ("DescribeSecurityGroupAttribute", "/Permissions/Permission"),
        ("DescribeKeyPairs", "/KeyPairs/KeyPair"),
        (
            "DescribeNetworkInterfaces",
            "/NetworkInterfaceSets/NetworkInterfaceSet",
        ),
        ("ListTagResources", "/TagResources/TagResource"),
        ("DescribeCommands", "/Commands/Command"),
        ("DescribeInvocations", "/Invocations/Invocation"),
        (
            "DescribeInvocationResults",
            "/Invocation/InvocationResults/InvocationResult",
        ),
        ("DescribeVpcs", "/Vpcs/Vpc"),
        ("DescribeVSwitches", "/VSwitches/VSwitch"),
        ("DescribeRegions", "/Regions/Region"),
        ("DescribeZones", "/Zones/Zone"),
    ];
    for (action, pointer) in lists {
        let body = &replies[action][0];
        let list = body.pointer(pointer).and_then(Value::as_array);
        assert!(
            list.is_some_and(|l| !l.is_empty()),
            "{action}{pointer}: {body:#}"
        );
    }
}
