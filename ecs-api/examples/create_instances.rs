//! Create pay-as-you-go instances in one batch: a dry run first, then
//! `RunInstances` with `Amount`, tags, a data disk and our own
//! `ClientToken`, then `wait_until_instances_running` for the new ids.
//!
//! ```sh
//! cargo run -p ecs-api --example create_instances -- \
//!     --vswitch-id vsw-... --security-group-id sg-... --amount 2 --tag team=sdk
//! ```

use common::{Flags, Spec, POLL_MS, TIMEOUT_SECS};
use ecs_api::run_instances::{DataDisk, RunInstancesRequest, Tag};
use std::io::Write;
use std::time::{SystemTime, UNIX_EPOCH};

#[path = "common/mod.rs"]
#[allow(clippy::duplicate_mod)] // see common/mod.rs
mod common;

const SPEC: Spec = Spec {
    name: "create_instances",
    about: "Create pay-as-you-go instances in one batch (a dry run first, then RunInstances\n\
            with a ClientToken, so a retried run creates nothing twice) and wait until every\n\
            one is Running.",
    switches: &[],
    options: &[
        (
            "--image-id",
            "ID",
            "[aliyun_3_x64_20G_alibase_20240819.vhd]",
        ),
        ("--instance-type", "TYPE", "[ecs.g7.large]"),
        ("--zone", "ZONE", "zone id [the vSwitch's, or any]"),
        (
            "--vswitch-id",
            "ID",
            "vSwitch to launch in [the zone's default]",
        ),
        (
            "--security-group-id",
            "ID",
            "security group [the default one]",
        ),
        ("--amount", "N", "instances to create, 1..=100 [2]"),
        (
            "--tag",
            "KEY=VALUE",
            "repeatable [ecs-rs-example=create_instances]",
        ),
        ("--data-disk-gib", "N", "one ESSD data disk of N GiB [40]"),
        (
            "--client-token",
            "TOKEN",
            "reuse it to retry a batch without duplicates [generated]",
        ),
        TIMEOUT_SECS,
        POLL_MS,
    ],
};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    common::main(&SPEC, |client, args, out| Box::pin(run(client, args, out))).await
}

struct Options {
    image_id: String,
    instance_type: String,
    zone: Option<String>,
    vswitch_id: Option<String>,
    security_group_id: Option<String>,
    amount: i32,
    tags: Vec<(String, String)>,
    data_disk_gib: i32,
    client_token: String,
}

impl Options {
    fn parse(flags: &Flags) -> Result<Options, Box<dyn std::error::Error>> {
        let amount = flags.parsed("--amount", 2)?;
        // RunInstances creates at most 100 at once.
        if !(1..=100).contains(&amount) {
            return Err(format!("--amount must be 1..=100, got {amount}").into());
        }
        let mut tags = Vec::new();
        for tag in flags.all("--tag") {
            let (key, value) = tag
                .split_once('=')
                .ok_or_else(|| format!("--tag wants KEY=VALUE, got `{tag}`"))?;
            tags.push((key.to_string(), value.to_string()));
        }
        if tags.is_empty() {
            tags.push(("ecs-rs-example".into(), "create_instances".into()));
        }
        Ok(Options {
            image_id: flags
                .value("--image-id")
                .unwrap_or("aliyun_3_x64_20G_alibase_20240819.vhd")
                .into(),
            instance_type: flags
                .value("--instance-type")
                .unwrap_or("ecs.g7.large")
                .into(),
            zone: flags.value("--zone").map(String::from),
            vswitch_id: flags.value("--vswitch-id").map(String::from),
            security_group_id: flags.value("--security-group-id").map(String::from),
            amount,
            tags,
            data_disk_gib: flags.parsed("--data-disk-gib", 40)?,
            client_token: flags
                .value("--client-token")
                .map_or_else(generated_client_token, String::from),
        })
    }
}

/// Unique per run; the same token on a retry makes the service return the
/// first call's instances instead of creating more.
fn generated_client_token() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("ecs-rs-example-{nanos:x}")
}

pub async fn run(
    client: &ecs_api::Client,
    args: &[String],
    out: &mut dyn Write,
) -> Result<(), Box<dyn std::error::Error>> {
    let Some(flags) = Flags::parse(args, &SPEC, out)? else {
        return Ok(());
    };
    let o = Options::parse(&flags)?;
    let request = RunInstancesRequest {
        image_id: Some(o.image_id),
        instance_type: Some(o.instance_type),
        zone_id: o.zone,
        v_switch_id: o.vswitch_id,
        security_group_id: o.security_group_id,
        instance_name: Some("ecs-rs-example".into()),
        amount: Some(o.amount),
        client_token: Some(o.client_token.clone()),
        tag: o
            .tags
            .into_iter()
            .map(|(key, value)| Tag {
                key: Some(key),
                value: Some(value),
            })
            .collect(),
        data_disk: vec![DataDisk {
            size: Some(o.data_disk_gib),
            category: Some("cloud_essd".into()),
            delete_with_instance: Some(true),
            ..DataDisk::new()
        }],
        ..RunInstancesRequest::new()
    };

    // The dry run checks parameters, quota and stock without creating anything.
    let dry_run = RunInstancesRequest {
        dry_run: Some(true),
        ..request.clone()
    };
    match client.run_instances(dry_run).await {
        Err(e) if e.is_dry_run_passed() => writeln!(
            out,
            "dry run passed (RequestId {})",
            e.request_id().unwrap_or("-")
        )?,
        Err(e) => return Err(format!("dry run failed: {e}").into()),
        Ok(_) => return Err("the dry run was answered as a real call; stopping".into()),
    }

    let created = client.run_instances(request).await?;
    let ids = created.instance_id_sets;
    writeln!(
        out,
        "created {} of {} instances (ClientToken {}): {}",
        ids.len(),
        o.amount,
        o.client_token,
        ids.join(", ")
    )?;
    if ids.is_empty() {
        return Err("RunInstances returned no instance ids".into());
    }

    writeln!(out, "waiting until all {} are Running", ids.len())?;
    let wait = flags.wait_options(client.wait_until_instances_running(&ids))?;
    let running = wait.await?;
    for instance in &running {
        writeln!(
            out,
            "  {} {} {}",
            instance.instance_id.as_deref().unwrap_or("-"),
            instance.status.as_deref().unwrap_or("-"),
            instance.zone_id.as_deref().unwrap_or("-")
        )?;
    }
    writeln!(out, "all {} instances are Running", running.len())?;
    Ok(())
}
