//! The integrations run as users run them: the GitHub Action's steps executed the way a
//! runner executes them, the pre-commit hook installed by pre-commit itself, and the wheel
//! built by maturin and installed by pip. The first two build the tool with `cargo install`
//! and the wheel with maturin; pre-commit and maturin are installed from PyPI into
//! virtualenvs under `target/`.
//!
//! What these tests check is how each one installs and runs the tool, not how fast the
//! optimized tool is (the other suites and `scripts/bench.sh` do that). So every build here
//! is the release profile made as cheap as an unoptimized one ([`cheap_release_build`]),
//! in one target directory: the three share one build of the dependencies, and a fresh
//! clone's test run builds it in about a minute instead of building the optimized tool
//! three times.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Mutex;

use serde_json::Value;

const PRE_COMMIT_VERSION: &str = "4.7.0";
const MATURIN_VERSION: &str = "1.16.0";

/// Release builds of the tool are shared between tests; cargo locks the directory.
fn install_target_dir() -> PathBuf {
    repo().join("target/install")
}

/// The environment of every build these tests start, by cargo or through pre-commit or
/// maturin: one shared target directory, and a release profile without optimization or
/// debug information. Cargo reads a profile's settings from `CARGO_PROFILE_<NAME>_*`.
fn cheap_release_build(command: &mut Command) -> &mut Command {
    command
        .env("CARGO_TARGET_DIR", install_target_dir())
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
        .env("CARGO_PROFILE_RELEASE_DEBUG", "false")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16")
        .env("CARGO_PROFILE_RELEASE_INCREMENTAL", "false")
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            fs::copy(&path, &target).unwrap();
        }
    }
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

// ---- the GitHub Action ----

/// The action's inputs with their defaults, and its steps.
fn action() -> Value {
    let text = fs::read_to_string(repo().join("action.yml")).unwrap();
    serde_saphyr::from_str(&text).unwrap()
}

/// Evaluates the `${{ inputs.NAME }}` and `${{ github.PATH }}` expressions the action's `env`
/// maps use; a path the event does not have is empty, as on a runner.
fn expand(template: &str, inputs: &HashMap<String, String>, github: &[(&str, &str)]) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find("${{") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find("}}").expect("closed expression") + start;
        let expression = rest[start + 3..end].trim();
        if let Some(name) = expression.strip_prefix("inputs.") {
            out.push_str(&inputs[name]);
        } else if let Some(path) = expression.strip_prefix("github.") {
            let value = github.iter().find(|(p, _)| *p == path).map(|(_, v)| *v);
            out.push_str(value.unwrap_or(""));
        } else {
            panic!("unsupported expression {expression}");
        }
        rest = &rest[end + 2..];
    }
    out.push_str(rest);
    out
}

struct ActionRun {
    /// Name, status and output of each step that ran, until the first that failed.
    steps: Vec<(String, Output)>,
    summary: String,
    runner_temp: tempfile::TempDir,
}

impl ActionRun {
    /// The step named `name`, which must have run.
    fn step(&self, name: &str) -> &Output {
        let ran = self.steps.iter().find(|(n, _)| n == name);
        let names: Vec<&String> = self.steps.iter().map(|(n, _)| n).collect();
        &ran.unwrap_or_else(|| panic!("the step {name:?} did not run; these did: {names:?}"))
            .1
    }

    fn ran(&self, name: &str) -> bool {
        self.steps.iter().any(|(n, _)| n == name)
    }

    /// The step that checks the plan.
    fn check(&self) -> &Output {
        self.step("Check the address plan")
    }
}

/// A step's `if:`, in the forms the action uses: `steps.ID.outputs.NAME != 'VALUE'` (or
/// `==`), joined by `&&`.
fn condition_holds(condition: &str, outputs: &HashMap<String, HashMap<String, String>>) -> bool {
    condition.split("&&").all(|part| {
        let (left, negated, right) = match part.split_once("!=") {
            Some((l, r)) => (l, true, r),
            None => {
                let (l, r) = part.split_once("==").expect("a comparison");
                (l, false, r)
            }
        };
        let path: Vec<&str> = left.trim().split('.').collect();
        let ["steps", id, "outputs", name] = path.as_slice() else {
            panic!("unsupported condition {condition}");
        };
        let value = (outputs.get(*id).and_then(|o| o.get(*name))).map_or("", String::as_str);
        let wanted = right.trim().trim_matches('\'');
        (value == wanted) != negated
    })
}

