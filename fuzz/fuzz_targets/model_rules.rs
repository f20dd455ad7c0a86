//! Arbitrary bytes as a whole plan (`ipam_lint_fuzz::write_plan`), checked as `ipam-lint
//! check` checks a directory (model, every rule, severities, suppressions), then rendered in
//! every format.
#![no_main]

use ipam_lint::check::check_paths;
use ipam_lint::report::{github, human, json, sarif};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let dir = ipam_lint_fuzz::write_plan(data).to_path_buf();
    // A bad config is a usage error, reported before any file is read.
    let Ok(outcome) = check_paths(&[dir]) else {
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
        show_existing: false,
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
        Some(outcome.findings.len().min(sarif::MAX_RESULTS))
    );
    let mut out = Vec::new();
    github::write(&outcome, &mut out).expect("annotations are written to memory");
});
