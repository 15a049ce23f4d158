//! The examples' shared parts: their `main` (`--help` before anything
//! else, then a client from the environment) and one flag parser
//! (`--switch`, `--option VALUE`) that also writes the help. Not an example
//! itself (a folder without `main.rs`); each example takes it in with
//!
//! ```ignore
//! #[path = "common/mod.rs"]
//! mod common;
//! ```
//!
//! The `#[path]` of a `mod` item outside any inline module is relative to
//! the directory of the file that holds it, so this file is found both when
//! the example is its own crate and when `tests/tests/examples.rs` includes
//! the example as a module with `#[path = "../../ecs-api/examples/<name>.rs"]`.
//! That test crate so holds one copy of this module per example (each its
//! own `Flags` type, used only by its example), which is why every example
//! declares it with `#[allow(clippy::duplicate_mod)]`.

// Every example uses only some of these items.
#![allow(dead_code)]

use ecs_api::ecs_core::waiter::{Wait, Waitable};
use std::error::Error;
use std::fmt::{Display, Write as _};
use std::future::Future;
use std::io::Write;
use std::pin::Pin;
use std::str::FromStr;
use std::time::Duration;

/// What an example takes: the text of its `--help` and what [`Flags`]
/// accepts.
pub struct Spec {
    /// The example's name, as `--example` takes it.
    pub name: &'static str,
    /// What it does, one paragraph.
    pub about: &'static str,
    /// `(flag, help)` of each switch.
    pub switches: &'static [(&'static str, &'static str)],
    /// `(flag, VALUE, help)` of each option; the help says the default.
    pub options: &'static [(&'static str, &'static str, &'static str)],
}

impl Spec {
    /// Whether `args` ask for the help.
    pub fn wants_help(&self, args: &[String]) -> bool {
        args.iter().any(|a| a == "--help" || a == "-h")
    }

    /// The `--help` text.
    pub fn help(&self) -> String {
        let mut text = format!(
            "{}\n\nusage: cargo run -p ecs-api --example {} --",
            self.about, self.name
        );
        if !self.switches.is_empty() || !self.options.is_empty() {
            text.push_str(" [FLAGS]");
        }
        text.push_str("\n\nflags:\n");
        let mut rows: Vec<(String, &str)> = self
            .options
            .iter()
            .map(|(flag, value, help)| (format!("{flag} {value}"), *help))
            .chain(
                self.switches
                    .iter()
                    .map(|(flag, help)| (flag.to_string(), *help)),
            )
            .collect();
        rows.push(("-h, --help".into(), "this text"));
        let width = rows.iter().map(|(f, _)| f.len()).max().unwrap_or(0);
        for (flag, help) in rows {
            let _ = writeln!(text, "  {flag:<width$}  {help}");
        }
        text.push_str(
            "\nThe client comes from the environment: ALIBABA_CLOUD_REGION_ID, credentials\n\
             (ALIBABA_CLOUD_ACCESS_KEY_ID / _SECRET, a CLI profile, the instance's RAM role)\n\
             and, for the local simulator, ALIBABA_CLOUD_ECS_ENDPOINT=http://127.0.0.1:8080\n\
             (`cargo run -p ecs-simulator` prints all four).\n",
        );
        text
    }
}

/// An example's `run`, boxed so `main` can take any of them.
pub type Run = for<'a> fn(
    &'a ecs_api::Client,
    &'a [String],
    &'a mut dyn Write,
) -> Pin<Box<dyn Future<Output = Result<(), Box<dyn Error>>> + 'a>>;

/// An example's `main`: the help when asked for (no client needed), else
/// `run` with a client configured from the environment.
pub async fn main(spec: &Spec, run: Run) -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut out = std::io::stdout();
    if spec.wants_help(&args) {
        write!(out, "{}", spec.help())?;
        return Ok(());
    }
    let client = ecs_api::Client::from_env()?;
    run(&client, &args, &mut out).await
}

