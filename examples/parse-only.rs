//! The physical floor of a check: find, read and deserialize every declaration file of a
//! plan, exactly as `ipam-lint check` does, and build no model. The benchmark compares a full
//! check against this.
//!
//!     cargo run --release --example parse-only -- PLAN

use std::path::PathBuf;
use std::process::ExitCode;

use ipam_lint::load::{load_in_order, walk::discover};

fn main() -> ExitCode {
    let paths: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    // The same allocator settings as a check, so the two compare like for like.
    ipam_lint::memory::configure();
    let discovery = match discover(&paths, None) {
        Ok(discovery) => discovery,
        Err(error) => {
            eprintln!("parse-only: {}", error.0);
            return ExitCode::from(2);
        }
    };
    let (mut files, mut declarations, mut findings) = (0, 0, 0);
    load_in_order(&discovery, |loaded| {
        files += 1;
        declarations += loaded.document.as_ref().map_or(0, |d| d.declarations);
        findings += loaded.findings.len();
    });
    println!("{files} files, {declarations} declarations, {findings} findings while reading");
    ExitCode::SUCCESS
}
