//! Finding the declaration files: the project root, gitignore-aware walking, exclusions,
//! and the focus set when individual files are named (as pre-commit does).

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

use ignore::WalkBuilder;

use super::config::{CONFIG_FILE_NAME, Config, read_config};
use super::formats::Format;

/// The files to read, keyed and ordered by root-relative path (the canonical order).
#[derive(Debug)]
pub struct Discovery {
    pub root: PathBuf,
    pub config: Config,
    /// The config file the settings came from, if any.
    pub config_file: Option<PathBuf>,
    pub files: BTreeMap<String, PathBuf>,
    /// In focus mode, the root-relative paths of the files whose findings are reported.
    pub focus: Option<Vec<String>>,
    /// What was asked for, root-relative, so that the plan at another revision is chosen
    /// alike: the directories walked (`""`: the root) and the files named outside them.
    pub walked: Vec<String>,
    pub named: Vec<String>,
    /// `check -`: the root-relative name standard input's text stands for, and the text,
    /// which is read in place of the file of that name.
    pub stdin: Option<(String, Vec<u8>)>,
}

impl Discovery {
    /// Whether a file of that root-relative name, at another revision, is part of the plan:
    /// what the walk would take (a declaration file, not hidden, not excluded) where this
    /// run looked. The working tree's `.gitignore` is not applied to it: git tracks what
    /// it ignores only when told to.
    pub fn would_take(&self, name: &str) -> bool {
        let last = name.rsplit('/').next().unwrap_or(name);
        let hidden = name.split('/').any(|segment| segment.starts_with('.'));
        let declares = last != CONFIG_FILE_NAME && Format::of_name(last.as_bytes()).is_some();
        let looked = self.named.iter().any(|named| named == name)
            || (self.walked.iter())
                .any(|dir| dir.is_empty() || name.starts_with(&format!("{dir}/")));
        declares && !hidden && self.config.takes(name) && looked
    }
}

/// A PATH or config problem: exit status 2.
#[derive(Debug)]
pub struct UsageError(pub String);

/// Finds the files to read under `paths`. An explicit `config` file supplies the settings
/// in place of the root's `ipam-lint.toml`; the root is found the same way either way.
pub fn discover(paths: &[PathBuf], config: Option<&Path>) -> Result<Discovery, UsageError> {
    let targets = targets(paths)?;
    let (first, first_is_dir) = &targets[0];
    let start = if *first_is_dir {
        first.clone()
    } else {
        first.parent().map(Path::to_path_buf).unwrap_or_default()
    };
    let (configured_root, config_file, config) = settings_from(&start, config)?;
    let root = configured_root.clone().unwrap_or(start);
    let named = named_files(&root, &targets, &config)?;

    let focus_mode = configured_root.is_some() && targets.iter().any(|(_, is_dir)| !is_dir);
    if !focus_mode {
        let asked = |dirs: bool| {
            (targets.iter())
                .filter(|(_, is_dir)| *is_dir == dirs)
                .map(|(path, _)| relative_name(&root, path))
                .collect()
        };
        return Ok(Discovery {
            walked: asked(true),
            named: asked(false),
            root,
            config,
            config_file,
            files: named,
            focus: None,
            stdin: None,
        });
    }
    // The whole root is read so that a conflict with an unchanged file is never missed.
    let mut files = BTreeMap::new();
    walk_dir(&root, &root, &config, &mut files)?;
    let focus = named.keys().cloned().collect();
    files.extend(named);
    Ok(Discovery {
        root,
        config,
        config_file,
        files,
        focus: Some(focus),
        walked: vec![String::new()],
        named: Vec::new(),
        stdin: None,
    })
}

