//! The declaration format as a JSON Schema (draft-07), for editors: yaml-language-server
//! and Taplo validate and complete plans as they are typed. Generated from these types;
//! `schemas/ipam-lint.schema.json` is their output, and a test keeps both, and the keys
//! the loader accepts (`load::decode`'s lists), in step; the bounds are the loader's own.

// The types only describe the format: they are never built, only turned into a schema.
#![allow(dead_code)]

use schemars::JsonSchema;

use crate::load::decode::{VLAN_MAX, VSID_MAX, VSID_MIN};
use schemars::generate::SchemaSettings;

/// One ipam-lint declaration file: address spaces, networks, blocks, subnets, ranges and
/// addresses, with file-wide defaults.
#[derive(JsonSchema)]
#[schemars(title = "ipam-lint declaration file", deny_unknown_fields)]
pub struct DeclarationFile {
    /// The instance that manages every declaration of this file: a virtualization manager
    /// (`vmm-dc1`), a team's tool, a person.
    source: Option<String>,
    /// The default address space of every declaration of this file (default `fabric`).
    space: Option<String>,
    /// The access scope of this file: who may allocate and delegate what (default `/`).
    #[schemars(regex(pattern = r"^/$|^(/[^/\s]+)+$"))]
    scope: Option<String>,
    /// Address spaces: `fabric` always exists; each isolated virtual network has its own.
    spaces: Option<Vec<SpaceEntry>>,
    /// Logical networks of the fabric.
    networks: Option<Vec<NetworkEntry>>,
    /// Top-level allocations of a space; they may nest.
    blocks: Option<Vec<BlockEntry>>,
    /// CIDRs where hosts live.
    subnets: Option<Vec<SubnetEntry>>,
    /// Inclusive spans inside one subnet: pools and reserved spans.
    ranges: Option<Vec<RangeEntry>>,
    /// Single IP addresses assigned in a space.
    addresses: Option<Vec<AddressEntry>>,
}

#[derive(JsonSchema)]
#[schemars(rename_all = "lowercase")]
enum SpaceKindName {
    Fabric,
    Virtual,
}

#[derive(JsonSchema)]
#[schemars(rename_all = "lowercase")]
enum AllocTypeName {
    Static,
    Dhcp,
    Vip,
    Reserved,
}

/// An address space.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct SpaceEntry {
    /// The space's name, which declarations name in their `space`.
    name: String,
    /// `fabric` (physical, provider addresses) or `virtual` (a tenant's isolated network).
    kind: Option<SpaceKindName>,
    /// The network that carries this virtual space (virtual spaces only).
    provider: Option<String>,
    /// Free text for people; not checked.
    description: Option<String>,
    /// Labels for people and tools; not checked.
    tags: Option<Vec<String>>,
}

/// A logical network of the fabric.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct NetworkEntry {
    /// The network's name, which subnets name in their `network` and virtual spaces in
    /// their `provider`.
    name: String,
    /// Whether virtual spaces may run over this network.
    virtualization: Option<bool>,
    /// The space the network belongs to (default: the file's, else `fabric`); a network
    /// belongs to a fabric space.
    space: Option<String>,
    /// Free text for people; not checked.
    description: Option<String>,
    /// Labels for people and tools; not checked.
    tags: Option<Vec<String>>,
}

/// A top-level allocation of a space.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct BlockEntry {
    /// A CIDR prefix without host bits, such as `10.0.0.0/8` or `2001:db8::/32`.
    cidr: String,
    /// A label for people, shown in findings and by `ipam-lint show`.
    name: Option<String>,
    /// The block's space (default: the file's, else `fabric`).
    space: Option<String>,
    /// The access scope that administers the block (default: the file's): who may
    /// allocate from it.
    #[schemars(regex(pattern = r"^/$|^(/[^/\s]+)+$"))]
    scope: Option<String>,
    /// Free text for people; not checked.
    description: Option<String>,
    /// Labels for people and tools; not checked.
    tags: Option<Vec<String>>,
}

/// A subnet where hosts live.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct SubnetEntry {
    /// A CIDR prefix without host bits, such as `10.10.1.0/24`.
    cidr: String,
    /// A label for people, shown in findings and by `ipam-lint show`.
    name: Option<String>,
    /// The subnet's space (default: the file's, else `fabric`).
    space: Option<String>,
    /// The access scope that administers the subnet (default: the file's): who may
    /// allocate ranges and addresses in it.
    #[schemars(regex(pattern = r"^/$|^(/[^/\s]+)+$"))]
    scope: Option<String>,
    /// The name of a declared network.
    network: Option<String>,
    /// Where the subnet is (a datacenter row, a room): two subnets of one family at one
    /// site may not share a VLAN.
    site: Option<String>,
    /// 0 is untagged.
    #[schemars(range(min = 0, max = VLAN_MAX as i64))]
    vlan: Option<u16>,
    /// The virtual subnet ID of a network-virtualized subnet.
    #[schemars(range(min = VSID_MIN as i64, max = VSID_MAX as i64))]
    vsid: Option<u32>,
    /// An IP address inside the subnet.
    gateway: Option<String>,
    /// The DNS servers' IP addresses (checked to be addresses, nothing more).
    dns: Option<Vec<String>>,
    /// Free text for people; not checked.
    description: Option<String>,
    /// Labels for people and tools; not checked.
    tags: Option<Vec<String>>,
}

