//! The read-only guarantee: no command changes, adds or removes a file in the plan it
//! reads, whatever the plan holds and however the command is given.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use snapbox::cmd::{Command, cargo_bin};

mod support;

/// What could change about an entry: its bytes (or a directory's entry count), its mode and
/// its modification time.
#[derive(Debug, PartialEq)]
struct State {
    bytes: Vec<u8>,
    mode: u32,
    modified: SystemTime,
}

/// Every entry under `root`, links not followed.
fn state_of(root: &Path) -> BTreeMap<PathBuf, State> {
    let mut states = BTreeMap::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(path) = pending.pop() {
        let metadata = fs::symlink_metadata(&path).unwrap();
        let bytes = if metadata.is_dir() {
            let mut names: Vec<_> = fs::read_dir(&path)
                .unwrap()
                .map(|entry| entry.unwrap().path())
                .collect();
            names.sort();
            let listing = format!("{names:?}").into_bytes();
            pending.extend(names);
            listing
        } else if metadata.is_file() {
            fs::read(&path).unwrap()
        } else {
            fs::read_link(&path)
                .map(|target| target.to_string_lossy().into_owned().into_bytes())
                .unwrap_or_default()
        };
        #[cfg(unix)]
        let mode = std::os::unix::fs::PermissionsExt::mode(&metadata.permissions());
        #[cfg(not(unix))]
        let mode = u32::from(metadata.permissions().readonly());
        states.insert(
            path,
            State {
                bytes,
                mode,
                modified: metadata.modified().unwrap(),
            },
        );
    }
    states
}

#[test]
fn no_command_changes_the_plan_it_reads() {
    let work = tempfile::tempdir().unwrap();
    let plan = work.path().join("plan");
    let repository = Path::new(env!("CARGO_MANIFEST_DIR"));
    support::copy_dir(&repository.join("fixtures"), &plan.join("fixtures"));
    support::copy_dir(&repository.join("examples/contoso"), &plan.join("contoso"));
    // Broken files too: the paths that report faults must not write either.
    fs::write(plan.join("broken.yaml"), b"subnets: [\n\xff").unwrap();
    fs::write(plan.join(".gitignore"), "ignored.yaml\n").unwrap();
    fs::write(plan.join("ignored.yaml"), "subnets: [\n").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("contoso", plan.join("link")).unwrap();
    let outside = work.path().join("out");
    fs::create_dir(&outside).unwrap();
    let before = state_of(&plan);

    let report = outside.join("report.sarif");
    let summary = outside.join("summary.md");
    let config = plan.join("contoso/ipam-lint.toml");
    let commands: Vec<Vec<&str>> = vec![
        vec!["check"],
        vec!["check", "--format", "json"],
        vec!["check", "--format", "sarif"],
        vec!["check", "--format", "github"],
        vec!["check", "--quiet", "--deny-warnings", "--color", "always"],
        vec!["check", "--exit-zero", "-o", report.to_str().unwrap()],
        vec!["check", "contoso"],
        vec!["check", "contoso/corp.yaml", "contoso/dc1/vmm-dc1a.yaml"],
        vec!["check", "--config", config.to_str().unwrap(), "fixtures"],
        vec!["check", "--relative-to", "fixtures", "fixtures/syntax"],
        vec!["check", "broken.yaml", "ignored.yaml"],
        vec!["check", "no-such-dir"],
        vec!["rules"],
        vec!["explain", "duplicate-subnet"],
        vec!["explain", "no-such-rule"],
        vec!["schema"],
        // A report over a declaration file is refused (exit 2), not written.
        vec!["check", "-o", "contoso/corp.yaml"],
        vec![
            "check",
            "contoso",
            "--output",
            "./contoso/../contoso/corp.yaml",
        ],
        vec!["--help"],
        vec!["--version"],
    ];
    for args in &commands {
        let output = Command::new(cargo_bin!("ipam-lint"))
            .current_dir(&plan)
            .env("GITHUB_STEP_SUMMARY", &summary)
            .args(args)
            .output()
            .unwrap();
        let code = output.status.code().unwrap();
        assert!(code <= 2, "{args:?} ended with {code}");
        assert!(
            !String::from_utf8_lossy(&output.stderr).contains("panicked"),
            "{args:?} panicked"
        );
    }
    assert!(
        report.is_file() && summary.is_file(),
        "the outputs went outside the plan"
    );
    let after = state_of(&plan);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>(),
        "no entry appeared or went away"
    );
    for (path, state) in &before {
        assert_eq!(Some(state), after.get(path), "{} changed", path.display());
    }
}
