//! `ipam-lint show` from the outside: the tree of the example and of the edge cases, as
//! snapshots in both formats; every filter; the JSON's shape; usage errors.

mod support;

use std::path::{Path, PathBuf};

use serde_json::Value;
use support::{Run, run};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/show")
        .join(name)
}

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/contoso")
}

fn show(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["show"];
    all.extend_from_slice(args);
    run(dir, &all)
}

fn json(dir: &Path, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let run = show(dir, &all);
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap_or_else(|_| panic!("not JSON: {}", run.stdout))
}

/// Every CIDR or range of a tree, depth first.
fn nodes(report: &Value) -> Vec<String> {
    fn visit(node: &Value, out: &mut Vec<String>) {
        match node.get("cidr") {
            Some(cidr) => out.push(cidr.as_str().unwrap().to_owned()),
            None => out.push(format!(
                "{}-{}",
                node["start"].as_str().unwrap(),
                node["end"].as_str().unwrap()
            )),
        }
        for key in ["blocks", "subnets", "ranges"] {
            for child in node
                .get(key)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                visit(child, out);
            }
        }
    }
    let mut out = Vec::new();
    for space in report["spaces"].as_array().unwrap() {
        for key in ["blocks", "subnets", "ranges"] {
            for node in space[key].as_array().unwrap() {
                visit(node, &mut out);
            }
        }
    }
    out
}

#[test]
fn the_example_and_the_edges_as_trees() {
    for (name, dir) in [("example", example()), ("edges", data("edges"))] {
        let human = show(&dir, &["--color", "never"]);
        assert_eq!(human.code, 0, "{}", human.stderr);
        assert!(
            human.stderr.contains("note: the plan has"),
            "{}",
            human.stderr
        );
        insta::assert_snapshot!(format!("show_human_{name}"), human.stdout);
        let json = show(&dir, &["--format", "json"]);
        insta::assert_snapshot!(format!("show_json_{name}"), json.stdout);
    }
}

