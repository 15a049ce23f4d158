//! Which operations page, and how, read from their shape (protocol.md,
//! section 7): the request's paging parameters (`NextToken` / `MaxResults`,
//! `PageNumber` / `PageSize`), the answer's paging fields (`NextToken`,
//! `TotalCount`, `PageNumber`, `PageSize`) and the one list that holds the
//! items. An operation that takes both styles' parameters pages by token,
//! the style ECS recommends (it marks page numbers "will be removed" on its
//! busiest lists).

use crate::{Api, Schema};
use std::fmt;

pub const NEXT_TOKEN: &str = "NextToken";
pub const MAX_RESULTS: &str = "MaxResults";
pub const PAGE_NUMBER: &str = "PageNumber";
pub const PAGE_SIZE: &str = "PageSize";
pub const TOTAL_COUNT: &str = "TotalCount";

/// The page-size maximum assumed where the metadata documents none: the
/// one most ECS lists document.
pub const DEFAULT_MAX_PAGE_SIZE: u32 = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PageStyle {
    /// `NextToken` from each answer sent back.
    Token,
    /// `PageNumber` 1, 2, 3, ...
    Number,
}

impl PageStyle {
    /// The parameter naming the page: `NextToken` or `PageNumber`.
    pub fn param(self) -> &'static str {
        match self {
            PageStyle::Token => NEXT_TOKEN,
            PageStyle::Number => PAGE_NUMBER,
        }
    }
}

impl fmt::Display for PageStyle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.param())
    }
}

/// Where a page-size maximum was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaxFrom {
    /// The parameter's `maximum`.
    Schema,
    /// Its description (`最大值为50`, `取值范围：1~100`).
    Description,
    /// Nowhere: [`DEFAULT_MAX_PAGE_SIZE`].
    Default,
}

/// The page-size parameter of a paged operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageSizeParam {
    pub name: String,
    pub max: u32,
    pub max_from: MaxFrom,
}

/// The answer's item list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemList {
    /// Object keys from the answer's root to the list's property:
    /// `["Instances"]`, `["Invocation", "InvocationResults"]`.
    pub path: Vec<String>,
    /// The key of the one-key object that wraps the list on the wire
    /// (`Instance` in `{"Instances": {"Instance": [..]}}`), if any.
    pub wrapper: Option<String>,
}

impl fmt::Display for ItemList {
    /// `Instances.Instance[]`, `Invocation.InvocationResults.InvocationResult[]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.path.join("."))?;
        if let Some(w) = &self.wrapper {
            write!(f, ".{w}")?;
        }
        f.write_str("[]")
    }
}

/// A paging field of the answer: object keys from its root
/// (`["NextToken"]`, `["Invocation", "NextToken"]`).
pub type FieldPath = Vec<String>;

/// How a paged operation pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paged {
    pub style: PageStyle,
    /// Whether it also takes the other style's parameters.
    pub both_styles: bool,
    /// `MaxResults` (optional in token style) or `PageSize`.
    pub size: Option<PageSizeParam>,
    pub items: ItemList,
    pub next_token: Option<FieldPath>,
    pub total_count: Option<FieldPath>,
    pub page_number: Option<FieldPath>,
    pub page_size: Option<FieldPath>,
}

/// What the paging rule finds for one operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Paging {
    /// Takes no paging parameter.
    Unpaged,
    Paged(Paged),
    /// Takes paging parameters, but something needed to page it is missing
    /// or ambiguous; `reason` says what. `lists` are the answer's lists when
    /// there are several (see [`Api::paging_by`]).
    Incomplete {
        reason: String,
        lists: Vec<ItemList>,
    },
}

impl Api {
    /// How this operation pages, from its shape.
    pub fn paging(&self) -> Paging {
        self.paging_by(None)
    }

    /// Like [`Api::paging`], with `list` naming the item list's property
    /// (e.g. `Accounts`) where the answer has several lists.
    pub fn paging_by(&self, list: Option<&str>) -> Paging {
        let params = self.params();
        let has = |name: &str| params.get(name).is_some();
        if ![NEXT_TOKEN, MAX_RESULTS, PAGE_NUMBER, PAGE_SIZE]
            .iter()
            .any(|p| has(p))
        {
            return Paging::Unpaged;
        }
        let incomplete =
            |reason: String, lists: Vec<ItemList>| Paging::Incomplete { reason, lists };
        let empty = Schema::default();
        let root = self.success_schema().unwrap_or(&empty);
        let mut lists = item_lists(root);
        let items = match (lists.len(), list) {
            (0, _) => return incomplete("the answer has no list of items".into(), lists),
            (1, None) => lists.remove(0),
            (_, Some(key)) => match lists
                .iter()
                .position(|l| l.path.last().map(String::as_str) == Some(key))
            {
                Some(i) => lists.remove(i),
                None => {
                    return incomplete(
                        format!("the answer has no list `{key}` (lists: {})", names(&lists)),
                        lists,
                    )
                }
            },
            (n, None) => {
                return incomplete(
                    format!(
                        "the answer has {n} lists ({}); which one pages is not said",
                        names(&lists)
                    ),
                    lists,
                )
            }
        };
        let container = &items.path[..items.path.len() - 1];
        let next_token = paging_field(root, container, NEXT_TOKEN, &["string"]);
        let counts = ["integer", "string"];
        let token = has(NEXT_TOKEN) && next_token.is_some();
        let number = has(PAGE_NUMBER) && has(PAGE_SIZE);
        let style = if token {
            PageStyle::Token
        } else if number {
            PageStyle::Number
        } else {
            let reason = if has(NEXT_TOKEN) {
                "takes NextToken but the answer has no NextToken".to_string()
            } else if has(PAGE_NUMBER) {
                "takes PageNumber but no PageSize".to_string()
            } else if has(PAGE_SIZE) {
                "takes PageSize but no PageNumber".to_string()
            } else {
                "takes MaxResults but no NextToken".to_string()
            };
            return incomplete(reason, Vec::new());
        };
        let size_param = match style {
            PageStyle::Token => MAX_RESULTS,
            PageStyle::Number => PAGE_SIZE,
        };
        let size = params.get(size_param).map(|p| {
            let (max, max_from) = page_size_max(&p.schema);
            PageSizeParam {
                name: p.name.clone(),
                max,
                max_from,
            }
        });
        Paging::Paged(Paged {
            style,
            both_styles: token && number,
            size,
            next_token: next_token.filter(|_| style == PageStyle::Token),
            total_count: paging_field(root, container, TOTAL_COUNT, &counts),
            page_number: paging_field(root, container, PAGE_NUMBER, &counts),
            page_size: paging_field(root, container, PAGE_SIZE, &counts),
            items,
        })
    }
}