/// The project root above `start` (the nearest directory holding `ipam-lint.toml`), the
/// config file that applies (`config`, or the root's) and its settings.
fn settings_from(
    start: &Path,
    config: Option<&Path>,
) -> Result<(Option<PathBuf>, Option<PathBuf>, Config), UsageError> {
    let configured_root = start
        .ancestors()
        .find(|dir| dir.join(CONFIG_FILE_NAME).is_file())
        .map(Path::to_path_buf);
    let config_file = match config {
        Some(file) => Some(file.to_path_buf()),
        None => configured_root
            .as_ref()
            .map(|root| root.join(CONFIG_FILE_NAME)),
    };
    let config = match &config_file {
        Some(file) => read_config(file).map_err(UsageError)?,
        None => Config::default(),
    };
    Ok((configured_root, config_file, config))
}

/// The name standard input's text is shown under when `--stdin-filename` gives none.
pub const STDIN_NAME: &str = "-";

/// The files to read for `check -`: the text `bytes`, as the file `name` (relative to the
/// current directory) when one is given, else alone as `-`. Under a root with
/// `ipam-lint.toml`, a named text is checked with the whole root, as a file named on the
/// command line is (SPEC §2), the text in place of the file, which need not exist.
pub fn discover_stdin(
    name: Option<&Path>,
    bytes: Vec<u8>,
    config: Option<&Path>,
) -> Result<Discovery, UsageError> {
    let here = std::env::current_dir()
        .map_err(|error| UsageError(format!("cannot read the current directory: {error}")))?;
    let Some(name) = name else {
        let (configured_root, config_file, config) = settings_from(&here, config)?;
        return Ok(Discovery {
            root: configured_root.unwrap_or(here),
            config,
            config_file,
            files: BTreeMap::from([(STDIN_NAME.to_owned(), PathBuf::from(STDIN_NAME))]),
            focus: None,
            walked: Vec::new(),
            named: Vec::new(),
            stdin: Some((STDIN_NAME.to_owned(), bytes)),
        });
    };
    let path = here.join(name);
    if !is_declaration_name(&path) {
        return Err(UsageError(format!(
            "--stdin-filename {} is not a declaration file name: expected {}",
            name.display(),
            Format::expected()
        )));
    }
    let (Some(parent), Some(file_name)) = (path.parent(), path.file_name()) else {
        return Err(UsageError(format!(
            "--stdin-filename {} names no file",
            name.display()
        )));
    };
    let parent = std::fs::canonicalize(parent)
        .map_err(|error| UsageError(format!("cannot read {}: {error}", parent.display())))?;
    let absolute = parent.join(file_name);
    let (configured_root, config_file, config) = settings_from(&parent, config)?;
    let root = configured_root.clone().unwrap_or_else(|| parent.clone());
    let relative = relative_name(&root, &absolute);
    let mut files = BTreeMap::new();
    if configured_root.is_some() {
        walk_dir(&root, &root, &config, &mut files)?;
    }
    let hidden = relative.split('/').any(|segment| segment.starts_with('.'));
    let taken = !hidden && config.takes(&relative);
    if taken {
        files.insert(relative.clone(), absolute);
    } else {
        files.remove(&relative);
    }
    Ok(Discovery {
        root,
        config,
        config_file,
        files,
        focus: configured_root.is_some().then(|| vec![relative.clone()]),
        walked: Vec::new(),
        named: vec![relative.clone()],
        stdin: taken.then_some((relative, bytes)),
    })
}

/// Each path named on the command line (`.` without any), made absolute, and whether it is
/// a directory. Anything but a directory or a declaration file is refused.
fn targets(paths: &[PathBuf]) -> Result<Vec<(PathBuf, bool)>, UsageError> {
    let default = [PathBuf::from(".")];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    let mut targets = Vec::with_capacity(paths.len());
    for path in paths {
        let metadata = std::fs::metadata(path)
            .map_err(|error| UsageError(format!("cannot read {}: {error}", path.display())))?;
        let absolute = std::fs::canonicalize(path)
            .map_err(|error| UsageError(format!("cannot read {}: {error}", path.display())))?;
        if !metadata.is_file() && !metadata.is_dir() {
            // A named pipe or a device: reading it could block forever.
            return Err(UsageError(format!(
                "{} is not a regular file or a directory",
                path.display()
            )));
        }
        if metadata.is_file() && !is_declaration_name(&absolute) {
            let links_to = if absolute.file_name() == path.file_name() {
                String::new()
            } else {
                format!(" (a link to {})", absolute.display())
            };
            return Err(UsageError(format!(
                "{}{links_to} is not a declaration file: expected {}",
                path.display(),
                Format::expected()
            )));
        }
        targets.push((absolute, metadata.is_dir()));
    }
    Ok(targets)
}

