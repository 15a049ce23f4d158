//! Upgrade an instance's type: ask `DescribeResourcesModification` which
//! types it can move to, then `ModifyInstanceSpec` (pay-as-you-go: the
//! instance must be stopped; with `--stop` the example stops it, waits
//! until it is `Stopped`, changes the type, starts it and waits until it
//! is `Running`) or `ModifyPrepayInstanceSpec` (subscription).
//!
//! ```sh
//! cargo run -p ecs-api --example change_instance_type -- \
//!     --instance-id i-... --instance-type ecs.g7.xlarge [--stop] [--subscription]
//! ```

use common::{Flags, Spec, POLL_MS, TIMEOUT_SECS};
use ecs_api::describe_instance_attribute::DescribeInstanceAttributeRequest;
use ecs_api::describe_resources_modification::DescribeResourcesModificationRequest;
use ecs_api::modify_instance_spec::ModifyInstanceSpecRequest;
use ecs_api::modify_prepay_instance_spec::ModifyPrepayInstanceSpecRequest;
use ecs_api::start_instance::StartInstanceRequest;
use ecs_api::stop_instance::StopInstanceRequest;
use std::io::Write;

#[path = "common/mod.rs"]
#[allow(clippy::duplicate_mod)] // see common/mod.rs
mod common;

const SPEC: Spec = Spec {
    name: "change_instance_type",
    about: "Upgrade an instance's type to one DescribeResourcesModification offers. A\n\
            pay-as-you-go instance changes type when stopped: with --stop the example stops\n\
            it, waits, changes the type, starts it again and waits until it is Running.",
    switches: &[
        (
            "--subscription",
            "the instance is a subscription (PrePaid) one",
        ),
        (
            "--stop",
            "stop a running pay-as-you-go instance first, start it after",
        ),
    ],
    options: &[
        ("--instance-id", "ID", "the instance (i-...) [required]"),
        (
            "--instance-type",
            "TYPE",
            "the new type [the first one offered]",
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
    let wanted = flags.value("--instance-type");
    let subscription = flags.switch("--subscription");

    let offers = client
        .describe_resources_modification(DescribeResourcesModificationRequest {
            operation_type: Some("Upgrade".into()),
            ..DescribeResourcesModificationRequest::new(instance_id, "InstanceType")
        })
        .await?;
    let available: Vec<&str> = offers
        .available_zones
        .iter()
        .flat_map(|zone| &zone.available_resources)
        .filter(|resource| resource.type_.as_deref() == Some("InstanceType"))
        .flat_map(|resource| &resource.supported_resources)
        .filter(|offer| offer.status.as_deref() == Some("Available"))
        .filter_map(|offer| offer.value.as_deref())
        .collect();
    writeln!(
        out,
        "{instance_id} can upgrade to: {}",
        if available.is_empty() {
            "nothing".to_string()
        } else {
            available.join(", ")
        }
    )?;
    let target = match wanted {
        Some(t) if available.contains(&t) => t.to_string(),
        Some(t) => {
            return Err(format!("{t} is not offered as an upgrade for {instance_id}").into())
        }
        None => available
            .first()
            .map(|t| t.to_string())
            .ok_or("no instance type is available as an upgrade")?,
    };

    if subscription {
        let response = client
            .modify_prepay_instance_spec(ModifyPrepayInstanceSpecRequest {
                operator_type: Some("upgrade".into()),
                ..ModifyPrepayInstanceSpecRequest::new(instance_id, &target)
            })
            .await?;
        writeln!(
            out,
            "subscription {instance_id} -> {target}: order {}",
            response.order_id.as_deref().unwrap_or("-")
        )?;
    } else {
        let status = status_of(client, instance_id).await?;
        let stopped_here = match status.as_str() {
            "Stopped" => false,
            _ if flags.switch("--stop") => {
                client
                    .stop_instance(StopInstanceRequest::new(instance_id))
                    .await?;
                writeln!(out, "stopping {instance_id} (it was {status})")?;
                flags
                    .wait_options(client.wait_until_instances_stopped([instance_id]))?
                    .await?;
                true
            }
            _ => {
                return Err(format!(
                "{instance_id} is {status}; a pay-as-you-go instance changes type when stopped: \
                     stop it first, or pass --stop"
            )
                .into())
            }
        };
        client
            .modify_instance_spec(ModifyInstanceSpecRequest {
                instance_type: Some(target.clone()),
                ..ModifyInstanceSpecRequest::new(instance_id)
            })
            .await?;
        writeln!(out, "pay-as-you-go {instance_id} -> {target}")?;
        if stopped_here {
            client
                .start_instance(StartInstanceRequest::new(instance_id))
                .await?;
            writeln!(out, "starting {instance_id} again, now {target}")?;
            flags
                .wait_options(client.wait_until_instances_running([instance_id]))?
                .await?;
            writeln!(out, "{instance_id} is Running as {target}")?;
        } else {
            writeln!(out, "start it to run on the new type")?;
        }
    }
    Ok(())
}

async fn status_of(
    client: &ecs_api::Client,
    instance_id: &str,
) -> Result<String, Box<dyn std::error::Error>> {
    let attribute = client
        .describe_instance_attribute(DescribeInstanceAttributeRequest::new(instance_id))
        .await?;
    Ok(attribute.status.unwrap_or_default())
}
