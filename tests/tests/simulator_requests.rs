//! What the simulator accepts and rejects, against the pinned ECS metadata.

use ecs_simulator::simulator::{Catalog, Reply, COMMON_PARAMS};

fn sim() -> &'static Catalog {
    Catalog::pinned().unwrap_or_else(|e| panic!("{e}"))
}

const REGION: (&str, &str) = ("RegionId", "cn-hangzhou");

fn assert_ok(reply: &Reply) {
    assert_eq!(reply.status, 200, "{:#}", reply.body);
}

fn assert_error(reply: &Reply, status: u16, code: &str, named: &str) {
    assert_eq!(reply.status, status, "{:#}", reply.body);
    assert_eq!(reply.code(), Some(code), "{:#}", reply.body);
    let message = reply.message().unwrap_or_default();
    assert!(
        message.contains(&format!("\"{named}\"")),
        "Message should name {named}: {message}"
    );
}

#[test]
fn accepts_describe_instances_with_a_tag_and_a_json_list_of_ids() {
    let reply = sim().handle(
        "DescribeInstances",
        &[
            REGION,
            ("Tag.1.Key", "env"),
            ("Tag.1.Value", "prod"),
            ("InstanceIds", r#"["i-1"]"#),
        ],
    );
    assert_ok(&reply);
}

#[test]
fn ignores_the_common_parameters() {
    let mut params: Vec<(&str, &str)> = COMMON_PARAMS.iter().map(|&p| (p, "x")).collect();
    params.push(REGION);
    assert_ok(&sim().handle("DescribeRegions", &params));
}

#[test]
fn accepts_region_id_on_an_operation_that_does_not_declare_it() {
    let reply = sim().handle("StartInstance", &[REGION, ("InstanceId", "i-1")]);
    assert_ok(&reply);
}

#[test]
fn rejects_an_unknown_parameter() {
    let reply = sim().handle("DescribeInstances", &[REGION, ("Bogus", "1")]);
    assert_error(&reply, 400, "UnsupportedParameter", "Bogus");
}

#[test]
fn rejects_a_missing_required_parameter_and_names_it() {
    let reply = sim().handle("ModifyInstanceSpec", &[("InstanceType", "ecs.g6.large")]);
    assert_error(&reply, 400, "MissingParameter", "InstanceId");
    assert_eq!(
        reply.message(),
        Some(
            "The input parameter \"InstanceId\" that is mandatory for processing this request is not supplied."
        )
    );
}

#[test]
fn rejects_a_list_item_without_its_required_field() {
    let reply = sim().handle(
        "ModifyReservedInstances",
        &[
            REGION,
            ("ReservedInstanceId.1", "ecsri-1"),
            ("Configuration.1.InstanceType", "ecs.g6.large"),
            ("Configuration.1.InstanceAmount", "1"),
        ],
    );
    assert_error(&reply, 400, "MissingParameter", "Configuration.1.Scope");
}

#[test]
fn rejects_a_non_integer_for_an_integer() {
    let reply = sim().handle("DescribeInstances", &[REGION, ("PageSize", "ten")]);
    assert_error(&reply, 400, "InvalidParameter", "PageSize");
}

#[test]
fn rejects_an_int32_out_of_range() {
    let reply = sim().handle("DescribeInstances", &[REGION, ("PageNumber", "2147483648")]);
    assert_error(&reply, 400, "InvalidParameter", "PageNumber");
}

#[test]
fn rejects_a_boolean_that_is_not_true_or_false() {
    let reply = sim().handle("DescribeInstances", &[REGION, ("DryRun", "yes")]);
    assert_error(&reply, 400, "InvalidParameter", "DryRun");
}

#[test]
fn rejects_tag_2_without_tag_1() {
    let reply = sim().handle("DescribeInstances", &[REGION, ("Tag.2.Key", "env")]);
    assert_error(&reply, 400, "InvalidParameter.Malformed", "Tag.2");
}

#[test]
fn rejects_tag_0() {
    let reply = sim().handle("DescribeInstances", &[REGION, ("Tag.0.Key", "env")]);
    assert_error(&reply, 400, "InvalidParameter.Malformed", "Tag.0");
}

#[test]
fn rejects_a_list_sent_without_an_index() {
    let reply = sim().handle("RunInstances", &[REGION, ("SecurityGroupIds", "sg-1")]);
    assert_error(
        &reply,
        400,
        "InvalidParameter.Malformed",
        "SecurityGroupIds",
    );
}

#[test]
fn rejects_bad_json_in_run_command_parameters() {
    let reply = sim().handle(
        "RunCommand",
        &[
            REGION,
            ("Type", "RunShellScript"),
            ("CommandContent", "ZWNobyAxMjM="),
            ("Parameters", "{name: Jack}"),
        ],
    );
    assert_error(&reply, 400, "InvalidParameter.Malformed", "Parameters");
}

#[test]
fn accepts_json_in_run_command_parameters() {
    let reply = sim().handle(
        "RunCommand",
        &[
            REGION,
            ("Type", "RunShellScript"),
            ("CommandContent", "ZWNobyAxMjM="),
            ("Parameters", r#"{"name":"Jack"}"#),
        ],
    );
    assert_ok(&reply);
}

#[test]
fn rejects_describe_instances_ids_that_are_not_a_json_array() {
    let reply = sim().handle("DescribeInstances", &[REGION, ("InstanceIds", "i-1")]);
    assert_error(&reply, 400, "InvalidParameter.Malformed", "InstanceIds");
}

#[test]
fn rejects_more_items_than_max_items() {
    let keys: Vec<(String, String)> = (1..=21)
        .map(|i| (format!("Tag.{i}.Key"), format!("k{i}")))
        .chain([(REGION.0.to_string(), REGION.1.to_string())])
        .collect();
    let reply = sim().handle("DescribeInstances", &keys);
    assert_error(&reply, 400, "InvalidParameter", "Tag");
}

#[test]
fn accepts_max_items_exactly() {
    let keys: Vec<(String, String)> = (1..=20)
        .map(|i| (format!("Tag.{i}.Key"), format!("k{i}")))
        .chain([(REGION.0.to_string(), REGION.1.to_string())])
        .collect();
    assert_ok(&sim().handle("DescribeInstances", &keys));
}

#[test]
fn rejects_a_value_over_maximum() {
    let reply = sim().handle("DescribeInstances", &[REGION, ("MaxResults", "101")]);
    assert_error(&reply, 400, "InvalidParameter", "MaxResults");
}

#[test]
fn rejects_a_value_outside_the_enum() {
    let reply = sim().handle(
        "ModifyInstanceSpec",
        &[("InstanceId", "i-1"), ("ModifyMode", "Sideways")],
    );
    assert_error(&reply, 400, "InvalidParameter", "ModifyMode");
}

#[test]
fn accepts_a_value_in_the_enum() {
    let reply = sim().handle(
        "ModifyInstanceSpec",
        &[("InstanceId", "i-1"), ("ModifyMode", "Offline")],
    );
    assert_ok(&reply);
}

#[test]
fn accepts_run_instances_with_dotted_nested_and_list_parameters() {
    let reply = sim().handle(
        "RunInstances",
        &[
            REGION,
            ("ImageId", "m-1"),
            ("SystemDisk.Category", "cloud_essd"),
            ("SystemDisk.StorageClusterId", "dbsc-1"),
            ("DataDisk.1.Size", "40"),
            ("DataDisk.2.Size", "80"),
            ("NetworkInterface.1.SecurityGroupIds.1", "sg-1"),
            ("NetworkInterface.1.SecurityGroupIds.2", "sg-2"),
            ("SecurityGroupIds.1", "sg-1"),
            ("Tag.1.Key", "env"),
        ],
    );
    assert_ok(&reply);
}

#[test]
fn rejects_a_gap_in_a_nested_list() {
    let reply = sim().handle(
        "RunInstances",
        &[REGION, ("NetworkInterface.1.SecurityGroupIds.3", "sg-1")],
    );
    assert_error(
        &reply,
        400,
        "InvalidParameter.Malformed",
        "NetworkInterface.1.SecurityGroupIds.3",
    );
}

#[test]
fn rejects_an_unknown_field_of_a_list_item() {
    let reply = sim().handle("RunInstances", &[REGION, ("DataDisk.1.Bogus", "1")]);
    assert_error(&reply, 400, "UnsupportedParameter", "DataDisk.1.Bogus");
}

#[test]
fn accepts_tag_fields_that_differ_only_by_case() {
    let reply = sim().handle(
        "DescribeInstances",
        &[REGION, ("Tag.1.Key", "a"), ("Tag.1.key", "b")],
    );
    assert_ok(&reply);
}

#[test]
fn rejects_a_parameter_given_twice() {
    let reply = sim().handle("DescribeInstances", &[REGION, REGION]);
    assert_error(&reply, 400, "InvalidParameter", "RegionId");
}

#[test]
fn answers_an_unknown_action_with_404_invalid_action_not_found() {
    let reply = sim().handle("DescribeUnicorns", &[REGION]);
    assert_eq!(reply.status, 404);
    assert_eq!(reply.code(), Some("InvalidAction.NotFound"));
}

#[test]
fn error_bodies_carry_request_id_host_id_code_message_and_recommend() {
    let reply = sim().handle("DescribeInstances", &[REGION, ("Bogus", "1")]);
    for key in ["RequestId", "HostId", "Code", "Message", "Recommend"] {
        assert!(
            reply.body.get(key).and_then(|v| v.as_str()).is_some(),
            "{key} missing: {:#}",
            reply.body
        );
    }
}

#[test]
fn accepts_plain_strings_as_list_items_whose_example_is_a_json_array() {
    let reply = sim().handle(
        "DescribeInstanceTypes",
        &[("CpuArchitectures.1", "X86"), ("CpuArchitectures.2", "ARM")],
    );
    assert_ok(&reply);
}

#[test]
fn odd_names_and_values_get_error_replies_not_panics() {
    let odd = [
        ("", "x"),
        (".", "x"),
        ("Tag.", "x"),
        ("Tag..Key", "x"),
        ("Tag.1.", "x"),
        ("Tag.-1.Key", "x"),
        ("Tag.01.Key", "x"),
        ("Tag.１.Key", "x"),
        ("Tag.99999999999999999999999.Key", "x"),
        ("Tag.18446744073709551615.Key", "x"),
        ("Tag.1.Key.Extra", "x"),
        ("InstanceIds", "[\"unterminated"),
        ("MaxResults", "1e400"),
        ("MaxResults", ""),
    ];
    for (name, value) in odd {
        let reply = sim().handle("DescribeInstances", &[REGION, (name, value)]);
        assert_eq!(reply.status, 400, "{name}={value}: {:#}", reply.body);
    }
}