/// The declaration files under the targets: every one under a directory, and each file
/// named.
fn named_files(
    root: &Path,
    targets: &[(PathBuf, bool)],
    config: &Config,
) -> Result<BTreeMap<String, PathBuf>, UsageError> {
    let mut named = BTreeMap::new();
    let mut named_files: BTreeMap<&Path, Vec<&Path>> = BTreeMap::new();
    for (path, is_dir) in targets {
        if *is_dir {
            walk_dir(root, path, config, &mut named)?;
        } else if let Some(parent) = path.parent() {
            named_files.entry(parent).or_default().push(path);
        }
    }
    for (parent, paths) in named_files {
        add_named_files(root, parent, &paths, config, &mut named)?;
    }
    Ok(named)
}

fn walk_dir(
    root: &Path,
    dir: &Path,
    config: &Config,
    files: &mut BTreeMap<String, PathBuf>,
) -> Result<(), UsageError> {
    walk(root, dir, None, |entry| {
        let is_file = entry.file_type().is_some_and(|kind| kind.is_file());
        if !is_file || !is_declaration_name(entry.path()) {
            return;
        }
        let relative = relative_name(root, entry.path());
        if config.takes(&relative) {
            files.insert(relative, entry.into_path());
        }
    })
}

/// The largest `.gitignore` read. The walker compiles all its patterns into one matcher,
/// which takes hundreds of times the file's size in memory: a hostile one could exhaust it.
pub const MAX_IGNORE_FILE_BYTES: u64 = 256 * 1024;

/// The ignore files the walk reads in a directory (see [`walker`]).
const IGNORE_FILES: [&str; 2] = [".gitignore", ".git/info/exclude"];

/// An ignore file the walk would read in `dir` and could not use: it could not know which
/// files to skip, and the ignore crate would skip the file itself without a word (or, for a
/// named pipe, wait on it forever).
fn unusable_ignore_file(dir: &Path) -> Option<(PathBuf, String)> {
    IGNORE_FILES.iter().find_map(|name| {
        let file = dir.join(name);
        let fault = match std::fs::metadata(&file) {
            // Absent, or in a directory that cannot be searched or named: the walk itself
            // says so when it gets there.
            Err(_) => return None,
            Ok(metadata) if !metadata.is_file() => "is not a regular file".to_owned(),
            Ok(metadata) if metadata.len() > MAX_IGNORE_FILE_BYTES => format!(
                "is over the limit of {} KiB for an ignore file",
                MAX_IGNORE_FILE_BYTES / 1024
            ),
            Ok(_) => match std::fs::File::open(&file) {
                Ok(_) => return None,
                Err(error) => format!("cannot be read: {error}"),
            },
        };
        Some((file, fault))
    })
}

