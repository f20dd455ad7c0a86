//! The plan as it stands at a git revision, read from git's objects: the working tree, the
//! index and the refs are never touched.
//!
//! This runs the `git` program rather than linking a git library: the two commands needed
//! (`ls-tree` for the names, one `cat-file --batch` for every blob) stream the objects as
//! fast as git reads them, honour every repository layout git does (worktrees, alternates,
//! partial clones), and cost no build time. A library that does as much (gix) adds about a
//! hundred crates to compile.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use super::MAX_FILE_BYTES;
use super::walk::UsageError;

/// A file of the plan at the revision: its root-relative name and its bytes, or why they
/// could not be used.
pub struct Blob {
    pub name: String,
    pub bytes: Result<Vec<u8>, String>,
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
        let prefix = git(root, &["rev-parse", "--show-prefix"]).map_err(|error| {
            UsageError(format!(
                "--base needs a git repository: {} is not inside a git work tree ({error})",
                root.display()
            ))
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
    /// accepts, in no particular order. Links and submodules are left out, as the walk of
    /// the working tree leaves them out.
    pub fn files(
        &self,
        root: &Path,
        wanted: impl Fn(&str) -> bool,
    ) -> Result<Vec<Blob>, UsageError> {
        let mut args = vec!["ls-tree", "-r", "-z", "--full-tree", &self.commit];
        if !self.prefix.is_empty() {
            args.extend(["--", &self.prefix]);
        }
        let listing = git_bytes(root, &args)
            .map_err(|error| UsageError(format!("cannot list the files at the base: {error}")))?;
        let mut names = Vec::new();
        let mut objects = Vec::new();
        for entry in listing.split(|&b| b == 0).filter(|entry| !entry.is_empty()) {
            let Some((mode, object, path)) = parse_tree_entry(entry) else {
                continue;
            };
            // 100644 and 100755 are files; 120000 is a link, 160000 a submodule.
            if !mode.starts_with("100") {
                continue;
            }
            let Some(name) = path.strip_prefix(self.prefix.as_str()) else {
                continue;
            };
            if wanted(name) {
                names.push(name.to_owned());
                objects.push(object.to_owned());
            }
        }
        let contents = cat_blobs(root, &objects)?;
        Ok(names
            .into_iter()
            .zip(contents)
            .map(|(name, bytes)| Blob { name, bytes })
            .collect())
    }
}

impl Revision {
    /// The 1-based lines of `offsets` (ascending) in the file `name` at this revision.
    pub fn lines_of(&self, root: &Path, name: &str, offsets: &[u32]) -> Result<Vec<u32>, String> {
        let blobs = self
            .files(root, |other| other == name)
            .map_err(|error| error.0)?;
        match blobs.into_iter().next().map(|blob| blob.bytes) {
            Some(Ok(bytes)) => Ok(super::lines_in(&bytes, offsets)),
            Some(Err(error)) => Err(format!("cannot read {name} at the base: {error}")),
            None => Err(format!("{name} is no longer at the base")),
        }
    }
}

/// `<mode> <type> <object>\t<path>`, as `ls-tree -z` writes an entry.
fn parse_tree_entry(entry: &[u8]) -> Option<(&str, &str, String)> {
    let tab = entry.iter().position(|&b| b == b'\t')?;
    let head = std::str::from_utf8(&entry[..tab]).ok()?;
    let mut fields = head.split(' ');
    let (mode, _kind, object) = (fields.next()?, fields.next()?, fields.next()?);
    // A name that is not UTF-8 keeps its bytes visible, as the walk of the working tree names it.
    let path = super::walk::segment_names(&entry[tab + 1..]);
    Some((mode, object, path))
}

/// The contents of `objects`, in their order, through one `git cat-file --batch`. A blob
/// over the size limit of a declaration file is refused, as the working tree's would be.
fn cat_blobs(root: &Path, objects: &[String]) -> Result<Vec<Result<Vec<u8>, String>>, UsageError> {
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

/// What `git ARGS` printed, or its error message.
fn git(root: &Path, args: &[&str]) -> Result<String, String> {
    let bytes = git_bytes(root, args)?;
    String::from_utf8(bytes).map_err(|error| error.to_string())
}

fn git_bytes(root: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let output = command(root)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|error| format!("cannot run git: {error}"))?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        let message = String::from_utf8_lossy(&output.stderr);
        Err(message.trim().to_owned())
    }
}
