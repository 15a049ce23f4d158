//! What a Cloud Assistant script prints on a simulated instance: a small
//! shell that runs the commands fleet scripts use to report (`echo`,
//! `printf`, `hostname`, `whoami`, `pwd`, `uname`, `cat /etc/hostname`,
//! `true`, `false`, `exit`, `sleep`, variables, `$(...)`, `;`, `&&`, `||`)
//! and answers
//! anything else as bash does, `command not found` with exit code 127. The
//! output is a function of the script and the instance only, so tests can
//! assert it exactly.

use std::collections::BTreeMap;

/// The instance a script runs on.
#[derive(Debug, Clone)]
pub struct Machine<'a> {
    pub host_name: &'a str,
    pub user: &'a str,
    pub working_dir: &'a str,
}

/// Output (stdout and stderr, interleaved) and exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ran {
    pub output: String,
    pub exit_code: i64,
}

/// Runs a shell script (`RunShellScript`).
pub fn run_shell(script: &str, machine: &Machine) -> Ran {
    let mut shell = Shell {
        machine,
        vars: BTreeMap::new(),
        output: String::new(),
        status: 0,
    };
    for (n, line) in script.lines().enumerate() {
        if let Some(code) = shell.line(line, n + 1) {
            return Ran {
                output: shell.output,
                exit_code: code,
            };
        }
    }
    Ran {
        output: shell.output,
        exit_code: shell.status,
    }
}

/// Runs a Windows script (`RunBatScript`, `RunPowerShellScript`): `echo`
/// and `Write-Output`/`Write-Host` print, anything else is not recognised.
pub fn run_windows(script: &str, machine: &Machine) -> Ran {
    let mut output = String::new();
    let mut exit_code = 0;
    for line in script.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (cmd, rest) = line.split_once(' ').unwrap_or((line, ""));
        let rest = rest.trim().trim_matches('"').trim_matches('\'');
        match cmd.to_ascii_lowercase().as_str() {
            "echo" | "write-output" | "write-host" => {
                output.push_str(rest);
                output.push_str("\r\n");
            }
            "hostname" => {
                output.push_str(machine.host_name);
                output.push_str("\r\n");
            }
            "rem" | "@echo" => {}
            "exit" => {
                return Ran {
                    output,
                    exit_code: rest.parse().unwrap_or(0),
                }
            }
            _ => {
                output.push_str(&format!("'{cmd}' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n"));
                exit_code = 1;
            }
        }
    }
    Ran { output, exit_code }
}

struct Shell<'m, 'a> {
    machine: &'m Machine<'a>,
    vars: BTreeMap<String, String>,
    output: String,
    status: i64,
}

/// How a command follows the previous one.
#[derive(Clone, Copy, PartialEq)]
enum Link {
    Always,
    And,
    Or,
}

impl Shell<'_, '_> {
    /// Runs one line; `Some(code)` when it exits.
    fn line(&mut self, line: &str, number: usize) -> Option<i64> {
        for (link, words) in split(line) {
            let skip = match link {
                Link::Always => false,
                Link::And => self.status != 0,
                Link::Or => self.status == 0,
            };
            if skip || words.is_empty() {
                continue;
            }
            if let Some(code) = self.command(&words, number) {
                return Some(code);
            }
        }
        None
    }

    fn var(&self, name: &str) -> String {
        match name {
            "HOSTNAME" => self.machine.host_name.to_string(),
            "USER" | "LOGNAME" => self.machine.user.to_string(),
            "HOME" => home(self.machine.user),
            "PWD" => self.machine.working_dir.to_string(),
            "?" => self.status.to_string(),
            _ => self.vars.get(name).cloned().unwrap_or_default(),
        }
    }

    fn expand(&self, word: &Word) -> String {
        let mut out = String::new();
        for part in &word.parts {
            match part {
                Part::Literal(s) => out.push_str(s),
                Part::Var(name) => out.push_str(&self.var(name)),
                Part::Command(line) => {
                    // A subshell: its output, trailing newlines dropped.
                    let mut sub = Shell {
                        machine: self.machine,
                        vars: self.vars.clone(),
                        output: String::new(),
                        status: 0,
                    };
                    sub.line(line, 1);
                    out.push_str(sub.output.trim_end_matches('\n'));
                }
            }
        }
        out
    }

    fn print(&mut self, text: &str) {
        self.output.push_str(text);
    }

