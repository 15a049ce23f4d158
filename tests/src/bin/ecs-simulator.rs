//! `ecs-simulator [--addr 127.0.0.1:8080]`: the local ECS simulator as a
//! server, for trying the SDK and its examples without an account.

use ecs_simulator::simulator::{Catalog, Simulator, ACCESS_KEY_ID, ACCESS_KEY_SECRET};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut addr = String::from("127.0.0.1:8080");
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--addr" => addr = args.next().ok_or("--addr needs HOST:PORT")?,
            "-h" | "--help" => {
                println!("usage: ecs-simulator [--addr 127.0.0.1:8080]");
                return Ok(());
            }
            other => return Err(format!("unknown argument `{other}`").into()),
        }
    }
    let catalog = Catalog::pinned()?;
    let sim = Simulator::bind(&addr, catalog).await?;
    println!(
        "ECS simulator ({} operations) listening on {}",
        catalog.len(),
        sim.url()
    );
    println!("point the SDK at it:");
    println!("  export ALIBABA_CLOUD_ECS_ENDPOINT={}", sim.url());
    println!("  export ALIBABA_CLOUD_REGION_ID=cn-hangzhou");
    println!("  export ALIBABA_CLOUD_ACCESS_KEY_ID={ACCESS_KEY_ID}");
    println!("  export ALIBABA_CLOUD_ACCESS_KEY_SECRET={ACCESS_KEY_SECRET}");
    tokio::signal::ctrl_c().await?;
    Ok(())
}
