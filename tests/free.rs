//! `ipam-lint free` from the outside: answers on real plans, the edge sizes, usage errors,
//! and the allocation round trip: what `free` returns can be declared without a new finding.

mod support;

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;
use support::{Run, run};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/free")
        .join(name)
}

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/contoso")
}

fn free(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["free"];
    all.extend_from_slice(args);
    run(dir, &all)
}

fn json(dir: &Path, args: &[&str]) -> (i32, Value) {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let run = free(dir, &all);
    let answer = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|_| panic!("not JSON: {}{}", run.stdout, run.stderr));
    (run.code, answer)
}

fn cidrs(answer: &Value) -> Vec<String> {
    answer["free"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            f.get("cidr")
                .or(f.get("ip"))
                .unwrap()
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}

#[test]
fn free_prefixes_of_the_example_by_block_and_by_scope() {
    let dir = example();
    let run = free(
        &dir,
        &["--size", "24", "--scope", "/corp/dc1", "--count", "2"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "10.10.0.0/24  in block dc1\n10.10.4.0/24  in block dc1\n"
    );
    // The example has faults of its own: the answer says so, and still comes.
    assert!(
        run.stderr
            .contains("note: the plan has 4 errors; `ipam-lint check` reports them")
    );

    let (code, answer) = json(&dir, &["--size", "26", "--in", "dc2", "--count", "2"]);
    assert_eq!(code, 0);
    assert_eq!(answer["version"], 1);
    assert_eq!(answer["space"], "fabric");
    assert_eq!(answer["size"], 26);
    assert_eq!(answer["free"][0]["block"], "dc2");
    assert_eq!(cidrs(&answer), ["10.20.0.0/26", "10.20.0.64/26"]);

    // corp's first /24 lies before dc1 and dc2, which are delegated out of it.
    let (_, answer) = json(&dir, &["--size", "16", "--count", "3"]);
    assert_eq!(
        cidrs(&answer),
        ["10.0.0.0/16", "10.1.0.0/16", "10.2.0.0/16"]
    );
    let (_, answer) = json(&dir, &["--size", "16", "--count", "12"]);
    let all = cidrs(&answer);
    assert!(!all.contains(&"10.10.0.0/16".to_owned()) && !all.contains(&"10.20.0.0/16".to_owned()));
}

#[test]
fn free_addresses_of_the_example_by_type() {
    let dir = example();
    let (code, answer) = json(&dir, &["--in", "10.10.1.0/24", "--count", "3"]);
    assert_eq!(code, 0);
    assert_eq!(answer["subnet"], "10.10.1.0/24");
    assert_eq!(cidrs(&answer), ["10.10.1.10", "10.10.1.14", "10.10.1.15"]);
    let (_, answer) = json(
        &dir,
        &["--in", "dc1-hosts", "--type", "vip", "--count", "2"],
    );
    assert_eq!(cidrs(&answer), ["10.10.1.241", "10.10.1.242"]);
}

#[test]
fn the_edge_sizes() {
    let dir = data("edges");
    let ask = |args: &[&str]| json(&dir, args);
    assert_eq!(
        cidrs(&ask(&["--space", "all4", "--size", "0"]).1),
        ["0.0.0.0/0"]
    );
    assert_eq!(cidrs(&ask(&["--space", "all6", "--size", "0"]).1), ["::/0"]);
    assert_eq!(
        cidrs(&ask(&["--space", "all6", "--size", "128", "--count", "2"]).1),
        ["::/128", "::1/128"]
    );
    // IPv4 before IPv6, whatever the blocks' order.
    assert_eq!(
        cidrs(&ask(&["--size", "32", "--count", "1"]).1),
        ["198.51.100.3/32"]
    );
    assert_eq!(
        cidrs(&ask(&["--in", "v6", "--size", "127", "--count", "1"]).1),
        ["2001:db8::4/127"]
    );
    // A block fully used: nothing, exit 1, and the JSON still printed.
    let (code, answer) = ask(&["--in", "full", "--size", "25"]);
    assert_eq!((code, cidrs(&answer).len()), (1, 0));
    // /31 and /127 have no unusable addresses; /32 and /128 are their one address.
    assert_eq!(
        cidrs(&ask(&["--in", "198.51.100.0/31", "--count", "3"]).1),
        ["198.51.100.0", "198.51.100.1"]
    );
    assert_eq!(
        cidrs(&ask(&["--in", "198.51.100.2/32"]).1),
        ["198.51.100.2"]
    );
    assert_eq!(
        cidrs(&ask(&["--in", "2001:db8::/127", "--count", "3"]).1),
        ["2001:db8::", "2001:db8::1"]
    );
    assert_eq!(
        cidrs(&ask(&["--in", "2001:db8::2/128", "--size", "128"]).1),
        ["2001:db8::2"]
    );
    // A pool of one address: the dhcp address is that one; a static one is outside it.
    assert_eq!(
        cidrs(&ask(&["--in", "198.51.100.16/28", "--type", "dhcp", "--count", "2"]).1),
        ["198.51.100.20"]
    );
    let statics = cidrs(&ask(&["--in", "198.51.100.16/28", "--count", "20"]).1);
    assert_eq!(statics.len(), 14 - 1);
    assert!(!statics.contains(&"198.51.100.20".to_owned()));
    // Fewer than asked for: those found, a note, exit 1.
    let run = free(&dir, &["--in", "198.51.100.0/31", "--count", "3"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("only 2 of the 3 asked for are free"),
        "{}",
        run.stderr
    );
}

#[test]
fn questions_that_cannot_be_asked_are_usage_errors() {
    let dir = example();
    for (args, says) in [
        (
            &["--space", "nope", "--size", "24"][..],
            "no space named `nope`",
        ),
        (
            &["--in", "nowhere", "--size", "24"][..],
            "no block or subnet of space fabric",
        ),
        (
            &["--in", "dc1", "--size", "8"][..],
            "--size 8 is shorter than block 10.10.0.0/16",
        ),
        (&["--in", "dc1"][..], "--size is needed"),
        (&[][..], "--size is needed"),
        (
            &["--in", "dc1", "--size", "24", "--scope", "/corp/dc2"][..],
            "which /corp/dc2 does not administer",
        ),
        (&["--in", "10.10.1.0/24", "--size", "24"][..], "is a subnet"),
        (
            &["--in", "dc1", "--size", "33"][..],
            "longer than an IPv4 address",
        ),
        (&["--size", "24", "--scope", "corp"][..], "scope"),
    ] {
        let run = free(&dir, args);
        assert_eq!(run.code, 2, "{args:?}: {}{}", run.stdout, run.stderr);
        assert!(run.stderr.contains(says), "{args:?}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{args:?}");
    }
}

/// Copies a plan into a fresh directory.
fn copy_of(from: &Path) -> tempfile::TempDir {
    let to = tempfile::tempdir().unwrap();
    let mut stack = vec![from.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let target = to.path().join(path.strip_prefix(from).unwrap());
            if path.is_dir() {
                fs::create_dir_all(&target).unwrap();
                stack.push(path);
            } else {
                fs::copy(&path, &target).unwrap();
            }
        }
    }
    to
}

/// The findings of `check` on `dir`, as (rule, file, line), less `high-utilization`: a pool
/// filled by an allocation may rightly reach the threshold.
fn findings(dir: &Path) -> Vec<(String, String, u64)> {
    let (_, report) = support::check(dir);
    let mut all: Vec<(String, String, u64)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] != "high-utilization")
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_owned(),
                d["file"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    all.sort();
    all
}

/// Questions asked of one plan: (space, arguments) for prefixes, (subnet, type) for
/// addresses.
type Questions<'a> = (&'a [(&'a str, &'a [&'a str])], &'a [(&'a str, &'a str)]);

#[test]
fn what_free_returns_can_be_declared_without_a_new_finding() {
    let example_questions: Questions = (
        &[
            ("fabric", &["--size", "24", "--count", "3"]),
            (
                "fabric",
                &["--size", "28", "--scope", "/corp/dc1", "--count", "2"],
            ),
            ("fabric", &["--size", "64", "--count", "2"]),
        ],
        &[
            ("10.10.1.0/24", "static"),
            ("10.10.1.0/24", "vip"),
            ("2001:db8:10:1::/64", "static"),
        ],
    );
    let edge_questions: Questions = (
        &[
            ("all4", &["--space", "all4", "--size", "8", "--count", "2"]),
            ("all6", &["--space", "all6", "--size", "64"]),
            ("fabric", &["--size", "26", "--count", "3"]),
        ],
        &[
            ("198.51.100.16/28", "dhcp"),
            ("198.51.100.16/28", "static"),
            ("198.51.100.0/31", "static"),
        ],
    );
    for (plan, (prefixes, addresses)) in [
        (example(), example_questions),
        (data("edges"), edge_questions),
    ] {
        let copy = copy_of(&plan);
        let dir = copy.path();
        let before = findings(dir);
        let mut subnets = String::new();
        for (space, args) in prefixes {
            let (code, answer) = json(dir, args);
            assert_eq!(code, 0, "{args:?}");
            for cidr in cidrs(&answer) {
                subnets.push_str(&format!("  - {{ cidr: \"{cidr}\", space: {space} }}\n"));
            }
        }
        let mut ips = String::new();
        for (subnet, kind) in addresses {
            let (code, answer) = json(dir, &["--in", subnet, "--type", kind, "--count", "2"]);
            assert!(code == 0 || code == 1, "{subnet} {kind}");
            for ip in cidrs(&answer) {
                ips.push_str(&format!("  - {{ ip: \"{ip}\", type: {kind} }}\n"));
            }
        }
        // A root file (no scope) may allocate anywhere.
        let allocated = format!("subnets:\n{subnets}addresses:\n{ips}");
        fs::write(dir.join("zz-allocated.yaml"), &allocated).unwrap();
        assert_eq!(before, findings(dir), "{}:\n{allocated}", plan.display());
    }
}

#[test]
fn the_help_of_a_duplicate_subnet_never_suggests_delegated_space() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("plan.yaml"),
        "blocks:\n  - { cidr: 10.10.0.0/16, name: dc1 }\n  - { cidr: 10.10.0.0/24, name: dc1-oob }\n\
         subnets:\n  - { cidr: 10.10.1.0/24 }\n  - { cidr: 10.10.1.0/24 }\n  - { cidr: 10.10.2.0/24 }\n",
    )
    .unwrap();
    let (_, report) = support::check(dir.path());
    let help = report["diagnostics"][0]["help"].as_str().unwrap();
    // 10.10.0.0/24 is delegated to dc1-oob: the first /24 free in dc1 itself is after it.
    assert_eq!(help, "10.10.3.0/24 is free in block dc1");
    let (_, answer) = json(dir.path(), &["--in", "dc1", "--size", "24"]);
    assert_eq!(cidrs(&answer), ["10.10.3.0/24"]);
}
