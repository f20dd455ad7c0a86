//! Arbitrary bytes as a TOML declaration file: loaded without a panic, findings inside it.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    ipam_lint_fuzz::load("plan.toml", data);
});
