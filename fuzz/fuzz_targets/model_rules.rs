//! Arbitrary bytes as a whole plan: up to eight files, separated by NUL bytes, checked as
//! `ipam-lint check` checks a directory (model, every rule, severities, suppressions), then
//! rendered in every format. A file starting `#!toml` is TOML; one starting `#!config` is
//! the plan's `ipam-lint.toml`; any other is YAML.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use ipam_lint::check::check_paths;
use ipam_lint::report::{github, human, json, sarif};
use libfuzzer_sys::fuzz_target;

/// One scratch directory per fuzzing process, emptied before each input.
fn scratch() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let base = std::path::Path::new("/dev/shm");
        let base = if base.is_dir() {
            base.to_path_buf()
        } else {
            std::env::temp_dir()
        };
        base.join(format!("ipam-lint-fuzz-{}", std::process::id()))
    })
}

fuzz_target!(|data: &[u8]| {
    let dir = scratch();
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).expect("the scratch directory can be made");
    for (index, body) in data.split(|&byte| byte == 0).take(8).enumerate() {
        let name = if body.starts_with(b"#!config") {
            "ipam-lint.toml".to_owned()
        } else if body.starts_with(b"#!toml") {
            format!("f{index}.toml")
        } else {
            format!("f{index}.yaml")
        };
        std::fs::write(dir.join(name), body).expect("the scratch file can be written");
    }
    // A bad config is a usage error, reported before any file is read.
    let Ok(outcome) = check_paths(&[dir.clone()]) else {
        return;
    };
    ipam_lint_fuzz::assert_findings_within(&outcome.files, &outcome.findings);
    assert_eq!(
        outcome.summary.errors + outcome.summary.warnings,
        outcome.findings.len(),
        "every finding reported is counted"
    );

    let style = human::Style {
        color: true,
        width: 80,
        summary: true,
    };
    let report = human::render(&outcome, &style);
    assert!(
        report.contains("checked"),
        "the human report ends with its summary"
    );
    let mut out = Vec::new();
    json::write(&outcome, &mut out).expect("JSON is written to memory");
    let json: serde_json::Value = serde_json::from_slice(&out).expect("the JSON report parses");
    assert_eq!(
        json["diagnostics"].as_array().map(Vec::len),
        Some(outcome.findings.len())
    );
    let sarif: serde_json::Value =
        serde_json::from_str(&sarif::render(&outcome)).expect("the SARIF report parses");
    assert_eq!(
        sarif["runs"][0]["results"].as_array().map(Vec::len),
        Some(outcome.findings.len())
    );
    let mut out = Vec::new();
    github::write(&outcome, &mut out).expect("annotations are written to memory");
});
