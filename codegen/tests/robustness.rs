//! Feeding codegen another version of the metadata gives a crate whose
//! files all parse, or a `CodegenError` / `LoadError` that names what is
//! wrong: never a panic. Each test mutates the real ECS metadata in memory
//! and generates it without the ECS tables (waiters, item-list choices),
//! which name operations and fields the mutations remove; how those tables
//! fail on such metadata is `paging_and_waiters.rs`'s.

use ecs_codegen::{generate, CodegenError, Output, Settings};
use ecs_rs_metadata::{ApiDocs, Directory, Parameter, Response, Schema};
use indexmap::IndexMap;
use serde_json::{json, Value};
use std::sync::OnceLock;

/// The real metadata as JSON. Missing metadata fails the tests.
fn real_json() -> &'static Value {
    static JSON: OnceLock<Value> = OnceLock::new();
    JSON.get_or_init(|| {
        let path = ecs_rs_metadata::pinned_path();
        let text = ecs_rs_metadata::read_text(&path).unwrap_or_else(|e| panic!("{e}"));
        serde_json::from_str(&text).expect("the ECS metadata is JSON")
    })
}

fn real() -> ApiDocs {
    static DOCS: OnceLock<ApiDocs> = OnceLock::new();
    DOCS.get_or_init(|| parse(real_json()).expect("the ECS metadata parses"))
        .clone()
}

fn parse(value: &Value) -> Result<ApiDocs, ecs_rs_metadata::LoadError> {
    ecs_rs_metadata::parse(&value.to_string())
}

fn gen(docs: &ApiDocs) -> Result<Output, CodegenError> {
    generate(docs, &Settings::without_tables())
}

/// Every generated file is Rust that parses.
fn assert_parses(output: &Output) {
    for (path, text) in &output.files {
        if let Err(e) = syn::parse_file(text) {
            panic!("{path} does not parse: {e}\n{text}");
        }
    }
    if let Err(e) = syn::parse_file(&output.cases) {
        panic!("the end-to-end cases do not parse: {e}\n{}", output.cases);
    }
}

fn generates(docs: &ApiDocs) -> Output {
    let output = gen(docs).unwrap_or_else(|e| panic!("generation failed: {e}"));
    assert_parses(&output);
    output
}

fn param(name: &str, schema: Value) -> Parameter {
    serde_json::from_value(json!({"name": name, "in": "query", "schema": schema})).unwrap()
}

fn schema(value: Value) -> Schema {
    serde_json::from_value(value).unwrap()
}

/// The properties of an operation's 200 response.
fn response_props(api: &mut ecs_rs_metadata::Api) -> &mut IndexMap<String, Schema> {
    let body = api
        .responses
        .get_mut("200")
        .unwrap()
        .schema
        .as_mut()
        .unwrap();
    body.properties.as_mut().unwrap()
}

fn op_file<'a>(output: &'a Output, module: &str) -> &'a str {
    output
        .files
        .get(&format!("src/ops/{module}.rs"))
        .unwrap_or_else(|| panic!("no module {module}"))
}

#[test]
fn the_real_metadata_generates_files_that_all_parse() {
    let output = generate(&real(), &Settings::default()).expect("the ECS metadata generates");
    assert_parses(&output);
    assert_eq!(output.operations, 347);
    // The operations, ops/{mod,types,paginators,waiters}.rs, operations.rs, client.rs.
    assert_eq!(output.files.len(), 347 + 6);
}

#[test]
fn generating_the_real_metadata_twice_gives_identical_output() {
    let ecs = || generate(&real(), &Settings::default()).unwrap();
    assert_eq!(ecs(), ecs());
}

#[test]
fn removed_operations_disappear_and_the_rest_still_generates() {
    let mut docs = real();
    let keep: Vec<String> = docs.apis.keys().step_by(2).cloned().collect();
    docs.apis.retain(|name, _| keep.contains(name));
    let output = generates(&docs);
    assert_eq!(output.operations, keep.len());
    assert!(!output.files.contains_key("src/ops/add_tags.rs") || keep.contains(&"AddTags".into()));
}

