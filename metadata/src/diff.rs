//! What changed in the API between two metadata documents, for reviewing an
//! update of the pinned metadata before regenerating.

use crate::{Api, ApiDocs, Schema};
use indexmap::IndexMap;
use serde_json::Value;
use std::fmt;

#[cfg(test)]
mod tests;

/// The API-level difference between two metadata documents.
///
/// Operations keep the order of the document they come from (`removed`:
/// the old one; the rest: the new one).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApiDiff {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    /// Present in both, deprecated only in the new document.
    pub deprecated: Vec<String>,
    /// Present in both, deprecated only in the old document.
    pub undeprecated: Vec<String>,
    /// Operations present in both whose parameters or response changed.
    pub changed: Vec<OperationDiff>,
}

/// Field-level changes of one operation present in both documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationDiff {
    pub name: String,
    /// Paths are wire names, then `.Prop` / `[]` into objects and arrays
    /// (e.g. `Tag[].Key`).
    pub parameters: Vec<FieldChange>,
    /// Paths go through the success schema (e.g. `Instances.Instance[].Cpu`);
    /// the empty path is the body itself.
    pub response: Vec<FieldChange>,
}

/// One changed field. Changes come in the new document's order, then
/// removals in the old document's order. The descendants of an added or
/// removed field are not listed separately.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub path: String,
    pub change: Change,
}

/// Types are described as `string`, `integer(int64)`, `array<object>`,
/// `string enum[A|B]`... (see [`describe_type`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// `required` is only tracked for parameters (always false in responses).
    Added {
        ty: String,
        required: bool,
    },
    Removed {
        ty: String,
    },
    /// Includes changes of the enum values.
    Retyped {
        old: String,
        new: String,
    },
    /// Parameters only.
    RequiredChanged {
        required: bool,
    },
}

impl ApiDiff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.deprecated.is_empty()
            && self.undeprecated.is_empty()
            && self.changed.is_empty()
    }
}

/// Compares two metadata documents. Never panics; duplicate parameter names
/// count by their first occurrence (as the metadata's consumers do).
pub fn diff(old: &ApiDocs, new: &ApiDocs) -> ApiDiff {
    let mut out = ApiDiff::default();
    for (name, new_api) in &new.apis {
        let Some(old_api) = old.apis.get(name) else {
            out.added.push(name.clone());
            continue;
        };
        match (old_api.is_deprecated(), new_api.is_deprecated()) {
            (false, true) => out.deprecated.push(name.clone()),
            (true, false) => out.undeprecated.push(name.clone()),
            _ => {}
        }
        let op = OperationDiff {
            name: name.clone(),
            parameters: diff_fields(&parameter_fields(old_api), &parameter_fields(new_api), true),
            response: diff_fields(&response_fields(old_api), &response_fields(new_api), false),
        };
        if !op.parameters.is_empty() || !op.response.is_empty() {
            out.changed.push(op);
        }
    }
    out.removed = old
        .apis
        .keys()
        .filter(|name| !new.apis.contains_key(*name))
        .cloned()
        .collect();
    out
}

/// A type as the diff reports it: kind, format, item type and sorted enum
/// values (so reordering an enum is not a change).
pub fn describe_type(schema: &Schema) -> String {
    let mut s = match schema.kind.as_deref() {
        Some("array") => match &schema.items {
            Some(items) => format!("array<{}>", describe_type(items)),
            None => "array".to_string(),
        },
        Some(kind) => kind.to_string(),
        None if schema.properties.is_some() => "object".to_string(),
        None => "any".to_string(),
    };
    if let Some(format) = schema.format.as_deref().filter(|f| !f.is_empty()) {
        s.push_str(&format!("({format})"));
    }
    if let Some(values) = schema.enum_values.as_ref().filter(|v| !v.is_empty()) {
        let mut values: Vec<String> = values.iter().map(enum_text).collect();
        values.sort();
        values.dedup();
        s.push_str(&format!(" enum[{}]", values.join("|")));
    }
    s
}

fn enum_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

struct Field {
    ty: String,
    required: bool,
    /// Nearest recorded ancestor, to avoid listing a new subtree field by field.
    parent: Option<String>,
}

type Fields = IndexMap<String, Field>;

