use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

use ipam_lint::check::{
    Outcome, check_against_base, check_stdin, check_with_config, read_baseline,
};
use ipam_lint::load::file_identity;
use ipam_lint::load::walk::{relative_name, settings_files};
use ipam_lint::model::kinds::AllocType;
use ipam_lint::report::escape::visible_lines;
use ipam_lint::report::{self, github, human, json, sarif, statistics};
use ipam_lint::rules::{RULES, Rule};
use ipam_lint::suggest::closest;
use ipam_lint::views::{free, show};

mod cli;

use cli::{
    AddressType, AnswerFormat, CheckArgs, Cli, ColorChoice, Command, Format, FreeArgs, ShowArgs,
};

const USAGE_ERROR: u8 = 2;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return clap_exit(&error),
    };
    match cli.command {
        Command::Check(args) => check(args),
        Command::Free(args) => free(&args),
        Command::Show(args) => show_space(&args),
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
        Command::Explain { rule } => match rule_named(&rule) {
            Ok(rule) => print(&rule.explain()),
            Err(error) => fail(&error),
        },
        Command::Schema => print(&ipam_lint::schema::json_schema()),
        Command::Init { dir } => init(dir.as_deref().unwrap_or(std::path::Path::new("."))),
    }
}

fn check(args: CheckArgs) -> ExitCode {
    if args.statistics && !matches!(args.format, Format::Human) {
        return fail("--statistics counts the findings in the human format; leave out --format");
    }
    if args.show_settings && !matches!(args.format, Format::Human) {
        return fail("--show-settings prints the settings as text; leave out --format");
    }
    let from_stdin = args.paths.iter().any(|path| path.as_os_str() == "-");
    if from_stdin && args.paths.len() > 1 {
        return fail("`-` reads one plan file from standard input: give it as the only path");
    }
    if args.stdin_filename.is_some() && !from_stdin {
        return fail(
            "--stdin-filename names the file standard input stands for: give `-` as the path",
        );
    }
    if from_stdin && (args.base.is_some() || args.baseline.is_some()) {
        return fail("`-` checks standard input's text; --base and --baseline review files");
    }
    let config = args.config.as_deref();
    let chosen = match (rules_named(&args.select), rules_named(&args.ignore)) {
        (Ok(select), Ok(ignore)) => (select, ignore),
        (Err(error), _) | (_, Err(error)) => return fail(&error),
    };
    // A baseline is read first: a file that is not a report fails before the check runs.
    let earlier = match args.baseline.as_deref().map(read_baseline).transpose() {
        Ok(earlier) => earlier,
        Err(error) => return fail(&error.0),
    };
    let outcome = match &args.base {
        Some(rev) => check_against_base(&args.paths, config, rev),
        None if from_stdin => match read_stdin() {
            Ok(bytes) => check_stdin(args.stdin_filename.as_deref(), bytes, config),
            Err(error) => return fail(&error),
        },
        None => check_with_config(&args.paths, config),
    };
    let outcome = outcome.and_then(|mut outcome| {
        if let Some(dir) = &args.relative_to {
            outcome.rename_relative_to(dir)?;
        }
        // Names compared as the report and this run print them.
        if let Some(earlier) = earlier {
            outcome.compare_with(earlier);
        }
        let (select, ignore) = &chosen;
        if !select.is_empty() || !ignore.is_empty() {
            outcome.keep_rules(|rule| {
                (select.is_empty() || select.contains(&rule)) && !ignore.contains(&rule)
            });
        }
        Ok(outcome)
    });
    let outcome = match outcome {
        Ok(outcome) => outcome,
        Err(error) => return fail(&error.0),
    };
    if let Some(output) = &args.output
        && let Some(input) = input_at(output, &outcome)
    {
        return fail(&format!(
            "--output {} would overwrite {input}, which this run reads; write the report \
             elsewhere",
            output.display()
        ));
    }
    let format = format(&args);
    if args.show_settings {
        return match write_stdout(|out| {
            report::Format::write(&report::settings::Settings, &outcome, out)
        }) {
            Ok(()) => ExitCode::SUCCESS,
            Err(()) => ExitCode::from(USAGE_ERROR),
        };
    }
    let written = match &args.output {
        Some(path) => std::fs::File::create(path)
            .and_then(|mut file| format.write(&outcome, &mut file))
            .map_err(|error| {
                fail(&format!("cannot write {}: {error}", path.display()));
            }),
        None => write_stdout(|out| format.write(&outcome, out)),
    };
    if matches!(args.format, Format::Github)
        && let Some(summary) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|s| !s.is_empty())
    {
        if let Some(input) = input_at(std::path::Path::new(&summary), &outcome) {
            return fail(&format!(
                "GITHUB_STEP_SUMMARY names {input}, which this run reads; the job summary is \
                 not written over it"
            ));
        }
        if let Err(error) = github::append_job_summary(&outcome, summary.as_ref()) {
            return fail(&format!("cannot write the job summary: {error}"));
        }
    }
    if written.is_err() {
        return ExitCode::from(USAGE_ERROR);
    }
    // Reviewing a change, only its new findings fail it.
    let (errors, warnings) = match &outcome.review {
        Some(review) => (review.new_errors, review.new_warnings),
        None => (outcome.summary.errors, outcome.summary.warnings),
    };
    let failing = errors > 0 || (args.deny_warnings && warnings > 0);
    // The report is out; freeing the model piece by piece would only delay the exit.
    std::mem::forget(outcome);
    ExitCode::from(u8::from(failing && !args.exit_zero))
}

