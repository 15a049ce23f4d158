use super::*;
use crate::parse;

/// A document holding the given `apis` object.
fn docs(apis: &str) -> ApiDocs {
    let text = format!(r#"{{"info":{{"product":"Ecs","version":"2014-05-26"}},"apis":{apis}}}"#);
    parse(&text).unwrap_or_else(|e| panic!("test document: {e}"))
}

/// An operation with the given parameters and 200 schema.
fn op(params: &str, response: &str) -> String {
    format!(r#"{{"parameters":{params},"responses":{{"200":{{"schema":{response}}}}}}}"#)
}

fn one_op(params: &str, response: &str) -> ApiDocs {
    docs(&format!(r#"{{"Op":{}}}"#, op(params, response)))
}

const EMPTY: &str = r#"{"type":"object","properties":{}}"#;

/// The only changed operation's changes.
fn only_changed(d: &ApiDiff) -> &OperationDiff {
    assert_eq!(d.changed.len(), 1, "{d}");
    &d.changed[0]
}

fn field(path: &str, change: Change) -> FieldChange {
    FieldChange {
        path: path.to_string(),
        change,
    }
}

fn real_metadata() -> ApiDocs {
    crate::load_pinned().unwrap_or_else(|e| panic!("this test needs the real ECS metadata: {e}"))
}

#[test]
fn operation_added() {
    let old = docs(&format!(r#"{{"A":{}}}"#, op("[]", EMPTY)));
    let new = docs(&format!(r#"{{"A":{0},"B":{0}}}"#, op("[]", EMPTY)));
    let d = diff(&old, &new);
    assert_eq!(d.added, ["B"]);
    assert!(d.removed.is_empty() && d.changed.is_empty(), "{d}");
}

#[test]
fn operation_removed() {
    let old = docs(&format!(r#"{{"A":{0},"B":{0},"C":{0}}}"#, op("[]", EMPTY)));
    let new = docs(&format!(r#"{{"B":{}}}"#, op("[]", EMPTY)));
    let d = diff(&old, &new);
    assert_eq!(d.removed, ["A", "C"]);
    assert!(d.added.is_empty(), "{d}");
}

#[test]
fn operation_deprecated_and_undeprecated() {
    let old = docs(r#"{"A":{"deprecated":false},"B":{"deprecated":true},"C":{}}"#);
    let new = docs(r#"{"A":{"deprecated":true},"B":{},"C":{"deprecated":true}}"#);
    let d = diff(&old, &new);
    assert_eq!(d.deprecated, ["A", "C"]);
    assert_eq!(d.undeprecated, ["B"]);
    assert!(d.changed.is_empty(), "{d}");
}

#[test]
fn parameter_added_with_required() {
    let old = one_op(r#"[{"name":"A","schema":{"type":"string"}}]"#, EMPTY);
    let new = one_op(
        r#"[{"name":"A","schema":{"type":"string"}},
            {"name":"B","schema":{"type":"integer","format":"int64","required":true}}]"#,
        EMPTY,
    );
    let d = diff(&old, &new);
    assert_eq!(
        only_changed(&d).parameters,
        [field(
            "B",
            Change::Added {
                ty: "integer(int64)".into(),
                required: true
            }
        )]
    );
}

#[test]
fn parameter_removed() {
    let old = one_op(
        r#"[{"name":"A","schema":{"type":"string"}},{"name":"B","schema":{"type":"boolean"}}]"#,
        EMPTY,
    );
    let new = one_op(r#"[{"name":"A","schema":{"type":"string"}}]"#, EMPTY);
    let d = diff(&old, &new);
    assert_eq!(
        only_changed(&d).parameters,
        [field(
            "B",
            Change::Removed {
                ty: "boolean".into()
            }
        )]
    );
}

#[test]
fn parameter_retyped() {
    let old = one_op(
        r#"[{"name":"A","schema":{"type":"integer","format":"int32"}}]"#,
        EMPTY,
    );
    let new = one_op(
        r#"[{"name":"A","schema":{"type":"integer","format":"int64"}}]"#,
        EMPTY,
    );
    let d = diff(&old, &new);
    assert_eq!(
        only_changed(&d).parameters,
        [field(
            "A",
            Change::Retyped {
                old: "integer(int32)".into(),
                new: "integer(int64)".into()
            }
        )]
    );
}

#[test]
fn parameter_enum_change_is_a_retype_but_reordering_is_not() {
    let old = one_op(
        r#"[{"name":"A","schema":{"type":"string","enum":["x","y"]}}]"#,
        EMPTY,
    );
    let reordered = one_op(
        r#"[{"name":"A","schema":{"type":"string","enum":["y","x"]}}]"#,
        EMPTY,
    );
    let extended = one_op(
        r#"[{"name":"A","schema":{"type":"string","enum":["y","x","z"]}}]"#,
        EMPTY,
    );
    assert!(diff(&old, &reordered).is_empty());
    let d = diff(&old, &extended);
    assert_eq!(
        only_changed(&d).parameters,
        [field(
            "A",
            Change::Retyped {
                old: "string enum[x|y]".into(),
                new: "string enum[x|y|z]".into()
            }
        )]
    );
}

#[test]
fn parameter_required_changed() {
    let old = one_op(r#"[{"name":"A","schema":{"type":"string"}}]"#, EMPTY);
    let new = one_op(
        r#"[{"name":"A","schema":{"type":"string","required":true}}]"#,
        EMPTY,
    );
    assert_eq!(
        only_changed(&diff(&old, &new)).parameters,
        [field("A", Change::RequiredChanged { required: true })]
    );
    assert_eq!(
        only_changed(&diff(&new, &old)).parameters,
        [field("A", Change::RequiredChanged { required: false })]
    );
}

#[test]
fn nested_parameter_fields_have_paths() {
    let old = one_op(
        r#"[{"name":"Tag","style":"repeatList","schema":{"type":"array","items":{"type":"object",
              "properties":{"Key":{"type":"string"}}}}},
            {"name":"SystemDisk","style":"flat","schema":{"type":"object",
              "properties":{"Size":{"type":"integer","format":"int32"}}}}]"#,
        EMPTY,
    );
    let new = one_op(
        r#"[{"name":"Tag","style":"repeatList","schema":{"type":"array","items":{"type":"object",
              "properties":{"Key":{"type":"string"},"Value":{"type":"string"}}}}},
            {"name":"SystemDisk","style":"flat","schema":{"type":"object",
              "properties":{"Size":{"type":"integer","format":"int32","required":true},
                            "Category":{"type":"string"}}}}]"#,
        EMPTY,
    );
    let string = || Change::Added {
        ty: "string".into(),
        required: false,
    };
    assert_eq!(
        only_changed(&diff(&old, &new)).parameters,
        [
            field("Tag[].Value", string()),
            field(
                "SystemDisk.Size",
                Change::RequiredChanged { required: true }
            ),
            field("SystemDisk.Category", string()),
        ]
    );
}

#[test]
fn new_object_parameter_is_reported_once_not_field_by_field() {
    let old = one_op("[]", EMPTY);
    let new = one_op(
        r#"[{"name":"Tag","schema":{"type":"array","items":{"type":"object",
              "properties":{"Key":{"type":"string"},"Value":{"type":"string"}}}}}]"#,
        EMPTY,
    );
    assert_eq!(
        only_changed(&diff(&old, &new)).parameters,
        [field(
            "Tag",
            Change::Added {
                ty: "array<object>".into(),
                required: false
            }
        )]
    );
}

#[test]
fn duplicate_parameter_counts_by_first_occurrence() {
    let old = one_op(r#"[{"name":"RegionId","schema":{"type":"string"}}]"#, EMPTY);
    let new = one_op(
        r#"[{"name":"RegionId","schema":{"type":"string"}},
            {"name":"RegionId","schema":{"type":"integer"}}]"#,
        EMPTY,
    );
    assert!(diff(&old, &new).is_empty());
}

const INSTANCES_OLD: &str = r#"{"type":"object","properties":{
    "RequestId":{"type":"string"},
    "Instances":{"type":"object","properties":{"Instance":{"type":"array","items":{
        "type":"object","properties":{
            "InstanceId":{"type":"string"},
            "Cpu":{"type":"integer","format":"int32"},
            "Memory":{"type":"integer","format":"int32"}}}}}}}}"#;

const INSTANCES_NEW: &str = r#"{"type":"object","properties":{
    "RequestId":{"type":"string"},
    "Instances":{"type":"object","properties":{"Instance":{"type":"array","items":{
        "type":"object","properties":{
            "InstanceId":{"type":"string"},
            "Cpu":{"type":"integer","format":"int64"},
            "Gpu":{"type":"integer","format":"int32"}}}}}}}}"#;

