//! The smallest correct request for an operation: its required parameters
//! in wire form, valued from the metadata examples when they fit the
//! declared type and limits.

use super::catalog::Operation;
use super::validate::carries_json_list;
use ecs_rs_metadata::Schema;
use serde_json::Value;

pub(crate) fn required_params(op: &Operation) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for p in op.params.iter().filter(|p| p.required) {
        if p.is_json() {
            out.push((p.name.clone(), json_value(&p.schema)));
        } else if p.delimiter().is_some() {
            let empty = Schema::default();
            let items = p.schema.items.as_deref().unwrap_or(&empty);
            out.push((p.name.clone(), scalar(items, false)));
        } else {
            flatten(&p.schema, &p.name, true, &mut out);
        }
    }
    out
}

/// `field`: a parameter or object field, as opposed to a list item.
fn flatten(schema: &Schema, name: &str, field: bool, out: &mut Vec<(String, String)>) {
    match schema.kind.as_deref() {
        Some("array") => {
            let empty = Schema::default();
            let items = schema.items.as_deref().unwrap_or(&empty);
            flatten(items, &format!("{name}.1"), false, out);
        }
        Some("object") => {
            let props: Vec<(&String, &Schema)> = schema.properties.iter().flatten().collect();
            let required: Vec<_> = props.iter().filter(|(_, s)| s.is_required()).collect();
            // An item must carry at least one field to be sent at all.
            let chosen = if required.is_empty() {
                props.iter().take(1).collect()
            } else {
                required
            };
            if chosen.is_empty() {
                out.push((format!("{name}.Key"), "value".into()));
            }
            for (key, s) in chosen {
                flatten(s, &format!("{name}.{key}"), true, out);
            }
        }
        _ => out.push((name.to_string(), scalar(schema, field))),
    }
}

fn scalar(schema: &Schema, field: bool) -> String {
    if let Some(first) = schema.enum_values.as_ref().and_then(|v| v.first()) {
        return match first {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
    }
    let example = schema.example_text().map(|e| e.trim().to_string());
    match schema.kind.as_deref() {
        Some("integer") => number(schema, example.as_deref(), true),
        Some("number") => number(schema, example.as_deref(), false),
        Some("boolean") => match example.as_deref() {
            Some(b @ ("true" | "false")) => b.to_string(),
            _ => "false".into(),
        },
        _ if field && carries_json_list(schema) => match example {
            Some(e) if serde_json::from_str::<Vec<Value>>(&e).is_ok() => e,
            _ => r#"["example"]"#.into(),
        },
        _ => {
            let text = example
                .filter(|e| !e.is_empty())
                .unwrap_or_else(|| "example".into());
            let max = schema
                .max_length_u64()
                .map_or(usize::MAX, |m| usize::try_from(m).unwrap_or(usize::MAX));
            text.chars().take(max).collect()
        }
    }
}

/// The example when it is a number within the limits, else the nearest limit.
fn number(schema: &Schema, example: Option<&str>, integer: bool) -> String {
    let min = schema.minimum_f64();
    let max = schema.maximum_f64();
    let fits = |n: &f64| min.is_none_or(|m| *n >= m) && max.is_none_or(|m| *n <= m);
    let parsed = example.and_then(|e| {
        if integer {
            e.parse::<i32>().ok().map(f64::from)
        } else {
            e.parse::<f64>().ok().filter(|n| n.is_finite())
        }
    });
    let n = [parsed, min.map(f64::ceil), max.map(f64::floor), Some(1.0)]
        .into_iter()
        .flatten()
        .find(fits)
        .unwrap_or(0.0);
    if integer {
        (n as i64).to_string()
    } else {
        n.to_string()
    }
}

fn json_value(schema: &Schema) -> String {
    let example = schema
        .example_text()
        .and_then(|e| serde_json::from_str::<Value>(&e).ok());
    let fallback = match schema.kind.as_deref() {
        Some("array") => Value::Array(Vec::new()),
        _ => Value::Object(Default::default()),
    };
    let value = match (schema.kind.as_deref(), example) {
        (Some("object"), Some(v @ Value::Object(_))) => v,
        (Some("array"), Some(v @ Value::Array(_))) => v,
        _ => fallback,
    };
    value.to_string()
}