    fn command(&mut self, words: &[Word], number: usize) -> Option<i64> {
        let args: Vec<String> = words.iter().map(|w| self.expand(w)).collect();
        let name = args[0].as_str();
        if let Some((var, value)) = name.split_once('=').filter(|(v, _)| is_name(v)) {
            if args.len() == 1 {
                self.vars.insert(var.to_string(), value.to_string());
                self.status = 0;
                return None;
            }
        }
        let rest = &args[1..];
        self.status = 0;
        match name {
            "echo" => {
                let newline = rest.first().map(String::as_str) != Some("-n");
                let words: Vec<&str> = rest
                    .iter()
                    .map(String::as_str)
                    .skip_while(|w| matches!(*w, "-n" | "-e"))
                    .collect();
                let text = words.join(" ");
                self.print(&text);
                if newline {
                    self.print("\n");
                }
            }
            "printf" => {
                let format = rest.first().cloned().unwrap_or_default();
                let text = printf(&format, &rest[rest.len().min(1)..]);
                self.print(&text);
            }
            "hostname" => {
                let text = format!("{}\n", self.machine.host_name);
                self.print(&text);
            }
            "whoami" => {
                let text = format!("{}\n", self.machine.user);
                self.print(&text);
            }
            "pwd" => {
                let text = format!("{}\n", self.machine.working_dir);
                self.print(&text);
            }
            "uname" => {
                let text = match rest.first().map(String::as_str) {
                    Some("-r") => "5.10.134-16.al8.x86_64\n".to_string(),
                    Some("-m") => "x86_64\n".to_string(),
                    Some("-n") => format!("{}\n", self.machine.host_name),
                    Some("-a") => format!(
                        "Linux {} 5.10.134-16.al8.x86_64 #1 SMP x86_64 x86_64 x86_64 GNU/Linux\n",
                        self.machine.host_name
                    ),
                    _ => "Linux\n".to_string(),
                };
                self.print(&text);
            }
            "cat" if rest.iter().all(|f| f == "/etc/hostname") && !rest.is_empty() => {
                let text = format!("{}\n", self.machine.host_name).repeat(rest.len());
                self.print(&text);
            }
            "true" | ":" | "sleep" | "cd" | "export" | "set" => {}
            "false" => self.status = 1,
            "exit" => {
                return Some(
                    rest.first()
                        .and_then(|c| c.parse().ok())
                        .unwrap_or(self.status),
                )
            }
            _ => {
                let text = format!("bash: line {number}: {name}: command not found\n");
                self.print(&text);
                self.status = 127;
            }
        }
        None
    }
}

fn home(user: &str) -> String {
    if user == "root" {
        "/root".into()
    } else {
        format!("/home/{user}")
    }
}

fn is_name(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `printf FORMAT ARGS`: `%s`, `%d`, `%%`, `\n`, `\t`, `\\`.
fn printf(format: &str, args: &[String]) -> String {
    let mut out = String::new();
    let mut args = args.iter();
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek().copied()) {
            ('\\', Some('n')) => {
                chars.next();
                out.push('\n');
            }
            ('\\', Some('t')) => {
                chars.next();
                out.push('\t');
            }
            ('\\', Some('\\')) => {
                chars.next();
                out.push('\\');
            }
            ('%', Some('%')) => {
                chars.next();
                out.push('%');
            }
            ('%', Some('s' | 'd')) => {
                chars.next();
                out.push_str(args.next().map_or("", String::as_str));
            }
            _ => out.push(c),
        }
    }
    out
}

#[derive(Debug, Default, Clone, PartialEq)]
struct Word {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq)]
enum Part {
    Literal(String),
    Var(String),
    /// `$(...)`.
    Command(String),
}

impl Word {
    fn literal(&mut self, c: char) {
        match self.parts.last_mut() {
            Some(Part::Literal(s)) => s.push(c),
            _ => self.parts.push(Part::Literal(c.to_string())),
        }
    }
}

