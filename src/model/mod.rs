//! The validated model: spaces, networks and the declarations of every file in arenas, in
//! canonical order; the indexes its readers share (what holds what, addresses by value);
//! and the read API of the space (`tree`, `usage`). Pure: no IO, no findings.

pub mod address_index;
pub mod containment;
pub mod free;
pub mod ip;
pub mod kinds;
pub mod left_out;
pub mod names;
pub mod overlap;
pub mod pasted;
pub mod prefix_index;
pub mod scope;
pub mod tree;
pub mod u16_set;

pub mod usage;

use crate::source::{FileId, SourceFile, Span, Spanned};
use compact_str::CompactString;
use kinds::{AllocType, SpaceKind};
use rustc_hash::FxHashMap;

use ip::{Addr, Family, Interval, Prefix};
use names::Names;
use scope::Scope;

pub type SpaceId = u32;
/// Index into `Model::scopes`: a plan has few scopes, shared by many declarations.
pub type ScopeId = u32;
pub type BlockId = usize;
pub type SubnetId = usize;
pub type RangeId = usize;
pub type AddressId = usize;
pub type NetworkId = usize;

/// The space every plan has, at id 0.
pub const FABRIC: SpaceId = 0;
/// The name of [`FABRIC`], the space a declaration is in unless it or its file says.
pub const FABRIC_NAME: &str = "fabric";
/// The scope `/`, at id 0.
pub const ROOT_SCOPE: ScopeId = 0;

/// A space as its standing declaration (the first in canonical order) has it.
#[derive(Debug)]
pub struct Space {
    pub name: String,
    pub kind: SpaceKind,
    /// The network a virtual space runs over, as its declaration names it.
    pub provider: Option<Spanned<CompactString>>,
    /// The `name` of the declaration that stands; `None` for the implicit `fabric`, and for
    /// a name that is referenced but never declared (nothing is placed in such a space).
    pub declared_at: Option<Span>,
}

impl Space {
    pub fn is_declared(&self, id: SpaceId) -> bool {
        id == FABRIC || self.declared_at.is_some()
    }
}

