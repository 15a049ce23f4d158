//! Pass one: each operation on its own, its types named within its module.

use super::{
    paging, registry, waiters, Api, Doc, Encoding, Enum, Feature, Field, FieldSample, Kind,
    Operation, Region, Side, Struct, Ty, TypeDef,
};
use crate::{groups, naming, CodegenError, Settings};
use ecs_rs_metadata::{is_read_only, ApiDocs, ParamEncoding, Schema};
use std::collections::{BTreeMap, BTreeSet};

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
    for (op, _) in settings.item_lists {
        if !docs.apis.contains_key(*op) {
            return Err(CodegenError::new(
                op,
                "",
                "an item list is chosen for it, but the metadata has no such operation".into(),
            ));
        }
    }
    let mut names: Vec<&String> = docs.apis.keys().collect();
    names.sort();
    let mut operations = Vec::with_capacity(names.len());
    let mut modules: BTreeMap<String, &str> = BTreeMap::new();
    for name in names {
        let op = operation(docs, name, feature_of[name.as_str()], settings)?;
        if RESERVED_MODULES.contains(&op.module.as_str()) {
            return Err(CodegenError::new(
                name,
                "",
                format!(
                    "its module `{}` is a name the crate keeps for itself",
                    op.module
                ),
            ));
        }
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
    let shared = registry::share(&mut operations)?;
    let mut api = Api {
        product: docs.info.product.clone(),
        version: docs.info.version.clone(),
        operations,
        features,
        endpoints: docs
            .endpoints
            .iter()
            .map(|e| (e.region_id.clone(), e.endpoint.clone()))
            .collect(),
        shared,
        waiters: Vec::new(),
    };
    let (waiters, mut waitables) = waiters::resolve(docs, &api, settings.waiters)?;
    for op in &mut api.operations {
        op.waitable = waitables.remove(&op.wire);
    }
    api.waiters = waiters;
    Ok(api)
}

/// Module names of the generated crate that are not operations.
const RESERVED_MODULES: &[&str] = &["types", "waiters", "paginators"];

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
        settings,
    };

    let params = api.params();
    let region = match params.get("RegionId") {
        None => Region::None,
        Some(p) if p.required => Region::Required,
        Some(_) => Region::Optional,
    };
    let client_token = params.get("ClientToken").is_some();
    let entries: Vec<Entry> = params
        .iter()
        .map(|p| Entry {
            wire: &p.name,
            encoding: p.encoding(),
            schema: &p.schema,
            // The client fills these two when the caller leaves them unset.
            required: p.required && p.name != "RegionId" && p.name != "ClientToken",
        })
        .collect();
    cx.struct_def(
        &request,
        &request,
        Side::Request,
        Doc::default(),
        &entries,
        &request,
    )?;

    let empty = Schema::default();
    let root = api.success_schema().unwrap_or(&empty);
    let entries: Vec<Entry> = root
        .properties
        .iter()
        .flatten()
        .map(|(name, schema)| Entry::nested(name, schema))
        .collect();
    let doc = Doc::of(root.description.as_deref(), wire);
    let response = cx.struct_def(
        &response,
        &response,
        Side::Response,
        doc,
        &entries,
        &response,
    )?;
    let list = settings
        .item_lists
        .iter()
        .find(|(op, _)| *op == wire)
        .map(|(_, list)| *list);
    let paging = paging::resolve(wire, api, list, &response, &cx.types)?;

    Ok(Operation {
        wire: wire.to_string(),
        module: naming::module_name(wire),
        const_name: naming::const_name(wire),
        feature: feature.to_string(),
        deprecated: api.is_deprecated(),
        read_only: is_read_only(wire),
        client_token,
        region,
        title: api.title.clone(),
        summary: api.summary.clone(),
        description: api.description.clone(),
        request,
        response,
        types: cx.types,
        imports: Vec::new(),
        paging,
        waitable: None,
    })
}

/// A field to be: a parameter or an object property.
struct Entry<'a> {
    wire: &'a str,
    encoding: ParamEncoding,
    schema: &'a Schema,
    required: bool,
}

impl<'a> Entry<'a> {
    fn nested(wire: &'a str, schema: &'a Schema) -> Entry<'a> {
        Entry {
            wire,
            encoding: ParamEncoding::Flattened,
            schema,
            required: schema.is_required(),
        }
    }
}

