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

/// An address declaration, kept small since a plan may hold millions: its spans are offsets
/// in its own file, and its name's text is in [`Model::address_names`].
#[derive(Debug, Clone)]
pub struct Address {
    ip: Addr,
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
    named: bool,
}

impl Address {
    /// `None` when its name does not fit: longer than a `u16` (decoding keeps names to
    /// [`MAX_NAME_BYTES`](crate::load::decode::MAX_NAME_BYTES)), or a name pool beyond 4 GiB.
    pub fn new(
        ip: Spanned<Addr>,
        kind: AllocType,
        space: SpaceId,
        scope: ScopeId,
        name: Option<Spanned<&str>>,
        name_pool: &mut String,
    ) -> Option<Address> {
        let short = |len: usize| u16::try_from(len).ok();
        let mut address = Address {
            ip: ip.value,
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
            named: false,
        };
        if let Some(name) = name {
            debug_assert_eq!(name.span.file, ip.span.file);
            address.name_start = name.span.start;
            address.name_len = short((name.span.end - name.span.start) as usize)?;
            address.name_text = u32::try_from(name_pool.len()).ok()?;
            address.name_text_len = short(name.value.len())?;
            address.named = true;
            name_pool.push_str(name.value);
        }
        Some(address)
    }

    /// Moves a record decoded with a file's own name pool into the model: sets its space
    /// and scope, and shifts its name by `name_base`, where that pool starts in the model's.
    /// `false` if the model's pool would pass 4 GiB.
    pub fn place(&mut self, space: SpaceId, scope: ScopeId, name_base: usize) -> bool {
        self.space = space;
        self.scope = scope;
        if !self.named {
            return true;
        }
        let Some(name_text) = u32::try_from(name_base)
            .ok()
            .and_then(|base| base.checked_add(self.name_text))
        else {
            return false;
        };
        self.name_text = name_text;
        true
    }

    pub fn ip(&self) -> Addr {
        self.ip
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
        if !self.named {
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
    /// The names of all addresses, one after another: one allocation instead of a million.
    pub address_names: String,
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
        let mut pool = String::from("earlier");
        let ip = Addr::parse("2001:db8::1").unwrap();
        let named = Address::new(
            spanned(ip, 10, 23),
            AllocType::Vip,
            3,
            2,
            Some(spanned("web-01", 31, 39)),
            &mut pool,
        )
        .unwrap();
        let unnamed = Address::new(
            spanned(ip, 50, 61),
            AllocType::Static,
            0,
            0,
            None,
            &mut pool,
        )
        .unwrap();
        let model = Model {
            address_names: pool,
            ..Model::default()
        };
        assert_eq!({ named.ip().bits }, { ip.bits });
        assert_eq!(named.ip_span(), spanned((), 10, 23).span);
        assert_eq!(named.name(&model), Some(spanned("web-01", 31, 39)));
        assert_eq!(
            (named.space, named.scope, named.kind),
            (3, 2, AllocType::Vip)
        );
        assert_eq!(unnamed.name(&model), None);
        assert_eq!(unnamed.ip_span(), spanned((), 50, 61).span);
    }

    #[test]
    fn a_name_too_long_for_the_compact_form_is_refused_not_cut() {
        let mut pool = String::new();
        let ip = Addr::parse("10.0.0.1").unwrap();
        let long = "a".repeat(usize::from(u16::MAX) + 1);
        let name = spanned(long.as_str(), 20, 20 + long.len() as u32);
        let address = Address::new(
            spanned(ip, 0, 8),
            AllocType::Static,
            0,
            0,
            Some(name),
            &mut pool,
        );
        assert!(address.is_none());
    }
}
