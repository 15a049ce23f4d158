//! What codegen makes of each shape and quirk of the fixture metadata
//! (`fixtures/quirks.json`), one behaviour per test. Assertions read the IR
//! where it states the decision and the generated Rust (parsed with syn)
//! where the decision shows in code.

use ecs_codegen::ir::{self, Encoding, Region, Ty, TypeDef};
use ecs_codegen::{generate, Output, Settings};
use ecs_rs_metadata::ApiDocs;
use quote::ToTokens;
use std::collections::BTreeMap;
use std::sync::OnceLock;

fn fixture() -> ApiDocs {
    ecs_rs_metadata::parse(include_str!("fixtures/quirks.json")).expect("fixture metadata parses")
}

fn output() -> &'static Output {
    static OUTPUT: OnceLock<Output> = OnceLock::new();
    OUTPUT.get_or_init(|| generate(&fixture(), &Settings::default()).expect("fixture generates"))
}

fn api() -> ir::Api {
    ir::build(&fixture(), &Settings::default()).expect("fixture builds")
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

fn tokens(t: &impl ToTokens) -> String {
    t.to_token_stream().to_string().replace(' ', "")
}

fn item_struct<'a>(file: &'a syn::File, name: &str) -> &'a syn::ItemStruct {
    file.items
        .iter()
        .find_map(|i| match i {
            syn::Item::Struct(s) if s.ident == name => Some(s),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no struct {name}"))
}

fn item_enum<'a>(file: &'a syn::File, name: &str) -> &'a syn::ItemEnum {
    file.items
        .iter()
        .find_map(|i| match i {
            syn::Item::Enum(e) if e.ident == name => Some(e),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no enum {name}"))
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

/// A generated struct field: its type and `#[serde(...)]` arguments.
struct GenField {
    ty: String,
    serde: BTreeMap<String, String>,
    deprecated: bool,
}

fn gen_field(file: &syn::File, strukt: &str, rust: &str) -> GenField {
    let s = item_struct(file, strukt);
    let f = s
        .fields
        .iter()
        .find(|f| f.ident.as_ref().is_some_and(|i| i == rust))
        .unwrap_or_else(|| panic!("{strukt} has no field {rust}"));
    GenField {
        ty: tokens(&f.ty),
        serde: serde_args(&f.attrs),
        deprecated: is_deprecated(&f.attrs),
    }
}

fn field_names(file: &syn::File, strukt: &str) -> Vec<String> {
    item_struct(file, strukt)
        .fields
        .iter()
        .map(|f| f.ident.as_ref().unwrap().to_string())
        .collect()
}

fn serde_args(attrs: &[syn::Attribute]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            let key = tokens(&meta.path);
            let value = if meta.input.peek(syn::Token![=]) {
                meta.value()?.parse::<syn::LitStr>()?.value()
            } else {
                String::new()
            };
            out.insert(key, value);
            Ok(())
        })
        .expect("serde attribute parses");
    }
    out
}

fn is_deprecated(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("deprecated"))
}

/// How `read_field` of a response struct reads the key `wire`
/// (`self.x = ecs_core::de::next_opt(map)?`).
fn read_arm(file: &syn::File, strukt: &str, wire: &str) -> String {
    let read = impl_fn(file, strukt, "read_field");
    let arms = read
        .block
        .stmts
        .iter()
        .find_map(|s| match s {
            syn::Stmt::Expr(syn::Expr::Match(m), _) => Some(&m.arms),
            _ => None,
        })
        .expect("read_field matches on the key");
    let arm = arms
        .iter()
        .find(|a| matches!(&a.pat, syn::Pat::Lit(l) if tokens(l) == format!("\"{wire}\"")))
        .unwrap_or_else(|| panic!("{strukt}::read_field has no arm for {wire:?}"));
    tokens(&arm.body)
}

const RUN: &str = "src/ops/run_things.rs";
const DESCRIBE: &str = "src/ops/describe_things.rs";
const OLD: &str = "src/ops/old_thing.rs";

#[test]
fn dotted_parameter_names_become_snake_case_fields_renamed_to_the_wire_name() {
    let run = file(RUN);
    for (wire, rust) in [
        ("SystemDisk.Category", "system_disk_category"),
        ("DataDisk.1.Category", "data_disk_1_category"),
        ("CpuOptions.Core", "cpu_options_core"),
    ] {
        let field = gen_field(&run, "RunThingsRequest", rust);
        assert_eq!(field.serde["rename"], wire, "{rust}");
    }
}

