//! Typed declarations as read from one file, with the span of every value that a finding
//! may point at. Values here are syntactically valid; whether they agree is the model's job.

use crate::model::ip::{Addr, Prefix};
use crate::model::kinds::AllocType;
use crate::model::left_out::LeftOut;
use crate::model::names::{NetworkDecl, SpaceDecl};
use crate::model::scope::Scope;
use crate::model::{Address, AddressPools};
use crate::source::{FileId, Refile, Spanned};
use compact_str::CompactString;

#[derive(Clone, Debug, Default)]
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
    /// The blocks, subnets, spaces and networks left out for a fault of their own.
    pub left_out: Vec<LeftOut>,
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
#[derive(Clone, Debug, Default)]
pub struct AddressList {
    /// Until the model places them, their space and scope are unset and their names and
    /// IPv6 values are in `pools`.
    pub records: Vec<Address>,
    pub pools: AddressPools,
    /// The records that set their own space or scope (few: most take the file's), by index
    /// in `records`, in order.
    pub placements: Vec<(usize, Placement)>,
}

impl Refile for Document {
    fn refile(&mut self, file: FileId) {
        self.file = file;
        self.space.refile(file);
        self.scope.refile(file);
        self.spaces.refile(file);
        self.networks.refile(file);
        self.blocks.refile(file);
        self.subnets.refile(file);
        self.ranges.refile(file);
        self.addresses.refile(file);
        self.left_out.refile(file);
    }
}

impl Refile for Placement {
    fn refile(&mut self, file: FileId) {
        self.space.refile(file);
        self.scope.refile(file);
    }
}

impl Refile for BlockDecl {
    fn refile(&mut self, file: FileId) {
        self.cidr.refile(file);
        self.name.refile(file);
        self.placement.refile(file);
    }
}

impl Refile for SubnetDecl {
    fn refile(&mut self, file: FileId) {
        self.cidr.refile(file);
        self.name.refile(file);
        self.placement.refile(file);
        self.network.refile(file);
        self.vlan.refile(file);
        self.vsid.refile(file);
        self.gateway.refile(file);
    }
}

impl Refile for RangeDecl {
    fn refile(&mut self, file: FileId) {
        self.start.refile(file);
        self.end.refile(file);
        self.name.refile(file);
        self.placement.refile(file);
    }
}

impl Refile for AddressList {
    fn refile(&mut self, file: FileId) {
        self.records
            .iter_mut()
            .for_each(|record| record.refile(file));
        for (_, placement) in &mut self.placements {
            placement.refile(file);
        }
    }
}
