//! A newcomer's first runs: a repository holding more than the plan, and the faults a
//! first plan has (tabs, pasted values, typos), each reported where it is, with its cause.

mod support;

use std::fs;
use std::path::Path;

use serde_json::Value;
use support::{Run, check, copy_dir, run};

const MIXED_REPO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/mixed-repo");

/// A copy of `tests/data/mixed-repo` (a plan under `plans/` beside Ansible, MkDocs,
/// Kubernetes, Compose and Helm files), with `extra` files written over it.
fn mixed_repo(extra: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(Path::new(MIXED_REPO), dir.path());
    for (name, text) in extra {
        let path = dir.path().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    dir
}

/// Each diagnostic as (file, rule).
fn rules(report: &Value) -> Vec<(String, String)> {
    (report["diagnostics"].as_array().unwrap().iter())
        .map(|d| {
            (
                d["file"].as_str().unwrap().into(),
                d["rule"].as_str().unwrap().into(),
            )
        })
        .collect()
}

fn pair(file: &str, rule: &str) -> (String, String) {
    (file.to_owned(), rule.to_owned())
}

const OTHER_TOOLS_FILES: [&str; 8] = [
    "ansible/inventory.yaml",
    "ansible/site.yml",
    "chart/Chart.yaml",
    "chart/templates/deployment.yaml",
    "chart/values.yaml",
    "compose.yaml",
    "k8s/ipam-ui.yaml",
    "mkdocs.yml",
];

#[test]
fn a_repository_with_other_tools_files_reports_only_the_plans_faults() {
    let (status, report) = check(Path::new(MIXED_REPO));
    assert_eq!(status, 1);
    assert_eq!(
        rules(&report),
        vec![pair("plans/dc1/fabric.yaml", "overlapping-subnets")]
    );
    assert_eq!(report["summary"]["files"], 2);
    assert_eq!(
        report["not_plan_files"],
        serde_json::json!(OTHER_TOOLS_FILES)
    );

    let human = run(Path::new(MIXED_REPO), &["check"]);
    assert_eq!(human.code, 1);
    let tail: Vec<&str> = human.stdout.lines().rev().take(4).collect();
    assert_eq!(
        tail,
        [
            "  (files.include in ipam-lint.toml chooses the plan's files)",
            "  chart/Chart.yaml and 5 more",
            "8 files skipped, not plan files: ansible/inventory.yaml, ansible/site.yml,",
            "1 error, 0 warnings in 2 files checked (4 declarations)",
        ],
        "{}",
        human.stdout
    );
    assert!(human.stdout.lines().all(|line| line.chars().count() <= 80));
}

#[test]
fn a_plan_file_with_a_typo_is_never_taken_for_another_tools() {
    let repo = mixed_repo(&[
        // A misspelt top-level key: the file is still a plan's, and the key is reported.
        ("plans/dc2.yaml", "subnet:\n  - cidr: 10.30.0.0/24\n"),
        // A plan key with a value of the wrong shape and nothing else.
        (
            "plans/dc3.yaml",
            "networks:\n  dc3-hnv: { virtualization: true }\n",
        ),
    ]);
    let (_, report) = check(repo.path());
    let found = rules(&report);
    assert!(
        found.contains(&pair("plans/dc2.yaml", "schema")),
        "{found:?}"
    );
    assert!(
        found.contains(&pair("plans/dc3.yaml", "schema")),
        "{found:?}"
    );
    let typo = (report["diagnostics"].as_array().unwrap().iter())
        .find(|d| d["file"] == "plans/dc2.yaml")
        .unwrap();
    assert!(
        typo["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `subnets`"),
        "{typo}"
    );
    assert_eq!(
        report["not_plan_files"],
        serde_json::json!(OTHER_TOOLS_FILES)
    );
}

#[test]
fn files_include_reads_only_the_plans_files_and_checks_each_as_a_plan() {
    let repo = mixed_repo(&[(
        "ipam-lint.toml",
        "[files]\ninclude = [\"plans/**\", \"mkdocs.yml\"]\n",
    )]);
    let (status, report) = check(repo.path());
    assert_eq!(status, 1);
    assert_eq!(report["summary"]["files"], 3);
    assert!(report.get("not_plan_files").is_none(), "{report}");
    let found = rules(&report);
    assert!(found.contains(&pair("plans/dc1/fabric.yaml", "overlapping-subnets")));
    // Included by name, so checked as a plan: its keys are not the plan's.
    assert!(found.contains(&pair("mkdocs.yml", "schema")), "{found:?}");
    assert!(
        found
            .iter()
            .all(|(file, _)| file.starts_with("plans/") || file == "mkdocs.yml")
    );
}

#[test]
fn non_plan_check_holds_every_file_to_the_declaration_format() {
    let repo = mixed_repo(&[("ipam-lint.toml", "[files]\nnon-plan = \"check\"\n")]);
    let (_, report) = check(repo.path());
    let files: std::collections::BTreeSet<String> =
        rules(&report).into_iter().map(|(file, _)| file).collect();
    for other in OTHER_TOOLS_FILES {
        assert!(files.contains(other), "{other} not checked: {files:?}");
    }
    assert_eq!(report["summary"]["files"], 10);

    let bad = mixed_repo(&[("ipam-lint.toml", "[files]\nnon-plan = \"ignore\"\n")]);
    let Run { code, stderr, .. } = run(bad.path(), &["check"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("non-plan"), "{stderr}");
}

#[test]
fn a_broken_file_is_reported_unless_it_is_a_manifest_or_a_template() {
    let repo = mixed_repo(&[
        // Other tools' YAML that no YAML parser reads as one document: skipped.
        ("k8s/two.yaml", "kind: Service\n---\nkind: Service\n"),
        (
            "chart/templates/svc.yaml",
            "{{- if .Values.service }}\nkind: Service\n{{- end }}\n",
        ),
        // Broken in another way: reported, whatever its keys, since what it is cannot be told.
        ("mkdocs.yml", "site_name: Runbook\nnav:\n\t- index.md\n"),
        // A plan of two documents: its keys say it is a plan.
        ("plans/two.yaml", "subnets: []\n---\nsubnets: []\n"),
    ]);
    let (_, report) = check(repo.path());
    let found = rules(&report);
    assert!(found.contains(&pair("mkdocs.yml", "syntax")), "{found:?}");
    assert!(
        found.contains(&pair("plans/two.yaml", "syntax")),
        "{found:?}"
    );
    let skipped = report["not_plan_files"].as_array().unwrap();
    for name in ["k8s/two.yaml", "chart/templates/svc.yaml"] {
        assert!(
            skipped.iter().any(|file| file == name),
            "{name}: {skipped:?}"
        );
    }
    assert!(!skipped.iter().any(|file| file == "mkdocs.yml"));
}

/// A plan of `files` in a fresh directory.
fn plan(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

/// The one diagnostic of `rule` in the report.
fn only<'r>(report: &'r Value, rule: &str) -> &'r Value {
    let found: Vec<&Value> = (report["diagnostics"].as_array().unwrap().iter())
        .filter(|d| d["rule"] == rule)
        .collect();
    assert_eq!(found.len(), 1, "{rule}: {report:#}");
    found[0]
}

/// (file, line, column, message) of a diagnostic's related locations.
fn related(diagnostic: &Value) -> Vec<(String, u64, u64, String)> {
    (diagnostic["related"].as_array().unwrap().iter())
        .map(|r| {
            (
                r["file"].as_str().unwrap().into(),
                r["line"].as_u64().unwrap(),
                r["column"].as_u64().unwrap(),
                r["message"].as_str().unwrap().into(),
            )
        })
        .collect()
}

fn at(diagnostic: &Value) -> (u64, u64) {
    (
        diagnostic["line"].as_u64().unwrap(),
        diagnostic["column"].as_u64().unwrap(),
    )
}

#[test]
fn a_tab_is_reported_at_the_tab_and_what_follows_names_it() {
    let dir = plan(&[
        (
            "ams.yaml",
            "networks:\n  - name: ams-hnv\n\tvirtualization: true\n",
        ),
        (
            "shop.yaml",
            "spaces:\n  - { name: shop, kind: virtual, provider: ams-hnv }\n",
        ),
    ]);
    let (_, report) = check(dir.path());
    let syntax = only(&report, "syntax");
    assert_eq!(
        (syntax["file"].as_str(), at(syntax)),
        (Some("ams.yaml"), (3, 1))
    );
    assert!(
        syntax["message"]
            .as_str()
            .unwrap()
            .contains("a tab in the indentation")
    );
    assert!(syntax["help"].as_str().unwrap().contains("spaces"));
    assert_eq!(
        related(syntax),
        [("ams.yaml".into(), 2, 11, "the parser stopped here".into())]
    );
    let provider = only(&report, "unknown-reference");
    assert_eq!(provider["file"], "shop.yaml");
    assert_eq!(
        related(provider),
        [(
            "ams.yaml".into(),
            3,
            1,
            "ams-hnv appears in this file, which was left out for this fault".into()
        )]
    );
}

#[test]
fn a_space_inside_a_cidr_gets_the_cidr_meant_and_its_follow_ons_name_it() {
    let dir = plan(&[(
        "dc1.yaml",
        "subnets:\n  - cidr: 10.50.2.0 /24\n    name: dc1-hosts\n\
         ranges:\n  - { start: 10.50.2.10, end: 10.50.2.20 }\n\
         addresses:\n  - { ip: 10.50.2.11 }\n  - { ip: 10.99.0.1 }\n",
    )]);
    let (status, report) = check(dir.path());
    assert_eq!(status, 1);
    let invalid = only(&report, "invalid-value");
    assert_eq!(at(invalid), (2, 11));
    assert_eq!(
        invalid["help"],
        "did you mean `10.50.2.0/24`? a CIDR has no spaces"
    );
    let cause = [(
        "dc1.yaml".to_owned(),
        2,
        11,
        "subnet 10.50.2.0/24 was left out of the model for this fault".to_owned(),
    )];
    let range = only(&report, "range-outside-subnet");
    assert_eq!(related(range), cause);
    // Of the two addresses in no subnet, only the one the subnet would hold follows from it.
    let addresses: Vec<&Value> = (report["diagnostics"].as_array().unwrap().iter())
        .filter(|d| d["rule"] == "address-outside-subnet")
        .collect();
    assert_eq!(addresses.len(), 2);
    assert_eq!(related(addresses[0]), cause);
    assert!(
        addresses[0]["help"]
            .as_str()
            .unwrap()
            .contains("fix that first")
    );
    assert_eq!(related(addresses[1]), []);
    assert!(
        addresses[1].get("help").is_none_or(Value::is_null),
        "{:#}",
        addresses[1]
    );
}

#[test]
fn a_misspelt_key_in_a_subnet_is_named_by_what_follows_from_it() {
    let dir = plan(&[
        (
            "blocks.yaml",
            "blocks:\n  - { cidr: 10.0.0.0/16, name: dc1 }\n  - { cidrr: 10.1.0.0/16 }\n",
        ),
        (
            "dc1.yaml",
            "subnets:\n  - cidr: 10.0.0.0/24\n    gatway: 10.0.0.1\n  - cidr: 10.1.0.0/24\n\
             addresses:\n  - ip: 10.0.0.5\n",
        ),
    ]);
    let (_, report) = check(dir.path());
    let address = only(&report, "address-outside-subnet");
    assert_eq!(
        related(address),
        [(
            "dc1.yaml".into(),
            3,
            5,
            "subnet 10.0.0.0/24 was left out of the model for this fault".into()
        )]
    );
    // The block's CIDR is read from the misspelt key, so the subnet in it names the block.
    let subnet = only(&report, "subnet-outside-block");
    assert_eq!(at(subnet), (4, 11));
    assert_eq!(
        related(subnet),
        [(
            "blocks.yaml".into(),
            3,
            7,
            "block 10.1.0.0/16 was left out of the model for this fault".into()
        )]
    );
}

#[test]
fn pasted_values_get_the_value_meant() {
    let dir = plan(&[(
        "pasted.yaml",
        "subnets:\n\
         \x20 - cidr: 192.0.2.0/255.255.255.0\n\
         \x20 - cidr: 198.51.100.0/0.0.0.255\n\
         \x20 - cidr: 10.0.0.0/024\n\
         \x20 - cidr: 10.1.0.0\n\
         \x20 - cidr: 010.002.0.0/16\n\
         \x20 - cidr: 10.3.0.0/24\n\
         \x20   gateway: 10.3.0.1/24\n",
    )]);
    let (_, report) = check(dir.path());
    let helps: Vec<(u64, String)> = (report["diagnostics"].as_array().unwrap().iter())
        .map(|d| {
            (
                d["line"].as_u64().unwrap(),
                d["help"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    let expected = [
        (
            2,
            "did you mean `192.0.2.0/24`? `255.255.255.0` is a netmask; a CIDR writes it as the prefix length /24",
        ),
        (
            3,
            "did you mean `198.51.100.0/24`? `0.0.0.255` is a wildcard (host) mask; a CIDR writes it as the prefix length /24",
        ),
        (
            4,
            "did you mean `10.0.0.0/24`? a prefix length has no leading zeros: /24, not /024",
        ),
        (
            5,
            "a CIDR needs its prefix length: `10.1.0.0/32` for this one address, or the length of the subnet it starts, such as `10.1.0.0/24`",
        ),
        (
            6,
            "did you mean `10.2.0.0/16`? leading zeros are ambiguous (octal to some tools), so `010.002.0.0` is refused; read as decimal it is 10.2.0.0",
        ),
        (
            8,
            "did you mean `10.3.0.1`? an address takes no prefix length",
        ),
    ];
    let expected: Vec<(u64, String)> = expected
        .iter()
        .map(|(l, h)| (*l, (*h).to_owned()))
        .collect();
    assert_eq!(helps, expected);
    assert!(
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["rule"] == "invalid-value")
    );
}

#[test]
fn common_syntax_slips_are_reported_at_the_slip_with_the_fix() {
    let dir = plan(&[
        (
            "bracket.yaml",
            "subnets:\n  - { cidr: 10.0.0.0/24, name: web\nranges: []\n",
        ),
        (
            "colon.yaml",
            "subnets:\n  - cidr 10.0.0.0/24\n    name: web\n",
        ),
        ("unquoted.toml", "[[subnets]]\ncidr = 10.0.0.0/24\n"),
    ]);
    let (_, report) = check(dir.path());
    let found: Vec<(String, (u64, u64), String, String)> =
        (report["diagnostics"].as_array().unwrap().iter())
            .map(|d| {
                assert_eq!(d["rule"], "syntax");
                (
                    d["file"].as_str().unwrap().to_owned(),
                    at(d),
                    d["message"].as_str().unwrap().to_owned(),
                    d["help"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
    assert_eq!(found.len(), 3, "{found:#?}");
    assert_eq!(found[0].0, "bracket.yaml");
    assert_eq!(found[0].1, (2, 5));
    assert!(found[0].2.contains("this `{` is never closed"), "{found:?}");
    assert_eq!(found[1].0, "colon.yaml");
    assert_eq!(found[1].1, (2, 9));
    assert_eq!(found[1].3, "write `cidr: 10.0.0.0/24`");
    assert_eq!(found[2].0, "unquoted.toml");
    assert_eq!(found[2].1, (2, 8));
    assert_eq!(found[2].3, "write `cidr = \"10.0.0.0/24\"`");
}

/// A report in JUnit XML, parsed: every test case as (suite, case name, failure type or
/// `None` for a pass, the failure's message or the text the case carries).
fn junit_cases(xml: &str) -> Vec<(String, String, Option<String>, String)> {
    let document = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("{e}: {xml}"));
    let root = document.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let mut cases = Vec::new();
    for suite in root.children().filter(|n| n.has_tag_name("testsuite")) {
        for case in suite.children().filter(|n| n.has_tag_name("testcase")) {
            let failure = case.children().find(|n| n.has_tag_name("failure"));
            let out = case.children().find(|n| n.has_tag_name("system-out"));
            cases.push((
                suite.attribute("name").unwrap().to_owned(),
                case.attribute("name").unwrap().to_owned(),
                failure.map(|f| f.attribute("type").unwrap().to_owned()),
                match (failure, out) {
                    (Some(failure), _) => failure.attribute("message").unwrap().to_owned(),
                    (None, Some(out)) => out.text().unwrap_or("").to_owned(),
                    (None, None) => String::new(),
                },
            ));
        }
    }
    let failures: usize = root.attribute("failures").unwrap().parse().unwrap();
    assert_eq!(
        failures,
        cases.iter().filter(|c| c.2.is_some()).count(),
        "{xml}"
    );
    cases
}

#[test]
fn junit_reports_each_finding_as_a_test_case_of_its_file() {
    let dir = plan(&[
        (
            "dc1.yaml",
            "subnets:\n  - { cidr: 10.0.0.0/24, site: \"a<&\\u001b[31m>\", vlan: 10 }\n  - { cidr: 10.0.1.0/24, site: \"a<&\\u001b[31m>\", vlan: 10 }\n",
        ),
        ("dc2.yaml", "subnets:\n  - { cidr: 10.0.0.0/24 }\n"),
    ]);
    let Run { code, stdout, .. } = run(dir.path(), &["check", "--format", "junit"]);
    assert_eq!(code, 1);
    let cases = junit_cases(&stdout);
    assert_eq!(cases.len(), 2, "{cases:#?}");
    // The warning does not fail the run, so it passes, with its text.
    assert_eq!(
        (cases[0].0.as_str(), cases[0].2.as_deref()),
        ("dc1.yaml", None)
    );
    assert!(cases[0].1.starts_with("duplicate-vlan at 3:"), "{cases:?}");
    assert!(cases[0].3.contains("dc1.yaml:3:"), "{cases:?}");
    assert!(cases[0].3.contains("\\u{1b}[31m"), "escaped: {cases:?}");
    assert_eq!(cases[1].0, "dc2.yaml");
    assert_eq!(cases[1].1, "duplicate-subnet at 2:13");
    assert_eq!(cases[1].2.as_deref(), Some("error"));
    assert!(
        cases[1].3.starts_with("subnet 10.0.0.0/24 duplicates"),
        "{cases:?}"
    );

    let denied = run(
        dir.path(),
        &["check", "--format", "junit", "--deny-warnings"],
    );
    let cases = junit_cases(&denied.stdout);
    assert_eq!(cases[0].2.as_deref(), Some("warning"));

    let clean = plan(&[("dc1.yaml", "subnets:\n  - { cidr: 10.0.0.0/24 }\n")]);
    let Run { code, stdout, .. } = run(clean.path(), &["check", "--format", "junit"]);
    assert_eq!(code, 0);
    let cases = junit_cases(&stdout);
    assert_eq!(cases.len(), 1);
    assert_eq!(cases[0].1, "no findings in 1 files (1 declarations)");
    assert_eq!(cases[0].2, None);
}

#[test]
fn show_settings_says_what_a_check_would_read_and_how() {
    let repo = mixed_repo(&[(
        "ipam-lint.toml",
        "[files]\nexclude = [\"chart/**\"]\n[rules]\nduplicate-vlan = \"off\"\n[utilization]\nthreshold = 0.9\n",
    )]);
    // From a folder of the plan, naming the whole repository.
    let Run { code, stdout, .. } = run(
        &repo.path().join("plans"),
        &["check", "..", "--show-settings"],
    );
    assert_eq!(code, 0, "{stdout}");
    let root = fs::canonicalize(repo.path()).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], format!("root: {}", root.display()));
    assert_eq!(
        lines[1],
        format!("config: {}", root.join("ipam-lint.toml").display())
    );
    for expected in [
        "files.include: (not set: every YAML and TOML file, other tools' skipped)",
        "files.exclude: [\"chart/**\"]",
        "files.non-plan: skip",
        "utilization.threshold: 0.9",
        "  duplicate-vlan             off (config)",
        "  overlapping-subnets        error",
        "plan files (2):",
        "  plans/corp.yaml",
        "  plans/dc1/fabric.yaml",
        "skipped, not plan files (5):",
        "  ansible/site.yml",
    ] {
        assert!(lines.contains(&expected), "{expected:?} in\n{stdout}");
    }
    // Nothing is checked: the plan's fault is not reported.
    assert!(!stdout.contains("overlaps"), "{stdout}");
    assert!(!stdout.contains("chart/values.yaml"), "{stdout}");
}

#[test]
fn a_plan_file_is_read_from_standard_input_with_the_rest_of_the_plan() {
    let repo = mixed_repo(&[("ipam-lint.toml", "")]);
    let on_disk = fs::read(repo.path().join("plans/dc1/fabric.yaml")).unwrap();
    // The editor's unsaved buffer: the overlap fixed, a subnet outside every block added.
    let buffer = "source: vmm-dc1\nscope: /corp/dc1\nsubnets:\n  - { cidr: 10.20.1.0/24 }\n  - { cidr: 172.16.0.0/24 }\n";
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ipam-lint"))
        .args([
            "check",
            "-",
            "--stdin-filename",
            "plans/dc1/fabric.yaml",
            "--format",
            "json",
        ])
        .current_dir(repo.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(buffer.as_bytes())?;
            child.wait_with_output()
        })
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(1), "{report:#}");
    assert_eq!(
        rules(&report),
        vec![pair("plans/dc1/fabric.yaml", "subnet-outside-block")],
    );
    let diagnostic = &report["diagnostics"][0];
    assert_eq!(at(diagnostic), (5, 13));
    // The blocks came from the rest of the plan, read from disk; the file there is as it was.
    assert_eq!(report["summary"]["files"], 2);
    assert_eq!(
        fs::read(repo.path().join("plans/dc1/fabric.yaml")).unwrap(),
        on_disk
    );

    // Without a name, the text is a plan of its own, named `-`.
    let alone =
        std::process::Command::new(env!("CARGO_BIN_EXE_ipam-lint"))
            .args(["check", "-", "--format", "json"])
            .current_dir(repo.path())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                use std::io::Write;
                child.stdin.take().unwrap().write_all(
                    b"subnets:\n  - { cidr: 10.0.0.0/24 }\n  - { cidr: 10.0.0.0/24 }\n",
                )?;
                child.wait_with_output()
            })
            .unwrap();
    let report: Value = serde_json::from_slice(&alone.stdout).unwrap();
    assert_eq!(rules(&report), vec![pair("-", "duplicate-subnet")]);
    assert_eq!(report["summary"]["files"], 1);
}

/// The README's five-minute tutorial, run as written: each file its `cat > FILE <<'EOF'`
/// blocks write, each command's answer, and the fault's report byte for byte.
#[test]
fn the_readme_tutorial_is_what_the_tool_does() {
    let readme = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme
        .find("## Five minutes: a first plan")
        .expect("the tutorial");
    let end = start + readme[start..].find("\n## Use").unwrap();
    let tutorial = &readme[start..end];
    let dir = tempfile::tempdir().unwrap();
    let write_files = |from: usize, to: usize| {
        let mut lines = tutorial[from..to].lines();
        while let Some(line) = lines.next() {
            if let Some(name) = line
                .strip_prefix("cat > ")
                .and_then(|l| l.strip_suffix(" <<'EOF'"))
            {
                let text: String = lines
                    .by_ref()
                    .take_while(|l| *l != "EOF")
                    .map(|l| format!("{l}\n"))
                    .collect();
                let path = dir.path().join(name);
                fs::create_dir_all(path.parent().unwrap()).unwrap();
                fs::write(path, text).unwrap();
            }
        }
    };
    let fault_at = tutorial.find("Now the dc2 team").unwrap();
    let init = run(dir.path(), &["init"]);
    assert_eq!(init.code, 0, "{}", init.stderr);
    write_files(0, fault_at);
    let clean = run(dir.path(), &["check"]);
    assert_eq!(clean.code, 0, "{}", clean.stdout);
    let promised = "ipam-lint check                # ";
    let summary = tutorial
        .lines()
        .find_map(|l| l.strip_prefix(promised))
        .unwrap();
    assert_eq!(clean.stdout, format!("{summary}\n"));

    write_files(fault_at, tutorial.len());
    let shown_start = tutorial.find("$ ipam-lint check\n").unwrap() + "$ ipam-lint check\n".len();
    let shown = &tutorial[shown_start..shown_start + tutorial[shown_start..].find("```").unwrap()];
    let faulty = support::run_with_env(
        dir.path(),
        &["check", "--color", "never"],
        &[("COLUMNS", std::ffi::OsStr::new("80"))],
    );
    assert_eq!(faulty.code, 1);
    assert_eq!(faulty.stdout, shown);

    let free = run(dir.path(), &["free", "--size", "24", "--in", "dc2"]);
    assert!(
        tutorial.contains(&format!("answers `{}`", free.stdout.trim_end())),
        "{}",
        free.stdout
    );
    let dc2 = dir.path().join("plans/dc2/fabric.yaml");
    let fixed = fs::read_to_string(&dc2)
        .unwrap()
        .replace("10.10.1.0/25", "10.20.0.0/24");
    fs::write(&dc2, fixed).unwrap();
    assert_eq!(run(dir.path(), &["check"]).code, 0);
}

#[test]
fn the_job_summary_names_the_files_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.md");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ipam-lint"))
        .args(["check", "--format", "github"])
        .current_dir(MIXED_REPO)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let written = fs::read_to_string(&summary).unwrap();
    let expected: Vec<String> = OTHER_TOOLS_FILES
        .iter()
        .map(|name| format!("`{name}`"))
        .collect();
    assert!(
        written.contains(&format!(
            "8 files skipped, not plan files: {}\n",
            expected.join(", ")
        )),
        "{written}"
    );
}
