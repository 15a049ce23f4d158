//! "Hello Alibaba Cloud": list the regions, then the instances of the
//! client's region.
//!
//! ```sh
//! cargo run -p ecs-api --example hello_ecs
//! ```
//!
//! Region, endpoint and credentials come from the environment
//! (`ALIBABA_CLOUD_REGION_ID`, `ALIBABA_CLOUD_ECS_ENDPOINT`,
//! `ALIBABA_CLOUD_ACCESS_KEY_ID` / `_SECRET`); `ecs-simulator` prints them.

use common::Flags;
use ecs_api::describe_instances::DescribeInstancesRequest;
use ecs_api::describe_regions::DescribeRegionsRequest;
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
    Flags::parse(args, &[], &[]).map_err(|e| format!("{e} (hello_ecs takes none)"))?;

    let regions = client
        .describe_regions(DescribeRegionsRequest::new())
        .await?
        .regions;
    writeln!(out, "{} regions:", regions.len())?;
    for region in &regions {
        writeln!(
            out,
            "  {:<20} {}",
            region.region_id.as_deref().unwrap_or("-"),
            region.local_name.as_deref().unwrap_or("")
        )?;
    }

    // RegionId is left out: the client fills in its own region.
    let here = client.region().unwrap_or("the default region");
    let response = client
        .describe_instances(DescribeInstancesRequest::new())
        .await?;
    let shown = response.instances.len();
    let total = response.total_count.map_or(shown, |n| n.max(0) as usize);
    writeln!(out, "{total} instances in {here}:")?;
    for instance in &response.instances {
        writeln!(
            out,
            "  {} {}",
            instance.instance_id.as_deref().unwrap_or("-"),
            instance.status.as_deref().unwrap_or("-")
        )?;
    }
    if total > shown {
        // One page only; the inventory example pages through all of them.
        writeln!(out, "  ... and {} more", total - shown)?;
    }
    Ok(())
}
