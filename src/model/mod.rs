//! The validated model: spaces, networks and the declarations of every file in arenas, in
//! canonical order, plus the containment relations the rules share. Pure: no IO.

pub mod address_index;
pub mod build;
pub mod containment;
pub mod ip;
pub mod overlap;
pub mod prefix_index;
pub mod scope;

use crate::load::document::{AllocType, SpaceKind};
use crate::source::{FileId, SourceFile, Span, Spanned};
use compact_str::CompactString;

use ip::{Addr, Interval, Prefix};
use scope::Scope;

pub type SpaceId = u32;
/// Index into `Model::scopes`: a plan has few scopes, shared by many declarations.
pub type ScopeId = u32;
pub type BlockId = usize;
pub type SubnetId = usize;
pub type RangeId = usize;
pub type AddressId = usize;

/// The space every plan has, at id 0.
pub const FABRIC: SpaceId = 0;
/// The scope `/`, at id 0.
pub const ROOT_SCOPE: ScopeId = 0;

#[derive(Debug)]
pub struct Space {
    pub name: String,
    pub kind: SpaceKind,
    /// The `name` of the declaration that stands; `None` for the implicit `fabric`.
    pub declared_at: Option<Span>,
}

#[derive(Debug)]
pub struct Network {
    pub name: String,
    pub virtualization: bool,
    pub declared_at: Span,
}

/// What every block, subnet, range and address has.
#[derive(Debug, Clone)]
pub struct Common {
    pub space: SpaceId,
    /// The administering scope: its own `scope`, else its file's, else `/`.
    pub scope: ScopeId,
    pub name: Option<Spanned<CompactString>>,
}

#[derive(Debug, Clone)]
pub struct Block {
    pub cidr: Spanned<Prefix>,
    pub common: Common,
}

#[derive(Debug, Clone)]
pub struct Subnet {
    pub cidr: Spanned<Prefix>,
    pub common: Common,
    pub site: Option<CompactString>,
    pub vlan: Option<Spanned<u16>>,
    pub vsid: Option<Spanned<u32>>,
    pub gateway: Option<Spanned<Addr>>,
}

#[derive(Debug, Clone)]
pub struct AddrRange {
    pub start: Spanned<Addr>,
    pub end: Spanned<Addr>,
    pub kind: AllocType,
    pub common: Common,
}

impl AddrRange {
    pub fn interval(&self) -> Interval {
        Interval {
            family: self.start.value.family,
            first: self.start.value.bits,
            last: self.end.value.bits,
        }
    }

    pub fn describe(&self) -> String {
        format!("{} - {}", self.start.value, self.end.value)
    }
}

#[derive(Debug, Clone)]
pub struct Address {
    pub ip: Spanned<Addr>,
    pub kind: AllocType,
    pub common: Common,
}

/// Invariant: every arena is in canonical order (file path, then position in the file), so
/// "earlier" is "lower id".
#[derive(Debug, Default)]
pub struct Model {
    pub files: Vec<SourceFile>,
    /// Per file: its `source`.
    pub file_sources: Vec<Option<String>>,
    /// Per file: its author scope (its `scope`, else `/`).
    pub file_scopes: Vec<ScopeId>,
    /// Every scope of the plan, each once; `/` first.
    pub scopes: Vec<Scope>,
    pub spaces: Vec<Space>,
    pub networks: Vec<Network>,
    pub blocks: Vec<Block>,
    pub subnets: Vec<Subnet>,
    pub ranges: Vec<AddrRange>,
    pub addresses: Vec<Address>,
    /// Entries read from the declaration lists of every file, valid or not.
    pub declarations: usize,
}

impl Model {
    pub fn source_of(&self, file: FileId) -> Option<&str> {
        self.file_sources
            .get(file as usize)
            .and_then(|s| s.as_deref())
    }

    pub fn space_name(&self, space: SpaceId) -> &str {
        &self.spaces[space as usize].name
    }

    pub fn scope(&self, scope: ScopeId) -> &Scope {
        &self.scopes[scope as usize]
    }
}
