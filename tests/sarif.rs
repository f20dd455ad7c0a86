//! SARIF output: valid against the official SARIF 2.1.0 schema, complete enough for code
//! scanning, and with fingerprints that survive unrelated edits.

use std::fs;
use std::path::{Path, PathBuf};

use ipam_lint::check::check_paths;
use ipam_lint::report::sarif;
use ipam_lint::rules::RULES;
use serde_json::Value;

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(path)
}

fn sarif_of(path: &Path) -> Value {
    let outcome = check_paths(&[path.to_path_buf()]).unwrap();
    serde_json::from_str(&sarif::render(&outcome)).unwrap()
}

fn validator() -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json");
    let schema: Value = serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::draft4::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

#[test]
fn output_is_valid_sarif_2_1_0() {
    let validator = validator();
    for case in [
        "duplicate-subnet/bad",
        "out-of-scope/bad",
        "schema/bad",
        "syntax/bad",
        "overlapping-subnets/ok",
    ] {
        let report = sarif_of(&fixture(case));
        let errors: Vec<String> = validator
            .iter_errors(&report)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{case}: {errors:#?}");
    }
}

#[test]
fn a_broken_document_is_rejected_by_the_validator() {
    let mut report = sarif_of(&fixture("duplicate-subnet/bad"));
    report["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!validator().is_valid(&report));
}

#[test]
fn describes_every_rule_and_locates_every_result() {
    let report = sarif_of(&fixture("duplicate-subnet/bad"));
    let run = &report["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), RULES.len());
    for (rule, info) in rules.iter().zip(RULES) {
        assert_eq!(rule["id"], info.name);
        assert_eq!(rule["shortDescription"]["text"], info.summary);
        assert!(!rule["fullDescription"]["text"].as_str().unwrap().is_empty());
        assert_eq!(rule["help"]["markdown"], info.docs);
        assert!(
            rule["helpUri"]
                .as_str()
                .unwrap()
                .ends_with(&format!("docs/rules/{}.md", info.name))
        );
        assert_eq!(
            rule["defaultConfiguration"]["level"],
            info.default_severity.as_str()
        );
    }
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "duplicate-subnet");
    assert_eq!(
        rules[result["ruleIndex"].as_u64().unwrap() as usize]["id"],
        "duplicate-subnet"
    );
    assert_eq!(result["level"], "error");
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "dc2.yaml");
    assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    let region = &location["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(3), Some(13))
    );
    assert_eq!(
        (region["endLine"].as_u64(), region["endColumn"].as_u64()),
        (Some(3), Some(25))
    );
    let related = &result["relatedLocations"][0];
    assert_eq!(
        related["physicalLocation"]["artifactLocation"]["uri"],
        "dc1.yaml"
    );
    assert_eq!(related["physicalLocation"]["region"]["startLine"], 5);
    assert_eq!(
        related["message"]["text"],
        "10.10.1.0/24 first declared here"
    );
    assert!(
        result["message"]["text"]
            .as_str()
            .unwrap()
            .contains("help: 10.10.0.0/24 is free")
    );
    assert_eq!(run["columnKind"], "unicodeCodePoints");
}

fn fingerprints(report: &Value) -> Vec<(String, u64)> {
    report["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["partialFingerprints"]["ipamLintFinding/v1"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
                r["locations"][0]["physicalLocation"]["region"]["startLine"]
                    .as_u64()
                    .unwrap(),
            )
        })
        .collect()
}

#[test]
fn fingerprints_survive_unrelated_edits() {
    let dir = tempfile::tempdir().unwrap();
    let plan = "subnets:\n  - { cidr: 10.0.0.0/24 }\n  - { cidr: 10.0.0.0/24 }\n  - { cidr: 10.0.0.0/24 }\n";
    fs::write(dir.path().join("plan.yaml"), plan).unwrap();
    let before = fingerprints(&sarif_of(dir.path()));
    assert_eq!(before.len(), 2);
    assert_ne!(
        before[0].0, before[1].0,
        "identical findings still get distinct fingerprints"
    );

    let edited = format!("# moved down by an unrelated edit\nsource: netops\n\n{plan}");
    fs::write(dir.path().join("plan.yaml"), edited).unwrap();
    let after = fingerprints(&sarif_of(dir.path()));
    assert_eq!(
        before.iter().map(|f| &f.0).collect::<Vec<_>>(),
        after.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    assert_eq!(after[0].1, before[0].1 + 3, "the lines did move");
}
