//! Pass two, the type registry: a nested type whose name and shape
//! (fields, field types, wire names, kinds, encodings) are the same in
//! several operations is defined once in `types`, and each of those
//! operations re-exports it. Operations whose response is only a
//! `RequestId` share one response type.
//!
//! Shapes that differ are never merged. Where one name has several shapes
//! used by several operations each, the shape most operations use keeps
//! the name in `types`; another is named after the first operation that
//! uses it (`AddTagsTag`) and re-exported under its own name (`Tag`).

use super::{Doc, Field, Import, Kind, Operation, Shared, Side, Struct, Ty, TypeDef};
use crate::{naming, CodegenError};
use std::collections::{BTreeMap, BTreeSet};

/// The one response type of the operations that return only `RequestId`.
pub const REQUEST_ID_RESPONSE: &str = "RequestIdResponse";

/// Same fields in the same order, within one operation (names of field
/// types are local to it); docs do not count.
pub(super) fn same_shape(a: &TypeDef, b: &TypeDef) -> bool {
    match (a, b) {
        (TypeDef::Struct(a), TypeDef::Struct(b)) => {
            a.side == b.side
                && a.fields.len() == b.fields.len()
                && a.fields.iter().zip(&b.fields).all(|(x, y)| {
                    x.wire == y.wire
                        && x.ty == y.ty
                        && x.kind == y.kind
                        && x.encoding == y.encoding
                        && x.deprecated == y.deprecated
                })
        }
        (TypeDef::Enum(a), TypeDef::Enum(b)) => a.side == b.side && a.values == b.values,
        _ => false,
    }
}

/// Moves what operations share into the returned `types`, sorted by name.
pub(super) fn share(operations: &mut [Operation]) -> Result<Vec<Shared>, CodegenError> {
    let keys: Vec<BTreeMap<String, String>> = operations.iter().map(keys_of).collect();

    // Key -> the operations (indices, ascending) that define it.
    let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, op_keys) in keys.iter().enumerate() {
        for key in op_keys.values() {
            groups.entry(key).or_default().push(i);
        }
    }
    groups.retain(|_, ops| ops.len() > 1);

    let names = global_names(operations, &keys, &groups)?;
    let mut shared = Vec::with_capacity(groups.len() + 1);
    for (key, ops) in &groups {
        let local = local_name(&keys[ops[0]], key);
        let mut def = operations[ops[0]]
            .get(local)
            .expect("a key names a type of its operation")
            .clone();
        for &i in &ops[1..] {
            let local = local_name(&keys[i], key);
            let other = operations[i].get(local).expect("grouped by its key");
            absorb(&mut def, other);
        }
        rename(&mut def, &names[*key], |local| {
            names[keys[ops[0]][local].as_str()].clone()
        });
        shared.push(Shared {
            def,
            operations: ops.iter().map(|&i| operations[i].wire.clone()).collect(),
            features: features(operations, ops),
        });
    }
    for (op, op_keys) in operations.iter_mut().zip(&keys) {
        for (local, key) in op_keys {
            if let Some(name) = names.get(key.as_str()) {
                op.types.retain(|t| t.name() != local);
                op.imports.push(Import {
                    shared: name.clone(),
                    local: local.clone(),
                });
            }
        }
    }
    if let Some(responses) = request_id_responses(operations) {
        shared.push(responses);
    }
    shared.sort_by(|a, b| a.def.name().cmp(b.def.name()));
    for op in operations.iter_mut() {
        op.imports.sort();
    }
    Ok(shared)
}

/// Name (local) -> key of every nested type of one operation. A key is the
/// name and the shape, field types spelled by their own keys, fields in
/// wire-name order.
fn keys_of(op: &Operation) -> BTreeMap<String, String> {
    let mut memo = BTreeMap::new();
    for t in &op.types {
        if t.name() != op.request && t.name() != op.response {
            key(op, t.name(), &mut memo);
        }
    }
    memo
}

fn key(op: &Operation, name: &str, memo: &mut BTreeMap<String, String>) -> String {
    if let Some(k) = memo.get(name) {
        return k.clone();
    }
    let shape = match op.get(name) {
        Some(TypeDef::Struct(s)) => {
            let mut fields: Vec<String> = s
                .fields
                .iter()
                .map(|f| {
                    format!(
                        "{}:{}:{:?}:{:?}:{}:{}",
                        f.wire,
                        f.rust,
                        f.kind,
                        f.encoding,
                        f.deprecated,
                        ty_key(op, &f.ty, memo)
                    )
                })
                .collect();
            fields.sort();
            format!("{{{}}}", fields.join(","))
        }
        Some(TypeDef::Enum(e)) => {
            let values: Vec<String> = e.values.iter().map(|(w, v)| format!("{w}:{v}")).collect();
            format!("[{}]", values.join(","))
        }
        None => String::new(),
    };
    let k = format!("{name}{shape}");
    memo.insert(name.to_string(), k.clone());
    k
}

fn ty_key(op: &Operation, ty: &Ty, memo: &mut BTreeMap<String, String>) -> String {
    match ty {
        Ty::Named(n) => key(op, n, memo),
        Ty::List(inner) => format!("Vec<{}>", ty_key(op, inner, memo)),
        other => other.to_string(),
    }
}

