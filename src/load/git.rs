//! The plan as it stands at a git revision, read from git's objects: the working tree, the
//! index and the refs are never touched.
//!
//! This runs the `git` program rather than linking a git library: the two commands needed
//! (`ls-tree` for the names, one `cat-file --batch` for every blob) stream the objects as
//! fast as git reads them, honour every repository layout git does (worktrees, alternates,
//! partial clones), and cost no build time. A library that does as much (gix) adds about a
//! hundred crates to compile.

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use super::MAX_FILE_BYTES;
use super::walk::UsageError;

/// A file of the plan at the revision: its root-relative name, its object and its size.
pub struct Listed {
    pub name: String,
    object: String,
    pub size: u64,
}

/// The revision `rev` of the repository holding `root`, resolved to a commit.
pub struct Revision {
    commit: String,
    /// Where the root sits in the repository: `plans/`, or empty at the top.
    prefix: String,
}

impl Revision {
    /// Resolves `rev` in the repository that holds `root`. A root outside a git work tree,
    /// or a revision git cannot resolve to a commit, is a usage error.
    pub fn resolve(root: &Path, rev: &str) -> Result<Revision, UsageError> {
        let prefix = git(root, &["rev-parse", "--show-prefix"]).map_err(|error| match error {
            GitError::NotRun(error) => UsageError(format!(
                "--base needs git on PATH: cannot run git ({error})"
            )),
            GitError::Said(message) => UsageError(format!(
                "--base needs a git repository: {} is not inside a git work tree ({message})",
                root.display()
            )),
        })?;
        let asked = format!("{rev}^{{commit}}");
        let commit = git(
            root,
            &[
                "rev-parse",
                "--verify",
                "--quiet",
                "--end-of-options",
                &asked,
            ],
        )
        .map_err(|_| {
            UsageError(format!(
                "git cannot resolve `{rev}` to a commit; name a branch, a tag or a commit \
                 (in a shallow clone, fetch it first: git fetch --depth=1 origin {rev})"
            ))
        })?;
        Ok(Revision {
            commit: commit.trim_end().to_owned(),
            prefix: prefix.trim_end_matches('\n').to_owned(),
        })
    }

    /// Every regular file under the root at this revision whose root-relative name `wanted`
    /// accepts, in canonical order. Links and submodules are left out, as the walk of the
    /// working tree leaves them out.
    pub fn files(
        &self,
        root: &Path,
        wanted: impl Fn(&str) -> bool,
    ) -> Result<Vec<Listed>, UsageError> {
        let mut args = vec!["ls-tree", "-r", "-z", "-l", "--full-tree", &self.commit];
        if !self.prefix.is_empty() {
            args.extend(["--", &self.prefix]);
        }
        let listing = git_bytes(root, &args)
            .map_err(|error| UsageError(format!("cannot list the files at the base: {error}")))?;
        let mut files = Vec::new();
        for entry in listing.split(|&b| b == 0).filter(|entry| !entry.is_empty()) {
            let Some(entry) = parse_tree_entry(entry) else {
                continue;
            };
            // 100644 and 100755 are files; 120000 is a link, 160000 a submodule.
            if !entry.mode.starts_with("100") {
                continue;
            }
            let Some(name) = entry.path.strip_prefix(self.prefix.as_str()) else {
                continue;
            };
            if wanted(name) {
                files.push(Listed {
                    name: name.to_owned(),
                    object: entry.object.to_owned(),
                    size: entry.size,
                });
            }
        }
        files.sort_unstable_by(|a, b| a.name.cmp(&b.name));
        Ok(files)
    }

    /// The root-relative names of the files under the root that git finds different in
    /// the working tree from this revision: changed, added to the index, or deleted. Any
    /// other file at the revision has the bytes the working tree has, as git compares them.
    pub fn changed(&self, root: &Path) -> Result<HashSet<String>, UsageError> {
        let args = [
            "diff",
            "--name-only",
            "-z",
            "--relative",
            "--no-renames",
            "--no-ext-diff",
            &self.commit,
        ];
        let listing = git_bytes(root, &args).map_err(|error| {
            UsageError(format!(
                "cannot compare the working tree with the base: {error}"
            ))
        })?;
        Ok((listing.split(|&b| b == 0))
            .filter(|name| !name.is_empty())
            .map(super::walk::segment_names)
            .collect())
    }

    /// The contents of `files`, in their order, read from git's objects. A blob over the
    /// size limit of a declaration file is refused, as the working tree's would be.
    pub fn read(
        &self,
        root: &Path,
        files: &[&Listed],
    ) -> Result<Vec<Result<Vec<u8>, String>>, UsageError> {
        // Most reviews ask nothing of git at some step: no process for that.
        if files.is_empty() {
            return Ok(Vec::new());
        }
        let objects: Vec<&str> = files.iter().map(|file| file.object.as_str()).collect();
        cat_blobs(root, &objects)
    }
}

