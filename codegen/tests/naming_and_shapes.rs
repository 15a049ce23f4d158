//! What codegen makes of each shape and quirk of the fixture metadata
//! (`fixtures/quirks.json`), one behaviour per test. Assertions read the IR
//! where it states the decision and the generated Rust (parsed with syn;
//! type declarations through `support`) where the decision shows in code.

mod support;

use ecs_codegen::ir::{self, Encoding, Kind, Region, Side, Ty, TypeDef};
use ecs_codegen::{generate, Output, Settings};
use ecs_rs_metadata::ApiDocs;
use std::sync::OnceLock;
use support::{declared, declared_all, is_deprecated, tokens};

fn fixture() -> ApiDocs {
    ecs_rs_metadata::parse(include_str!("fixtures/quirks.json")).expect("fixture metadata parses")
}

fn output() -> &'static Output {
    static OUTPUT: OnceLock<Output> = OnceLock::new();
    OUTPUT.get_or_init(|| generate(&fixture(), &Settings::quirks()).expect("fixture generates"))
}

fn api() -> ir::Api {
    ir::build(&fixture(), &Settings::quirks()).expect("fixture builds")
}

fn operation<'a>(api: &'a ir::Api, wire: &str) -> &'a ir::Operation {
    api.operations
        .iter()
        .find(|o| o.wire == wire)
        .unwrap_or_else(|| panic!("no operation {wire}"))
}

fn ir_struct<'a>(op: &'a ir::Operation, name: &str) -> &'a ir::Struct {
    match op.get(name) {
        Some(TypeDef::Struct(s)) => s,
        other => panic!("{}: no struct {name}: {other:?}", op.wire),
    }
}

fn ir_field<'a>(s: &'a ir::Struct, wire: &str) -> &'a ir::Field {
    s.fields
        .iter()
        .find(|f| f.wire == wire)
        .unwrap_or_else(|| panic!("{}: no field with wire name {wire}", s.name))
}

/// A generated file, parsed.
fn file(path: &str) -> syn::File {
    syn::parse_file(output_file(path)).unwrap_or_else(|e| panic!("{path} does not parse: {e}"))
}

fn output_file(path: &str) -> &'static str {
    output()
        .files
        .get(path)
        .unwrap_or_else(|| panic!("no generated file {path}"))
}

