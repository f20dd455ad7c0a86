//! Rendering findings. Every format reads the same `Outcome`.

pub mod github;
pub mod human;
pub mod json;
pub mod sarif;
