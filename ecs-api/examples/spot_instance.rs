//! Create a spot instance whose price limit follows the market: read the
//! recent spot prices of a zone and instance type, then `RunInstances` with
//! `SpotStrategy=SpotWithPriceLimit` and a limit a margin above the highest.
//!
//! ```sh
//! cargo run -p ecs-api --example spot_instance -- \
//!     --zone cn-hangzhou-i --vswitch-id vsw-... --security-group-id sg-...
//! ```

use common::{Flags, Spec};
use ecs_api::describe_spot_price_history::DescribeSpotPriceHistoryRequest;
use ecs_api::run_instances::RunInstancesRequest;
use std::io::Write;

#[path = "common/mod.rs"]
#[allow(clippy::duplicate_mod)] // see common/mod.rs
mod common;

const SPEC: Spec = Spec {
    name: "spot_instance",
    about: "Create a spot instance whose price limit follows the market: the recent spot\n\
            prices of a zone and instance type, then RunInstances with SpotWithPriceLimit\n\
            a margin above the highest.",
    switches: &[],
    options: &[
        ("--zone", "ZONE", "[cn-hangzhou-i]"),
        ("--instance-type", "TYPE", "[ecs.g7.large]"),
        (
            "--image-id",
            "ID",
            "[aliyun_3_x64_20G_alibase_20240819.vhd]",
        ),
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
        (
            "--margin-percent",
            "N",
            "price limit above the highest recent price [20]",
        ),
    ],
};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    common::main(&SPEC, |client, args, out| Box::pin(run(client, args, out))).await
}

struct Options {
    zone: String,
    instance_type: String,
    image_id: String,
    vswitch_id: Option<String>,
    security_group_id: Option<String>,
    margin_percent: f64,
}

impl Options {
    fn parse(flags: &Flags) -> Result<Options, Box<dyn std::error::Error>> {
        Ok(Options {
            zone: flags.value("--zone").unwrap_or("cn-hangzhou-i").into(),
            instance_type: flags
                .value("--instance-type")
                .unwrap_or("ecs.g7.large")
                .into(),
            image_id: flags
                .value("--image-id")
                .unwrap_or("aliyun_3_x64_20G_alibase_20240819.vhd")
                .into(),
            vswitch_id: flags.value("--vswitch-id").map(String::from),
            security_group_id: flags.value("--security-group-id").map(String::from),
            margin_percent: flags.parsed("--margin-percent", 20.0)?,
        })
    }
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

    // Without StartTime the service returns the last three hours.
    let history = client
        .describe_spot_price_history(DescribeSpotPriceHistoryRequest {
            zone_id: Some(o.zone.clone()),
            ..DescribeSpotPriceHistoryRequest::new("vpc", o.instance_type.clone())
        })
        .await?;
    let prices: Vec<f64> = history
        .spot_prices
        .iter()
        .filter_map(|p| p.spot_price)
        .collect();
    let Some(highest) = prices.iter().copied().reduce(f64::max) else {
        return Err(format!(
            "no spot price history for {} in {}",
            o.instance_type, o.zone
        )
        .into());
    };
    let currency = history.currency.as_deref().unwrap_or("");
    writeln!(
        out,
        "{} in {}: {} spot prices, highest {highest} {currency}/hour",
        o.instance_type,
        o.zone,
        prices.len()
    )?;

    // A margin above the recent peak keeps the instance through small swings;
    // above the pay-as-you-go price a spot instance makes no sense.
    let mut limit = highest * (1.0 + o.margin_percent / 100.0);
    if let Some(origin) = history
        .spot_prices
        .iter()
        .filter_map(|p| p.origin_price)
        .reduce(f64::max)
    {
        limit = limit.min(origin);
    }
    let limit = (limit * 1000.0).round() / 1000.0;
    writeln!(out, "SpotPriceLimit {limit} {currency}/hour")?;

    let created = client
        .run_instances(RunInstancesRequest {
            zone_id: Some(o.zone),
            instance_type: Some(o.instance_type),
            image_id: Some(o.image_id),
            v_switch_id: o.vswitch_id,
            security_group_id: o.security_group_id,
            instance_name: Some("ecs-rs-spot-example".into()),
            spot_strategy: Some("SpotWithPriceLimit".into()),
            spot_price_limit: Some(limit),
            ..RunInstancesRequest::new()
        })
        .await?;
    writeln!(
        out,
        "created spot instance(s): {}",
        created.instance_id_sets.join(", ")
    )?;
    Ok(())
}
