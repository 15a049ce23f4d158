//! The intermediate representation: operations, their request and response
//! types, and fields with wire names and Rust types. Built from the
//! metadata model; every later pass reads only this.

use crate::{groups, naming, CodegenError, Settings};
use ecs_rs_metadata::{ApiDocs, Schema, Style};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone)]
pub struct Api {
    pub product: String,
    pub version: String,
    /// Sorted by wire name.
    pub operations: Vec<Operation>,
    /// In metadata order; every operation is in exactly one feature.
    pub features: Vec<Feature>,
    pub endpoints: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct Feature {
    pub name: String,
    pub title: String,
    pub operations: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Region {
    None,
    Optional,
    Required,
}

#[derive(Debug, Clone)]
pub struct Operation {
    pub wire: String,
    pub module: String,
    pub const_name: String,
    pub feature: String,
    pub deprecated: bool,
    pub read_only: bool,
    pub client_token: bool,
    pub region: Region,
    pub title: Option<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub request: String,
    pub response: String,
    /// Module-local types, request side first, in discovery order.
    pub types: Vec<TypeDef>,
    /// Wire name -> marker type name of the keys inside one-list wrapper
    /// objects (`Instance` in `{"Instances": {"Instance": [..]}}`).
    pub wrapper_keys: BTreeMap<String, String>,
}

impl Operation {
    pub fn get(&self, name: &str) -> Option<&TypeDef> {
        self.types.iter().find(|t| t.name() == name)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Request,
    Response,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeDef {
    Struct(Struct),
    Enum(Enum),
}

impl TypeDef {
    pub fn name(&self) -> &str {
        match self {
            TypeDef::Struct(s) => &s.name,
            TypeDef::Enum(e) => &e.name,
        }
    }

    /// Same wire shape, ignoring names and docs.
    fn same_shape(&self, other: &TypeDef) -> bool {
        match (self, other) {
            (TypeDef::Struct(a), TypeDef::Struct(b)) => {
                a.side == b.side
                    && a.fields.len() == b.fields.len()
                    && a.fields.iter().zip(&b.fields).all(|(x, y)| {
                        x.wire == y.wire
                            && x.ty == y.ty
                            && x.required == y.required
                            && x.encoding == y.encoding
                    })
            }
            (TypeDef::Enum(a), TypeDef::Enum(b)) => a.side == b.side && a.values == b.values,
            _ => false,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    pub name: String,
    pub side: Side,
    pub doc: Option<String>,
    pub fields: Vec<Field>,
}

impl Struct {
    pub fn required_fields(&self) -> impl Iterator<Item = &Field> {
        self.fields.iter().filter(|f| f.required)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Enum {
    pub name: String,
    pub side: Side,
    pub doc: Option<String>,
    /// (wire value, variant name)
    pub values: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub wire: String,
    pub rust: String,
    pub ty: Ty,
    /// Required request fields are constructor arguments and not `Option`.
    pub required: bool,
    pub deprecated: bool,
    pub doc: Option<String>,
    pub encoding: Encoding,
    /// What the metadata says a valid value looks like (for lists: an item).
    pub sample: Sample,
}

/// A field's example and limits, from the metadata.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sample {
    pub example: Option<String>,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub max_length: Option<u64>,
}

impl Sample {
    fn of(schema: &Schema) -> Sample {
        let item = match schema.kind.as_deref() {
            Some("array") => schema.items.as_deref().unwrap_or(schema),
            _ => schema,
        };
        Sample {
            example: item.example_text().or_else(|| schema.example_text()),
            minimum: item.minimum_f64(),
            maximum: item.maximum_f64(),
            max_length: item.max_length_u64(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
    String,
    I32,
    I64,
    F64,
    Bool,
    /// Free-form JSON (`object` without properties).
    Any,
    Named(String),
    List(Box<Ty>),
}

impl Ty {
    pub fn is_list(&self) -> bool {
        matches!(self, Ty::List(_))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Encoding {
    /// Flattened by the query serializer / read as JSON of the declared shape.
    Plain,
    /// One compact JSON string on the wire.
    Json,
    /// A list joined by one separator (`simple`, `spaceDelimited`, `pipeDelimited`).
    Delimited(char),
    /// A response list inside `{key: [...]}`.
    Wrapped(String),
}

const READ_ONLY_PREFIXES: &[&str] = &["Describe", "List", "Query", "Get"];

pub fn build(docs: &ApiDocs, settings: &Settings) -> Result<Api, CodegenError> {
    let features = features(docs);
    let feature_of: BTreeMap<&str, &str> = features
        .iter()
        .flat_map(|f| {
            f.operations
                .iter()
                .map(move |op| (op.as_str(), f.name.as_str()))
        })
        .collect();
    let mut names: Vec<&String> = docs.apis.keys().collect();
    names.sort();
    let mut operations = Vec::with_capacity(names.len());
    let mut modules: BTreeMap<String, &str> = BTreeMap::new();
    for name in names {
        let op = operation(docs, name, feature_of[name.as_str()], settings)?;
        if let Some(other) = modules.insert(op.module.clone(), name) {
            return Err(CodegenError::new(
                name,
                "",
                format!(
                    "operations `{other}` and `{name}` map to the same module `{}`",
                    op.module
                ),
            ));
        }
        operations.push(op);
    }
    Ok(Api {
        product: docs.info.product.clone(),
        version: docs.info.version.clone(),
        operations,
        features,
        endpoints: docs
            .endpoints
            .iter()
            .map(|e| (e.region_id.clone(), e.endpoint.clone()))
            .collect(),
    })
}

/// Features from the directories; an operation listed twice stays in its
/// first group, one listed nowhere goes to [`groups::UNGROUPED`].
fn features(docs: &ApiDocs) -> Vec<Feature> {
    let mut placed = BTreeSet::new();
    let mut out: Vec<Feature> = Vec::new();
    for dir in &docs.directories {
        let name = groups::feature_for(dir);
        let ops: Vec<String> = dir
            .children
            .iter()
            .filter(|c| docs.apis.contains_key(*c) && placed.insert((*c).clone()))
            .cloned()
            .collect();
        match out.iter_mut().find(|f| f.name == name) {
            Some(f) => f.operations.extend(ops),
            None => out.push(Feature {
                name,
                title: dir.title.clone(),
                operations: ops,
            }),
        }
    }
    let rest: Vec<String> = docs
        .apis
        .keys()
        .filter(|k| !placed.contains(*k))
        .cloned()
        .collect();
    if !rest.is_empty() {
        out.push(Feature {
            name: groups::UNGROUPED.into(),
            title: "Operations no directory lists".into(),
            operations: rest,
        });
    }
    out.retain(|f| !f.operations.is_empty());
    out
}

fn operation(
    docs: &ApiDocs,
    wire: &str,
    feature: &str,
    settings: &Settings,
) -> Result<Operation, CodegenError> {
    let api = &docs.apis[wire];
    let request = format!("{}Request", naming::type_name(wire));
    let response = format!("{}Response", naming::type_name(wire));
    let mut cx = TypeBuilder {
        op: wire,
        types: Vec::new(),
        reserved: [request.clone(), response.clone()].into(),
        wrapper_keys: BTreeSet::new(),
        settings,
    };

    // The first of duplicated parameters wins; `required` if any says so.
    let mut params: Vec<(String, Option<Style>, Schema)> = Vec::new();
    for p in &api.parameters {
        match params.iter_mut().find(|(n, _, _)| *n == p.name) {
            Some((_, _, s)) => s.required = Some(s.is_required() || p.schema.is_required()),
            None => params.push((p.name.clone(), p.style, p.schema.clone())),
        }
    }
    let region = match params.iter().find(|(n, _, _)| n == "RegionId") {
        None => Region::None,
        Some((_, _, s)) if s.is_required() => Region::Required,
        Some(_) => Region::Optional,
    };
    let client_token = params.iter().any(|(n, _, _)| n == "ClientToken");
    let entries: Vec<Entry> = params
        .iter()
        .map(|(name, style, schema)| Entry {
            wire: name,
            style: *style,
            schema,
            // The client fills these two when the caller leaves them unset.
            required: schema.is_required() && name != "RegionId" && name != "ClientToken",
        })
        .collect();
    cx.struct_def(
        &request,
        &request,
        Side::Request,
        api.summary.clone(),
        &entries,
        &request,
    )?;

    let empty = Schema::default();
    let root = api.success_schema().unwrap_or(&empty);
    let props: Vec<(&String, &Schema)> = root.properties.iter().flatten().collect();
    let entries: Vec<Entry> = props
        .iter()
        .map(|(name, schema)| Entry {
            wire: name,
            style: None,
            schema,
            required: false,
        })
        .collect();
    cx.struct_def(
        &response,
        &response,
        Side::Response,
        root.description.clone(),
        &entries,
        &response,
    )?;

    Ok(Operation {
        wire: wire.to_string(),
        module: naming::module_name(wire),
        const_name: naming::const_name(wire),
        feature: feature.to_string(),
        deprecated: api.is_deprecated(),
        read_only: READ_ONLY_PREFIXES.iter().any(|p| wire.starts_with(p)),
        client_token,
        region,
        title: api.title.clone(),
        summary: api.summary.clone(),
        description: api.description.clone(),
        request,
        response,
        types: cx.types,
        wrapper_keys: key_types(wire, cx.wrapper_keys)?,
    })
}

struct Entry<'a> {
    wire: &'a str,
    style: Option<Style>,
    schema: &'a Schema,
    required: bool,
}

struct TypeBuilder<'a> {
    op: &'a str,
    types: Vec<TypeDef>,
    reserved: BTreeSet<String>,
    wrapper_keys: BTreeSet<String>,
    settings: &'a Settings,
}

impl TypeBuilder<'_> {
    /// Adds a struct named `name` (already reserved for the request and
    /// response roots) and returns the name it got.
    fn struct_def(
        &mut self,
        name: &str,
        base: &str,
        side: Side,
        doc: Option<String>,
        entries: &[Entry],
        path: &str,
    ) -> Result<String, CodegenError> {
        let wires: Vec<&str> = entries.iter().map(|e| e.wire).collect();
        let rust = naming::field_names(&wires).map_err(|c| {
            CodegenError::new(
                self.op,
                &format!("{path}.{}", c.second),
                format!(
                    "`{}` and `{}` both name the field `{}`",
                    c.first, c.second, c.rust
                ),
            )
        })?;
        let mut fields = Vec::with_capacity(entries.len());
        for (entry, rust) in entries.iter().zip(rust) {
            let field_path = format!("{path}.{}", entry.wire);
            let (ty, encoding) = self.field_type(entry, side, name, &field_path)?;
            fields.push(Field {
                wire: entry.wire.to_string(),
                rust,
                ty,
                required: side == Side::Request && entry.required,
                deprecated: entry.schema.is_deprecated(),
                doc: entry
                    .schema
                    .description
                    .clone()
                    .or_else(|| entry.schema.title.clone()),
                encoding,
                sample: Sample::of(entry.schema),
            });
        }
        let def = TypeDef::Struct(Struct {
            name: name.to_string(),
            side,
            doc,
            fields,
        });
        Ok(self.register(def, name, base))
    }

    fn field_type(
        &mut self,
        entry: &Entry,
        side: Side,
        parent: &str,
        path: &str,
    ) -> Result<(Ty, Encoding), CodegenError> {
        let schema = entry.schema;
        match entry.style {
            Some(Style::Json) => {
                let ty = self.ty(schema, entry.wire, side, parent, path)?;
                return Ok((ty, Encoding::Json));
            }
            Some(style @ (Style::Simple | Style::SpaceDelimited | Style::PipeDelimited))
                if schema.kind.as_deref() == Some("array") =>
            {
                let ty = self.ty(schema, entry.wire, side, parent, path)?;
                let sep = match style {
                    Style::Simple => ',',
                    Style::SpaceDelimited => ' ',
                    _ => '|',
                };
                return Ok((ty, Encoding::Delimited(sep)));
            }
            _ => {}
        }
        if side == Side::Request && self.settings.json_string_lists && is_json_list_string(schema) {
            return Ok((Ty::List(Box::new(Ty::String)), Encoding::Json));
        }
        if side == Side::Response {
            if let Some((key, items)) = one_list_wrapper(schema) {
                self.wrapper_keys.insert(key.to_string());
                let untyped = Schema::default();
                let items = items.unwrap_or(&untyped);
                let item = self.ty(items, key, side, parent, &format!("{path}.{key}[]"))?;
                return Ok((Ty::List(Box::new(item)), Encoding::Wrapped(key.to_string())));
            }
        }
        Ok((
            self.ty(schema, entry.wire, side, parent, path)?,
            Encoding::Plain,
        ))
    }

    fn ty(
        &mut self,
        schema: &Schema,
        hint: &str,
        side: Side,
        parent: &str,
        path: &str,
    ) -> Result<Ty, CodegenError> {
        Ok(match schema.kind.as_deref() {
            Some("string") => match string_enum(schema) {
                Some(values) => Ty::Named(self.enum_def(schema, values, hint, side, parent, path)?),
                None => Ty::String,
            },
            Some("integer") => match schema.format.as_deref() {
                Some("int32") => Ty::I32,
                _ => Ty::I64,
            },
            Some("number") => Ty::F64,
            Some("boolean") => Ty::Bool,
            Some("array") => {
                let empty = Schema::default();
                let items = schema.items.as_deref().unwrap_or(&empty);
                Ty::List(Box::new(self.ty(
                    items,
                    hint,
                    side,
                    parent,
                    &format!("{path}[]"),
                )?))
            }
            Some("object") => match schema.properties.as_ref().filter(|p| !p.is_empty()) {
                None => Ty::Any,
                Some(props) => {
                    let entries: Vec<Entry> = props
                        .iter()
                        .map(|(wire, s)| Entry {
                            wire,
                            style: None,
                            schema: s,
                            required: s.is_required(),
                        })
                        .collect();
                    let name = self.pick_name(hint, parent, path)?;
                    self.reserved.insert(name.clone());
                    let doc = schema.description.clone();
                    let base = naming::type_name(hint);
                    let got = self.struct_def(&name, &base, side, doc, &entries, path)?;
                    Ty::Named(got)
                }
            },
            None => Ty::Any,
            Some(other) => {
                return Err(CodegenError::new(
                    self.op,
                    path,
                    format!("unsupported schema type `{other}`"),
                ))
            }
        })
    }

    fn enum_def(
        &mut self,
        schema: &Schema,
        values: Vec<String>,
        hint: &str,
        side: Side,
        parent: &str,
        path: &str,
    ) -> Result<String, CodegenError> {
        let mut unique: Vec<&str> = Vec::new();
        for value in &values {
            if !unique.contains(&value.as_str()) {
                unique.push(value);
            }
        }
        let names = naming::variant_names(&unique).map_err(|c| {
            CodegenError::new(
                self.op,
                path,
                format!(
                    "enum values `{}` and `{}` both name the variant `{}`",
                    c.first, c.second, c.rust
                ),
            )
        })?;
        let variants: Vec<(String, String)> =
            unique.iter().map(|v| v.to_string()).zip(names).collect();
        let name = self.pick_name(hint, parent, path)?;
        self.reserved.insert(name.clone());
        let def = TypeDef::Enum(Enum {
            name: name.clone(),
            side,
            doc: schema.description.clone(),
            values: variants,
        });
        Ok(self.register(def, &name, &naming::type_name(hint)))
    }

    /// A free name for a new type: the hint, else the hint under its parent.
    fn pick_name(&self, hint: &str, parent: &str, path: &str) -> Result<String, CodegenError> {
        let base = naming::type_name(hint);
        let mut candidates = vec![base.clone(), format!("{parent}{base}")];
        candidates.extend((2..).take(50).map(|n| format!("{parent}{base}{n}")));
        candidates
            .into_iter()
            .find(|c| !self.reserved.contains(c))
            .ok_or_else(|| {
                CodegenError::new(
                    self.op,
                    path,
                    format!("more than fifty types compete for the name `{base}`"),
                )
            })
    }

    /// Adds `def`, or reuses an earlier type of the same shape whose name
    /// ends with the same base (`Tag`, `InstanceTag`), so a reader finds a
    /// type under the name its field suggests; returns the name to use.
    fn register(&mut self, def: TypeDef, name: &str, base: &str) -> String {
        if let Some(same) = self
            .types
            .iter()
            .find(|t| t.same_shape(&def) && t.name().ends_with(base))
        {
            let reused = same.name().to_string();
            if reused != name {
                self.reserved.remove(name);
            }
            return reused;
        }
        self.types.push(def);
        name.to_string()
    }
}

fn string_enum(schema: &Schema) -> Option<Vec<String>> {
    let values = schema.enum_values.as_ref()?;
    let strings: Vec<String> = values
        .iter()
        .filter_map(|v| v.as_str().map(String::from))
        .collect();
    (!strings.is_empty() && strings.len() == values.len()).then_some(strings)
}

/// `{"Instances": {"Instance": [...]}}`: an object whose only property is a list.
fn one_list_wrapper(schema: &Schema) -> Option<(&str, Option<&Schema>)> {
    if schema.kind.as_deref() != Some("object") {
        return None;
    }
    let props = schema.properties.as_ref()?;
    if props.len() != 1 {
        return None;
    }
    let (key, inner) = props.iter().next()?;
    if inner.kind.as_deref() != Some("array") {
        return None;
    }
    Some((key.as_str(), inner.items.as_deref()))
}

/// A `string` parameter that carries a JSON array (`InstanceIds` of
/// DescribeInstances): its example is a bracketed list.
fn is_json_list_string(schema: &Schema) -> bool {
    schema.kind.as_deref() == Some("string")
        && schema
            .example_text()
            .is_some_and(|e| e.trim_start().starts_with('[') && e.trim_end().ends_with(']'))
}

/// Marker type names for wrapper keys, told apart like enum variants when
/// keys differ only by case (`Tag`, `tag`).
fn key_types(op: &str, keys: BTreeSet<String>) -> Result<BTreeMap<String, String>, CodegenError> {
    let wires: Vec<&str> = keys.iter().map(String::as_str).collect();
    let names = naming::type_names(&wires).map_err(|c| {
        CodegenError::new(
            op,
            &c.second,
            format!(
                "wrapper keys `{}` and `{}` both name the type `{}`",
                c.first, c.second, c.rust
            ),
        )
    })?;
    Ok(keys.into_iter().zip(names).collect())
}
