//! Writes a realistic address plan of a given size, for benchmarks.
//!
//!     cargo run --release --example gen-plan -- OUT --addresses 1000000
//!     cargo run --release --example gen-plan -- OUT --shape one-big-subnet --addresses 1000000
//!     cargo run --release --example gen-plan -- OUT --shape overlapping-ranges --ranges 100000
//!
//! The realistic shape: a root file of blocks, four datacenters each managed by several VMM
//! instances (fabric subnets with a static and a DHCP pool, 20 addresses each, one subnet in
//! five IPv6), and tenants with virtual spaces that reuse the same customer addresses; about
//! one file in ten is TOML. A handful of faults is injected. The output is deterministic.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use clap::{Parser, ValueEnum};

#[derive(Parser)]
struct Args {
    /// Directory to write the plan into (created; must be empty or absent).
    out: PathBuf,
    /// How many addresses to declare.
    #[arg(long, default_value_t = 10_000)]
    addresses: usize,
    /// For `overlapping-ranges`: how many ranges.
    #[arg(long, default_value_t = 100_000)]
    ranges: usize,
    #[arg(long, value_enum, default_value_t = Shape::Realistic)]
    shape: Shape,
}

#[derive(Clone, Copy, ValueEnum)]
enum Shape {
    Realistic,
    /// One /8 subnet holding every address.
    OneBigSubnet,
    /// Ranges that all overlap one another.
    OverlappingRanges,
}

const ADDRESSES_PER_SUBNET: usize = 20;
const DATACENTERS: usize = 4;
const TENANTS: usize = 20;

fn main() -> std::io::Result<()> {
    let args = Args::parse();
    if args.out.exists() && fs::read_dir(&args.out)?.next().is_some() {
        eprintln!("gen-plan: {} is not empty", args.out.display());
        std::process::exit(2);
    }
    fs::create_dir_all(&args.out)?;
    fs::write(args.out.join("ipam-lint.toml"), "")?;
    match args.shape {
        Shape::Realistic => realistic(&args.out, args.addresses),
        Shape::OneBigSubnet => one_big_subnet(&args.out, args.addresses),
        Shape::OverlappingRanges => overlapping_ranges(&args.out, args.ranges),
    }
}

fn v4(a: usize, b: usize, c: usize, d: usize) -> String {
    format!("{a}.{b}.{c}.{d}")
}

/// The n-th /24 of datacenter `dc`'s /10 (10.0.0.0/10, 10.64.0.0/10, ...), as its second and
/// third octets: room for 16384 subnets per datacenter.
fn fabric_v4(dc: usize, n: usize) -> (usize, usize) {
    (64 * dc + n / 256, n % 256)
}

struct Subnet {
    cidr: String,
    gateway: String,
    static_pool: (String, String),
    dhcp_pool: (String, String),
    /// Host addresses, static ones first.
    hosts: Vec<String>,
    vlan: usize,
    site: String,
}

fn fabric_subnet(dc: usize, n: usize) -> Subnet {
    // Each row of a datacenter numbers its VLANs anew.
    let site = format!("dc{}-row{}", dc + 1, n / 3000);
    let vlan = 100 + n % 3000;
    if n % 5 == 4 {
        let prefix = format!("2001:db8:{:x}:{:x}", dc + 1, n);
        return Subnet {
            cidr: format!("{prefix}::/64"),
            gateway: format!("{prefix}::1"),
            static_pool: (format!("{prefix}::100"), format!("{prefix}::1ff")),
            dhcp_pool: (format!("{prefix}::1000"), format!("{prefix}::1fff")),
            hosts: (0..ADDRESSES_PER_SUBNET)
                .map(|h| {
                    if h < 16 {
                        format!("{prefix}::{:x}", 0x100 + h)
                    } else {
                        format!("{prefix}::{:x}", 0x1000 + h)
                    }
                })
                .collect(),
            vlan,
            site,
        };
    }
    let (b, c) = fabric_v4(dc, n);
    v4_subnet((10, b, c), vlan, site)
}

/// The /24 `a.b.c.0`: gateway .1, a static pool .10-.99, a DHCP pool .100-.199, and hosts
/// in both pools.
fn v4_subnet((a, b, c): (usize, usize, usize), vlan: usize, site: String) -> Subnet {
    Subnet {
        cidr: format!("{}/24", v4(a, b, c, 0)),
        gateway: v4(a, b, c, 1),
        static_pool: (v4(a, b, c, 10), v4(a, b, c, 99)),
        dhcp_pool: (v4(a, b, c, 100), v4(a, b, c, 199)),
        hosts: (0..ADDRESSES_PER_SUBNET)
            .map(|h| {
                if h < 16 {
                    v4(a, b, c, 10 + h)
                } else {
                    v4(a, b, c, 100 + h)
                }
            })
            .collect(),
        vlan,
        site,
    }
}

