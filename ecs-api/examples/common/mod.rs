//! The examples' one flag parser: `--switch` and `--option VALUE`, nothing
//! more. Not an example itself (a folder without `main.rs`); each example
//! takes it in with
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

// Every example uses only some of these methods.
#![allow(dead_code)]

use std::fmt::Display;
use std::str::FromStr;

/// The command line, checked against the switches and options an example
/// takes. An option given more than once keeps its last value, except
/// through [`Flags::all`].
pub struct Flags<'a> {
    switches: Vec<&'a str>,
    values: Vec<(&'a str, &'a str)>,
}

impl<'a> Flags<'a> {
    /// Reads `args`: each of `switches` stands alone, each of `options` takes
    /// the next argument as its value. Anything else, or an option with no
    /// value after it, is an error.
    pub fn parse(args: &'a [String], switches: &[&str], options: &[&str]) -> Result<Self, String> {
        let mut flags = Flags {
            switches: Vec::new(),
            values: Vec::new(),
        };
        let mut args = args.iter().map(String::as_str);
        while let Some(flag) = args.next() {
            if switches.contains(&flag) {
                flags.switches.push(flag);
            } else if options.contains(&flag) {
                let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
                flags.values.push((flag, value));
            } else {
                return Err(format!("unknown argument `{flag}`"));
            }
        }
        Ok(flags)
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

    /// The value of an option that must be given.
    pub fn required(&self, name: &str) -> Result<&'a str, String> {
        self.value(name)
            .ok_or_else(|| format!("{name} is required"))
    }

    /// `--instance-id`, for the examples that act on one instance; the
    /// error says where ids come from.
    pub fn instance_id(&self) -> Result<&'a str, String> {
        self.value("--instance-id").ok_or_else(|| {
            "--instance-id is required: the id (i-...) of an instance in the client's region; \
             the inventory example lists them, create_instances makes some"
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
}