/// A network as its standing declaration (the first in canonical order) has it.
#[derive(Debug)]
pub struct Network {
    pub name: String,
    pub virtualization: bool,
    /// The space it is placed in, as named: its own `space`, else its file's, else `fabric`.
    pub space: CompactString,
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

impl Subnet {
    /// The addresses of the subnet that no host may take, with what they are called: the
    /// network address and (IPv4) the broadcast address, up to /30; the IPv6
    /// Subnet-Router anycast address, up to /126. An array, not a list: this is asked once
    /// per address.
    pub fn unusable(&self) -> [Option<(u128, &'static str)>; 2] {
        let prefix = self.cidr.value;
        match prefix.family() {
            Family::V4 if prefix.len <= 30 => [
                Some((prefix.first(), "network address")),
                Some((prefix.last(), "broadcast address")),
            ],
            Family::V6 if prefix.len <= 126 => [
                Some((prefix.first(), "Subnet-Router anycast address")),
                None,
            ],
            _ => [None, None],
        }
    }
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

/// An address declaration, kept small since a plan may hold millions: its spans are offsets
/// in its own file, its name's text is in [`Model::address_names`], and an IPv6 value, four
/// times an IPv4 one, is in [`Model::v6_addresses`]. 36 bytes.
#[derive(Debug, Clone)]
pub struct Address {
    /// IPv4: the address. IPv6: where it is in the IPv6 pool.
    value: u32,
    pub space: SpaceId,
    /// The administering scope: its own `scope`, else its file's, else `/`.
    pub scope: ScopeId,
    file: FileId,
    ip_start: u32,
    name_start: u32,
    /// Where the name's text starts in the name pool.
    name_text: u32,
    ip_len: u16,
    name_len: u16,
    name_text_len: u16,
    pub kind: AllocType,
    /// `NAMED` and `V6`.
    flags: u8,
}

/// Where a file's addresses keep their names and IPv6 values until the model takes them,
/// and the model keeps them after: one allocation each instead of millions.
#[derive(Clone, Debug, Default)]
pub struct AddressPools {
    pub names: String,
    pub v6: Vec<u128>,
}

impl Address {
    const NAMED: u8 = 1;
    const V6: u8 = 2;

    /// `None` when it does not fit: a name longer than a `u16` (decoding keeps names to
    /// [`MAX_NAME_BYTES`](crate::load::decode::MAX_NAME_BYTES)), or pools beyond 4 GiB.
    pub fn new(
        ip: Spanned<Addr>,
        kind: AllocType,
        space: SpaceId,
        scope: ScopeId,
        name: Option<Spanned<&str>>,
        pools: &mut AddressPools,
    ) -> Option<Address> {
        let short = |len: usize| u16::try_from(len).ok();
        let (value, flags) = match ip.value.family {
            Family::V4 => ({ ip.value.bits } as u32, 0),
            Family::V6 => {
                let at = u32::try_from(pools.v6.len()).ok()?;
                pools.v6.push(ip.value.bits);
                (at, Address::V6)
            }
        };
        let mut address = Address {
            value,
            space,
            scope,
            file: ip.span.file,
            ip_start: ip.span.start,
            name_start: 0,
            name_text: 0,
            ip_len: short((ip.span.end - ip.span.start) as usize)?,
            name_len: 0,
            name_text_len: 0,
            kind,
            flags,
        };
        if let Some(name) = name {
            debug_assert_eq!(name.span.file, ip.span.file);
            address.name_start = name.span.start;
            address.name_len = short((name.span.end - name.span.start) as usize)?;
            address.name_text = u32::try_from(pools.names.len()).ok()?;
            address.name_text_len = short(name.value.len())?;
            address.flags |= Address::NAMED;
            pools.names.push_str(name.value);
        }
        Some(address)
    }

    /// Moves a record decoded with a file's own pools into the model: sets its space and
    /// scope, and shifts its name and IPv6 value by where the file's pools start in the
    /// model's (`bases`: names, IPv6). `false` if a model pool would pass 4 GiB.
    pub fn place(&mut self, space: SpaceId, scope: ScopeId, bases: (usize, usize)) -> bool {
        self.space = space;
        self.scope = scope;
        let shifted = |offset: u32, base: usize| {
            u32::try_from(base)
                .ok()
                .and_then(|base| base.checked_add(offset))
        };
        if self.flags & Address::NAMED != 0 {
            let Some(name_text) = shifted(self.name_text, bases.0) else {
                return false;
            };
            self.name_text = name_text;
        }
        if self.flags & Address::V6 != 0 {
            let Some(value) = shifted(self.value, bases.1) else {
                return false;
            };
            self.value = value;
        }
        true
    }

    /// Points the record's spans at another file (see [`crate::source::Refile`]).
    pub fn refile(&mut self, file: FileId) {
        self.file = file;
    }

    pub fn family(&self) -> Family {
        if self.flags & Address::V6 != 0 {
            Family::V6
        } else {
            Family::V4
        }
    }

    pub fn ip(&self, model: &Model) -> Addr {
        match self.family() {
            Family::V4 => Addr {
                family: Family::V4,
                bits: u128::from(self.value),
            },
            Family::V6 => Addr {
                family: Family::V6,
                bits: model.v6_addresses[self.value as usize],
            },
        }
    }

    pub fn ip_span(&self) -> Span {
        Span {
            file: self.file,
            start: self.ip_start,
            end: self.ip_start + u32::from(self.ip_len),
        }
    }

    /// Its name, read from the model's name pool.
    pub fn name<'m>(&self, model: &'m Model) -> Option<Spanned<&'m str>> {
        if self.flags & Address::NAMED == 0 {
            return None;
        }
        let from = self.name_text as usize;
        Some(Spanned {
            value: &model.address_names[from..from + usize::from(self.name_text_len)],
            span: Span {
                file: self.file,
                start: self.name_start,
                end: self.name_start + u32::from(self.name_len),
            },
        })
    }
}

/// Spans (first, last) sorted, with overlapping and adjacent ones made one.
pub fn merged_spans(mut spans: Vec<(u128, u128)>) -> Vec<(u128, u128)> {
    spans.sort_unstable();
    let mut merged: Vec<(u128, u128)> = Vec::with_capacity(spans.len());
    for (first, last) in spans {
        match merged.last_mut() {
            Some(previous) if first <= previous.1.saturating_add(1) => {
                previous.1 = previous.1.max(last);
            }
            _ => merged.push((first, last)),
        }
    }
    merged
}

/// The indexes every reader of a model shares: what holds what, and the addresses by value.
pub struct Indexes {
    pub containment: containment::Containment,
    pub addresses: address_index::AddressIndex,
}

impl Indexes {
    pub fn of(model: &Model) -> Indexes {
        let (containment, addresses) = rayon::join(
            || containment::Containment::of(model),
            || address_index::AddressIndex::of(model),
        );
        Indexes {
            containment,
            addresses,
        }
    }
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
    /// Indexed by [`SpaceId`]: every space named anywhere, declared or not (see
    /// [`Model::space_named`]).
    pub spaces: Vec<Space>,
    pub networks: Vec<Network>,
    /// Every name of `spaces`, each once.
    pub space_ids: FxHashMap<CompactString, SpaceId>,
    pub network_ids: FxHashMap<CompactString, NetworkId>,
    /// The name declarations and references as read, for the rules that check them.
    pub names: Names,
    pub blocks: Vec<Block>,
    pub subnets: Vec<Subnet>,
    pub ranges: Vec<AddrRange>,
    pub addresses: Vec<Address>,
    /// The names of all addresses, one after another: one allocation instead of a million.
    pub address_names: String,
    /// The values of all IPv6 addresses.
    pub v6_addresses: Vec<u128>,
    /// Entries read from the declaration lists of every file, valid or not.
    pub declarations: usize,
    /// What was left out for a fault of its own, for the findings that follow from it.
    pub left_out: left_out::LeftOuts,
}

impl Model {
    pub fn source_of(&self, file: FileId) -> Option<&str> {
        self.file_sources
            .get(file as usize)
            .and_then(|s| s.as_deref())
    }

