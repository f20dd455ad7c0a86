//! Arbitrary bytes as a whole plan (`ipam_lint_fuzz::write_plan`), names of files included,
//! rendered in every format, with inputs far longer than a line is wide. Each report must
//! be whole and safe: nothing from the plan reaches the human report or the annotations
//! but shown characters, the human report grows with the findings and not with the lines
//! they sit on, the job summary keeps to its budget, JSON and SARIF parse, and every SARIF
//! URI is percent-encoded.
#![no_main]

use ipam_lint::check::check_paths;
use ipam_lint::report::escape::is_shown;
use ipam_lint::report::{github, human, json, sarif};
use libfuzzer_sys::fuzz_target;

/// What one finding may take in the human report at the most: its message, help and labels
/// hold names of up to 1 KiB, each character escaped in up to 10.
const MOST_BYTES_A_FINDING: usize = 160 * 1024;

fuzz_target!(|data: &[u8]| {
    let dir = ipam_lint_fuzz::write_plan(data).to_path_buf();
    let Ok(outcome) = check_paths(&[dir]) else {
        return;
    };
    ipam_lint_fuzz::assert_findings_within(&outcome.files, &outcome.findings);

    let style = human::Style {
        color: false,
        width: 80,
        summary: true,
        show_existing: false,
    };
    let report = human::render(&outcome, &style);
    if let Some(raw) = report.chars().find(|&c| c != '\n' && !is_shown(c)) {
        panic!("{raw:?} reached the human report raw");
    }
    assert!(
        report.len() <= MOST_BYTES_A_FINDING * (outcome.findings.len() + 1),
        "{} bytes for {} findings",
        report.len(),
        outcome.findings.len()
    );

    let mut out = Vec::new();
    github::write(&outcome, &mut out).expect("annotations are written to memory");
    let annotations = String::from_utf8(out).expect("annotations are text");
    assert_eq!(annotations.lines().count(), outcome.findings.len());
    for line in annotations.lines() {
        assert!(line.starts_with("::error ") || line.starts_with("::warning "));
        assert!(line.chars().all(is_shown), "{line:?}");
    }
    let budget = data.len() * 4 % github::MAX_SUMMARY_BYTES;
    let summary = github::summary_markdown(&outcome, budget);
    assert!(summary.len() <= budget, "{} over {budget}", summary.len());
    assert!(summary.chars().all(|c| c == '\n' || is_shown(c)));

    let mut out = Vec::new();
    json::write(&outcome, &mut out).expect("JSON is written to memory");
    serde_json::from_slice::<serde_json::Value>(&out).expect("the JSON report parses");

    let sarif: serde_json::Value =
        serde_json::from_str(&sarif::render(&outcome)).expect("the SARIF report parses");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    for result in results {
        let locations = result["locations"].as_array().into_iter().flatten();
        let related = result["relatedLocations"].as_array().into_iter().flatten();
        for location in locations.chain(related) {
            let uri = location["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .expect("a URI");
            assert!(
                uri.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-._~%/:".contains(&b)),
                "{uri}"
            );
        }
    }
});
