//! The crate generated from the real ECS metadata, read back: its size,
//! the uniqueness of its types, and its docs (nothing of the metadata's
//! text lost, nothing said twice).

mod support;

use ecs_codegen::{docs, generate, Output, Settings};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;
use support::{declared_all, uses, Declared};

fn output() -> &'static Output {
    static OUTPUT: OnceLock<Output> = OnceLock::new();
    OUTPUT.get_or_init(|| {
        let docs = ecs_rs_metadata::load_pinned().unwrap_or_else(|e| panic!("{e}"));
        generate(&docs, &Settings::default()).expect("the ECS metadata generates")
    })
}

/// Every generated file: its `use` trees and the types it declares.
type Files = Vec<(String, Vec<String>, Vec<Declared>)>;

fn declarations() -> &'static Files {
    static FILES: OnceLock<Files> = OnceLock::new();
    FILES.get_or_init(|| {
        output()
            .files
            .iter()
            .map(|(path, text)| {
                let file = syn::parse_file(text).unwrap_or_else(|e| panic!("{path}: {e}"));
                (path.clone(), uses(&file), declared_all(&file))
            })
            .collect()
    })
}

/// A type's shape with the field types it names spelled out as their
/// own shapes, so two types are the same only if all below them is.
fn deep_shape(
    name: &str,
    scope: &BTreeMap<String, &Declared>,
    shared: &BTreeMap<String, &Declared>,
) -> String {
    let Some(d) = scope.get(name).or_else(|| shared.get(name)) else {
        return name.to_string();
    };
    let scope = if scope.contains_key(name) {
        scope
    } else {
        shared
    };
    let mut parts: Vec<String> = d
        .fields
        .iter()
        .map(|f| {
            let named: String =
                f.ty.split(['<', '>'])
                    .filter(|t| !t.is_empty() && !["Option", "Vec"].contains(t))
                    .map(|t| deep_shape(t, scope, shared))
                    .collect::<Vec<_>>()
                    .join("|");
            format!("{}:{}={}{}[{named}]", f.name, f.ty, f.wire, f.form)
        })
        .chain(d.variants.iter().map(|(v, w)| format!("{v}={w}")))
        .collect();
    parts.sort();
    format!("{name}{{{}}}", parts.join(","))
}

#[test]
fn no_two_generated_types_have_the_same_name_and_shape() {
    let files = declarations();
    let shared: BTreeMap<String, &Declared> = files
        .iter()
        .find(|(path, _, _)| path == "src/ops/types.rs")
        .expect("a types module")
        .2
        .iter()
        .map(|d| (d.name.clone(), d))
        .collect();
    // Shared types re-exported under another name are found by it.
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    let mut twice = Vec::new();
    for (path, uses, declared) in files {
        let mut scope: BTreeMap<String, &Declared> =
            declared.iter().map(|d| (d.name.clone(), d)).collect();
        for text in uses {
            let list = text.trim_start_matches("crate::types::");
            for part in list.trim_matches(['{', '}']).split(',') {
                if let Some((from, to)) = part.split_once("as") {
                    if let Some(d) = shared.get(from) {
                        scope.insert(to.to_string(), d);
                    }
                }
            }
        }
        for d in declared {
            let shape = deep_shape(&d.name, &scope, &shared);
            if let Some(first) = seen.insert(shape, path) {
                twice.push(format!("{} in {first} and {path}", d.name));
            }
        }
    }
    assert!(
        twice.is_empty(),
        "types defined twice:\n{}",
        twice.join("\n")
    );
}

#[test]
fn the_generated_crate_stays_under_fifty_thousand_lines() {
    let lines: usize = output().files.values().map(|t| t.lines().count()).sum();
    assert!(lines <= 50_000, "{lines} lines");
}

/// Every description of a parameter or response field at any depth, with
/// the operation it belongs to.
fn descriptions() -> Vec<(String, String)> {
    fn walk(schema: &ecs_rs_metadata::Schema, op: &str, out: &mut Vec<(String, String)>) {
        if let Some(d) = schema.description.as_deref() {
            out.push((op.to_string(), d.to_string()));
        }
        for s in schema.properties.iter().flat_map(|p| p.values()) {
            walk(s, op, out);
        }
        if let Some(items) = schema.items.as_deref() {
            walk(items, op, out);
        }
    }
    let docs = ecs_rs_metadata::load_pinned().unwrap_or_else(|e| panic!("{e}"));
    let mut out = Vec::new();
    for (name, api) in &docs.apis {
        for p in &api.params() {
            walk(&p.schema, name, &mut out);
        }
        if let Some(s) = api.success_schema() {
            for prop in s.properties.iter().flat_map(|p| p.values()) {
                walk(prop, name, &mut out);
            }
        }
    }
    out
}

#[test]
fn every_field_description_of_the_metadata_reaches_the_docs() {
    let mut lines: BTreeSet<String> = BTreeSet::new();
    for (_, _, declared) in declarations() {
        for d in declared {
            for f in &d.fields {
                lines.extend(f.doc.lines().map(str::to_string));
            }
            lines.extend(d.doc.lines().map(str::to_string));
        }
    }
    let mut lost = Vec::new();
    for (op, text) in descriptions() {
        for line in docs::lines(&text) {
            if !line.is_empty() && !lines.contains(&line) {
                lost.push(format!("{op}: {line}"));
                break;
            }
        }
    }
    assert!(
        lost.is_empty(),
        "{} descriptions lost, e.g.:\n{}",
        lost.len(),
        lost[..lost.len().min(10)].join("\n")
    );
}

#[test]
fn a_nested_type_does_not_repeat_the_doc_of_the_field_that_holds_it() {
    for (path, _, declared) in declarations() {
        let docs: BTreeMap<&str, String> = declared
            .iter()
            .map(|d| (d.name.as_str(), d.doc.clone()))
            .filter(|(_, doc)| !doc.is_empty())
            .collect();
        for d in declared {
            for f in &d.fields {
                for (name, doc) in &docs {
                    let holds = f.ty.split(['<', '>']).any(|t| t == *name);
                    assert!(
                        !holds || f.doc != *doc,
                        "{path}: {}.{} and {name} carry the same doc",
                        d.name,
                        f.name
                    );
                }
            }
        }
    }
}
