//! Checks one request against its operation's metadata, in the order a
//! reader would fix them: names, required parameters, list and object
//! shape, then each value.

use super::catalog::Operation;
use super::errors::Rejection;
use ecs_rs_metadata::{Leaf, Param, ParamEncoding, Resolved, Schema, Step, Unresolved};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};

/// The client sends `RegionId` with every request (protocol.md, section 1),
/// also to operations whose metadata does not list it.
const ALWAYS_ACCEPTED: &str = "RegionId";

pub(crate) fn check(op: &Operation, params: &[(&str, &str)]) -> Result<(), Rejection> {
    let mut seen = HashSet::new();
    let mut received = Vec::with_capacity(params.len());
    for &(name, value) in params {
        if !seen.insert(name) {
            return Err(invalid(name, "It is given more than once."));
        }
        match op.params.resolve(name) {
            Ok(r) => received.push((name, value, r)),
            Err(_) if name == ALWAYS_ACCEPTED => {}
            Err(Unresolved::Unknown) => return Err(Rejection::Unsupported(name.to_string())),
            Err(Unresolved::Malformed(reason)) => {
                return Err(Rejection::Malformed {
                    name: name.to_string(),
                    reason,
                })
            }
        }
    }

    let mut trees: HashMap<&str, Node> = HashMap::new();
    for (_, _, r) in &received {
        trees.entry(&r.param.name).or_default().insert(&r.steps);
    }
    if let Some(p) = op
        .params
        .iter()
        .find(|p| p.required && !trees.contains_key(p.name.as_str()))
    {
        return Err(Rejection::Missing(p.name.clone()));
    }
    for p in &op.params {
        if let Some(tree) = trees.get(p.name.as_str()) {
            shape(p, tree)?;
        }
    }
    for (name, value, r) in &received {
        value_of(r, value).map_err(|bad| bad.at(name))?;
    }
    Ok(())
}

fn invalid(name: &str, reason: &str) -> Rejection {
    Rejection::Invalid {
        name: name.to_string(),
        reason: reason.to_string(),
    }
}

/// Which names were received under one parameter.
#[derive(Debug, Default)]
struct Node<'n> {
    fields: BTreeMap<&'n str, Node<'n>>,
    items: BTreeMap<u64, Node<'n>>,
}