#[test]
fn an_added_operation_generates_into_the_ungrouped_feature() {
    let mut docs = real();
    let copy = docs.apis["RunInstances"].clone();
    docs.apis.insert("RunInstancesAgain".into(), copy);
    let output = generates(&docs);
    assert_eq!(output.operations, 348);
    assert!(op_file(&output, "run_instances_again").contains("pub struct RunInstancesAgainRequest"));
    assert!(output.features_toml.contains("\nungrouped = []\n"));
}

#[test]
fn two_operations_with_one_module_name_are_an_error_naming_both() {
    let mut docs = real();
    let copy = docs.apis["RunInstances"].clone();
    docs.apis.insert("Run_Instances".into(), copy);
    let err = gen(&docs).unwrap_err();
    assert_eq!(
        err.to_string(),
        "operation `Run_Instances`: operations `RunInstances` and `Run_Instances` \
         map to the same module `run_instances`"
    );
}

#[test]
fn operations_without_responses_get_empty_response_types() {
    let mut docs = real();
    for api in docs.apis.values_mut() {
        api.responses.clear();
    }
    let output = generates(&docs);
    assert!(
        op_file(&output, "describe_instances").contains("pub struct DescribeInstancesResponse {}")
    );
}

#[test]
fn a_response_without_a_schema_gets_an_empty_response_type() {
    let mut docs = real();
    for api in docs.apis.values_mut() {
        for response in api.responses.values_mut() {
            response.schema = None;
        }
    }
    let output = generates(&docs);
    assert!(
        op_file(&output, "describe_instances").contains("pub struct DescribeInstancesResponse {}")
    );
}

#[test]
fn without_a_200_response_the_first_2xx_one_is_used() {
    let mut docs = real();
    let api = docs.apis.get_mut("DescribeInstances").unwrap();
    let ok = api.responses.shift_remove("200").unwrap();
    api.responses
        .insert("400".into(), Response { schema: None });
    api.responses.insert("201".into(), ok);
    let output = generates(&docs);
    assert!(op_file(&output, "describe_instances").contains("pub instances: Vec<Instance>"));
}

#[test]
fn with_only_error_responses_the_response_is_empty() {
    let mut docs = real();
    let api = docs.apis.get_mut("DescribeInstances").unwrap();
    let ok = api.responses.shift_remove("200").unwrap();
    api.responses.insert("400".into(), ok);
    let output = generates(&docs);
    assert!(
        op_file(&output, "describe_instances").contains("pub struct DescribeInstancesResponse {}")
    );
}

#[test]
fn an_unknown_parameter_type_is_an_error_naming_operation_and_field() {
    let mut docs = real();
    let api = docs.apis.get_mut("RunInstances").unwrap();
    let image = api
        .parameters
        .iter_mut()
        .find(|p| p.name == "ImageId")
        .unwrap();
    image.schema.kind = Some("file".into());
    let err = gen(&docs).unwrap_err();
    assert_eq!(err.operation, "RunInstances");
    assert_eq!(err.field, "RunInstancesRequest.ImageId");
    assert_eq!(
        err.to_string(),
        "operation `RunInstances`, field `RunInstancesRequest.ImageId`: \
         unsupported schema type `file`"
    );
}

#[test]
fn an_unknown_type_inside_a_list_item_names_the_path_to_it() {
    let mut docs = real();
    let api = docs.apis.get_mut("RunInstances").unwrap();
    let tag = api.parameters.iter_mut().find(|p| p.name == "Tag").unwrap();
    let items = tag.schema.items.as_mut().unwrap();
    items.properties.as_mut().unwrap()["Key"].kind = Some("binary".into());
    let err = gen(&docs).unwrap_err();
    assert_eq!(
        err.to_string(),
        "operation `RunInstances`, field `RunInstancesRequest.Tag[].Key`: \
         unsupported schema type `binary`"
    );
}

#[test]
fn an_unknown_type_in_a_response_names_the_path_to_it() {
    let mut docs = real();
    let api = docs.apis.get_mut("DescribeRegions").unwrap();
    response_props(api)["RequestId"].kind = Some("uuid".into());
    let err = gen(&docs).unwrap_err();
    assert_eq!(
        err.to_string(),
        "operation `DescribeRegions`, field `DescribeRegionsResponse.RequestId`: \
         unsupported schema type `uuid`"
    );
}

