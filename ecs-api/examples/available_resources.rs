//! What can be bought where: `DescribeAvailableResource` with
//! `DestinationResource=InstanceType` for a zone, charge type and
//! (optionally) instance type, printed zone by zone.
//!
//! ```sh
//! cargo run -p ecs-api --example available_resources -- --zone cn-hangzhou-i
//! ```
//!
//! Flags (defaults in brackets): `--zone [every zone of the region]`,
//! `--charge-type PostPaid|PrePaid [PostPaid]`, `--instance-type [any]`.

use common::Flags;
use ecs_api::describe_available_resource::DescribeAvailableResourceRequest;
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
    let flags = Flags::parse(args, &[], &["--zone", "--charge-type", "--instance-type"])?;
    let request = DescribeAvailableResourceRequest {
        zone_id: flags.value("--zone").map(String::from),
        instance_charge_type: Some(flags.value("--charge-type").unwrap_or("PostPaid").into()),
        instance_type: flags.value("--instance-type").map(String::from),
        ..DescribeAvailableResourceRequest::new("InstanceType")
    };

    let response = client.describe_available_resource(request).await?;
    if response.available_zones.is_empty() {
        writeln!(out, "nothing available for these conditions")?;
    }
    for zone in &response.available_zones {
        writeln!(
            out,
            "{} {} ({})",
            zone.zone_id.as_deref().unwrap_or("-"),
            zone.status.as_deref().unwrap_or("-"),
            zone.status_category.as_deref().unwrap_or("-")
        )?;
        for resource in &zone.available_resources {
            for offer in &resource.supported_resources {
                // StatusCategory says whether stock is plentiful
                // (WithStock), scarce (ClosedWithStock) or gone.
                writeln!(
                    out,
                    "  {} {} {} ({})",
                    resource.type_.as_deref().unwrap_or("-"),
                    offer.value.as_deref().unwrap_or("-"),
                    offer.status.as_deref().unwrap_or("-"),
                    offer.status_category.as_deref().unwrap_or("-")
                )?;
            }
        }
    }
    Ok(())
}
