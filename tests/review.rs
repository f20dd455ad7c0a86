//! `check --base REV` on real git repositories built here: which findings are new, where the
//! blame lands, what the change lists, the exit status, and that nothing of the
//! repository is touched.

mod support;

use std::fs;
use std::path::Path;
use std::process::Command;

use serde_json::Value;
use support::run;

/// A git repository in a fresh directory, with the files of the base committed.
struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    fn with(files: &[(&str, &str)]) -> Repo {
        let repo = Repo {
            dir: tempfile::tempdir().unwrap(),
        };
        repo.git(&["init", "-q", "-b", "main"]);
        repo.write(files);
        repo.commit("base");
        repo
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn write(&self, files: &[(&str, &str)]) {
        for (name, text) in files {
            let path = self.path().join(name);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
    }

    fn remove(&self, name: &str) {
        fs::remove_file(self.path().join(name)).unwrap();
    }

    fn commit(&self, message: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "-m", message]);
    }

    fn git(&self, args: &[&str]) -> String {
        let output = Command::new("git")
            .args(args)
            .current_dir(self.path())
            // The tests' own `git status` must not refresh the index either.
            .env("GIT_OPTIONAL_LOCKS", "0")
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .output()
            .unwrap();
        assert!(output.status.success(), "git {args:?}: {output:?}");
        String::from_utf8(output.stdout).unwrap()
    }

    /// `check --base REV --format json`: the exit status and the report.
    fn review(&self, rev: &str) -> (i32, Value) {
        let run = run(self.path(), &["check", "--base", rev, "--format", "json"]);
        let report = serde_json::from_str(&run.stdout)
            .unwrap_or_else(|_| panic!("not a JSON report: {}{}", run.stdout, run.stderr));
        (run.code, report)
    }
}

/// (rule, new, primary file, related files) of every diagnostic.
fn findings(report: &Value) -> Vec<(String, bool, String, Vec<String>)> {
    (report["diagnostics"].as_array().unwrap().iter())
        .map(|d| {
            let related = (d["related"].as_array().unwrap().iter())
                .map(|r| r["file"].as_str().unwrap().to_owned())
                .collect();
            (
                d["rule"].as_str().unwrap().to_owned(),
                d["new"].as_bool().unwrap_or(false),
                d["file"].as_str().unwrap().to_owned(),
                related,
            )
        })
        .collect()
}

