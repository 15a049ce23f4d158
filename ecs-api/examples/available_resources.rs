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

use ecs_api::describe_available_resource::DescribeAvailableResourceRequest;
use std::io::Write;

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
    let mut request = DescribeAvailableResourceRequest {
        instance_charge_type: Some("PostPaid".into()),
        ..DescribeAvailableResourceRequest::new("InstanceType")
    };
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        let value = args
            .next()
            .cloned()
            .ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--zone" => request.zone_id = Some(value),
            "--charge-type" => request.instance_charge_type = Some(value),
            "--instance-type" => request.instance_type = Some(value),
            other => return Err(format!("unknown argument `{other}`").into()),
        }
    }

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