struct TypeBuilder<'a> {
    op: &'a str,
    types: Vec<TypeDef>,
    reserved: BTreeSet<String>,
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
        doc: Doc,
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
            let texts = field_doc(entry.schema, side == Side::Response);
            let (ty, encoding) = self.field_type(entry, side, name, &field_path, &texts)?;
            let text = (!texts.is_empty()).then(|| texts.join("\n\n"));
            let required = side == Side::Request && entry.required;
            let kind = if required {
                Kind::Required
            } else if ty.is_list() && encoding != Encoding::Json {
                Kind::List
            } else {
                Kind::Optional
            };
            let sample = self.sample(entry, &ty, &encoding);
            fields.push(Field {
                wire: entry.wire.to_string(),
                rust,
                ty,
                kind,
                deprecated: entry.schema.is_deprecated(),
                doc: Doc::of(text.as_deref(), self.op),
                encoding,
                sample,
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
        doc: &[&str],
    ) -> Result<(Ty, Encoding), CodegenError> {
        let schema = entry.schema;
        match entry.encoding {
            ParamEncoding::Json => {
                let ty = self.ty(schema, entry.wire, side, parent, path, doc)?;
                return Ok((ty, Encoding::Json));
            }
            ParamEncoding::Delimited(sep) => {
                let ty = self.ty(schema, entry.wire, side, parent, path, doc)?;
                return Ok((ty, Encoding::Delimited(sep)));
            }
            ParamEncoding::Flattened => {}
        }
        if side == Side::Request && self.settings.json_string_lists && schema.is_json_list_string()
        {
            return Ok((Ty::List(Box::new(Ty::String)), Encoding::Json));
        }
        if side == Side::Response {
            if let Some((key, items)) = schema.list_wrapper() {
                let untyped = Schema::default();
                let items = items.unwrap_or(&untyped);
                let item_path = format!("{path}.{key}[]");
                let item = self.ty(items, key, side, parent, &item_path, doc)?;
                return Ok((Ty::List(Box::new(item)), Encoding::Wrapped(key.to_string())));
            }
        }
        Ok((
            self.ty(schema, entry.wire, side, parent, path, doc)?,
            Encoding::Plain,
        ))
    }

    /// A valid value for the field, from the schema of one item.
    fn sample(&self, entry: &Entry, ty: &Ty, encoding: &Encoding) -> FieldSample {
        let mut item = entry.schema;
        if let (Encoding::Wrapped(_), Some((_, Some(items)))) =
            (encoding, entry.schema.list_wrapper())
        {
            item = items;
        }
        while item.kind.as_deref() == Some("array") {
            match item.items.as_deref() {
                Some(items) => item = items,
                None => break,
            }
        }
        let mut inner = ty;
        while let Ty::List(t) = inner {
            inner = t;
        }
        match inner {
            Ty::Named(name) if matches!(self.get(name), Some(TypeDef::Struct(_))) => {
                FieldSample::Nested
            }
            Ty::Any => FieldSample::Json(item.json_sample()),
            Ty::String if ty.is_list() && entry.schema.is_json_list_string() => {
                FieldSample::Scalar(ecs_rs_metadata::Sample::Text(
                    entry.schema.json_list_item_sample(),
                ))
            }
            _ => FieldSample::Scalar(item.sample()),
        }
    }

    fn get(&self, name: &str) -> Option<&TypeDef> {
        self.types.iter().find(|t| t.name() == name)
    }

    /// `doc` is the doc of the field this type is for; an object whose
    /// own description says the same has it only there.
    fn ty(
        &mut self,
        schema: &Schema,
        hint: &str,
        side: Side,
        parent: &str,
        path: &str,
        doc: &[&str],
    ) -> Result<Ty, CodegenError> {
        Ok(match schema.kind.as_deref() {
            Some("string") => match schema.string_enum() {
                Some(values) => Ty::Named(self.enum_def(values, hint, side, parent, path)?),
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
                let item_path = format!("{path}[]");
                Ty::List(Box::new(
                    self.ty(items, hint, side, parent, &item_path, doc)?,
                ))
            }
            Some("object") => match schema.properties.as_ref().filter(|p| !p.is_empty()) {
                None => Ty::Any,
                Some(props) => {
                    let entries: Vec<Entry> = props
                        .iter()
                        .map(|(wire, s)| Entry::nested(wire, s))
                        .collect();
                    let name = self.pick_name(hint, parent, path)?;
                    self.reserved.insert(name.clone());
                    let own = schema
                        .description
                        .as_deref()
                        .filter(|d| !doc.contains(&d.trim()));
                    let doc = Doc::of(own, self.op);
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
    /// A reused type keeps the docs of both places.
    fn register(&mut self, def: TypeDef, name: &str, base: &str) -> String {
        if let Some(same) = self
            .types
            .iter_mut()
            .find(|t| registry::same_shape(t, &def) && t.name().ends_with(base))
        {
            if let (TypeDef::Struct(kept), TypeDef::Struct(new)) = (&mut *same, &def) {
                kept.doc.merge(&new.doc);
                for (k, n) in kept.fields.iter_mut().zip(&new.fields) {
                    k.doc.merge(&n.doc);
                }
            }
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

/// A field's doc: its schema's description, then those of the wrapper
/// (in responses) and list layers below it down to the item (an object's
/// description is its type's doc), each distinct text once.
fn field_doc(schema: &Schema, in_response: bool) -> Vec<&str> {
    fn add<'a>(texts: &mut Vec<&'a str>, text: Option<&'a str>) {
        if let Some(t) = text.map(str::trim).filter(|t| !t.is_empty()) {
            if !texts.contains(&t) {
                texts.push(t);
            }
        }
    }
    let mut texts = Vec::new();
    add(
        &mut texts,
        schema.description.as_deref().or(schema.title.as_deref()),
    );
    let mut node = schema;
    if let (true, Some((key, _))) = (in_response, schema.list_wrapper()) {
        if let Some(inner) = schema.properties.as_ref().and_then(|p| p.get(key)) {
            add(&mut texts, inner.description.as_deref());
            node = inner;
        }
    }
    while node.kind.as_deref() == Some("array") {
        let Some(items) = node.items.as_deref() else {
            break;
        };
        if items.properties.as_ref().is_some_and(|p| !p.is_empty()) {
            break;
        }
        add(&mut texts, items.description.as_deref());
        node = items;
    }
    texts
}