#[test]
fn dotted_list_parameters_get_an_item_type_named_after_the_whole_wire_name() {
    let run = file(RUN);
    let field = gen_field(&run, "RunThingsRequest", "launch_configuration_data_disk");
    assert_eq!(field.ty, "Vec<LaunchConfigurationDataDisk>");
    assert_eq!(field.serde["rename"], "LaunchConfiguration.DataDisk");
    assert_eq!(field_names(&run, "LaunchConfigurationDataDisk"), ["size"]);
}

#[test]
fn every_field_is_renamed_to_its_exact_wire_name() {
    let api = api();
    for op in &api.operations {
        let generated = file(&format!("src/ops/{}.rs", op.module));
        for t in &op.types {
            let TypeDef::Struct(s) = t else { continue };
            for f in &s.fields {
                let g = gen_field(&generated, &s.name, &f.rust);
                assert_eq!(g.serde["rename"], f.wire, "{}.{}", s.name, f.rust);
            }
        }
    }
}

#[test]
fn names_differing_only_by_case_are_told_apart_by_their_casing() {
    let run = file(RUN);
    assert_eq!(
        field_names(&run, "Tag"),
        ["key", "value", "key_lower", "value_lower"]
    );
    assert_eq!(gen_field(&run, "Tag", "key_lower").serde["rename"], "key");

    let describe = file(DESCRIBE);
    for (rust, wire) in [
        ("cpu_upper", "CPU"),
        ("cpu", "Cpu"),
        ("os_type_acronym", "OSType"),
        ("os_type", "OsType"),
        ("host_name", "HostName"),
        ("hostname", "Hostname"),
    ] {
        assert_eq!(gen_field(&describe, "Thing", rust).serde["rename"], wire);
    }
}

#[test]
fn rust_keywords_get_a_trailing_underscore() {
    let run = file(RUN);
    assert_eq!(
        gen_field(&run, "RunThingsRequest", "type_").serde["rename"],
        "Type"
    );
    assert_eq!(
        gen_field(&run, "RunThingsRequest", "async_").serde["rename"],
        "Async"
    );
    let describe = file(DESCRIBE);
    assert_eq!(
        gen_field(&describe, "Thing", "type_").serde["rename"],
        "Type"
    );
}

#[test]
fn type_names_that_would_shadow_the_prelude_get_an_info_suffix() {
    let api = api();
    let op = operation(&api, "Ungrouped");
    let result = ir_field(ir_struct(op, "UngroupedResponse"), "Result");
    assert_eq!(result.ty, Ty::Named("ResultInfo".into()));
    item_struct(&file("src/ops/ungrouped.rs"), "ResultInfo");
}

#[test]
fn one_array_wrappers_become_vecs_read_with_next_wrapped() {
    let api = api();
    let op = operation(&api, "DescribeThings");
    let things = ir_field(ir_struct(op, "DescribeThingsResponse"), "Things");
    assert_eq!(things.ty, Ty::List(Box::new(Ty::Named("Thing".into()))));
    assert_eq!(things.encoding, Encoding::Wrapped("Thing".into()));
    assert_eq!(
        op.wrapper_keys.keys().collect::<Vec<_>>(),
        ["IpAddress", "Tag", "Thing"]
    );

    let describe = file(DESCRIBE);
    for (strukt, rust, wire, ty, key) in [
        (
            "DescribeThingsResponse",
            "things",
            "Things",
            "Vec<Thing>",
            "Thing",
        ),
        ("Thing", "tags", "Tags", "Vec<Tag>", "Tag"),
        (
            "VpcAttributes",
            "private_ip_address",
            "PrivateIpAddress",
            "Vec<String>",
            "IpAddress",
        ),
    ] {
        let field = gen_field(&describe, strukt, rust);
        assert_eq!(field.ty, ty, "{strukt}.{rust}");
        assert_eq!(
            field.serde["serialize_with"],
            format!("ecs_core::ser::wrapped::<keys::{key}, _, _>")
        );
        assert!(
            read_arm(&describe, strukt, wire).contains("ecs_core::de::next_wrapped(map)"),
            "{strukt}.{wire}"
        );
    }
    let run = file(RUN);
    assert_eq!(
        gen_field(&run, "RunThingsResponse", "instance_id_sets").ty,
        "Vec<String>"
    );
    assert!(read_arm(&run, "RunThingsResponse", "InstanceIdSets")
        .contains("ecs_core::de::next_wrapped(map)"));
    assert!(output_file(DESCRIBE).contains(
        r#"ecs_core::wrapper_keys!(IpAddress => "IpAddress", Tag => "Tag", Thing => "Thing");"#
    ));
}

