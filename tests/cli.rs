//! The command line as users and scripts meet it: exit statuses, focus-files mode, the
//! config file, exclusions, suppressions and output formats.

use std::fs;
use std::path::Path;

use snapbox::cmd::{Command, cargo_bin};

fn ipam_lint() -> Command {
    Command::new(cargo_bin!("ipam-lint")).env("NO_COLOR", "1")
}

fn fixture(path: &str) -> String {
    format!("{}/fixtures/{path}", env!("CARGO_MANIFEST_DIR"))
}

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// Runs `check --format json` and returns (exit status, parsed report).
fn check_json(dir: &Path, args: &[&str]) -> (i32, serde_json::Value) {
    let output = ipam_lint()
        .current_dir(dir)
        .arg("check")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let report = serde_json::from_slice(&output.stdout).unwrap_or(serde_json::Value::Null);
    (output.status.code().unwrap(), report)
}

fn rules_of(report: &serde_json::Value) -> Vec<(String, String)> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_owned(),
                d["rule"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn exit_status_is_zero_when_clean_and_one_on_errors() {
    ipam_lint()
        .args(["check", &fixture("overlapping-subnets/ok")])
        .assert()
        .code(0);
    ipam_lint()
        .args(["check", &fixture("overlapping-subnets/bad")])
        .assert()
        .code(1);
}

#[test]
fn warnings_fail_only_with_deny_warnings() {
    ipam_lint()
        .args(["check", &fixture("duplicate-name/bad")])
        .assert()
        .code(0);
    ipam_lint()
        .args(["check", "--deny-warnings", &fixture("duplicate-name/bad")])
        .assert()
        .code(1);
}

#[test]
fn an_unreadable_path_is_a_usage_error() {
    ipam_lint()
        .args(["check", "/no/such/plan"])
        .assert()
        .code(2)
        .stdout_eq("")
        .stderr_eq(
            "ipam-lint: cannot read /no/such/plan: No such file or directory (os error 2)\n",
        );
}

#[test]
fn a_named_file_of_another_kind_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "notes.txt", "hello\n");
    ipam_lint()
        .current_dir(dir.path())
        .args(["check", "notes.txt"])
        .assert()
        .code(2)
        .stderr_eq(
            "ipam-lint: notes.txt is not a declaration file: expected .yaml, .yml or .toml\n",
        );
}

#[test]
fn unknown_flags_are_usage_errors() {
    ipam_lint()
        .args(["check", "--no-such-flag"])
        .assert()
        .code(2);
    ipam_lint()
        .args(["check", "--format", "xml"])
        .assert()
        .code(2);
}

#[test]
fn config_errors_are_usage_errors_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "plan.yaml", "subnets: []\n");
    let cases: [(&str, &[&str]); 2] = [
        (
            "[rule]\nduplicate-name = \"off\"\n",
            &["invalid config", "unknown field `rule`"],
        ),
        (
            "[rules]\nduplicate-nmae = \"off\"\n",
            &["unknown rule `duplicate-nmae`"],
        ),
    ];
    for (config, messages) in cases {
        write(dir.path(), "ipam-lint.toml", config);
        let output = ipam_lint()
            .current_dir(dir.path())
            .arg("check")
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{config}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        for message in messages {
            assert!(stderr.contains(message), "{config}: {stderr}");
        }
    }
}

#[test]
fn config_sets_severities_and_turns_rules_off() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "plan.yaml",
        "subnets:\n  - { cidr: 10.0.0.0/24, name: a, gateway: 10.0.0.10 }\n  - { cidr: 10.0.1.0/24, name: a }\nranges:\n  - { start: 10.0.0.10, end: 10.0.0.20 }\n",
    );
    let (status, report) = check_json(dir.path(), &[]);
    assert_eq!(status, 0, "only warnings by default");
    assert_eq!(report["summary"]["warnings"], 2);

    write(
        dir.path(),
        "ipam-lint.toml",
        "[rules]\nduplicate-name = \"off\"\ngateway-in-pool = \"error\"\n",
    );
    let (status, report) = check_json(dir.path(), &[]);
    assert_eq!(status, 1);
    assert_eq!(
        rules_of(&report),
        vec![("plan.yaml".to_owned(), "gateway-in-pool".to_owned())]
    );
    assert_eq!(report["diagnostics"][0]["severity"], "error");
}

