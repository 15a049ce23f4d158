//! Wire-key lookup: which parameter a received name sets (protocol.md,
//! section 3): plain `Name`, legacy dotted names (`SystemDisk.Category`,
//! `Filter.1.Key`), lists `Name.N` and `Name.N.Field`, nested
//! `Name.N.Inner.M`, objects `Name.Field` recursively, and JSON-style or
//! delimited `Name` holding one value.

use crate::{Param, ParamEncoding, Params, Schema};

/// One step below a parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step<'n> {
    Field(&'n str),
    Index(u64),
}

/// How the value at the end of a name is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leaf {
    /// A scalar of the schema's type.
    Scalar,
    /// One JSON document (`style: json`).
    Json,
    /// A list joined by one separator (`simple` and friends).
    Delimited(char),
    /// A value inside an object that declares no properties.
    FreeForm,
}

/// What a received name sets: the parameter, the steps below it, and the
/// schema of the value.
#[derive(Debug)]
pub struct Resolved<'s, 'n> {
    pub param: &'s Param,
    pub steps: Vec<Step<'n>>,
    pub schema: &'s Schema,
    pub leaf: Leaf,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Unresolved {
    /// No parameter answers to the name.
    Unknown,
    /// A parameter answers, but the name is not in its wire form; the
    /// text says what the wire form is.
    Malformed(String),
}

impl Params {
    /// Finds the parameter `name` sets. A legacy dotted parameter
    /// (`SystemDisk.Size`) beats a structured one sharing its prefix
    /// (`SystemDisk`), so the longest matching prefix is tried first.
    pub fn resolve<'s, 'n>(&'s self, name: &'n str) -> Result<Resolved<'s, 'n>, Unresolved> {
        let ends = name
            .char_indices()
            .filter(|&(_, c)| c == '.')
            .map(|(i, _)| i)
            .chain(std::iter::once(name.len()))
            .collect::<Vec<_>>();
        let mut malformed = None;
        for &end in ends.iter().rev() {
            let Some(param) = self.get(&name[..end]) else {
                continue;
            };
            let segments: Vec<&str> = if end == name.len() {
                Vec::new()
            } else {
                name[end + 1..].split('.').collect()
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
}

type Walked<'s, 'n> = (Vec<Step<'n>>, &'s Schema, Leaf);

fn walk<'s, 'n>(param: &'s Param, segments: &[&'n str]) -> Result<Walked<'s, 'n>, Unresolved> {
    let leaf = match param.encoding() {
        ParamEncoding::Json => Some(Leaf::Json),
        ParamEncoding::Delimited(sep) => Some(Leaf::Delimited(sep)),
        ParamEncoding::Flattened => None,
    };
    if let Some(leaf) = leaf {
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
/// Zero parses here; a list check reports that lists start at 1.
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;

    fn params() -> Params {
        let text = r#"{"info":{"product":"Ecs","version":"1"},"apis":{"Op":{"parameters":[
            {"name":"ImageId","schema":{"type":"string"}},
            {"name":"SystemDisk","style":"flat","schema":{"type":"object","properties":{"Size":{"type":"integer"}}}},
            {"name":"SystemDisk.Category","schema":{"type":"string"}},
            {"name":"Tag","style":"repeatList","schema":{"type":"array","items":{"type":"object","properties":{"Key":{"type":"string"}}}}},
            {"name":"Matrix","style":"repeatList","schema":{"type":"array","items":{"type":"array","items":{"type":"string"}}}},
            {"name":"Labels","style":"flat","schema":{"type":"object"}},
            {"name":"Config","style":"json","schema":{"type":"object","properties":{"A":{"type":"string"}}}},
            {"name":"Ports","style":"simple","schema":{"type":"array","items":{"type":"integer"}}}]}}}"#;
        parse(text).unwrap().apis["Op"].params()
    }

    #[test]
    fn a_plain_name_is_its_parameter() {
        let params = params();
        let r = params.resolve("ImageId").unwrap();
        assert_eq!((r.param.name.as_str(), r.leaf), ("ImageId", Leaf::Scalar));
        assert!(r.steps.is_empty());
    }

    #[test]
    fn a_legacy_dotted_parameter_beats_the_object_sharing_its_prefix() {
        let params = params();
        assert_eq!(
            params.resolve("SystemDisk.Category").unwrap().param.name,
            "SystemDisk.Category"
        );
        let size = params.resolve("SystemDisk.Size").unwrap();
        assert_eq!(size.param.name, "SystemDisk");
        assert_eq!(size.steps, [Step::Field("Size")]);
    }

    #[test]
    fn list_items_and_their_fields_resolve_with_their_index() {
        let params = params();
        let key = params.resolve("Tag.2.Key").unwrap();
        assert_eq!(key.steps, [Step::Index(2), Step::Field("Key")]);
        assert_eq!(key.schema.kind.as_deref(), Some("string"));
        let cell = params.resolve("Matrix.1.3").unwrap();
        assert_eq!(cell.steps, [Step::Index(1), Step::Index(3)]);
    }

    #[test]
    fn a_list_or_object_sent_whole_is_malformed_and_says_the_wire_form() {
        let params = params();
        assert_eq!(
            params.resolve("Tag").unwrap_err(),
            Unresolved::Malformed("A list is sent as Name.N, counting from 1.".into())
        );
        assert_eq!(
            params.resolve("SystemDisk").unwrap_err(),
            Unresolved::Malformed("An object is sent as Name.Field.".into())
        );
        assert!(matches!(
            params.resolve("Tag.01.Key"),
            Err(Unresolved::Malformed(why)) if why.contains("\"01\" is not a list index")
        ));
    }

    #[test]
    fn free_form_objects_take_any_key_one_level_deep() {
        let params = params();
        assert_eq!(params.resolve("Labels.env").unwrap().leaf, Leaf::FreeForm);
        assert_eq!(
            params.resolve("Labels.env.x").unwrap_err(),
            Unresolved::Unknown
        );
    }

    #[test]
    fn json_and_delimited_parameters_are_one_value() {
        let params = params();
        assert_eq!(params.resolve("Config").unwrap().leaf, Leaf::Json);
        assert_eq!(params.resolve("Ports").unwrap().leaf, Leaf::Delimited(','));
        assert_eq!(params.resolve("Config.A").unwrap_err(), Unresolved::Unknown);
    }

    #[test]
    fn an_unknown_name_is_unknown() {
        assert_eq!(params().resolve("Nope.1").unwrap_err(), Unresolved::Unknown);
    }
}