fn parameter_fields(api: &Api) -> Fields {
    let mut out = Fields::new();
    for p in &api.params() {
        collect(&p.schema, p.name.clone(), None, true, &mut out);
    }
    out
}

fn response_fields(api: &Api) -> Fields {
    let mut out = Fields::new();
    if let Some(schema) = api.success_schema() {
        collect(schema, String::new(), None, false, &mut out);
    }
    out
}

fn collect(schema: &Schema, path: String, parent: Option<&str>, params: bool, out: &mut Fields) {
    // First occurrence wins: a repeated name is ignored with its subtree.
    if out.contains_key(&path) {
        return;
    }
    out.insert(
        path.clone(),
        Field {
            ty: describe_type(schema),
            required: params && schema.is_required(),
            parent: parent.map(str::to_string),
        },
    );
    collect_children(schema, &path, &path, params, out);
}

// Array items are not fields of their own (their type is in the array's),
// so `[]` is appended and their properties hang off the array.
fn collect_children(schema: &Schema, prefix: &str, owner: &str, params: bool, out: &mut Fields) {
    if let Some(props) = &schema.properties {
        for (name, prop) in props {
            let path = if prefix.is_empty() {
                name.clone()
            } else {
                format!("{prefix}.{name}")
            };
            collect(prop, path, Some(owner), params, out);
        }
    }
    if let Some(items) = &schema.items {
        collect_children(items, &format!("{prefix}[]"), owner, params, out);
    }
}

fn diff_fields(old: &Fields, new: &Fields, check_required: bool) -> Vec<FieldChange> {
    let mut out = Vec::new();
    for (path, n) in new {
        let change = |change| FieldChange {
            path: path.clone(),
            change,
        };
        match old.get(path) {
            None => {
                if n.parent.as_ref().is_none_or(|p| old.contains_key(p)) {
                    out.push(change(Change::Added {
                        ty: n.ty.clone(),
                        required: n.required,
                    }));
                }
            }
            Some(o) => {
                if o.ty != n.ty {
                    out.push(change(Change::Retyped {
                        old: o.ty.clone(),
                        new: n.ty.clone(),
                    }));
                }
                if check_required && o.required != n.required {
                    out.push(change(Change::RequiredChanged {
                        required: n.required,
                    }));
                }
            }
        }
    }
    for (path, o) in old {
        if !new.contains_key(path) && o.parent.as_ref().is_none_or(|p| new.contains_key(p)) {
            out.push(FieldChange {
                path: path.clone(),
                change: Change::Removed { ty: o.ty.clone() },
            });
        }
    }
    out
}

impl fmt::Display for ApiDiff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return writeln!(f, "no API changes");
        }
        let plural = if self.added.len() == 1 { "" } else { "s" };
        write!(
            f,
            "{} operation{plural} added, {} removed, {} deprecated, {} changed",
            self.added.len(),
            self.removed.len(),
            self.deprecated.len(),
            self.changed.len()
        )?;
        if !self.undeprecated.is_empty() {
            write!(f, ", {} un-deprecated", self.undeprecated.len())?;
        }
        writeln!(f)?;
        for name in &self.added {
            writeln!(f, "+ {name}")?;
        }
        for name in &self.removed {
            writeln!(f, "- {name}")?;
        }
        for name in &self.deprecated {
            writeln!(f, "! {name} deprecated")?;
        }
        for name in &self.undeprecated {
            writeln!(f, "! {name} no longer deprecated")?;
        }
        for op in &self.changed {
            writeln!(f, "~ {}", op.name)?;
            for c in &op.parameters {
                writeln!(f, "    param {c}")?;
            }
            for c in &op.response {
                writeln!(f, "    response {c}")?;
            }
        }
        Ok(())
    }
}

impl fmt::Display for FieldChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() {
            "(body)"
        } else {
            &self.path
        };
        match &self.change {
            Change::Added { ty, required } => {
                write!(f, "+ {path}: {ty}")?;
                if *required {
                    write!(f, " (required)")?;
                }
                Ok(())
            }
            Change::Removed { ty } => write!(f, "- {path}: {ty}"),
            Change::Retyped { old, new } => write!(f, "~ {path}: {old} -> {new}"),
            Change::RequiredChanged { required: true } => write!(f, "~ {path}: now required"),
            Change::RequiredChanged { required: false } => write!(f, "~ {path}: now optional"),
        }
    }
}
