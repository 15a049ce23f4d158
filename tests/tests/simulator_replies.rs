//! What the simulator answers on success, against the pinned ECS metadata.

use ecs_rs_metadata::Schema;
use ecs_simulator::simulator::Catalog;
use serde_json::Value;

fn sim() -> &'static Catalog {
    Catalog::pinned().unwrap_or_else(|e| panic!("{e}"))
}

fn without_request_id(mut body: Value) -> Value {
    if let Some(map) = body.as_object_mut() {
        map.remove("RequestId");
    }
    body
}

fn request_id(body: &Value) -> String {
    body["RequestId"].as_str().unwrap_or_default().to_string()
}

#[test]
fn serves_the_metadata_example_for_describe_instances_with_a_fresh_request_id() {
    let example = sim()
        .example_body("DescribeInstances")
        .expect("an operation");
    let first = sim().handle("DescribeInstances", &[("RegionId", "cn-hangzhou")]);
    let second = sim().handle("DescribeInstances", &[("RegionId", "cn-hangzhou")]);
    assert_eq!(first.status, 200, "{:#}", first.body);
    assert!(first.body["Instances"]["Instance"].is_array());
    assert_eq!(
        without_request_id(first.body.clone()),
        without_request_id(example.clone())
    );
    let id = request_id(&first.body);
    assert_eq!(id.len(), 36, "UUID-like: {id}");
    assert_ne!(id, request_id(&example));
    assert_ne!(id, request_id(&second.body));
}

#[test]
fn synthesizes_a_body_with_every_schema_field_when_there_is_no_example() {
    let docs = ecs_rs_metadata::load_pinned().unwrap_or_else(|e| panic!("{e}"));
    let api = &docs.apis["DescribeRouteTables"];
    assert!(
        api.json_example().is_none(),
        "pick an operation without one"
    );
    let schema = api.success_schema().expect("a 200 schema");

    let reply = sim().handle("DescribeRouteTables", &[("RegionId", "cn-hangzhou")]);
    assert_eq!(reply.status, 200, "{:#}", reply.body);
    assert!(!request_id(&reply.body).is_empty());
    let mut missing = Vec::new();
    has_every_field(schema, &reply.body, "$", &mut missing);
    assert!(missing.is_empty(), "absent or mistyped: {missing:?}");
}

/// Walks `schema` and records each path whose value is absent or of the
/// wrong JSON type.
fn has_every_field(schema: &Schema, value: &Value, path: &str, missing: &mut Vec<String>) {
    let typed = match schema.kind.as_deref() {
        Some("object") => value.is_object(),
        Some("array") => value.as_array().is_some_and(|a| a.len() == 1),
        Some("integer") => value.is_i64() || value.is_u64(),
        Some("number") => value.is_number(),
        Some("boolean") => value.is_boolean(),
        Some("string") => value.is_string(),
        _ => true,
    };
    if !typed {
        missing.push(path.to_string());
        return;
    }
    for (name, s) in schema.properties.iter().flatten() {
        match value.get(name) {
            Some(v) => has_every_field(s, v, &format!("{path}.{name}"), missing),
            None => missing.push(format!("{path}.{name}")),
        }
    }
    if let (Some(items), Some(first)) = (schema.items.as_deref(), value.get(0)) {
        has_every_field(items, first, &format!("{path}[0]"), missing);
    }
}

#[test]
fn every_operation_accepts_its_required_parameters_alone() {
    let sim = sim();
    let mut failures = Vec::new();
    for action in sim.actions() {
        let params = sim.sample_request(action).expect("a known action");
        let reply = sim.handle(action, &params);
        if reply.status != 200 {
            failures.push(format!("{action} {params:?}: {}", reply.body));
        }
    }
    let passed = sim.len() - failures.len();
    assert!(
        failures.is_empty() && sim.len() == 347,
        "{passed} of {} operations accepted their required parameters (expected 347 of 347):\n{}",
        sim.len(),
        failures.join("\n")
    );
}

#[test]
fn every_operation_rejects_its_required_parameters_minus_the_first() {
    let sim = sim();
    let mut accepted = Vec::new();
    for action in sim.actions() {
        let params = sim.sample_request(action).expect("a known action");
        let Some((first, _)) = params.first() else {
            continue;
        };
        let rest: Vec<_> = params.iter().filter(|(k, _)| k != first).collect();
        let rest: Vec<(&str, &str)> = rest.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        if sim.handle(action, &rest).code() != Some("MissingParameter") {
            accepted.push(format!("{action} without {first}"));
        }
    }
    assert!(accepted.is_empty(), "not refused: {accepted:?}");
}

#[test]
fn refreshes_a_lowercase_request_id_too() {
    let params = sim()
        .sample_request("EipFillProduct")
        .expect("a known action");
    let first = sim().handle("EipFillProduct", &params);
    let second = sim().handle("EipFillProduct", &params);
    let lower =
        |r: &ecs_simulator::simulator::Reply| r.body["requestId"].as_str().map(String::from);
    assert!(lower(&first).is_some(), "{:#}", first.body);
    assert_ne!(lower(&first), lower(&second));
    assert_eq!(lower(&first).as_deref(), first.body["RequestId"].as_str());
}