#[test]
fn the_json_has_the_shape_of_the_contract() {
    let report = json(&example(), &[]);
    assert_eq!(report["version"], 1);
    let names: Vec<&str> = report["spaces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    // fabric first, then by name.
    assert_eq!(names, ["fabric", "contoso-web", "fabrikam", "northwind"]);
    // Keys in the contract's order: each one's first occurrence after the object starts.
    let text = show(&example(), &["--format", "json"]).stdout;
    let in_order = |start: &str, keys: &[&str]| {
        let from = text
            .find(start)
            .unwrap_or_else(|| panic!("{start} is missing"));
        let at: Vec<usize> = keys
            .iter()
            .map(|key| from + text[from..].find(&format!("\"{key}\":")).unwrap())
            .collect();
        assert!(
            at.windows(2).all(|w| w[0] < w[1]),
            "{keys:?} out of order after {start}"
        );
    };
    in_order(
        "\"name\": \"fabric\"",
        &["name", "kind", "provider", "blocks", "subnets", "ranges"],
    );
    in_order(
        "\"cidr\": \"10.10.0.0/16\"",
        &[
            "cidr",
            "name",
            "scope",
            "source",
            "file",
            "line",
            "size",
            "used",
            "utilization",
            "blocks",
            "subnets",
        ],
    );
    in_order(
        "\"cidr\": \"10.10.1.0/24\"",
        &[
            "cidr",
            "name",
            "source",
            "scope",
            "site",
            "vlan",
            "vsid",
            "gateway",
            "file",
            "line",
            "size",
            "used",
            "utilization",
            "ranges",
        ],
    );
    in_order(
        "\"start\": \"10.10.1.10\"",
        &[
            "start",
            "end",
            "type",
            "name",
            "file",
            "line",
            "size",
            "used",
            "utilization",
        ],
    );
    let space = &report["spaces"][0];
    let block = &space["blocks"][0]["blocks"][0];
    let subnet = &block["subnets"][0];
    assert_eq!(
        (
            &block["cidr"],
            &block["name"],
            &block["scope"],
            &block["file"],
            &block["line"]
        ),
        (
            &Value::from("10.10.0.0/16"),
            &Value::from("dc1"),
            &Value::from("/corp/dc1"),
            &Value::from("corp.yaml"),
            &Value::from(6)
        )
    );
    assert_eq!(
        (
            &subnet["cidr"],
            &subnet["source"],
            &subnet["vlan"],
            &subnet["size"],
            &subnet["used"]
        ),
        (
            &Value::from("10.10.1.0/24"),
            &Value::from("vmm-dc1a"),
            &Value::from(110),
            &Value::from(254),
            &Value::from(5)
        )
    );
    let virtual_space = &report["spaces"][1];
    assert_eq!(
        (&virtual_space["kind"], &virtual_space["provider"]),
        (&Value::from("virtual"), &Value::from("dc1-hnv"))
    );
}

#[test]
fn sizes_are_exact_up_to_all_of_ipv6() {
    let run = show(&data("edges"), &["--space", "all6", "--format", "json"]);
    assert!(
        run.stdout
            .contains("\"size\": 340282366920938463463374607431768211456,")
    );
    assert!(
        run.stdout
            .contains("\"size\": 340282366920938463463374607431768211455,")
    );
}

#[test]
fn filters_select_and_keep_their_containers() {
    let dir = example();
    let all = nodes(&json(&dir, &[]));
    let fabric = nodes(&json(&dir, &["--space", "fabric"]));
    assert!(fabric.len() < all.len() && fabric.contains(&"10.0.0.0/8".to_owned()));
    assert_eq!(
        nodes(&json(&dir, &["--space", "fabrikam"])),
        ["192.168.0.0/24"]
    );

    // One manager's declarations, with the blocks around them.
    let dc2a = nodes(&json(&dir, &["--source", "vmm-dc2a"]));
    assert!(dc2a.contains(&"10.20.1.0/24".to_owned()) && dc2a.contains(&"10.0.0.0/8".to_owned()));
    assert!(!dc2a.contains(&"10.10.1.0/24".to_owned()));
    assert!(
        !dc2a.contains(&"10.20.2.0/24".to_owned()),
        "vmm-dc2b's subnet"
    );

    // What /corp/dc2 administers: dc2 and below, inside corp.
    let dc2 = nodes(&json(&dir, &["--scope", "/corp/dc2", "--space", "fabric"]));
    assert_eq!(
        dc2[..2],
        ["10.0.0.0/8".to_owned(), "10.10.0.0/16".to_owned()]
    );
    assert!(
        dc2.contains(&"10.10.50.0/24".to_owned()),
        "dc2's subnet in dc1's block"
    );
    assert!(!dc2.contains(&"10.10.1.0/24".to_owned()));

    let within = nodes(&json(&dir, &["--within", "10.20.0.0/16"]));
    assert_eq!(
        within[..3],
        [
            "10.0.0.0/8".to_owned(),
            "10.20.0.0/16".to_owned(),
            "10.20.1.0/24".to_owned()
        ]
    );
    assert!(
        within
            .iter()
            .all(|n| n.starts_with("10.20.") || n == "10.0.0.0/8"),
        "{within:?}"
    );

    // Depth 1: what each space holds directly.
    let top = nodes(&json(&dir, &["--depth", "1", "--space", "fabric"]));
    assert_eq!(top, ["10.0.0.0/8", "2001:db8::/32"]);
    let two = nodes(&json(&dir, &["--depth", "2", "--space", "fabric"]));
    assert_eq!(two.len(), 2 + 4);

    // Filters combine.
    let both = nodes(&json(
        &dir,
        &["--source", "vmm-dc1a", "--within", "2001:db8::/32"],
    ));
    assert_eq!(
        both,
        [
            "2001:db8::/32",
            "2001:db8:10::/48",
            "2001:db8:10:1::/64",
            "2001:db8:10:1::100-2001:db8:10:1::1ff"
        ]
    );
}

#[test]
fn the_human_tree_marks_full_nodes_and_colours_only_when_asked() {
    let dir = data("edges");
    let plain = show(&dir, &["--color", "never"]).stdout;
    assert!(plain.lines().any(|l| l.contains("192.0.2.0/24  full") && l.contains("at the utilization threshold")));
    assert!(!plain.contains('\u{1b}'));
    let coloured = show(&dir, &["--color", "always"]).stdout;
    assert!(coloured.contains("\u{1b}[1;31mat the utilization threshold\u{1b}[0m"));
    assert!(plain.contains("lab: 5 blocks, 9 subnets, 2 ranges, 5 addresses"));
    assert!(plain.contains("tenant (virtual, over hnv)  1 subnet"));
}

#[test]
fn totals_count_what_the_filters_show() {
    let run = show(
        &example(),
        &["--within", "10.10.0.0/16", "--color", "never"],
    );
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "fabric (fabric)  2 blocks, 5 subnets, 5 ranges, 9 addresses"
    );
    assert!(lines.contains(&"northwind (virtual, over dc1-hnv)  1 subnet, 1 address"));
    assert!(lines.contains(&"vmm-dc2a: 1 subnet"), "{lines:?}");
    // --depth hides lines; it does not change what is counted.
    let shallow = show(&example(), &["--depth", "1", "--color", "never"]).stdout;
    assert!(shallow.starts_with("fabric (fabric)  6 blocks, 9 subnets, 10 ranges, 18 addresses\n"));
}