/// (change, kind, value, file, line) of every change.
fn changes(report: &Value) -> Vec<(String, String, String, String, u64)> {
    (report["changes"].as_array().unwrap().iter())
        .map(|c| {
            let text = |key: &str| c[key].as_str().unwrap().to_owned();
            let line = c["line"].as_u64().unwrap();
            (
                text("change"),
                text("kind"),
                text("value"),
                text("file"),
                line,
            )
        })
        .collect()
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

const BLOCKS: &str = "\
blocks:
  - { cidr: 10.0.0.0/16, name: dc1 }
  - { cidr: 2001:db8::/32, name: dc1-v6 }
";

/// A plan with a legacy fault (a duplicate address) in `ams/vmm-ams.yaml`.
const AMS: &str = "\
source: vmm-ams
subnets:
  - { cidr: 10.0.1.0/24 }
  - { cidr: 2001:db8:1::/64 }
addresses:
  - { ip: 10.0.1.10 }
  - { ip: 10.0.1.10 }
  - { ip: 2001:db8:1::10 }
";

#[test]
fn a_legacy_fault_left_alone_is_existing_and_does_not_fail() {
    let repo = Repo::with(&[("blocks.yaml", BLOCKS), ("ams/vmm-ams.yaml", AMS)]);
    repo.write(&[("ams/other.yaml", "subnets:\n  - { cidr: 10.0.2.0/24 }\n")]);
    let (code, report) = repo.review("HEAD");
    assert_eq!(code, 0, "{report}");
    assert_eq!(
        findings(&report),
        [(
            "duplicate-address".to_owned(),
            false,
            "ams/vmm-ams.yaml".to_owned(),
            strings(&["ams/vmm-ams.yaml"])
        )]
    );
    assert_eq!(report["summary"]["errors"], 1);
    assert_eq!(report["summary"]["new_errors"], 0);
    assert_eq!(
        changes(&report),
        [(
            "added".into(),
            "subnet".into(),
            "10.0.2.0/24".into(),
            "ams/other.yaml".into(),
            2
        )]
    );
    // The new subnet fills 256 more addresses of dc1.
    let blocks = report["blocks"].as_array().unwrap();
    assert_eq!(blocks.len(), 1, "{blocks:?}");
    assert_eq!(blocks[0]["cidr"], "10.0.0.0/16");
    assert_eq!(blocks[0]["used_before"], 256);
    assert_eq!(blocks[0]["used_after"], 512);
}

#[test]
fn a_legacy_fault_moved_by_an_edit_stays_existing() {
    let repo = Repo::with(&[("blocks.yaml", BLOCKS), ("ams/vmm-ams.yaml", AMS)]);
    let edited = format!("# dc ams, row 1\n# maintained by the VMM\n{AMS}");
    repo.write(&[("ams/vmm-ams.yaml", &edited)]);
    let (code, report) = repo.review("HEAD");
    assert_eq!(code, 0, "{report}");
    assert_eq!(findings(&report).len(), 1);
    assert!(!findings(&report)[0].1);
    assert_eq!(
        report["diagnostics"][0]["line"], 9,
        "reported where it is now"
    );
    assert_eq!(changes(&report), []);
}

#[test]
fn a_new_conflict_is_blamed_on_the_new_file_though_it_sorts_first() {
    let repo = Repo::with(&[("blocks.yaml", BLOCKS), ("ams/vmm-ams.yaml", AMS)]);
    // `ams/vmm-ams-b.yaml` sorts before `ams/vmm-ams.yaml`: without a base, it would be
    // the related side of the duplicate.
    let new_file = "source: vmm-ams-b\naddresses:\n  - { ip: 2001:db8:1::10 }\n";
    repo.write(&[("ams/vmm-ams-b.yaml", new_file)]);
    let plain = support::check(repo.path()).1;
    let duplicate_v6 = |report: &Value| {
        findings(report)
            .into_iter()
            .find(|f| f.0 == "duplicate-address" && f.3.iter().any(|r| r != &f.2))
            .unwrap()
    };
    let (_, _, primary, _) = duplicate_v6(&plain);
    assert_eq!(
        primary, "ams/vmm-ams.yaml",
        "canonical order blames the later file"
    );

    let (code, report) = repo.review("HEAD");
    assert_eq!(code, 1, "{report}");
    let (_, new, primary, related) = duplicate_v6(&report);
    assert!(new);
    assert_eq!(primary, "ams/vmm-ams-b.yaml");
    assert_eq!(related, ["ams/vmm-ams.yaml"]);
    assert_eq!(report["summary"]["new_errors"], 1);
}

#[test]
fn a_fixed_fault_is_gone_and_its_removal_listed() {
    let repo = Repo::with(&[("blocks.yaml", BLOCKS), ("ams/vmm-ams.yaml", AMS)]);
    repo.write(&[(
        "ams/vmm-ams.yaml",
        &AMS.replacen("  - { ip: 10.0.1.10 }\n", "", 1),
    )]);
    let (code, report) = repo.review("HEAD");
    assert_eq!(code, 0, "{report}");
    assert_eq!(findings(&report), []);
    assert_eq!(
        changes(&report),
        [(
            "removed".into(),
            "address".into(),
            "10.0.1.10".into(),
            "ams/vmm-ams.yaml".into(),
            // At the base, the second of the two was on line 7.
            7
        )]
    );
}

#[test]
fn a_changed_cidr_is_a_removal_and_an_addition_in_toml_too() {
    let base = "[[subnets]]\ncidr = \"10.0.5.0/24\"\nname = \"web\"\n";
    let repo = Repo::with(&[("blocks.yaml", BLOCKS), ("dc1/web.toml", base)]);
    repo.write(&[("dc1/web.toml", &base.replace("10.0.5.0/24", "10.0.5.0/25"))]);
    let (code, report) = repo.review("HEAD");
    assert_eq!(code, 0, "{report}");
    assert_eq!(
        changes(&report),
        [
            (
                "removed".into(),
                "subnet".into(),
                "10.0.5.0/24".into(),
                "dc1/web.toml".into(),
                2
            ),
            (
                "added".into(),
                "subnet".into(),
                "10.0.5.0/25".into(),
                "dc1/web.toml".into(),
                2
            ),
        ]
    );
    assert_eq!(report["blocks"][0]["used_before"], 256);
    assert_eq!(report["blocks"][0]["used_after"], 128);
    // Another attribute, the same declaration: changed.
    repo.write(&[("dc1/web.toml", &base.replace("web", "web-front"))]);
    let (_, report) = repo.review("HEAD");
    assert_eq!(changes(&report)[0].0, "changed");
    assert_eq!(report["blocks"], serde_json::json!([]));
}

#[test]
fn a_renamed_file_brings_its_declarations_and_faults_anew() {
    let repo = Repo::with(&[("blocks.yaml", BLOCKS), ("ams/vmm-ams.yaml", AMS)]);
    repo.git(&["mv", "ams/vmm-ams.yaml", "ams/vmm-ams-1.yaml"]);
    let (code, report) = repo.review("HEAD");
    // The fault is now in another file: SPEC §11 matches on the primary file.
    assert_eq!(code, 1, "{report}");
    assert!(
        findings(&report)
            .iter()
            .all(|f| f.1 && f.2 == "ams/vmm-ams-1.yaml")
    );
    let kinds: Vec<(String, String)> = changes(&report).into_iter().map(|c| (c.0, c.3)).collect();
    assert!(kinds.contains(&("removed".into(), "ams/vmm-ams.yaml".into())));
    assert!(kinds.contains(&("added".into(), "ams/vmm-ams-1.yaml".into())));
}

#[test]
fn a_deleted_file_lists_its_declarations_as_removed() {
    let repo = Repo::with(&[("blocks.yaml", BLOCKS), ("ams/vmm-ams.yaml", AMS)]);
    repo.remove("ams/vmm-ams.yaml");
    let (code, report) = repo.review("HEAD");
    assert_eq!(code, 0, "{report}");
    assert_eq!(findings(&report), []);
    let removed = changes(&report);
    assert_eq!(removed.len(), 5, "{removed:?}");
    assert!(
        removed
            .iter()
            .all(|c| c.0 == "removed" && c.3 == "ams/vmm-ams.yaml")
    );
    assert_eq!(report["blocks"][0]["used_after"], 0);
}

#[test]
fn the_human_report_shows_the_new_and_counts_the_existing() {
    let repo = Repo::with(&[("blocks.yaml", BLOCKS), ("ams/vmm-ams.yaml", AMS)]);
    let new_file = "source: vmm-ams-b\naddresses:\n  - { ip: 2001:db8:1::10 }\n";
    repo.write(&[("ams/vmm-ams-b.yaml", new_file)]);
    let out = run(
        repo.path(),
        &["check", "--base", "HEAD", "--color", "never"],
    );
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stdout.matches("duplicate-address").count(),
        1,
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("change: +1 address"), "{}", out.stdout);
    assert!(
        out.stdout
            .contains("1 error, 0 warnings new; 1 finding there before"),
        "{}",
        out.stdout
    );
    let all = run(
        repo.path(),
        &[
            "check",
            "--base",
            "HEAD",
            "--color",
            "never",
            "--show-existing",
        ],
    );
    assert_eq!(all.stdout.matches("duplicate-address").count(), 2);
    assert!(all.stdout.contains("existing: "));
}

