//! ipam-lint: lint IP address plans kept as YAML and TOML.
//!
//! Data flows one way: `load` (files to typed, spanned declarations) → `model` (the
//! validated whole) → `rules` (findings) → `report` (human, json). `check` runs it all.

pub mod build;
pub mod check;
pub mod finding;
pub mod load;
pub mod memory;
pub mod model;
pub mod report;
pub mod rule;
pub mod rules;
pub mod schema;
pub mod source;
pub mod suggest;
pub mod suppress;
