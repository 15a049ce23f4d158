//! Maps a received parameter name back to the metadata parameter it sets
//! (protocol.md, section 3): plain `Name`, legacy dotted names
//! (`SystemDisk.Category`, `Filter.1.Key`), lists `Name.N` and
//! `Name.N.Field`, nested `Name.N.Inner.M`, objects `Name.Field`
//! recursively, and JSON-style `Name` holding one JSON value.

use super::catalog::{Operation, Param};
use ecs_rs_metadata::Schema;

/// One step below a parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step<'n> {
    Field(&'n str),
    Index(u64),
}

/// How the value at the end of a name is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Leaf {
    /// A scalar of the schema's type.
    Scalar,
    /// One JSON document (`style: json`).
    Json,
    /// A list joined by one separator (`simple` and friends).
    Delimited(char),
    /// A value inside an object that declares no properties.
    FreeForm,
}

#[derive(Debug)]
pub(crate) struct Resolved<'s, 'n> {
    pub param: &'s Param,
    pub steps: Vec<Step<'n>>,
    pub schema: &'s Schema,
    pub leaf: Leaf,
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Unresolved {
    /// No parameter answers to the name.
    Unknown,
    /// A parameter answers, but the name is not in its wire form.
    Malformed(String),
}

/// Finds the parameter `name` sets. A legacy dotted parameter
/// (`SystemDisk.Size`) beats a structured one sharing its prefix
/// (`SystemDisk`), so the longest matching prefix is tried first.
pub(crate) fn resolve<'s, 'n>(
    op: &'s Operation,
    name: &'n str,
) -> Result<Resolved<'s, 'n>, Unresolved> {
    let ends = name
        .char_indices()
        .filter(|&(_, c)| c == '.')
        .map(|(i, _)| i)
        .chain(std::iter::once(name.len()))
        .collect::<Vec<_>>();
    let mut malformed = None;
    for &end in ends.iter().rev() {
        let Some(&i) = op.by_name.get(&name[..end]) else {
            continue;
        };
        let param = &op.params[i];
        let rest = name.get(end + 1..).unwrap_or("");
        let segments: Vec<&str> = if end == name.len() {
            Vec::new()
        } else {
            rest.split('.').collect()
        };
        match walk(param, &segments) {
            Ok((steps, schema, leaf)) => {
                return Ok(Resolved {
                    param,
                    steps,
                    schema,
                    leaf,
                })
            }
            Err(Unresolved::Malformed(why)) => {
                malformed.get_or_insert(why);
            }
            Err(Unresolved::Unknown) => {}
        }
    }
    Err(malformed.map_or(Unresolved::Unknown, Unresolved::Malformed))
}

type Walked<'s, 'n> = (Vec<Step<'n>>, &'s Schema, Leaf);

fn walk<'s, 'n>(param: &'s Param, segments: &[&'n str]) -> Result<Walked<'s, 'n>, Unresolved> {
    if param.is_json() || param.delimiter().is_some() {
        let leaf = param.delimiter().map_or(Leaf::Json, Leaf::Delimited);
        return match segments {
            [] => Ok((Vec::new(), &param.schema, leaf)),
            _ => Err(Unresolved::Unknown),
        };
    }
    let mut steps = Vec::with_capacity(segments.len());
    let mut schema = &param.schema;
    let mut segments = segments.iter();
    loop {
        let kind = schema.kind.as_deref();
        let Some(&segment) = segments.next() else {
            return match kind {
                Some("array") => Err(Unresolved::Malformed(
                    "A list is sent as Name.N, counting from 1.".into(),
                )),
                Some("object") => Err(Unresolved::Malformed(
                    "An object is sent as Name.Field.".into(),
                )),
                _ => Ok((steps, schema, Leaf::Scalar)),
            };
        };
        match kind {
            Some("array") => {
                steps.push(Step::Index(index(segment)?));
                schema = schema.items.as_deref().ok_or(Unresolved::Unknown)?;
            }
            Some("object") => match schema.properties.as_ref().filter(|p| !p.is_empty()) {
                Some(props) => {
                    steps.push(Step::Field(segment));
                    schema = props.get(segment).ok_or(Unresolved::Unknown)?;
                }
                // A free-form map: any key, one level deep.
                None if segments.len() == 0 => {
                    steps.push(Step::Field(segment));
                    return Ok((steps, schema, Leaf::FreeForm));
                }
                None => return Err(Unresolved::Unknown),
            },
            _ => return Err(Unresolved::Unknown),
        }
    }
}

/// A list index as the SDKs write it: decimal digits, no sign, no padding.
/// Zero parses here; the list check reports that lists start at 1.
fn index(segment: &str) -> Result<u64, Unresolved> {
    let digits = !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit());
    let padded = segment.len() > 1 && segment.starts_with('0');
    match segment.parse() {
        Ok(n) if digits && !padded => Ok(n),
        _ => Err(Unresolved::Malformed(format!(
            "\"{segment}\" is not a list index; lists are sent as Name.N, counting from 1."
        ))),
    }
}