#[test]
fn plain_response_fields_are_options_read_with_next_opt_and_lists_with_next_list() {
    let describe = file(DESCRIBE);
    assert_eq!(gen_field(&describe, "Thing", "size").ty, "Option<i64>");
    assert!(read_arm(&describe, "Thing", "Size").contains("ecs_core::de::next_opt(map)"));
    assert_eq!(gen_field(&describe, "Thing", "disks").ty, "Vec<Disks>");
    assert!(read_arm(&describe, "Thing", "Disks").contains("ecs_core::de::next_list(map)"));
}

#[test]
fn enums_carry_an_unknown_variant_for_values_this_crate_does_not_know() {
    for (path, name) in [(RUN, "ModifyMode"), (DESCRIBE, "Status")] {
        let f = file(path);
        let e = item_enum(&f, name);
        let last = e.variants.last().unwrap();
        assert_eq!(tokens(&last.fields), "(String)", "{name}");
        assert_eq!(last.ident, "Unknown");
        assert!(serde_args(&last.attrs).contains_key("untagged"), "{name}");
    }
}

#[test]
fn enum_values_differing_only_by_case_get_distinct_variants() {
    let f = file(RUN);
    let e = item_enum(&f, "ModifyMode");
    let variants: Vec<(String, String)> = e
        .variants
        .iter()
        .filter(|v| v.ident != "Unknown")
        .map(|v| (v.ident.to_string(), serde_args(&v.attrs)["rename"].clone()))
        .collect();
    let expected = [
        ("Online", "Online"),
        ("Offline", "Offline"),
        ("OnlineLower", "online"),
    ];
    assert_eq!(
        variants,
        expected.map(|(a, b)| (a.to_string(), b.to_string()))
    );
}

#[test]
fn response_enums_are_decoded_leniently() {
    assert!(output_file(DESCRIBE).contains("ecs_core::lenient_enums!(Status);"));
    assert!(!output_file(RUN).contains("lenient_enums!"));
}