/// Walks `dir` (to `max_depth`, if given) as [`walker`] configures, handing each entry to
/// `each`. An ignore file that cannot be used on the way, in `dir`, above it or below it
/// (too large, unreadable, not a regular file), stops the walk before it is read: without
/// it the walk cannot know what to skip.
fn walk(
    root: &Path,
    dir: &Path,
    max_depth: Option<usize>,
    mut each: impl FnMut(ignore::DirEntry),
) -> Result<(), UsageError> {
    let unusable = |(file, fault): (PathBuf, String)| {
        UsageError(format!("{} {fault}", relative_name(root, &file)))
    };
    if let Some(found) = dir.ancestors().find_map(unusable_ignore_file) {
        return Err(unusable(found));
    }
    let found = Arc::new(Mutex::new(None));
    let found_below = Arc::clone(&found);
    let mut builder = walker(dir);
    builder.max_depth(max_depth).filter_entry(move |entry| {
        let descends = entry.file_type().is_some_and(|kind| kind.is_dir())
            && max_depth.is_none_or(|depth| entry.depth() < depth);
        match descends
            .then(|| unusable_ignore_file(entry.path()))
            .flatten()
        {
            Some(file) => {
                *found_below.lock().expect("never poisoned") = Some(file);
                false
            }
            None => true,
        }
    });
    for entry in builder.build() {
        let entry = entry.map_err(|error| walk_error(root, dir, &error))?;
        // A directory's ignore file that could not be used, wholly or in part, comes with
        // the directory; walking on would check the files it was meant to skip.
        if let Some(error) = entry.error() {
            return Err(ignore_file_error(root, error));
        }
        each(entry);
    }
    match found.lock().expect("never poisoned").take() {
        Some(found) => Err(unusable(found)),
        None => Ok(()),
    }
}

/// An ignore file with patterns that cannot be used: each faulty line, where and why.
fn ignore_file_error(root: &Path, error: &ignore::Error) -> UsageError {
    /// Each fault at the bottom of the error's tree, with the file and line above it.
    fn faults<'e>(
        error: &'e ignore::Error,
        path: Option<&'e Path>,
        line: Option<u64>,
        out: &mut Vec<(Option<&'e Path>, Option<u64>, &'e ignore::Error)>,
    ) {
        match error {
            ignore::Error::Partial(errors) => {
                for error in errors {
                    faults(error, path, line, out);
                }
            }
            ignore::Error::WithPath { path, err } => faults(err, Some(path), line, out),
            ignore::Error::WithLineNumber { line, err } => faults(err, path, Some(*line), out),
            ignore::Error::WithDepth { err, .. } => faults(err, path, line, out),
            other => out.push((path, line, other)),
        }
    }
    let mut found = Vec::new();
    faults(error, None, None, &mut found);
    let described: Vec<String> = found
        .into_iter()
        .map(|(path, line, fault)| {
            let place = path.map_or_else(
                || "an ignore file".to_owned(),
                |path| relative_name(root, path),
            );
            let line = line
                .map(|line| format!(", line {line}"))
                .unwrap_or_default();
            format!("{place}{line}: {fault}")
        })
        .collect();
    UsageError(format!(
        "cannot use an ignore file, so the files it would skip cannot be told: {}",
        described.join("; ")
    ))
}

/// A directory that cannot be read: where (relative to the root, and shortened in the middle
/// if very long, such as a path too deep for the system) and why, once each.
fn walk_error(root: &Path, dir: &Path, error: &ignore::Error) -> UsageError {
    fn path_of(error: &ignore::Error) -> Option<&Path> {
        match error {
            ignore::Error::WithPath { path, .. } => Some(path),
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                path_of(err)
            }
            _ => None,
        }
    }
    let mut place = relative_name(root, path_of(error).unwrap_or(dir));
    const LONGEST: usize = 120;
    if place.chars().count() > LONGEST {
        let head: String = place.chars().take(LONGEST / 2).collect();
        let tail: Vec<char> = place.chars().rev().take(LONGEST / 2).collect();
        place = format!("{head}...{}", tail.into_iter().rev().collect::<String>());
    }
    // The system's own words, without the path that the walker's message repeats.
    let mut cause = error.to_string();
    let mut source: Option<&(dyn std::error::Error + 'static)> = error.io_error().map(|io| io as _);
    while let Some(inner) = source {
        if let Some(io) = inner.downcast_ref::<std::io::Error>() {
            cause = match io.raw_os_error() {
                Some(code) => std::io::Error::from_raw_os_error(code).to_string(),
                None => io.kind().to_string(),
            };
            source = io.get_ref().map(|wrapped| wrapped as _);
        } else {
            source = inner.source();
        }
    }
    UsageError(format!("cannot read {place}: {cause}"))
}

