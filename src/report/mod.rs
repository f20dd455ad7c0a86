//! Rendering findings. Every format reads the same `Outcome`.

pub mod escape;
mod excerpt;
pub mod github;
pub mod human;
pub mod json;
pub mod sarif;

/// A report written to memory, as one string: for tests and callers that want the text.
fn written(write: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> String {
    let mut out = Vec::new();
    write(&mut out).expect("writing to memory does not fail");
    String::from_utf8(out).expect("every report is UTF-8 text")
}