/// Runs the action's steps as a runner does: each `run` in `bash --noprofile --norc -eo
/// pipefail`, in the workspace, with GITHUB_ACTION_PATH, RUNNER_TEMP, RUNNER_OS, RUNNER_ARCH,
/// GITHUB_STEP_SUMMARY, GITHUB_OUTPUT and the step's `env` (inputs substituted), each `if:`
/// decided by the outputs of the steps before; a step that `uses:` another action (the
/// build cache) is left out, as on a runner whose cache is empty. On a push, and with
/// `download-url` at a port where nothing listens unless the test names one, so that the
/// tool is built from this source.
fn run_action(workspace: &Path, given: &[(&str, &str)]) -> ActionRun {
    run_action_on(workspace, given, &[("event_name", "push")])
}

/// As [`run_action`], on the event that `github` describes (the context's paths that the
/// action reads, such as `event.pull_request.base.sha`).
fn run_action_on(workspace: &Path, given: &[(&str, &str)], github: &[(&str, &str)]) -> ActionRun {
    let action = action();
    let mut inputs: HashMap<String, String> = action["inputs"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(name, spec)| {
            (
                name.clone(),
                spec["default"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    inputs.insert("download-url".into(), "http://127.0.0.1:9".into());
    for (name, value) in given {
        assert!(inputs.contains_key(*name), "the action has no input {name}");
        inputs.insert((*name).to_owned(), (*value).to_owned());
    }
    let runner = tempfile::tempdir().unwrap();
    let summary = runner.path().join("step_summary.md");
    fs::write(&summary, "").unwrap();
    let mut steps = Vec::new();
    let mut outputs: HashMap<String, HashMap<String, String>> = HashMap::new();
    for step in action["runs"]["steps"].as_array().unwrap() {
        let name = step["name"].as_str().unwrap().to_owned();
        if let Some(condition) = step["if"].as_str()
            && !condition_holds(condition, &outputs)
        {
            continue;
        }
        if step.get("uses").is_some() {
            continue;
        }
        assert_eq!(step["shell"], "bash");
        let script = runner.path().join("step.sh");
        fs::write(&script, step["run"].as_str().unwrap()).unwrap();
        let output_file = runner.path().join("output.txt");
        fs::write(&output_file, "").unwrap();
        let mut command = Command::new("bash");
        command
            .args(["--noprofile", "--norc", "-eo", "pipefail"])
            .arg(&script)
            .current_dir(workspace)
            .env("GITHUB_ACTION_PATH", repo())
            .env("GITHUB_WORKSPACE", workspace)
            .env("GITHUB_STEP_SUMMARY", &summary)
            .env("GITHUB_OUTPUT", &output_file)
            .env("RUNNER_TEMP", runner.path())
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", "X64")
            .env_remove("NO_COLOR");
        cheap_release_build(&mut command);
        if let Some(env) = step["env"].as_object() {
            for (name, value) in env {
                command.env(name, expand(value.as_str().unwrap(), &inputs, github));
            }
        }
        let output = command.output().unwrap();
        if let Some(id) = step["id"].as_str() {
            let written = fs::read_to_string(&output_file).unwrap();
            let values = (written.lines())
                .filter_map(|line| line.split_once('='))
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect();
            outputs.insert(id.to_owned(), values);
        }
        let failed = !output.status.success();
        steps.push((name, output));
        if failed {
            break;
        }
    }
    ActionRun {
        steps,
        summary: fs::read_to_string(&summary).unwrap(),
        runner_temp: runner,
    }
}

/// Both integrations build the tool in release mode; one at a time keeps the machine usable.
static HEAVY: Mutex<()> = Mutex::new(());

#[test]
fn github_action_annotates_summarizes_and_fails_on_errors() {
    let _one_at_a_time = HEAVY.lock().unwrap_or_else(|e| e.into_inner());

    // A faulty plan, with a SARIF file for upload-sarif.
    let workspace = tempfile::tempdir().unwrap();
    copy_dir(
        &repo().join("fixtures/duplicate-subnet/bad"),
        &workspace.path().join("plan"),
    );
    let run = run_action(
        workspace.path(),
        &[("paths", "plan"), ("sarif-file", "ipam-lint.sarif")],
    );
    let build = run.step("Build ipam-lint");
    assert!(build.status.success(), "build: {}", text(build));
    let check = run.check();
    assert_eq!(
        check.status.code(),
        Some(1),
        "errors fail the step: {}",
        text(check)
    );
    let annotations = String::from_utf8_lossy(&check.stdout);
    assert!(
        annotations.contains("::error file=plan/dc2.yaml,line=3,endLine=3,col=13,endColumn=25,title=ipam-lint%3A duplicate-subnet::"),
        "{annotations}"
    );
    assert_eq!(
        annotations
            .lines()
            .filter(|l| l.starts_with("::error "))
            .count(),
        2
    );
    assert!(
        run.summary
            .starts_with("## ipam-lint\n\n2 errors, 0 warnings in 3 files checked"),
        "{}",
        run.summary
    );
    assert!(
        run.summary
            .contains("| error | `duplicate-subnet` | `plan/dc2.yaml:3:13` |"),
        "{}",
        run.summary
    );
    let sarif: Value = serde_json::from_str(
        &fs::read_to_string(workspace.path().join("ipam-lint.sarif")).unwrap(),
    )
    .unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 2);

    // A clean plan passes, and says so in the summary.
    let clean = tempfile::tempdir().unwrap();
    copy_dir(
        &repo().join("fixtures/overlapping-subnets/ok"),
        clean.path(),
    );
    let run = run_action(clean.path(), &[]);
    assert!(run.check().status.success(), "{}", text(run.check()));
    assert!(String::from_utf8_lossy(&run.check().stdout).is_empty());
    assert!(
        run.summary
            .contains("0 errors, 0 warnings in 2 files checked"),
        "{}",
        run.summary
    );

    // Warnings pass, unless deny-warnings; several paths, one per line.
    let warned = tempfile::tempdir().unwrap();
    copy_dir(
        &repo().join("fixtures/duplicate-name/bad"),
        &warned.path().join("a"),
    );
    fs::create_dir(warned.path().join("b")).unwrap();
    fs::write(
        warned.path().join("b/extra.yaml"),
        "subnets:\n  - { cidr: 10.99.0.0/24 }\n",
    )
    .unwrap();
    let run = run_action(warned.path(), &[("paths", "a\nb")]);
    assert!(run.check().status.success(), "{}", text(run.check()));
    assert!(
        String::from_utf8_lossy(&run.check().stdout).contains("::warning file=a/plan.yaml,line=5,")
    );
    let run = run_action(
        warned.path(),
        &[("paths", "a b"), ("deny-warnings", "true")],
    );
    assert_eq!(run.check().status.code(), Some(1), "{}", text(run.check()));
}

/// `git ARGS` in `dir` as a known author: its output.
fn git_out(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .output()
        .unwrap();
    assert!(output.status.success(), "git {args:?}: {}", text(&output));
    String::from_utf8(output.stdout)
        .unwrap()
        .trim_end()
        .to_owned()
}

#[test]
fn github_action_reviews_a_pull_request_against_its_base_in_a_shallow_checkout() {
    let _one_at_a_time = HEAVY.lock().unwrap_or_else(|e| e.into_inner());

    // The repository on the server: main holds a plan with a legacy fault (an address
    // declared twice); the pull request adds a file that repeats a subnet.
    let server = tempfile::tempdir().unwrap();
    let origin = server.path().join("origin");
    fs::create_dir(&origin).unwrap();
    git_out(&origin, &["init", "--quiet", "--initial-branch=main"]);
    // As GitHub does, a commit is fetched by its id.
    git_out(
        &origin,
        &["config", "uploadpack.allowAnySHA1InWant", "true"],
    );
    fs::write(origin.join("ipam-lint.toml"), "").unwrap();
    fs::write(
        origin.join("dc1.yaml"),
        "blocks:\n  - { cidr: 10.10.0.0/16, name: dc1 }\nsubnets:\n  - { cidr: 10.10.1.0/24 }\n\
         addresses:\n  - { ip: 10.10.1.5 }\n  - { ip: 10.10.1.5 }\n",
    )
    .unwrap();
    git_out(&origin, &["add", "."]);
    git_out(&origin, &["commit", "--quiet", "-m", "plan"]);
    let base = git_out(&origin, &["rev-parse", "HEAD"]);
    git_out(&origin, &["checkout", "--quiet", "-b", "pr"]);
    fs::write(
        origin.join("dc1-new.yaml"),
        "subnets:\n  - { cidr: 10.10.1.0/24, name: again }\n  - { cidr: 10.10.2.0/24 }\n",
    )
    .unwrap();
    git_out(&origin, &["add", "."]);
    git_out(&origin, &["commit", "--quiet", "-m", "more subnets"]);

    // The runner's checkout: the pull request's commit alone, as actions/checkout does.
    let runner = tempfile::tempdir().unwrap();
    let workspace = runner.path().join("workspace");
    let url = format!("file://{}", origin.display());
    let workspace_arg = workspace.to_str().unwrap();
    git_out(
        runner.path(),
        &[
            "clone",
            "--quiet",
            "--depth=1",
            "--branch=pr",
            &url,
            workspace_arg,
        ],
    );
    assert_eq!(
        git_out(&workspace, &["rev-parse", "--is-shallow-repository"]),
        "true"
    );
    let pull_request = [
        ("event_name", "pull_request"),
        ("event.pull_request.base.sha", base.as_str()),
    ];

    let run = run_action_on(&workspace, &[], &pull_request);
    let check = run.check();
    assert_eq!(
        check.status.code(),
        Some(1),
        "the new fault fails: {}",
        text(check)
    );
    let annotations: Vec<String> = (String::from_utf8_lossy(&check.stdout).lines())
        .filter(|l| l.starts_with("::"))
        .map(str::to_owned)
        .collect();
    assert_eq!(annotations.len(), 1, "only the new fault: {annotations:?}");
    assert!(
        annotations[0].starts_with("::error file=dc1-new.yaml,line=2,"),
        "{annotations:?}"
    );
    assert!(
        run.summary.contains("Change: \\+2 subnets"),
        "{}",
        run.summary
    );
    assert!(
        run.summary
            .contains("1 error\\, 0 warnings new\\; 1 finding there before"),
        "{}",
        run.summary
    );
    // The base was fetched into the repository's objects; nothing else moved.
    git_out(
        &workspace,
        &["cat-file", "-e", &format!("{base}^{{commit}}")],
    );
    assert_eq!(git_out(&workspace, &["status", "--porcelain"]), "");
    assert_eq!(
        git_out(&workspace, &["rev-parse", "--abbrev-ref", "HEAD"]),
        "pr"
    );

    // Turned off, the pull request is checked whole: the legacy fault fails it too.
    let run = run_action_on(&workspace, &[("review", "false")], &pull_request);
    let all = String::from_utf8_lossy(&run.check().stdout).into_owned();
    assert_eq!(
        all.lines().filter(|l| l.starts_with("::error ")).count(),
        2,
        "{all}"
    );

    // A baseline that lists every finding of the plan: nothing is new.
    let saved = runner.path().join("baseline.json");
    let written = Command::new(env!("CARGO_BIN_EXE_ipam-lint"))
        .args(["check", "--format", "json", "--output"])
        .arg(&saved)
        .current_dir(&workspace)
        .output()
        .unwrap();
    assert_eq!(written.status.code(), Some(1), "{}", text(&written));
    let baseline = saved.to_str().unwrap();
    let run = run_action_on(&workspace, &[("baseline", baseline)], &pull_request);
    assert!(run.check().status.success(), "{}", text(run.check()));
    assert!(String::from_utf8_lossy(&run.check().stdout).is_empty());
    assert!(run.summary.contains("there before"), "{}", run.summary);

    // A base the server does not have: the step says so and fails as a usage error.
    let missing = [
        ("event_name", "pull_request"),
        (
            "event.pull_request.base.sha",
            "0123456789abcdef0123456789abcdef01234567",
        ),
    ];
    let run = run_action_on(&workspace, &[], &missing);
    let failed = run.check();
    assert_eq!(failed.status.code(), Some(2), "{}", text(failed));
    assert!(
        String::from_utf8_lossy(&failed.stdout)
            .contains("::error title=ipam-lint::cannot fetch the pull request's base commit"),
        "{}",
        text(failed)
    );
}

// ---- the pre-commit hook ----

/// pre-commit from PyPI, in a virtualenv of its own under target/.
fn pre_commit() -> PathBuf {
    python_tool("pre-commit", PRE_COMMIT_VERSION)
}

/// The command `package` at `version` from PyPI, installed once into a virtualenv of its own
/// under target/.
fn python_tool(package: &str, version: &str) -> PathBuf {
    let venv = repo().join(format!("target/{package}-venv"));
    let binary = venv.join("bin").join(package);
    let installed = Command::new(&binary)
        .arg("--version")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains(version));
    if !installed {
        let status = Command::new("python3")
            .args(["-m", "venv"])
            .arg(&venv)
            .status()
            .unwrap();
        assert!(status.success(), "python3 -m venv failed");
        let output = Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", &format!("{package}=={version}")])
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "pip install {package}: {}",
            text(&output)
        );
    }
    binary
}

fn git(repo: &Path, args: &[&str]) {
    let output = Command::new("git")
        .args(args)
        .current_dir(repo)
        .output()
        .unwrap();
    assert!(output.status.success(), "git {args:?}: {}", text(&output));
}

fn try_repo(pre_commit: &Path, sample: &Path, home: &Path, extra: &[&str]) -> Output {
    cheap_release_build(&mut Command::new(pre_commit))
        .arg("try-repo")
        .arg(repo())
        .arg("ipam-lint")
        .args(extra)
        .current_dir(sample)
        .env("PRE_COMMIT_HOME", home)
        .env("PRE_COMMIT_COLOR", "never")
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .output()
        .unwrap()
}

#[test]
fn pre_commit_hook_passes_a_clean_plan_and_stops_a_duplicate_subnet() {
    let _one_at_a_time = HEAVY.lock().unwrap_or_else(|e| e.into_inner());
    let pre_commit = pre_commit();
    let home = tempfile::tempdir().unwrap();
    let sample = tempfile::tempdir().unwrap();
    let dir = sample.path();
    git(dir, &["init", "--quiet", "--initial-branch=main"]);
    fs::write(dir.join("ipam-lint.toml"), "").unwrap();
    fs::write(
        dir.join("dc1.yaml"),
        "source: vmm-dc1\nblocks:\n  - { cidr: 10.10.0.0/16, name: dc1 }\nsubnets:\n  - { cidr: 10.10.1.0/24 }\n",
    )
    .unwrap();
    git(dir, &["add", "."]);
    git(
        dir,
        &[
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.com",
            "commit",
            "--quiet",
            "-m",
            "plan",
        ],
    );

    let clean = try_repo(&pre_commit, dir, home.path(), &["--all-files"]);
    assert!(
        clean.status.success(),
        "a clean plan passes: {}",
        text(&clean)
    );
    assert!(text(&clean).contains("Passed"), "{}", text(&clean));

    fs::write(
        dir.join("dc2.yaml"),
        "source: vmm-dc2\nsubnets:\n  - { cidr: 10.10.1.0/24 }\n",
    )
    .unwrap();
    git(dir, &["add", "dc2.yaml"]);
    let faulty = try_repo(&pre_commit, dir, home.path(), &[]);
    let shown = text(&faulty);
    assert_eq!(faulty.status.code(), Some(1), "{shown}");
    assert!(shown.contains("Failed"), "{shown}");
    assert!(shown.contains("duplicate-subnet"), "{shown}");
    assert!(
        shown.contains("subnet 10.10.1.0/24 (vmm-dc2) duplicates subnet 10.10.1.0/24 (vmm-dc1)"),
        "{shown}"
    );
    assert!(
        shown.contains("dc2.yaml:3:13") && shown.contains("dc1.yaml:5:13"),
        "{shown}"
    );
}

// ---- the wheel ----

/// Builds the wheel into `out` with maturin from PyPI; its path.
fn build_wheel(out: &Path) -> PathBuf {
    let maturin = python_tool("maturin", MATURIN_VERSION);
    // The release profile, to share the other tests' build; pyproject.toml's `dist` is the
    // same build stripped.
    let built = cheap_release_build(&mut Command::new(&maturin))
        .args(["build", "--quiet", "--profile", "release", "--out"])
        .arg(out)
        .current_dir(repo())
        .output()
        .unwrap();
    assert!(built.status.success(), "maturin build: {}", text(&built));
    let found: Vec<PathBuf> = (fs::read_dir(out).unwrap())
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "whl"))
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    found.into_iter().next().unwrap()
}