impl<'n> Node<'n> {
    fn insert(&mut self, steps: &[Step<'n>]) {
        let Some((first, rest)) = steps.split_first() else {
            return;
        };
        let child = match *first {
            Step::Field(f) => self.fields.entry(f).or_default(),
            Step::Index(i) => self.items.entry(i).or_default(),
        };
        child.insert(rest);
    }
}

fn shape(param: &Param, tree: &Node) -> Result<(), Rejection> {
    // A JSON or delimited value is one leaf; its content is a value check.
    if param.encoding() != ParamEncoding::Flattened {
        return Ok(());
    }
    shape_at(&param.schema, tree, &param.name)
}

fn shape_at(schema: &Schema, node: &Node, path: &str) -> Result<(), Rejection> {
    match schema.kind.as_deref() {
        Some("array") => {
            for (expected, &got) in (1u64..).zip(node.items.keys()) {
                if got != expected {
                    let reason = if expected == 1 {
                        format!("List indices start at 1, but the first is {path}.{got}.")
                    } else {
                        format!("{path}.{got} is given without {path}.{expected}.")
                    };
                    return Err(Rejection::Malformed {
                        name: format!("{path}.{got}"),
                        reason,
                    });
                }
            }
            let count = node.items.len() as u64;
            if let Some(max) = schema.max_items_u64().filter(|&m| count > m) {
                return Err(invalid(
                    path,
                    &format!("It has {count} items; at most {max} are allowed."),
                ));
            }
            if let Some(min) = schema.min_items_u64().filter(|&m| count < m) {
                return Err(invalid(
                    path,
                    &format!("It has {count} items; at least {min} are required."),
                ));
            }
            let Some(items) = schema.items.as_deref() else {
                return Ok(());
            };
            for (i, child) in &node.items {
                shape_at(items, child, &format!("{path}.{i}"))?;
            }
        }
        Some("object") => {
            let Some(props) = schema.properties.as_ref() else {
                return Ok(());
            };
            if let Some((name, _)) = props
                .iter()
                .find(|(name, s)| s.is_required() && !node.fields.contains_key(name.as_str()))
            {
                return Err(Rejection::Missing(format!("{path}.{name}")));
            }
            for (field, child) in &node.fields {
                if let Some(s) = props.get(*field) {
                    shape_at(s, child, &format!("{path}.{field}"))?;
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// A bad value, before it is tied to the name it came under.
enum Bad {
    Malformed(String),
    Invalid(String),
}

impl Bad {
    fn at(self, name: &str) -> Rejection {
        match self {
            Bad::Malformed(reason) => Rejection::Malformed {
                name: name.to_string(),
                reason,
            },
            Bad::Invalid(reason) => invalid(name, &reason),
        }
    }
}

fn value_of(r: &Resolved, value: &str) -> Result<(), Bad> {
    match r.leaf {
        Leaf::Scalar => {
            // Codegen sends JSON-list strings for fields only, never list items.
            let item = matches!(r.steps.last(), Some(Step::Index(_)));
            scalar(r.schema, value, !item)
        }
        Leaf::FreeForm => Ok(()),
        Leaf::Json => json(r.schema, value),
        Leaf::Delimited(sep) => {
            let parts: Vec<&str> = value.split(sep).collect();
            if let Some(max) = r.schema.max_items_u64() {
                if parts.len() as u64 > max {
                    return Err(Bad::Invalid(format!(
                        "It has {} items; at most {max} are allowed.",
                        parts.len()
                    )));
                }
            }
            let empty = Schema::default();
            let items = r.schema.items.as_deref().unwrap_or(&empty);
            parts.iter().try_for_each(|p| scalar(items, p, false))
        }
    }
}

fn json(schema: &Schema, value: &str) -> Result<(), Bad> {
    let parsed: Value = serde_json::from_str(value)
        .map_err(|e| Bad::Malformed(format!("It is not valid JSON: {e}.")))?;
    let fits = match schema.kind.as_deref() {
        Some("object") => parsed.is_object(),
        Some("array") => parsed.is_array(),
        _ => true,
    };
    if fits {
        Ok(())
    } else {
        Err(Bad::Malformed(format!(
            "It must be a JSON {}.",
            schema.kind.as_deref().unwrap_or("value")
        )))
    }
}

fn scalar(schema: &Schema, value: &str, field: bool) -> Result<(), Bad> {
    match schema.kind.as_deref() {
        Some("integer") => {
            let n = integer(schema, value)?;
            range(schema, n as f64)?;
        }
        Some("number") => {
            let n = value
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .ok_or_else(|| Bad::Invalid("It must be a number.".into()))?;
            range(schema, n)?;
        }
        // The service reads booleans case-insensitively: the official Python
        // SDK sends `True`.
        Some("boolean")
            if !value.eq_ignore_ascii_case("true") && !value.eq_ignore_ascii_case("false") =>
        {
            return Err(Bad::Invalid("It must be true or false.".into()));
        }
        Some("string") | None => string(schema, value, field)?,
        _ => {}
    }
    one_of(schema, value)
}

fn integer(schema: &Schema, value: &str) -> Result<i64, Bad> {
    let int32 = schema.format.as_deref() == Some("int32");
    let parsed = if int32 {
        value.parse::<i32>().map(i64::from)
    } else {
        value.parse::<i64>()
    };
    parsed.map_err(|_| {
        Bad::Invalid(format!(
            "It must be an integer ({}).",
            if int32 { "int32" } else { "int64" }
        ))
    })
}

fn range(schema: &Schema, n: f64) -> Result<(), Bad> {
    if let Some(min) = schema.minimum_f64().filter(|&m| n < m) {
        return Err(Bad::Invalid(format!("It must be at least {min}.")));
    }
    if let Some(max) = schema.maximum_f64().filter(|&m| n > m) {
        return Err(Bad::Invalid(format!("It must be at most {max}.")));
    }
    Ok(())
}

fn string(schema: &Schema, value: &str, field: bool) -> Result<(), Bad> {
    if let Some(max) = schema.max_length_u64() {
        let len = value.chars().count() as u64;
        if len > max {
            return Err(Bad::Invalid(format!(
                "It is {len} characters long; at most {max} are allowed."
            )));
        }
    }
    // A string whose example is a JSON array carries one (DescribeInstances
    // `InstanceIds`); the generated client sends it that way.
    if field && schema.is_json_list_string() {
        match serde_json::from_str::<Value>(value) {
            Ok(Value::Array(_)) => {}
            _ => {
                return Err(Bad::Malformed(
                    "It must be a JSON array, e.g. [\"a\",\"b\"].".into(),
                ))
            }
        }
    }
    Ok(())
}

fn one_of(schema: &Schema, value: &str) -> Result<(), Bad> {
    let Some(allowed) = schema.enum_values.as_ref().filter(|v| !v.is_empty()) else {
        return Ok(());
    };
    let number = value.parse::<f64>().ok();
    let matches = |v: &Value| match v {
        Value::String(s) => s == value,
        Value::Number(n) => n.as_f64().is_some_and(|n| Some(n) == number),
        Value::Bool(b) => b.to_string() == value,
        _ => false,
    };
    if allowed.iter().any(matches) {
        return Ok(());
    }
    let list: Vec<String> = allowed
        .iter()
        .map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect();
    Err(Bad::Invalid(format!(
        "It must be one of: {}.",
        list.join(", ")
    )))
}
