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
pub mod naming;
pub mod surface;

use ecs_rs_metadata::ApiDocs;
use std::collections::BTreeMap;
use std::fmt;

/// Every knob of the generator.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Type `string` parameters whose example is a JSON array
    /// (`DescribeInstances.InstanceIds`) as `Vec<String>` sent as JSON.
    pub json_string_lists: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            json_string_lists: true,
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
