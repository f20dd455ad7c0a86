//! A newcomer's first runs: a repository holding more than the plan, and the faults a
//! first plan has (tabs, pasted values, typos), each reported where it is, with its cause.

mod support;

use std::fs;
use std::path::Path;

use serde_json::Value;
use support::{Run, check, run};

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

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
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
