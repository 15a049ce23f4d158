//! Success bodies: the operation's example from the metadata, else one
//! built from its 200 response schema.

use ecs_rs_metadata::{Api, Sample, Schema};
use serde_json::{Map, Number, Value};

/// A fresh id in the service's form, e.g. `6BE56E05-1B2C-4D3E-8F90-0A1B2C3D4E5F`.
pub fn request_id() -> String {
    uuid::Uuid::new_v4().to_string().to_uppercase()
}

/// The body served on success, before its `RequestId` is replaced.
pub(crate) fn success_body(api: &Api) -> Value {
    let body = match api.json_example() {
        Some(example @ Value::Object(_)) => example,
        _ => synthesize(api.success_schema().unwrap_or(&Schema::default())),
    };
    with_fresh_request_id(body)
}

pub(crate) fn with_fresh_request_id(body: Value) -> Value {
    let mut map = match body {
        Value::Object(map) => map,
        // A schema that is not an object cannot carry a RequestId.
        _ => Map::new(),
    };
    let id = Value::String(request_id());
    // Three Eip* operations spell it `requestId`; refresh that one too.
    if let Some(lower) = map.get_mut("requestId") {
        *lower = id.clone();
    }
    map.insert("RequestId".into(), id);
    Value::Object(map)
}

/// A value with every field of `schema`: lists hold one element, scalars
/// are the metadata crate's samples (the example, within the limits).
fn synthesize(schema: &Schema) -> Value {
    match schema.kind.as_deref() {
        Some("object") => Value::Object(
            schema
                .properties
                .iter()
                .flatten()
                .map(|(name, s)| (name.clone(), synthesize(s)))
                .collect(),
        ),
        Some("array") => {
            let empty = Schema::default();
            Value::Array(vec![synthesize(schema.items.as_deref().unwrap_or(&empty))])
        }
        _ => match schema.sample() {
            Sample::Integer(n) => Value::Number(n.into()),
            Sample::Number(x) => Number::from_f64(x).map_or(Value::Null, Value::Number),
            Sample::Bool(b) => Value::Bool(b),
            Sample::Text(t) => Value::String(t),
        },
    }
}
