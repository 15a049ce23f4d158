//! Upgrade an instance's type: ask `DescribeResourcesModification` which
//! types it can move to, then `ModifyInstanceSpec` (pay-as-you-go; the
//! instance must be stopped) or `ModifyPrepayInstanceSpec` (subscription).
//!
//! ```sh
//! cargo run -p ecs-api --example change_instance_type -- \
//!     --instance-id i-... --instance-type ecs.g7.xlarge [--subscription]
//! ```
//!
//! Flags: `--instance-id` (required), `--instance-type [the first type
//! offered]`, `--subscription` (the instance is PrePaid).

use common::Flags;
use ecs_api::describe_resources_modification::DescribeResourcesModificationRequest;
use ecs_api::modify_instance_spec::ModifyInstanceSpecRequest;
use ecs_api::modify_prepay_instance_spec::ModifyPrepayInstanceSpecRequest;
use std::io::Write;

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
        &["--subscription"],
        &["--instance-id", "--instance-type"],
    )?;
    let instance_id = flags.required("--instance-id")?;
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
        client
            .modify_instance_spec(ModifyInstanceSpecRequest {
                instance_type: Some(target.clone()),
                ..ModifyInstanceSpecRequest::new(instance_id)
            })
            .await?;
        writeln!(
            out,
            "pay-as-you-go {instance_id} -> {target}; start it to run on the new type"
        )?;
    }
    Ok(())
}