#[test]
fn an_unresolvable_name_collision_is_an_error_naming_both_wire_names() {
    let mut docs = real();
    let api = docs.apis.get_mut("DescribeRegions").unwrap();
    api.parameters.push(param("A_B", json!({"type": "string"})));
    api.parameters.push(param("A.B", json!({"type": "string"})));
    let err = gen(&docs).unwrap_err();
    assert_eq!(err.operation, "DescribeRegions");
    assert_eq!(
        err.to_string(),
        "operation `DescribeRegions`, field `DescribeRegionsRequest.A.B`: \
         `A_B` and `A.B` both name the field `a_b_upper`"
    );
}

#[test]
fn enum_values_naming_one_variant_are_an_error_naming_both() {
    let mut docs = real();
    let api = docs.apis.get_mut("DescribeRegions").unwrap();
    api.parameters.push(param(
        "Mode",
        json!({"type": "string", "enum": ["a-b", "a_b"]}),
    ));
    let err = gen(&docs).unwrap_err();
    assert_eq!(err.operation, "DescribeRegions");
    assert_eq!(err.field, "DescribeRegionsRequest.Mode");
    let text = err.to_string();
    assert!(text.contains("`a-b` and `a_b`"), "{text}");
}

#[test]
fn properties_with_empty_names_still_generate() {
    let mut docs = real();
    let api = docs.apis.get_mut("DescribeRegions").unwrap();
    api.parameters.push(param("", json!({"type": "string"})));
    api.parameters.push(param(
        "Nested",
        json!({"type": "object", "properties": {"": {"type": "object", "properties": {"": {"type": "integer"}}}}}),
    ));
    response_props(api).insert(
        String::new(),
        schema(json!({"type": "array", "items": {"type": "string"}})),
    );
    let output = gen(&docs);
    match output {
        Ok(output) => {
            assert_parses(&output);
            let text = op_file(&output, "describe_regions");
            assert!(text.contains(" = \"\","), "{text}");
        }
        Err(e) => assert_eq!(e.operation, "DescribeRegions", "{e}"),
    }
}

#[test]
fn an_empty_apis_map_generates_an_empty_crate() {
    let mut docs = real();
    docs.apis.clear();
    let output = generates(&docs);
    assert_eq!(output.operations, 0);
    assert_eq!(
        output.files.keys().collect::<Vec<_>>(),
        [
            "src/client.rs",
            "src/operations.rs",
            "src/ops/mod.rs",
            "src/ops/paginators.rs",
            "src/ops/types.rs",
            "src/ops/waiters.rs",
        ]
    );
    assert_eq!(
        output.features_toml,
        "[features]\ndefault = [\"full\"]\nfull = []\n"
    );
}

#[test]
fn directories_listing_missing_operations_are_ignored() {
    let mut docs = real();
    docs.directories.push(Directory {
        id: 424242,
        title: "Gone".into(),
        kind: Some("directory".into()),
        children: vec!["NoSuchOperation".into()],
    });
    docs.directories[0].children.push("AlsoMissing".into());
    let output = generates(&docs);
    assert!(!output.features_toml.contains("group-424242"));
    assert!(!output.files["src/operations.rs"].contains("AlsoMissing"));
}

#[test]
fn without_directories_every_operation_is_ungrouped() {
    let mut docs = real();
    docs.directories.clear();
    let output = generates(&docs);
    assert_eq!(
        output.features_toml,
        "[features]\ndefault = [\"full\"]\nfull = [\"ungrouped\"]\n\
         # Operations no directory lists (347 operations)\nungrouped = []\n"
    );
}

#[test]
fn parameters_without_a_schema_type_are_json_values() {
    let mut docs = real();
    for api in docs.apis.values_mut() {
        for p in &mut api.parameters {
            p.schema.kind = None;
        }
    }
    let output = generates(&docs);
    let text = op_file(&output, "describe_regions");
    assert!(
        text.contains("pub instance_charge_type: Option<serde_json::Value>"),
        "{text}"
    );
}

