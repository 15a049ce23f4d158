//! Keep a subscription instance: renew it now with `RenewInstance`, then
//! turn on auto-renewal with `ModifyInstanceAutoRenewAttribute` so it does
//! not expire later.
//!
//! ```sh
//! cargo run -p ecs-api --example renew_instance -- --instance-id i-... --period 1
//! ```

use common::{Flags, Spec};
use ecs_api::modify_instance_auto_renew_attribute::ModifyInstanceAutoRenewAttributeRequest;
use ecs_api::renew_instance::RenewInstanceRequest;
use std::io::Write;

#[path = "common/mod.rs"]
#[allow(clippy::duplicate_mod)] // see common/mod.rs
mod common;

const SPEC: Spec = Spec {
    name: "renew_instance",
    about: "Keep a subscription instance: renew it now (RenewInstance), then turn on\n\
            auto-renewal (ModifyInstanceAutoRenewAttribute) so it does not expire later.",
    switches: &[("--no-auto-renew", "renew only; leave auto-renewal as it is")],
    options: &[
        (
            "--instance-id",
            "ID",
            "the subscription instance (i-...) [required]",
        ),
        ("--period", "N", "renew for N units [1]"),
        ("--period-unit", "Month|Week", "[Month]"),
        ("--auto-renew-months", "N", "each automatic renewal [1]"),
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
    let period: i32 = flags.parsed("--period", 1)?;
    let period_unit = flags.value("--period-unit").unwrap_or("Month");
    let auto_renew_months: i32 = flags.parsed("--auto-renew-months", 1)?;
    let auto_renew = !flags.switch("--no-auto-renew");

    // ClientToken is filled by the client, so a retried renewal is not
    // charged twice.
    let renewed = client
        .renew_instance(RenewInstanceRequest {
            period: Some(period),
            period_unit: Some(period_unit.into()),
            ..RenewInstanceRequest::new(instance_id)
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
            ..ModifyInstanceAutoRenewAttributeRequest::new(instance_id)
        }
    } else {
        // Normal: renewed by hand only (NotRenewal would also silence the
        // expiry reminders).
        ModifyInstanceAutoRenewAttributeRequest {
            auto_renew: Some(false),
            renewal_status: Some("Normal".into()),
            ..ModifyInstanceAutoRenewAttributeRequest::new(instance_id)
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
