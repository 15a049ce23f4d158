//! Keep a subscription instance: renew it now with `RenewInstance`, then
//! turn on auto-renewal with `ModifyInstanceAutoRenewAttribute` so it does
//! not expire later.
//!
//! ```sh
//! cargo run -p ecs-api --example renew_instance -- --instance-id i-... --period 1
//! ```
//!
//! Flags (defaults in brackets): `--instance-id` (required),
//! `--period [1]` and `--period-unit Month|Week [Month]` for the renewal,
//! `--auto-renew-months [1]` (each automatic renewal), `--no-auto-renew`.

use ecs_api::modify_instance_auto_renew_attribute::ModifyInstanceAutoRenewAttributeRequest;
use ecs_api::renew_instance::RenewInstanceRequest;
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
    let mut instance_id = None;
    let mut period: i32 = 1;
    let mut period_unit = String::from("Month");
    let mut auto_renew_months: i32 = 1;
    let mut auto_renew = true;
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        let mut value = || {
            args.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "--instance-id" => instance_id = Some(value()?),
            "--period" => period = value()?.parse()?,
            "--period-unit" => period_unit = value()?,
            "--auto-renew-months" => auto_renew_months = value()?.parse()?,
            "--no-auto-renew" => auto_renew = false,
            other => return Err(format!("unknown argument `{other}`").into()),
        }
    }
    let instance_id = instance_id.ok_or("--instance-id is required")?;

    // ClientToken is filled by the client, so a retried renewal is not
    // charged twice.
    let renewed = client
        .renew_instance(RenewInstanceRequest {
            period: Some(period),
            period_unit: Some(period_unit.clone()),
            ..RenewInstanceRequest::new(&instance_id)
        })
        .await?;
    writeln!(
        out,
        "renewed {instance_id} for {period} {period_unit}(s): order {}",
        renewed.order_id.as_deref().unwrap_or("-")
    )?;

    let attribute = if auto_renew {
        ModifyInstanceAutoRenewAttributeRequest {
            auto_renew: Some(true),
            renewal_status: Some("AutoRenewal".into()),
            duration: Some(auto_renew_months),
            period_unit: Some("Month".into()),
            ..ModifyInstanceAutoRenewAttributeRequest::new(&instance_id)
        }
    } else {
        // Normal: renewed by hand only (NotRenewal would also silence the
        // expiry reminders).
        ModifyInstanceAutoRenewAttributeRequest {
            auto_renew: Some(false),
            renewal_status: Some("Normal".into()),
            ..ModifyInstanceAutoRenewAttributeRequest::new(&instance_id)
        }
    };
    client
        .modify_instance_auto_renew_attribute(attribute)
        .await?;
    if auto_renew {
        writeln!(
            out,
            "auto-renewal on: {auto_renew_months} month(s) at each expiry"
        )?;
    } else {
        writeln!(out, "auto-renewal off")?;
    }
    Ok(())
}