/// Files named on the command line obey the same exclusions as files found by walking.
/// Walking their directory, one level deep and once for all of them, applies every
/// .gitignore above it.
fn add_named_files(
    root: &Path,
    parent: &Path,
    paths: &[&Path],
    config: &Config,
    files: &mut BTreeMap<String, PathBuf>,
) -> Result<(), UsageError> {
    let mut wanted: BTreeMap<&Path, String> = BTreeMap::new();
    for &path in paths {
        let relative = relative_name(root, path);
        let hidden = relative
            .split('/')
            .any(|segment| segment.starts_with('.') && segment != "." && segment != "..");
        if !hidden && config.takes(&relative) {
            wanted.insert(path, relative);
        }
    }
    if wanted.is_empty() {
        return Ok(());
    }
    walk(root, parent, Some(1), |entry| {
        if let Some(relative) = wanted.remove(entry.path()) {
            files.insert(relative, entry.into_path());
        }
    })
}

/// The one walk configuration: hidden entries and `.gitignore`d paths are skipped, inside a
/// git checkout or not; global git excludes are not read, so results do not depend on the
/// machine; links are not followed.
fn walker(dir: &Path) -> WalkBuilder {
    let mut builder = WalkBuilder::new(dir);
    builder
        .hidden(true)
        .git_ignore(true)
        .git_exclude(true)
        .git_global(false)
        .ignore(false)
        .parents(true)
        .require_git(false)
        .follow_links(false);
    builder
}

/// Every file a run reads to decide what to check, besides the declaration files: the config
/// and each ignore file that applies to `files` (in their directories and every directory
/// above them).
pub fn settings_files<'a>(
    files: impl IntoIterator<Item = &'a Path>,
    config_file: Option<&Path>,
) -> Vec<PathBuf> {
    let mut directories = std::collections::BTreeSet::new();
    for file in files {
        for dir in file.ancestors().skip(1) {
            if !directories.insert(dir.to_path_buf()) {
                break;
            }
        }
    }
    let ignore_files = directories.into_iter().flat_map(|dir| {
        IGNORE_FILES
            .iter()
            .map(move |name| dir.join(name))
            .filter(|file| file.is_file())
    });
    config_file
        .map(Path::to_path_buf)
        .into_iter()
        .chain(ignore_files)
        .collect()
}

fn is_declaration_name(path: &Path) -> bool {
    // Bytes, not text: a name that is not UTF-8 still declares, and is still checked.
    let Some(name) = path.file_name().map(|name| name.as_encoded_bytes()) else {
        return false;
    };
    // Every ipam-lint.toml is a config, not declarations: a nested one belongs to a sub-project.
    name != CONFIG_FILE_NAME.as_bytes() && Format::of_name(name).is_some()
}

/// A path segment as text. Bytes that are not UTF-8 are written `\xNN`, so two names that
/// differ only there stay two names, and the user sees which byte it is.
fn segment_name(name: &std::ffi::OsStr) -> String {
    match name.to_str() {
        Some(text) => text.to_owned(),
        None => segment_names(name.as_encoded_bytes()),
    }
}

/// Path bytes as [`segment_name`] writes each segment (`/` is the same byte either way).
pub(crate) fn segment_names(bytes: &[u8]) -> String {
    let mut text = String::new();
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        for byte in chunk.invalid() {
            text.push_str(&format!("\\x{byte:02X}"));
        }
    }
    text
}

/// The root-relative name with `/` separators; a path outside the root keeps its full form.
pub fn relative_name(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    let segments: Vec<String> = relative
        .components()
        .filter_map(|component| match component {
            Component::Normal(name) => Some(segment_name(name)),
            Component::ParentDir => Some("..".to_owned()),
            Component::RootDir => Some(String::new()),
            _ => None,
        })
        .collect();
    segments.join("/")
}