#[test]
fn enum_lists_of_integers_stay_integers() {
    let run = file(RUN);
    assert_eq!(
        gen_field(&run, "RunThingsRequest", "period").ty,
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
    assert!(!gen_field(&run, "RunThingsRequest", "image_id")
        .serde
        .contains_key("skip_serializing_if"));

    // A required property of a nested object: `Tag::new(key)`.
    assert_eq!(gen_field(&run, "Tag", "key").ty, "String");
    assert_eq!(
        tokens(&impl_fn(&run, "Tag", "new").sig.inputs),
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
    let derives = item_struct(&describe, "DescribeThingsRequest")
        .attrs
        .iter()
        .map(tokens)
        .collect::<String>();
    assert!(derives.contains("Default"), "{derives}");
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
    assert!(!ir_field(request, "RegionId").required);
    assert!(op.client_token);
    assert!(!ir_field(request, "ClientToken").required);

    let run = file(RUN);
    assert_eq!(
        gen_field(&run, "RunThingsRequest", "region_id").ty,
        "Option<String>"
    );
    assert_eq!(
        gen_field(&run, "RunThingsRequest", "client_token").ty,
        "Option<String>"
    );
    let table = output_file("src/operations.rs");
    let run_info = &table[table.find("pub const RUN_THINGS").unwrap()..];
    assert!(run_info.contains("client_token: true"));
    assert!(run_info.contains("region_id: RegionParam::Required"));
    assert_eq!(operation(&api, "DescribeThings").region, Region::Optional);
    assert_eq!(operation(&api, "OldThing").region, Region::None);
}

#[test]
fn json_style_parameters_are_serialized_with_ecs_core_ser_json() {
    let run = file(RUN);
    for (rust, ty) in [
        ("parameters", "Option<serde_json::Value>"),
        ("delivery_config", "Option<DeliveryConfig>"),
        // A `string` whose example is a JSON array.
        ("instance_ids", "Option<Vec<String>>"),
    ] {
        let field = gen_field(&run, "RunThingsRequest", rust);
        assert_eq!(field.ty, ty, "{rust}");
        assert_eq!(
            field.serde["serialize_with"], "ecs_core::ser::json",
            "{rust}"
        );
    }
}

#[test]
fn json_string_lists_can_be_turned_off() {
    let settings = Settings {
        json_string_lists: false,
    };
    let out = generate(&fixture(), &settings).unwrap();
    let run = syn::parse_file(&out.files[RUN]).unwrap();
    let field = gen_field(&run, "RunThingsRequest", "instance_ids");
    assert_eq!(field.ty, "Option<String>");
    assert!(!field.serde.contains_key("serialize_with"));
}

#[test]
fn simple_style_lists_are_joined_by_commas() {
    let field = gen_field(&file(RUN), "RunThingsRequest", "ports");
    assert_eq!(field.ty, "Vec<i32>");
    assert_eq!(
        field.serde["serialize_with"],
        "ecs_core::ser::delimited::<',', _, _>"
    );
}

#[test]
fn repeat_lists_are_bare_vecs_left_out_when_empty() {
    let run = file(RUN);
    for (rust, ty) in [
        ("security_group_ids", "Vec<String>"),
        ("tag", "Vec<Tag>"),
        ("network_interface", "Vec<NetworkInterface>"),
    ] {
        let field = gen_field(&run, "RunThingsRequest", rust);
        assert_eq!(field.ty, ty);
        assert_eq!(field.serde["skip_serializing_if"], "Vec::is_empty");
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
    assert!(is_deprecated(&item_struct(&old, "OldThingRequest").attrs));
    assert!(is_deprecated(
        &impl_fn(&old, "crate::Client", "old_thing").attrs
    ));
    let table = output_file("src/operations.rs");
    assert!(table[table.find("pub const OLD_THING").unwrap()..].contains("deprecated: true"));

    let run = file(RUN);
    assert!(!is_deprecated(&item_struct(&run, "RunThingsRequest").attrs));
    assert!(!is_deprecated(
        &impl_fn(&run, "crate::Client", "run_things").attrs
    ));
}

#[test]
fn deprecated_fields_are_marked_deprecated() {
    let run = file(RUN);
    assert!(gen_field(&run, "RunThingsRequest", "async_").deprecated);
    assert!(gen_field(&run, "Tag", "key_lower").deprecated);
    assert!(!gen_field(&run, "Tag", "key").deprecated);
}

#[test]
fn duplicate_parameters_appear_once() {
    let names = field_names(&file(RUN), "RunThingsRequest");
    assert_eq!(names.iter().filter(|n| *n == "region_id").count(), 1);
}

#[test]
fn an_object_shape_repeated_in_one_operation_is_one_type() {
    let run = file(RUN);
    assert_eq!(gen_field(&run, "NetworkInterface", "tag").ty, "Vec<Tag>");
    let tags = run
        .items
        .iter()
        .filter(|i| matches!(i, syn::Item::Struct(s) if s.ident.to_string().ends_with("Tag")))
        .count();
    assert_eq!(tags, 1);

    let describe = file(DESCRIBE);
    assert_eq!(gen_field(&describe, "Disks", "tags").ty, "Vec<Tag>");
}

#[test]
fn an_operation_without_a_response_schema_gets_an_empty_response() {
    let old = file(OLD);
    assert!(item_struct(&old, "OldThingResponse").fields.is_empty());
    impl_fn(&old, "OldThingResponse", "read_field");
}

#[test]
fn read_only_operations_are_the_describe_list_query_and_get_ones() {
    let api = api();
    assert!(operation(&api, "DescribeThings").read_only);
    assert!(!operation(&api, "RunThings").read_only);
}

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
        "[features]\ndefault = [\"full\"]\nfull = [\"instances\", \"group-999001\", \"ungrouped\"]\n"
    ));
}

#[test]
fn each_operation_module_is_gated_by_its_feature() {
    let ops = output_file("src/ops/mod.rs");
    assert!(ops.contains("#[cfg(feature = \"group-999001\")]\npub mod old_thing;"));
    assert!(ops.contains("#[cfg(feature = \"ungrouped\")]\npub mod ungrouped;"));
}

#[test]
fn operations_are_listed_sorted_by_wire_name() {
    let api = api();
    let names: Vec<&str> = api.operations.iter().map(|o| o.wire.as_str()).collect();
    assert_eq!(
        names,
        ["DescribeThings", "OldThing", "RunThings", "Ungrouped"]
    );
    let table = file("src/operations.rs");
    let all = table
        .items
        .iter()
        .find_map(|i| match i {
            syn::Item::Static(s) if s.ident == "OPERATIONS" => {
                Some(tokens(&s.expr).replace(",]", "]"))
            }
            _ => None,
        })
        .expect("operations.rs has OPERATIONS");
    assert_eq!(all, "[DESCRIBE_THINGS,OLD_THING,RUN_THINGS,UNGROUPED]");
}

#[test]
fn generation_is_deterministic() {
    let first = generate(&fixture(), &Settings::default()).unwrap();
    let second = generate(&fixture(), &Settings::default()).unwrap();
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
            "src/ops/mod.rs",
            "src/ops/old_thing.rs",
            "src/ops/run_things.rs",
            "src/ops/ungrouped.rs",
        ]
    );
    assert!(paths.iter().all(|p| ecs_codegen::is_generated_path(p)));
}