fn mac(n: usize, h: usize) -> String {
    let x = n * ADDRESSES_PER_SUBNET + h;
    format!(
        "00:15:5d:{:02x}:{:02x}:{:02x}",
        (x >> 16) & 0xff,
        (x >> 8) & 0xff,
        x & 0xff
    )
}

fn write_yaml(
    path: &Path,
    source: &str,
    tag: &str,
    scope: Option<&str>,
    space: Option<&str>,
    extra: &str,
    subnets: &[(usize, Subnet)],
) -> std::io::Result<()> {
    let mut text = format!("source: {source}\n");
    if let Some(scope) = scope {
        writeln!(text, "scope: {scope}").unwrap();
    }
    if let Some(space) = space {
        writeln!(text, "space: {space}").unwrap();
    }
    text.push_str(extra);
    text.push_str("subnets:\n");
    for (n, s) in subnets {
        writeln!(
            text,
            "  - {{ cidr: {}, name: {tag}-net-{n}, site: {}, vlan: {}, gateway: {} }}",
            s.cidr, s.site, s.vlan, s.gateway
        )
        .unwrap();
    }
    text.push_str("ranges:\n");
    for (n, s) in subnets {
        writeln!(
            text,
            "  - {{ start: {}, end: {}, name: {tag}-static-{n} }}",
            s.static_pool.0, s.static_pool.1
        )
        .unwrap();
        writeln!(
            text,
            "  - {{ start: {}, end: {}, name: {tag}-dhcp-{n}, type: dhcp }}",
            s.dhcp_pool.0, s.dhcp_pool.1
        )
        .unwrap();
    }
    text.push_str("addresses:\n");
    for (n, s) in subnets {
        for (h, ip) in s.hosts.iter().enumerate() {
            let kind = if h < 16 { "" } else { ", type: dhcp" };
            writeln!(
                text,
                "  - {{ ip: {ip}, name: {tag}-h{n}-{h}, mac: \"{}\"{kind} }}",
                mac(*n, h)
            )
            .unwrap();
        }
    }
    fs::write(path, text)
}

fn write_toml(
    path: &Path,
    source: &str,
    tag: &str,
    scope: Option<&str>,
    subnets: &[(usize, Subnet)],
) -> std::io::Result<()> {
    let mut text = format!("source = \"{source}\"\n");
    if let Some(scope) = scope {
        writeln!(text, "scope = \"{scope}\"").unwrap();
    }
    for (n, s) in subnets {
        write!(
            text,
            "\n[[subnets]]\ncidr = \"{}\"\nname = \"{tag}-net-{n}\"\nsite = \"{}\"\nvlan = {}\ngateway = \"{}\"\n",
            s.cidr, s.site, s.vlan, s.gateway
        )
        .unwrap();
    }
    for (n, s) in subnets {
        write!(
            text,
            "\n[[ranges]]\nstart = \"{}\"\nend = \"{}\"\nname = \"{tag}-static-{n}\"\n\n[[ranges]]\nstart = \"{}\"\nend = \"{}\"\nname = \"{tag}-dhcp-{n}\"\ntype = \"dhcp\"\n",
            s.static_pool.0, s.static_pool.1, s.dhcp_pool.0, s.dhcp_pool.1
        )
        .unwrap();
    }
    for (n, s) in subnets {
        for (h, ip) in s.hosts.iter().enumerate() {
            let kind = if h < 16 { "" } else { "\ntype = \"dhcp\"" };
            write!(
                text,
                "\n[[addresses]]\nip = \"{ip}\"\nname = \"{tag}-h{n}-{h}\"\nmac = \"{}\"{kind}\n",
                mac(*n, h)
            )
            .unwrap();
        }
    }
    fs::write(path, text)
}

