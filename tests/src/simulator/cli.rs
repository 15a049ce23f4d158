//! The `ecs-simulator` command line: every flag is declared once in
//! [`FLAGS`], which both the parser and `--help` read.

use super::{FaultSettings, SimulatorBuilder};
use std::time::Duration;

/// One flag: its name, the value it takes (if any), what it does.
pub struct Flag {
    pub name: &'static str,
    pub value: Option<&'static str>,
    pub help: &'static str,
}

const fn flag(name: &'static str, value: Option<&'static str>, help: &'static str) -> Flag {
    Flag { name, value, help }
}

/// Every flag `ecs-simulator` takes.
pub const FLAGS: &[Flag] = &[
    flag("--addr", Some("HOST:PORT"), "where to listen [127.0.0.1:8080]; port 0 picks a free one"),
    flag("--metadata", Some("FILE"), "the api-docs.json to serve [$ECS_METADATA, ../shared/metadata/..., the user cache, else downloaded from the pinned URL and checked against its sha256]"),
    flag("--state", Some("FILE"), "keep the cloud in FILE: loaded at start if it exists, saved atomically after every change [in memory]"),
    flag("--seed", Some("FILE"), "start from the fleet a JSON seed file describes (repeatable; with --state, only into a new state)"),
    flag("--transition", Some("DURATION"), "how long each lifecycle step takes (Pending -> Starting -> Running, ...), e.g. 0, 500ms, 2s [1s]"),
    flag("--throttle-rate", Some("RATE"), "share of calls (0 to 1) answered Throttling.User, HTTP 429 [0]"),
    flag("--error-rate", Some("RATE"), "share of calls (0 to 1) answered InternalError, HTTP 500 [0]"),
    flag("--latency", Some("DURATION"), "added before every answer, e.g. 50ms [0]"),
    flag("--region-down", Some("REGION"), "calls with this RegionId answer ServiceUnavailable, HTTP 503 (repeatable)"),
    flag("--out-of-stock", Some("TYPE"), "instances of this type cannot be created: OperationDenied.NoStock (repeatable)"),
    flag("--access-key-id", Some("ID"), "the key id to accept [ecs-simulator-key]"),
    flag("--access-key-secret", Some("SECRET"), "the key secret to accept [ecs-simulator-secret]"),
    flag("--no-admin", None, "turn off the /_simulator/ admin endpoints"),
    flag("-h, --help", None, "print this help"),
    flag("-V, --version", None, "print the version"),
];

const ABOUT: &str = "\
ecs-simulator: a local Alibaba Cloud ECS (API 2014-05-26) for trying and
testing ECS clients in any language without an account. It verifies both
signatures (RPC HMAC-SHA1 and ACS3-HMAC-SHA256), validates every
operation's parameters against Alibaba's metadata, keeps instances, disks,
images and the rest with lifecycles that take time, and answers the other
operations with the metadata's examples.";

