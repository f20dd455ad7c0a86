//! Typed declarations as read from one file, with the span of every value that a finding
//! may point at. Values here are syntactically valid; whether they agree is the model's job.

use crate::model::ip::{Addr, Prefix};
use crate::model::scope::Scope;
use crate::model::{Address, AddressPools};
use crate::source::{FileId, Spanned};
use compact_str::CompactString;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SpaceKind {
    Fabric,
    Virtual,
}

impl SpaceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SpaceKind::Fabric => "fabric",
            SpaceKind::Virtual => "virtual",
        }
    }
}

/// What a range or an address is for. Ranges of the first three types are pools.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AllocType {
    Static,
    Dhcp,
    Vip,
    Reserved,
}

impl AllocType {
    pub const NAMES: [&'static str; 4] = ["static", "dhcp", "vip", "reserved"];

    pub fn parse(text: &str) -> Option<AllocType> {
        match text {
            "static" => Some(AllocType::Static),
            "dhcp" => Some(AllocType::Dhcp),
            "vip" => Some(AllocType::Vip),
            "reserved" => Some(AllocType::Reserved),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AllocType::Static => "static",
            AllocType::Dhcp => "dhcp",
            AllocType::Vip => "vip",
            AllocType::Reserved => "reserved",
        }
    }

    pub fn is_pool(self) -> bool {
        self != AllocType::Reserved
    }
}

#[derive(Debug, Default)]
pub struct Document {
    pub file: FileId,
    pub source: Option<String>,
    /// The file's default space, where it names one.
    pub space: Option<Spanned<CompactString>>,
    /// The file's scope: the author scope of the file and the default of its declarations.
    pub scope: Option<Spanned<Scope>>,
    pub spaces: Vec<SpaceDecl>,
    pub networks: Vec<NetworkDecl>,
    pub blocks: Vec<BlockDecl>,
    pub subnets: Vec<SubnetDecl>,
    pub ranges: Vec<RangeDecl>,
    pub addresses: AddressList,
    /// Entries read from the declaration lists, valid or not.
    pub declarations: usize,
}

#[derive(Debug, Clone)]
pub struct SpaceDecl {
    pub name: Spanned<CompactString>,
    pub kind: SpaceKind,
    pub provider: Option<Spanned<CompactString>>,
}

#[derive(Debug, Clone)]
pub struct NetworkDecl {
    pub name: Spanned<CompactString>,
    pub virtualization: bool,
    /// Its own `space` key; without one, the file's default applies.
    pub space: Option<Spanned<CompactString>>,
}

/// The `space` and `scope` a block, subnet, range or address sets for itself.
#[derive(Debug, Clone, Default)]
pub struct Placement {
    pub space: Option<Spanned<CompactString>>,
    pub scope: Option<Spanned<Scope>>,
}

#[derive(Debug, Clone)]
pub struct BlockDecl {
    pub cidr: Spanned<Prefix>,
    pub name: Option<Spanned<CompactString>>,
    pub placement: Placement,
}

#[derive(Debug, Clone)]
pub struct SubnetDecl {
    pub cidr: Spanned<Prefix>,
    pub name: Option<Spanned<CompactString>>,
    pub placement: Placement,
    pub network: Option<Spanned<CompactString>>,
    pub site: Option<CompactString>,
    pub vlan: Option<Spanned<u16>>,
    pub vsid: Option<Spanned<u32>>,
    pub gateway: Option<Spanned<Addr>>,
}

#[derive(Debug, Clone)]
pub struct RangeDecl {
    pub start: Spanned<Addr>,
    pub end: Spanned<Addr>,
    pub name: Option<Spanned<CompactString>>,
    pub kind: AllocType,
    pub placement: Placement,
}

/// A file's addresses, decoded straight into the model's compact record: a plan may hold
/// millions, and the model then only appends them.
#[derive(Debug, Default)]
pub struct AddressList {
    /// Until the model takes them, each record's `space` is 0 for the file's placement or
    /// 1 + the index of its own in `placements`, and its name and IPv6 value are in `pools`.
    pub records: Vec<Address>,
    pub pools: AddressPools,
    /// The placements that addresses set for themselves (few: most take the file's).
    pub placements: Vec<Placement>,
}
