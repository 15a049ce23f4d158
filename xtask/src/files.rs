//! Writing (or checking) the generated files of ecs-api.

use crate::Mode;
use ecs_codegen::Output;
use std::fmt;
use std::path::Path;
use std::time::Duration;

const BEGIN: &str = "# BEGIN GENERATED FEATURES (cargo xtask regen)\n";
const END: &str = "# END GENERATED FEATURES\n";

#[derive(Debug, Default)]
pub struct Report {
    pub metadata: String,
    pub operations: usize,
    pub types: usize,
    /// The paging rule's findings (`None` for a crate that is not ecs-api).
    pub paging: Option<ecs_codegen::PagingReport>,
    pub waiters: Vec<String>,
    pub files: usize,
    pub lines: usize,
    /// Files of the codegen fixture crate.
    pub fixture_files: usize,
    /// Written (regen) or stale (check).
    pub changed: Vec<String>,
    /// Removed (regen) or to be removed (check).
    pub removed: Vec<String>,
    pub mode: Option<Mode>,
    pub api_diff: Option<String>,
    pub pin_moved: Option<String>,
    pub elapsed: Duration,
}

impl Report {
    pub fn is_fresh(&self) -> bool {
        self.changed.is_empty() && self.removed.is_empty()
    }

    /// Folds in the file changes of another generated crate.
    pub fn absorb(&mut self, other: Report) {
        self.fixture_files += other.files;
        self.changed.extend(other.changed);
        self.removed.extend(other.removed);
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let check = self.mode == Some(Mode::Check);
        writeln!(f, "metadata   {}", self.metadata)?;
        writeln!(
            f,
            "generated  {} operations, {} types, {} files, {} lines",
            self.operations, self.types, self.files, self.lines
        )?;
        if let Some(paging) = &self.paging {
            writeln!(f, "paginators {paging}")?;
        }
        if !self.waiters.is_empty() {
            writeln!(
                f,
                "waiters    {}: {}",
                self.waiters.len(),
                self.waiters.join(", ")
            )?;
        }
        if self.fixture_files > 0 {
            writeln!(
                f,
                "fixture    {} files (codegen/tests/fixture-api)",
                self.fixture_files
            )?;
        }
        let (changed, removed) = if check {
            ("stale", "extra")
        } else {
            ("written", "removed")
        };
        writeln!(
            f,
            "files      {} {changed}, {} {removed}, {} unchanged",
            self.changed.len(),
            self.removed.len(),
            (self.files + self.fixture_files).saturating_sub(self.changed.len())
        )?;
        const SHOWN: usize = 12;
        for (label, list) in [(changed, &self.changed), (removed, &self.removed)] {
            for path in list.iter().take(SHOWN) {
                writeln!(f, "  {label:<8} {path}")?;
            }
            if list.len() > SHOWN {
                writeln!(f, "  ... and {} more {label}", list.len() - SHOWN)?;
            }
        }
        if let Some(diff) = &self.api_diff {
            writeln!(f, "API changes since the pin:")?;
            write!(f, "{diff}")?;
            if !diff.ends_with('\n') {
                writeln!(f)?;
            }
        }
        if let Some(sha) = &self.pin_moved {
            writeln!(f, "pin        moved to {sha}")?;
        }
        writeln!(f, "time       {:.2?}", self.elapsed)
    }
}

/// Brings `crate_dir` in line with `output` (or, in check mode, reports
/// where it is not).
pub fn sync(crate_dir: &Path, output: &Output, mode: Mode) -> Result<Report, String> {
    let shown = crate_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut report = Report {
        operations: output.operations,
        types: output.types,
        paging: Some(output.paging.clone()),
        waiters: output.waiters.clone(),
        files: output.files.len() + 1,
        lines: output.files.values().map(|t| t.lines().count()).sum(),
        mode: Some(mode),
        ..Report::default()
    };
    for (rel, text) in &output.files {
        ensure_file(crate_dir, &shown, rel, text, mode, &mut report)?;
    }
    let manifest = read(&crate_dir.join("Cargo.toml"))?.unwrap_or_default();
    let spliced = splice_features(&manifest, &output.features_toml);
    ensure_file(crate_dir, &shown, "Cargo.toml", &spliced, mode, &mut report)?;

    for rel in existing_generated(crate_dir)? {
        if !output.files.contains_key(&rel) {
            if mode == Mode::Write {
                std::fs::remove_file(crate_dir.join(&rel))
                    .map_err(|e| format!("cannot remove {rel}: {e}"))?;
            }
            report.removed.push(format!("{shown}/{rel}"));
        }
    }
    Ok(report)
}

pub(crate) fn ensure_file(
    crate_dir: &Path,
    shown: &str,
    rel: &str,
    text: &str,
    mode: Mode,
    report: &mut Report,
) -> Result<(), String> {
    let path = crate_dir.join(rel);
    if read(&path)?.as_deref() == Some(text) {
        return Ok(());
    }
    if mode == Mode::Write {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    report.changed.push(format!("{shown}/{rel}"));
    Ok(())
}

fn read(path: &Path) -> Result<Option<String>, String> {
    match std::fs::read_to_string(path) {
        Ok(t) => Ok(Some(t)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("cannot read {}: {e}", path.display())),
    }
}

/// Generated files now on disk, as paths relative to the crate.
fn existing_generated(crate_dir: &Path) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let ops = crate_dir.join("src/ops");
    if ops.is_dir() {
        for entry in
            std::fs::read_dir(&ops).map_err(|e| format!("cannot list {}: {e}", ops.display()))?
        {
            let name = entry.map_err(|e| e.to_string())?.file_name();
            out.push(format!("src/ops/{}", name.to_string_lossy()));
        }
    }
    for top in ["src/operations.rs", "src/client.rs"] {
        if crate_dir.join(top).is_file() {
            out.push(top.into());
        }
    }
    out.retain(|p| ecs_codegen::is_generated_path(p));
    out.sort();
    Ok(out)
}

/// Replaces the generated features block of a manifest (appending it the
/// first time).
pub fn splice_features(manifest: &str, features: &str) -> String {
    let block = format!("{BEGIN}{features}{END}");
    match (manifest.find(BEGIN), manifest.find(END)) {
        (Some(start), Some(end)) if end > start => {
            format!(
                "{}{block}{}",
                &manifest[..start],
                &manifest[end + END.len()..]
            )
        }
        _ => {
            let mut out = manifest.trim_end().to_string();
            out.push_str("\n\n");
            out.push_str(&block);
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::splice_features;

    #[test]
    fn features_block_is_appended_once_then_replaced() {
        let first = splice_features("[package]\nname = \"x\"\n", "[features]\na = []\n");
        assert!(first.ends_with("[features]\na = []\n# END GENERATED FEATURES\n"));
        let second = splice_features(&first, "[features]\nb = []\n");
        assert_eq!(second.matches("[features]").count(), 1);
        assert!(second.contains("b = []") && !second.contains("a = []"));
        assert_eq!(splice_features(&second, "[features]\nb = []\n"), second);
    }
}