#[test]
fn exclusions_gitignore_and_hidden_paths_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let duplicate = "subnets:\n  - { cidr: 10.0.0.0/24 }\n";
    write(dir.path(), "plan.yaml", duplicate);
    write(dir.path(), "legacy/old.yaml", duplicate);
    write(dir.path(), "generated/out.yml", duplicate);
    write(dir.path(), ".hidden/plan.yaml", duplicate);
    write(dir.path(), ".gitignore", "generated/\n");
    write(
        dir.path(),
        "ipam-lint.toml",
        "[files]\nexclude = [\"legacy/**\"]\n",
    );
    let (status, report) = check_json(dir.path(), &[]);
    assert_eq!(status, 0, "{report}");
    assert_eq!(report["summary"]["files"], 1);

    fs::remove_file(dir.path().join("ipam-lint.toml")).unwrap();
    let (status, report) = check_json(dir.path(), &[]);
    assert_eq!(status, 1);
    assert_eq!(
        rules_of(&report),
        vec![("plan.yaml".to_owned(), "duplicate-subnet".to_owned())]
    );
    assert_eq!(
        report["diagnostics"][0]["related"][0]["file"],
        "legacy/old.yaml"
    );
}

/// A project with a config at its root, as pre-commit sees it.
fn focus_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "ipam-lint.toml", "");
    write(
        dir.path(),
        "dc1.yaml",
        "source: vmm-dc1\nsubnets:\n  - { cidr: 10.0.0.0/24 }\n",
    );
    write(
        dir.path(),
        "dc2.yaml",
        "source: vmm-dc2\nsubnets:\n  - { cidr: 10.0.0.0/24 }\n",
    );
    write(
        dir.path(),
        "lab/other.yaml",
        "subnets:\n  - { cidr: 10.9.0.0/24, gateway: 10.8.0.1 }\n",
    );
    dir
}

#[test]
fn focus_files_see_the_whole_root_but_report_only_what_touches_them() {
    let dir = focus_project();
    // The changed file conflicts with an unchanged one: reported.
    let (status, report) = check_json(dir.path(), &["dc2.yaml"]);
    assert_eq!(status, 1);
    assert_eq!(
        rules_of(&report),
        vec![("dc2.yaml".to_owned(), "duplicate-subnet".to_owned())]
    );
    assert_eq!(
        report["summary"]["files"], 3,
        "the model is built from the whole root"
    );

    // The unchanged side of a conflict is named as the related location: reported too.
    let (_, report) = check_json(dir.path(), &["dc1.yaml"]);
    assert_eq!(
        rules_of(&report),
        vec![("dc2.yaml".to_owned(), "duplicate-subnet".to_owned())]
    );

    // A file untouched by the conflict sees only its own findings.
    let (_, report) = check_json(dir.path(), &["lab/other.yaml"]);
    assert_eq!(
        rules_of(&report),
        vec![(
            "lab/other.yaml".to_owned(),
            "gateway-outside-subnet".to_owned()
        )]
    );

    // From a subdirectory, names stay relative to the root.
    let output = ipam_lint()
        .current_dir(dir.path().join("lab"))
        .args(["check", "other.yaml", "--format", "json"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["diagnostics"][0]["file"], "lab/other.yaml");
}

#[test]
fn without_a_config_named_files_are_checked_alone() {
    let dir = focus_project();
    fs::remove_file(dir.path().join("ipam-lint.toml")).unwrap();
    let (status, report) = check_json(dir.path(), &["dc2.yaml"]);
    assert_eq!(status, 0, "{report}");
    assert_eq!(report["summary"]["files"], 1);
}

#[test]
fn suppressed_findings_are_counted_not_printed() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "plan.yaml",
        "subnets:\n  - { cidr: 10.0.0.0/24 }\n  # ipam-lint: allow(duplicate-subnet)\n  - { cidr: 10.0.0.0/24 }\n  - { cidr: 10.0.0.0/24 } # ipam-lint: allow(overlapping-subnets)\n",
    );
    let (status, report) = check_json(dir.path(), &[]);
    assert_eq!(status, 1);
    assert_eq!(report["summary"]["suppressed"], 1);
    assert_eq!(report["summary"]["errors"], 1);
    assert_eq!(report["diagnostics"][0]["line"], 5);
}