fn local_name<'a>(keys: &'a BTreeMap<String, String>, key: &str) -> &'a str {
    keys.iter()
        .find(|(_, k)| k.as_str() == key)
        .map(|(n, _)| n.as_str())
        .expect("a grouped key belongs to its operations")
}

/// Key -> name in `types`: per local name, the shape most operations use
/// (then the one used first) keeps it; the others are prefixed with the
/// type name of their first operation.
fn global_names<'k>(
    operations: &[Operation],
    keys: &[BTreeMap<String, String>],
    groups: &BTreeMap<&'k str, Vec<usize>>,
) -> Result<BTreeMap<&'k str, String>, CodegenError> {
    let mut by_local: BTreeMap<&str, Vec<(&'k str, &Vec<usize>)>> = BTreeMap::new();
    for (key, ops) in groups {
        by_local
            .entry(local_name(&keys[ops[0]], key))
            .or_default()
            .push((key, ops));
    }
    let mut names = BTreeMap::new();
    let mut taken: BTreeMap<String, &str> = BTreeMap::new();
    taken.insert(REQUEST_ID_RESPONSE.to_string(), "");
    for (local, mut shapes) in by_local {
        shapes.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.1[0].cmp(&b.1[0])));
        for (rank, (key, ops)) in shapes.into_iter().enumerate() {
            let first = &operations[ops[0]].wire;
            let name = if rank == 0 {
                local.to_string()
            } else {
                format!("{}{local}", naming::type_name(first))
            };
            if let Some(other) = taken.insert(name.clone(), first) {
                return Err(CodegenError::new(
                    first,
                    local,
                    format!(
                        "the shared type name `{name}` is wanted twice (also for `{}`)",
                        if other.is_empty() {
                            "the RequestId-only responses"
                        } else {
                            other
                        }
                    ),
                ));
            }
            names.insert(key, name);
        }
    }
    Ok(names)
}

/// Folds the docs and side of `other` (same key) into `def`.
fn absorb(def: &mut TypeDef, other: &TypeDef) {
    match (def, other) {
        (TypeDef::Struct(a), TypeDef::Struct(b)) => {
            a.side = a.side.join(b.side);
            a.doc.merge(&b.doc);
            for f in &mut a.fields {
                if let Some(g) = b.fields.iter().find(|g| g.wire == f.wire) {
                    f.doc.merge(&g.doc);
                }
            }
        }
        (TypeDef::Enum(a), TypeDef::Enum(b)) => a.side = a.side.join(b.side),
        _ => {}
    }
}

/// Gives `def` its shared name and its field types their shared names.
fn rename(def: &mut TypeDef, name: &str, shared_name: impl Fn(&str) -> String) {
    match def {
        TypeDef::Struct(s) => {
            s.name = name.to_string();
            for f in &mut s.fields {
                rename_ty(&mut f.ty, &shared_name);
            }
        }
        TypeDef::Enum(e) => e.name = name.to_string(),
    }
}

fn rename_ty(ty: &mut Ty, shared_name: &impl Fn(&str) -> String) {
    match ty {
        Ty::Named(n) => *n = shared_name(n),
        Ty::List(inner) => rename_ty(inner, shared_name),
        _ => {}
    }
}

fn features(operations: &[Operation], ops: &[usize]) -> Vec<String> {
    let set: BTreeSet<&str> = ops
        .iter()
        .map(|&i| operations[i].feature.as_str())
        .collect();
    set.into_iter().map(String::from).collect()
}

/// The response holds `RequestId` and nothing else.
fn only_request_id(op: &Operation) -> Option<&Struct> {
    match op.get(&op.response)? {
        TypeDef::Struct(s)
            if s.fields.len() == 1
                && s.fields[0].wire == "RequestId"
                && s.fields[0].ty == Ty::String
                && s.fields[0].kind == Kind::Optional
                && !s.fields[0].deprecated =>
        {
            Some(s)
        }
        _ => None,
    }
}

fn request_id_responses(operations: &mut [Operation]) -> Option<Shared> {
    let ops: Vec<usize> = (0..operations.len())
        .filter(|&i| only_request_id(&operations[i]).is_some())
        .collect();
    if ops.len() < 2 {
        return None;
    }
    let mut doc = Doc::default();
    let mut field: Option<Field> = None;
    for &i in &ops {
        let s = only_request_id(&operations[i]).expect("filtered above");
        doc.merge(&s.doc);
        match &mut field {
            Some(f) => f.doc.merge(&s.fields[0].doc),
            None => field = Some(s.fields[0].clone()),
        }
    }
    for &i in &ops {
        let op = &mut operations[i];
        let response = op.response.clone();
        op.types.retain(|t| t.name() != response);
        op.imports.push(Import {
            shared: REQUEST_ID_RESPONSE.to_string(),
            local: response,
        });
    }
    Some(Shared {
        def: TypeDef::Struct(Struct {
            name: REQUEST_ID_RESPONSE.to_string(),
            side: Side::Response,
            doc,
            fields: field.into_iter().collect(),
        }),
        operations: ops.iter().map(|&i| operations[i].wire.clone()).collect(),
        features: features(operations, &ops),
    })
}