/// An inclusive span of addresses inside one subnet.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct RangeEntry {
    /// The first address of the range, an IP address.
    start: String,
    /// The last address of the range, included, of the same family as `start`.
    end: String,
    /// A label for people, shown in findings and by `ipam-lint show`.
    name: Option<String>,
    /// `static`, `dhcp` and `vip` ranges are pools; a `reserved` range carves addresses out.
    #[schemars(rename = "type")]
    kind: Option<AllocTypeName>,
    /// The range's space (default: the file's, else `fabric`).
    space: Option<String>,
    /// The access scope that declares the range (default: the file's).
    #[schemars(regex(pattern = r"^/$|^(/[^/\s]+)+$"))]
    scope: Option<String>,
    /// Free text for people; not checked.
    description: Option<String>,
    /// Labels for people and tools; not checked.
    tags: Option<Vec<String>>,
}

/// One IP address assigned in a space.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct AddressEntry {
    /// The IP address.
    ip: String,
    /// A host name.
    name: Option<String>,
    /// In the `00:15:5d:01:02:03` form.
    #[schemars(regex(pattern = r"^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$"))]
    mac: Option<String>,
    /// How the address is assigned: it must lie in a pool of this type, if its subnet has
    /// pools of it (default `static`).
    #[schemars(rename = "type")]
    kind: Option<AllocTypeName>,
    /// The address's space (default: the file's, else `fabric`).
    space: Option<String>,
    /// The access scope that declares the address (default: the file's).
    #[schemars(regex(pattern = r"^/$|^(/[^/\s]+)+$"))]
    scope: Option<String>,
    /// Free text for people; not checked.
    description: Option<String>,
    /// Labels for people and tools; not checked.
    tags: Option<Vec<String>>,
}

/// The schema as a JSON document, as committed in `schemas/ipam-lint.schema.json`.
pub fn json_schema() -> String {
    let mut schema = SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<DeclarationFile>();
    // An empty YAML file is a null document, and a valid plan that declares nothing.
    schema.insert("type".to_owned(), serde_json::json!(["object", "null"]));
    // Patterns too long to write as attributes, made from the grammar.
    let (ip, cidr) = (
        format!("^{}$", ip_pattern()),
        format!("^{}$", cidr_pattern()),
    );
    let definitions = schema
        .get_mut("definitions")
        .and_then(serde_json::Value::as_object_mut)
        .expect("the entries are definitions");
    for (entry, key, pattern) in [
        ("BlockEntry", "cidr", &cidr),
        ("SubnetEntry", "cidr", &cidr),
        ("SubnetEntry", "gateway", &ip),
        ("RangeEntry", "start", &ip),
        ("RangeEntry", "end", &ip),
        ("AddressEntry", "ip", &ip),
    ] {
        let property = &mut definitions[entry]["properties"][key];
        property["pattern"] = serde_json::json!(pattern);
    }
    definitions["SubnetEntry"]["properties"]["dns"]["items"]["pattern"] = serde_json::json!(ip);
    let mut text = serde_json::to_string_pretty(&schema).expect("a schema always serializes");
    text.push('\n');
    text
}

/// An IPv4 address as the loader reads it: four decimal octets, without leading zeros.
fn ipv4_pattern() -> String {
    let octet = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    format!("{octet}(\\.{octet}){{3}}")
}

/// An IPv6 address without a zone: RFC 3986's grammar of RFC 4291's text forms, each
/// alternative one of its lines.
fn ipv6_pattern() -> String {
    let h16 = "[0-9A-Fa-f]{1,4}";
    let ls32 = format!("({h16}:{h16}|{})", ipv4_pattern());
    // `count( h16 ":" )`, and `[ *most( h16 ":" ) h16 ]`.
    let groups = |count: usize| format!("({h16}:){{{count}}}");
    let before = |most: usize| format!("(({h16}:){{0,{most}}}{h16})?");
    let forms = [
        format!("{}{ls32}", groups(6)),
        format!("::{}{ls32}", groups(5)),
        format!("{}::{}{ls32}", before(0), groups(4)),
        format!("{}::{}{ls32}", before(1), groups(3)),
        format!("{}::{}{ls32}", before(2), groups(2)),
        format!("{}::{h16}:{ls32}", before(3)),
        format!("{}::{ls32}", before(4)),
        format!("{}::{h16}", before(5)),
        format!("{}::", before(6)),
    ];
    format!("({})", forms.join("|"))
}

/// An IP address of either family.
fn ip_pattern() -> String {
    format!("({}|{})", ipv4_pattern(), ipv6_pattern())
}

/// A CIDR: an address and a prefix length of its family, without leading zeros. Host bits
/// cannot be told by a pattern; the loader reports them.
fn cidr_pattern() -> String {
    format!(
        "({}/(3[0-2]|[12]?[0-9])|{}/(12[0-8]|1[01][0-9]|[1-9]?[0-9]))",
        ipv4_pattern(),
        ipv6_pattern()
    )
}
