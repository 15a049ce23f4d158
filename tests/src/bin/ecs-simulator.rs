//! `ecs-simulator`: the local ECS simulator as a server, for trying the SDK,
//! its examples and other languages' clients without an account.
//! `ecs-simulator --help` lists the flags.

use ecs_simulator::simulator::cli::{self, Command};
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let run = match cli::parse(&args) {
        Ok(Command::Run(run)) => run,
        Ok(Command::Help) => {
            print!("{}", cli::help());
            return ExitCode::SUCCESS;
        }
        Ok(Command::Version) => {
            println!("ecs-simulator {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("ecs-simulator: {e}");
            return ExitCode::from(2);
        }
    };
    let sim = match run.builder.start().await {
        Ok(sim) => sim,
        Err(e) => {
            eprintln!("ecs-simulator: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "ECS simulator ({} operations) listening on {}",
        sim.catalog().len(),
        sim.url()
    );
    match &run.state {
        Some(path) => println!("state: kept in {path}"),
        None => println!("state: in memory"),
    }
    println!("point an SDK or the CLI at it:");
    for (name, value) in sim.env() {
        println!("  export {name}={value}");
    }
    println!("faults: {}/_simulator/faults (see --help)", sim.url());
    stopped().await;
    ExitCode::SUCCESS
}

/// Ctrl-C, or SIGTERM (a container stopping).
async fn stopped() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
