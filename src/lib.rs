//! ipam-lint: lint IP address plans kept as YAML and TOML.
//!
//! Data flows one way, each step knowing only those below it (ARCHITECTURE.md draws it):
//! `load` (files to typed, spanned declarations: all file IO is there) → `build` (the
//! documents into one `model`, names resolved, nothing reported) → `rules` (findings) →
//! `report` (human, json, sarif, github). `check` runs it all; `rule`, `finding` and
//! `source` are the vocabulary at the bottom that every step speaks.

// A library writes to what its caller hands it, never to the process's streams.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod build;
pub mod check;
pub mod finding;
pub mod load;
pub mod memory;
pub mod model;
pub mod report;
pub mod review;
pub mod rule;
pub mod rules;
pub mod schema;
pub mod source;
pub mod suggest;
pub mod suppress;
pub mod views;
