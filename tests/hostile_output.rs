//! Hostile plans against the outputs: nothing a plan holds (a line of any length, any
//! number of tabs, control and invisible characters in names, comments and file names,
//! markup in names, a suppression inside a string) can break a report, make it grow faster
//! than the findings, reach a terminal, a log or the job summary as anything but text, or
//! pass for what it is not. Each case runs the binary, as a user would.

use std::fs;
use std::path::Path;

use serde_json::Value;

mod support;

use support::{check, diagnostics, plan, run, run_program};

/// A subnet declared `count` times on one line, as a YAML flow sequence.
fn one_line_of_subnets(count: usize) -> String {
    let items: Vec<String> = (0..count)
        .map(|i| format!("{{cidr: 10.0.{}.0/24}}", i % 200))
        .collect();
    format!("subnets: [{}]\n", items.join(", "))
}

/// The characters of `text` that a terminal would obey or that would not show as
/// themselves: C0 and C1 controls but the line feed, DEL, bidirectional and zero-width
/// format characters.
fn raw_characters(text: &str) -> Vec<char> {
    text.chars()
        .filter(|&c| {
            (c.is_control() && c != '\n')
                || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
        })
        .collect()
}

fn human(dir: &Path, args: &[&str]) -> support::Run {
    let mut all = vec!["check", "--color", "never"];
    all.extend(args);
    run(dir, &all)
}

/// A finding past column 65,535, on a line of thousands of findings: every finding is
/// reported, at its true column, and the human report shows each as a window of its line,
/// so it grows with the findings, not with the line.
#[test]
fn findings_on_a_very_long_line_are_shown_as_windows() {
    let line = one_line_of_subnets(4_000);
    assert!(line.len() > 80_000);
    let dir = plan(&[("flow.yaml", line.as_bytes())]);
    let (code, report) = check(dir.path());
    assert_eq!(code, 1);
    let found = diagnostics(&report, "flow.yaml");
    assert_eq!(found.len(), 4_000 - 200);
    let last = found.last().unwrap();
    let expected_column = line.rfind("10.0.199.0/24").unwrap() as u64 + 1;
    assert_eq!(
        (last.0.as_str(), last.1, last.2),
        ("duplicate-subnet", 1, expected_column)
    );
    assert!(expected_column > 65_535);

    let shown = human(dir.path(), &[]);
    assert_eq!(shown.code, 1, "{}", shown.stderr);
    assert_eq!(shown.stdout.matches("duplicate-subnet\n").count(), 3_800);
    assert!(
        shown
            .stdout
            .contains(&format!("[flow.yaml:1:{expected_column}]")),
        "the header keeps the file's column"
    );
    // Each finding costs a few lines of bounded width, whatever the line's length.
    let widest = shown
        .stdout
        .lines()
        .map(|l| l.chars().count())
        .max()
        .unwrap();
    assert!(widest < 300, "a line of {widest} characters");
    assert!(
        shown.stdout.len() < 2_000 * 3_800,
        "{} bytes for 3,800 findings",
        shown.stdout.len()
    );
    assert!(shown.stdout.contains('…'));
}

/// Tabs before a value, 17,000 of them: the columns are the file's, and the shown line is
/// a window of a few dozen columns.
#[test]
fn any_number_of_tabs_before_a_value_is_shown() {
    let text = format!(
        "subnets:\n  - {{cidr: 10.0.0.0/24}}\n  - {{cidr: {}10.0.0.0/24}}\n",
        "\t".repeat(17_000)
    );
    let dir = plan(&[("tabs.yaml", text.as_bytes())]);
    let (code, report) = check(dir.path());
    assert_eq!(code, 1);
    assert_eq!(
        diagnostics(&report, "tabs.yaml"),
        [(
            "duplicate-subnet".to_owned(),
            3,
            17_012,
            "subnet 10.0.0.0/24 duplicates subnet 10.0.0.0/24 in space fabric".to_owned()
        )]
    );
    let shown = human(dir.path(), &[]);
    assert_eq!(shown.code, 1, "{}", shown.stderr);
    assert!(
        shown.stdout.contains("[tabs.yaml:3:17012]"),
        "{}",
        shown.stdout
    );
    assert!(!shown.stdout.contains('\t'));
    assert!(
        shown.stdout.lines().all(|l| l.chars().count() < 200),
        "{}",
        shown.stdout
    );
}

