//! Rendering findings. Every format reads the same `Outcome`.

mod excerpt;
pub mod github;
pub mod human;
pub mod json;
pub mod sarif;