#[test]
fn bad_filters_are_usage_errors() {
    for (args, says) in [
        (&["--space", "nope"][..], "no space named `nope`"),
        (&["--within", "10.0.0.1/8"][..], "host bits"),
        (&["--within", "nonsense"][..], "not a CIDR"),
        (&["--scope", "corp"][..], "scope"),
        (&["--depth", "0"][..], "0"),
    ] {
        let run = show(&example(), args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(says), "{args:?}: {}", run.stderr);
    }
}

#[test]
fn names_from_the_plan_reach_the_terminal_escaped() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("plan.yaml"),
        "source: \"vmm\\e[31m\"\nblocks:\n  - { cidr: 10.0.0.0/8, name: \"corp\\e]0;owned\\a\", scope: /a }\n\
         subnets:\n  - { cidr: 10.1.0.0/24, name: \"web\\u202e\", site: \"row\\r1\" }\n",
    )
    .unwrap();
    for run in [
        show(dir.path(), &["--color", "never"]),
        free(dir.path(), &["--size", "24"]),
    ] {
        assert!(
            !run.stdout.contains('\u{1b}') && !run.stdout.contains('\u{202e}'),
            "{}",
            run.stdout
        );
        assert!(
            !run.stdout.contains('\r') && !run.stdout.contains('\u{7}'),
            "{}",
            run.stdout
        );
        assert!(
            run.stdout.contains("corp\\u{1b}]0;owned\\u{7}"),
            "{}",
            run.stdout
        );
    }
}

fn free(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["free"];
    all.extend_from_slice(args);
    run(dir, &all)
}