/// A plan whose names, comments, file name and values hold escape sequences, bells, C1
/// controls, direction overrides and zero-width characters, and markup.
fn plan_of_hostile_text() -> tempfile::TempDir {
    let name = "\\e[31mred\\a\\u0085\\u202eevil\\u200b <script>alert(1)</script> [x](http://e.example) ![i](http://e.example/i.png) | `tick` @someone";
    let text = format!(
        "# a comment with \x1b]0;title\x07 and \u{9b}31m\n\
         subnets:\n\
         \x20 - {{ cidr: 10.0.0.0/24, name: \"{name}\" }}\n\
         \x20 - {{ cidr: 10.0.1.0/24, name: \"{name}\" }}\n\
         \x20 - {{ cidr: 10.0.2.0/24, name: \"line\\n::error file=x::injected\\r\\n::add-mask::x\" }} # \x1b[2J\n\
         \x20 - {{ cidr: 10.0.2.0/24, name: \"line\\n::error file=x::injected\\r\\n::add-mask::x\" }}\n"
    );
    plan(&[
        ("hostile.yaml", text.as_bytes()),
        (
            "bell\x07\x1b[1m\u{202e}lmay.yaml",
            b"subnets:\n  - { cidr: 10.0.0.0/24 }\n",
        ),
    ])
}

/// Nothing of the plan reaches the terminal raw: not in the messages, the labels, the source
/// lines shown, nor the file names.
#[test]
fn the_human_report_escapes_every_character_a_terminal_would_obey() {
    let dir = plan_of_hostile_text();
    let shown = human(dir.path(), &[]);
    assert_eq!(shown.code, 1, "{}", shown.stderr);
    assert_eq!(
        raw_characters(&shown.stdout),
        [] as [char; 0],
        "{}",
        shown.stdout
    );
    assert!(
        shown
            .stdout
            .contains("\\u{1b}[31mred\\u{7}\\u{85}\\u{202e}evil\\u{200b}")
    );
    assert!(
        shown
            .stdout
            .contains("bell\\u{7}\\u{1b}[1m\\u{202e}lmay.yaml")
    );
    assert!(
        shown.stdout.contains("# \\u{1b}[2J"),
        "the source line is escaped too"
    );
    // Colour is the tool's own, never the plan's.
    let coloured = run(dir.path(), &["check", "--color", "always"]);
    assert!(!coloured.stdout.contains("\x1b[31mred"));
    assert!(!coloured.stdout.contains("\x1b[2J"));
}

/// Messages on standard error quote paths and values escaped too.
#[cfg(unix)]
#[test]
fn messages_on_standard_error_are_escaped() {
    let dir = plan(&[]);
    let refused = run(dir.path(), &["check", "no-such-\x1b[31m\u{202e}dir"]);
    assert_eq!(refused.code, 2);
    assert_eq!(raw_characters(&refused.stderr), [] as [char; 0]);
    assert!(
        refused.stderr.contains("no-such-\\u{1b}[31m\\u{202e}dir"),
        "{}",
        refused.stderr
    );
    let unknown = run(dir.path(), &["explain", "\x1b[2Jsyntax"]);
    assert_eq!(unknown.code, 2);
    assert_eq!(
        raw_characters(&unknown.stderr),
        [] as [char; 0],
        "{}",
        unknown.stderr
    );
}

/// Annotations: one workflow command a finding, nothing raw in it, and no line break or name
/// that starts a command of its own.
#[test]
fn annotations_carry_no_command_of_the_plans() {
    let dir = plan_of_hostile_text();
    let annotated = run_program(
        env!("CARGO_BIN_EXE_ipam-lint"),
        &["check", "--format", "github"],
        dir.path(),
    );
    assert_eq!(annotated.code, 1, "{}", annotated.stderr);
    let lines: Vec<&str> = annotated.stdout.lines().collect();
    // The good file's fault, and four of the hostile one's.
    assert_eq!(lines.len(), 5, "{}", annotated.stdout);
    for line in &lines {
        assert!(line.starts_with("::error file=") || line.starts_with("::warning file="));
        assert_eq!(raw_characters(line), [] as [char; 0], "{line}");
    }
    // The name's line breaks are text in the message, not lines of the log.
    assert!(
        lines[4].contains("name line\\n::error file=x::injected\\r\\n::add-mask::x is"),
        "{}",
        lines[4]
    );
}

