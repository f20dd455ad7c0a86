//! Everything that touches the file system or a parser: finding the declaration files,
//! reading them, and decoding them into typed, spanned declarations. Loading never fails
//! as a whole: a broken file becomes a `syntax` or `schema` finding and the rest is read.

pub mod config;
pub mod decode;
pub mod document;
pub mod formats;
pub mod git;
pub mod recognize;
mod syntax_help;
pub mod tree;
pub mod walk;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::SystemTime;

use crate::finding::Finding;
use crate::source::{FileId, SourceFile, Span};
use crate::suppress::{MARKER, Suppressions};

use document::Document;
use formats::Format;
use formats::yaml;
use tree::{Node, SyntaxError, Value};
use walk::Discovery;

/// What reading one file gave: the file, its declarations if it could be read, and the
/// findings of reading it.
pub struct LoadedFile {
    pub file: SourceFile,
    pub document: Option<Document>,
    pub findings: Vec<Finding>,
}

/// Loads every discovered file in parallel and hands each to `each` on the calling thread,
/// in canonical order whatever the order they were read in. A file's declarations can be
/// stored as soon as it is handed over, so a plan is never held twice, as documents and
/// as a model.
pub fn load_in_order(discovery: &Discovery, mut each: impl FnMut(LoadedFile)) {
    let plans_only = discovery.config.skips_non_plan_files();
    let paths: Vec<(&String, &std::path::PathBuf)> = discovery.files.iter().collect();
    let next = AtomicUsize::new(0);
    let (sender, receiver) = mpsc::channel::<(usize, LoadedFile)>();
    rayon::in_place_scope(|scope| {
        // Each worker takes the next file in order, so files finish roughly in order and
        // few wait to be handed over.
        for _ in 0..rayon::current_num_threads() {
            let sender = sender.clone();
            let (next, paths) = (&next, &paths);
            scope.spawn(move |_| {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some((name, path)) = paths.get(index) else {
                        break;
                    };
                    let mut findings = Vec::new();
                    let (file, document) = match &discovery.stdin {
                        Some((stdin_name, bytes)) if stdin_name == *name => {
                            load_held(index as FileId, name, path, bytes, &mut findings)
                        }
                        _ => load_file(index as FileId, name, path, plans_only, &mut findings),
                    };
                    let loaded = LoadedFile {
                        file,
                        document,
                        findings,
                    };
                    if sender.send((index, loaded)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(sender);
        let mut waiting: BTreeMap<usize, LoadedFile> = BTreeMap::new();
        let mut handed_over = 0;
        for (index, loaded) in receiver {
            waiting.insert(index, loaded);
            while let Some(loaded) = waiting.remove(&handed_over) {
                each(loaded);
                handed_over += 1;
            }
        }
    });
}

/// Loads a text that cannot be read again (standard input's) as the file `name`: its text
/// is held, for the findings the checks may point into it. Always a plan file: it was
/// given as one.
fn load_held(
    id: FileId,
    name: &str,
    path: &Path,
    bytes: &[u8],
    findings: &mut Vec<Finding>,
) -> (SourceFile, Option<Document>) {
    let (mut file, document) = load_bytes(id, name, path, bytes.to_vec(), false, findings);
    if !file.has_text() {
        file.set_text(String::from_utf8_lossy(bytes).into_owned());
    }
    (file, document)
}

/// Parses and decodes a file of the plan at another revision, read from git (see [`git`]),
/// or says why it could not be read. It is named as the working tree names it, under
/// `root`, though it is never read from there. `plans_only` as for [`load_bytes`].
pub fn load_blob(
    id: FileId,
    root: &Path,
    name: &str,
    bytes: Result<Vec<u8>, String>,
    plans_only: bool,
) -> LoadedFile {
    let path = root.join(name);
    let mut findings = Vec::new();
    let (file, document) = match bytes {
        Ok(bytes) => load_bytes(id, name, &path, bytes, plans_only, &mut findings),
        Err(error) => {
            findings.push(syntax_finding(
                id,
                0,
                format!("cannot read the file: {error}"),
            ));
            (SourceFile::new(name.to_owned(), path, String::new()), None)
        }
    };
    LoadedFile {
        file,
        document,
        findings,
    }
}

/// Checks that the fast YAML reader and the full parser agree on `text` wherever the fast
/// one accepts it, as the loader relies on. Not part of the tool: the fuzz targets call it.
#[doc(hidden)]
pub fn yaml_readers_agree(text: &str) -> Result<(), String> {
    match yaml::both_readers(text) {
        Some((fast, full)) if Ok(&fast) != full.as_ref() => Err(format!(
            "the fast reader gives {fast:?}, the full parser {full:?}"
        )),
        _ => Ok(()),
    }
}

/// Reads, parses and decodes one file. Text that cannot be used becomes a `syntax` finding.
pub fn load_file(
    file_id: FileId,
    name: &str,
    path: &Path,
    plans_only: bool,
    findings: &mut Vec<Finding>,
) -> (SourceFile, Option<Document>) {
    match read_bounded(path) {
        Ok((bytes, modified)) => {
            let (mut file, document) = load_bytes(file_id, name, path, bytes, plans_only, findings);
            file.modified = modified;
            (file, document)
        }
        Err(error) => {
            findings.push(syntax_finding(
                file_id,
                0,
                format!("cannot read the file: {error}"),
            ));
            (
                SourceFile::new(name.to_owned(), path.to_owned(), String::new()),
                None,
            )
        }
    }
}

/// Parses and decodes the bytes of a file named `name` (its extension picks the parser),
/// read from `path`. What [`load_file`] does once the bytes are read; the fuzz targets feed
/// it directly. With `plans_only`, a file that is some other tool's YAML or TOML
/// ([`recognize`]) is marked as such, with no declarations and no findings.
pub fn load_bytes(
    file_id: FileId,
    name: &str,
    path: &Path,
    bytes: Vec<u8>,
    plans_only: bool,
    findings: &mut Vec<Finding>,
) -> (SourceFile, Option<Document>) {
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let offset = error.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(error.as_bytes()).into_owned();
            findings.push(syntax_finding(
                file_id,
                offset,
                format!("the file is not valid UTF-8 (invalid byte at offset {offset})"),
            ));
            return (
                SourceFile::new(name.to_owned(), path.to_owned(), lossy),
                None,
            );
        }
    };
    // Discovery hands over only names of a known format.
    let format = Format::of_name(name.as_bytes()).unwrap_or(Format::Yaml);
    let parsed = format.parse(&text);
    if plans_only && !is_plan_text(format, &text, &parsed) {
        let mut file = SourceFile::without_text(name.to_owned(), path.to_owned(), &text);
        file.not_a_plan = true;
        return (file, None);
    }
    // Suppressions are comments, which only a file that parses can tell from its values.
    let suppressions = match &parsed {
        Ok(root) if text.contains(MARKER) => {
            Suppressions::of(&text, format.comments(), &value_spans(root))
        }
        _ => Suppressions::default(),
    };
    let document = match parsed {
        Ok(root) => decode::decode_document(file_id, &root, findings),
        Err(error) => {
            findings.push(explained_syntax_finding(file_id, format, &text, &error));
            None
        }
    };
    // The text is held for the findings of reading it. Without any, it is not: a million
    // declarations' worth of line indexes would be built for nothing, and the file is read
    // again if a finding of the checks points into it.
    let mut file = if findings.is_empty() {
        SourceFile::without_text(name.to_owned(), path.to_owned(), &text)
    } else {
        SourceFile::new(name.to_owned(), path.to_owned(), text)
    };
    file.suppressions = suppressions;
    (file, document)
}

/// Whether a file is a plan's, or may be. Of a file that does not parse, only two faults
/// are other tools' YAML rather than a plan's: a second document (a Kubernetes manifest)
/// and a template's placeholder (a Helm chart's `{{ .Values.x }}`). Such a file is judged
/// by its lines before the fault, and a template with none is not a plan. Any other fault
/// is reported, whatever the file holds.
fn is_plan_text(format: Format, text: &str, parsed: &Result<Node<'_>, SyntaxError>) -> bool {
    let error = match parsed {
        Ok(root) => return recognize::is_plan(root),
        Err(error) => error,
    };
    let offset = error.offset.min(text.len());
    let second_document = text.as_bytes()[offset..].starts_with(b"---");
    let template = recognize::has_placeholder(text);
    if !(second_document || template) {
        return true;
    }
    match format.parse(&text[..syntax_help::line_start(text, offset)]) {
        Ok(before) if before.value != Value::Null => recognize::is_plan(&before),
        _ => !template,
    }
}

/// The spans of every scalar of a tree, keys included, sorted by start.
fn value_spans(root: &Node<'_>) -> Vec<std::ops::Range<usize>> {
    fn visit(node: &Node<'_>, spans: &mut Vec<std::ops::Range<usize>>) {
        match &node.value {
            Value::Seq(items) => items.iter().for_each(|item| visit(item, spans)),
            Value::Map(entries) => {
                for (key, value) in entries {
                    visit(key, spans);
                    visit(value, spans);
                }
            }
            _ => spans.push(node.span.clone()),
        }
    }
    let mut spans = Vec::new();
    visit(root, &mut spans);
    spans.sort_unstable_by_key(|span| span.start);
    spans
}

/// The largest declaration file read. Spans are 32-bit offsets, and a plan split into files
/// of a sane size never comes near this; a file beyond it is refused unread.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Opens a file that should be a regular file, without blocking (a named pipe would wait for
/// a writer) and, unless `follow_link`, without following a link, and checks what it is once
/// open, so a file replaced since it was found cannot slip through.
pub(crate) fn open_regular(
    path: &Path,
    follow_link: bool,
) -> std::io::Result<(std::fs::File, std::fs::Metadata)> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let no_follow = if follow_link { 0 } else { libc::O_NOFOLLOW };
        options.custom_flags(libc::O_NONBLOCK | no_follow);
    }
    let file = options.open(path).map_err(|error| {
        #[cfg(unix)]
        if !follow_link && error.raw_os_error() == Some(libc::ELOOP) {
            return std::io::Error::other("it became a symbolic link while it was being checked");
        }
        error
    })?;
    let metadata = file.metadata()?;
    if !metadata.is_file() {
        return Err(std::io::Error::other(
            "it is no longer a regular file (it changed while it was being checked)",
        ));
    }
    Ok((file, metadata))
}

