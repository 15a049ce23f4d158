//! `cargo xtask bench-build`: how long the ecs-api crate alone takes to
//! build (debug, every feature) in this tree, as a ratio against a
//! baseline commit, measured in the same run, interleaved.
//!
//! The baseline tree is `git archive`d into `target/bench-build/`; each
//! tree builds into its own target directory, dependencies once before
//! timing. Each timed build recompiles only ecs-api, non-incrementally.

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct BenchOptions {
    /// The workspace root (the tree measured).
    pub root: PathBuf,
    /// A git revision to compare against.
    pub baseline: String,
    pub runs: usize,
}

/// One pair of builds, baseline then current or the other way round.
#[derive(Debug, Clone, Copy)]
pub struct Pair {
    pub baseline: Duration,
    pub current: Duration,
}

impl Pair {
    pub fn ratio(&self) -> f64 {
        self.current.as_secs_f64() / self.baseline.as_secs_f64()
    }
}

/// The measured pairs and what they say.
#[derive(Debug, Clone)]
pub struct BenchReport {
    pub baseline: String,
    pub pairs: Vec<Pair>,
}

impl BenchReport {
    /// (lowest, median, highest) ratio current / baseline.
    pub fn ratios(&self) -> (f64, f64, f64) {
        let mut r: Vec<f64> = self.pairs.iter().map(Pair::ratio).collect();
        r.sort_by(f64::total_cmp);
        (r[0], r[r.len() / 2], r[r.len() - 1])
    }
}

impl fmt::Display for BenchReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "ecs-api alone, debug, every feature; baseline {}",
            self.baseline
        )?;
        writeln!(
            f,
            "{:>4} {:>10} {:>10} {:>7}",
            "run", "baseline", "current", "ratio"
        )?;
        for (i, p) in self.pairs.iter().enumerate() {
            writeln!(
                f,
                "{:>4} {:>9.1}s {:>9.1}s {:>6.2}x",
                i + 1,
                p.baseline.as_secs_f64(),
                p.current.as_secs_f64(),
                p.ratio()
            )?;
        }
        if !self.pairs.is_empty() {
            let (lo, mid, hi) = self.ratios();
            writeln!(
                f,
                "current / baseline: {lo:.2}x to {hi:.2}x (median {mid:.2}x) over {} runs",
                self.pairs.len()
            )?;
        }
        Ok(())
    }
}

pub fn bench_build(opts: &BenchOptions) -> Result<BenchReport, String> {
    if opts.runs == 0 {
        return Err("--runs must be at least 1".into());
    }
    let work = opts.root.join("target/bench-build");
    let baseline_tree = work.join(format!("tree-{}", short(&opts.baseline)));
    extract(&opts.root, &opts.baseline, &baseline_tree)?;
    let trees = [
        Tree {
            root: baseline_tree,
            target: work.join("target-baseline"),
        },
        Tree {
            root: opts.root.clone(),
            target: work.join("target-current"),
        },
    ];
    for tree in &trees {
        eprintln!("warming {} (dependencies)", tree.root.display());
        tree.build()?;
    }
    let mut pairs = Vec::with_capacity(opts.runs);
    for run in 0..opts.runs {
        // Alternate which goes first so neither always builds on a cooler machine.
        let order = if run % 2 == 0 { [0, 1] } else { [1, 0] };
        let mut times = [Duration::ZERO; 2];
        for i in order {
            times[i] = trees[i].timed_rebuild()?;
            eprintln!(
                "run {}: {} {:.1}s",
                run + 1,
                ["baseline", "current"][i],
                times[i].as_secs_f64()
            );
        }
        pairs.push(Pair {
            baseline: times[0],
            current: times[1],
        });
    }
    Ok(BenchReport {
        baseline: opts.baseline.clone(),
        pairs,
    })
}

struct Tree {
    root: PathBuf,
    target: PathBuf,
}

impl Tree {
    fn cargo_build(&self) -> Command {
        let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        cmd.arg("build")
            .arg("--quiet")
            .args(["--package", "ecs-api", "--features", "full"])
            .arg("--manifest-path")
            .arg(self.root.join("Cargo.toml"))
            .arg("--target-dir")
            .arg(&self.target)
            .env("CARGO_INCREMENTAL", "0")
            .stdout(Stdio::null());
        cmd
    }

    fn build(&self) -> Result<(), String> {
        run(self.cargo_build(), &self.root)
    }

    /// Rebuilds ecs-api alone: its sources are touched so cargo rebuilds
    /// it and nothing it depends on.
    fn timed_rebuild(&self) -> Result<Duration, String> {
        let lib = self.root.join("ecs-api/src/lib.rs");
        let file = std::fs::File::options()
            .append(true)
            .open(&lib)
            .map_err(|e| format!("cannot open {}: {e}", lib.display()))?;
        file.set_modified(std::time::SystemTime::now())
            .map_err(|e| format!("cannot touch {}: {e}", lib.display()))?;
        let started = Instant::now();
        run(self.cargo_build(), &self.root)?;
        Ok(started.elapsed())
    }
}

fn run(mut cmd: Command, tree: &Path) -> Result<(), String> {
    let status = cmd
        .status()
        .map_err(|e| format!("cannot run cargo for {}: {e}", tree.display()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "building ecs-api in {} failed ({status})",
            tree.display()
        ))
    }
}

/// The tree of `rev` at `dir` (kept between runs; re-extracted if absent).
fn extract(repo: &Path, rev: &str, dir: &Path) -> Result<(), String> {
    if dir.join("Cargo.toml").is_file() {
        return Ok(());
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let archive = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(["archive", "--format=tar", rev])
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run git: {e}"))?;
    let status = Command::new("tar")
        .arg("-x")
        .arg("-C")
        .arg(dir)
        .stdin(archive.stdout.ok_or("git archive gave no output")?)
        .status()
        .map_err(|e| format!("cannot run tar: {e}"))?;
    if !status.success() {
        let _ = std::fs::remove_dir_all(dir);
        return Err(format!(
            "cannot extract {rev} (is it a commit of this repository?)"
        ));
    }
    Ok(())
}

fn short(rev: &str) -> String {
    rev.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(baseline: f64, current: f64) -> Pair {
        Pair {
            baseline: Duration::from_secs_f64(baseline),
            current: Duration::from_secs_f64(current),
        }
    }

    #[test]
    fn ratios_are_current_over_baseline_lowest_median_highest() {
        let report = BenchReport {
            baseline: "9536eb2".into(),
            pairs: vec![pair(10.0, 5.0), pair(10.0, 8.0), pair(8.0, 2.0)],
        };
        assert_eq!(report.ratios(), (0.25, 0.5, 0.8));
        let text = report.to_string();
        assert!(
            text.contains("current / baseline: 0.25x to 0.80x (median 0.50x) over 3 runs"),
            "{text}"
        );
    }
}
