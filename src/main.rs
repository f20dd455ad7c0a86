use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

use ipam_lint::check::check_paths;
use ipam_lint::report::{human, json};
use ipam_lint::rules::RULES;

mod cli;

use cli::{CheckArgs, Cli, Command, Format};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => check(args),
        Command::Rules => {
            let mut out = String::new();
            for rule in RULES {
                out.push_str(&format!(
                    "{:<26} {:<8} {}\n",
                    rule.name,
                    rule.default_severity.as_str(),
                    rule.summary
                ));
            }
            print(&out)
        }
    }
}

fn check(args: CheckArgs) -> ExitCode {
    let outcome = match check_paths(&args.paths) {
        Ok(outcome) => outcome,
        Err(error) => {
            eprintln!("ipam-lint: {}", error.0);
            return ExitCode::from(2);
        }
    };
    let text = match args.format {
        Format::Json => json::render(&outcome),
        Format::Human => {
            let stdout = std::io::stdout();
            let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
            let style = human::Style {
                color: stdout.is_terminal() && !no_color,
                width: terminal_width(),
            };
            human::render(&outcome, &style)
        }
    };
    let printed = print(&text);
    if printed != ExitCode::SUCCESS {
        return printed;
    }
    let failing =
        outcome.summary.errors > 0 || (args.deny_warnings && outcome.summary.warnings > 0);
    ExitCode::from(u8::from(failing))
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100)
}

/// Writes to stdout; a closed pipe (`| head`) is not an error worth a panic.
fn print(text: &str) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("ipam-lint: cannot write the report: {error}");
            ExitCode::from(2)
        }
    }
}
