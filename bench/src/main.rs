//! `plenum-bench`: the load generator and the benchmark suite.
//!
//! - `plenum-bench suite [--quick] [--out BENCHMARKS.md]` runs every workload against Plenum,
//!   Socket.IO with its Redis adapter and a plain `ws` server, and writes the report.
//! - `plenum-bench worker ...` is one load-generating process (the suite starts several).

mod meetings;
mod procfs;
mod seating;
mod suite;
mod worker;

use clap::{Parser, Subcommand, ValueEnum};
use std::{net::IpAddr, path::PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum System {
    Plenum,
    #[value(name = "sio")]
    SocketIo,
    Ws,
    /// `ws`, each socket corked for a turn of the event loop (W6).
    #[value(name = "ws-cork")]
    WsCork,
}

impl System {
    pub fn name(self) -> &'static str {
        match self {
            System::Plenum => "plenum",
            System::SocketIo => "sio",
            System::Ws => "ws",
            System::WsCork => "ws-cork",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            System::Plenum => "Plenum",
            System::SocketIo => "Socket.IO + Redis adapter",
            System::Ws => "ws",
            System::WsCork => "ws, corked per turn",
        }
    }
}

#[derive(Debug, Parser)]
#[command(
    name = "plenum-bench",
    about = "Plenum's load generator and benchmark suite"
)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Debug, Subcommand)]
enum Cmd {
    /// Runs every workload and writes the report.
    Suite {
        /// Small numbers, to check that the suite works (the test suite runs this).
        #[arg(long)]
        quick: bool,
        #[arg(long, default_value = "BENCHMARKS.md")]
        out: PathBuf,
        /// The Plenum server binary (default: plenum-bench-server beside this one).
        #[arg(long)]
        plenum: Option<PathBuf>,
        /// Run only these workloads (w0,w1,...); default all.
        #[arg(long, value_delimiter = ',')]
        only: Vec<String>,
        /// Override the number of connections of W0 (to study memory).
        #[arg(long)]
        idle: Option<usize>,
        /// Override W1's and W6's numbers of attendees (to profile one size).
        #[arg(long, value_delimiter = ',')]
        attendees: Vec<usize>,
    },
    /// One load-generating process (started by the suite).
    Worker {
        #[arg(long, value_enum)]
        system: System,
        #[arg(long, value_delimiter = ',')]
        targets: Vec<String>,
        #[arg(long)]
        count: usize,
        #[arg(long)]
        source: IpAddr,
        #[arg(long)]
        room: String,
        #[arg(long, default_value = "")]
        token: String,
    },
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Cmd::Worker {
            system,
            targets,
            count,
            source,
            room,
            token,
        } => {
            // One thread: the worker is pinned to one core anyway.
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            rt.block_on(worker::run(worker::WorkerArgs {
                system,
                targets,
                count,
                source,
                room,
                token,
            }))
        }
        Cmd::Suite {
            quick,
            out,
            plenum,
            only,
            idle,
            attendees,
        } => {
            let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .parent()
                .expect("bench/ has a parent")
                .to_path_buf();
            let exe = std::env::current_exe()?;
            let plenum = plenum.unwrap_or_else(|| exe.with_file_name("plenum-bench-server"));
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()?;
            rt.block_on(suite::run(suite::Options {
                quick,
                out,
                plenum,
                only,
                idle,
                attendees,
                peers_modules: suite::default_peers_modules(&root),
                peers_dir: root.join("bench/peers"),
                web_dir: root.join("client/dist"),
            }))
        }
    }
}