fn names(lists: &[ItemList]) -> String {
    lists
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The lists an answer holds: its own array properties and one-key list
/// wrappers; where it has none, those of its object properties.
fn item_lists(root: &Schema) -> Vec<ItemList> {
    let direct = lists_in(root, &[]);
    if !direct.is_empty() {
        return direct;
    }
    root.properties
        .iter()
        .flatten()
        .filter(|(_, s)| s.kind.as_deref() == Some("object"))
        .flat_map(|(key, s)| lists_in(s, std::slice::from_ref(key)))
        .collect()
}

fn lists_in(object: &Schema, prefix: &[String]) -> Vec<ItemList> {
    let mut out = Vec::new();
    for (key, schema) in object.properties.iter().flatten() {
        let mut path = prefix.to_vec();
        path.push(key.clone());
        if schema.kind.as_deref() == Some("array") {
            out.push(ItemList {
                path,
                wrapper: None,
            });
        } else if let Some((wrapper, _)) = schema.list_wrapper() {
            out.push(ItemList {
                path,
                wrapper: Some(wrapper.to_string()),
            });
        }
    }
    out
}

/// The paging field `name`: beside the item list, else at the root; only
/// of one of `kinds`.
fn paging_field(
    root: &Schema,
    container: &[String],
    name: &str,
    kinds: &[&str],
) -> Option<FieldPath> {
    let typed = |s: &Schema| s.kind.as_deref().is_some_and(|k| kinds.contains(&k));
    let mut object = root;
    for key in container {
        object = object.properties.as_ref()?.get(key)?;
    }
    if object.properties.as_ref()?.get(name).is_some_and(typed) {
        let mut path = container.to_vec();
        path.push(name.to_string());
        return Some(path);
    }
    root.properties
        .as_ref()?
        .get(name)
        .filter(|s| typed(s))
        .map(|_| vec![name.to_string()])
}

/// A page-size parameter's largest value: its `maximum`, else the one its
/// description states, else [`DEFAULT_MAX_PAGE_SIZE`].
fn page_size_max(schema: &Schema) -> (u32, MaxFrom) {
    let fits = |n: f64| (n >= 1.0 && n <= f64::from(u32::MAX)).then_some(n as u32);
    if let Some(max) = schema.maximum_f64().and_then(fits) {
        return (max, MaxFrom::Schema);
    }
    let stated = schema
        .description
        .as_deref()
        .and_then(documented_maximum)
        .and_then(|n| u32::try_from(n).ok())
        .filter(|n| *n >= 1);
    match stated {
        Some(max) => (max, MaxFrom::Description),
        None => (DEFAULT_MAX_PAGE_SIZE, MaxFrom::Default),
    }
}

/// The maximum a description states: `最大值为50`, `最大值：100`,
/// `Maximum value: 50`, or the upper end of `取值范围：1~100`,
/// `Valid values: 1 to 100`.
pub fn documented_maximum(text: &str) -> Option<u64> {
    const MAXIMUM: &[&str] = &["最大值", "Maximum value", "maximum value"];
    const RANGE: &[&str] = &["取值范围", "Valid values", "Value range", "valid values"];
    for marker in MAXIMUM {
        if let Some(n) = text.split(marker).skip(1).find_map(|after| {
            leading_number(after.trim_start_matches(['为', '是', '：', ':', ' ']))
        }) {
            return Some(n);
        }
    }
    for marker in RANGE {
        for after in text.split(marker).skip(1) {
            let after = after.trim_start_matches(['为', '是', '：', ':', ' ']);
            let Some(low_end) = after.find(|c: char| !c.is_ascii_digit()) else {
                continue;
            };
            if low_end == 0 {
                continue;
            }
            let rest = after[low_end..].trim_start();
            let rest = ["~", "～", "-", "–", "to"]
                .iter()
                .find_map(|sep| rest.strip_prefix(sep))
                .map(str::trim_start);
            if let Some(n) = rest.and_then(leading_number) {
                return Some(n);
            }
        }
    }
    None
}

fn leading_number(text: &str) -> Option<u64> {
    let end = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    text[..end].parse().ok()
}

#[cfg(test)]
mod tests;
