//! Security groups, key pairs, network interfaces, vSwitches, regions and
//! zones in the stateful simulator, through the typed client over HTTP.

#[path = "cloud_support/mod.rs"]
mod support;

use ecs_api::authorize_security_group::{AuthorizeSecurityGroupRequest, Permissions};
use ecs_api::describe_network_interfaces::{DescribeNetworkInterfacesRequest, NetworkInterfaceSet};
use ecs_api::describe_security_group_attribute::DescribeSecurityGroupAttributeRequest;
use serde_json::json;
use support::{assert_code, hangzhou, Lab};

async fn lab() -> Lab {
    Lab::seeded(hangzhou(json!({
        "SecurityGroups": [{"SecurityGroupId": "sg-web"}, {"SecurityGroupId": "sg-db"}],
        "Instances": [
            {"InstanceId": "i-web", "ZoneId": "cn-hangzhou-h", "SecurityGroupId": "sg-web"},
            {"InstanceId": "i-far", "ZoneId": "cn-hangzhou-i", "SecurityGroupId": "sg-web"},
        ],
    })))
    .await
}

fn ssh() -> Permissions {
    Permissions {
        ip_protocol: Some("TCP".into()),
        port_range: Some("22/22".into()),
        source_cidr_ip: Some("10.0.0.0/8".into()),
        ..Permissions::new()
    }
}

/// Authorizes SSH from 10.0.0.0/8 into `group`.
async fn allow_ssh(lab: &Lab, group: &str) {
    lab.client
        .authorize_security_group(AuthorizeSecurityGroupRequest {
            permissions: vec![ssh()],
            ..AuthorizeSecurityGroupRequest::new(group)
        })
        .await
        .expect("AuthorizeSecurityGroup");
}

async fn rules(lab: &Lab, group: &str) -> Vec<(String, String, String)> {
    lab.client
        .describe_security_group_attribute(DescribeSecurityGroupAttributeRequest::new(group))
        .await
        .expect("DescribeSecurityGroupAttribute")
        .permissions
        .into_iter()
        .map(|p| {
            (
                p.direction.unwrap_or_default(),
                p.ip_protocol.unwrap_or_default(),
                p.port_range.unwrap_or_default(),
            )
        })
        .collect()
}

async fn groups_of(lab: &Lab, instance: &str) -> Vec<String> {
    lab.client
        .describe_instance_attribute(
            ecs_api::describe_instance_attribute::DescribeInstanceAttributeRequest::new(instance),
        )
        .await
        .expect("DescribeInstanceAttribute")
        .security_group_ids
}

async fn eni(lab: &Lab, id: &str) -> NetworkInterfaceSet {
    let mut found = lab
        .client
        .describe_network_interfaces(DescribeNetworkInterfacesRequest {
            network_interface_id: vec![id.to_string()],
            ..DescribeNetworkInterfacesRequest::new()
        })
        .await
        .expect("DescribeNetworkInterfaces")
        .network_interface_sets;
    assert_eq!(found.len(), 1, "{id}");
    found.remove(0)
}

#[tokio::test]
async fn authorized_rules_are_listed_and_a_revoked_one_is_gone() {
    let lab = lab().await;
    allow_ssh(&lab, "sg-web").await;
    lab.client
        .authorize_security_group_egress(
            ecs_api::authorize_security_group_egress::AuthorizeSecurityGroupEgressRequest {
                permissions: vec![ecs_api::authorize_security_group_egress::Permissions {
                    ip_protocol: Some("ALL".into()),
                    dest_cidr_ip: Some("0.0.0.0/0".into()),
                    ..Default::default()
                }],
                ..ecs_api::authorize_security_group_egress::AuthorizeSecurityGroupEgressRequest::new(
                    "sg-web",
                )
            },
        )
        .await
        .unwrap();
    assert_eq!(
        rules(&lab, "sg-web").await,
        [
            (
                "ingress".to_string(),
                "TCP".to_string(),
                "22/22".to_string()
            ),
            ("egress".to_string(), "ALL".to_string(), "-1/-1".to_string()),
        ]
    );
    let rule_id = lab
        .client
        .describe_security_group_attribute(DescribeSecurityGroupAttributeRequest::new("sg-web"))
        .await
        .unwrap()
        .permissions[0]
        .security_group_rule_id
        .clone()
        .unwrap();
    assert!(rule_id.starts_with("sgr-"), "{rule_id}");
    lab.client
        .revoke_security_group(ecs_api::revoke_security_group::RevokeSecurityGroupRequest {
            security_group_rule_id: vec![rule_id],
            ..ecs_api::revoke_security_group::RevokeSecurityGroupRequest::new("sg-web")
        })
        .await
        .unwrap();
    assert_eq!(rules(&lab, "sg-web").await.len(), 1);
}

