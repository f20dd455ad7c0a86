//! Every input on which a fuzz target (`scripts/fuzz.sh`) once failed, kept as a plan under
//! tests/data/fuzz/CASE/ and held to what the targets assert: checked and rendered in every
//! format without a panic, findings inside their files, and the fast YAML reader agreeing
//! with the full parser.

use std::fs;
use std::path::Path;

use ipam_lint::check::check_paths;
use ipam_lint::finding::check_locations;
use ipam_lint::load::yaml_readers_agree;
use ipam_lint::report::{github, human, json, sarif};

#[test]
fn every_case_the_fuzzers_found_stays_fixed() {
    let cases = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fuzz");
    let mut checked = 0;
    for case in fs::read_dir(&cases).unwrap() {
        let case = case.unwrap().path();
        for file in fs::read_dir(&case).unwrap() {
            let file = file.unwrap().path();
            if file.extension().is_some_and(|e| e == "yaml")
                && let Ok(text) = fs::read_to_string(&file)
            {
                yaml_readers_agree(&text).unwrap_or_else(|d| panic!("{}: {d}", file.display()));
            }
        }
        let outcome = check_paths(std::slice::from_ref(&case)).unwrap();
        check_locations(&outcome.files, &outcome.findings).unwrap();
        let style = human::Style {
            color: false,
            width: 80,
            summary: true,
            show_existing: false,
        };
        assert!(human::render(&outcome, &style).contains("checked"));
        json::write(&outcome, &mut Vec::new()).unwrap();
        serde_json::from_str::<serde_json::Value>(&sarif::render(&outcome)).unwrap();
        github::write(&outcome, &mut Vec::new()).unwrap();
        checked += 1;
    }
    assert!(checked > 0, "no cases under {}", cases.display());
}
