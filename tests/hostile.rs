//! Hostile and broken input: every case gets a clear diagnostic or message and the right
//! exit status, in bounded time, without a panic, and every other file is still checked.
//!
//! Each case is a plan of two files: the hostile one, and `good.yaml`, whose one fault (a
//! duplicate address) must be reported whatever the hostile file does. Large inputs are
//! generated at test time. The behaviours are documented in docs/behaviour.md.

use std::fs;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

mod support;

use support::{Run, check, diagnostics, make_fifo, plan, run, run_program};

/// Checks `dir` and asserts that the good file's fault was found, that `name` got exactly
/// `expected` (rule, line, column, a part of the message) and that the run failed.
fn assert_findings(dir: &Path, name: &str, expected: &[(&str, u64, u64, &str)]) -> Value {
    let (code, report) = check(dir);
    assert_eq!(code, 1, "{report:#}");
    let good = diagnostics(&report, "good.yaml");
    assert_eq!(good.len(), 1, "the good file is still checked: {report:#}");
    assert_eq!(good[0].0, "duplicate-address");
    let found = diagnostics(&report, name);
    assert_eq!(found.len(), expected.len(), "{name}: {found:#?}");
    for (found, &(rule, line, column, message)) in found.iter().zip(expected) {
        assert_eq!(
            (found.0.as_str(), found.1, found.2),
            (rule, line, column),
            "{name}: {found:?}"
        );
        assert!(found.3.contains(message), "{name}: {found:?}");
    }
    report
}

/// One hostile file beside the good one.
fn assert_file(name: &str, bytes: &[u8], expected: &[(&str, u64, u64, &str)]) -> Value {
    let dir = plan(&[(name, bytes)]);
    assert_findings(dir.path(), name, expected)
}

#[test]
fn alias_bombs_stop_at_the_value_budget() {
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for level in 1..10 {
        let refs = vec![format!("*a{}", level - 1); 10].join(", ");
        bomb.push_str(&format!("a{level}: &a{level} [{refs}]\n"));
    }
    assert_file(
        "bomb.yaml",
        bomb.as_bytes(),
        &[(
            "syntax",
            6,
            45,
            "too many values (aliases expanded): more than 1000000",
        )],
    );
}

#[test]
fn deep_nesting_is_refused_at_a_fixed_depth() {
    let depth = 100_000;
    let flow = "[".repeat(depth) + &"]".repeat(depth);
    assert_file(
        "flow.yaml",
        flow.as_bytes(),
        &[("syntax", 1, 256, "recursion limit exceeded")],
    );
    // Block nesting 100k deep would take 5 GB of indentation; a thousand levels show it.
    let block: String = (0..1000)
        .map(|i| format!("{}a:\n", " ".repeat(i)))
        .collect();
    assert_file(
        "block.yaml",
        block.as_bytes(),
        &[("syntax", 65, 65, "nesting deeper than 64 levels")],
    );
    let toml = format!("a = {}{}\n", "[".repeat(depth), "]".repeat(depth));
    assert_file(
        "deep.toml",
        toml.as_bytes(),
        &[("syntax", 1, 85, "cannot recurse further")],
    );
}

#[test]
fn a_100_mb_file_is_read_whole() {
    // A hundred megabytes of comments around one fault at the very end.
    let line = "# padding, as a generated file might carry\n";
    let mut text = line.repeat(100 * 1024 * 1024 / line.len() + 1);
    let lines = text.lines().count() as u64;
    text.push_str("addresses:\n  - { ip: 10.0.0.256 }\n");
    assert!(text.len() > 100 * 1024 * 1024);
    assert_file(
        "large.yaml",
        text.as_bytes(),
        &[(
            "invalid-value",
            lines + 2,
            11,
            "`10.0.0.256` is not a valid IP address",
        )],
    );
}