/// The JUnit report is XML whatever the plan holds: markup in a name is text, a character
/// XML cannot hold is escaped as every format escapes it, a file name too.
#[test]
fn the_junit_report_is_well_formed_xml_with_nothing_raw() {
    let dir = plan_of_hostile_text();
    let report = run(dir.path(), &["check", "--format", "junit"]);
    assert_eq!(report.code, 1, "{}", report.stderr);
    assert_eq!(
        raw_characters(&report.stdout),
        [] as [char; 0],
        "{}",
        report.stdout
    );
    let document = roxmltree::Document::parse(&report.stdout)
        .unwrap_or_else(|error| panic!("{error}: {}", report.stdout));
    let suites: Vec<&str> = (document.root_element().children())
        .filter_map(|node| node.attribute("name"))
        .collect();
    assert_eq!(suites, ["good.yaml", "hostile.yaml"]);
    let texts: Vec<&str> = (document.descendants())
        .filter(|node| node.has_tag_name("failure"))
        .filter_map(|node| node.text())
        .collect();
    assert!(
        (texts.iter()).any(|text| text.contains("bell\\u{7}\\u{1b}[1m\\u{202e}lmay.yaml:2:")),
        "the related file is named escaped: {texts:?}"
    );
    // The warnings about the names pass, with their text.
    let messages: Vec<&str> = (document.descendants())
        .filter(|node| node.has_tag_name("system-out"))
        .filter_map(|node| node.text())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("<script>alert(1)</script>")),
        "markup is text, read back as written: {messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("line\n::error file=x::injected")),
        "a line break in a name stays in the message: {messages:?}"
    );
}

/// The job summary is text: no HTML, link, image or mention of the plan's becomes markup,
/// and no pipe in a name splits a cell.
#[test]
fn the_job_summary_shows_names_as_text() {
    let dir = plan_of_hostile_text();
    let summary = dir.path().join("summary.md");
    let ran = run_with_summary(dir.path(), &summary, &["check", "--format", "github"]);
    assert_eq!(ran.code, 1, "{}", ran.stderr);
    let text = fs::read_to_string(&summary).unwrap();
    assert_eq!(raw_characters(&text), [] as [char; 0], "{text}");
    // Every character that Markdown could read as markup is escaped, but the line breaks
    // the table itself makes.
    for row in text.lines().filter(|line| line.starts_with("| ")) {
        // The message is the last cell; the others are the tool's own words and code spans.
        let last = row.rsplit(" | ").next().unwrap();
        let message = last.strip_suffix(" |").unwrap().replace("<br>help: ", "");
        for (at, c) in message.char_indices() {
            if "<>[]()!*_`@:|&".contains(c) {
                assert!(message[..at].ends_with('\\'), "{c} unescaped in {row}");
            }
        }
    }
    assert!(!text.contains("http://") && text.contains("\\<script"));
    let rows: Vec<&str> = text.lines().filter(|l| l.starts_with("| error")).collect();
    assert_eq!(rows.len(), 3, "{text}");
    for row in rows {
        let cells = row.replace("\\|", "").matches('|').count();
        assert_eq!(cells, 5, "{row}");
    }
}

