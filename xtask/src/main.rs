//! `cargo xtask regen [--check] [--metadata PATH] [--update-pin] [--previous PATH]`
//! `cargo xtask bench-build [--baseline REV] [--runs N]`

use std::process::ExitCode;
use xtask::{bench_build, regen, workspace_root, BenchOptions, Mode, Options};

const USAGE: &str = "\
usage: cargo xtask regen [--check] [--metadata PATH] [--update-pin] [--previous PATH]
       cargo xtask bench-build [--baseline REV] [--runs N]

regen: generate ecs-api (and the fixture crate, the end-to-end cases)
  --check          write nothing; fail naming the stale files
  --metadata PATH  api-docs.json to generate from (else $ECS_METADATA, else the
                   pinned URL, downloaded once into .cache/)
  --update-pin     accept metadata whose sha256 differs from metadata/pin.json,
                   print what changed in the API and move the pin
  --previous PATH  the metadata the pin names, to diff against with --update-pin
                   (else $ECS_METADATA or the cache, when their sha256 matches)

bench-build: time the build of ecs-api alone (debug, every feature) in this
tree against REV's, interleaved, each in its own target dir under target/
  --baseline REV   the git revision to compare against (default 9536eb2, the
                   layout before the shared types)
  --runs N         timed pairs of builds (default 5)";

enum Command {
    Regen(Options),
    BenchBuild(BenchOptions),
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match parse(&args) {
        Ok(Command::Regen(opts)) => match regen(&opts) {
            Ok(report) => {
                print!("{report}");
                if opts.mode == Mode::Check && !report.is_fresh() {
                    eprintln!("generated code is stale: run `cargo xtask regen` and commit");
                    ExitCode::FAILURE
                } else {
                    ExitCode::SUCCESS
                }
            }
            Err(e) => fail(&e),
        },
        Ok(Command::BenchBuild(opts)) => match bench_build(&opts) {
            Ok(report) => {
                print!("{report}");
                ExitCode::SUCCESS
            }
            Err(e) => fail(&e),
        },
        Err(e) => {
            eprintln!("error: {e}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn fail(e: &str) -> ExitCode {
    eprintln!("error: {e}");
    ExitCode::FAILURE
}

fn parse(args: &[String]) -> Result<Command, String> {
    let mut it = args.iter();
    let command = match it.next().map(String::as_str) {
        Some(c @ ("regen" | "bench-build")) => c,
        Some("-h" | "--help") | None => return Err("expected a command".into()),
        Some(other) => return Err(format!("unknown command `{other}`")),
    };
    let mut value = |name: &str| {
        it.next()
            .cloned()
            .ok_or_else(|| format!("{name} needs a value"))
    };
    if command == "bench-build" {
        let mut opts = BenchOptions {
            root: workspace_root(),
            baseline: "9536eb2".into(),
            runs: 5,
        };
        while let Ok(arg) = value("an option") {
            match arg.as_str() {
                "--baseline" => opts.baseline = value("--baseline")?,
                "--runs" => {
                    let n = value("--runs")?;
                    opts.runs = n
                        .parse()
                        .map_err(|_| format!("--runs takes a whole number, not `{n}`"))?;
                }
                other => return Err(format!("unknown option `{other}`")),
            }
        }
        return Ok(Command::BenchBuild(opts));
    }
    let mut opts = Options::from_env();
    while let Ok(arg) = value("an option") {
        match arg.as_str() {
            "--check" => opts.mode = Mode::Check,
            "--update-pin" => opts.update_pin = true,
            "--metadata" => opts.metadata = Some(value("--metadata")?.into()),
            "--previous" => opts.previous = Some(value("--previous")?.into()),
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    if opts.update_pin && opts.mode == Mode::Check {
        return Err("--update-pin and --check exclude each other".into());
    }
    Ok(Command::Regen(opts))
}