/// Splits a line into commands and their words: quotes, `$VAR`/`${VAR}`
/// (not inside single quotes), `#` comments, `;`, `&&`, `||`.
fn split(line: &str) -> Vec<(Link, Vec<Word>)> {
    let mut commands = Vec::new();
    let mut words: Vec<Word> = Vec::new();
    let mut word: Option<Word> = None;
    let mut link = Link::Always;
    let mut chars = line.chars().peekable();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '\'' | '"') => {
                quote = Some(c);
                word.get_or_insert_with(Word::default);
            }
            (Some('\''), c) => word.get_or_insert_with(Word::default).literal(c),
            (q, '$') if q != Some('\'') && chars.peek() == Some(&'(') => {
                chars.next();
                let mut depth = 1;
                let mut inner = String::new();
                for n in chars.by_ref() {
                    depth += match n {
                        '(' => 1,
                        ')' => -1,
                        _ => 0,
                    };
                    if depth == 0 {
                        break;
                    }
                    inner.push(n);
                }
                word.get_or_insert_with(Word::default)
                    .parts
                    .push(Part::Command(inner));
            }
            (_, '$') => {
                let braced = chars.peek() == Some(&'{');
                if braced {
                    chars.next();
                }
                let mut name = String::new();
                while let Some(&n) = chars.peek() {
                    let ok = if name.is_empty() && n == '?' {
                        true
                    } else {
                        n.is_ascii_alphanumeric() || n == '_'
                    };
                    if !ok || name == "?" {
                        break;
                    }
                    name.push(n);
                    chars.next();
                }
                if braced && chars.peek() == Some(&'}') {
                    chars.next();
                }
                let w = word.get_or_insert_with(Word::default);
                if name.is_empty() {
                    w.literal('$');
                } else {
                    w.parts.push(Part::Var(name));
                }
            }
            (Some(_), c) => word.get_or_insert_with(Word::default).literal(c),
            (None, '#') if word.is_none() => break,
            (None, ' ' | '\t') => words.extend(word.take()),
            (None, ';') => {
                words.extend(word.take());
                commands.push((link, std::mem::take(&mut words)));
                link = Link::Always;
            }
            (None, '&' | '|') if chars.peek() == Some(&c) => {
                chars.next();
                words.extend(word.take());
                commands.push((link, std::mem::take(&mut words)));
                link = if c == '&' { Link::And } else { Link::Or };
            }
            (None, c) => word.get_or_insert_with(Word::default).literal(c),
        }
    }
    words.extend(word.take());
    commands.push((link, words));
    commands
}

#[cfg(test)]
mod tests {
    use super::*;

    fn machine() -> Machine<'static> {
        Machine {
            host_name: "web-001",
            user: "root",
            working_dir: "/root",
        }
    }

    fn run(script: &str) -> Ran {
        run_shell(script, &machine())
    }

    #[test]
    fn echo_prints_its_words_with_quotes_and_variables_resolved() {
        let ran = run("#!/bin/bash\necho hello  world\necho 'single $HOSTNAME' \"double $HOSTNAME\"\nNAME=fleet; echo ${NAME}-ok");
        assert_eq!(
            ran.output,
            "hello world\nsingle $HOSTNAME double web-001\nfleet-ok\n"
        );
        assert_eq!(ran.exit_code, 0);
    }

    #[test]
    fn the_instance_answers_for_itself() {
        assert_eq!(
            run("hostname; whoami; pwd").output,
            "web-001\nroot\n/root\n"
        );
        assert_eq!(run("cat /etc/hostname").output, "web-001\n");
    }

    #[test]
    fn an_unknown_command_is_not_found_with_exit_code_127_and_the_script_goes_on() {
        let ran = run("nginx -v\necho after");
        assert_eq!(
            ran.output,
            "bash: line 1: nginx: command not found\nafter\n"
        );
        assert_eq!(ran.exit_code, 0);
        assert_eq!(run("nginx -v").exit_code, 127);
    }

    #[test]
    fn command_substitution_puts_a_commands_output_in_place() {
        assert_eq!(
            run("echo \"on $(hostname) as $(whoami)\"").output,
            "on web-001 as root\n"
        );
        assert_eq!(run("echo '$(hostname)'").output, "$(hostname)\n");
    }

    #[test]
    fn exit_stops_the_script_with_its_code() {
        let ran = run("echo one\nexit 3\necho two");
        assert_eq!((ran.output.as_str(), ran.exit_code), ("one\n", 3));
    }

    #[test]
    fn and_and_or_follow_the_previous_status() {
        assert_eq!(run("false && echo no || echo yes").output, "yes\n");
        assert_eq!(run("true && echo yes").output, "yes\n");
        assert_eq!(run("printf '%s=%d\\n' a 1").output, "a=1\n");
    }
}