#[test]
fn json_has_exactly_the_documented_shape() {
    let (status, report) = check_json(Path::new("."), &[&fixture("overlapping-subnets/bad")]);
    assert_eq!(status, 1);
    let keys = |value: &serde_json::Value| -> Vec<String> {
        let mut keys: Vec<String> = value.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        keys
    };
    assert_eq!(keys(&report), ["diagnostics", "summary", "version"]);
    assert_eq!(report["version"], 1);
    assert_eq!(
        keys(&report["summary"]),
        ["declarations", "errors", "files", "suppressed", "warnings"]
    );
    let first = &report["diagnostics"][0];
    assert_eq!(
        keys(first),
        [
            "column",
            "end_column",
            "end_line",
            "file",
            "help",
            "line",
            "message",
            "related",
            "rule",
            "severity",
            "space"
        ]
    );
    assert_eq!(
        keys(&first["related"][0]),
        ["column", "file", "line", "message"]
    );
    assert_eq!(
        first["message"],
        "subnet 10.10.1.0/25 (vmm-dc2) overlaps subnet 10.10.1.0/24 (vmm-dc1) in space fabric"
    );
}

#[test]
fn human_output_shows_both_files_and_no_escapes_when_piped() {
    let output = ipam_lint()
        .env_remove("NO_COLOR")
        .args(["check", &fixture("duplicate-subnet/bad")])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(!stdout.contains('\u{1b}'), "no ANSI escapes in a pipe");
    assert!(stdout.contains("dc2.yaml:3:13"), "{stdout}");
    assert!(stdout.contains("dc1.yaml:5:13"), "{stdout}");
    assert!(
        stdout.contains("help: 10.10.0.0/24 is free in block dc1"),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("2 errors, 0 warnings in 3 files checked (7 declarations)\n"),
        "{stdout}"
    );
}

#[test]
fn rules_lists_every_rule_with_its_severity() {
    let output = ipam_lint().arg("rules").output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(stdout.lines().count(), ipam_lint::rules::RULES.len());
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("duplicate-vlan") && l.contains("warning"))
    );
}

#[test]
fn github_format_annotates_with_escaped_commands() {
    let output = ipam_lint()
        .env_remove("GITHUB_STEP_SUMMARY")
        .args([
            "check",
            "--format",
            "github",
            &fixture("duplicate-subnet/bad"),
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert_eq!(
        lines[0],
        "::error file=dc2.yaml,line=3,endLine=3,col=13,endColumn=25,title=ipam-lint%3A duplicate-subnet::\
         subnet 10.10.1.0/24 (vmm-dc2) duplicates subnet 10.10.1.0/24 (vmm-dc1) in space fabric\
         %0Adc1.yaml:5:13: 10.10.1.0/24 first declared here%0Ahelp: 10.10.0.0/24 is free in block dc1"
    );
}

#[test]
fn github_format_writes_the_whole_report_to_the_job_summary() {
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.md");
    fs::write(&summary, "earlier step\n").unwrap();
    ipam_lint()
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args([
            "check",
            "--format",
            "github",
            &fixture("duplicate-name/bad"),
        ])
        .assert()
        .code(0);
    let text = fs::read_to_string(&summary).unwrap();
    assert!(
        text.starts_with("earlier step\n## ipam-lint\n"),
        "appends: {text}"
    );
    assert!(
        text.contains("| severity | rule | location | message |"),
        "{text}"
    );
    assert!(
        text.contains(
            "| warning | `duplicate-name` | `plan.yaml:5:11` | subnet name web is already used"
        ),
        "{text}"
    );
    assert_eq!(text.matches("| warning |").count(), 3, "{text}");
}

#[test]
fn exit_zero_quiet_and_output_do_what_they_say() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.json");
    ipam_lint()
        .args(["check", "--exit-zero", "--format", "json", "--output"])
        .arg(&report)
        .arg(fixture("duplicate-subnet/bad"))
        .assert()
        .code(0)
        .stdout_eq("");
    let written: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(written["summary"]["errors"], 2);

    ipam_lint()
        .args(["check", "--quiet", &fixture("overlapping-subnets/ok")])
        .assert()
        .code(0)
        .stdout_eq("");
    let output = ipam_lint()
        .args(["check", "--quiet", &fixture("duplicate-subnet/bad")])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.contains("duplicate-subnet") && !stdout.contains("checked"),
        "{stdout}"
    );
}

#[test]
fn color_is_forced_or_refused_on_request() {
    let colored = ipam_lint()
        .args([
            "check",
            "--color",
            "always",
            &fixture("duplicate-subnet/bad"),
        ])
        .output()
        .unwrap();
    assert!(
        String::from_utf8(colored.stdout)
            .unwrap()
            .contains('\u{1b}')
    );
    let plain = ipam_lint()
        .args([
            "check",
            "--color",
            "never",
            &fixture("duplicate-subnet/bad"),
        ])
        .output()
        .unwrap();
    assert!(!String::from_utf8(plain.stdout).unwrap().contains('\u{1b}'));
}