#[test]
fn the_wheel_installs_and_runs_without_a_rust_toolchain() {
    let _one_at_a_time = HEAVY.lock().unwrap_or_else(|e| e.into_inner());
    let wheels = tempfile::tempdir().unwrap();
    let wheel = &build_wheel(wheels.path());
    let name = wheel.file_name().unwrap().to_string_lossy().into_owned();
    let prefix = format!("ipam_lint-{}-py3-none-", env!("CARGO_PKG_VERSION"));
    assert!(
        name.starts_with(&prefix) && name.ends_with(".whl"),
        "{name}"
    );

    // A fresh virtual environment, the wheel installed from the file alone.
    let venv = tempfile::tempdir().unwrap();
    let status = Command::new("python3")
        .args(["-m", "venv"])
        .arg(venv.path())
        .status()
        .unwrap();
    assert!(status.success());
    let installed = Command::new(venv.path().join("bin/pip"))
        .args(["install", "--quiet", "--no-index"])
        .arg(wheel)
        .output()
        .unwrap();
    assert!(
        installed.status.success(),
        "pip install: {}",
        text(&installed)
    );

    // Run as a user would, by name, with only the environment's commands on PATH.
    let bin = venv.path().join("bin");
    let example = repo().join("examples/contoso");
    let script = "if command -v cargo >/dev/null; then exit 99; fi\n\
                  ipam-lint --version\n\
                  ipam-lint check \"$1\" --format json";
    let ran = Command::new("/bin/sh")
        .args(["-c", script, "sh"])
        .arg(&example)
        .env_clear()
        .env("PATH", &bin)
        .output()
        .unwrap();
    assert_ne!(ran.status.code(), Some(99), "cargo is on the PATH");
    assert_eq!(
        ran.status.code(),
        Some(1),
        "the example has errors: {}",
        text(&ran)
    );
    let stdout = String::from_utf8_lossy(&ran.stdout);
    let (version, report) = stdout.split_once('\n').unwrap();
    assert_eq!(version, format!("ipam-lint {}", env!("CARGO_PKG_VERSION")));
    // The same report as the binary the other tests run.
    let tested = Command::new(env!("CARGO_BIN_EXE_ipam-lint"))
        .args(["check"])
        .arg(&example)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(report, String::from_utf8_lossy(&tested.stdout));
}