const ADMIN: &str = "\
Admin endpoints (change scenarios while it runs; never reachable as an ECS action):
  GET    /_simulator/health   {\"status\":\"ok\",\"operations\":347}
  GET    /_simulator/faults   the standing faults
  POST   /_simulator/faults   change some, e.g. {\"throttle_rate\":0.2,\"latency_ms\":100,
                              \"regions_down\":[\"cn-beijing\"],\"out_of_stock\":[\"ecs.g7.large\"]}
  DELETE /_simulator/faults   clear them all
  POST   /_simulator/seed     add the fleet of a seed document (the --seed format)";

/// The `--help` text.
pub fn help() -> String {
    let mut text = format!("{ABOUT}\n\nUsage: ecs-simulator [OPTIONS]\n\nOptions:\n");
    for f in FLAGS {
        let left = match f.value {
            Some(v) => format!("{} {v}", f.name),
            None => f.name.to_string(),
        };
        text.push_str(&format!("  {left:<26} {}\n", f.help));
    }
    text.push('\n');
    text.push_str(ADMIN);
    text.push('\n');
    text
}

/// What the command line asks for.
#[derive(Debug)]
pub enum Command {
    Run(Box<Run>),
    Help,
    Version,
}

/// A simulator to run.
#[derive(Debug)]
pub struct Run {
    pub builder: SimulatorBuilder,
    pub state: Option<String>,
}

/// Reads the arguments (without the program name).
pub fn parse(args: &[String]) -> Result<Command, String> {
    let mut builder = SimulatorBuilder::default()
        .addr("127.0.0.1:8080")
        .record_requests(false);
    let mut faults = FaultSettings::default();
    let mut state = None;
    let (mut key_id, mut key_secret) = (None, None);
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let name = arg.as_str();
        let known = FLAGS
            .iter()
            .find(|f| f.name.split(", ").any(|n| n == name))
            .ok_or_else(|| format!("unknown argument `{name}`; see --help"))?;
        let value = match known.value {
            Some(what) => Some(
                args.next()
                    .ok_or_else(|| format!("{name} needs a value ({what})"))?
                    .as_str(),
            ),
            None => None,
        };
        let value = value.unwrap_or_default();
        match name {
            "-h" | "--help" => return Ok(Command::Help),
            "-V" | "--version" => return Ok(Command::Version),
            "--addr" => builder = builder.addr(value),
            "--metadata" => builder = builder.metadata(value),
            "--state" => {
                builder = builder.state_file(value);
                state = Some(value.to_string());
            }
            "--seed" => builder = builder.seed_file(value),
            "--transition" => {
                builder =
                    builder.transition(duration(value).map_err(|e| format!("--transition: {e}"))?);
            }
            "--throttle-rate" => faults.throttle_rate = rate(name, value)?,
            "--error-rate" => faults.error_rate = rate(name, value)?,
            "--latency" => {
                faults.latency = duration(value).map_err(|e| format!("--latency: {e}"))?
            }
            "--region-down" => {
                faults.regions_down.insert(value.to_string());
            }
            "--out-of-stock" => {
                faults.out_of_stock.insert(value.to_string());
            }
            "--access-key-id" => key_id = Some(value.to_string()),
            "--access-key-secret" => key_secret = Some(value.to_string()),
            "--no-admin" => builder = builder.admin(false),
            other => unreachable!("{other} is in FLAGS but not parsed"),
        }
    }
    builder = match (key_id, key_secret) {
        (Some(id), Some(secret)) => builder.access_key(id, secret),
        (None, None) => builder,
        _ => return Err("--access-key-id and --access-key-secret go together".into()),
    };
    Ok(Command::Run(Box::new(Run {
        builder: builder.faults(faults),
        state,
    })))
}

fn rate(flag: &str, value: &str) -> Result<f64, String> {
    match value.parse::<f64>() {
        Ok(r) if (0.0..=1.0).contains(&r) => Ok(r),
        _ => Err(format!(
            "{flag} takes a share between 0 and 1, not `{value}`"
        )),
    }
}

/// `0`, `250ms`, `2s`, `1.5s`, `1m`.
pub fn duration(text: &str) -> Result<Duration, String> {
    let bad = || format!("`{text}` is not a duration (e.g. 0, 250ms, 2s, 1m)");
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let n: f64 = number.parse().map_err(|_| bad())?;
    let seconds = match unit {
        "" if n == 0.0 => 0.0,
        "ms" => n / 1000.0,
        "s" => n,
        "m" => n * 60.0,
        _ => return Err(bad()),
    };
    Duration::try_from_secs_f64(seconds).map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn durations_read_as_written() {
        assert_eq!(duration("0"), Ok(Duration::ZERO));
        assert_eq!(duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(duration("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(duration("2m"), Ok(Duration::from_secs(120)));
        assert!(duration("5").unwrap_err().contains("`5`"));
        assert!(duration("fast").is_err());
    }

    #[test]
    fn every_flag_parses_with_a_sample_value() {
        for f in FLAGS {
            let name = f.name.split(", ").last().unwrap();
            let sample = match f.value {
                Some("RATE") => vec![name, "0.5"],
                Some("DURATION") => vec![name, "10ms"],
                Some(_) if name.starts_with("--access-key") => {
                    vec!["--access-key-id", "a", "--access-key-secret", "b"]
                }
                Some(_) => vec![name, "x"],
                None => vec![name],
            };
            assert!(parse(&args(&sample)).is_ok(), "{name}");
        }
    }

    #[test]
    fn help_lists_every_flag() {
        let text = help();
        for f in FLAGS {
            assert!(text.contains(f.name), "{} missing from --help", f.name);
        }
    }

    #[test]
    fn the_transition_default_in_help_is_the_clouds() {
        let help = FLAGS
            .iter()
            .find(|f| f.name == "--transition")
            .map(|f| f.help)
            .unwrap();
        let shown = help.rsplit('[').next().unwrap().trim_end_matches(']');
        assert_eq!(duration(shown), Ok(crate::cloud::DEFAULT_TRANSITION));
    }

    #[test]
    fn an_unknown_flag_is_named() {
        let err = parse(&args(&["--throttle", "1"])).unwrap_err();
        assert_eq!(err, "unknown argument `--throttle`; see --help");
    }

    #[test]
    fn a_rate_over_one_is_refused() {
        let err = parse(&args(&["--error-rate", "2"])).unwrap_err();
        assert!(err.contains("--error-rate") && err.contains("`2`"), "{err}");
    }

    #[test]
    fn a_flag_without_its_value_says_what_it_needs() {
        let err = parse(&args(&["--addr"])).unwrap_err();
        assert_eq!(err, "--addr needs a value (HOST:PORT)");
    }

    #[test]
    fn half_a_key_pair_is_refused() {
        assert!(parse(&args(&["--access-key-id", "a"])).is_err());
    }
}
