//! Every fixture under `fixtures/<rule>/<case>/` is checked as a project of its own. A
//! trailing comment `# expect: RULE[, RULE...]` marks each line where a finding's primary
//! location must be; the reported (file, line, rule) list must equal the marked one
//! exactly, so a missing finding and an extra one both fail. The JSON and human outputs are
//! snapshotted for review of columns, messages and help.

use std::fs;
use std::path::{Path, PathBuf};

use ipam_lint::check::{Outcome, check_paths};
use ipam_lint::report::{human, json};
use ipam_lint::rules::RULES;

const MARKER: &str = "# expect:";

fn fixtures_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Every case directory: `fixtures/<rule>/<case>`.
fn cases() -> Vec<PathBuf> {
    let mut cases = Vec::new();
    for rule in fs::read_dir(fixtures_root()).unwrap() {
        let rule = rule.unwrap().path();
        if !rule.is_dir() {
            continue;
        }
        for case in fs::read_dir(&rule).unwrap() {
            let case = case.unwrap().path();
            if case.is_dir() {
                cases.push(case);
            }
        }
    }
    cases.sort();
    cases
}

/// The (file, line, rule) triples the markers of one case ask for, sorted.
fn expected(case: &Path) -> Vec<(String, usize, String)> {
    let mut expected = Vec::new();
    let mut stack = vec![case.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = String::from_utf8_lossy(&fs::read(&path).unwrap()).into_owned();
            let name = path
                .strip_prefix(case)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            for (index, line) in text.lines().enumerate() {
                if let Some(at) = line.find(MARKER) {
                    for rule in line[at + MARKER.len()..].split(',') {
                        expected.push((name.clone(), index + 1, rule.trim().to_owned()));
                    }
                }
            }
        }
    }
    expected.sort();
    expected
}

fn reported(outcome: &Outcome) -> Vec<(String, usize, String)> {
    let mut reported: Vec<_> = outcome
        .findings
        .iter()
        .map(|f| {
            let file = &outcome.files[f.primary.file as usize];
            let line = file.position(f.primary.start).line;
            (file.path.clone(), line, f.rule.name().to_owned())
        })
        .collect();
    reported.sort();
    reported
}

fn case_name(case: &Path) -> String {
    case.strip_prefix(fixtures_root())
        .unwrap()
        .to_string_lossy()
        .replace(['/', '\\'], "__")
}

#[test]
fn findings_match_the_markers_exactly() {
    let mut failures = Vec::new();
    for case in cases() {
        let outcome = check_paths(std::slice::from_ref(&case)).unwrap();
        let (want, got) = (expected(&case), reported(&outcome));
        if want != got {
            failures.push(format!(
                "{}\n  expected: {want:?}\n  reported: {got:?}",
                case.display()
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn every_rule_has_a_faulty_case_and_a_clean_near_miss() {
    for rule in RULES {
        let dir = fixtures_root().join(rule.name);
        let bad = expected(&dir.join("bad"));
        assert!(
            bad.iter().any(|(_, _, r)| r == rule.name),
            "fixtures/{}/bad marks no {} finding",
            rule.name,
            rule.name
        );
        let ok = expected(&dir.join("ok"));
        assert!(
            ok.is_empty(),
            "fixtures/{}/ok should be clean: {ok:?}",
            rule.name
        );
    }
}

#[test]
fn every_rule_is_covered_in_yaml_and_toml() {
    for rule in RULES {
        let bad = expected(&fixtures_root().join(rule.name).join("bad"));
        let marked_in = |extension: &str| {
            bad.iter()
                .any(|(file, _, r)| r == rule.name && file.ends_with(extension))
        };
        assert!(
            marked_in(".yaml") && marked_in(".toml"),
            "fixtures/{}/bad should mark the rule in a YAML file and in a TOML file",
            rule.name
        );
    }
}

#[test]
fn json_snapshots() {
    for case in cases() {
        let outcome = check_paths(std::slice::from_ref(&case)).unwrap();
        let value: serde_json::Value = serde_json::from_str(&json::render(&outcome)).unwrap();
        insta::assert_json_snapshot!(format!("json__{}", case_name(&case)), value);
    }
}

#[test]
fn human_snapshots() {
    let style = human::Style {
        color: false,
        width: 100,
        summary: true,
        show_existing: false,
    };
    for case in cases() {
        let outcome = check_paths(std::slice::from_ref(&case)).unwrap();
        insta::assert_snapshot!(
            format!("human__{}", case_name(&case)),
            human::render(&outcome, &style)
        );
    }
}