/// The function `name` of the inherent or trait impl whose self type is `self_ty`.
fn impl_fn<'a>(file: &'a syn::File, self_ty: &str, name: &str) -> &'a syn::ImplItemFn {
    file.items
        .iter()
        .filter_map(|i| match i {
            syn::Item::Impl(imp) if tokens(&imp.self_ty) == self_ty => Some(imp),
            _ => None,
        })
        .flat_map(|imp| &imp.items)
        .find_map(|i| match i {
            syn::ImplItem::Fn(f) if f.sig.ident == name => Some(f),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no fn {self_ty}::{name}"))
}

/// A generated field: its type, wire name and wire form.
fn gen_field(file: &syn::File, strukt: &str, rust: &str) -> support::DeclaredField {
    declared(file, strukt).field(rust).clone()
}

fn field_names(file: &syn::File, strukt: &str) -> Vec<String> {
    declared(file, strukt)
        .field_names()
        .into_iter()
        .map(String::from)
        .collect()
}

/// The `pub use crate::types::{..}` of an operation module, as written.
fn reexports(path: &str) -> String {
    support::uses(&file(path)).concat()
}

const RUN: &str = "src/ops/run_things.rs";
const DESCRIBE: &str = "src/ops/describe_things.rs";
const OLD: &str = "src/ops/old_thing.rs";
const TYPES: &str = "src/ops/types.rs";

#[test]
fn dotted_parameter_names_become_snake_case_fields_with_their_wire_name() {
    let run = file(RUN);
    for (wire, rust) in [
        ("SystemDisk.Category", "system_disk_category"),
        ("DataDisk.1.Category", "data_disk_1_category"),
        ("CpuOptions.Core", "cpu_options_core"),
    ] {
        assert_eq!(
            gen_field(&run, "RunThingsRequest", rust).wire,
            wire,
            "{rust}"
        );
    }
}

#[test]
fn dotted_list_parameters_get_an_item_type_named_after_the_whole_wire_name() {
    let run = file(RUN);
    let field = gen_field(&run, "RunThingsRequest", "launch_configuration_data_disk");
    assert_eq!(field.ty, "Vec<LaunchConfigurationDataDisk>");
    assert_eq!(field.wire, "LaunchConfiguration.DataDisk");
    assert_eq!(field_names(&run, "LaunchConfigurationDataDisk"), ["size"]);
}

#[test]
fn every_field_carries_its_exact_wire_name() {
    let api = api();
    let check = |path: &str, defs: Vec<&TypeDef>| {
        let generated = file(path);
        for def in defs {
            let TypeDef::Struct(s) = def else { continue };
            for f in &s.fields {
                assert_eq!(
                    gen_field(&generated, &s.name, &f.rust).wire,
                    f.wire,
                    "{}.{}",
                    s.name,
                    f.rust
                );
            }
        }
    };
    for op in &api.operations {
        check(
            &format!("src/ops/{}.rs", op.module),
            op.types.iter().collect(),
        );
    }
    check(TYPES, api.shared.iter().map(|s| &s.def).collect());
}

#[test]
fn names_differing_only_by_case_are_told_apart_by_their_casing() {
    let types = file(TYPES);
    assert_eq!(
        field_names(&types, "Tag"),
        ["key", "value", "key_lower", "value_lower"]
    );
    assert_eq!(gen_field(&types, "Tag", "key_lower").wire, "key");

    let describe = file(DESCRIBE);
    for (rust, wire) in [
        ("cpu_upper", "CPU"),
        ("cpu", "Cpu"),
        ("os_type_acronym", "OSType"),
        ("os_type", "OsType"),
        ("host_name", "HostName"),
        ("hostname", "Hostname"),
    ] {
        assert_eq!(gen_field(&describe, "Thing", rust).wire, wire);
    }
}

#[test]
fn rust_keywords_get_a_trailing_underscore() {
    let run = file(RUN);
    assert_eq!(gen_field(&run, "RunThingsRequest", "type_").wire, "Type");
    assert_eq!(gen_field(&run, "RunThingsRequest", "async_").wire, "Async");
    assert_eq!(gen_field(&file(DESCRIBE), "Thing", "type_").wire, "Type");
}

#[test]
fn type_names_that_would_shadow_the_prelude_get_an_info_suffix() {
    let api = api();
    let op = operation(&api, "Ungrouped");
    let result = ir_field(ir_struct(op, "UngroupedResponse"), "Result");
    assert_eq!(result.ty, Ty::Named("ResultInfo".into()));
    declared(&file("src/ops/ungrouped.rs"), "ResultInfo");
}

#[test]
fn one_array_wrappers_become_vecs_read_and_written_through_their_key() {
    let api = api();
    let op = operation(&api, "DescribeThings");
    let things = ir_field(ir_struct(op, "DescribeThingsResponse"), "Things");
    assert_eq!(things.ty, Ty::List(Box::new(Ty::Named("Thing".into()))));
    assert_eq!(things.encoding, Encoding::Wrapped("Thing".into()));

    let describe = file(DESCRIBE);
    for (strukt, rust, ty, key) in [
        ("DescribeThingsResponse", "things", "Vec<Thing>", "Thing"),
        ("Thing", "tags", "Vec<Tag>", "Tag"),
        (
            "VpcAttributes",
            "private_ip_address",
            "Vec<String>",
            "IpAddress",
        ),
    ] {
        let field = gen_field(&describe, strukt, rust);
        assert_eq!(field.ty, ty, "{strukt}.{rust}");
        assert_eq!(field.form, format!("wrapped\"{key}\""), "{strukt}.{rust}");
        assert_eq!(declared(&describe, strukt).macro_name, "response_struct");
    }
    let run = file(RUN);
    let sets = gen_field(&run, "RunThingsResponse", "instance_id_sets");
    assert_eq!(
        (sets.ty.as_str(), sets.form.as_str()),
        ("Vec<String>", "wrapped\"InstanceIdSet\"")
    );
}

#[test]
fn plain_response_fields_are_options_and_lists_are_vecs() {
    let describe = file(DESCRIBE);
    let size = gen_field(&describe, "Thing", "size");
    assert_eq!((size.ty.as_str(), size.form.as_str()), ("Option<i64>", ""));
    let disks = gen_field(&describe, "Thing", "disks");
    assert_eq!((disks.ty.as_str(), disks.form.as_str()), ("Vec<Disks>", ""));
}

#[test]
fn enums_are_declared_with_wire_enum_which_keeps_unknown_values() {
    for (path, name) in [(RUN, "ModifyMode"), (DESCRIBE, "Status")] {
        let e = declared(&file(path), name);
        assert_eq!(e.macro_name, "wire_enum", "{name}");
        assert!(e.variants.iter().all(|(v, _)| v != "Unknown"), "{name}");
    }
}

#[test]
fn enum_values_differing_only_by_case_get_distinct_variants() {
    let e = declared(&file(RUN), "ModifyMode");
    let expected = [
        ("Online", "Online"),
        ("Offline", "Offline"),
        ("OnlineLower", "online"),
    ];
    assert_eq!(
        e.variants,
        expected.map(|(a, b)| (a.to_string(), b.to_string()))
    );
}

#[test]
fn enum_lists_of_integers_stay_integers() {
    assert_eq!(
        gen_field(&file(RUN), "RunThingsRequest", "period").ty,
        "Option<i32>"
    );
}

#[test]
fn required_parameters_are_arguments_of_new_and_not_options() {
    let run = file(RUN);
    assert_eq!(gen_field(&run, "RunThingsRequest", "image_id").ty, "String");
    assert_eq!(gen_field(&run, "RunThingsRequest", "amount").ty, "i32");
    let new = impl_fn(&run, "RunThingsRequest", "new");
    assert_eq!(
        tokens(&new.sig.inputs),
        "image_id:implInto<String>,amount:i32"
    );

    // A required property of a nested object: `Tag::new(key)`.
    let types = file(TYPES);
    assert_eq!(gen_field(&types, "Tag", "key").ty, "String");
    assert_eq!(
        tokens(&impl_fn(&types, "Tag", "new").sig.inputs),
        "key:implInto<String>"
    );

    // A required list is a bare `Vec` argument.
    let old = file(OLD);
    assert_eq!(
        tokens(&impl_fn(&old, "OldThingRequest", "new").sig.inputs),
        "thing_id:implInto<String>,ids:Vec<String>"
    );
}

#[test]
fn requests_without_required_parameters_derive_default() {
    let describe = file(DESCRIBE);
    let derives = declared(&describe, "DescribeThingsRequest").attrs;
    assert!(derives.contains("derive(Default)"), "{derives}");
    let run = declared(&file(RUN), "RunThingsRequest").attrs;
    assert!(!run.contains("Default"), "{run}");
    assert_eq!(
        tokens(
            &impl_fn(&describe, "DescribeThingsRequest", "new")
                .sig
                .inputs
        ),
        ""
    );
}

#[test]
fn region_id_and_client_token_are_optional_because_the_client_fills_them() {
    let api = api();
    let op = operation(&api, "RunThings");
    let request = ir_struct(op, "RunThingsRequest");
    // RegionId is required in the metadata.
    assert_eq!(op.region, Region::Required);
    assert_eq!(ir_field(request, "RegionId").kind, Kind::Optional);
    assert!(op.client_token);
    assert_eq!(ir_field(request, "ClientToken").kind, Kind::Optional);

    let run = file(RUN);
    assert_eq!(
        gen_field(&run, "RunThingsRequest", "region_id").ty,
        "Option<String>"
    );
    assert_eq!(
        gen_field(&run, "RunThingsRequest", "client_token").ty,
        "Option<String>"
    );
    assert!(output_file("src/operations.rs").contains(
        "    RUN_THINGS = \"RunThings\" in \"instances\", region: Required, client_token;\n"
    ));
    assert_eq!(operation(&api, "DescribeThings").region, Region::Optional);
    assert_eq!(operation(&api, "OldThing").region, Region::None);
}

#[test]
fn json_style_parameters_are_written_as_json() {
    let run = file(RUN);
    for (rust, ty) in [
        ("parameters", "Option<serde_json::Value>"),
        ("delivery_config", "Option<DeliveryConfig>"),
        // A `string` whose example is a JSON array.
        ("instance_ids", "Option<Vec<String>>"),
    ] {
        let field = gen_field(&run, "RunThingsRequest", rust);
        assert_eq!(
            (field.ty.as_str(), field.form.as_str()),
            (ty, "json"),
            "{rust}"
        );
    }
}

#[test]
fn json_string_lists_can_be_turned_off() {
    let settings = Settings {
        json_string_lists: false,
        ..Settings::without_tables()
    };
    let out = generate(&fixture(), &settings).unwrap();
    let run = syn::parse_file(&out.files[RUN]).unwrap();
    let field = gen_field(&run, "RunThingsRequest", "instance_ids");
    assert_eq!(
        (field.ty.as_str(), field.form.as_str()),
        ("Option<String>", "")
    );
}

#[test]
fn simple_style_lists_are_joined_by_commas() {
    let field = gen_field(&file(RUN), "RunThingsRequest", "ports");
    assert_eq!(
        (field.ty.as_str(), field.form.as_str()),
        ("Vec<i32>", "joined','")
    );
}

#[test]
fn repeat_lists_are_bare_vecs_flattened_item_by_item() {
    let api = api();
    let request = ir_struct(operation(&api, "RunThings"), "RunThingsRequest");
    let run = file(RUN);
    for (wire, rust, ty) in [
        ("SecurityGroupIds", "security_group_ids", "Vec<String>"),
        ("Tag", "tag", "Vec<Tag>"),
        (
            "NetworkInterface",
            "network_interface",
            "Vec<NetworkInterface>",
        ),
    ] {
        assert_eq!(ir_field(request, wire).kind, Kind::List);
        let field = gen_field(&run, "RunThingsRequest", rust);
        assert_eq!((field.ty.as_str(), field.form.as_str()), (ty, ""));
    }
}

#[test]
fn flat_objects_are_nested_structs() {
    let run = file(RUN);
    assert_eq!(
        gen_field(&run, "RunThingsRequest", "system_disk").ty,
        "Option<SystemDisk>"
    );
    assert_eq!(
        field_names(&run, "SystemDisk"),
        ["storage_cluster_id", "encrypted"]
    );
}

#[test]
fn untyped_values_are_json_values() {
    assert_eq!(
        gen_field(&file(RUN), "RunThingsRequest", "extra").ty,
        "Option<serde_json::Value>"
    );
    // `object` without properties.
    assert_eq!(
        gen_field(&file(DESCRIBE), "Thing", "attributes").ty,
        "Option<serde_json::Value>"
    );
}

#[test]
fn deprecated_operations_are_marked_deprecated() {
    let old = file(OLD);
    assert!(declared(&old, "OldThingRequest").deprecated);
    assert!(is_deprecated(
        &impl_fn(&old, "crate::Client", "old_thing").attrs
    ));
    assert!(output_file("src/operations.rs")
        .contains("    OLD_THING = \"OldThing\" in \"group-999001\", region: None, deprecated;\n"));

    let run = file(RUN);
    assert!(!declared(&run, "RunThingsRequest").deprecated);
    assert!(!is_deprecated(
        &impl_fn(&run, "crate::Client", "run_things").attrs
    ));
}

#[test]
fn deprecated_fields_are_marked_deprecated() {
    assert!(gen_field(&file(RUN), "RunThingsRequest", "async_").deprecated);
    let types = file(TYPES);
    assert!(gen_field(&types, "Tag", "key_lower").deprecated);
    assert!(!gen_field(&types, "Tag", "key").deprecated);
}

#[test]
fn duplicate_parameters_appear_once() {
    let names = field_names(&file(RUN), "RunThingsRequest");
    assert_eq!(names.iter().filter(|n| *n == "region_id").count(), 1);
}

#[test]
fn an_object_shape_repeated_in_one_operation_is_one_type() {
    let api = api();
    let run = operation(&api, "RunThings");
    assert!(run.get("NetworkInterfaceTag").is_none());
    assert_eq!(
        gen_field(&file(RUN), "NetworkInterface", "tag").ty,
        "Vec<Tag>"
    );
    assert_eq!(
        run.imports
            .iter()
            .filter(|i| i.local.ends_with("Tag"))
            .count(),
        1
    );

    let describe = file(DESCRIBE);
    assert_eq!(gen_field(&describe, "Disks", "tags").ty, "Vec<Tag>");
    assert_eq!(
        declared_all(&describe)
            .iter()
            .filter(|d| d.name.ends_with("Tag"))
            .count(),
        1
    );
}

#[test]
fn an_operation_without_a_response_schema_gets_an_empty_response() {
    let response = declared(&file(OLD), "OldThingResponse");
    assert_eq!(response.macro_name, "response_struct");
    assert!(response.fields.is_empty());
}

#[test]
fn read_only_operations_are_the_describe_list_query_and_get_ones() {
    let api = api();
    assert!(operation(&api, "DescribeThings").read_only);
    assert!(operation(&api, "ListThings").read_only);
    assert!(!operation(&api, "RunThings").read_only);
    assert!(output_file("src/operations.rs").contains(
        "    DESCRIBE_THINGS = \"DescribeThings\" in \"instances\", region: Optional, read_only;\n"
    ));
}

// ---- the type registry: what several operations share ----

#[test]
fn a_type_identical_in_name_and_shape_is_defined_once_and_re_exported() {
    let api = api();
    let tag = api.shared("Tag").expect("Tag is shared");
    assert_eq!(tag.operations, ["RunThings", "TagThings"]);
    for (op, path) in [("RunThings", RUN), ("TagThings", "src/ops/tag_things.rs")] {
        assert!(operation(&api, op).get("Tag").is_none(), "{op}");
        assert!(reexports(path).contains("Tag"), "{op}: {}", reexports(path));
        assert!(
            declared_all(&file(path)).iter().all(|d| d.name != "Tag"),
            "{op}"
        );
    }
    assert_eq!(declared(&file(TYPES), "Tag").macro_name, "request_struct");
}

#[test]
fn a_shared_type_is_compiled_when_any_feature_that_uses_it_is_on() {
    let tag = declared(&file(TYPES), "Tag");
    assert_eq!(
        tag.outer,
        "#[cfg(any(feature=\"instances\",feature=\"tags\"))]"
    );
    let window = declared(&file(TYPES), "Window");
    assert_eq!(window.outer, "#[cfg(feature=\"instances\")]");
}

#[test]
fn a_name_clash_between_different_shapes_stays_per_operation() {
    let api = api();
    // DescribeThings' Tag has TagKey and TagValue: not the shared Tag.
    let describe = operation(&api, "DescribeThings");
    assert!(describe.get("Tag").is_some());
    assert!(describe.imports.iter().all(|i| i.local != "Tag"));
    let local = declared(&file(DESCRIBE), "Tag");
    assert_eq!(local.field_names(), ["tag_key", "tag_value"]);
}

#[test]
fn a_second_shared_shape_of_one_name_is_named_after_its_first_operation() {
    let api = api();
    let list = api
        .shared("Filter")
        .expect("the Filter two operations list");
    assert_eq!(list.operations, ["DescribeThings", "ListThings"]);
    let text = api.shared("ModifyThingFilter").expect("the other Filter");
    assert_eq!(text.operations, ["ModifyThing", "UntagThings"]);
    assert!(reexports("src/ops/untag_things.rs").contains("ModifyThingFilterasFilter"));
    assert!(reexports("src/ops/list_things.rs").contains("Filter"));
    let types = file(TYPES);
    assert_eq!(gen_field(&types, "Filter", "value").ty, "Vec<String>");
    assert_eq!(
        gen_field(&types, "ModifyThingFilter", "value").ty,
        "Option<String>"
    );
}

#[test]
fn shared_docs_keep_each_operations_wording_under_its_name() {
    let key = gen_field(&file(TYPES), "Tag", "key").doc;
    assert!(key.contains("In `RunThings`:\n\nTag key."), "{key}");
    assert!(
        key.contains("In `TagThings`:\n\nThe key of a tag on the things to tag."),
        "{key}"
    );
    let tag = declared(&file(TYPES), "Tag").doc;
    assert!(tag.contains("Used by `RunThings`, `TagThings`."), "{tag}");
}

#[test]
fn a_type_in_requests_and_responses_is_shared_with_both_abilities() {
    let api = api();
    let window = api.shared("Window").expect("Window is shared");
    assert_eq!(window.def.side(), Side::Both);
    assert_eq!(window.operations, ["ListThings", "ModifyThing"]);
    let types = file(TYPES);
    assert_eq!(declared(&types, "Window").macro_name, "response_struct");
    assert_eq!(tokens(&impl_fn(&types, "Window", "new").sig.inputs), "");
    // One wording only: no operation names.
    assert_eq!(
        gen_field(&types, "Window", "start_time").doc,
        "When the window opens."
    );
}

#[test]
fn operations_answering_only_a_request_id_share_one_response_type() {
    let api = api();
    let shared = api
        .shared(ir::REQUEST_ID_RESPONSE)
        .expect("a RequestId-only response");
    assert_eq!(shared.operations, ["TagThings", "UntagThings"]);
    assert!(reexports("src/ops/tag_things.rs").contains("RequestIdResponseasTagThingsResponse"));
    let doc = gen_field(&file(TYPES), ir::REQUEST_ID_RESPONSE, "request_id").doc;
    assert!(doc.contains("In `TagThings`:\n\nThe request ID."), "{doc}");
    assert!(
        doc.contains("In `UntagThings`:\n\nIts request ID."),
        "{doc}"
    );
    // ModifyThing answers more than its RequestId.
    assert!(operation(&api, "ModifyThing")
        .get("ModifyThingResponse")
        .is_some());
}

// ---- features and tables ----

#[test]
fn operations_in_no_directory_go_to_the_ungrouped_feature() {
    let api = api();
    assert_eq!(operation(&api, "Ungrouped").feature, "ungrouped");
    assert!(output()
        .features_toml
        .contains("# Operations no directory lists (1 operations)\nungrouped = []\n"));
}

#[test]
fn unknown_directory_ids_become_group_id_features() {
    let api = api();
    assert_eq!(operation(&api, "OldThing").feature, "group-999001");
    assert!(output()
        .features_toml
        .contains("# 新分组 (1 operations)\ngroup-999001 = []\n"));
}

#[test]
fn an_operation_listed_in_two_directories_stays_in_the_first() {
    let api = api();
    assert_eq!(operation(&api, "RunThings").feature, "instances");
    let group: Vec<&str> = api
        .features
        .iter()
        .find(|f| f.name == "group-999001")
        .unwrap()
        .operations
        .iter()
        .map(String::as_str)
        .collect();
    assert_eq!(group, ["OldThing"]);
}

#[test]
fn every_feature_is_in_full_and_on_by_default() {
    assert!(output().features_toml.starts_with(
        "[features]\ndefault = [\"full\"]\nfull = [\"instances\", \"group-999001\", \"tags\", \"ungrouped\"]\n"
    ));
}

#[test]
fn each_operation_module_is_gated_by_its_feature() {
    let ops = output_file("src/ops/mod.rs");
    assert!(ops.contains("\n#[cfg(feature = \"group-999001\")] pub mod old_thing;\n"));
    assert!(ops.contains("\n#[cfg(feature = \"ungrouped\")] pub mod ungrouped;\n"));
    assert!(ops.contains("\npub mod types;\n"));
}

#[test]
fn the_lints_generated_code_allows_are_allowed_once() {
    let allows = |text: &str| text.matches("#![allow(").count();
    assert_eq!(allows(output_file("src/ops/mod.rs")), 1);
    for (path, text) in &output().files {
        if path != "src/ops/mod.rs" {
            assert_eq!(allows(text), 0, "{path}");
        }
    }
}

#[test]
fn each_operation_module_names_its_feature() {
    assert!(output_file(OLD).starts_with(
        "// @generated by `cargo xtask regen` from Alibaba Cloud's OpenAPI metadata. Do not edit.\n\
         //! `OldThing` (Cargo feature `group-999001`)\n"
    ));
}

#[test]
fn features_name_their_title_and_find_their_operations_in_the_table() {
    let table = output_file("src/operations.rs");
    assert!(table.contains("    Feature { name: \"group-999001\", title: \"新分组\" },\n"));
    assert!(table.contains("OPERATIONS.iter().filter(move |op| op.group == name)"));
}

#[test]
fn operations_are_listed_sorted_by_wire_name_one_line_each() {
    let api = api();
    let names: Vec<&str> = api.operations.iter().map(|o| o.wire.as_str()).collect();
    let expected = [
        "DescribeThings",
        "ListThings",
        "ModifyThing",
        "OldThing",
        "RunThings",
        "TagThings",
        "Ungrouped",
        "UntagThings",
    ];
    assert_eq!(names, expected);
    let table = output_file("src/operations.rs");
    let body = &table[table.find("ecs_core::operations! {").unwrap()..];
    let body = &body[..body.find("\n}\n").unwrap()];
    let listed: Vec<&str> = body
        .lines()
        .skip(2)
        .map(|l| l.split('"').nth(1).expect("one operation per line"))
        .collect();
    assert_eq!(listed, expected);
}

#[test]
fn generation_is_deterministic() {
    let first = generate(&fixture(), &Settings::quirks()).unwrap();
    let second = generate(&fixture(), &Settings::quirks()).unwrap();
    assert_eq!(first, second);
}

#[test]
fn every_generated_file_parses_as_rust() {
    for (path, text) in &output().files {
        if let Err(e) = syn::parse_file(text) {
            panic!("{path} does not parse: {e}");
        }
    }
    syn::parse_file(&output().cases).expect("the end-to-end cases parse");
}

#[test]
fn every_generated_file_says_it_is_generated_and_ends_with_one_newline() {
    for (path, text) in &output().files {
        assert!(text.starts_with("// @generated"), "{path}");
        assert!(text.ends_with('\n') && !text.ends_with("\n\n"), "{path}");
        assert!(!text.contains('\r'), "{path}");
    }
}

#[test]
fn only_generated_paths_are_produced() {
    let paths: Vec<&str> = output().files.keys().map(String::as_str).collect();
    assert_eq!(
        paths,
        [
            "src/client.rs",
            "src/operations.rs",
            "src/ops/describe_things.rs",
            "src/ops/list_things.rs",
            "src/ops/mod.rs",
            "src/ops/modify_thing.rs",
            "src/ops/old_thing.rs",
            "src/ops/paginators.rs",
            "src/ops/run_things.rs",
            "src/ops/tag_things.rs",
            "src/ops/types.rs",
            "src/ops/ungrouped.rs",
            "src/ops/untag_things.rs",
            "src/ops/waiters.rs",
        ]
    );
    assert!(paths.iter().all(|p| ecs_codegen::is_generated_path(p)));
}