/// `init`: the starter config, written only where there is none.
fn init(dir: &std::path::Path) -> ExitCode {
    use ipam_lint::load::config::{CONFIG_FILE_NAME, STARTER};
    let path = dir.join(CONFIG_FILE_NAME);
    let created = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path);
    let mut file = match created {
        Ok(file) => file,
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
            return fail(&format!(
                "{} already exists; it is left as it is",
                path.display()
            ));
        }
        Err(error) => return fail(&format!("cannot write {}: {error}", path.display())),
    };
    if let Err(error) = file.write_all(STARTER.as_bytes()) {
        return fail(&format!("cannot write {}: {error}", path.display()));
    }
    print(&format!(
        "wrote {}: {} is now the project root; its settings are commented out at their \
         defaults\n",
        visible_lines(&path.display().to_string()),
        visible_lines(&dir.display().to_string())
    ))
}

/// The rules `--select` or `--ignore` names; an unknown name is a usage error with the
/// closest rule's name.
fn rules_named(names: &[String]) -> Result<Vec<Rule>, String> {
    (names.iter().map(|name| name.trim()))
        .filter(|name| !name.is_empty())
        .map(rule_named)
        .collect()
}

/// The rule of that name; else a message naming the closest rule.
fn rule_named(name: &str) -> Result<Rule, String> {
    Rule::from_name(name).ok_or_else(|| {
        let hint = closest(name, RULES.iter().map(|info| info.name)).map_or_else(
            || "`ipam-lint rules` lists them".to_owned(),
            |near| format!("did you mean `{near}`?"),
        );
        format!("no rule named `{name}`; {hint}")
    })
}

/// `show`: the tree on standard output; a note on standard error when the plan has errors.
fn show_space(args: &ShowArgs) -> ExitCode {
    let outcome = match check_with_config(&args.paths, args.config.as_deref()) {
        Ok(outcome) => outcome,
        Err(error) => return fail(&error.0),
    };
    let filters = show::Filters {
        space: args.space.as_deref(),
        source: args.source.as_deref(),
        scope: args.scope.as_deref(),
        within: args.within.as_deref(),
        depth: args.depth.map(|d| usize::try_from(d).unwrap_or(usize::MAX)),
    };
    let tree = match show::Show::new(&outcome, &filters) {
        Ok(tree) => tree,
        Err(message) => return fail(&message),
    };
    let style = show::Style {
        color: color(args.color, std::io::stdout().is_terminal()),
    };
    let written = write_stdout(|out| match args.format {
        AnswerFormat::Human => show::write_human(&tree, &style, out),
        AnswerFormat::Json => show::write_json(&tree, out),
    });
    if written.is_err() {
        return ExitCode::from(USAGE_ERROR);
    }
    note_errors(outcome.summary.errors);
    std::mem::forget(tree);
    std::mem::forget(outcome);
    ExitCode::SUCCESS
}

/// Whether to colour: `--color`, and for `auto` a terminal without `NO_COLOR`.
fn color(choice: ColorChoice, to_terminal: bool) -> bool {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => to_terminal && !no_color,
    }
}

/// Says that the plan has errors, which `check` reports, when it has.
fn note_errors(errors: usize) {
    if errors > 0 {
        note(&format!(
            "the plan has {errors} error{}; `ipam-lint check` reports them",
            if errors == 1 { "" } else { "s" }
        ));
    }
}

