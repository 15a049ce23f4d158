//! Credentials printed by a process (a CLI profile in `External` mode):
//! `process_command` is split into words as a POSIX shell would, run
//! without a shell, and its standard output read as
//! `{"mode":"AK"|"StsToken","access_key_id","access_key_secret","sts_token","expiration"}`.

use super::{BoxFuture, Credentials, Environment, ProvideCredentials};
use crate::Error;
use serde::Deserialize;
use std::process::Stdio;
use std::time::Duration;

const NAME: &str = "external";

/// How long the process may run (the official libraries' default).
pub const DEFAULT_PROCESS_TIMEOUT: Duration = Duration::from_secs(60);

/// Characters of the process's standard error quoted in errors.
const STDERR_CHARS: usize = 500;

#[derive(Debug, Clone)]
pub struct ExternalProvider {
    argv: Vec<String>,
    env: Environment,
    timeout: Duration,
}

#[derive(Deserialize)]
struct Output {
    #[serde(default)]
    mode: String,
    #[serde(default)]
    access_key_id: String,
    #[serde(default)]
    access_key_secret: String,
    #[serde(default)]
    sts_token: String,
    #[serde(default)]
    expiration: String,
}

impl ExternalProvider {
    /// Runs `command` with the variables of `env` (and its home as `HOME`)
    /// as its whole environment.
    pub fn new(command: &str, env: &Environment) -> Result<Self, Error> {
        let argv = split_command(command).map_err(|why| {
            Error::credentials(NAME, format!("process_command `{command}`: {why}"))
        })?;
        Ok(ExternalProvider {
            argv,
            env: env.clone(),
            timeout: DEFAULT_PROCESS_TIMEOUT,
        })
    }

    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    async fn fetch(&self) -> Result<Credentials, Error> {
        let program = &self.argv[0];
        let fail = |why: String| Error::credentials(NAME, format!("`{program}`: {why}"));
        let mut command = tokio::process::Command::new(program);
        command
            .args(&self.argv[1..])
            .env_clear()
            .envs(self.env.vars())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        if let Some(home) = self.env.home() {
            command.env("HOME", home);
        }
        let child = command
            .spawn()
            .map_err(|e| fail(format!("cannot run it: {e}")))?;
        let out = tokio::time::timeout(self.timeout, child.wait_with_output())
            .await
            .map_err(|_| fail(format!("did not finish within {:?}", self.timeout)))?
            .map_err(|e| fail(format!("cannot read its output: {e}")))?;
        if !out.status.success() {
            let stderr = String::from_utf8_lossy(&out.stderr);
            let mut excerpt: String = stderr.trim().chars().take(STDERR_CHARS).collect();
            if excerpt.len() < stderr.trim().len() {
                excerpt.push('…');
            }
            return Err(fail(format!("{}; stderr: {excerpt}", out.status)));
        }
        // The output holds secrets: never quote it.
        let doc: Output = serde_json::from_slice(&out.stdout).map_err(|e| {
            fail(format!(
                "its output is not a credentials document (line {}, column {})",
                e.line(),
                e.column()
            ))
        })?;
        let creds = match doc.mode.as_str() {
            "AK" => Credentials::new(doc.access_key_id, doc.access_key_secret),
            "StsToken" if doc.sts_token.is_empty() => {
                return Err(fail("its output has mode StsToken but no sts_token".into()))
            }
            "StsToken" => Credentials::sts(doc.access_key_id, doc.access_key_secret, doc.sts_token),
            other => {
                return Err(fail(format!(
                    "its output has mode `{other}`; expected AK or StsToken"
                )))
            }
        };
        let creds = match doc.expiration.trim() {
            "" => creds,
            exp => creds.with_expiration(crate::utc::parse(exp).ok_or_else(|| {
                fail(format!(
                    "its `expiration` `{exp}` is not YYYY-MM-DDThh:mm:ssZ"
                ))
            })?),
        };
        creds.validated(NAME)
    }
}

impl ProvideCredentials for ExternalProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, Error>> {
        Box::pin(self.fetch())
    }
}

/// Splits a command line into words: blanks separate words; `'...'` is
/// literal; in `"..."` a backslash escapes `"`, `\`, `$` and `` ` ``;
/// elsewhere a backslash escapes the next character; backslash-newline
/// joins lines.
pub(crate) fn split_command(command: &str) -> Result<Vec<String>, String> {
    #[derive(PartialEq)]
    enum Quote {
        None,
        Single,
        Double,
    }
    let mut words = Vec::new();
    let mut word = String::new();
    let mut started = false;
    let mut quote = Quote::None;
    let mut chars = command.chars().peekable();
    while let Some(c) = chars.next() {
        match (&quote, c) {
            (Quote::Single, '\'') | (Quote::Double, '"') => quote = Quote::None,
            (Quote::Single, c) => word.push(c),
            (Quote::Double, '\\') => match chars.peek() {
                Some('"' | '\\' | '$' | '`') => word.extend(chars.next()),
                Some('\n') => {
                    chars.next();
                }
                _ => word.push('\\'),
            },
            (Quote::Double, c) => word.push(c),
            (Quote::None, '\'') => (quote, started) = (Quote::Single, true),
            (Quote::None, '"') => (quote, started) = (Quote::Double, true),
            (Quote::None, '\\') => match chars.next() {
                Some('\n') => {}
                Some(next) => {
                    word.push(next);
                    started = true;
                }
                None => return Err("it ends with a lone backslash".into()),
            },
            (Quote::None, c) if c.is_whitespace() => {
                if started || !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                    started = false;
                }
            }
            (Quote::None, c) => word.push(c),
        }
    }
    if quote != Quote::None {
        return Err("it has an unclosed quote".into());
    }
    if started || !word.is_empty() {
        words.push(word);
    }
    if words.is_empty() {
        return Err("it is empty".into());
    }
    Ok(words)
}
