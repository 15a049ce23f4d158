//! An operation's parameters as the wire takes them: each name once, each
//! with the way its value is encoded (protocol.md, section 3).

use crate::{Api, Schema, Style};
use std::collections::HashMap;

/// One parameter of an operation.
#[derive(Debug, Clone)]
pub struct Param {
    pub name: String,
    pub style: Option<Style>,
    /// The first listing's schema; its `required` is [`Param::required`].
    pub schema: Schema,
    /// Whether any listing of the parameter says it is required.
    pub required: bool,
}

/// How a parameter's value is put on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamEncoding {
    /// `Name=v`, `Name.N=v`, `Name.Field=v`, recursively.
    Flattened,
    /// The whole value as one compact JSON string.
    Json,
    /// A list joined by one separator into one value.
    Delimited(char),
}

impl Style {
    /// The separator of a delimited style (`simple`, `spaceDelimited`,
    /// `pipeDelimited`).
    pub fn separator(self) -> Option<char> {
        match self {
            Style::Simple => Some(','),
            Style::SpaceDelimited => Some(' '),
            Style::PipeDelimited => Some('|'),
            Style::RepeatList | Style::Flat | Style::Json => None,
        }
    }
}

impl Param {
    /// `style: json` is one JSON string; a delimited style joins a list
    /// (a scalar under such a style is sent as it is); the rest flattens.
    pub fn encoding(&self) -> ParamEncoding {
        match self.style {
            Some(Style::Json) => ParamEncoding::Json,
            Some(style) if self.schema.kind.as_deref() == Some("array") => style
                .separator()
                .map_or(ParamEncoding::Flattened, ParamEncoding::Delimited),
            _ => ParamEncoding::Flattened,
        }
    }
}

/// The parameters of one operation, in metadata order, each name once.
#[derive(Debug, Clone, Default)]
pub struct Params {
    list: Vec<Param>,
    index: HashMap<String, usize>,
}

impl Params {
    /// The metadata lists some parameters twice: the first listing wins,
    /// and the parameter is required if any listing says so.
    pub fn of(api: &Api) -> Params {
        let mut params = Params::default();
        for p in &api.parameters {
            match params.index.get(&p.name) {
                Some(&i) => {
                    let first = &mut params.list[i];
                    first.required |= p.schema.is_required();
                    first.schema.required = Some(first.required);
                }
                None => {
                    params.index.insert(p.name.clone(), params.list.len());
                    params.list.push(Param {
                        name: p.name.clone(),
                        style: p.style,
                        schema: p.schema.clone(),
                        required: p.schema.is_required(),
                    });
                }
            }
        }
        params
    }

    pub fn get(&self, name: &str) -> Option<&Param> {
        self.index.get(name).map(|&i| &self.list[i])
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Param> {
        self.list.iter()
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

impl<'a> IntoIterator for &'a Params {
    type Item = &'a Param;
    type IntoIter = std::slice::Iter<'a, Param>;

    fn into_iter(self) -> Self::IntoIter {
        self.list.iter()
    }
}

impl Api {
    /// This operation's parameters, each name once (see [`Params::of`]).
    pub fn params(&self) -> Params {
        Params::of(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;

    fn api(params: &str) -> Api {
        let text = format!(
            r#"{{"info":{{"product":"Ecs","version":"1"}},"apis":{{"Op":{{"parameters":{params}}}}}}}"#
        );
        parse(&text).unwrap().apis.shift_remove("Op").unwrap()
    }

    #[test]
    fn a_parameter_listed_twice_appears_once_in_its_first_place() {
        let params = api(r#"[
            {"name":"RegionId","schema":{"type":"string"}},
            {"name":"ImageId","schema":{"type":"string"}},
            {"name":"RegionId","schema":{"type":"integer"}}]"#)
        .params();
        let names: Vec<&str> = params.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["RegionId", "ImageId"]);
        assert_eq!(
            params.get("RegionId").unwrap().schema.kind.as_deref(),
            Some("string")
        );
    }

    #[test]
    fn a_parameter_is_required_if_any_listing_says_so() {
        let params = api(r#"[
            {"name":"RegionId","schema":{"type":"string"}},
            {"name":"RegionId","schema":{"type":"string","required":true}}]"#)
        .params();
        assert!(params.get("RegionId").unwrap().required);
    }

    #[test]
    fn styles_name_their_encoding() {
        let params = api(r#"[
            {"name":"Ports","style":"simple","schema":{"type":"array","items":{"type":"integer"}}},
            {"name":"Words","style":"spaceDelimited","schema":{"type":"array","items":{"type":"string"}}},
            {"name":"Pipes","style":"pipeDelimited","schema":{"type":"array","items":{"type":"string"}}},
            {"name":"One","style":"simple","schema":{"type":"string"}},
            {"name":"Config","style":"json","schema":{"type":"object"}},
            {"name":"Tag","style":"repeatList","schema":{"type":"array","items":{"type":"string"}}},
            {"name":"Plain","schema":{"type":"string"}}]"#)
        .params();
        let encoding = |n: &str| params.get(n).unwrap().encoding();
        assert_eq!(encoding("Ports"), ParamEncoding::Delimited(','));
        assert_eq!(encoding("Words"), ParamEncoding::Delimited(' '));
        assert_eq!(encoding("Pipes"), ParamEncoding::Delimited('|'));
        assert_eq!(encoding("One"), ParamEncoding::Flattened);
        assert_eq!(encoding("Config"), ParamEncoding::Json);
        assert_eq!(encoding("Tag"), ParamEncoding::Flattened);
        assert_eq!(encoding("Plain"), ParamEncoding::Flattened);
    }
}
