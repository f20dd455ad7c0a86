//! Everything that touches the file system or a parser: finding the declaration files,
//! reading them, and decoding them into typed, spanned declarations. Loading never fails
//! as a whole: a broken file becomes a `syntax` or `schema` finding and the rest is read.

pub mod config;
pub mod decode;
pub mod document;
mod toml;
pub mod tree;
pub mod walk;
mod yaml;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use crate::finding::Finding;
use crate::rules::Rule;
use crate::source::{FileId, SourceFile, Span};

use document::Document;
use tree::SyntaxError;
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
                    let (file, document) = load_file(index as FileId, name, path, &mut findings);
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
    findings: &mut Vec<Finding>,
) -> (SourceFile, Option<Document>) {
    match read_bounded(path) {
        Ok(bytes) => load_bytes(file_id, name, path, bytes, findings),
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
/// it directly.
pub fn load_bytes(
    file_id: FileId,
    name: &str,
    path: &Path,
    bytes: Vec<u8>,
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
    let parsed = if name.ends_with(".toml") {
        toml::parse(&text)
    } else {
        yaml::parse(&text)
    };
    let document = match parsed {
        Ok(root) => decode::decode_document(file_id, &root, findings),
        Err(SyntaxError { message, offset }) => {
            findings.push(syntax_finding(file_id, offset, message));
            None
        }
    };
    // The text is held for the findings of reading it. Without any, it is not: a million
    // declarations' worth of line indexes would be built for nothing, and the file is read
    // again if a finding of the checks points into it.
    let file = if findings.is_empty() {
        SourceFile::without_text(name.to_owned(), path.to_owned(), &text)
    } else {
        SourceFile::new(name.to_owned(), path.to_owned(), text)
    };
    (file, document)
}

/// The largest declaration file read. Spans are 32-bit offsets, and a plan split into files
/// of a sane size never comes near this; a file beyond it is refused unread.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

fn read_bounded(path: &Path) -> std::io::Result<Vec<u8>> {
    let size = std::fs::metadata(path)?.len();
    if size > MAX_FILE_BYTES {
        return Err(std::io::Error::other(format!(
            "it is {} MiB, over the limit of {} MiB for one declaration file",
            size.div_ceil(1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        )));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    // Read one byte past the limit: a file that grew since `metadata` is still refused.
    std::fs::File::open(path)?
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(std::io::Error::other(format!(
            "it is over the limit of {} MiB for one declaration file",
            MAX_FILE_BYTES / (1024 * 1024)
        )));
    }
    Ok(bytes)
}

fn syntax_finding(file: FileId, offset: usize, message: String) -> Finding {
    Finding::new(
        Rule::Syntax,
        Span {
            file,
            start: offset as u32,
            end: offset as u32,
        },
        message,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let (_, document) = load_file(0, "huge.yaml", &path, &mut findings);
        assert!(document.is_none());
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].rule, Rule::Syntax);
        assert!(
            findings[0].message.contains("over the limit of 256 MiB"),
            "{}",
            findings[0].message
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