#[test]
fn response_field_added_through_wrapper_array() {
    let d = diff(&one_op("[]", INSTANCES_OLD), &one_op("[]", INSTANCES_NEW));
    assert!(only_changed(&d).response.contains(&field(
        "Instances.Instance[].Gpu",
        Change::Added {
            ty: "integer(int32)".into(),
            required: false
        }
    )));
}

#[test]
fn response_field_removed_through_wrapper_array() {
    let d = diff(&one_op("[]", INSTANCES_OLD), &one_op("[]", INSTANCES_NEW));
    assert!(only_changed(&d).response.contains(&field(
        "Instances.Instance[].Memory",
        Change::Removed {
            ty: "integer(int32)".into()
        }
    )));
}

#[test]
fn response_field_retyped_through_wrapper_array() {
    let d = diff(&one_op("[]", INSTANCES_OLD), &one_op("[]", INSTANCES_NEW));
    assert_eq!(
        only_changed(&d).response,
        [
            field(
                "Instances.Instance[].Cpu",
                Change::Retyped {
                    old: "integer(int32)".into(),
                    new: "integer(int64)".into()
                }
            ),
            field(
                "Instances.Instance[].Gpu",
                Change::Added {
                    ty: "integer(int32)".into(),
                    required: false
                }
            ),
            field(
                "Instances.Instance[].Memory",
                Change::Removed {
                    ty: "integer(int32)".into()
                }
            ),
        ]
    );
}

