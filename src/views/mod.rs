//! The commands that read the model without producing findings: `free` (and `show`). They
//! read the plan exactly as `check` does and answer from the model's read API.

pub mod free;
pub mod show;