fn realistic(out: &Path, addresses: usize) -> std::io::Result<()> {
    let subnets = addresses.div_ceil(ADDRESSES_PER_SUBNET).max(DATACENTERS);
    let files = (addresses / 5_000).clamp(10, 200);
    let tenant_subnets = (subnets / 50).max(TENANTS);
    let fabric_subnets = subnets - tenant_subnets.min(subnets / 2);
    let fabric_files = files.saturating_sub(TENANTS / 2).max(DATACENTERS);

    let mut corp = String::from(
        "blocks:\n  - { cidr: 10.0.0.0/8, name: corp, scope: /corp }\n  - { cidr: 2001:db8::/32, name: corp6, scope: /corp }\n",
    );
    for dc in 0..DATACENTERS {
        writeln!(
            corp,
            "  - {{ cidr: 10.{}.0.0/10, name: dc{}, scope: /corp/dc{} }}",
            64 * dc,
            dc + 1,
            dc + 1
        )
        .unwrap();
        writeln!(
            corp,
            "  - {{ cidr: 2001:db8:{:x}::/48, name: dc{}-v6, scope: /corp/dc{} }}",
            dc + 1,
            dc + 1,
            dc + 1
        )
        .unwrap();
    }
    fs::write(out.join("corp.yaml"), corp)?;

    // Fabric: subnets dealt round-robin to datacenters, then to each datacenter's files.
    let per_dc = fabric_subnets.div_ceil(DATACENTERS);
    let files_per_dc = fabric_files.div_ceil(DATACENTERS).max(1);
    for dc in 0..DATACENTERS {
        let dir = out.join(format!("dc{}", dc + 1));
        fs::create_dir_all(&dir)?;
        let count = per_dc.min(fabric_subnets.saturating_sub(dc * per_dc));
        let mut chunks: Vec<Vec<(usize, Subnet)>> = (0..files_per_dc).map(|_| Vec::new()).collect();
        for n in 0..count {
            chunks[n % files_per_dc].push((n, fabric_subnet(dc, n)));
        }
        for (f, chunk) in chunks.iter().enumerate() {
            let source = format!("vmm-dc{}{}", dc + 1, ['a', 'b', 'c'][f % 3]);
            let scope = format!("/corp/dc{}", dc + 1);
            let tag = format!("d{}", dc + 1);
            if f % 10 == 9 {
                write_toml(
                    &dir.join(format!("fabric-{f:03}.toml")),
                    &source,
                    &tag,
                    Some(&scope),
                    chunk,
                )?;
            } else {
                let extra = if f == 0 {
                    format!(
                        "networks:\n  - {{ name: dc{}-hnv, virtualization: true }}\n",
                        dc + 1
                    )
                } else {
                    String::new()
                };
                write_yaml(
                    &dir.join(format!("fabric-{f:03}.yaml")),
                    &source,
                    &tag,
                    Some(&scope),
                    None,
                    &extra,
                    chunk,
                )?;
            }
        }
    }

    // Tenants: virtual spaces reusing 192.168.0.0/16 and fd00::/8 customer addresses.
    let tenant_dir = out.join("tenants");
    fs::create_dir_all(&tenant_dir)?;
    let per_tenant = tenant_subnets.div_ceil(TENANTS);
    for t in 0..TENANTS {
        let space = format!("tenant-{t:02}");
        let provider = format!("dc{}-hnv", t % DATACENTERS + 1);
        let extra =
            format!("spaces:\n  - {{ name: {space}, kind: virtual, provider: {provider} }}\n");
        let subnets: Vec<(usize, Subnet)> = (0..per_tenant)
            .map(|n| {
                let (b, c) = (168 + n / 256 % 88, n % 256);
                let subnet = v4_subnet((192, b, c), 0, format!("{space}-site"));
                (n, subnet)
            })
            .collect();
        let text_source = format!("vmm-dc{}a", t % DATACENTERS + 1);
        write_yaml(
            &tenant_dir.join(format!("{space}.yaml")),
            &text_source,
            &format!("t{t}"),
            None,
            Some(&space),
            &extra,
            &subnets,
        )?;
    }

    // A few faults, the headline cases.
    fs::write(
        out.join("faults.yaml"),
        format!(
            "source: netops\nsubnets:\n  - {{ cidr: {}/24, name: dup-of-dc1-net-0 }}\naddresses:\n  - {{ ip: {}, name: dup-host }}\n  - {{ ip: {}, name: static-in-dhcp }}\nranges:\n  - {{ start: {}, end: {}, name: overlapping-pool }}\n",
            v4(10, 0, 0, 0),
            v4(10, 0, 0, 10),
            v4(10, 0, 0, 150),
            v4(10, 0, 0, 50),
            v4(10, 0, 0, 120),
        ),
    )?;
    Ok(())
}

fn one_big_subnet(out: &Path, addresses: usize) -> std::io::Result<()> {
    fs::write(
        out.join("subnet.yaml"),
        "subnets:\n  - { cidr: 10.0.0.0/8, name: flat }\n",
    )?;
    let files = 100;
    let per_file = addresses.div_ceil(files);
    for f in 0..files {
        let mut text = String::from("addresses:\n");
        for i in f * per_file..((f + 1) * per_file).min(addresses) {
            let n = i + 1;
            writeln!(
                text,
                "  - {{ ip: {}, name: host-{n} }}",
                v4(10, n >> 16 & 0xff, n >> 8 & 0xff, n & 0xff)
            )
            .unwrap();
        }
        fs::write(out.join(format!("hosts-{f:03}.yaml")), text)?;
    }
    Ok(())
}

fn overlapping_ranges(out: &Path, ranges: usize) -> std::io::Result<()> {
    let mut text = String::from("subnets:\n  - { cidr: 10.0.0.0/8 }\nranges:\n");
    for i in 0..ranges {
        // Every range holds the middle of the /8, so each overlaps all the others.
        let (low, high) = (i + 1, (1 << 24) - 2 - i);
        writeln!(
            text,
            "  - {{ start: {}, end: {} }}",
            v4(10, low >> 16 & 0xff, low >> 8 & 0xff, low & 0xff),
            v4(10, high >> 16 & 0xff, high >> 8 & 0xff, high & 0xff)
        )
        .unwrap();
    }
    fs::write(out.join("ranges.yaml"), text)
}