#[tokio::test]
async fn the_same_rule_authorized_twice_is_kept_once() {
    let lab = lab().await;
    for _ in 0..2 {
        allow_ssh(&lab, "sg-web").await;
    }
    assert_eq!(rules(&lab, "sg-web").await.len(), 1);
}

#[tokio::test]
async fn a_tcp_rule_needs_its_ports() {
    let lab = lab().await;
    let err = lab
        .client
        .authorize_security_group(AuthorizeSecurityGroupRequest {
            permissions: vec![Permissions {
                port_range: Some("-1/-1".into()),
                ..ssh()
            }],
            ..AuthorizeSecurityGroupRequest::new("sg-web")
        })
        .await
        .unwrap_err();
    assert_code(&err, "AuthorizeSecurityGroup", "OperationDenied");
}

#[tokio::test]
async fn a_group_that_still_holds_instances_is_not_deleted() {
    let lab = lab().await;
    let err = lab
        .client
        .delete_security_group(
            ecs_api::delete_security_group::DeleteSecurityGroupRequest::new("sg-web"),
        )
        .await
        .unwrap_err();
    assert_code(&err, "DeleteSecurityGroup", "DependencyViolation");
    lab.client
        .delete_security_group(
            ecs_api::delete_security_group::DeleteSecurityGroupRequest::new("sg-db"),
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn an_instance_joins_and_leaves_a_group_and_cannot_join_it_twice() {
    let lab = lab().await;
    let join = ecs_api::join_security_group::JoinSecurityGroupRequest {
        instance_id: Some("i-web".into()),
        ..ecs_api::join_security_group::JoinSecurityGroupRequest::new("sg-db")
    };
    lab.client.join_security_group(join.clone()).await.unwrap();
    assert_eq!(groups_of(&lab, "i-web").await, ["sg-web", "sg-db"]);
    let err = lab.client.join_security_group(join).await.unwrap_err();
    assert_code(&err, "JoinSecurityGroup", "InvalidInstanceId.AlreadyExists");
    lab.client
        .leave_security_group(ecs_api::leave_security_group::LeaveSecurityGroupRequest {
            instance_id: Some("i-web".into()),
            ..ecs_api::leave_security_group::LeaveSecurityGroupRequest::new("sg-db")
        })
        .await
        .unwrap();
    assert_eq!(groups_of(&lab, "i-web").await, ["sg-web"]);
}

#[tokio::test]
async fn describe_security_groups_counts_the_instances_in_each() {
    let lab = lab().await;
    let groups = lab
        .client
        .describe_security_groups(
            ecs_api::describe_security_groups::DescribeSecurityGroupsRequest {
                is_query_ecs_count: Some(true),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .security_groups;
    let count = |id: &str| {
        groups
            .iter()
            .find(|g| g.security_group_id.as_deref() == Some(id))
            .and_then(|g| g.ecs_count)
    };
    assert_eq!((count("sg-web"), count("sg-db")), (Some(2), Some(0)));
}

#[tokio::test]
async fn create_key_pair_shows_the_private_key_once_and_lists_the_fingerprint() {
    let lab = lab().await;
    let made = lab
        .client
        .create_key_pair(ecs_api::create_key_pair::CreateKeyPairRequest::new("ops"))
        .await
        .unwrap();
    let private = made.private_key_body.unwrap();
    assert!(
        private.starts_with("-----BEGIN RSA PRIVATE KEY-----"),
        "{private}"
    );
    let listed = lab
        .client
        .describe_key_pairs(ecs_api::describe_key_pairs::DescribeKeyPairsRequest {
            key_pair_name: Some("op*".into()),
            ..Default::default()
        })
        .await
        .unwrap()
        .key_pairs;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].key_pair_finger_print, made.key_pair_finger_print);
    let err = lab
        .client
        .import_key_pair(ecs_api::import_key_pair::ImportKeyPairRequest::new(
            "ops",
            "ssh-rsa AAAAB3NzaC1yc2E=",
        ))
        .await
        .unwrap_err();
    assert_code(&err, "ImportKeyPair", "KeyPair.AlreadyExist");
}

#[tokio::test]
async fn a_key_pair_attached_to_an_instance_is_not_deleted_until_detached() {
    let lab = lab().await;
    lab.client
        .import_key_pair(ecs_api::import_key_pair::ImportKeyPairRequest::new(
            "ops",
            "ssh-rsa AAAAB3NzaC1yc2E= me",
        ))
        .await
        .unwrap();
    let attached = lab
        .client
        .attach_key_pair(ecs_api::attach_key_pair::AttachKeyPairRequest::new(
            "ops",
            vec!["i-web".into(), "i-nothere".into()],
        ))
        .await
        .unwrap();
    assert_eq!(
        (
            attached.total_count.as_deref(),
            attached.fail_count.as_deref()
        ),
        (Some("2"), Some("1"))
    );
    let delete = ecs_api::delete_key_pairs::DeleteKeyPairsRequest::new(vec!["ops".into()]);
    let err = lab
        .client
        .delete_key_pairs(delete.clone())
        .await
        .unwrap_err();
    assert_code(
        &err,
        "DeleteKeyPairs",
        "InvalidParameter.KeypairAlreadyAttachedInstance",
    );
    lab.client
        .detach_key_pair(ecs_api::detach_key_pair::DetachKeyPairRequest::new(
            "ops",
            vec!["i-web".into()],
        ))
        .await
        .unwrap();
    lab.client.delete_key_pairs(delete).await.unwrap();
}

#[tokio::test]
async fn a_network_interface_attaches_in_its_zone_and_detaches() {
    let lab = lab().await;
    let vswitch = lab
        .client
        .describe_instance_attribute(
            ecs_api::describe_instance_attribute::DescribeInstanceAttributeRequest::new("i-web"),
        )
        .await
        .unwrap()
        .vpc_attributes
        .unwrap()
        .v_switch_id
        .unwrap();
    let id = lab
        .client
        .create_network_interface(
            ecs_api::create_network_interface::CreateNetworkInterfaceRequest {
                security_group_id: Some("sg-web".into()),
                ..ecs_api::create_network_interface::CreateNetworkInterfaceRequest::new(
                    vswitch.as_str(),
                )
            },
        )
        .await
        .unwrap()
        .network_interface_id
        .unwrap();
    assert!(id.starts_with("eni-bp"), "{id}");
    assert_eq!(eni(&lab, &id).await.status.as_deref(), Some("Available"));

    let err = lab
        .client
        .attach_network_interface(
            ecs_api::attach_network_interface::AttachNetworkInterfaceRequest::new(
                id.as_str(),
                "i-far",
            ),
        )
        .await
        .unwrap_err();
    assert_code(
        &err,
        "AttachNetworkInterface",
        "InvalidOperation.AvailabilityZoneMismatch",
    );

    lab.client
        .attach_network_interface(
            ecs_api::attach_network_interface::AttachNetworkInterfaceRequest::new(
                id.as_str(),
                "i-web",
            ),
        )
        .await
        .unwrap();
    assert_eq!(eni(&lab, &id).await.status.as_deref(), Some("Attaching"));
    lab.step();
    let attached = eni(&lab, &id).await;
    assert_eq!(attached.status.as_deref(), Some("InUse"));
    assert_eq!(attached.instance_id.as_deref(), Some("i-web"));
    let listed = lab
        .client
        .describe_instances(ecs_api::describe_instances::DescribeInstancesRequest {
            instance_ids: Some(vec!["i-web".into()]),
            ..Default::default()
        })
        .await
        .unwrap()
        .instances;
    assert_eq!(
        listed[0].network_interfaces.len(),
        2,
        "primary and the new one"
    );

    let err = lab
        .client
        .delete_network_interface(
            ecs_api::delete_network_interface::DeleteNetworkInterfaceRequest::new(id.as_str()),
        )
        .await
        .unwrap_err();
    assert_code(
        &err,
        "DeleteNetworkInterface",
        "InvalidOperation.InvalidEniState",
    );
    lab.client
        .detach_network_interface(
            ecs_api::detach_network_interface::DetachNetworkInterfaceRequest::new(
                id.as_str(),
                "i-web",
            ),
        )
        .await
        .unwrap();
    lab.step();
    assert_eq!(eni(&lab, &id).await.status.as_deref(), Some("Available"));
}

#[tokio::test]
async fn every_private_address_of_a_vswitch_is_handed_out_once() {
    let lab = Lab::seeded(hangzhou(
        json!({"Instances": [{"Count": 30, "ZoneId": "cn-hangzhou-h"}]}),
    ))
    .await;
    let enis = lab
        .client
        .describe_network_interfaces(DescribeNetworkInterfacesRequest {
            max_results: Some(100),
            ..DescribeNetworkInterfacesRequest::new()
        })
        .await
        .unwrap()
        .network_interface_sets;
    let mut addresses: Vec<String> = enis
        .into_iter()
        .filter_map(|e| e.private_ip_address)
        .collect();
    assert_eq!(addresses.len(), 30);
    addresses.sort();
    addresses.dedup();
    assert_eq!(addresses.len(), 30);
}

// The ECS API's own VPC calls are deprecated in favour of the VPC product's;
// the simulator still answers them from its state.
#[allow(deprecated)]
#[tokio::test]
async fn describe_vswitches_lists_the_default_vswitch_of_each_zone_in_use() {
    let lab = lab().await;
    let vswitches = lab
        .client
        .describe_v_switches(Default::default())
        .await
        .unwrap()
        .v_switches;
    let mut zones: Vec<String> = vswitches.iter().filter_map(|v| v.zone_id.clone()).collect();
    zones.sort();
    assert_eq!(zones, ["cn-hangzhou-h", "cn-hangzhou-i"]);
    assert!(vswitches.iter().all(|v| v.is_default == Some(true)));
    let vpcs = lab
        .client
        .describe_vpcs(Default::default())
        .await
        .unwrap()
        .vpcs;
    assert_eq!(vpcs.len(), 1);
    assert_eq!(vpcs[0].cidr_block.as_deref(), Some("172.16.0.0/12"));
}

#[tokio::test]
async fn describe_zones_drops_an_instance_type_out_of_stock() {
    let lab = lab().await;
    let zones = || async {
        let zones = lab.client.describe_zones(Default::default()).await;
        zones.expect("DescribeZones").zones
    };
    let offered = |zones: &[ecs_api::describe_zones::Zone]| {
        zones[0]
            .available_instance_types
            .contains(&"ecs.g7.large".to_string())
    };
    let zones_before = zones().await;
    assert!(zones_before.iter().all(|z| z
        .zone_id
        .as_deref()
        .unwrap_or_default()
        .starts_with("cn-hangzhou-")));
    assert!(offered(&zones_before));
    lab.cloud().set_out_of_stock("ecs.g7.large", true);
    assert!(!offered(&zones().await));
}

#[tokio::test]
async fn a_region_that_does_not_exist_is_invalid_region_id_not_found() {
    let lab = lab().await;
    let err = lab
        .client
        .describe_instances(ecs_api::describe_instances::DescribeInstancesRequest {
            region_id: Some("xx-nowhere-1".into()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_code(&err, "DescribeInstances", "InvalidRegionId.NotFound");
}