/// A plan long enough that `show` renders its subnets and ranges on several cores, across
/// more than one window: every node once, in address order, laid out as one document.
#[test]
fn a_long_plan_is_written_whole_and_in_order() {
    const SUBNETS: usize = 3000;
    const STRAY_RANGES: usize = 100;
    let mut text = String::from("blocks:\n  - { cidr: 10.0.0.0/8, name: big }\nsubnets:\n");
    // Listed backwards, so that the order shown is the tree's, not the file's.
    for i in (0..SUBNETS).rev() {
        text += &format!("  - {{ cidr: 10.{}.{}.0/24 }}\n", i / 256, i % 256);
    }
    text += "ranges:\n";
    for i in 0..SUBNETS {
        let (a, b) = (i / 256, i % 256);
        text += &format!("  - {{ start: 10.{a}.{b}.10, end: 10.{a}.{b}.20 }}\n");
    }
    for i in 0..STRAY_RANGES {
        text += &format!("  - {{ start: 100.64.{i}.1, end: 100.64.{i}.9 }}\n");
    }
    let dir = support::plan(&[("plan.yaml", text.as_bytes())]);

    let run = show(dir.path(), &["--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_laid_out_as_one_document(&run.stdout);
    let fabric = &report["spaces"][0];
    let subnets = fabric["blocks"][0]["subnets"].as_array().unwrap();
    assert_eq!(subnets.len(), SUBNETS);
    for (i, subnet) in subnets.iter().enumerate() {
        let (a, b) = (i / 256, i % 256);
        assert_eq!(subnet["cidr"], format!("10.{a}.{b}.0/24"));
        // Line 1 and 2 hold the block, line 3 `subnets:`; the subnets are listed backwards.
        assert_eq!(subnet["line"], 4 + (SUBNETS - 1 - i) as u64);
        let ranges = subnet["ranges"].as_array().unwrap();
        assert_eq!(ranges.len(), 1, "{subnet}");
        assert_eq!(ranges[0]["start"], format!("10.{a}.{b}.10"));
        assert_eq!(ranges[0]["line"], 5 + (SUBNETS + i) as u64);
    }
    let stray: Vec<&str> = (fabric["ranges"].as_array().unwrap().iter())
        .map(|r| r["start"].as_str().unwrap())
        .collect();
    let expected: Vec<String> = (0..STRAY_RANGES).map(|i| format!("100.64.{i}.1")).collect();
    assert_eq!(stray, expected);

    let human = show(dir.path(), &["--color", "never"]).stdout;
    let lines: Vec<&str> = human.lines().collect();
    let big = lines.iter().position(|l| l.contains("10.0.0.0/8")).unwrap();
    // Under the block: each subnet's line, then its range's, drawn as the tree goes on.
    for i in 0..SUBNETS {
        let (a, b) = (i / 256, i % 256);
        let last = i + 1 == SUBNETS;
        let subnet = lines[big + 1 + 2 * i];
        let range = lines[big + 2 + 2 * i];
        let (branch, more) = if last {
            ("└─", "   ")
        } else {
            ("├─", "│  ")
        };
        assert!(
            subnet.starts_with(&format!("│  {branch} 10.{a}.{b}.0/24 ")),
            "{subnet:?}"
        );
        assert!(
            range.starts_with(&format!("│  {more}└─ 10.{a}.{b}.10 - 10.{a}.{b}.20 ")),
            "{range:?}"
        );
    }
    let strays: Vec<&str> = (lines.iter())
        .filter(|l| l.contains(" 100.64."))
        .copied()
        .collect();
    assert_eq!(strays.len(), STRAY_RANGES);
    for (i, line) in strays.iter().enumerate() {
        let branch = if i + 1 == STRAY_RANGES {
            "└─"
        } else {
            "├─"
        };
        assert!(
            line.starts_with(&format!("{branch} 100.64.{i}.1 - ")),
            "{line:?}"
        );
    }
}

/// Each line indented two spaces a level of nesting, and a comma after every item but the
/// last: what serde_json's pretty printer writes, whatever was rendered apart.
fn assert_laid_out_as_one_document(text: &str) {
    let lines: Vec<&str> = text.lines().collect();
    let mut depth = 0usize;
    for (number, line) in lines.iter().enumerate() {
        let content = line.trim_start();
        let closes = content.starts_with('}') || content.starts_with(']');
        if closes {
            depth -= 1;
        }
        let indent = line.len() - content.len();
        assert_eq!(indent, 2 * depth, "line {}: {line:?}", number + 1);
        let next_closes = (lines.get(number + 1))
            .map(|next| next.trim_start())
            .is_none_or(|next| next.starts_with('}') || next.starts_with(']'));
        let opens = content.ends_with('{') || content.ends_with('[');
        if opens {
            depth += 1;
        } else {
            assert_eq!(
                content.ends_with(','),
                !next_closes,
                "line {}: {line:?}",
                number + 1
            );
        }
    }
    assert_eq!(depth, 0);
}