#[test]
fn arrays_without_items_and_nested_arrays_generate() {
    let mut docs = real();
    let api = docs.apis.get_mut("DescribeRegions").unwrap();
    api.parameters
        .push(param("Loose", json!({"type": "array"})));
    api.parameters.push(param(
        "Matrix",
        json!({"type": "array", "items": {"type": "array", "items": {"type": "object", "properties": {"X": {"type": "integer"}}}}}),
    ));
    let output = generates(&docs);
    let text = op_file(&output, "describe_regions");
    assert!(text.contains("pub loose: Vec<serde_json::Value>"), "{text}");
    assert!(text.contains("pub matrix: Vec<Vec<Matrix>>"), "{text}");
}

#[test]
fn descriptions_with_any_text_become_valid_doc_comments() {
    let mut docs = real();
    let api = docs.apis.get_mut("DescribeRegions").unwrap();
    api.summary = Some("crlf\r\nline */ /* \" \\ \u{0} \u{2028} ```rust\nfn x(".into());
    api.parameters.push(param(
        "Documented",
        json!({"type": "string", "description": "*/ end\r\n```\nunclosed\t\u{7f}"}),
    ));
    let output = generates(&docs);
    assert!(!op_file(&output, "describe_regions").contains('\r'));
}

#[test]
fn numbers_and_limits_given_as_strings_or_numbers_generate() {
    let mut docs = real();
    let api = docs.apis.get_mut("DescribeRegions").unwrap();
    api.parameters.push(param(
        "Count",
        json!({"type": "integer", "format": "int32", "minimum": "1", "maximum": 100, "example": "5", "enum": [1, 2]}),
    ));
    api.parameters.push(param(
        "Mixed",
        json!({"type": "string", "enum": ["a", 1, null]}),
    ));
    let output = generates(&docs);
    let text = op_file(&output, "describe_regions");
    assert!(text.contains("pub count: Option<i32>"), "{text}");
    assert!(text.contains("pub mixed: Option<String>"), "{text}");
}

// ---- malformed metadata: a LoadError with the JSON path ----

#[test]
fn a_wrongly_typed_value_is_a_load_error_naming_its_json_path() {
    let mut value = real_json().clone();
    value["apis"]["RunInstances"]["parameters"][3]["schema"]["type"] = json!(7);
    let err = parse(&value).unwrap_err();
    assert_eq!(err.path, "apis.RunInstances.parameters[3].schema.type");
    assert!(err.message.contains("invalid type"), "{err}");
    assert!(
        err.to_string()
            .starts_with("invalid metadata at `apis.RunInstances.parameters[3].schema.type`"),
        "{err}"
    );
}

#[test]
fn a_missing_parameter_name_is_a_load_error_naming_the_parameter() {
    let mut value = real_json().clone();
    value["apis"]["DescribeRegions"]["parameters"][0]
        .as_object_mut()
        .unwrap()
        .remove("name");
    let err = parse(&value).unwrap_err();
    assert_eq!(err.path, "apis.DescribeRegions.parameters[0]");
    assert!(err.message.contains("missing field `name`"), "{err}");
}

#[test]
fn apis_that_are_not_a_map_are_a_load_error() {
    let mut value = real_json().clone();
    value["apis"] = json!([]);
    let err = parse(&value).unwrap_err();
    assert_eq!(err.path, "apis");
}

#[test]
fn truncated_metadata_is_a_load_error_with_a_position() {
    let text = real_json().to_string();
    let err = ecs_rs_metadata::parse(&text[..text.len() / 2]).unwrap_err();
    assert!(err.message.contains("EOF"), "{err}");
    assert!(err.line >= 1, "{err}");
}

#[test]
fn wire_names_in_other_scripts_generate() {
    let mut docs = real();
    let api = docs.apis.get_mut("DescribeRegions").unwrap();
    for name in ["名称", "Ⅻ", "a·b", "Café"] {
        api.parameters.push(param(
            name,
            json!({"type": "object", "properties": {"A": {"type": "string", "enum": [name]}}}),
        ));
    }
    generates(&docs);
}

// ---- what codegen does not survive yet (codegen bugs, see each reason) ----