#[test]
fn files_over_the_size_limits_are_refused_unread() {
    let dir = plan(&[("small.toml", b"")]);
    // Sparse: 257 MiB on paper, nothing on disk.
    let huge = fs::File::create(dir.path().join("huge.yaml")).unwrap();
    huge.set_len(257 * 1024 * 1024).unwrap();
    let toml = "# padding\n".repeat(17 * 1024 * 1024 / 10);
    fs::write(dir.path().join("large.toml"), toml).unwrap();
    assert_findings(
        dir.path(),
        "huge.yaml",
        &[(
            "syntax",
            1,
            1,
            "257 MiB, over the limit of 256 MiB for one declaration file",
        )],
    );
    let (_, report) = check(dir.path());
    assert_eq!(
        diagnostics(&report, "large.toml"),
        [(
            "syntax".to_owned(),
            1,
            1,
            "the file is 17 MiB, over the limit of 16 MiB for one TOML file; split it, or \
             write it in YAML"
                .to_owned()
        )]
    );
}

#[test]
fn a_list_of_a_million_addresses_is_checked() {
    let mut text = String::from("subnets:\n  - { cidr: 10.0.0.0/8 }\naddresses:\n");
    for host in 1..=1_000_000u32 {
        let [_, b, c, d] = (0x0a00_0000 | host).to_be_bytes();
        text.push_str(&format!("  - {{ ip: 10.{b}.{c}.{d} }}\n"));
    }
    // One repeat at the end, which must be found among the million.
    text.push_str("  - { ip: 10.0.0.7 }\n");
    let report = assert_file(
        "million.yaml",
        text.as_bytes(),
        &[(
            "duplicate-address",
            1_000_004,
            11,
            "address 10.0.0.7 is already assigned in space fabric",
        )],
    );
    assert_eq!(report["summary"]["declarations"], 1_000_002 + 3);
}

#[test]
fn text_that_is_not_utf8_is_a_syntax_fault_at_the_first_bad_byte() {
    assert_file(
        "latin1.yaml",
        b"subnets:\n  - { cidr: 10.0.0.0/24, name: caf\xe9 }\n",
        &[(
            "syntax",
            2,
            35,
            "not valid UTF-8 (invalid byte at offset 43)",
        )],
    );
    // A binary file named .yaml: a PNG header.
    assert_file(
        "image.yaml",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
        &[("syntax", 1, 1, "not valid UTF-8 (invalid byte at offset 0)")],
    );
    // Bytes that are UTF-8 but not text.
    let control: Vec<u8> = (0u8..32).collect();
    assert_file(
        "control.yaml",
        &control,
        &[("syntax", 1, 1, "found unprintable character")],
    );
}

#[test]
fn a_byte_order_mark_and_crlf_line_ends_are_read_as_text() {
    let text = "\u{feff}subnets:\r\n  - { cidr: 10.0.0.0/24 }\r\n  - cidr: 10.0.0.0/24\r\n";
    assert_file(
        "windows.yaml",
        text.as_bytes(),
        &[(
            "duplicate-subnet",
            3,
            11,
            "subnet 10.0.0.0/24 duplicates subnet 10.0.0.0/24 in space fabric",
        )],
    );
}

#[test]
fn an_empty_file_declares_nothing() {
    let dir = plan(&[
        ("empty.yaml", b""),
        ("empty.toml", b""),
        ("comments.yaml", b"# nothing yet\n"),
    ]);
    let report = assert_findings(dir.path(), "empty.yaml", &[]);
    assert_eq!(report["summary"]["files"], 4);
}

#[test]
fn yaml_beyond_plain_data_is_a_syntax_fault() {
    assert_file(
        "two.yaml",
        b"subnets: []\n---\nsubnets: []\n",
        &[(
            "syntax",
            2,
            1,
            "a declaration file holds one YAML document; this is a second one",
        )],
    );
    assert_file(
        "tag.yaml",
        b"subnets: !!python/object:os.system [rm -rf /]\n",
        &[(
            "syntax",
            1,
            10,
            "unsupported YAML tag `!!python/object:os.system`",
        )],
    );
    assert_file(
        "keys.yaml",
        b"subnets: []\nsubnets: []\n",
        &[("syntax", 2, 1, "duplicate mapping key: subnets")],
    );
    assert_file(
        "keys.toml",
        b"[[subnets]]\ncidr = \"10.0.0.0/24\"\ncidr = \"10.1.0.0/24\"\n",
        &[("syntax", 3, 1, "duplicate key")],
    );
}