/// The command line, checked against the example's [`Spec`]. An option
/// given more than once keeps its last value, except through
/// [`Flags::all`].
pub struct Flags<'a> {
    switches: Vec<&'a str>,
    values: Vec<(&'a str, &'a str)>,
}

impl<'a> Flags<'a> {
    /// Reads `args`: each switch of `spec` stands alone, each option takes
    /// the next argument as its value. `None` when they ask for the help,
    /// which is then written to `out`. Anything else, or an option with no
    /// value after it, is an error.
    pub fn parse(
        args: &'a [String],
        spec: &Spec,
        out: &mut dyn Write,
    ) -> Result<Option<Self>, Box<dyn Error>> {
        if spec.wants_help(args) {
            write!(out, "{}", spec.help())?;
            return Ok(None);
        }
        let mut flags = Flags {
            switches: Vec::new(),
            values: Vec::new(),
        };
        let mut args = args.iter().map(String::as_str);
        while let Some(flag) = args.next() {
            if spec.switches.iter().any(|(s, _)| *s == flag) {
                flags.switches.push(flag);
            } else if spec.options.iter().any(|(o, _, _)| *o == flag) {
                let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
                flags.values.push((flag, value));
            } else {
                return Err(format!("unknown argument `{flag}` (see --help)").into());
            }
        }
        Ok(Some(flags))
    }

    /// Whether the switch `name` was given.
    pub fn switch(&self, name: &str) -> bool {
        self.switches.contains(&name)
    }

    /// The last value given for `name`.
    pub fn value(&self, name: &str) -> Option<&'a str> {
        self.values
            .iter()
            .rev()
            .find(|(flag, _)| *flag == name)
            .map(|(_, value)| *value)
    }

    /// Every value given for a repeatable option, in order.
    pub fn all(&self, name: &str) -> Vec<&'a str> {
        self.values
            .iter()
            .filter(|(flag, _)| *flag == name)
            .map(|(_, value)| *value)
            .collect()
    }

    /// `--instance-id`, for the examples that act on one instance; the
    /// error says where ids come from.
    pub fn instance_id(&self) -> Result<&'a str, String> {
        self.value("--instance-id").ok_or_else(|| {
            "--instance-id is required: the id (i-...) of an instance in the client's region; \
             `cargo run -p ecs-api --example inventory` lists them, \
             `cargo run -p ecs-api --example create_instances -- --amount 1` makes one"
                .to_string()
        })
    }

    /// The value of `name` parsed as a `T`, or `default` when not given.
    pub fn parsed<T>(&self, name: &str, default: T) -> Result<T, String>
    where
        T: FromStr,
        T::Err: Display,
    {
        match self.value(name) {
            None => Ok(default),
            Some(value) => value
                .parse()
                .map_err(|e| format!("{name}: `{value}` is not valid: {e}")),
        }
    }

    /// `wait` with `--timeout-secs` and `--poll-ms` applied (the waiter's
    /// defaults when they are not given).
    pub fn wait_options<R: Waitable>(&self, mut wait: Wait<R>) -> Result<Wait<R>, String> {
        if self.value("--timeout-secs").is_some() {
            wait = wait.timeout(Duration::from_secs(self.parsed("--timeout-secs", 0)?));
        }
        if self.value("--poll-ms").is_some() {
            let pause = Duration::from_millis(self.parsed("--poll-ms", 0)?);
            wait = wait.min_delay(pause).max_delay(pause);
        }
        Ok(wait)
    }
}

/// The wait options every waiting example takes (see [`Flags::wait_options`]).
pub const TIMEOUT_SECS: (&str, &str, &str) = (
    "--timeout-secs",
    "N",
    "how long to wait in all [the waiter's default]",
);
pub const POLL_MS: (&str, &str, &str) =
    ("--poll-ms", "N", "poll every N ms [the waiter's backoff]");
