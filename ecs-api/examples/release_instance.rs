//! Release a pay-as-you-go instance: `StopInstance`, wait until it is
//! `Stopped`, `DeleteInstance`, wait until it is gone; or, with
//! `--auto-release-time`, schedule the release with
//! `ModifyInstanceAutoReleaseTime` instead.
//!
//! ```sh
//! cargo run -p ecs-api --example release_instance -- --instance-id i-...
//! cargo run -p ecs-api --example release_instance -- --instance-id i-... \
//!     --auto-release-time 2026-12-01T00:00:00Z
//! ```

use common::{Flags, Spec, POLL_MS, TIMEOUT_SECS};
use ecs_api::delete_instance::DeleteInstanceRequest;
use ecs_api::modify_instance_auto_release_time::ModifyInstanceAutoReleaseTimeRequest;
use ecs_api::stop_instance::StopInstanceRequest;
use std::io::Write;

#[path = "common/mod.rs"]
#[allow(clippy::duplicate_mod)] // see common/mod.rs
mod common;

const SPEC: Spec = Spec {
    name: "release_instance",
    about: "Release a pay-as-you-go instance: stop it, wait until it is Stopped, delete it\n\
            and wait until it is gone; or schedule its release.",
    switches: &[],
    options: &[
        ("--instance-id", "ID", "the instance (i-...) [required]"),
        (
            "--auto-release-time",
            "TIME",
            "release at YYYY-MM-DDTHH:MM:SSZ (UTC) instead of now",
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
    let instance_id = flags.instance_id()?;

    if let Some(at) = flags.value("--auto-release-time") {
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
    // The service refuses to delete an instance until it has stopped.
    flags
        .wait_options(client.wait_until_instances_stopped([instance_id]))?
        .await?;
    writeln!(out, "{instance_id} is Stopped")?;

    client
        .delete_instance(DeleteInstanceRequest::new(instance_id))
        .await?;
    flags
        .wait_options(client.wait_until_instances_deleted([instance_id]))?
        .await?;
    writeln!(out, "released {instance_id}")?;
    Ok(())
}