/// One entry of `ls-tree -z -l`.
struct TreeEntry<'a> {
    mode: &'a str,
    object: &'a str,
    size: u64,
    path: String,
}

/// `<mode> <type> <object> <size>\t<path>`, as `ls-tree -z -l` writes an entry (the size is
/// `-` for what is not a blob).
fn parse_tree_entry(entry: &[u8]) -> Option<TreeEntry<'_>> {
    let tab = entry.iter().position(|&b| b == b'\t')?;
    let head = std::str::from_utf8(&entry[..tab]).ok()?;
    let mut fields = head.split_whitespace();
    let (mode, _kind, object, size) = (
        fields.next()?,
        fields.next()?,
        fields.next()?,
        fields.next()?,
    );
    Some(TreeEntry {
        mode,
        object,
        size: size.parse().unwrap_or(0),
        // A name that is not UTF-8 keeps its bytes visible, as the walk of the working tree
        // names it.
        path: super::walk::segment_names(&entry[tab + 1..]),
    })
}

/// The contents of `objects`, in their order, through one `git cat-file --batch`.
fn cat_blobs(root: &Path, objects: &[&str]) -> Result<Vec<Result<Vec<u8>, String>>, UsageError> {
    let failed =
        |error: std::io::Error| UsageError(format!("cannot read the files at the base: {error}"));
    let mut child = command(root)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(failed)?;
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let requests: String = objects.iter().map(|object| format!("{object}\n")).collect();
    // Written from a thread of its own: git answers as it reads, and a pipe holds little.
    let writer = std::thread::spawn(move || stdin.write_all(requests.as_bytes()));
    let mut out = BufReader::with_capacity(1 << 16, child.stdout.take().expect("stdout is piped"));
    let mut contents = Vec::with_capacity(objects.len());
    for object in objects {
        contents.push(read_one(&mut out, object).map_err(failed)?);
    }
    drop(out);
    let _ = writer.join();
    let status = child.wait().map_err(failed)?;
    if !status.success() {
        return Err(UsageError(format!(
            "cannot read the files at the base: git cat-file exited with {status}"
        )));
    }
    Ok(contents)
}

/// One answer of `cat-file --batch`: `<object> <type> <size>\n<contents>\n`.
fn read_one(out: &mut impl BufRead, object: &str) -> std::io::Result<Result<Vec<u8>, String>> {
    let mut header = String::new();
    out.read_line(&mut header)?;
    let fields: Vec<&str> = header.split_whitespace().collect();
    let size = match fields.as_slice() {
        [_, "blob", size] => size.parse::<u64>().map_err(std::io::Error::other)?,
        _ => {
            return Err(std::io::Error::other(format!(
                "git gave no blob for {object}: {}",
                header.trim_end()
            )));
        }
    };
    let mut body = out.take(size + 1);
    if size > MAX_FILE_BYTES {
        std::io::copy(&mut body, &mut std::io::sink())?;
        return Ok(Err(format!(
            "the file is over the limit of {} MiB",
            MAX_FILE_BYTES >> 20
        )));
    }
    let mut bytes = Vec::with_capacity(size as usize + 1);
    body.read_to_end(&mut bytes)?;
    if bytes.pop() != Some(b'\n') || bytes.len() as u64 != size {
        return Err(std::io::Error::other("git's answer ended early"));
    }
    Ok(Ok(bytes))
}

fn command(root: &Path) -> Command {
    let mut command = Command::new("git");
    command
        .arg("-C")
        .arg(root)
        // Names are names: no `:(glob)` or other magic in the root's path.
        .arg("--literal-pathspecs")
        .env("LC_ALL", "C")
        .env("GIT_OPTIONAL_LOCKS", "0");
    command
}

/// Why a git command gave no answer: git could not be started, or it said why not.
enum GitError {
    NotRun(std::io::Error),
    Said(String),
}

impl std::fmt::Display for GitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GitError::NotRun(error) => write!(f, "cannot run git: {error}"),
            GitError::Said(message) => f.write_str(message),
        }
    }
}

/// What `git ARGS` printed, or why it printed nothing.
fn git(root: &Path, args: &[&str]) -> Result<String, GitError> {
    let bytes = git_bytes(root, args)?;
    String::from_utf8(bytes).map_err(|error| GitError::Said(error.to_string()))
}

fn git_bytes(root: &Path, args: &[&str]) -> Result<Vec<u8>, GitError> {
    let output = command(root)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(GitError::NotRun)?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        let message = String::from_utf8_lossy(&output.stderr);
        Err(GitError::Said(message.trim().to_owned()))
    }
}