#[test]
fn values_of_the_wrong_type_are_schema_faults() {
    let text = "subnets:\n  - { cidr: 10, name: 2001 }\n  - { cidr: 10.1.0.0/24, vlan: \"110\" }\n  - { cidr: [10.2.0.0/24] }\n";
    assert_file(
        "types.yaml",
        text.as_bytes(),
        &[
            (
                "schema",
                2,
                13,
                "`cidr` of a subnet must be a string, found an integer",
            ),
            (
                "schema",
                2,
                23,
                "`name` of a subnet must be a string, found an integer (quote it",
            ),
            (
                "schema",
                3,
                32,
                "`vlan` of a subnet must be an integer, found a string",
            ),
            (
                "schema",
                4,
                13,
                "`cidr` of a subnet must be a string, found a list",
            ),
        ],
    );
}

#[test]
fn addresses_are_read_strictly() {
    let text = "\
subnets:
  - { cidr: 10.0.0.0/33 }
  - { cidr: \"2001:db8::/129\" }
  - { cidr: 10.1.0.0/24, vlan: 4095 }
  - { cidr: 10.2.0.0/24, vlan: 4094 }
  - { cidr: \"::ffff:0:0/96\" }
addresses:
  - { ip: \"fe80::1%eth0\" }
  - { ip: 010.0.0.1 }
  - { ip: \"::ffff:10.0.0.1\" }
  - { ip: \"::ffff:a00:1\" }
  - { ip: 10.2.0.9 }
";
    assert_file(
        "strict.yaml",
        text.as_bytes(),
        &[
            (
                "invalid-value",
                2,
                13,
                "invalid prefix length `/33`: an IPv4 prefix length is 0 to 32",
            ),
            (
                "invalid-value",
                3,
                13,
                "invalid prefix length `/129`: an IPv6 prefix length is 0 to 128",
            ),
            (
                "invalid-value",
                4,
                32,
                "vlan 4095 is out of range: a VLAN ID is 0 to 4094",
            ),
            (
                "invalid-value",
                8,
                11,
                "zone IDs (`%eth0`) have no place in an address plan",
            ),
            ("invalid-value", 9, 11, "leading zeros are ambiguous"),
            // IPv4-mapped IPv6 is IPv6: the same address written twice, not 10.2.0.0/24's.
            (
                "duplicate-address",
                11,
                11,
                "address ::ffff:10.0.0.1 is already assigned",
            ),
        ],
    );
}

#[test]
fn a_range_of_every_address_is_handled_exactly() {
    let text = "\
subnets:
  - { cidr: 0.0.0.0/0 }
  - { cidr: \"::/0\" }
ranges:
  - { start: 0.0.0.1, end: 255.255.255.254, type: dhcp }
  - { start: \"::1\", end: \"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff\", type: dhcp }
addresses:
  - { ip: 10.0.0.1, type: dhcp }
";
    let report = assert_file(
        "world.yaml",
        text.as_bytes(),
        &[(
            "overlapping-subnets",
            2,
            13,
            "subnet 0.0.0.0/0 overlaps subnet 192.0.2.0/24",
        )],
    );
    // 4 294 967 294 addresses, one in use: far below any utilization threshold.
    assert!(
        diagnostics(&report, "world.yaml")
            .iter()
            .all(|d| d.0 != "high-utilization")
    );
}

#[test]
fn malformed_scopes_are_invalid_values() {
    for (name, scope) in [("double.yaml", "/corp//dc1"), ("relative.yaml", "corp")] {
        let text = format!("scope: {scope}\nsubnets:\n  - {{ cidr: 10.0.0.0/24 }}\n");
        assert_file(
            name,
            text.as_bytes(),
            &[(
                "invalid-value",
                1,
                8,
                &format!("`{scope}` is not an access scope"),
            )],
        );
    }
}

#[test]
fn a_directory_named_like_a_file_is_walked() {
    let dir = plan(&[(
        "plans.yaml/inner.yaml",
        b"addresses:\n  - { ip: 10.0.0.300 }\n",
    )]);
    assert_findings(
        dir.path(),
        "plans.yaml/inner.yaml",
        &[(
            "invalid-value",
            2,
            11,
            "`10.0.0.300` is not a valid IP address",
        )],
    );
}

#[cfg(unix)]
#[test]
fn links_are_not_followed_loops_and_all() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    fs::write(
        outside.path().join("secret.yaml"),
        "addresses: [{ ip: 10.0.0.300 }]\n",
    )
    .unwrap();
    let dir = plan(&[]);
    symlink(
        outside.path().join("secret.yaml"),
        dir.path().join("outside.yaml"),
    )
    .unwrap();
    symlink(outside.path(), dir.path().join("outside-dir")).unwrap();
    symlink("loop-b.yaml", dir.path().join("loop-a.yaml")).unwrap();
    symlink("loop-a.yaml", dir.path().join("loop-b.yaml")).unwrap();
    symlink(".", dir.path().join("self")).unwrap();
    let report = assert_findings(dir.path(), "outside.yaml", &[]);
    assert_eq!(
        report["summary"]["files"], 1,
        "only good.yaml is read: {report:#}"
    );
}

#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8_is_checked_and_named_with_escapes() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = plan(&[]);
    let name = OsStr::from_bytes(b"caf\xe9.yaml");
    fs::write(dir.path().join(name), "addresses: [{ ip: 10.0.0.300 }]\n").unwrap();
    assert_findings(
        dir.path(),
        "caf\\xE9.yaml",
        &[(
            "invalid-value",
            1,
            19,
            "`10.0.0.300` is not a valid IP address",
        )],
    );
}

#[cfg(unix)]
#[test]
fn a_named_pipe_is_never_opened() {
    let dir = plan(&[]);
    let pipe = dir.path().join("pipe.yaml");
    make_fifo(&pipe);
    // Walked past: opening it would block until someone writes.
    let report = assert_findings(dir.path(), "pipe.yaml", &[]);
    assert_eq!(report["summary"]["files"], 1);
    // Named: a usage error.
    let run = run(dir.path(), &["check", "pipe.yaml"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr.trim(),
        "ipam-lint: pipe.yaml is not a regular file or a directory"
    );
}

/// Runs ipam-lint in `dir` as a user that permissions stop. Permissions do not stop root:
/// run as root, it runs as `nobody` through `setpriv`, with `dir` and `good.yaml` opened to
/// it.
#[cfg(unix)]
fn run_unprivileged(dir: &Path, locked: &Path, args: &[&str]) -> Run {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(locked, fs::Permissions::from_mode(0o000)).unwrap();
    let is_root = fs::read_dir(locked).is_ok() || fs::read(locked).is_ok();
    if !is_root {
        return run(dir, args);
    }
    fs::set_permissions(dir, fs::Permissions::from_mode(0o755)).unwrap();
    fs::set_permissions(dir.join("good.yaml"), fs::Permissions::from_mode(0o644)).unwrap();
    let mut setpriv = vec!["--reuid=65534", "--regid=65534", "--clear-groups"];
    setpriv.push(env!("CARGO_BIN_EXE_ipam-lint"));
    setpriv.extend(args);
    run_program("setpriv", &setpriv, dir)
}

/// A file without read permission is a `syntax` finding on that file, and the rest of the
/// plan is checked.
#[cfg(unix)]
#[test]
fn an_unreadable_file_is_a_finding_on_that_file() {
    let dir = plan(&[("locked.yaml", b"subnets: []\n")]);
    let locked = dir.path().join("locked.yaml");
    let run = run_unprivileged(dir.path(), &locked, &["check", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(diagnostics(&report, "good.yaml").len(), 1);
    let locked = diagnostics(&report, "locked.yaml");
    assert_eq!(locked.len(), 1, "{report:#}");
    assert_eq!((locked[0].0.as_str(), locked[0].1), ("syntax", 1));
    assert!(
        locked[0]
            .3
            .starts_with("cannot read the file: Permission denied"),
        "{locked:?}"
    );
}

/// A directory without read permission stops the run: its files cannot be checked, and a
/// pass that silently left them out would be worse than none.
#[cfg(unix)]
#[test]
fn an_unreadable_directory_is_a_usage_error() {
    let dir = plan(&[("locked/inner.yaml", b"subnets: []\n")]);
    let locked = dir.path().join("locked");
    let run = run_unprivileged(dir.path(), &locked, &["check"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.stderr.trim(),
        "ipam-lint: cannot read locked: Permission denied (os error 13)"
    );
}

/// A directory that cannot be read stops the run (exit 2) rather than leave its files
/// unchecked, with a message short enough to read.
#[test]
fn a_directory_too_deep_for_the_system_is_a_usage_error() {
    let dir = plan(&[]);
    let chain = |base: &Path| {
        let mut deepest = base.to_path_buf();
        for _ in 0..300 {
            deepest.push("dddddddd");
        }
        fs::create_dir_all(&deepest).unwrap();
        deepest
    };
    // Two chains of 2,700 bytes, one moved to the end of the other: no path the system can
    // name reaches the bottom.
    let first = chain(dir.path());
    chain(&dir.path().join("second"));
    fs::rename(dir.path().join("second"), first.join("second")).unwrap();
    let run = run(dir.path(), &["check"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let message = run.stderr.trim();
    assert!(
        message.starts_with("ipam-lint: cannot read dddddddd/dddddddd/"),
        "{message}"
    );
    assert!(
        message.ends_with("File name too long (os error 36)"),
        "{message}"
    );
    assert!(message.len() < 250, "{message}");
}

#[test]
fn a_config_is_read_only_when_it_is_a_small_regular_file() {
    let dir = plan(&[]);
    let padding = "# a config is a few lines\n".repeat(2 * 1024 * 1024 / 26);
    fs::write(dir.path().join("ipam-lint.toml"), padding).unwrap();
    let large = run(dir.path(), &["check"]);
    assert_eq!(large.code, 2);
    assert!(
        large
            .stderr
            .trim()
            .ends_with("ipam-lint.toml: it is over the limit of 1 MiB for a config"),
        "{}",
        large.stderr
    );

    #[cfg(unix)]
    {
        let pipe = dir.path().join("settings.toml.pipe");
        make_fifo(&pipe);
        let piped = run(
            dir.path(),
            &["check", "--config", "settings.toml.pipe", "good.yaml"],
        );
        assert_eq!(piped.code, 2);
        assert_eq!(
            piped.stderr.trim(),
            "ipam-lint: cannot read config settings.toml.pipe: not a regular file"
        );
    }
}

/// The walker compiles a `.gitignore` into one matcher, hundreds of times the file's size in
/// memory: a huge one is refused before it is read, wherever it sits on the walk.
#[test]
fn an_oversized_gitignore_stops_the_walk_before_it_is_read() {
    let patterns: String = (0..30_000).map(|i| format!("dir{i}/**/*.yaml\n")).collect();
    assert!(patterns.len() > 256 * 1024);
    for place in [".gitignore", "team/.gitignore"] {
        let dir = plan(&[
            (place, patterns.as_bytes()),
            ("team/a.yaml", b"subnets: []\n"),
        ]);
        let refused = run(dir.path(), &["check"]);
        assert_eq!(refused.code, 2, "{place}: {}", refused.stderr);
        assert_eq!(
            refused.stderr.trim(),
            format!("ipam-lint: {place} is over the limit of 256 KiB for an ignore file")
        );
    }
    // A large but sane one is honoured.
    let sane: String = (0..5_000).map(|i| format!("dir{i}/**/*.yaml\n")).collect();
    let dir = plan(&[
        (".gitignore", format!("{sane}ignored.yaml\n").as_bytes()),
        ("ignored.yaml", b"["),
    ]);
    let (code, report) = check(dir.path());
    assert_eq!((code, report["summary"]["files"].as_u64()), (1, Some(1)));
}

/// An ignore file with a pattern the matcher cannot compile stops the run, naming the file
/// and the line: without it the walk would check the files it was meant to skip.
#[test]
fn an_ignore_file_that_cannot_be_used_is_a_usage_error() {
    let faults = [
        ("a{b\n", "line 1: error parsing glob 'a{b'"),
        (
            "ignored.yaml\n[z-a]\n",
            "line 2: error parsing glob '[z-a]'",
        ),
    ];
    for place in [".gitignore", "team/.gitignore"] {
        for (patterns, fault) in faults {
            let dir = plan(&[
                (place, patterns.as_bytes()),
                ("team/ignored.yaml", b"["),
                ("ignored.yaml", b"["),
            ]);
            let refused = run(dir.path(), &["check"]);
            assert_eq!(refused.code, 2, "{place}: {}", refused.stderr);
            assert_eq!(
                refused.stderr.trim(),
                format!(
                    "ipam-lint: cannot use an ignore file, so the files it would skip cannot \
                     be told: {place}, {fault}{}",
                    refused.stderr.trim().split(fault).nth(1).unwrap()
                )
            );
        }
    }
}

/// `--output` never writes over a file the run reads, whatever name or link leads to it.
#[cfg(unix)]
#[test]
fn the_report_is_never_written_over_a_file_the_run_reads() {
    let dir = plan(&[
        ("ipam-lint.toml", b"[rules]\n"),
        (".gitignore", b"skipped.yaml\n"),
        ("team/.gitignore", b"skipped.yaml\n"),
        (".settings/ipam.toml", b"[rules]\n"),
    ]);
    let path = |name: &str| dir.path().join(name);
    fs::hard_link(path("good.yaml"), path("hard-link.txt")).unwrap();
    std::os::unix::fs::symlink("good.yaml", path("soft-link.txt")).unwrap();
    fs::hard_link(path("ipam-lint.toml"), path("config-link.txt")).unwrap();
    fs::hard_link(path(".settings/ipam.toml"), path("settings-link.txt")).unwrap();
    fs::create_dir(path("team/sub")).unwrap();
    fs::write(path("team/sub/a.yaml"), "subnets: []\n").unwrap();
    let cases: [(&[&str], &str); 7] = [
        (&["-o", "hard-link.txt"], "the declaration file good.yaml"),
        (&["-o", "soft-link.txt"], "the declaration file good.yaml"),
        (
            &["-o", "./team/../good.yaml"],
            "the declaration file good.yaml",
        ),
        (&["-o", "config-link.txt"], "ipam-lint.toml"),
        (&["-o", ".gitignore"], ".gitignore"),
        (&["-o", "team/.gitignore"], "team/.gitignore"),
        (
            &["--config", ".settings/ipam.toml", "-o", "settings-link.txt"],
            ".settings/ipam.toml",
        ),
    ];
    let inputs = || -> Vec<Vec<u8>> {
        [
            "good.yaml",
            "ipam-lint.toml",
            ".gitignore",
            ".settings/ipam.toml",
        ]
        .iter()
        .map(|name| fs::read(path(name)).unwrap())
        .collect()
    };
    for (options, input) in cases {
        let before = inputs();
        let mut args = vec!["check", "--format", "json"];
        args.extend(options);
        let refused = run(dir.path(), &args);
        assert_eq!(refused.code, 2, "{options:?}: {}", refused.stderr);
        assert!(
            refused.stderr.contains(&format!(
                "would overwrite {input}, which this run reads; write the report elsewhere"
            )),
            "{options:?}: {}",
            refused.stderr
        );
        let after = inputs();
        assert_eq!(before, after, "{options:?} changed a file");
    }
    // Nor is the job summary appended to one.
    let before = inputs();
    let output = Command::new(env!("CARGO_BIN_EXE_ipam-lint"))
        .args(["check", "--format", "github"])
        .current_dir(dir.path())
        .env("GITHUB_STEP_SUMMARY", path("hard-link.txt"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("GITHUB_STEP_SUMMARY names the declaration file good.yaml"),
        "{output:?}"
    );
    assert_eq!(before, inputs());
    // Anywhere else, the report is written.
    let written = run(
        dir.path(),
        &["check", "--format", "json", "-o", "report.json"],
    );
    assert_eq!(written.code, 1, "{}", written.stderr);
    let report: Value = serde_json::from_slice(&fs::read(path("report.json")).unwrap()).unwrap();
    assert_eq!(report["summary"]["errors"], 1);
}

/// A report, a help text or a message that cannot be written (a full disk) is an error:
/// never a panic, never a success.
#[cfg(target_os = "linux")]
#[test]
fn output_that_cannot_be_written_fails_with_a_message() {
    let dir = plan(&[]);
    let full = || {
        fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap()
    };
    let commands: [&[&str]; 10] = [
        &["--help"],
        &["--version"],
        &["check", "--help"],
        &["rules"],
        &["schema"],
        &["explain", "syntax"],
        &["check"],
        &["check", "--format", "json"],
        &["check", "--format", "sarif"],
        &["check", "--format", "github"],
    ];
    for args in commands {
        let output = Command::new(env!("CARGO_BIN_EXE_ipam-lint"))
            .args(args)
            .current_dir(dir.path())
            .stdout(full())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.starts_with("ipam-lint: cannot write the ") && stderr.contains("No space left"),
            "{args:?}: {stderr}"
        );
    }
    // With standard error full too, the status still says so, and nothing panics.
    for args in [
        &["check", "no-such-dir"][..],
        &["no-such-command"],
        &["check"],
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_ipam-lint"))
            .args(args)
            .current_dir(dir.path())
            .stdout(full())
            .stderr(full())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
    }
    let summary = Command::new(env!("CARGO_BIN_EXE_ipam-lint"))
        .args(["check", "--format", "github"])
        .current_dir(dir.path())
        .env("GITHUB_STEP_SUMMARY", "/dev/full")
        .output()
        .unwrap();
    assert_eq!(summary.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&summary.stderr).contains("cannot write the job summary"));
}

/// An ignore file that cannot be read, or that is a named pipe, stops the run (the walker
/// would skip the first without a word and wait on the second forever).
#[cfg(unix)]
#[test]
fn an_ignore_file_that_cannot_be_read_is_a_usage_error() {
    for place in [".gitignore", "team/.gitignore"] {
        let dir = plan(&[("team/a.yaml", b"subnets: []\n")]);
        let pipe = dir.path().join(place);
        make_fifo(&pipe);
        let refused = run(dir.path(), &["check"]);
        assert_eq!(refused.code, 2, "{place}: {}", refused.stderr);
        assert_eq!(
            refused.stderr.trim(),
            format!("ipam-lint: {place} is not a regular file")
        );
    }
    let dir = plan(&[(".gitignore", b"ignored.yaml\n"), ("ignored.yaml", b"[")]);
    let locked = dir.path().join(".gitignore");
    let refused = run_unprivileged(dir.path(), &locked, &["check"]);
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(
        refused
            .stderr
            .starts_with("ipam-lint: .gitignore cannot be read: Permission denied"),
        "{}",
        refused.stderr
    );
}