/// What names one file whatever the path or link to it: its device and inode (elsewhere
/// than Unix, its canonical path).
#[derive(Debug, PartialEq, Eq)]
pub struct FileIdentity(
    #[cfg(unix)] (u64, u64),
    #[cfg(not(unix))] std::path::PathBuf,
);

/// The identity of the file `path` names, following links; none if there is no such file.
pub fn file_identity(path: &Path) -> Option<FileIdentity> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let metadata = std::fs::metadata(path).ok()?;
        Some(FileIdentity((metadata.dev(), metadata.ino())))
    }
    #[cfg(not(unix))]
    {
        std::fs::canonicalize(path).ok().map(FileIdentity)
    }
}

/// Reads a declaration file that the walk found to be a regular file, as it is now
/// ([`open_regular`]): its bytes and the time it was last changed.
fn read_bounded(path: &Path) -> std::io::Result<(Vec<u8>, Option<SystemTime>)> {
    let (file, metadata) = open_regular(path, false)?;
    let size = metadata.len();
    if size > MAX_FILE_BYTES {
        return Err(std::io::Error::other(format!(
            "it is {} MiB, over the limit of {} MiB for one declaration file",
            size.div_ceil(1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        )));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    // Read one byte past the limit: a file that grew since it was opened is still refused.
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(std::io::Error::other(format!(
            "it is over the limit of {} MiB for one declaration file",
            MAX_FILE_BYTES / (1024 * 1024)
        )));
    }
    Ok((bytes, metadata.modified().ok()))
}

/// Reads a file's text again to show its lines, with the same checks as the first read. A
/// file that changed in between cannot be shown faithfully: that is an error, which asks to
/// run again.
pub fn read_again(file: &mut SourceFile) -> Result<(), String> {
    if file.has_text() {
        return Ok(());
    }
    let bytes = read_unchanged(file)?;
    let text = String::from_utf8(bytes).map_err(|_| changed(file))?;
    file.set_text(text);
    Ok(())
}

/// A file's bytes read again, with the checks of the first read: the same length and the
/// same modification time, else the file changed in between.
fn read_unchanged(file: &SourceFile) -> Result<Vec<u8>, String> {
    let (bytes, modified) = read_bounded(&file.location).map_err(|_| changed(file))?;
    if bytes.len() != file.len || modified != file.modified {
        return Err(changed(file));
    }
    Ok(bytes)
}

fn changed(file: &SourceFile) -> String {
    format!(
        "{} changed while it was being checked; run again",
        file.path
    )
}

/// The 1-based line of each of `offsets` (ascending) in `file`. A file whose text is not
/// held is read again with the checks of [`read_again`], and its text is not kept: the
/// lines of a whole plan's declarations cost one pass over each file, one file at a time.
pub fn lines_of(file: &SourceFile, offsets: &[u32]) -> Result<Vec<u32>, String> {
    if file.has_text() {
        return Ok((offsets.iter())
            .map(|&offset| file.position(offset).line as u32)
            .collect());
    }
    let bytes = read_unchanged(file)?;
    Ok(lines_in(&bytes, offsets))
}

/// The 1-based line of each of `offsets` (ascending) in `bytes`.
pub fn lines_in(bytes: &[u8], offsets: &[u32]) -> Vec<u32> {
    let (mut line, mut counted) = (1u32, 0usize);
    let mut lines = Vec::with_capacity(offsets.len());
    for &offset in offsets {
        let offset = (offset as usize).min(bytes.len());
        if offset > counted {
            line += bytes[counted..offset]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u32;
            counted = offset;
        }
        lines.push(line);
    }
    lines
}

/// A parser's fault, at the character at fault where a common slip explains it
/// ([`syntax_help`]), with the place the parser gave up as related.
fn explained_syntax_finding(
    file: FileId,
    format: Format,
    text: &str,
    error: &SyntaxError,
) -> Finding {
    let explained = syntax_help::explain(format, text, error);
    let span = |range: std::ops::Range<usize>| Span {
        file,
        start: range.start as u32,
        end: range.end as u32,
    };
    let mut finding = crate::rules::input::syntax(span(explained.at), explained.message);
    if let Some(offset) = explained.noticed_at {
        finding = finding.related(span(offset..offset), "the parser stopped here");
    }
    match explained.help {
        Some(help) => finding.help(help),
        None => finding,
    }
}

fn syntax_finding(file: FileId, offset: usize, message: String) -> Finding {
    let at = Span {
        file,
        start: offset as u32,
        end: offset as u32,
    };
    crate::rules::input::syntax(at, message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rule::Rule;

    #[test]
    fn a_file_over_the_size_limit_is_refused_unread() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("huge.yaml");
        // Sparse: no disk is used, and the file is never read.
        std::fs::File::create(&path)
            .unwrap()
            .set_len(MAX_FILE_BYTES + 1)
            .unwrap();
        let mut findings = Vec::new();
        let (_, document) = load_file(0, "huge.yaml", &path, true, &mut findings);
        assert!(document.is_none());
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].rule, Rule::Syntax);
        assert!(
            findings[0].message.contains("over the limit of 256 MiB"),
            "{}",
            findings[0].message
        );
    }

    /// Loads `path` as a plan file that the checks found a fault in: its text is not held.
    fn loaded(path: &Path) -> SourceFile {
        let mut findings = Vec::new();
        let (file, document) = load_file(0, "a.yaml", path, true, &mut findings);
        assert!(document.is_some() && findings.is_empty(), "{findings:?}");
        assert!(!file.has_text());
        file
    }

    #[test]
    fn a_text_not_held_is_read_again_unless_the_file_changed() {
        let dir = tempfile::tempdir().unwrap();
        let location = dir.path().join("a.yaml");
        std::fs::write(&location, "subnets: []\n").unwrap();
        let mut file = loaded(&location);
        read_again(&mut file).unwrap();
        assert_eq!(file.position(9).column, 10);

        // Shorter, or the same length but written since.
        for changed in ["{}\n", "blocks:  []\n"] {
            let mut file = loaded(&location);
            std::thread::sleep(std::time::Duration::from_millis(10));
            std::fs::write(&location, changed).unwrap();
            let error = read_again(&mut file).unwrap_err();
            assert!(
                error.contains("a.yaml changed while it was being checked"),
                "{error}"
            );
            std::fs::write(&location, "subnets: []\n").unwrap();
        }
    }

    /// Runs `read` on a thread and fails if it does not return within seconds: a read that
    /// blocks on a pipe would hang the run.
    #[cfg(unix)]
    fn promptly<T: Send + 'static>(read: impl FnOnce() -> T + Send + 'static) -> T {
        let (done, result) = mpsc::channel();
        std::thread::spawn(move || done.send(read()));
        result
            .recv_timeout(std::time::Duration::from_secs(20))
            .expect("the read blocked")
    }

    #[cfg(unix)]
    fn make_fifo(path: &Path) {
        let made = std::process::Command::new("mkfifo")
            .arg(path)
            .status()
            .unwrap();
        assert!(made.success());
    }

    /// A file found by the walk that became a named pipe before it was read is a finding,
    /// not a read that waits forever for a writer.
    #[cfg(unix)]
    #[test]
    fn a_file_that_became_a_named_pipe_is_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.yaml");
        make_fifo(&path);
        let findings = promptly(move || {
            let mut findings = Vec::new();
            load_file(0, "a.yaml", &path, true, &mut findings);
            findings
        });
        assert_eq!(findings.len(), 1);
        assert_eq!(
            findings[0].message,
            "cannot read the file: it is no longer a regular file (it changed while it was \
             being checked)"
        );
    }

    /// Read again to be shown, a file that became a pipe or a link is an error too.
    #[cfg(unix)]
    #[test]
    fn a_file_replaced_before_it_is_read_again_is_an_error_not_a_hang() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.yaml");
        let other = dir.path().join("other.yaml");
        std::fs::write(&path, "subnets: []\n").unwrap();
        std::fs::write(&other, "subnets: []\n").unwrap();
        let file = loaded(&path);
        std::fs::remove_file(&path).unwrap();
        make_fifo(&path);
        let error = promptly(move || {
            let mut file = file;
            read_again(&mut file).unwrap_err()
        });
        assert!(
            error.contains("changed while it was being checked"),
            "{error}"
        );

        std::fs::remove_file(&path).unwrap();
        std::fs::write(&path, "subnets: []\n").unwrap();
        let mut file = loaded(&path);
        std::fs::remove_file(&path).unwrap();
        std::os::unix::fs::symlink(&other, &path).unwrap();
        assert!(read_again(&mut file).is_err());
        let mut findings = Vec::new();
        load_file(0, "a.yaml", &path, true, &mut findings);
        assert_eq!(
            findings[0].message,
            "cannot read the file: it became a symbolic link while it was being checked"
        );
    }

    #[test]
    fn files_are_handed_over_in_canonical_order_whatever_order_they_are_read_in() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("ipam-lint.toml"), "").unwrap();
        // Large and small files alternate, so that the workers finish out of order.
        for i in 0..40 {
            let addresses = if i % 2 == 0 { 2000 } else { 1 };
            let mut text = String::from("addresses:\n");
            for host in 0..addresses {
                text.push_str(&format!(
                    "  - {{ ip: 10.{i}.{}.{} }}\n",
                    host / 256,
                    host % 256
                ));
            }
            std::fs::write(dir.path().join(format!("f{i:02}.yaml")), text).unwrap();
        }
        let discovery = walk::discover(&[dir.path().to_path_buf()], None).unwrap();
        let mut handed_over = Vec::new();
        load_in_order(&discovery, |loaded| {
            let document = loaded.document.expect("every file is valid");
            handed_over.push((document.file, loaded.file.path, document.declarations));
        });
        let names: Vec<String> = discovery.files.keys().cloned().collect();
        assert_eq!(handed_over.len(), 40);
        for (index, (file, path, declarations)) in handed_over.into_iter().enumerate() {
            assert_eq!(file as usize, index);
            assert_eq!(path, names[index]);
            assert_eq!(declarations, if index % 2 == 0 { 2000 } else { 1 });
        }
    }
}
