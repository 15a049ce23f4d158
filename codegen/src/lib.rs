//! The ecs-rs code generator. Pure: metadata model in, file contents out.
//!
//! Passes, each a module: [`naming`] (every identifier decision), [`ir`]
//! (operations, types, fields with wire names, kinds and Rust types; the
//! registry of types operations share), [`docs`] (metadata markup to
//! rustdoc), [`emit`] (tokens and text per item kind), [`format`]
//! (prettyplease). [`surface`] renders the compact API listing reviewers
//! read as a diff; [`cases`] the end-to-end requests. How the metadata is
//! read (parameters, encodings, samples, read-only operations) is the
//! metadata crate's. All file I/O lives in xtask.

pub mod cases;
pub mod docs;
pub mod emit;
pub mod format;
pub mod groups;
pub mod ir;
pub mod lists;
pub mod naming;
pub mod surface;
pub mod waiters;

use ecs_rs_metadata::ApiDocs;
use std::collections::BTreeMap;
use std::fmt;

/// Every knob of the generator.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Type `string` parameters whose example is a JSON array
    /// (`DescribeInstances.InstanceIds`) as `Vec<String>` sent as JSON.
    pub json_string_lists: bool,
    /// The waiters to generate ([`waiters`]), checked against the metadata.
    pub waiters: &'static [waiters::Waiter],
    /// Paged operations whose answer holds several lists: the one that
    /// pages ([`lists`]).
    pub item_lists: &'static [(&'static str, &'static str)],
}

/// The ECS API's settings: its waiters and item-list choices.
impl Default for Settings {
    fn default() -> Self {
        Settings {
            json_string_lists: true,
            waiters: waiters::ECS,
            item_lists: lists::ECS,
        }
    }
}

impl Settings {
    /// Without the ECS API's tables (waiters, item-list choices): for other
    /// metadata.
    pub fn without_tables() -> Settings {
        Settings {
            waiters: &[],
            item_lists: &[],
            ..Settings::default()
        }
    }

    /// For the fixture API (`codegen/tests/fixtures/quirks.json`): its own
    /// waiters.
    pub fn quirks() -> Settings {
        Settings {
            waiters: waiters::QUIRKS,
            ..Settings::without_tables()
        }
    }
}

/// What the generator could not turn into Rust, named by operation and field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodegenError {
    pub operation: String,
    pub field: String,
    pub message: String,
}

impl CodegenError {
    pub fn new(operation: &str, field: &str, message: String) -> Self {
        CodegenError {
            operation: operation.to_string(),
            field: field.to_string(),
            message,
        }
    }
}

impl fmt::Display for CodegenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            write!(f, "operation `{}`: {}", self.operation, self.message)
        } else {
            write!(
                f,
                "operation `{}`, field `{}`: {}",
                self.operation, self.field, self.message
            )
        }
    }
}

impl std::error::Error for CodegenError {}

/// The generated crate content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Path relative to the crate root (`src/ops/describe_instances.rs`)
    /// -> file text. Every generated file lives under `src/ops/` (the
    /// operations, `mod.rs`, the shared `types.rs`) or is
    /// `src/operations.rs` or `src/client.rs`.
    pub files: BTreeMap<String, String>,
    /// The `[features]` table for ecs-api's Cargo.toml.
    pub features_toml: String,
    /// The end-to-end cases for the `ecs-simulator` crate (`tests/tests/e2e/cases.rs`).
    pub cases: String,
    pub operations: usize,
    pub types: usize,
    pub paging: PagingReport,
    /// The waiters' names, in the table's order.
    pub waiters: Vec<String>,
}

/// What the paging rule found: paged operations by style, and those that
/// take paging parameters but could not be paged.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PagingReport {
    /// Paged by `NextToken` only.
    pub token: Vec<String>,
    /// Paged by `PageNumber`.
    pub number: Vec<String>,
    /// Taking both styles' parameters (paged by `NextToken`).
    pub both: Vec<String>,
    /// Operation -> the item list [`lists`] chose for it.
    pub chosen: Vec<(String, String)>,
    /// Page sizes whose maximum the metadata does not document
    /// ([`ecs_rs_metadata::paging::DEFAULT_MAX_PAGE_SIZE`] assumed).
    pub assumed_max: Vec<String>,
    /// Operation -> why it has no paginator.
    pub incomplete: Vec<(String, String)>,
}