fn run_with_summary(dir: &Path, summary: &Path, args: &[&str]) -> support::Run {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ipam-lint"))
        .args(args)
        .current_dir(dir)
        .env("GITHUB_STEP_SUMMARY", summary)
        .output()
        .unwrap();
    let run = support::Run {
        code: output.status.code().unwrap(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}

/// GitHub shows no job summary over 1 MiB: with what the step wrote before, the summary
/// stays under it, and says how many findings it left out and where they all are.
#[test]
fn the_job_summary_stays_under_githubs_limit() {
    let mut text = String::from("subnets:\n  - { cidr: 10.0.0.0/8 }\naddresses:\n");
    for i in 0..20_000 {
        let ip = format!("10.1.{}.{}", i / 250, i % 250 + 1);
        text.push_str(&format!("  - {{ ip: {ip} }}\n  - {{ ip: {ip} }}\n"));
    }
    let dir = plan(&[("many.yaml", text.as_bytes())]);
    let summary = dir.path().join("summary.md");
    fs::write(&summary, "x".repeat(100_000)).unwrap();
    let ran = run_with_summary(dir.path(), &summary, &["check", "--format", "github"]);
    assert_eq!(ran.code, 1, "{}", ran.stderr);
    assert_eq!(
        ran.stdout.lines().count(),
        20_001,
        "every finding is annotated"
    );
    let written = fs::read_to_string(&summary).unwrap();
    assert!(written.len() <= 1_000_000, "{} bytes", written.len());
    assert!(
        written.len() > 900_000,
        "the room is used: {} bytes",
        written.len()
    );
    let shown = written.lines().filter(|l| l.starts_with("| error")).count();
    assert!(
        written.trim_end().ends_with(&format!(
            "{} more findings not shown here: GitHub shows no job summary over 1 MiB. Every \
             finding is in this step's log, and `ipam-lint check` lists them all.",
            20_001 - shown
        )),
        "{}",
        &written[written.len() - 400..]
    );
}

/// `# ipam-lint: allow(...)` inside a quoted string or a block scalar is a value, and
/// suppresses nothing; in a comment it does, however many comments there are.
#[test]
fn only_comments_suppress() {
    let text = "\
subnets:
  - cidr: 10.0.0.0/24
    description: |
      # ipam-lint: allow(duplicate-subnet)
  - cidr: 10.0.0.0/24
  - cidr: 10.0.1.0/24
    description: \"x # ipam-lint: allow(duplicate-subnet)\"
  - cidr: 10.0.1.0/24
  - { cidr: 10.0.2.0/24, name: 'y # ipam-lint: allow(duplicate-subnet)' }
  - { cidr: 10.0.2.0/24 }
";
    let toml = "\
[[subnets]]
cidr = \"10.1.0.0/24\"
description = \"\"\"
# ipam-lint: allow(duplicate-subnet)\"\"\"
[[subnets]]
cidr = \"10.1.0.0/24\"
[[subnets]]
cidr = \"10.1.1.0/24\"
[[subnets]]
cidr = \"10.1.1.0/24\"# ipam-lint: allow(duplicate-subnet)
";
    let dir = plan(&[
        ("strings.yaml", text.as_bytes()),
        ("strings.toml", toml.as_bytes()),
    ]);
    let (_, report) = check(dir.path());
    let lines =
        |file: &str| -> Vec<u64> { diagnostics(&report, file).iter().map(|d| d.1).collect() };
    assert_eq!(lines("strings.yaml"), [5, 8, 10]);
    assert_eq!(lines("strings.toml"), [6]);
    assert_eq!(report["summary"]["suppressed"], 1);

    // 200,000 suppression comments, each over a duplicate it allows.
    let mut many = String::from("subnets:\n  - { cidr: 10.0.0.0/8 }\naddresses:\n");
    for i in 0..200_000u32 {
        let ip = format!("10.{}.{}.{}", 1 + i / 65_536, i / 256 % 256, i % 256);
        many.push_str(&format!(
            "  - {{ ip: {ip} }}\n  # ipam-lint: allow(duplicate-address)\n  - {{ ip: {ip} }}\n"
        ));
    }
    let dir = plan(&[("many.yaml", many.as_bytes())]);
    let (code, report) = check(dir.path());
    assert_eq!(code, 1);
    assert_eq!(report["summary"]["suppressed"], 200_000);
    assert_eq!(report["summary"]["errors"], 1, "only the good file's fault");
}

/// A TOML date-time where a string belongs is a schema fault at the value, and the rest of
/// the file is still read.
#[test]
fn a_toml_date_time_is_a_value_of_the_wrong_type() {
    let text = "[[subnets]]\ncidr = 1979-05-27T07:32:00Z\n[[subnets]]\ncidr = \"10.0.0.0/24\"\n[[subnets]]\ncidr = \"10.0.0.0/24\"\n";
    let dir = plan(&[("dates.toml", text.as_bytes())]);
    let (_, report) = check(dir.path());
    let found = diagnostics(&report, "dates.toml");
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(
        (found[0].0.as_str(), found[0].1, found[0].2),
        ("schema", 2, 8)
    );
    assert_eq!(
        found[0].3,
        "`cidr` of a subnet must be a string, found a date-time (quote it to make it a string)"
    );
    assert_eq!(found[1].0, "duplicate-subnet");
    assert!(!report.to_string().contains("toml_private"));
}

/// A duplicate written as an alias is reported at the alias, its original at the anchor.
#[test]
fn a_duplicate_alias_is_reported_where_it_is_used() {
    let text = "subnets:\n  - &hosts { cidr: 10.0.0.0/24, name: hosts }\n  - *hosts\n";
    let dir = plan(&[("alias.yaml", text.as_bytes())]);
    let (_, report) = check(dir.path());
    let found: Vec<&Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["file"] == "alias.yaml")
        .collect();
    assert_eq!(found.len(), 2, "{found:#?}");
    for finding in &found {
        assert_eq!(
            (finding["line"].as_u64(), finding["column"].as_u64()),
            (Some(3), Some(5))
        );
        assert_eq!(finding["related"][0]["line"], 2);
    }
}

/// `COLUMNS` of any value gives a report that reads: no message wrapped at one column, no
/// panic on a width past any terminal.
#[test]
fn any_terminal_width_gives_a_readable_report() {
    let dir = plan(&[]);
    for columns in ["0", "1", "39", "-5", "wide", "18446744073709551615"] {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_ipam-lint"))
            .args(["check", "--color", "never"])
            .current_dir(dir.path())
            .env("COLUMNS", columns)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert_eq!(output.status.code(), Some(1), "COLUMNS={columns}");
        assert!(
            stdout.contains("× address 192.0.2.10 is already"),
            "COLUMNS={columns}: {stdout}"
        );
    }
}
