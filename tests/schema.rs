//! The editor schema: current, in step with the loader, and right about the fixtures.

use std::fs;
use std::path::{Path, PathBuf};

use ipam_lint::load::decode::{
    ADDRESS_KEYS, BLOCK_KEYS, FILE_KEYS, NETWORK_KEYS, RANGE_KEYS, SPACE_KEYS, SUBNET_KEYS,
};
use ipam_lint::schema::json_schema;
use serde_json::Value;

fn committed_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/ipam-lint.schema.json")
}

fn schema() -> Value {
    serde_json::from_str(&json_schema()).unwrap()
}

fn validator() -> jsonschema::Validator {
    jsonschema::draft7::new(&schema()).unwrap()
}

#[test]
fn committed_schema_is_current() {
    assert!(
        fs::read_to_string(committed_path()).unwrap_or_default() == json_schema(),
        "schemas/ipam-lint.schema.json is stale: cargo run -- schema > schemas/ipam-lint.schema.json"
    );
    assert_eq!(
        schema()["$schema"],
        "http://json-schema.org/draft-07/schema#"
    );
}

fn properties(object: &Value) -> Vec<String> {
    let mut keys: Vec<String> = object["properties"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    keys.sort();
    keys
}

fn sorted(keys: &[&str]) -> Vec<String> {
    let mut keys: Vec<String> = keys.iter().map(|k| (*k).to_owned()).collect();
    keys.sort();
    keys
}

#[test]
fn schema_declares_exactly_the_keys_the_loader_accepts() {
    let schema = schema();
    assert_eq!(properties(&schema), sorted(FILE_KEYS));
    let definitions = &schema["definitions"];
    for (name, keys) in [
        ("SpaceEntry", SPACE_KEYS),
        ("NetworkEntry", NETWORK_KEYS),
        ("BlockEntry", BLOCK_KEYS),
        ("SubnetEntry", SUBNET_KEYS),
        ("RangeEntry", RANGE_KEYS),
        ("AddressEntry", ADDRESS_KEYS),
    ] {
        assert_eq!(properties(&definitions[name]), sorted(keys), "{name}");
        assert_eq!(definitions[name]["additionalProperties"], false, "{name}");
    }
}

/// A declaration file as a JSON value, the way an editor sees it.
fn as_json(path: &Path) -> Option<Value> {
    let text = fs::read_to_string(path).ok()?;
    if path.extension().is_some_and(|e| e == "toml") {
        toml::from_str(&text).ok()
    } else {
        serde_saphyr::from_str(&text).ok()
    }
}

fn declaration_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            declaration_files(&path, out);
        } else if path.file_name().is_some_and(|n| n != "ipam-lint.toml")
            && path
                .extension()
                .is_some_and(|e| e == "yaml" || e == "yml" || e == "toml")
        {
            out.push(path);
        }
    }
}

#[test]
fn fixtures_validate_unless_they_are_marked_as_schema_faults() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    declaration_files(&root.join("fixtures"), &mut files);
    declaration_files(&root.join("examples"), &mut files);
    let validator = validator();
    let mut checked = 0;
    for path in files {
        let text = String::from_utf8_lossy(&fs::read(&path).unwrap()).into_owned();
        // Syntax faults do not parse; values out of range are the linter's to report.
        if text.contains("expect: syntax") || text.contains("invalid-value") {
            continue;
        }
        let Some(value) = as_json(&path) else {
            panic!("{} does not parse", path.display());
        };
        let valid = validator.is_valid(&value);
        let marked_schema_fault = text.contains("expect: schema");
        assert_eq!(
            valid,
            !marked_schema_fault,
            "{}: schema says valid={valid}",
            path.display()
        );
        checked += 1;
    }
    assert!(checked > 50, "only {checked} files checked");
}

#[test]
fn an_invalid_plan_fails_with_the_offending_path() {
    let plan: Value = serde_saphyr::from_str(
        "subnets:\n  - { cidr: 10.0.0.0/24, vlan: 5000 }\n  - { cidr: 10.0.1.0/24, gatway: 10.0.1.1 }\n",
    )
    .unwrap();
    let validator = validator();
    let errors: Vec<String> = validator
        .iter_errors(&plan)
        .map(|e| e.instance_path().to_string())
        .collect();
    assert!(errors.iter().any(|p| p == "/subnets/0/vlan"), "{errors:?}");
    assert!(errors.iter().any(|p| p == "/subnets/1"), "{errors:?}");
}
