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

use common::{Flags, Spec};
use ecs_api::describe_instances::DescribeInstancesRequest;
use ecs_api::describe_regions::DescribeRegionsRequest;
use std::io::Write;

#[path = "common/mod.rs"]
#[allow(clippy::duplicate_mod)] // see common/mod.rs
mod common;

const SPEC: Spec = Spec {
    name: "hello_ecs",
    about: "Hello Alibaba Cloud: list the regions, then the instances of the client's region.",
    switches: &[],
    options: &[],
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
    if Flags::parse(args, &SPEC, out)?.is_none() {
        return Ok(());
    }

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
