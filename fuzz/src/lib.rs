//! What the fuzz targets share: the plan an input stands for, written to a scratch
//! directory, and what they check of every result, whatever the input: besides not
//! panicking, every finding points inside a file that exists
//! (`ipam_lint::finding::check_locations`).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use ipam_lint::finding::{Finding, check_locations};
use ipam_lint::load::load_bytes;
use ipam_lint::source::SourceFile;

/// Loads `data` as a file named `name`, as the tool loads a file it has read, and checks
/// the findings of loading it.
pub fn load(name: &str, data: &[u8]) {
    let mut findings = Vec::new();
    let (file, _document) = load_bytes(0, name, Path::new(name), data.to_vec(), false, &mut findings);
    assert_findings_within(std::slice::from_ref(&file), &findings);
}

pub fn assert_findings_within(files: &[SourceFile], findings: &[Finding]) {
    if let Err(fault) = check_locations(files, findings) {
        panic!("{fault}");
    }
}

/// One scratch directory per fuzzing process, emptied before each input.
fn scratch() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let base = Path::new("/dev/shm");
        let base = if base.is_dir() {
            base.to_path_buf()
        } else {
            std::env::temp_dir()
        };
        base.join(format!("ipam-lint-fuzz-{}", std::process::id()))
    })
}

/// Writes the plan `data` stands for and gives its directory: up to eight files, separated
/// by NUL bytes. A file starting `#!config` is the plan's `ipam-lint.toml`; one starting
/// `#!toml` is TOML, any other YAML. A first line `#!name BYTES` names the file (any bytes
/// but `/`), so that names too can be anything.
pub fn write_plan(data: &[u8]) -> &'static Path {
    let dir = scratch();
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).expect("the scratch directory can be made");
    for (index, body) in data.split(|&byte| byte == 0).take(8).enumerate() {
        let mut stem = format!("f{index}").into_bytes();
        let mut body = body;
        if let Some(rest) = body.strip_prefix(b"#!name ") {
            let end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
            stem = rest[..end.min(200)].iter().map(|&b| if b == b'/' { b'_' } else { b }).collect();
            stem.extend(format!("-{index}").bytes());
            body = &rest[end..];
        }
        let name = if body.starts_with(b"#!config") {
            b"ipam-lint.toml".to_vec()
        } else if body.starts_with(b"#!toml") {
            [stem.as_slice(), b".toml"].concat()
        } else {
            [stem.as_slice(), b".yaml"].concat()
        };
        #[cfg(unix)]
        let name = {
            use std::os::unix::ffi::OsStrExt;
            std::ffi::OsStr::from_bytes(&name).to_owned()
        };
        #[cfg(not(unix))]
        let name = String::from_utf8_lossy(&name).into_owned();
        std::fs::write(dir.join(name), body).expect("the scratch file can be written");
    }
    dir
}
