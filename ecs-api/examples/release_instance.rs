//! Release a pay-as-you-go instance: `StopInstance`, then `DeleteInstance`
//! once it has stopped; or, with `--auto-release-time`, schedule the release
//! with `ModifyInstanceAutoReleaseTime` instead.
//!
//! ```sh
//! cargo run -p ecs-api --example release_instance -- --instance-id i-...
//! cargo run -p ecs-api --example release_instance -- --instance-id i-... \
//!     --auto-release-time 2026-12-01T00:00:00Z
//! ```
//!
//! Flags (defaults in brackets): `--instance-id` (required),
//! `--auto-release-time YYYY-MM-DDTHH:MM:SSZ` (UTC), `--poll-ms [5000]`,
//! `--attempts [60]`.

use common::Flags;
use ecs_api::delete_instance::DeleteInstanceRequest;
use ecs_api::modify_instance_auto_release_time::ModifyInstanceAutoReleaseTimeRequest;
use ecs_api::stop_instance::StopInstanceRequest;
use std::io::Write;
use std::time::Duration;

#[path = "common/mod.rs"]
#[allow(clippy::duplicate_mod)] // see common/mod.rs
mod common;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = ecs_api::Client::from_env()?;
    let args: Vec<String> = std::env::args().skip(1).collect();
    run(&client, &args, &mut std::io::stdout()).await
}

pub async fn run(
    client: &ecs_api::Client,
    args: &[String],
    out: &mut dyn Write,
) -> Result<(), Box<dyn std::error::Error>> {
    let flags = Flags::parse(
        args,
        &[],
        &[
            "--instance-id",
            "--auto-release-time",
            "--poll-ms",
            "--attempts",
        ],
    )?;
    let instance_id = flags.instance_id()?;
    let release_at = flags.value("--auto-release-time");
    let poll = Duration::from_millis(flags.parsed("--poll-ms", 5000)?);
    let attempts: u32 = flags.parsed("--attempts", 60)?;

    if let Some(at) = release_at {
        client
            .modify_instance_auto_release_time(ModifyInstanceAutoReleaseTimeRequest {
                auto_release_time: Some(at.into()),
                ..ModifyInstanceAutoReleaseTimeRequest::new(instance_id)
            })
            .await?;
        writeln!(out, "{instance_id} will be released at {at}")?;
        return Ok(());
    }

    client
        .stop_instance(StopInstanceRequest::new(instance_id))
        .await?;
    writeln!(out, "stopping {instance_id}")?;

    // Stopping takes a while; until it is done the service refuses the
    // delete with IncorrectInstanceStatus, so try again after a pause.
    for attempt in 1..=attempts {
        match client
            .delete_instance(DeleteInstanceRequest::new(instance_id))
            .await
        {
            Ok(_) => {
                writeln!(out, "released {instance_id}")?;
                return Ok(());
            }
            Err(e)
                if e.code()
                    .is_some_and(|c| c.starts_with("IncorrectInstanceStatus")) =>
            {
                writeln!(out, "attempt {attempt}: not stopped yet")?;
                tokio::time::sleep(poll).await;
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(format!("{instance_id} did not stop after {attempts} attempts").into())
}
