//! Regeneration of ecs-api (all file I/O around the pure codegen), and the
//! build-time benchmark of the generated crate.

mod bench_build;
mod files;
mod source;

pub use bench_build::{bench_build, BenchOptions, BenchReport, Pair};
pub use files::Report;

use ecs_codegen::Settings;
use ecs_rs_metadata::Pin;
use std::path::PathBuf;
use std::time::Instant;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Write,
    Check,
}

#[derive(Debug, Clone)]
pub struct Options {
    pub mode: Mode,
    pub metadata: Option<PathBuf>,
    pub previous: Option<PathBuf>,
    pub update_pin: bool,
    /// The workspace root.
    pub root: PathBuf,
}

impl Options {
    /// Defaults: write mode, metadata from `ECS_METADATA` when set.
    pub fn from_env() -> Options {
        Options {
            mode: Mode::Write,
            metadata: ecs_rs_metadata::path_from_env(),
            previous: None,
            update_pin: false,
            root: workspace_root(),
        }
    }
}

pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// The fixture metadata of codegen's tests, generated into a crate of its
/// own so that CI compiles every shape and quirk the fixture has.
pub const FIXTURE: &str = "codegen/tests/fixtures/quirks.json";
pub const FIXTURE_CRATE: &str = "codegen/tests/fixture-api";
/// The generated end-to-end cases, relative to the `tests` crate.
pub const CASES: &str = "tests/e2e/cases.rs";

fn fixture(opts: &Options) -> Result<Report, String> {
    let path = opts.root.join(FIXTURE);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let docs = ecs_rs_metadata::parse(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let output = ecs_codegen::generate(&docs, &Settings::quirks())
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let mut report = files::sync(&opts.root.join(FIXTURE_CRATE), &output, opts.mode)?;
    report.paging = None;
    Ok(report)
}

pub fn regen(opts: &Options) -> Result<Report, String> {
    let started = Instant::now();
    let pin_path = opts.root.join("metadata/pin.json");
    let pin_text = std::fs::read_to_string(&pin_path)
        .map_err(|e| format!("cannot read {}: {e}", pin_path.display()))?;
    let pin = Pin::parse(&pin_text).map_err(|e| format!("{}: {e}", pin_path.display()))?;

    let (path, bytes) = source::load(opts, &pin)?;
    let text =
        std::str::from_utf8(&bytes).map_err(|e| format!("{}: not UTF-8: {e}", path.display()))?;
    let new_pin = if opts.update_pin {
        let today = source::today();
        Some(pin.moved_to(&bytes, &today))
    } else {
        pin.verify(&bytes)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        None
    };
    let docs = ecs_rs_metadata::parse(text).map_err(|e| format!("{}: {e}", path.display()))?;
    let api_diff = match &new_pin {
        Some(p) if p.sha256 != pin.sha256 => Some(source::diff_against_pinned(opts, &pin, &docs)),
        _ => None,
    };

    let output = ecs_codegen::generate(&docs, &Settings::default()).map_err(|e| e.to_string())?;
    let mut report = files::sync(&opts.root.join("ecs-api"), &output, opts.mode)?;
    files::ensure_file(
        &opts.root.join("tests"),
        "tests",
        CASES,
        &output.cases,
        opts.mode,
        &mut report,
    )?;
    report.files += 1;
    report.absorb(fixture(opts)?);
    report.api_diff = api_diff;
    if let (Some(p), Mode::Write) = (new_pin, opts.mode) {
        if p != pin {
            std::fs::write(&pin_path, p.to_json())
                .map_err(|e| format!("cannot write {}: {e}", pin_path.display()))?;
            report.pin_moved = Some(p.sha256);
        }
    }
    report.metadata = path.display().to_string();
    report.elapsed = started.elapsed();
    Ok(report)
}
