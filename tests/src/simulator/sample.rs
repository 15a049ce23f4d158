//! The smallest correct request for an operation: its required parameters
//! in wire form, valued by the metadata crate's samples (the examples,
//! kept within the declared type and limits).

use super::catalog::Operation;
use ecs_rs_metadata::{ParamEncoding, Schema};

pub(crate) fn required_params(op: &Operation) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for p in op.params.iter().filter(|p| p.required) {
        match p.encoding() {
            ParamEncoding::Json => out.push((p.name.clone(), p.schema.json_sample().to_string())),
            ParamEncoding::Delimited(_) => {
                let empty = Schema::default();
                let items = p.schema.items.as_deref().unwrap_or(&empty);
                out.push((p.name.clone(), items.sample().to_string()));
            }
            ParamEncoding::Flattened => flatten(&p.schema, &p.name, true, &mut out),
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
        // Codegen sends such strings as a JSON list for fields only.
        _ if field && schema.is_json_list_string() => {
            let list = serde_json::json!([schema.json_list_item_sample()]);
            out.push((name.to_string(), list.to_string()));
        }
        _ => out.push((name.to_string(), schema.sample().to_string())),
    }
}
