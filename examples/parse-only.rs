//! The physical floor of a check: find, read and deserialize every declaration file of a
//! plan, exactly as `ipam-lint check` does, and build no model. The benchmark compares a full
//! check against this.
//!
//!     cargo run --release --example parse-only -- PLAN

use std::path::PathBuf;
use std::process::ExitCode;

use ipam_lint::load::{load, walk::discover};

fn main() -> ExitCode {
    let paths: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let discovery = match discover(&paths, None) {
        Ok(discovery) => discovery,
        Err(error) => {
            eprintln!("parse-only: {}", error.0);
            return ExitCode::from(2);
        }
    };
    let loaded = load(&discovery);
    let declarations: usize = loaded.documents.iter().map(|d| d.declarations).sum();
    println!(
        "{} files, {} declarations, {} findings while reading",
        loaded.files.len(),
        declarations,
        loaded.findings.len()
    );
    // As `check` does: exit without freeing what was read, piece by piece.
    std::mem::forget(loaded);
    ExitCode::SUCCESS
}
