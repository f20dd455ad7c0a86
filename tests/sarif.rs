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

/// Decodes a percent-encoded URI path into the bytes it names.
fn percent_decoded(uri: &str) -> Vec<u8> {
    let bytes = uri.as_bytes();
    let mut out = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] == b'%' {
            let hex = std::str::from_utf8(&bytes[at + 1..at + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            at += 3;
        } else {
            out.push(bytes[at]);
            at += 1;
        }
    }
    out
}

/// The file every location of a SARIF log names: the base's URI joined with the location's,
/// decoded, as a consumer resolves it.
fn located_files(report: &Value) -> Vec<PathBuf> {
    use std::os::unix::ffi::OsStringExt;
    let run = &report["runs"][0];
    let base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    let mut files = Vec::new();
    for result in run["results"].as_array().unwrap() {
        let locations = result["locations"]
            .as_array()
            .unwrap()
            .iter()
            .chain(result["relatedLocations"].as_array().into_iter().flatten());
        for location in locations {
            let artifact = &location["physicalLocation"]["artifactLocation"];
            let uri = artifact["uri"].as_str().unwrap();
            assert!(
                uri.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-._~%/:".contains(&b)),
                "{uri} is not percent-encoded"
            );
            let absolute = match artifact["uriBaseId"].as_str() {
                Some("%SRCROOT%") => format!("{base}{uri}"),
                Some(other) => panic!("unknown base {other}"),
                None => uri.to_owned(),
            };
            let path = absolute.strip_prefix("file://").unwrap();
            files.push(PathBuf::from(std::ffi::OsString::from_vec(
                percent_decoded(path),
            )));
        }
    }
    files
}

/// A plan whose file names need encoding: `%`, `#`, `?`, spaces, non-ASCII, and a byte that
/// is not UTF-8. Each file repeats the first one's subnet.
#[cfg(unix)]
fn plan_with_awkward_names() -> tempfile::TempDir {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let plan = "subnets:\n  - { cidr: 10.0.0.0/24 }\n";
    fs::write(dir.path().join("ipam-lint.toml"), "").unwrap();
    fs::create_dir_all(dir.path().join("team a/sub")).unwrap();
    let names: [&[u8]; 5] = [
        b"100%.yaml",
        b"a#b?c.yaml",
        "team a/é ü.yaml".as_bytes(),
        b"team a/sub/[x]&y=1.toml",
        b"caf\xe9.yaml",
    ];
    for name in names {
        let path = dir.path().join(std::ffi::OsStr::from_bytes(name));
        let text = if name.ends_with(b".toml") {
            "[[subnets]]\ncidr = \"10.0.0.0/24\"\n"
        } else {
            plan
        };
        fs::write(path, text).unwrap();
    }
    dir
}

/// Every location, encoded as RFC 3986 asks, resolves against its base to the file it came
/// from: under the root, and with `--relative-to` a directory inside it, where the files
/// outside that directory are named by absolute `file:` URIs.
#[cfg(unix)]
#[test]
fn every_location_resolves_to_its_file() {
    let dir = plan_with_awkward_names();
    let mut outcome = check_paths(&[dir.path().to_path_buf()]).unwrap();
    let report: Value = serde_json::from_str(&sarif::render(&outcome)).unwrap();
    let files = located_files(&report);
    assert_eq!(
        files.len(),
        4 + 4,
        "four duplicates, each with a related location"
    );
    for file in &files {
        assert!(file.is_file(), "{} does not exist", file.display());
    }
    let uris: Vec<&str> = report["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert_eq!(
        uris,
        [
            "a%23b%3Fc.yaml",
            "caf%E9.yaml",
            "team%20a/sub/%5Bx%5D%26y%3D1.toml",
            "team%20a/%C3%A9%20%C3%BC.yaml"
        ]
    );

    outcome
        .rename_relative_to(&dir.path().join("team a"))
        .unwrap();
    let report: Value = serde_json::from_str(&sarif::render(&outcome)).unwrap();
    let base = report["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    assert!(base.ends_with("/team%20a/"), "{base}");
    for file in located_files(&report) {
        assert!(file.is_file(), "{} does not exist", file.display());
    }
    let first = &report["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
    assert!(first["artifactLocation"]["uriBaseId"].is_null());
    assert!(
        first["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .starts_with("file:///"),
        "{first}"
    );
}

/// Code scanning takes at most 25,000 results a run: beyond that, errors are kept before
/// warnings, and the run says how many were left out.
#[test]
fn results_stop_at_the_code_scanning_limit_errors_first() {
    let dir = tempfile::tempdir().unwrap();
    let mut plan = String::from("subnets:\n  - { cidr: 10.0.0.0/8 }\naddresses:\n");
    // Each pair: a duplicate address (error) and a duplicate name (warning).
    for i in 0..15_000 {
        let ip = format!("10.1.{}.{}", i / 250, i % 250 + 1);
        for _ in 0..2 {
            plan.push_str(&format!("  - {{ ip: {ip}, name: host-{i} }}\n"));
        }
    }
    fs::write(dir.path().join("plan.yaml"), plan).unwrap();
    let report = sarif_of(dir.path());
    let run = &report["runs"][0];
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), sarif::MAX_RESULTS);
    let errors = results.iter().filter(|r| r["level"] == "error").count();
    assert_eq!(errors, 15_000, "every error is kept");
    let lines: Vec<u64> = results
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["region"]["startLine"]
                .as_u64()
                .unwrap()
        })
        .collect();
    assert!(lines.is_sorted(), "results stay in canonical order");
    let notes = run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert_eq!(notes.len(), 1);
    assert!(
        notes[0]["message"]["text"]
            .as_str()
            .unwrap()
            .starts_with("5000 more results were left out"),
        "{notes:?}"
    );
    assert!(validator().is_valid(&report));

    // Under the limit, nothing is said.
    let small = sarif_of(&fixture("duplicate-subnet/bad"));
    assert!(small["runs"][0]["invocations"][0]["toolExecutionNotifications"].is_null());
}

