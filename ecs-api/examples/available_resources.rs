//! What can be bought where: `DescribeAvailableResource` with
//! `DestinationResource=InstanceType` for a zone, charge type and
//! (optionally) instance type, printed zone by zone.
//!
//! ```sh
//! cargo run -p ecs-api --example available_resources -- --zone cn-hangzhou-i
//! ```

use common::{Flags, Spec};
use ecs_api::describe_available_resource::DescribeAvailableResourceRequest;
use std::io::Write;

#[path = "common/mod.rs"]
#[allow(clippy::duplicate_mod)] // see common/mod.rs
mod common;

const SPEC: Spec = Spec {
    name: "available_resources",
    about: "What can be bought where: the instance types DescribeAvailableResource offers,\n\
            zone by zone, for a charge type.",
    switches: &[],
    options: &[
        ("--zone", "ZONE", "[every zone of the region]"),
        ("--charge-type", "PostPaid|PrePaid", "[PostPaid]"),
        ("--instance-type", "TYPE", "only this type [any]"),
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
