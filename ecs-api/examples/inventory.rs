//! Every instance in every region: `DescribeRegions`, then
//! `DescribeInstances` per region, page by page with `NextToken` until the
//! token comes back empty. Output as TSV (one instance a line) or as JSON
//! (the typed `Instance` values, serialized).
//!
//! ```sh
//! cargo run -p ecs-api --example inventory -- --format json > instances.json
//! ```
//!
//! Flags (defaults in brackets): `--format tsv|json [tsv]`,
//! `--page-size 1..=100 [100]`.

use common::Flags;
use ecs_api::describe_instances::{DescribeInstancesRequest, Instance};
use ecs_api::describe_regions::DescribeRegionsRequest;
use std::collections::HashSet;
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
    let flags = Flags::parse(args, &[], &["--format", "--page-size"])?;
    let json = match flags.value("--format").unwrap_or("tsv") {
        "tsv" => false,
        "json" => true,
        other => return Err(format!("--format tsv|json, not `{other}`").into()),
    };
    let page_size: i32 = flags.parsed("--page-size", 100)?;

    let regions = client
        .describe_regions(DescribeRegionsRequest::new())
        .await?
        .regions;
    let mut instances: Vec<Instance> = Vec::new();
    for region_id in regions.into_iter().filter_map(|r| r.region_id) {
        // Each region has its own endpoint; credentials and connections are shared.
        let regional = client.with_region(region_id.as_str())?;
        let mut seen = HashSet::new();
        let mut next_token: Option<String> = None;
        loop {
            let page = regional
                .describe_instances(DescribeInstancesRequest {
                    max_results: Some(page_size),
                    next_token: next_token.clone(),
                    ..DescribeInstancesRequest::new()
                })
                .await?;
            for instance in page.instances {
                // An instance created while we page can show up twice.
                if seen.insert(instance.instance_id.clone()) {
                    instances.push(instance);
                }
            }
            match page.next_token.filter(|t| !t.is_empty()) {
                // The token we just sent coming back would loop forever.
                Some(token) if next_token.as_ref() == Some(&token) => {
                    eprintln!("{region_id}: NextToken did not advance; stopping");
                    break;
                }
                Some(token) => next_token = Some(token),
                None => break,
            }
        }
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
        // Tabs and newlines inside a value would break the columns.
        let cells: Vec<String> = cells
            .iter()
            .map(|c| c.as_deref().unwrap_or("").replace(['\t', '\n'], " "))
            .collect();
        writeln!(out, "{}", cells.join("\t"))?;
    }
    Ok(())
}
