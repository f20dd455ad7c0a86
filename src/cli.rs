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
    #[command(after_help = CHECK_HELP)]
    Check(CheckArgs),
    /// Show the address space as a tree: spaces, blocks, subnets and ranges, how full
    /// each is, who manages it, and its faults.
    #[command(after_help = SHOW_HELP)]
    Show(ShowArgs),
    /// Find where to allocate: free prefixes of a size in the space's blocks, or free
    /// addresses of a subnet.
    #[command(after_help = FREE_HELP)]
    Free(FreeArgs),
    /// List every rule with its default severity.
    Rules,
    /// Print a rule's documentation: what it finds, why it matters, an example.
    Explain {
        /// The rule's name, as `ipam-lint rules` lists it.
        rule: String,
    },
    /// Print the JSON Schema of declaration files, for editors.
    Schema,
    /// Write a commented starter ipam-lint.toml in DIR (default: the current directory),
    /// making DIR the project root. An existing one is never overwritten.
    Init {
        /// The directory to write it in.
        dir: Option<PathBuf>,
    },
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

    /// Review the change since git revision REV (a branch, tag or commit): the plan there
    /// is read from git's objects; only findings it did not have are new and fail the run,
    /// and a conflict between an old and a new declaration is reported on the new one.
    #[arg(long, value_name = "REV", conflicts_with = "baseline")]
    pub base: Option<String>,

    /// As --base, with the earlier findings taken from a report `check --format json`
    /// wrote (for CI without git history).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// With --base or --baseline, show the existing findings too (human format).
    #[arg(long)]
    pub show_existing: bool,

    /// Report only these rules (names separated by commas), as if the config turned every
    /// other rule off.
    #[arg(long, value_name = "RULE,...", value_delimiter = ',')]
    pub select: Vec<String>,

    /// Do not report these rules (names separated by commas), as if the config turned them
    /// off.
    #[arg(long, value_name = "RULE,...", value_delimiter = ',')]
    pub ignore: Vec<String>,

    /// Count the findings of each rule, most first, instead of showing them (human format;
    /// with --base or --baseline, the new findings).
    #[arg(long)]
    pub statistics: bool,

    /// Print the project root, the config file, the settings in effect and the files a
    /// check reads (and those it skips), instead of checking.
    #[arg(long, conflicts_with_all = ["statistics", "base", "baseline"])]
    pub show_settings: bool,

    /// With `-` as the path: the name of the file standard input stands for, for its
    /// format and locations. Under a root with ipam-lint.toml, the rest of the plan is read
    /// from disk and only findings that touch this file are reported.
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,
}

const CHECK_HELP: &str = "\
Examples:
  ipam-lint check                      the plan under the current directory
  ipam-lint check dc1/fabric.yaml      the whole plan, what touches one file
  ipam-lint check --statistics         the findings counted per rule
  ipam-lint check --select duplicate-subnet,overlapping-subnets
  ipam-lint check --ignore out-of-scope      every rule but one
  ipam-lint check --base origin/main   review a change: only new findings fail
  ipam-lint check --format json -o before.json
  ipam-lint check --baseline before.json     the review, from a saved report
  ipam-lint check --show-settings      the root, config and files it would read
  ipam-lint check - --stdin-filename dc1/fabric.yaml < buffer.yaml
                                       an editor's unsaved file, with the plan

Exit status: 0 no errors, 1 errors found (or warnings, with --deny-warnings),
2 usage error, bad config or unreadable path. With --base or --baseline,
only new findings count.";

const SHOW_HELP: &str = "\
Examples:
  ipam-lint show                          every space, fabric first
  ipam-lint show --space fabric --depth 2 the blocks and what they hold
  ipam-lint show --source vmm-dc1a        what one manager declares
  ipam-lint show --within 10.10.0.0/16    the part of the tree inside a CIDR
  ipam-lint show --format json            the tree for scripts (SPEC section 9)

Filters combine; --source, --scope and --within keep the blocks and subnets
around what they select, for context. Addresses are counted, not listed.";

#[derive(clap::Args)]
pub struct ShowArgs {
    /// Files or directories of the plan, read as `check` reads them.
    pub paths: Vec<PathBuf>,

    /// Only this address space.
    #[arg(long, value_name = "NAME")]
    pub space: Option<String>,

    /// Only what files with this `source` declare.
    #[arg(long, value_name = "NAME")]
    pub source: Option<String>,

    /// Only declarations administered by SCOPE or below.
    #[arg(long, value_name = "SCOPE")]
    pub scope: Option<String>,

    /// Only the part of the tree inside CIDR.
    #[arg(long, value_name = "CIDR")]
    pub within: Option<String>,

    /// Levels to show below each space (1: what the space holds directly).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub depth: Option<u64>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = AnswerFormat::Human)]
    pub format: AnswerFormat,

    /// When to colour the human format.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Take the settings from this config file instead of the root's ipam-lint.toml.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

const FREE_HELP: &str = "\
Examples:
  ipam-lint free --size 24                     the first free /24 of fabric
  ipam-lint free --size 24 --scope /corp/dc1   ... in a block /corp/dc1 runs
  ipam-lint free --size 26 --in dc1 --count 4  four free /26 in block dc1
  ipam-lint free --in 10.10.1.0/24 --type dhcp an address of its dhcp pool

A free prefix shares no address with a subnet, nor with a block delegated
inside its block; a free address is one that declaring, with its type, raises
no finding of the pool rules.

Exit status: 0 all asked for found, 1 fewer found (those found are printed),
2 usage error.";

#[derive(clap::Args)]
pub struct FreeArgs {
    /// Files or directories of the plan, read as `check` reads them.
    pub paths: Vec<PathBuf>,

    /// The prefix length to find; for a subnet's addresses, leave it out.
    #[arg(long, value_name = "LEN", value_parser = clap::value_parser!(u8).range(0..=128))]
    pub size: Option<u8>,

    /// A block (free prefixes) or a subnet (free addresses) of the space, by CIDR or name.
    #[arg(long = "in", value_name = "CONTAINER")]
    pub within: Option<String>,

    /// Only in blocks or subnets that SCOPE administers (SCOPE or below).
    #[arg(long, value_name = "SCOPE")]
    pub scope: Option<String>,

    /// The address space.
    #[arg(long, value_name = "NAME", default_value = "fabric")]
    pub space: String,

    /// How many to find.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..))]
    pub count: u64,

    /// The type of the address to declare: its pool is looked in.
    #[arg(long = "type", value_enum, default_value_t = AddressType::Static)]
    pub kind: AddressType,

    /// Output format.
    #[arg(long, value_enum, default_value_t = AnswerFormat::Human)]
    pub format: AnswerFormat,

    /// Take the settings from this config file instead of the root's ipam-lint.toml.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum AddressType {
    Static,
    Dhcp,
    Vip,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AnswerFormat {
    /// For a person: a tree, or one line per prefix or address.
    Human,
    /// One JSON document (see the contract, sections 9 and 10).
    Json,
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
    /// A JUnit XML test report (GitLab, Jenkins, Azure Pipelines): a test case per finding.
    Junit,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    Always,
    Never,
}
