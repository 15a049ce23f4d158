//! `cargo xtask regen [--check] [--metadata PATH] [--update-pin] [--previous PATH]`

use std::process::ExitCode;
use xtask::{regen, Mode, Options};

const USAGE: &str = "\
usage: cargo xtask regen [--check] [--metadata PATH] [--update-pin] [--previous PATH]

  --check          write nothing; fail naming the stale files
  --metadata PATH  api-docs.json to generate from (else $ECS_METADATA, else the
                   pinned URL, downloaded once into .cache/)
  --update-pin     accept metadata whose sha256 differs from metadata/pin.json,
                   print what changed in the API and move the pin
  --previous PATH  the metadata the pin names, to diff against with --update-pin
                   (else $ECS_METADATA or the cache, when their sha256 matches)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match parse(&args) {
        Ok(opts) => match regen(&opts) {
            Ok(report) => {
                print!("{report}");
                if opts.mode == Mode::Check && !report.is_fresh() {
                    eprintln!("generated code is stale: run `cargo xtask regen` and commit");
                    ExitCode::FAILURE
                } else {
                    ExitCode::SUCCESS
                }
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
        Err(e) => {
            eprintln!("error: {e}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut it = args.iter();
    match it.next().map(String::as_str) {
        Some("regen") => {}
        Some("-h" | "--help") | None => return Err("expected a command".into()),
        Some(other) => return Err(format!("unknown command `{other}`")),
    }
    let mut opts = Options::from_env();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a path"))
        };
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
    Ok(opts)
}
