//! What the fuzz targets check of every result, whatever the input: besides not panicking,
//! every finding points inside a file that exists (`ipam_lint::finding::check_locations`).

use std::path::Path;

use ipam_lint::finding::{Finding, check_locations};
use ipam_lint::load::load_bytes;
use ipam_lint::source::SourceFile;

/// Loads `data` as a file named `name`, as the tool loads a file it has read, and checks
/// the findings of loading it.
pub fn load(name: &str, data: &[u8]) {
    let mut findings = Vec::new();
    let (file, _document) = load_bytes(0, name, Path::new(name), data.to_vec(), &mut findings);
    assert_findings_within(std::slice::from_ref(&file), &findings);
}

pub fn assert_findings_within(files: &[SourceFile], findings: &[Finding]) {
    if let Err(fault) = check_locations(files, findings) {
        panic!("{fault}");
    }
}
