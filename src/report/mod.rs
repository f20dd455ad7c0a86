//! Rendering findings. Every format reads the same `Outcome`.

pub mod human;
pub mod json;