/// The Multitool, with its code-scanning rules, installed from npm into the target dir
/// once; its postinstall script, which would make it executable, is not run by npm 11.
fn sarif_multitool() -> PathBuf {
    let prefix = Path::new(env!("CARGO_TARGET_TMPDIR")).join("sarif-multitool");
    let binary = prefix.join("node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool");
    if !binary.is_file() {
        let installed = std::process::Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(&prefix)
            .arg("@microsoft/sarif-multitool@5.7.0")
            .status()
            .expect("npm runs");
        assert!(
            installed.success(),
            "npm could not install the SARIF Multitool"
        );
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&binary, fs::Permissions::from_mode(0o755)).unwrap();
    }
    binary
}

/// Microsoft's SARIF Multitool finds nothing to object to, with the SARIF rules and GitHub's
/// (`--rule-kind "Sarif;Gh"`), in the report of every fixture and of awkward file names,
/// under the root and with `--relative-to`.
#[cfg(all(unix, target_arch = "x86_64", target_os = "linux"))]
#[test]
fn the_sarif_multitool_accepts_every_report() {
    let out = tempfile::tempdir().unwrap();
    let mut reports = Vec::new();
    for rule in fs::read_dir(fixture("")).unwrap() {
        for case in fs::read_dir(rule.unwrap().path()).unwrap() {
            let case = case.unwrap().path();
            let name = format!("{}.sarif", reports.len());
            fs::write(
                out.path().join(&name),
                sarif::render(&check_paths(&[case]).unwrap()),
            )
            .unwrap();
            reports.push(name);
        }
    }
    let dir = plan_with_awkward_names();
    let mut outcome = check_paths(&[dir.path().to_path_buf()]).unwrap();
    fs::write(out.path().join("awkward.sarif"), sarif::render(&outcome)).unwrap();
    outcome
        .rename_relative_to(&dir.path().join("team a"))
        .unwrap();
    fs::write(out.path().join("relative.sarif"), sarif::render(&outcome)).unwrap();
    reports.extend(["awkward.sarif".to_owned(), "relative.sarif".to_owned()]);

    let log = out.path().join("validation.log");
    let run = std::process::Command::new(sarif_multitool())
        .args(["validate", "--rule-kind", "Sarif;Gh", "--output"])
        .arg(&log)
        .args(&reports)
        .current_dir(out.path())
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "{printed}");
    assert!(
        printed.contains(&format!("{} files scanned", reports.len())),
        "{printed}"
    );
    let validation: Value = serde_json::from_str(&fs::read_to_string(&log).unwrap()).unwrap();
    let faults: Vec<String> = validation["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["level"] != "note")
        .map(|r| format!("{}: {}", r["ruleId"], r["message"]))
        .collect();
    assert!(faults.is_empty(), "{faults:#?}");
}
