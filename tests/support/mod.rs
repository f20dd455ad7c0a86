//! Running the binary over hostile plans, shared by the hostile suites: every run is killed
//! at a deadline (a hang fails the test instead of blocking it) and held to never panic.
#![allow(dead_code)]

use std::fs;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// A plan file whose one fault (a duplicate address) must be reported whatever the files
/// beside it do.
pub const GOOD: &str = "\
subnets:
  - { cidr: 192.0.2.0/24 }
addresses:
  - { ip: 192.0.2.10 }
  - { ip: 192.0.2.10 }
";

/// Long enough for the largest case on a busy machine; a hang fails instead of blocking.
pub const DEADLINE: Duration = Duration::from_secs(120);

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `program args` in `dir`, killing it at the deadline.
pub fn run_program(program: &str, args: &[&str], dir: &Path) -> Run {
    run_program_with_env(program, args, dir, &[])
}

/// As [`run_program`], with the environment variables `env` set.
pub fn run_program_with_env(
    program: &str,
    args: &[&str],
    dir: &Path,
    env: &[(&str, &std::ffi::OsStr)],
) -> Run {
    let mut child = Command::new(program)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Drain both pipes on threads, so a large report cannot fill a pipe and stall the run.
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut text = Vec::new();
        stdout.read_to_end(&mut text).map(|_| text)
    });
    let err = std::thread::spawn(move || {
        let mut text = Vec::new();
        stderr.read_to_end(&mut text).map(|_| text)
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > DEADLINE {
            child.kill().unwrap();
            panic!("ipam-lint {args:?} did not finish within {DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let text = |bytes: Vec<u8>| String::from_utf8_lossy(&bytes).into_owned();
    let run = Run {
        code: status.code().expect("ended by a signal"),
        stdout: text(out.join().unwrap().unwrap()),
        stderr: text(err.join().unwrap().unwrap()),
    };
    assert!(
        run.code != 101 && !run.stderr.contains("panicked"),
        "ipam-lint {args:?} panicked: {}",
        run.stderr
    );
    run
}

pub fn run(dir: &Path, args: &[&str]) -> Run {
    run_program(env!("CARGO_BIN_EXE_ipam-lint"), args, dir)
}

/// As [`run`], with the environment variables `env` set.
pub fn run_with_env(dir: &Path, args: &[&str], env: &[(&str, &std::ffi::OsStr)]) -> Run {
    run_program_with_env(env!("CARGO_BIN_EXE_ipam-lint"), args, dir, env)
}

/// `check --format json` in `dir`: the exit status and the report.
pub fn check(dir: &Path) -> (i32, Value) {
    let run = run(dir, &["check", "--format", "json"]);
    let report = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|_| panic!("not a JSON report: {}{}", run.stdout, run.stderr));
    (run.code, report)
}

/// The diagnostics of one file: rule, line, column, message.
pub fn diagnostics(report: &Value, file: &str) -> Vec<(String, u64, u64, String)> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["file"] == file)
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// A copy of the tree `from` at `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A plan of `good.yaml` and `files`, in a fresh directory.
pub fn plan(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("good.yaml"), GOOD).unwrap();
    for (name, bytes) in files {
        let path = dir.path().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }
    dir
}

/// Makes a named pipe at `path`: opening it for reading blocks until someone writes.
#[cfg(unix)]
pub fn make_fifo(path: &Path) {
    let made = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(made.success(), "mkfifo {}", path.display());
}