#[test]
fn the_repository_is_left_as_it_was() {
    let repo = Repo::with(&[("blocks.yaml", BLOCKS), ("ams/vmm-ams.yaml", AMS)]);
    repo.write(&[("ams/other.yaml", "subnets:\n  - { cidr: 10.0.2.0/24 }\n")]);
    repo.git(&["add", "ams/other.yaml"]);
    // A tracked file edited after it was staged: its stat no longer matches the index, which
    // a git command that refreshes the index would write.
    std::thread::sleep(std::time::Duration::from_millis(20));
    repo.write(&[("blocks.yaml", &format!("{BLOCKS}# edited\n"))]);
    let index = fs::read(repo.path().join(".git/index")).unwrap();
    let status = repo.git(&["status", "--porcelain"]);
    let refs = repo.git(&["show-ref"]);
    repo.review("HEAD");
    assert_eq!(fs::read(repo.path().join(".git/index")).unwrap(), index);
    assert_eq!(repo.git(&["status", "--porcelain"]), status);
    assert_eq!(repo.git(&["show-ref"]), refs);
}

#[test]
fn a_revision_git_cannot_resolve_is_a_usage_error() {
    let repo = Repo::with(&[("blocks.yaml", BLOCKS)]);
    // A revision that looks like an option reaches git as a revision, never as an option.
    for rev in ["no-such-branch", "--output=/tmp/x", "HEAD~5"] {
        let out = run(repo.path(), &["check", &format!("--base={rev}")]);
        assert_eq!(out.code, 2, "{rev}: {}", out.stderr);
        assert!(out.stderr.contains("cannot resolve"), "{}", out.stderr);
    }
}

