//! Every instance in every region: `DescribeRegions`, then each region's
//! instances through `describe_instances_paginator` (every page, by
//! `NextToken`). Output as TSV (one instance a line) or JSON (the typed
//! `Instance` values, serialized); with `--summary`, the counts fleet teams
//! script: by region, status, instance type, VPC and security group.
//!
//! ```sh
//! cargo run -p ecs-api --example inventory -- --format json > instances.json
//! cargo run -p ecs-api --example inventory -- --summary
//! ```

use common::{Flags, Spec};
use ecs_api::describe_instances::{DescribeInstancesRequest, Instance};
use ecs_api::describe_regions::DescribeRegionsRequest;
use std::collections::BTreeMap;
use std::io::Write;

#[path = "common/mod.rs"]
#[allow(clippy::duplicate_mod)] // see common/mod.rs
mod common;

const SPEC: Spec = Spec {
    name: "inventory",
    about: "List every instance in every region (or in the regions given), all pages, as\n\
            TSV or JSON; with --summary, count them by region, status, instance type, VPC\n\
            and security group.",
    switches: &[(
        "--summary",
        "counts instead of the instances (an instance in two groups counts in both)",
    )],
    options: &[
        ("--format", "tsv|json", "[tsv]"),
        ("--page-size", "N", "instances a page, 1..=100 [100]"),
        (
            "--region",
            "ID",
            "repeatable [every region DescribeRegions lists]",
        ),
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
    let json = match flags.value("--format").unwrap_or("tsv") {
        "tsv" => false,
        "json" => true,
        other => return Err(format!("--format tsv|json, not `{other}`").into()),
    };
    let page_size: u32 = flags.parsed("--page-size", 100)?;

    let mut regions: Vec<String> = flags
        .all("--region")
        .into_iter()
        .map(String::from)
        .collect();
    if regions.is_empty() {
        regions = client
            .describe_regions(DescribeRegionsRequest::new())
            .await?
            .regions
            .into_iter()
            .filter_map(|r| r.region_id)
            .collect();
    }
    let mut instances: Vec<Instance> = Vec::new();
    for region_id in &regions {
        // Each region has its own endpoint; credentials and connections are shared.
        let regional = client.with_region(region_id.as_str())?;
        let listed = regional
            .describe_instances_paginator(DescribeInstancesRequest::new())
            .page_size(page_size)
            .collect_items()
            .await?;
        instances.extend(listed);
    }

    if flags.switch("--summary") {
        return summary(&instances, json, out);
    }
    if json {
        serde_json::to_writer_pretty(&mut *out, &instances)?;
        writeln!(out)?;
        return Ok(());
    }
    writeln!(
        out,
        "region\tzone\tinstance_id\tname\tinstance_type\tstatus\tcharge_type"
    )?;
    for i in &instances {
        let cells = [
            &i.region_id,
            &i.zone_id,
            &i.instance_id,
            &i.instance_name,
            &i.instance_type,
            &i.status,
            &i.instance_charge_type,
        ];
        let cells: Vec<String> = cells.iter().map(|c| cell(c.as_deref())).collect();
        writeln!(out, "{}", cells.join("\t"))?;
    }
    Ok(())
}

/// A TSV cell: `-` when absent; tabs and newlines would break the columns.
fn cell(value: Option<&str>) -> String {
    match value {
        Some(v) if !v.is_empty() => v.replace(['\t', '\n'], " "),
        _ => "-".into(),
    }
}

/// The counts by each dimension, in TSV (`dimension value instances`) or
/// as one JSON object.
fn summary(
    instances: &[Instance],
    json: bool,
    out: &mut dyn Write,
) -> Result<(), Box<dyn std::error::Error>> {
    let mut counts: BTreeMap<&str, BTreeMap<String, usize>> = BTreeMap::new();
    let mut count = |dimension: &'static str, value: Option<&str>| {
        *counts
            .entry(dimension)
            .or_default()
            .entry(cell(value))
            .or_default() += 1;
    };
    for i in instances {
        count("region", i.region_id.as_deref());
        count("status", i.status.as_deref());
        count("instance_type", i.instance_type.as_deref());
        let vpc = i.vpc_attributes.as_ref().and_then(|v| v.vpc_id.as_deref());
        count("vpc", vpc);
        if i.security_group_ids.is_empty() {
            count("security_group", None);
        }
        for group in &i.security_group_ids {
            count("security_group", Some(group));
        }
    }
    if json {
        let mut doc = serde_json::json!({ "instances": instances.len() });
        for (dimension, values) in &counts {
            doc[*dimension] = serde_json::json!(values);
        }
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        writeln!(out)?;
        return Ok(());
    }
    writeln!(out, "dimension\tvalue\tinstances")?;
    writeln!(out, "all\t-\t{}", instances.len())?;
    for dimension in ["region", "status", "instance_type", "vpc", "security_group"] {
        for (value, n) in counts.get(dimension).into_iter().flatten() {
            writeln!(out, "{dimension}\t{value}\t{n}")?;
        }
    }
    Ok(())
}