// ---- the Action's release binary ----

/// An HTTP server on 127.0.0.1 serving `dir`, stopped when dropped.
struct Server {
    child: std::process::Child,
    url: String,
}

impl Server {
    fn serving(dir: &Path) -> Server {
        let script = "import functools, http.server, sys\n\
                      handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])\n\
                      server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)\n\
                      print(server.server_address[1], flush=True)\n\
                      server.serve_forever()\n";
        let mut child = Command::new("python3")
            .args(["-c", script])
            .arg(dir)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mut port = String::new();
        std::io::BufRead::read_line(
            &mut std::io::BufReader::new(child.stdout.take().unwrap()),
            &mut port,
        )
        .unwrap();
        let url = format!("http://127.0.0.1:{}", port.trim());
        Server { child, url }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A release as the release workflow lays it out: `v<version>/` with the Linux x86-64
/// archive of `binary` and SHA256SUMS, whose line for the archive is `digest` (its real
/// SHA-256 when `None`).
fn release(dir: &Path, binary: &Path, digest: Option<&str>) {
    let version = env!("CARGO_PKG_VERSION");
    let at = dir.join(format!("v{version}"));
    fs::create_dir_all(&at).unwrap();
    let staging = tempfile::tempdir().unwrap();
    fs::copy(binary, staging.path().join("ipam-lint")).unwrap();
    let asset = format!("ipam-lint-{version}-x86_64-unknown-linux-gnu.tar.gz");
    let packed = Command::new("tar")
        .arg("-czf")
        .arg(at.join(&asset))
        .arg("-C")
        .arg(staging.path())
        .arg("ipam-lint")
        .status()
        .unwrap();
    assert!(packed.success());
    let real = Command::new("sha256sum")
        .arg(at.join(&asset))
        .output()
        .unwrap();
    let real = String::from_utf8(real.stdout).unwrap();
    let real = real.split(' ').next().unwrap();
    fs::write(
        at.join("SHA256SUMS"),
        format!("{}  {asset}\n", digest.unwrap_or(real)),
    )
    .unwrap();
}

#[test]
fn github_action_installs_the_release_binary_and_refuses_a_wrong_checksum() {
    let _one_at_a_time = HEAVY.lock().unwrap_or_else(|e| e.into_inner());
    let workspace = tempfile::tempdir().unwrap();
    copy_dir(
        &repo().join("fixtures/duplicate-subnet/bad"),
        &workspace.path().join("plan"),
    );
    let binary = Path::new(env!("CARGO_BIN_EXE_ipam-lint"));

    // The archive and its checksum: downloaded, checked, and run; nothing is built.
    let good = tempfile::tempdir().unwrap();
    release(good.path(), binary, None);
    let server = Server::serving(good.path());
    let run = run_action(
        workspace.path(),
        &[("paths", "plan"), ("download-url", &server.url)],
    );
    let download = run.step("Download ipam-lint");
    assert!(download.status.success(), "{}", text(download));
    assert!(
        !run.ran("Build ipam-lint"),
        "built though the release had a binary"
    );
    assert_eq!(run.check().status.code(), Some(1), "{}", text(run.check()));
    assert!(String::from_utf8_lossy(&run.check().stdout).contains("::error file=plan/dc2.yaml"));
    let installed = run.runner_temp.path().join("ipam-lint/bin/ipam-lint");
    assert_eq!(fs::read(installed).unwrap(), fs::read(binary).unwrap());

    // A checksum that does not match: the step fails, and no binary is installed or run.
    let tampered = tempfile::tempdir().unwrap();
    release(tampered.path(), binary, Some(&"0".repeat(64)));
    let server = Server::serving(tampered.path());
    let run = run_action(
        workspace.path(),
        &[("paths", "plan"), ("download-url", &server.url)],
    );
    let download = run.step("Download ipam-lint");
    assert_eq!(download.status.code(), Some(1), "{}", text(download));
    assert!(
        String::from_utf8_lossy(&download.stdout).contains("does not match its SHA-256"),
        "{}",
        text(download)
    );
    assert!(!run.ran("Check the address plan"));
    assert!(
        !run.runner_temp
            .path()
            .join("ipam-lint/bin/ipam-lint")
            .exists()
    );

    // No release for this version: built from the action's source instead.
    let empty = tempfile::tempdir().unwrap();
    let server = Server::serving(empty.path());
    let run = run_action(
        workspace.path(),
        &[("paths", "plan"), ("download-url", &server.url)],
    );
    assert!(run.step("Build ipam-lint").status.success());
    assert_eq!(run.check().status.code(), Some(1), "{}", text(run.check()));
}

// ---- the pre-commit hook from the wheel ----

fn hooks_of(path: &Path) -> Value {
    serde_saphyr::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

/// `pre-commit-mirror/` is the hook repository that installs the wheel: its hook is the
/// one of this repository but for the language, and it pins the wheel of this version.
#[test]
fn the_wheel_hook_matches_the_rust_hook_and_this_version() {
    let mut rust = hooks_of(&repo().join(".pre-commit-hooks.yaml"));
    let mut wheel = hooks_of(&repo().join("pre-commit-mirror/.pre-commit-hooks.yaml"));
    assert_eq!(rust[0]["language"], "rust");
    assert_eq!(wheel[0]["language"], "python");
    rust[0].as_object_mut().unwrap().remove("language");
    wheel[0].as_object_mut().unwrap().remove("language");
    assert_eq!(rust, wheel);
    let pyproject = fs::read_to_string(repo().join("pre-commit-mirror/pyproject.toml")).unwrap();
    let version = env!("CARGO_PKG_VERSION");
    assert!(
        pyproject.contains(&format!("version = \"{version}\"")),
        "{pyproject}"
    );
    assert!(
        pyproject.contains(&format!("\"ipam-lint=={version}\"")),
        "{pyproject}"
    );
}

#[test]
fn the_wheel_hook_installs_in_seconds_without_a_rust_toolchain() {
    let _one_at_a_time = HEAVY.lock().unwrap_or_else(|e| e.into_inner());
    let pre_commit = pre_commit();
    // A local package index: the wheel, and the build backend of the hook's package.
    let index = tempfile::tempdir().unwrap();
    build_wheel(index.path());
    let downloaded = Command::new(repo().join("target/pre-commit-venv/bin/pip"))
        .args(["download", "--quiet", "--dest"])
        .arg(index.path())
        .arg("setuptools")
        .output()
        .unwrap();
    assert!(downloaded.status.success(), "{}", text(&downloaded));

    // The hook repository, as the release workflow publishes it.
    let mirror = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("pre-commit-mirror"), mirror.path());
    git_out(mirror.path(), &["init", "--quiet", "--initial-branch=main"]);
    git_out(mirror.path(), &["add", "."]);
    git_out(mirror.path(), &["commit", "--quiet", "-m", "hook"]);

    let sample = tempfile::tempdir().unwrap();
    let dir = sample.path();
    git_out(dir, &["init", "--quiet", "--initial-branch=main"]);
    fs::write(dir.join("ipam-lint.toml"), "").unwrap();
    fs::write(
        dir.join("dc1.yaml"),
        "blocks:\n  - { cidr: 10.10.0.0/16, name: dc1 }\nsubnets:\n  - { cidr: 10.10.1.0/24 }\n",
    )
    .unwrap();
    git_out(dir, &["add", "."]);

    // git, and pre-commit's own environment; no cargo, no rustup.
    let path = format!(
        "{}:/usr/local/bin:/usr/bin:/bin",
        repo().join("target/pre-commit-venv/bin").display()
    );
    let home = tempfile::tempdir().unwrap();
    let run = |extra: &[&str]| {
        Command::new(&pre_commit)
            .arg("try-repo")
            .arg(mirror.path())
            .arg("ipam-lint")
            .args(extra)
            .current_dir(dir)
            .env_clear()
            .env("PATH", &path)
            .env("HOME", home.path())
            .env("PRE_COMMIT_HOME", home.path().join("cache"))
            .env("PRE_COMMIT_COLOR", "never")
            .env("PIP_NO_INDEX", "1")
            .env("PIP_FIND_LINKS", index.path())
            .output()
            .unwrap()
    };
    let no_cargo = Command::new("/bin/sh")
        .args(["-c", "command -v cargo || command -v rustup"])
        .env_clear()
        .env("PATH", &path)
        .status()
        .unwrap();
    assert!(!no_cargo.success(), "cargo is on the hook's PATH");

    let started = std::time::Instant::now();
    let clean = run(&["--all-files"]);
    let first = started.elapsed();
    assert!(
        clean.status.success(),
        "a clean plan passes: {}",
        text(&clean)
    );
    assert!(text(&clean).contains("Passed"), "{}", text(&clean));
    eprintln!("the wheel hook's first run, its install included: {first:.1?}");

    fs::write(
        dir.join("dc2.yaml"),
        "subnets:\n  - { cidr: 10.10.1.0/24 }\n",
    )
    .unwrap();
    git_out(dir, &["add", "dc2.yaml"]);
    let faulty = run(&[]);
    assert_eq!(faulty.status.code(), Some(1), "{}", text(&faulty));
    assert!(
        text(&faulty).contains("duplicate-subnet"),
        "{}",
        text(&faulty)
    );
}
