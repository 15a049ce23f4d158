//! The intermediate representation: operations, their request and response
//! types, fields with wire names, kinds and Rust types, and the registry of
//! types several operations share. Built from the metadata model; every
//! later pass reads only this.
//!
//! - [`build`]: one operation at a time, with module-local type names.
//! - [`registry`]: types identical in name and shape across operations
//!   move to the shared `types` module, their docs merged.
//! - [`paging`]: how each operation pages, in its types' fields.
//! - [`waiters`]: the waiter table checked against the metadata and
//!   resolved to the types.

mod build;
mod paging;
mod registry;
mod waiters;

pub use build::build;
pub use paging::{Access, PageStyle, Paged, Paging};
pub use registry::REQUEST_ID_RESPONSE;
pub use waiters::{Waitable, Waiter};

use ecs_rs_metadata::Sample;
use std::fmt;

#[derive(Debug, Clone)]
pub struct Api {
    pub product: String,
    pub version: String,
    /// Sorted by wire name.
    pub operations: Vec<Operation>,
    /// In metadata order; every operation is in exactly one feature.
    pub features: Vec<Feature>,
    pub endpoints: Vec<(String, String)>,
    /// Types defined once in the `types` module, sorted by name.
    pub shared: Vec<Shared>,
    /// In the table's order.
    pub waiters: Vec<Waiter>,
}

impl Api {
    pub fn shared(&self, name: &str) -> Option<&Shared> {
        self.shared
            .binary_search_by(|s| s.def.name().cmp(name))
            .ok()
            .map(|i| &self.shared[i])
    }

    /// The definition of the type `name` as seen from `scope`, and the
    /// scope its own field types are named in.
    pub fn lookup<'a>(&'a self, scope: Scope<'a>, name: &str) -> Option<(&'a TypeDef, Scope<'a>)> {
        match scope {
            Scope::Shared => self.shared(name).map(|s| (&s.def, Scope::Shared)),
            Scope::Operation(op) => match op.types.iter().find(|t| t.name() == name) {
                Some(def) => Some((def, scope)),
                None => {
                    let import = op.imports.iter().find(|i| i.local == name)?;
                    self.shared(&import.shared).map(|s| (&s.def, Scope::Shared))
                }
            },
        }
    }
}

/// Where a type name is looked up: an operation's module (its own types and
/// the shared ones it re-exports) or the `types` module.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    Operation(&'a Operation),
    Shared,
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
    /// Types this module defines, request side first, in discovery order.
    pub types: Vec<TypeDef>,
    /// Shared types this module re-exports, sorted.
    pub imports: Vec<Import>,
    pub paging: Paging,
    /// How waiters poll it, if any does.
    pub waitable: Option<Waitable>,
}

impl Operation {
    /// A type this module defines.
    pub fn get(&self, name: &str) -> Option<&TypeDef> {
        self.types.iter().find(|t| t.name() == name)
    }
}

/// A shared type as an operation module re-exports it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Import {
    /// Its name in `types`.
    pub shared: String,
    /// Its name in the operation's module.
    pub local: String,
}

/// A type defined once in `types` for the operations that use it.
#[derive(Debug, Clone)]
pub struct Shared {
    /// Field types name other shared types by their `types` names.
    pub def: TypeDef,
    /// Wire names, sorted.
    pub operations: Vec<String>,
    /// The Cargo features of those operations, sorted.
    pub features: Vec<String>,
}

/// Which way a type travels: in requests (built by the caller, serialized
/// to query parameters), in responses (decoded), or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Request,
    Response,
    Both,
}

impl Side {
    pub fn in_requests(self) -> bool {
        self != Side::Response
    }

    pub fn in_responses(self) -> bool {
        self != Side::Request
    }

    fn join(self, other: Side) -> Side {
        if self == other {
            self
        } else {
            Side::Both
        }
    }
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

    pub fn side(&self) -> Side {
        match self {
            TypeDef::Struct(s) => s.side,
            TypeDef::Enum(e) => e.side,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    pub name: String,
    pub side: Side,
    pub doc: Doc,
    pub fields: Vec<Field>,
}

impl Struct {
    pub fn required_fields(&self) -> impl Iterator<Item = &Field> {
        self.fields.iter().filter(|f| f.kind == Kind::Required)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Enum {
    pub name: String,
    pub side: Side,
    /// (wire value, variant name)
    pub values: Vec<(String, String)>,
}

/// Documentation as the metadata words it, per operation: one variant
/// for a type of one operation, the distinct wordings of a shared type.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Doc {
    pub variants: Vec<DocVariant>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DocVariant {
    pub text: String,
    /// Wire names of the operations that word it so, in order.
    pub operations: Vec<String>,
}

impl Doc {
    /// `text` as `operation` words it; blank text is no doc.
    pub fn of(text: Option<&str>, operation: &str) -> Doc {
        let mut doc = Doc::default();
        if let Some(text) = text {
            doc.add(text, operation);
        }
        doc
    }

    pub fn is_empty(&self) -> bool {
        self.variants.is_empty()
    }

    /// Records that `operation` words this doc as `text`.
    pub fn add(&mut self, text: &str, operation: &str) {
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        match self.variants.iter_mut().find(|v| v.text == text) {
            Some(v) => {
                if !v.operations.iter().any(|o| o == operation) {
                    v.operations.push(operation.to_string());
                }
            }
            None => self.variants.push(DocVariant {
                text: text.to_string(),
                operations: vec![operation.to_string()],
            }),
        }
    }

    pub fn merge(&mut self, other: &Doc) {
        for v in &other.variants {
            for op in &v.operations {
                self.add(&v.text, op);
            }
        }
    }
}

/// How a field is declared and when it is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `T`: an argument of `new`, always sent.
    Required,
    /// `Option<T>`: sent when `Some`.
    Optional,
    /// `Vec<T>`: sent when not empty. (A list sent as JSON is `Optional`:
    /// an empty JSON list is a filter that matches nothing.)
    List,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub wire: String,
    pub rust: String,
    pub ty: Ty,
    pub kind: Kind,
    pub deprecated: bool,
    pub doc: Doc,
    pub encoding: Encoding,
    /// A value the metadata calls valid (for lists: for one item).
    pub sample: FieldSample,
}

impl Field {
    /// The field's Rust type as declared: `T`, `Option<T>` or `Vec<T>`.
    pub fn declared(&self) -> String {
        match self.kind {
            Kind::Required | Kind::List => self.ty.to_string(),
            Kind::Optional => format!("Option<{}>", self.ty),
        }
    }
}

/// What the metadata offers as a valid value for a field.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldSample {
    Scalar(Sample),
    Json(serde_json::Value),
    /// Objects: built from their own fields.
    Nested,
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

    /// The named type inside, if any (`Tag` in `Vec<Tag>`).
    pub fn named(&self) -> Option<&str> {
        match self {
            Ty::Named(n) => Some(n),
            Ty::List(inner) => inner.named(),
            _ => None,
        }
    }
}

/// The Rust spelling of the type.
impl fmt::Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ty::String => f.write_str("String"),
            Ty::I32 => f.write_str("i32"),
            Ty::I64 => f.write_str("i64"),
            Ty::F64 => f.write_str("f64"),
            Ty::Bool => f.write_str("bool"),
            Ty::Any => f.write_str("serde_json::Value"),
            Ty::Named(n) => f.write_str(n),
            Ty::List(inner) => write!(f, "Vec<{inner}>"),
        }
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
