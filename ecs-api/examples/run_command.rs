//! Run a command on instances with Cloud Assistant: `RunCommand`, then the
//! invocation waiter until it has finished on every instance, then each
//! instance's status, exit code and output. Exits with an error when any
//! run did not succeed, so scripts can rely on it.
//!
//! ```sh
//! cargo run -p ecs-api --example run_command -- \
//!     --instance-id i-... --instance-id i-... --command 'uname -a'
//! ```

use common::{Flags, Spec, POLL_MS, TIMEOUT_SECS};
use ecs_api::describe_invocation_results::DescribeInvocationResultsRequest;
use ecs_api::run_command::RunCommandRequest;
use ecs_api::waiters::INVOCATION_FINISHED;
use std::io::Write;

#[path = "common/mod.rs"]
#[allow(clippy::duplicate_mod)] // see common/mod.rs
mod common;

const SPEC: Spec = Spec {
    name: "run_command",
    about: "Run a command on instances with Cloud Assistant (RunCommand), wait until it has\n\
            finished on every one, and print each instance's status, exit code and output.\n\
            Fails when any run did not succeed.",
    switches: &[],
    options: &[
        (
            "--instance-id",
            "ID",
            "repeatable; the instances (i-...) [required]",
        ),
        ("--command", "TEXT", "the script [uptime]"),
        (
            "--type",
            "TYPE",
            "RunShellScript, RunPowerShellScript or RunBatScript [RunShellScript]",
        ),
        (
            "--command-timeout-secs",
            "N",
            "how long the command may run on an instance [60]",
        ),
        TIMEOUT_SECS,
        POLL_MS,
    ],
};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    common::main(&SPEC, |client, args, out| Box::pin(run(client, args, out))).await
}

pub async fn run(
    client: &ecs_api::Client,
    args: &[String],
    out: &mut dyn Write,
) -> Result<(), Box<dyn std::error::Error>> {
    let Some(flags) = Flags::parse(args, &SPEC, out)? else {
        return Ok(());
    };
    flags.instance_id()?;
    let instances: Vec<String> = flags
        .all("--instance-id")
        .into_iter()
        .map(String::from)
        .collect();
    let command = flags.value("--command").unwrap_or("uptime");
    let kind = flags.value("--type").unwrap_or("RunShellScript");

    let invoke_id = client
        .run_command(RunCommandRequest {
            instance_id: instances.clone(),
            timeout: Some(flags.parsed("--command-timeout-secs", 60)?),
            content_encoding: Some("PlainText".into()),
            ..RunCommandRequest::new(kind, command)
        })
        .await?
        .invoke_id
        .ok_or("RunCommand answered without an InvokeId")?;
    writeln!(
        out,
        "invocation {invoke_id} on {} instance(s)",
        instances.len()
    )?;

    // The generated method is `wait_until_invocation_finished(invoke_id,
    // ids)`; the spec with our own request also asks for plain-text output.
    let request = DescribeInvocationResultsRequest {
        invoke_id: Some(invoke_id),
        content_encoding: Some("PlainText".into()),
        ..DescribeInvocationResultsRequest::new()
    };
    let wait = client.wait(INVOCATION_FINISHED, request, &instances);
    let results = flags.wait_options(wait)?.await?;

    let mut failed = 0;
    for result in &results {
        let status = result.invocation_status.as_deref().unwrap_or("-");
        if status != "Success" {
            failed += 1;
        }
        writeln!(
            out,
            "{} {status} exit {}{}",
            result.instance_id.as_deref().unwrap_or("-"),
            result.exit_code.map_or("-".into(), |c| c.to_string()),
            match result.error_info.as_deref() {
                Some(info) if !info.is_empty() => format!(" ({info})"),
                _ => String::new(),
            }
        )?;
        for line in result.output.as_deref().unwrap_or("").lines() {
            writeln!(out, "  | {line}")?;
        }
    }
    if failed > 0 {
        return Err(format!("{failed} of {} runs did not succeed", results.len()).into());
    }
    Ok(())
}
