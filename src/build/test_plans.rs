//! Small random plans for the model's property tests, read and built as a user's plan is.

use std::fmt::Write;

use crate::model::Model;
use crate::model::ip::{Addr, Prefix};

/// A model of one YAML plan, for the model's own tests: it must read without a finding.
pub fn model_of(yaml: &str) -> Model {
    let mut findings = Vec::new();
    let (file, document) = crate::load::load_bytes(
        0,
        "plan.yaml",
        std::path::Path::new("plan.yaml"),
        yaml.as_bytes().to_vec(),
        false,
        &mut findings,
    );
    let mut builder = super::ModelBuilder::default();
    builder.add_file(file, document);
    assert!(findings.is_empty(), "{findings:?}\n{yaml}");
    builder.finish()
}

const SPACES: [&str; 2] = ["fabric", "lab"];
const TYPES: [&str; 4] = ["static", "dhcp", "vip", "reserved"];

pub fn host(n: u32) -> Addr {
    Addr::parse(&format!("10.0.{}.{}", n / 256 % 16, n % 256)).unwrap()
}

/// A small plan of two spaces: nested and repeated blocks and subnets, gateways in and
/// out of their subnets, pools, and runs of addresses with repeats.
pub fn plan(
    blocks: &[(usize, u8, u32)],
    subnets: &[(usize, u8, u32, u32)],
    ranges: &[(usize, u32, u32, usize)],
    runs: &[(usize, u32, u32)],
) -> String {
    let mut yaml = String::from("spaces:\n  - { name: lab, kind: fabric }\nblocks:\n");
    for &(space, len, at) in blocks {
        let cidr = Prefix::of(host(at), len);
        writeln!(yaml, "  - {{ cidr: {cidr}, space: {} }}", SPACES[space]).unwrap();
    }
    yaml.push_str("subnets:\n");
    for &(space, len, at, gateway) in subnets {
        let cidr = Prefix::of(host(at), len);
        let gateway = host(gateway);
        writeln!(
            yaml,
            "  - {{ cidr: {cidr}, space: {}, gateway: {gateway} }}",
            SPACES[space]
        )
        .unwrap();
    }
    yaml.push_str("ranges:\n");
    for &(space, start, width, kind) in ranges {
        let (start, end) = (host(start), host((start + width).min(4095)));
        writeln!(
            yaml,
            "  - {{ start: {start}, end: {end}, space: {}, type: {} }}",
            SPACES[space], TYPES[kind]
        )
        .unwrap();
    }
    yaml.push_str("addresses:\n");
    for &(space, start, count) in runs {
        for n in start..(start + count).min(4096) {
            writeln!(yaml, "  - {{ ip: {}, space: {} }}", host(n), SPACES[space]).unwrap();
        }
    }
    yaml
}