#[test]
fn an_explicit_config_replaces_the_settings_not_the_root() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "plans/a.yaml",
        "subnets:\n  - { cidr: 10.0.0.0/24, name: x }\n  - { cidr: 10.0.1.0/24, name: x }\n",
    );
    write(
        dir.path(),
        "ci/lint.toml",
        "[rules]\nduplicate-name = \"error\"\n",
    );
    let (status, report) = check_json(dir.path(), &["--config", "ci/lint.toml", "plans"]);
    assert_eq!(status, 1);
    assert_eq!(report["diagnostics"][0]["severity"], "error");
    assert_eq!(report["diagnostics"][0]["file"], "a.yaml");

    // With a root config present, the explicit one still decides the settings.
    write(
        dir.path(),
        "plans/ipam-lint.toml",
        "[rules]\nduplicate-name = \"off\"\n",
    );
    let (status, report) = check_json(dir.path(), &["--config", "ci/lint.toml", "plans"]);
    assert_eq!(status, 1);
    assert_eq!(report["diagnostics"][0]["rule"], "duplicate-name");

    ipam_lint()
        .current_dir(dir.path())
        .args(["check", "--config", "missing.toml"])
        .assert()
        .code(2);
}

#[test]
fn explain_prints_the_rule_page_and_refuses_unknown_rules() {
    let output = ipam_lint()
        .args(["explain", "gateway-in-pool"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        ipam_lint::rules::Rule::GatewayInPool.explain()
    );
    ipam_lint()
        .args(["explain", "gateway-in-pol"])
        .assert()
        .code(2)
        .stderr_eq("ipam-lint: no rule named `gateway-in-pol`; did you mean `gateway-in-pool`?\n");
}

#[test]
fn relative_to_renames_files_for_the_repository() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "plans/a.yaml",
        "subnets:\n  - { cidr: 10.0.0.0/24 }\n",
    );
    write(
        dir.path(),
        "more/b.yaml",
        "subnets:\n  - { cidr: 10.0.0.0/24 }\n",
    );
    let (_, report) = check_json(dir.path(), &["plans", "more"]);
    assert_eq!(
        report["diagnostics"][0]["file"], "a.yaml",
        "names are relative to the root, plans"
    );
    let (_, report) = check_json(dir.path(), &["--relative-to", ".", "plans", "more"]);
    assert_eq!(report["diagnostics"][0]["file"], "plans/a.yaml");
    assert_eq!(
        report["diagnostics"][0]["related"][0]["file"],
        "more/b.yaml"
    );
}

#[test]
fn statistics_count_the_findings_of_each_rule_most_first() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "ipam-lint.toml",
        "[rules]\nduplicate-name = \"error\"\n",
    );
    write(
        dir.path(),
        "plan.yaml",
        "subnets:\n  - { cidr: 10.0.0.0/24, name: a }\n  - { cidr: 10.0.0.0/24, name: a }\n\
         addresses:\n  - { ip: 10.0.0.5 }\n  - { ip: 10.0.0.5 }\n  - { ip: 10.0.0.5 }\n",
    );
    let (_, report) = check_json(dir.path(), &[]);
    let output = ipam_lint()
        .current_dir(dir.path())
        .args(["check", "--statistics"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    // As many lines as rules with findings, then the summary; counts agree with the JSON.
    let mut expected: Vec<(usize, String, String)> = Vec::new();
    for (_, rule) in rules_of(&report) {
        let severity = (report["diagnostics"].as_array().unwrap().iter())
            .find(|d| d["rule"] == rule.as_str())
            .unwrap()["severity"]
            .as_str()
            .unwrap()
            .to_owned();
        match expected.iter_mut().find(|(_, r, _)| *r == rule) {
            Some(entry) => entry.0 += 1,
            None => expected.push((1, rule, severity)),
        }
    }
    expected.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let shown: Vec<(usize, String, String)> = lines[..lines.len() - 1]
        .iter()
        .map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            (
                fields[0].parse().unwrap(),
                fields[1].to_owned(),
                fields[2].to_owned(),
            )
        })
        .collect();
    assert_eq!(shown, expected, "{text}");
    assert!(shown[0].0 >= 2, "{text}");
    assert!(
        shown
            .iter()
            .any(|(_, rule, severity)| rule == "duplicate-name" && severity == "error"),
        "{text}"
    );
    assert!(lines.last().unwrap().contains("errors"), "{text}");
    assert!(
        text.lines().all(|line| line.chars().count() <= 80),
        "{text}"
    );

    let json = ipam_lint()
        .current_dir(dir.path())
        .args(["check", "--statistics", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(json.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&json.stderr).contains("--statistics counts"));
}

