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
        after_help = "Exit status: 0 no errors, 1 errors found (or warnings, with --deny-warnings), \
                      2 usage error, bad config or unreadable path."
    )]
    Check(CheckArgs),
    /// List every rule with its default severity.
    Rules,
    /// Print a rule's documentation: what it finds, why it matters, an example.
    Explain {
        /// The rule's name, as `ipam-lint rules` lists it.
        rule: String,
    },
    /// Print the JSON Schema of declaration files, for editors.
    Schema,
}

#[derive(clap::Args)]
pub struct CheckArgs {
    /// Files or directories to check. Naming files, with an ipam-lint.toml at the project
    /// root, checks the whole root but reports only findings that touch those files.
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Take the settings from this config file instead of the root's ipam-lint.toml (the
    /// project root is found as usual).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Name files relative to DIR instead of the project root (GitHub needs names relative
    /// to the repository).
    #[arg(long, value_name = "DIR")]
    pub relative_to: Option<PathBuf>,

    /// Write the report to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Fail (exit 1) on warnings too.
    #[arg(long, conflicts_with = "exit_zero")]
    pub deny_warnings: bool,

    /// Exit 0 even when there are errors (usage errors still exit 2).
    #[arg(long)]
    pub exit_zero: bool,

    /// Print the findings only: no summary line, and nothing at all when there are none
    /// (human format).
    #[arg(long, short)]
    pub quiet: bool,

    /// When to colour the human format.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// Rich diagnostics with the source lines, then a summary.
    Human,
    /// One JSON document (see the contract, section 7).
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitHub workflow annotations; on a runner, also the full report in the job summary.
    Github,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    Always,
    Never,
}