    /// The declared space of that name (`fabric` always is).
    pub fn space_named(&self, name: &str) -> Option<SpaceId> {
        let id = *self.space_ids.get(name)?;
        self.spaces[id as usize].is_declared(id).then_some(id)
    }

    /// Every declared space, by id.
    pub fn declared_spaces(&self) -> impl Iterator<Item = (SpaceId, &Space)> {
        self.spaces
            .iter()
            .enumerate()
            .map(|(id, space)| (id as SpaceId, space))
            .filter(|(id, space)| space.is_declared(*id))
    }

    pub fn network_named(&self, name: &str) -> Option<&Network> {
        self.network_ids.get(name).map(|&id| &self.networks[id])
    }

    pub fn space_name(&self, space: SpaceId) -> &str {
        &self.spaces[space as usize].name
    }

    /// The addresses of `space` and `family` that some subnet holds, as disjoint spans
    /// (first, last) in address order, adjacent ones merged.
    pub fn subnet_spans(&self, space: SpaceId, family: Family) -> Vec<(u128, u128)> {
        merged_spans(
            (self.subnets.iter())
                .filter(|s| s.common.space == space && s.cidr.value.family() == family)
                .map(|s| (s.cidr.value.first(), s.cidr.value.last()))
                .collect(),
        )
    }

    pub fn scope(&self, scope: ScopeId) -> &Scope {
        &self.scopes[scope as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spanned<T>(value: T, start: u32, end: u32) -> Spanned<T> {
        Spanned {
            value,
            span: Span {
                file: 7,
                start,
                end,
            },
        }
    }

    #[test]
    fn an_address_gives_back_its_value_spans_and_name() {
        let mut pools = AddressPools {
            names: String::from("earlier"),
            v6: vec![7],
        };
        let v6 = Addr::parse("2001:db8::1").unwrap();
        let v4 = Addr::parse("192.0.2.7").unwrap();
        let named = Address::new(
            spanned(v6, 10, 23),
            AllocType::Vip,
            3,
            2,
            Some(spanned("web-01", 31, 39)),
            &mut pools,
        )
        .unwrap();
        let unnamed = Address::new(
            spanned(v4, 50, 59),
            AllocType::Static,
            0,
            0,
            None,
            &mut pools,
        )
        .unwrap();
        let model = Model {
            address_names: pools.names,
            v6_addresses: pools.v6,
            ..Model::default()
        };
        assert_eq!(named.ip(&model), v6);
        assert_eq!(named.family(), Family::V6);
        assert_eq!(named.ip_span(), spanned((), 10, 23).span);
        assert_eq!(named.name(&model), Some(spanned("web-01", 31, 39)));
        assert_eq!(
            (named.space, named.scope, named.kind),
            (3, 2, AllocType::Vip)
        );
        assert_eq!(unnamed.ip(&model), v4);
        assert_eq!(unnamed.name(&model), None);
        assert_eq!(unnamed.ip_span(), spanned((), 50, 59).span);
    }

    #[test]
    fn placing_shifts_the_name_and_the_ipv6_value_into_the_model_pools() {
        let mut file = AddressPools::default();
        let v6 = Addr::parse("2001:db8::2").unwrap();
        let mut address = Address::new(
            spanned(v6, 0, 11),
            AllocType::Static,
            0,
            0,
            Some(spanned("db", 20, 22)),
            &mut file,
        )
        .unwrap();
        let mut model = Model {
            address_names: String::from("web"),
            v6_addresses: vec![1, 2, 3],
            ..Model::default()
        };
        let bases = (model.address_names.len(), model.v6_addresses.len());
        model.address_names.push_str(&file.names);
        model.v6_addresses.extend(&file.v6);
        assert!(address.place(4, 5, bases));
        assert_eq!(address.ip(&model), v6);
        assert_eq!(address.name(&model).map(|n| n.value), Some("db"));
        assert_eq!((address.space, address.scope), (4, 5));
        // A pool past 4 GiB cannot be addressed: the record is refused, not wrapped.
        assert!(!address.place(4, 5, (usize::MAX, 0)));
    }

    #[test]
    fn an_address_record_stays_small() {
        assert_eq!(std::mem::size_of::<Address>(), 36);
    }

    #[test]
    fn a_name_too_long_for_the_compact_form_is_refused_not_cut() {
        let mut pools = AddressPools::default();
        let ip = Addr::parse("10.0.0.1").unwrap();
        let long = "a".repeat(usize::from(u16::MAX) + 1);
        let name = spanned(long.as_str(), 20, 20 + long.len() as u32);
        let address = Address::new(
            spanned(ip, 0, 8),
            AllocType::Static,
            0,
            0,
            Some(name),
            &mut pools,
        );
        assert!(address.is_none());
    }
}