#[test]
fn odd_or_missing_schemas_do_not_panic() {
    let old = docs(
        r#"{"A":{},"B":{"responses":{"200":{}}},
            "C":{"parameters":[{"name":"X","schema":{"type":"array"}},
                               {"name":"Y","schema":{"type":"weird","items":{"items":{}}}}]}}"#,
    );
    let new = docs(
        r#"{"A":{"responses":{"200":{"schema":{"type":"array","items":{"properties":{"Z":{}}}}}}},
            "B":{"responses":{"201":{"schema":{"type":"object"}}}},
            "C":{"parameters":[{"name":"X","schema":{}},{"name":"Y","schema":{"type":"weird"}}]}}"#,
    );
    let d = diff(&old, &new);
    let a = &d.changed[0];
    assert_eq!(a.name, "A");
    assert_eq!(
        a.response,
        [field(
            "",
            Change::Added {
                ty: "array<object>".into(),
                required: false
            }
        )]
    );
    // Both directions and the report must work on odd input.
    let _ = diff(&new, &old).to_string();
    assert!(
        d.to_string().contains("response + (body): array<object>"),
        "{d}"
    );
}

#[test]
fn identical_documents_give_an_empty_diff() {
    let a = one_op(
        r#"[{"name":"Tag","schema":{"type":"array","items":{"type":"object",
              "properties":{"Key":{"type":"string"}}}}}]"#,
        INSTANCES_OLD,
    );
    let d = diff(&a, &a.clone());
    assert!(d.is_empty(), "{d}");
    assert_eq!(d, ApiDiff::default());
    assert_eq!(d.to_string(), "no API changes\n");
}

#[test]
fn display_is_a_compact_report_with_a_count_header() {
    let old = docs(&format!(
        r#"{{"Gone":{0},"Old":{0},"Op":{1}}}"#,
        op("[]", EMPTY),
        op(
            r#"[{"name":"A","schema":{"type":"string"}}]"#,
            INSTANCES_OLD
        )
    ));
    let new = docs(&format!(
        r#"{{"Old":{{"deprecated":true}},"Op":{1},"New":{0}}}"#,
        op("[]", EMPTY),
        op(
            r#"[{"name":"A","schema":{"type":"string","required":true}},
                {"name":"B","schema":{"type":"boolean"}}]"#,
            INSTANCES_NEW
        )
    ));
    let report = diff(&old, &new).to_string();
    assert_eq!(
        report,
        "\
1 operation added, 1 removed, 1 deprecated, 2 changed
+ New
- Gone
! Old deprecated
~ Old
    response - (body): object
~ Op
    param ~ A: now required
    param + B: boolean
    response ~ Instances.Instance[].Cpu: integer(int32) -> integer(int64)
    response + Instances.Instance[].Gpu: integer(int32)
    response - Instances.Instance[].Memory: integer(int32)
"
    );
}

#[test]
fn real_metadata_against_itself_is_empty() {
    let docs = real_metadata();
    let d = diff(&docs, &docs);
    assert!(d.is_empty(), "{d}");
}

#[test]
fn real_metadata_reports_a_removed_operation_and_response_field() {
    let old = real_metadata();
    let mut new = old.clone();
    assert!(
        new.apis.shift_remove("StopInstance").is_some(),
        "StopInstance is in the metadata"
    );
    let instance = new
        .apis
        .get_mut("DescribeInstances")
        .expect("DescribeInstances is in the metadata")
        .responses
        .get_mut("200")
        .and_then(|r| r.schema.as_mut())
        .and_then(|s| s.properties.as_mut()?.get_mut("Instances"))
        .and_then(|s| s.properties.as_mut()?.get_mut("Instance"))
        .and_then(|s| s.items.as_mut()?.properties.as_mut())
        .expect("DescribeInstances returns Instances.Instance[]");
    let cpu = instance.shift_remove("Cpu").expect("instances have a Cpu");

    let d = diff(&old, &new);
    assert_eq!(d.removed, ["StopInstance"], "{d}");
    assert!(d.added.is_empty() && d.deprecated.is_empty(), "{d}");
    let op = only_changed(&d);
    assert_eq!(op.name, "DescribeInstances");
    assert!(op.parameters.is_empty(), "{d}");
    assert_eq!(
        op.response,
        [field(
            "Instances.Instance[].Cpu",
            Change::Removed {
                ty: describe_type(&cpu)
            }
        )]
    );
}
