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

use std::io::Read;
use std::path::Path;

use rayon::prelude::*;

use crate::finding::Finding;
use crate::rules::Rule;
use crate::source::{FileId, SourceFile, Span};

use document::Document;
use tree::SyntaxError;
use walk::Discovery;

pub struct Loaded {
    pub files: Vec<SourceFile>,
    /// One per file that could be read, in canonical order.
    pub documents: Vec<Document>,
    pub findings: Vec<Finding>,
}

/// Loads every discovered file, in parallel; the result is in canonical order whatever the
/// order the files were read in.
pub fn load(discovery: &Discovery) -> Loaded {
    let paths: Vec<(&String, &std::path::PathBuf)> = discovery.files.iter().collect();
    let per_file: Vec<(SourceFile, Option<Document>, Vec<Finding>)> = paths
        .par_iter()
        .enumerate()
        .map(|(file_id, (name, path))| {
            let mut findings = Vec::new();
            let (file, document) = load_file(file_id as FileId, name, path, &mut findings);
            (file, document, findings)
        })
        .collect();
    let mut loaded = Loaded {
        files: Vec::with_capacity(per_file.len()),
        documents: Vec::with_capacity(per_file.len()),
        findings: Vec::new(),
    };
    for (file, document, findings) in per_file {
        loaded.files.push(file);
        loaded.documents.extend(document);
        loaded.findings.extend(findings);
    }
    loaded
}

/// Reads, parses and decodes one file. Text that cannot be used becomes a `syntax` finding.
pub fn load_file(
    file_id: FileId,
    name: &str,
    path: &Path,
    findings: &mut Vec<Finding>,
) -> (SourceFile, Option<Document>) {
    let bytes = match read_bounded(path) {
        Ok(bytes) => bytes,
        Err(error) => {
            findings.push(syntax_finding(
                file_id,
                0,
                format!("cannot read the file: {error}"),
            ));
            return (
                SourceFile::new(name.to_owned(), path.to_owned(), String::new()),
                None,
            );
        }
    };
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
    let mut file = SourceFile::new(name.to_owned(), path.to_owned(), text);
    if findings.is_empty() {
        // Read again only if a finding of the checks points into it.
        file.forget_text();
    }
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
}
