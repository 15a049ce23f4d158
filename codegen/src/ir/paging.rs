//! Paging facts in the generated types' terms: the metadata crate's rule
//! ([`ecs_rs_metadata::Api::paging`]) says whether and how an operation
//! pages; this pass finds the Rust fields that hold its item list and
//! paging fields, and the item type, within the operation's own types.

use super::{Encoding, Kind, Struct, Ty, TypeDef};
use crate::CodegenError;
use ecs_rs_metadata::paging::{FieldPath, ItemList, MaxFrom, Paging as Rule};
use ecs_rs_metadata::Api as ApiDoc;

pub use ecs_rs_metadata::paging::PageStyle;

/// Whether and how an operation pages.
#[derive(Debug, Clone, PartialEq)]
pub enum Paging {
    /// Takes no paging parameters.
    None,
    /// Boxed: most operations do not page.
    Paged(Box<Paged>),
    /// Takes paging parameters but cannot be paged: why (reported by regen).
    Incomplete(String),
}

impl Paging {
    pub fn paged(&self) -> Option<&Paged> {
        match self {
            Paging::Paged(p) => Some(p.as_ref()),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Paged {
    pub style: PageStyle,
    pub both_styles: bool,
    /// The page-size parameter and its maximum.
    pub size: Option<(String, u32)>,
    /// Where the maximum was read, when there is a size parameter.
    pub max_from: Option<MaxFrom>,
    /// The item list in wire terms: `Instances.Instance[]`.
    pub items_path: String,
    /// Whether [`crate::lists`] chose the list.
    pub chosen: bool,
    /// The item type as the operation's module names it.
    pub item: Ty,
    /// The Rust fields from the answer to the item list.
    pub items: Access,
    pub next_token: Option<Access>,
    pub total_count: Option<Access>,
    pub page_number: Option<Access>,
    pub page_size: Option<Access>,
}

/// Rust field names from the answer's root to a field; all but the last
/// are `Option<struct>` fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access(pub Vec<String>);

/// The paging of operation `op` (`api` in the metadata; its response type
/// `response` among `types`), with `list` naming the item list where the
/// answer has several.
pub(super) fn resolve(
    op: &str,
    api: &ApiDoc,
    list: Option<&str>,
    response: &str,
    types: &[TypeDef],
) -> Result<Paging, CodegenError> {
    let paged = match api.paging_by(list) {
        Rule::Unpaged => return Ok(Paging::None),
        Rule::Incomplete { reason, .. } => {
            if let Some(key) = list {
                return Err(CodegenError::new(
                    op,
                    key,
                    format!("the item list chosen for this operation cannot page it: {reason}"),
                ));
            }
            return Ok(Paging::Incomplete(reason));
        }
        Rule::Paged(p) => p,
    };
    let finder = Finder {
        op,
        response,
        types,
    };
    let (items, item) = finder.items(&paged.items)?;
    let field = |path: &Option<FieldPath>, kinds: &[Ty]| {
        path.as_ref().map(|p| finder.scalar(p, kinds)).transpose()
    };
    let counts = [Ty::I32, Ty::I64, Ty::String];
    Ok(Paging::Paged(Box::new(Paged {
        style: paged.style,
        both_styles: paged.both_styles,
        size: paged.size.as_ref().map(|s| (s.name.clone(), s.max)),
        max_from: paged.size.as_ref().map(|s| s.max_from),
        items_path: paged.items.to_string(),
        chosen: list.is_some(),
        item,
        items,
        next_token: field(&paged.next_token, &[Ty::String])?,
        total_count: field(&paged.total_count, &counts)?,
        page_number: field(&paged.page_number, &counts)?,
        page_size: field(&paged.page_size, &counts)?,
    })))
}

/// Finds wire paths among one operation's types.
struct Finder<'a> {
    op: &'a str,
    response: &'a str,
    types: &'a [TypeDef],
}

impl Finder<'_> {
    fn error(&self, path: &str, what: &str) -> CodegenError {
        CodegenError::new(
            self.op,
            path,
            format!("paging: the metadata's {what} has no matching field in the generated types"),
        )
    }

    /// The struct holding the last key of `keys`, and the access to it.
    fn parent(&self, keys: &[String], what: &str) -> Result<(&Struct, Vec<String>), CodegenError> {
        let mut name = self.response;
        let mut access = Vec::new();
        for key in &keys[..keys.len() - 1] {
            let s = self.get(name).ok_or_else(|| self.error(key, what))?;
            let f = s
                .fields
                .iter()
                .find(|f| &f.wire == key && f.kind == Kind::Optional)
                .ok_or_else(|| self.error(key, what))?;
            name = match &f.ty {
                Ty::Named(n) => n,
                _ => return Err(self.error(key, what)),
            };
            access.push(f.rust.clone());
        }
        let s = self
            .get(name)
            .ok_or_else(|| self.error(&keys.join("."), what))?;
        Ok((s, access))
    }

    fn get(&self, name: &str) -> Option<&Struct> {
        self.types.iter().find_map(|t| match t {
            TypeDef::Struct(s) if s.name == name => Some(s),
            _ => None,
        })
    }

    fn items(&self, list: &ItemList) -> Result<(Access, Ty), CodegenError> {
        let path = list.to_string();
        let (parent, mut access) = self.parent(&list.path, "item list")?;
        let key = list.path.last().expect("a list has a path");
        let field = parent
            .fields
            .iter()
            .find(|f| &f.wire == key)
            .ok_or_else(|| self.error(&path, "item list"))?;
        let encoding = match &list.wrapper {
            Some(w) => Encoding::Wrapped(w.clone()),
            None => Encoding::Plain,
        };
        match (&field.ty, field.kind) {
            (Ty::List(item), Kind::List) if field.encoding == encoding => {
                access.push(field.rust.clone());
                Ok((Access(access), (**item).clone()))
            }
            _ => Err(self.error(&path, "item list")),
        }
    }

    fn scalar(&self, path: &FieldPath, kinds: &[Ty]) -> Result<Access, CodegenError> {
        let shown = path.join(".");
        let (parent, mut access) = self.parent(path, "paging field")?;
        let key = path.last().expect("a field has a path");
        let field = parent
            .fields
            .iter()
            .find(|f| &f.wire == key && f.kind == Kind::Optional && kinds.contains(&f.ty))
            .ok_or_else(|| self.error(&shown, "paging field"))?;
        access.push(field.rust.clone());
        Ok(Access(access))
    }
}