/// Runs codegen, turning a panic into a test failure that says what panicked.
fn must_not_panic(what: &str, docs: &ApiDocs) -> Result<Output, CodegenError> {
    match std::panic::catch_unwind(|| gen(docs)) {
        Ok(result) => result,
        Err(_) => panic!("{what} panics codegen (message above)"),
    }
}

#[test]
fn an_operation_whose_name_is_not_an_identifier_is_an_error_not_a_panic() {
    for name in ["", "_", "-", "2Things"] {
        let mut docs = real();
        let copy = docs.apis["DescribeRegions"].clone();
        docs.apis.insert(name.into(), copy);
        match must_not_panic(&format!("operation name {name:?}"), &docs) {
            Ok(output) => assert_parses(&output),
            Err(e) => assert_eq!(e.operation, name, "{e}"),
        }
    }
}

#[test]
fn wire_names_with_characters_no_identifier_can_hold_are_an_error_not_a_panic() {
    for name in ["Size²", "½Price", "٣Disks"] {
        for schema in [
            json!({"type": "string"}),
            json!({"type": "string", "enum": [name]}),
        ] {
            let mut docs = real();
            let api = docs.apis.get_mut("DescribeRegions").unwrap();
            let wire = if schema.get("enum").is_some() {
                "Mode"
            } else {
                name
            };
            api.parameters.push(param(wire, schema));
            match must_not_panic(&format!("the wire name {name:?}"), &docs) {
                Ok(output) => assert_parses(&output),
                Err(e) => assert_eq!(e.operation, "DescribeRegions", "{e}"),
            }
        }
    }
}

#[test]
fn many_objects_competing_for_one_type_name_are_an_error_not_a_panic() {
    let mut docs = real();
    let api = docs.apis.get_mut("DescribeRegions").unwrap();
    let object =
        |n: usize| json!({"type": "object", "properties": {format!("F{n}"): {"type": "string"}}});
    // `X` takes the name `X`, the next 51 take every fallback that `x`
    // (also `X` as a type name) would try.
    api.parameters.push(param("X", object(0)));
    api.parameters
        .push(param("DescribeRegionsRequestX", object(1)));
    for n in 2..=51 {
        api.parameters
            .push(param(&format!("DescribeRegionsRequestX{n}"), object(n)));
    }
    api.parameters.push(param("x", object(99)));
    match must_not_panic("running out of candidate type names", &docs) {
        Ok(output) => assert_parses(&output),
        Err(e) => assert_eq!(e.operation, "DescribeRegions", "{e}"),
    }
}

#[test]
fn wrapper_keys_differing_only_by_case_keep_their_own_key() {
    let mut docs = real();
    let api = docs.apis.get_mut("DescribeRegions").unwrap();
    let props = response_props(api);
    let wrapper = |key: &str| {
        schema(
            json!({"type": "object", "properties": {key: {"type": "array", "items": {"type": "string"}}}}),
        )
    };
    props.insert("Upper".into(), wrapper("Tag"));
    props.insert("Lower".into(), wrapper("tag"));
    let output = generates(&docs);
    let text = op_file(&output, "describe_regions");
    assert!(
        text.contains(r#"pub upper: Vec<String> = "Upper" wrapped "Tag","#),
        "{text}"
    );
    assert!(
        text.contains(r#"pub lower: Vec<String> = "Lower" wrapped "tag","#),
        "{text}"
    );
}

#[test]
fn a_bare_carriage_return_in_a_description_does_not_reach_a_doc_comment() {
    let mut docs = real();
    docs.apis.get_mut("DescribeRegions").unwrap().summary = Some("old mac\rline ending".into());
    let output = generates(&docs);
    assert!(!op_file(&output, "describe_regions").contains('\r'));
}

#[test]
fn directory_titles_cannot_break_the_features_table() {
    let mut docs = real();
    docs.directories[0].title = "two\nlines = [\"oops\"]".into();
    let output = generates(&docs);
    for line in output.features_toml.lines() {
        let entry = line.split_once(" = [").is_some_and(|(name, _)| {
            name.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && line.ends_with(']')
        });
        assert!(
            line == "[features]" || line.starts_with("# ") || entry,
            "features_toml has a stray line {line:?}:\n{}",
            output.features_toml
        );
    }
}