/// `free`: the answer on standard output; notes on standard error.
fn free(args: &FreeArgs) -> ExitCode {
    let outcome = match check_with_config(&args.paths, args.config.as_deref()) {
        Ok(outcome) => outcome,
        Err(error) => return fail(&error.0),
    };
    let count = usize::try_from(args.count).unwrap_or(usize::MAX);
    let question = free::Question {
        space: &args.space,
        size: args.size,
        within: args.within.as_deref(),
        scope: args.scope.as_deref(),
        count,
        kind: match args.kind {
            AddressType::Static => AllocType::Static,
            AddressType::Dhcp => AllocType::Dhcp,
            AddressType::Vip => AllocType::Vip,
        },
    };
    let answer = match free::answer(&outcome.model, &outcome.indexes, &question) {
        Ok(answer) => answer,
        Err(message) => return fail(&message),
    };
    let text = match args.format {
        AnswerFormat::Human => answer.human(),
        AnswerFormat::Json => answer.json(),
    };
    if print(&text) != ExitCode::SUCCESS {
        return ExitCode::from(USAGE_ERROR);
    }
    note_errors(outcome.summary.errors);
    let found = answer.found();
    let status = if found < count {
        note(&match found {
            0 => "none is free".to_owned(),
            _ => format!("only {found} of the {count} asked for are free"),
        });
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    };
    std::mem::forget(outcome);
    status
}

/// A note on standard error, escaped; it does not change the exit status.
fn note(message: &str) {
    let text = format!("ipam-lint: note: {}\n", visible_lines(message));
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// The report format chosen, with the human format's style.
/// Standard input's bytes, up to the limit of a declaration file.
fn read_stdin() -> Result<Vec<u8>, String> {
    use std::io::Read;
    let limit = ipam_lint::load::MAX_FILE_BYTES;
    let mut bytes = Vec::new();
    (std::io::stdin().lock().take(limit + 1))
        .read_to_end(&mut bytes)
        .map_err(|error| format!("cannot read standard input: {error}"))?;
    if bytes.len() as u64 > limit {
        return Err(format!(
            "standard input is over the limit of {} MiB for one declaration file",
            limit / (1024 * 1024)
        ));
    }
    Ok(bytes)
}

fn format(args: &CheckArgs) -> Box<dyn report::Format> {
    match args.format {
        Format::Json => Box::new(json::Json),
        Format::Sarif => Box::new(sarif::Sarif),
        Format::Github => Box::new(github::Github),
        Format::Junit => Box::new(report::junit::Junit {
            deny_warnings: args.deny_warnings,
        }),
        Format::Human if args.statistics => Box::new(statistics::Statistics),
        Format::Human => {
            let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
            Box::new(human::Style {
                color: color(args.color, to_terminal),
                width: terminal_width(),
                summary: !args.quiet,
                show_existing: args.show_existing,
            })
        }
    }
}

/// A report is never written over anything the run reads, through a link of either kind:
/// `-o plan.yaml` is a slip, not a wish. Names the file it would overwrite.
fn input_at(output: &std::path::Path, outcome: &Outcome) -> Option<String> {
    let output = file_identity(output)?;
    let is_output = |path: &std::path::Path| file_identity(path).as_ref() == Some(&output);
    if let Some(file) = outcome.files.iter().find(|file| is_output(&file.location)) {
        return Some(format!("the declaration file {}", file.path));
    }
    let locations = outcome.files.iter().map(|file| file.location.as_path());
    settings_files(locations, outcome.config_file.as_deref())
        .into_iter()
        .find(|read| is_output(read))
        .map(|read| relative_name(&outcome.root, &read))
}

/// The width to wrap messages at: `COLUMNS`, within what still reads as a report (a
/// message wrapped at one column is a column of letters), else 100.
fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<usize>().ok())
        .filter(|&width| width > 0)
        .map_or(100, |width| width.clamp(40, 1000))
}

/// A closed pipe (`| head`) is not an error worth reporting.
fn write_stdout(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<(), ()> {
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    match write(&mut stdout).and_then(|()| stdout.flush()) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(error) => {
            fail(&format!("cannot write the report: {error}"));
            Err(())
        }
    }
}

/// Says what went wrong on standard error, escaped (a message may quote a path or a value),
/// and gives the usage error's status. A standard error that cannot be written to does not
/// stop the exit status from saying it.
fn fail(message: &str) -> ExitCode {
    let text = format!("ipam-lint: {}\n", visible_lines(message));
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
    ExitCode::from(USAGE_ERROR)
}

/// clap's own exits: help and the version on standard output, argument errors on standard
/// error. Writing them can fail too (a full disk), and that must not pass for success.
fn clap_exit(error: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    let is_output = matches!(
        error.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    );
    if !is_output {
        // An argument error quotes the argument, which may hold anything.
        let text = visible_lines(&error.render().to_string()).into_owned();
        let _ = std::io::stderr().lock().write_all(text.as_bytes());
        return ExitCode::from(USAGE_ERROR);
    }
    match error.print() {
        Ok(()) => ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(USAGE_ERROR)),
        Err(io) if io.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(io) => fail(&format!("cannot write the output: {io}")),
    }
}

fn print(text: &str) -> ExitCode {
    match write_stdout(|out| out.write_all(text.as_bytes())) {
        Ok(()) => ExitCode::SUCCESS,
        Err(()) => ExitCode::from(USAGE_ERROR),
    }
}