#[test]
fn a_root_outside_a_work_tree_is_a_usage_error() {
    let dir = support::plan(&[]);
    let out = run(dir.path(), &["check", "--base", "HEAD"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("not inside a git work tree"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_base_whose_file_does_not_parse_makes_its_faults_existing_only_if_the_same() {
    let repo = Repo::with(&[("blocks.yaml", BLOCKS), ("broken.yaml", "subnets: [\n")]);
    // Still broken, the same way: existing.
    let (code, report) = repo.review("HEAD");
    assert_eq!(code, 0, "{report}");
    assert_eq!(findings(&report)[0].0, "syntax");
    assert!(!findings(&report)[0].1);
    // Fixed, with a fault of its own: new.
    repo.write(&[(
        "broken.yaml",
        "subnets:\n  - { cidr: 10.0.9.0/24 }\n  - { cidr: 10.0.9.0/24 }\n",
    )]);
    let (code, report) = repo.review("HEAD");
    assert_eq!(code, 1, "{report}");
    assert_eq!(findings(&report)[0].0, "duplicate-subnet");
    assert!(findings(&report)[0].1);
}

#[test]
fn a_file_git_is_told_to_assume_unchanged_is_still_read_at_the_base() {
    let repo = Repo::with(&[("blocks.yaml", BLOCKS), ("ams/vmm-ams.yaml", AMS)]);
    repo.git(&["update-index", "--assume-unchanged", "ams/vmm-ams.yaml"]);
    repo.write(&[(
        "ams/vmm-ams.yaml",
        &format!("{AMS}  - {{ ip: 2001:db8:1::10 }}\n"),
    )]);
    assert_eq!(repo.git(&["diff", "--name-only", "HEAD"]), "");
    let (code, report) = repo.review("HEAD");
    assert_eq!(code, 1, "{report}");
    let new: Vec<bool> = findings(&report).iter().map(|f| f.1).collect();
    assert_eq!(new, [false, true], "{report}");
    assert_eq!(
        changes(&report),
        [(
            "added".into(),
            "address".into(),
            "2001:db8:1::10".into(),
            "ams/vmm-ams.yaml".into(),
            9
        )]
    );
}

#[test]
fn a_plan_in_a_folder_of_the_repository_is_compared_with_that_folder() {
    let repo = Repo::with(&[
        ("README.md", "notes\n"),
        ("plans/ipam-lint.toml", ""),
        ("plans/blocks.yaml", BLOCKS),
        ("plans/ams/vmm-ams.yaml", AMS),
        // Outside the plan: never read, at either side.
        ("other/broken.yaml", "subnets: [\n"),
    ]);
    repo.write(&[(
        "plans/ams/new.yaml",
        "subnets:\n  - { cidr: 10.0.1.0/24 }\n",
    )]);
    let run = run(
        &repo.path().join("plans"),
        &["check", "--base", "HEAD", "--format", "json"],
    );
    let report: Value = serde_json::from_str(&run.stdout).expect(&run.stderr);
    assert_eq!(run.code, 1, "{report}");
    let found: Vec<(String, bool, String)> = (findings(&report).into_iter())
        .map(|(rule, new, file, _)| (rule, new, file))
        .collect();
    assert_eq!(
        found,
        [
            ("duplicate-subnet".into(), true, "ams/new.yaml".into()),
            ("duplicate-address".into(), false, "ams/vmm-ams.yaml".into()),
        ]
    );
    assert_eq!(changes(&report).len(), 1, "{report}");
}

/// `check --format json` of the repository as it stands, written to `name` outside it.
fn report_file(repo: &Repo, dir: &Path, name: &str) -> std::path::PathBuf {
    let out = support::check(repo.path()).1;
    let path = dir.join(name);
    fs::write(&path, out.to_string()).unwrap();
    path
}

#[test]
fn a_baseline_report_makes_its_findings_existing() {
    let repo = Repo::with(&[("blocks.yaml", BLOCKS), ("ams/vmm-ams.yaml", AMS)]);
    let saved = tempfile::tempdir().unwrap();
    let baseline = report_file(&repo, saved.path(), "baseline.json");
    // A second duplicate: the same rule, file and message as the first, so the multiset
    // decides that one of the two is new.
    repo.write(&[(
        "ams/vmm-ams.yaml",
        &format!("{AMS}  - {{ ip: 10.0.1.10 }}\n"),
    )]);
    let baseline_arg = baseline.to_str().unwrap();
    let out = run(
        repo.path(),
        &["check", "--baseline", baseline_arg, "--format", "json"],
    );
    let report: Value = serde_json::from_str(&out.stdout).expect(&out.stderr);
    assert_eq!(out.code, 1, "{report}");
    let new: Vec<bool> = findings(&report).iter().map(|f| f.1).collect();
    assert_eq!(new, [false, true]);
    assert_eq!(report["summary"]["new_errors"], 1);
    assert!(report.get("changes").is_none(), "no base, no changes");
    assert!(report.get("blocks").is_none(), "no base, no blocks");

    // Against a report of the plan as it is now, nothing is new.
    let now = report_file(&repo, saved.path(), "now.json");
    let out = run(repo.path(), &["check", "--baseline", now.to_str().unwrap()]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout
            .contains("0 errors, 0 warnings new; 2 findings there before"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_baseline_that_is_not_a_report_is_a_usage_error() {
    let repo = Repo::with(&[("blocks.yaml", BLOCKS), ("ams/vmm-ams.yaml", AMS)]);
    let saved = tempfile::tempdir().unwrap();
    let cases = [
        ("plan.yaml", BLOCKS, "it is not JSON"),
        ("other.json", "{\"diagnostics\": []}", "no \"version\": 1"),
        (
            "sarif.json",
            "{\"version\": \"2.1.0\", \"runs\": []}",
            "no \"version\": 1",
        ),
        (
            "cut.json",
            "{\"version\": 1, \"diagnostics\": [{\"rule\": \"syntax\"}]}",
            "diagnostic 1 has no rule, file or message",
        ),
    ];
    for (name, text, why) in cases {
        let path = saved.path().join(name);
        fs::write(&path, text).unwrap();
        let out = run(
            repo.path(),
            &["check", "--baseline", path.to_str().unwrap()],
        );
        assert_eq!(out.code, 2, "{name}: {}", out.stderr);
        assert!(out.stderr.contains(why), "{name}: {}", out.stderr);
        assert!(out.stdout.is_empty(), "{name}: {}", out.stdout);
    }
    let missing = saved.path().join("missing.json");
    let out = run(
        repo.path(),
        &["check", "--baseline", missing.to_str().unwrap()],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("missing.json"), "{}", out.stderr);
}

/// A change with one new fault (a repeated subnet, in a new file) beside a legacy one.
fn reviewed_change() -> Repo {
    let repo = Repo::with(&[("blocks.yaml", BLOCKS), ("ams/vmm-ams.yaml", AMS)]);
    repo.write(&[(
        "ams/new.yaml",
        "subnets:\n  - { cidr: 10.0.1.0/24 }\n  - { cidr: 10.0.3.0/24, name: \"<b>web|*x*</b>\" }\n",
    )]);
    repo
}

#[test]
fn github_annotates_only_the_new_and_summarizes_the_change() {
    let repo = reviewed_change();
    let out_dir = tempfile::tempdir().unwrap();
    let summary = out_dir.path().join("summary.md");
    let out = support::run_with_env(
        repo.path(),
        &["check", "--base", "HEAD", "--format", "github"],
        &[("GITHUB_STEP_SUMMARY", summary.as_os_str())],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    let annotations: Vec<&str> = out.stdout.lines().filter(|l| l.starts_with("::")).collect();
    assert_eq!(annotations.len(), 1, "{}", out.stdout);
    assert!(
        annotations[0].starts_with("::error file=ams/new.yaml,line=2,"),
        "{}",
        annotations[0]
    );
    assert!(annotations[0].contains("title=ipam-lint%3A duplicate-subnet"));

    let summary = fs::read_to_string(&summary).unwrap();
    assert!(summary.contains("Change: \\+2 subnets"), "{summary}");
    assert!(
        summary.contains("- block dc1\\: 256 \\-\\> 512 of 65536 used"),
        "{summary}"
    );
    assert!(
        summary.contains("1 error\\, 0 warnings new\\; 1 finding there before"),
        "{summary}"
    );
    let rows: Vec<&str> = (summary.lines())
        .filter(|l| l.starts_with("| error") || l.starts_with("| warning"))
        .collect();
    assert_eq!(rows.len(), 1, "{summary}");
    assert!(rows[0].contains("`ams/new.yaml:2:"), "{}", rows[0]);
}

#[test]
fn sarif_marks_every_result_new_or_unchanged() {
    let repo = reviewed_change();
    let out = run(
        repo.path(),
        &["check", "--base", "HEAD", "--format", "sarif"],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    let sarif: Value = serde_json::from_str(&out.stdout).unwrap();
    let states: Vec<(String, String)> = (sarif["runs"][0]["results"].as_array().unwrap().iter())
        .map(|r| {
            let uri = &r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
            (
                uri.as_str().unwrap().to_owned(),
                r["baselineState"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        states,
        [
            ("ams/new.yaml".to_owned(), "new".to_owned()),
            ("ams/vmm-ams.yaml".to_owned(), "unchanged".to_owned()),
        ]
    );
    let schema_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json");
    let schema: Value = serde_json::from_str(&fs::read_to_string(schema_path).unwrap()).unwrap();
    let validator = jsonschema::draft4::options().build(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");

    // Without a review, no result has a baseline state.
    let plain = run(repo.path(), &["check", "--format", "sarif"]);
    assert!(!plain.stdout.contains("baselineState"), "{}", plain.stdout);
}

#[test]
fn check_help_shows_how_to_review_and_the_saved_report_example_works() {
    let repo = Repo::with(&[("blocks.yaml", BLOCKS), ("ams/vmm-ams.yaml", AMS)]);
    let help = run(repo.path(), &["check", "--help"]).stdout;
    for example in [
        "ipam-lint check --base origin/main",
        "ipam-lint check --format json -o before.json",
        "ipam-lint check --baseline before.json",
        "only new findings count",
    ] {
        assert!(help.contains(example), "{example}: {help}");
    }
    // The two lines of the example, as written, from a directory outside the plan.
    let saved = tempfile::tempdir().unwrap();
    let plan = repo.path().to_str().unwrap();
    let before = run(
        saved.path(),
        &["check", plan, "--format", "json", "-o", "before.json"],
    );
    assert_eq!(before.code, 1, "{}", before.stderr);
    let after = run(saved.path(), &["check", plan, "--baseline", "before.json"]);
    assert_eq!(after.code, 0, "{}{}", after.stdout, after.stderr);
}

#[test]
fn a_new_v6_subnet_in_toml_that_sorts_first_is_blamed_and_fills_its_block() {
    let old = "source = \"vmm-b\"\n\n[[subnets]]\ncidr = \"2001:db8:5::/64\"\nname = \"old-v6\"\n";
    let repo = Repo::with(&[("blocks.yaml", BLOCKS), ("tenants/b.toml", old)]);
    let new = "source = \"vmm-a\"\n\n[[subnets]]\ncidr = \"2001:db8:5::/63\"\nname = \"new-v6\"\n";
    repo.write(&[("tenants/a.toml", new)]);
    let run = run(
        repo.path(),
        &["check", "--base", "HEAD", "--format", "json"],
    );
    assert_eq!(run.code, 1, "{}", run.stdout);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        findings(&report),
        [(
            "overlapping-subnets".to_owned(),
            true,
            "tenants/a.toml".to_owned(),
            strings(&["tenants/b.toml"])
        )]
    );
    assert_eq!(
        changes(&report),
        [(
            "added".into(),
            "subnet".into(),
            "2001:db8:5::/63".into(),
            "tenants/a.toml".into(),
            4
        )]
    );
    // 2^64 addresses before, 2^65 after: exact integers, past what a u64 holds.
    let blocks = report["blocks"].as_array().unwrap();
    assert_eq!(blocks.len(), 1, "{blocks:?}");
    assert_eq!(blocks[0]["cidr"], "2001:db8::/32");
    assert!(
        run.stdout.contains("\"used_before\": 18446744073709551616"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("\"used_after\": 36893488147419103232"),
        "{}",
        run.stdout
    );
}

/// The text between the line `start` and the next line `end` of the README.
fn readme_block(start: &str, end: &str) -> String {
    let readme =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let after = readme
        .split_once(&format!("\n{start}\n"))
        .unwrap_or_else(|| panic!("the README has no line {start:?}"))
        .1;
    after
        .split_once(&format!("\n{end}\n"))
        .unwrap()
        .0
        .to_owned()
        + "\n"
}

#[test]
fn the_readme_review_example_is_what_the_tool_prints() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/contoso");
    let repo = Repo {
        dir: tempfile::tempdir().unwrap(),
    };
    let copied = Command::new("cp")
        .arg("-r")
        .arg(example.join("."))
        .arg(repo.path())
        .status()
        .unwrap();
    assert!(copied.success());
    repo.git(&["init", "-q", "-b", "main"]);
    repo.commit("the plan");
    let file = readme_block("cat > dc1/vmm-dc1c.yaml <<'EOF'", "EOF");
    repo.write(&[("dc1/vmm-dc1c.yaml", &file)]);
    let shown = readme_block("$ ipam-lint check --base main", "```");
    let out = support::run_with_env(
        repo.path(),
        &["check", "--base", "main", "--color", "never"],
        &[("COLUMNS", std::ffi::OsStr::new("80"))],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(out.stdout, shown);
}

#[test]
fn a_baseline_names_files_as_the_run_that_compares_with_it() {
    // The plan in a folder of the repository, named from the repository's top, as the
    // Action names files (`--relative-to` the workspace).
    let repo = Repo::with(&[
        ("plans/ipam-lint.toml", ""),
        ("plans/blocks.yaml", BLOCKS),
        ("plans/ams/vmm-ams.yaml", AMS),
    ]);
    let saved = tempfile::tempdir().unwrap();
    let baseline = saved.path().join("baseline.json");
    let top = repo.path().to_str().unwrap();
    let baseline_arg = baseline.to_str().unwrap();
    let save = [
        "check",
        "plans",
        "--relative-to",
        top,
        "--format",
        "json",
        "-o",
        baseline_arg,
    ];
    assert_eq!(run(repo.path(), &save).code, 1);
    assert!(
        fs::read_to_string(&baseline)
            .unwrap()
            .contains("\"plans/ams/vmm-ams.yaml\"")
    );
    let compare = [
        "check",
        "plans",
        "--relative-to",
        top,
        "--baseline",
        baseline_arg,
    ];
    let out = run(repo.path(), &compare);
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(
        out.stdout.contains("1 finding there before"),
        "{}",
        out.stdout
    );
}

#[test]
fn without_git_on_path_a_review_says_it_needs_git() {
    let repo = Repo::with(&[("blocks.yaml", BLOCKS)]);
    let empty = tempfile::tempdir().unwrap();
    let out = support::run_with_env(
        repo.path(),
        &["check", "--base", "HEAD"],
        &[("PATH", empty.path().as_os_str())],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("--base needs git on PATH"),
        "{}",
        out.stderr
    );
}

#[test]
fn ignoring_a_rule_in_a_review_keeps_the_split_of_the_others() {
    let repo = reviewed_change();
    let run = run(
        repo.path(),
        &[
            "check",
            "--base",
            "HEAD",
            "--ignore",
            "duplicate-subnet",
            "--format",
            "json",
        ],
    );
    let report: Value = serde_json::from_str(&run.stdout).expect(&run.stderr);
    assert_eq!(run.code, 0, "{report}");
    assert_eq!(
        findings(&report),
        [(
            "duplicate-address".to_owned(),
            false,
            "ams/vmm-ams.yaml".to_owned(),
            strings(&["ams/vmm-ams.yaml"])
        )]
    );
    assert_eq!(report["summary"]["new_errors"], 0);
    assert_eq!(report["summary"]["errors"], 1);
}

/// A review skips other tools' files as a check does, an edited one (read from git at the
/// base) and an untouched one (copied) alike: no finding, no change.
#[test]
fn a_review_skips_other_tools_files() {
    let playbook = "- hosts: all\n  roles: [hyperv]\n";
    let repo = Repo::with(&[
        ("blocks.yaml", BLOCKS),
        ("ansible/site.yml", playbook),
        ("mkdocs.yml", "site_name: Runbook\n"),
    ]);
    repo.write(&[(
        "mkdocs.yml",
        "site_name: Network runbook\nnav: [index.md]\n",
    )]);
    let (code, report) = repo.review("HEAD");
    assert_eq!(code, 0, "{report}");
    assert_eq!(findings(&report), []);
    assert_eq!(report["changes"], serde_json::json!([]));
    assert_eq!(
        report["not_plan_files"],
        serde_json::json!(["ansible/site.yml", "mkdocs.yml"])
    );
}