impl PagingReport {
    fn of(api: &ir::Api) -> PagingReport {
        let mut report = PagingReport::default();
        for op in &api.operations {
            let name = op.wire.clone();
            match &op.paging {
                ir::Paging::None => {}
                ir::Paging::Incomplete(why) => report.incomplete.push((name, why.clone())),
                ir::Paging::Paged(p) => {
                    if p.chosen {
                        report.chosen.push((name.clone(), p.items_path.clone()));
                    }
                    if p.max_from == Some(ecs_rs_metadata::paging::MaxFrom::Default) {
                        report.assumed_max.push(name.clone());
                    }
                    match (p.style, p.both_styles) {
                        (ir::PageStyle::Token, true) => report.both.push(name),
                        (ir::PageStyle::Token, false) => report.token.push(name),
                        (ir::PageStyle::Number, _) => report.number.push(name),
                    }
                }
            }
        }
        report
    }

    /// Operations with a paginator.
    pub fn paged(&self) -> usize {
        self.token.len() + self.number.len() + self.both.len()
    }
}

impl fmt::Display for PagingReport {
    /// `77 paged: 46 by PageNumber, 17 by NextToken, 14 both ways (by NextToken)`
    /// and a line per operation that needs a reader's eye.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} paged: {} by PageNumber, {} by NextToken, {} both ways (by NextToken)",
            self.paged(),
            self.number.len(),
            self.token.len(),
            self.both.len()
        )?;
        for (op, list) in &self.chosen {
            write!(
                f,
                "\n  {op}: item list {list} (chosen in codegen's lists table)"
            )?;
        }
        if !self.assumed_max.is_empty() {
            write!(
                f,
                "\n  no documented page-size maximum ({} assumed): {}",
                ecs_rs_metadata::paging::DEFAULT_MAX_PAGE_SIZE,
                self.assumed_max.join(", ")
            )?;
        }
        for (op, why) in &self.incomplete {
            write!(f, "\n  NOT PAGED {op}: {why}")?;
        }
        Ok(())
    }
}

/// Generates the ecs-api sources for `docs`.
pub fn generate(docs: &ApiDocs, settings: &Settings) -> Result<Output, CodegenError> {
    let api = ir::build(docs, settings)?;
    let mut files = BTreeMap::new();
    let render = |what: &str, tokens| {
        format::rust_file(tokens)
            .map_err(|e| CodegenError::new(what, "", format!("emitted invalid Rust: {e}")))
    };
    for op in &api.operations {
        files.insert(
            format!("src/ops/{}.rs", op.module),
            render(&op.wire, emit::operation(op))?,
        );
    }
    files.insert(
        "src/ops/mod.rs".into(),
        render("ops/mod.rs", emit::ops_module(&api))?,
    );
    files.insert(
        "src/ops/types.rs".into(),
        render("ops/types.rs", emit::types_module(&api))?,
    );
    files.insert(
        "src/ops/paginators.rs".into(),
        render("ops/paginators.rs", emit::paginators_module(&api))?,
    );
    files.insert(
        "src/ops/waiters.rs".into(),
        render("ops/waiters.rs", emit::waiters_module(&api))?,
    );
    files.insert(
        "src/client.rs".into(),
        render("client.rs", emit::client_module(&api))?,
    );
    files.insert(
        "src/operations.rs".into(),
        render("operations.rs", emit::operations_table(&api))?,
    );
    Ok(Output {
        cases: render("cases.rs", vec![format::Piece::Tokens(cases::render(&api))])?,
        features_toml: features_toml(&api),
        paging: PagingReport::of(&api),
        waiters: api
            .waiters
            .iter()
            .map(|w| w.entry.name.to_string())
            .collect(),
        operations: api.operations.len(),
        types: api.operations.iter().map(|o| o.types.len()).sum::<usize>() + api.shared.len(),
        files,
    })
}

/// Whether a path (relative to the ecs-api root) is generated output, so
/// regen may delete it when no operation produces it any more.
pub fn is_generated_path(path: &str) -> bool {
    path == "src/operations.rs"
        || path == "src/client.rs"
        || (path.starts_with("src/ops/") && path.ends_with(".rs"))
}

fn features_toml(api: &ir::Api) -> String {
    let mut out = String::from("[features]\n");
    let names: Vec<String> = api
        .features
        .iter()
        .map(|f| format!("\"{}\"", f.name))
        .collect();
    out.push_str("default = [\"full\"]\n");
    out.push_str(&format!("full = [{}]\n", names.join(", ")));
    for f in &api.features {
        // A title is a comment line: no line break may end it early.
        let title: String = f
            .title
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        out.push_str(&format!(
            "# {} ({} operations)\n{} = []\n",
            title.trim(),
            f.operations.len(),
            f.name
        ));
    }
    out
}
