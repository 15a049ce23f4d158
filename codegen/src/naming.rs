//! Every identifier decision: heck casing, Rust keywords, dotted wire
//! names, case collisions inside one object, enum variants.

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::BTreeMap;

const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Type names that would shadow the prelude or the names generated code uses.
const RESERVED_TYPES: &[&str] = &[
    "Self",
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "Vec",
    "String",
    "Box",
    "Default",
    "Clone",
    "Copy",
    "Debug",
    "Send",
    "Sync",
    "Sized",
    "Drop",
    "Fn",
    "Iterator",
    "PartialEq",
    "Serialize",
    "Deserialize",
    "Client",
    "Error",
    "Value",
];

/// `DescribeInstances` -> `describe_instances`.
pub fn module_name(operation: &str) -> String {
    escape_keyword(snake_identifier(
        operation.to_snake_case(),
        "op_",
        "operation",
    ))
}

/// `DescribeInstances` -> `DESCRIBE_INSTANCES`.
pub fn const_name(operation: &str) -> String {
    module_name(operation).trim_end_matches('_').to_uppercase()
}

/// A type name from a wire name: `DataDisk` -> `DataDisk`,
/// `LaunchConfiguration.SystemDisk` -> `LaunchConfigurationSystemDisk`.
pub fn type_name(wire: &str) -> String {
    let mut name = camel_identifier(wire.to_upper_camel_case(), 'T', "Item");
    if RESERVED_TYPES.contains(&name.as_str()) {
        name.push_str("Info");
    }
    name
}

/// A field name from a wire name: `InstanceIds` -> `instance_ids`,
/// `DataDisk.1.Category` -> `data_disk_1_category`, `Type` -> `type_`.
pub fn field_name(wire: &str) -> String {
    escape_keyword(snake_identifier(wire.to_snake_case(), "_", "value"))
}