#[test]
fn select_and_ignore_choose_the_rules_reported() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "plan.yaml",
        "subnets:\n  - { cidr: 10.0.0.0/24, name: a }\n  - { cidr: 10.0.0.0/24, name: a }\n\
         addresses:\n  - { ip: 10.0.0.5 }\n  - { ip: 10.0.0.5 }\n",
    );
    let rules = |args: &[&str]| {
        let (code, report) = check_json(dir.path(), args);
        let mut rules: Vec<String> = rules_of(&report).into_iter().map(|(_, r)| r).collect();
        rules.dedup();
        (
            code,
            rules,
            report["summary"]["errors"].clone(),
            report["summary"]["warnings"].clone(),
        )
    };
    let (code, all, _, _) = rules(&[]);
    assert_eq!(code, 1);
    assert_eq!(
        all,
        ["duplicate-subnet", "duplicate-name", "duplicate-address"]
    );

    let (code, only, errors, warnings) = rules(&["--select", "duplicate-address,duplicate-name"]);
    assert_eq!(code, 1);
    assert_eq!(only, ["duplicate-name", "duplicate-address"]);
    assert_eq!((errors, warnings), (1.into(), 1.into()));

    let (code, rest, errors, _) =
        rules(&["--ignore=duplicate-subnet", "--ignore", "duplicate-address"]);
    assert_eq!(rest, ["duplicate-name"]);
    assert_eq!(errors, 0);
    assert_eq!(code, 0, "a warning alone does not fail the run");

    let output = ipam_lint()
        .current_dir(dir.path())
        .args(["check", "--select", "duplicate-subnet,overlaping-subnets"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("no rule named `overlaping-subnets`; did you mean `overlapping-subnets`?"),
        "{stderr}"
    );
}

#[test]
fn init_writes_a_starter_config_whose_every_line_is_valid_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "plans/dc1.yaml",
        "subnets:\n  - { cidr: 10.0.0.0/24 }\n",
    );
    // Outside the plan's folder, which the starter's `include` names.
    write(dir.path(), "mkdocs.yml", "site_name: Runbook\n");
    let root = dir.path();
    let run = |args: &[&str]| ipam_lint().current_dir(root).args(args).output().unwrap();
    let written = run(&["init"]);
    assert_eq!(written.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&written.stdout).contains("is now the project root"));
    let config = root.join("ipam-lint.toml");
    let starter = fs::read_to_string(&config).unwrap();
    // Commented out, it changes nothing.
    assert_eq!(check_json(root, &[]).0, 0);

    // Each setting taken in is read as the config it says it is.
    let taken_in: String = (starter.lines())
        .map(|line| match line.strip_prefix("# ") {
            Some(setting) if setting.contains(" = ") => format!("{setting}\n"),
            _ => format!("{line}\n"),
        })
        .collect();
    assert!(taken_in.contains("\nthreshold = 0.8\n"), "{taken_in}");
    assert!(
        taken_in.contains("\nhigh-utilization = \"off\"\n"),
        "{taken_in}"
    );
    fs::write(&config, &taken_in).unwrap();
    let (code, report) = check_json(root, &[]);
    assert_eq!(code, 0, "{report}");
    assert!(report["summary"]["files"] == 1, "{report}");
    assert!(report.get("not_plan_files").is_none(), "{report}");

    // A second init leaves the file as it is.
    let again = run(&["init"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    assert_eq!(fs::read_to_string(&config).unwrap(), taken_in);
}

/// Every command's help fits 80 columns as written: no line is longer, and no example is
/// broken across lines by the wrapping.
#[test]
fn help_fits_eighty_columns_with_its_examples_whole() {
    for command in [
        &["--help"][..],
        &["check", "--help"],
        &["show", "--help"],
        &["free", "--help"],
    ] {
        let output = ipam_lint()
            .env("COLUMNS", "80")
            .args(command)
            .output()
            .unwrap();
        let help = String::from_utf8(output.stdout).unwrap();
        for line in help.lines() {
            assert!(line.chars().count() <= 80, "{command:?}: {line:?}");
        }
        // An example's line starts with the command; a description wrapped off its example
        // would start a line with a word instead.
        let examples = help.split("Examples:\n").nth(1).unwrap_or("");
        for line in examples.lines().take_while(|line| !line.is_empty()) {
            assert!(
                line.starts_with("  ipam-lint ") || line.starts_with("       "),
                "{command:?}: {line:?}"
            );
        }
    }
}
