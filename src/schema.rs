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
    name: String,
    /// `fabric` (physical, provider addresses) or `virtual` (a tenant's isolated network).
    kind: Option<SpaceKindName>,
    /// The network that carries this virtual space (virtual spaces only).
    provider: Option<String>,
    description: Option<String>,
    tags: Option<Vec<String>>,
}

/// A logical network of the fabric.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct NetworkEntry {
    name: String,
    /// Whether virtual spaces may run over this network.
    virtualization: Option<bool>,
    space: Option<String>,
    description: Option<String>,
    tags: Option<Vec<String>>,
}

/// A top-level allocation of a space.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct BlockEntry {
    /// A CIDR prefix without host bits, such as `10.0.0.0/8` or `2001:db8::/32`.
    cidr: String,
    name: Option<String>,
    space: Option<String>,
    #[schemars(regex(pattern = r"^/$|^(/[^/\s]+)+$"))]
    scope: Option<String>,
    description: Option<String>,
    tags: Option<Vec<String>>,
}

/// A subnet where hosts live.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct SubnetEntry {
    /// A CIDR prefix without host bits, such as `10.10.1.0/24`.
    cidr: String,
    name: Option<String>,
    space: Option<String>,
    #[schemars(regex(pattern = r"^/$|^(/[^/\s]+)+$"))]
    scope: Option<String>,
    /// The name of a declared network.
    network: Option<String>,
    site: Option<String>,
    /// 0 is untagged.
    #[schemars(range(min = 0, max = VLAN_MAX as i64))]
    vlan: Option<u16>,
    /// The virtual subnet ID of a network-virtualized subnet.
    #[schemars(range(min = VSID_MIN as i64, max = VSID_MAX as i64))]
    vsid: Option<u32>,
    /// An IP address inside the subnet.
    gateway: Option<String>,
    dns: Option<Vec<String>>,
    description: Option<String>,
    tags: Option<Vec<String>>,
}

/// An inclusive span of addresses inside one subnet.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct RangeEntry {
    start: String,
    end: String,
    name: Option<String>,
    /// `static`, `dhcp` and `vip` ranges are pools; a `reserved` range carves addresses out.
    #[schemars(rename = "type")]
    kind: Option<AllocTypeName>,
    space: Option<String>,
    #[schemars(regex(pattern = r"^/$|^(/[^/\s]+)+$"))]
    scope: Option<String>,
    description: Option<String>,
    tags: Option<Vec<String>>,
}

/// One IP address assigned in a space.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct AddressEntry {
    ip: String,
    /// A host name.
    name: Option<String>,
    /// In the `00:15:5d:01:02:03` form.
    #[schemars(regex(pattern = r"^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$"))]
    mac: Option<String>,
    #[schemars(rename = "type")]
    kind: Option<AllocTypeName>,
    space: Option<String>,
    #[schemars(regex(pattern = r"^/$|^(/[^/\s]+)+$"))]
    scope: Option<String>,
    description: Option<String>,
    tags: Option<Vec<String>>,
}

/// The schema as a JSON document, as committed in `schemas/ipam-lint.schema.json`.
pub fn json_schema() -> String {
    let mut schema = SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<DeclarationFile>();
    // An empty YAML file is a null document, and a valid plan that declares nothing.
    schema.insert("type".to_owned(), serde_json::json!(["object", "null"]));
    let mut text = serde_json::to_string_pretty(&schema).expect("a schema always serializes");
    text.push('\n');
    text
}