/// A snake-case name as an identifier: characters no identifier may hold
/// become `_`; a name that cannot start one gets `prefix`; nothing left
/// gives `empty`.
fn snake_identifier(name: String, prefix: &str, empty: &str) -> String {
    let name: String = name
        .chars()
        .map(|c| {
            if unicode_ident::is_xid_continue(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let name = name.trim_matches('_');
    if name.is_empty() {
        empty.to_string()
    } else if name.starts_with(unicode_ident::is_xid_start) {
        name.to_string()
    } else {
        format!("{prefix}{name}")
    }
}

/// A camel-case name as an identifier: characters no identifier may hold
/// are dropped (an underscore would break the casing lint).
fn camel_identifier(name: String, prefix: char, empty: &str) -> String {
    let mut name: String = name
        .chars()
        .filter(|c| unicode_ident::is_xid_continue(*c) && *c != '_')
        .collect();
    if name.is_empty() {
        return empty.to_string();
    }
    if !name.starts_with(unicode_ident::is_xid_start) {
        name.insert(0, prefix);
    }
    let mut chars = name.chars();
    let first = chars.next().map(|c| c.to_uppercase().collect::<String>());
    first.unwrap_or_default() + chars.as_str()
}

fn escape_keyword(mut name: String) -> String {
    if KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// Two wire names of one object that naming cannot tell apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collision {
    pub first: String,
    pub second: String,
    pub rust: String,
}

/// Field names for the wire names of one object, in order. Names that
/// differ only by case (`Key`/`key`, `CPU`/`Cpu`) are told apart by their
/// casing: the conventional UpperCamel spelling keeps the plain name, an
/// all-caps one gets `_upper`, a lowerCamel one `_lower`, a mixed acronym
/// (`OSType`) `_acronym`.
pub fn field_names(wires: &[&str]) -> Result<Vec<String>, Collision> {
    resolve(wires, field_name, |base, suffix| format!("{base}_{suffix}"))
}

/// Variant names for the values of one enum, told apart like
/// [`field_names`]: `Finished`, `finished` -> `Finished`, `FinishedLower`.
pub fn variant_names(values: &[&str]) -> Result<Vec<String>, Collision> {
    resolve(values, variant_name, |base, suffix| {
        format!("{base}{}", suffix.to_upper_camel_case())
    })
}

/// Type names for several wire names of one scope, told apart like
/// [`variant_names`].
pub fn type_names(wires: &[&str]) -> Result<Vec<String>, Collision> {
    resolve(wires, type_name, |base, suffix| {
        format!("{base}{}", suffix.to_upper_camel_case())
    })
}

fn resolve(
    wires: &[&str],
    name: fn(&str) -> String,
    suffixed: fn(&str, &str) -> String,
) -> Result<Vec<String>, Collision> {
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, wire) in wires.iter().enumerate() {
        groups.entry(name(wire)).or_default().push(i);
    }
    let mut names = vec![String::new(); wires.len()];
    for (base, members) in &groups {
        if members.len() == 1 {
            names[members[0]] = base.clone();
            continue;
        }
        for &i in members {
            names[i] = match casing(wires[i]) {
                Casing::Canonical => base.clone(),
                Casing::Upper => suffixed(base, "upper"),
                Casing::Lower => suffixed(base, "lower"),
                Casing::Acronym => suffixed(base, "acronym"),
            };
        }
    }
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, name) in names.iter().enumerate() {
        if let Some(&j) = seen.get(name.as_str()) {
            return Err(Collision {
                first: wires[j].to_string(),
                second: wires[i].to_string(),
                rust: name.clone(),
            });
        }
        seen.insert(name, i);
    }
    Ok(names)
}

enum Casing {
    Canonical,
    Upper,
    Lower,
    Acronym,
}

fn casing(wire: &str) -> Casing {
    let letters = || wire.chars().filter(|c| c.is_alphabetic());
    if wire.to_snake_case().to_upper_camel_case() == wire {
        Casing::Canonical
    } else if wire.starts_with(|c: char| c.is_lowercase()) {
        Casing::Lower
    } else if letters().count() > 1 && letters().all(|c| c.is_uppercase()) {
        Casing::Upper
    } else {
        Casing::Acronym
    }
}

/// An enum variant for a wire value: `cloud_essd` -> `CloudEssd`,
/// `1Mbps` -> `V1mbps`, `` -> `Empty`.
pub fn variant_name(value: &str) -> String {
    let empty = if value.is_empty() { "Empty" } else { "Symbol" };
    let mut name = camel_identifier(value.to_upper_camel_case(), 'V', empty);
    if name == "Self" || name == "Unknown" {
        name.push_str("Value");
    }
    name
}

/// A Cargo feature name: lowercase words joined by `-`.
pub fn feature_name(words: &str) -> String {
    use heck::ToKebabCase;
    words.to_kebab_case()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotted_wire_names_become_snake_case_fields() {
        assert_eq!(field_name("DataDisk.1.Category"), "data_disk_1_category");
        assert_eq!(field_name("SystemDisk.Category"), "system_disk_category");
    }

    #[test]
    fn keywords_get_a_trailing_underscore() {
        assert_eq!(field_name("Type"), "type_");
        assert_eq!(field_name("Async"), "async_");
        assert_eq!(module_name("Move"), "move_");
    }

    #[test]
    fn case_collisions_are_told_apart_by_casing() {
        assert_eq!(field_names(&["Key", "key"]).unwrap(), ["key", "key_lower"]);
        assert_eq!(field_names(&["CPU", "Cpu"]).unwrap(), ["cpu_upper", "cpu"]);
        assert_eq!(
            field_names(&["OSType", "OsType"]).unwrap(),
            ["os_type_acronym", "os_type"]
        );
        assert_eq!(
            field_names(&["HostName", "Hostname"]).unwrap(),
            ["host_name", "hostname"]
        );
    }

    #[test]
    fn an_unresolvable_collision_is_reported_with_both_wire_names() {
        let err = field_names(&["A_B", "A.B"]).unwrap_err();
        assert_eq!(
            (err.first.as_str(), err.second.as_str(), err.rust.as_str()),
            ("A_B", "A.B", "a_b_upper")
        );
    }

    #[test]
    fn names_no_identifier_can_hold_are_made_valid() {
        assert_eq!(field_name("Size²"), "size");
        assert_eq!(field_name("٣Disks"), "_٣disks");
        assert_eq!(field_name("-"), "value");
        assert_eq!(module_name("2Things"), "op_2things");
        assert_eq!(module_name("_"), "operation");
    }

    #[test]
    fn type_names_avoid_the_prelude() {
        assert_eq!(type_name("Result"), "ResultInfo");
        assert_eq!(type_name("Instance"), "Instance");
        assert_eq!(type_name("1Day"), "T1day");
        assert_eq!(type_name("Size²"), "Size");
    }

    #[test]
    fn variants_are_valid_identifiers() {
        assert_eq!(variant_name("cloud_essd"), "CloudEssd");
        assert_eq!(variant_name("1Mbps"), "V1mbps");
        assert_eq!(variant_name("½Price"), "Price");
        assert_eq!(variant_name(""), "Empty");
        assert_eq!(variant_name("Unknown"), "UnknownValue");
        assert_eq!(
            variant_names(&["Finished", "finished", "Unknown", "unknown"]).unwrap(),
            [
                "Finished",
                "FinishedLower",
                "UnknownValue",
                "UnknownValueLower"
            ]
        );
    }
}
