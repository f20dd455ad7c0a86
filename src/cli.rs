//! Command-line arguments.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "ipam-lint",
    version,
    about = "Lint IP address plans kept as YAML and TOML files",
    long_about = "Lint IP address plans kept as YAML and TOML files: builds the whole model across \
                  every file and reports duplicates, overlaps, out-of-pool addresses, out-of-scope \
                  allocations and the other faults of the rules (`ipam-lint rules`)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Check the declaration files under PATHs (default: the current directory).
    #[command(
        after_help = "Exit status: 0 no errors, 1 errors found, 2 usage error or unreadable path."
    )]
    Check(CheckArgs),
    /// List every rule with its default severity.
    Rules,
}

#[derive(clap::Args)]
pub struct CheckArgs {
    /// Files or directories to check. Naming files, with an ipam-lint.toml at the project
    /// root, checks the whole root but reports only findings that touch those files.
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// Rich diagnostics with the source lines, then a summary.
    Human,
    /// One JSON document (see the contract, section 7).
    Json,
}
