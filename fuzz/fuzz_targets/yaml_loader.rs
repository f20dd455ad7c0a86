//! Arbitrary bytes as a YAML declaration file: loaded without a panic, findings inside the
//! file, and the fast reader agreeing with the full YAML parser wherever it accepts the text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    ipam_lint_fuzz::load("plan.yaml", data);
    if let Ok(text) = std::str::from_utf8(data)
        && let Err(difference) = ipam_lint::load::yaml_readers_agree(text)
    {
        panic!("{difference}");
    }
});
