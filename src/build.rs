//! Builds the model from the documents, file by file as they are read: each file's
//! declarations go straight into the model's arenas. A space gets its id when it is first
//! named, declared or not, so a declaration's space is final as soon as it is added even if
//! the space is declared in a later file. `finish` then lets the first declaration of each
//! space and network stand, and leaves out the declarations placed in a space that is never
//! declared. Nothing is reported here: what names nothing or disagrees is kept in
//! [`Model::names`] for the rules.

use compact_str::CompactString;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::hash::Hash;

use crate::load::document::{Document, Placement};
use crate::model::kinds::SpaceKind;
use crate::model::left_out::LeftOutKind;
use crate::model::names::FileNames;
use crate::model::scope::Scope;
use crate::model::{
    AddrRange, Block, Common, FABRIC, FABRIC_NAME, Model, Network, ROOT_SCOPE, Space, SpaceId,
    Subnet,
};
use crate::source::{SourceFile, Span, Spanned};

#[cfg(test)]
pub(crate) mod test_plans;

/// Builds the model from files handed over in canonical order (`add_file`), then `finish`.
pub struct ModelBuilder {
    model: Model,
    scopes: Interner<Scope>,
}

impl Default for ModelBuilder {
    /// A builder with what every plan has: the space `fabric` and the scope `/`.
    fn default() -> ModelBuilder {
        let mut builder = ModelBuilder {
            model: Model::default(),
            scopes: Interner::default(),
        };
        builder.space_id(&CompactString::const_new(FABRIC_NAME));
        builder.scopes.id(Scope::root());
        builder
    }
}

impl ModelBuilder {
    /// A builder whose arenas that a large plan fills start with room for `bytes` each
    /// (see `memory::OWN_PAGES_FROM`): a plan of a few files touches a page or two of each.
    pub fn with_arena_bytes(bytes: usize) -> ModelBuilder {
        let mut builder = ModelBuilder::default();
        let model = &mut builder.model;
        reserve_bytes(&mut model.blocks, bytes);
        reserve_bytes(&mut model.subnets, bytes);
        reserve_bytes(&mut model.ranges, bytes);
        reserve_bytes(&mut model.addresses, bytes);
        reserve_bytes(&mut model.v6_addresses, bytes);
        model.address_names.reserve_exact(bytes);
        builder
    }

    /// Takes the next file in canonical order, with its declarations if it could be read.
    /// A file that gave no declarations at all for `fault`, its first: a name that names
    /// nothing may follow from it.
    pub fn note_file_left_out(&mut self, fault: Span) {
        self.model.left_out.files.push(fault);
    }

    pub fn add_file(&mut self, file: SourceFile, document: Option<Document>) {
        self.model.files.push(file);
        let Some(mut document) = document else {
            self.model.file_sources.push(None);
            self.model.file_scopes.push(ROOT_SCOPE);
            return;
        };
        debug_assert_eq!(
            document.file as usize + 1,
            self.model.files.len(),
            "files come in canonical order"
        );
        self.model.declarations += document.declarations;
        self.model.file_sources.push(document.source.take());
        let defaults = Common {
            space: match &document.space {
                Some(reference) => self.space_id(&reference.value),
                None => FABRIC,
            },
            scope: match &document.scope {
                Some(scope) => self.scopes.id(scope.value.clone()),
                None => ROOT_SCOPE,
            },
            name: None,
        };
        self.model.file_scopes.push(defaults.scope);
        let file_space = document.space.as_ref().map(|space| &space.value);
        for mut left_out in std::mem::take(&mut document.left_out) {
            if matches!(left_out.kind, LeftOutKind::Block | LeftOutKind::Subnet) {
                let space = left_out.space.take().or_else(|| file_space.cloned());
                left_out.space = Some(space.unwrap_or_else(|| FABRIC_NAME.into()));
            }
            self.model.left_out.declarations.push(left_out);
        }
        self.add_declarations(&defaults, &mut document);
        self.add_addresses(&defaults, &mut document);
        for space in &document.spaces {
            self.space_id(&space.name.value);
        }
        self.model.names.files.push(FileNames {
            space: document.space,
            spaces: document.spaces,
            networks: document.networks,
        });
    }

    fn add_declarations(&mut self, defaults: &Common, document: &mut Document) {
        for decl in std::mem::take(&mut document.blocks) {
            let common = self.common(defaults, decl.placement, decl.name);
            self.model.blocks.push(Block {
                cidr: decl.cidr,
                common,
            });
        }
        for decl in std::mem::take(&mut document.subnets) {
            self.model.names.network_refs.extend(decl.network);
            let common = self.common(defaults, decl.placement, decl.name);
            self.model.subnets.push(Subnet {
                cidr: decl.cidr,
                common,
                site: decl.site,
                vlan: decl.vlan,
                vsid: decl.vsid,
                gateway: decl.gateway,
            });
        }
        for decl in std::mem::take(&mut document.ranges) {
            let common = self.common(defaults, decl.placement, decl.name);
            self.model.ranges.push(AddrRange {
                start: decl.start,
                end: decl.end,
                kind: decl.kind,
                common,
            });
        }
    }

    /// Addresses come decoded into their final form: they only need their space, scope and
    /// name offset set.
    fn add_addresses(&mut self, defaults: &Common, document: &mut Document) {
        let list = std::mem::take(&mut document.addresses);
        let model = &mut self.model;
        let bases = (model.address_names.len(), model.v6_addresses.len());
        model.address_names.push_str(&list.pools.names);
        model.v6_addresses.extend_from_slice(&list.pools.v6);
        model.addresses.reserve(list.records.len());
        let mut own = list.placements.into_iter().peekable();
        for (index, mut address) in list.records.into_iter().enumerate() {
            let placement = own.next_if(|(at, _)| *at == index).map(|(_, p)| p);
            let common = match placement {
                Some(placement) => self.common(defaults, placement, None),
                None => defaults.clone(),
            };
            if address.place(common.space, common.scope, bases) {
                self.model.addresses.push(address);
            } else {
                self.model.names.unkept_addresses.push(address.ip_span());
            }
        }
    }

    /// A declaration's space, administering scope and name.
    fn common(
        &mut self,
        defaults: &Common,
        placement: Placement,
        name: Option<Spanned<CompactString>>,
    ) -> Common {
        let space = match placement.space {
            Some(reference) => {
                let id = self.space_id(&reference.value);
                self.model.names.space_refs.push(reference);
                id
            }
            None => defaults.space,
        };
        let scope = match placement.scope {
            Some(scope) => self.scopes.id(scope.value),
            None => defaults.scope,
        };
        Common { space, scope, name }
    }

    /// The id of the space of that name, which it gets when first named.
    fn space_id(&mut self, name: &CompactString) -> SpaceId {
        if let Some(&id) = self.model.space_ids.get(name) {
            return id;
        }
        let id = self.model.spaces.len() as SpaceId;
        self.model.space_ids.insert(name.clone(), id);
        self.model.spaces.push(Space {
            name: name.to_string(),
            kind: SpaceKind::Fabric,
            provider: None,
            declared_at: None,
        });
        id
    }

    /// Lets the first declaration of each space and network stand, and leaves out the
    /// declarations whose space is not declared.
    pub fn finish(self) -> Model {
        let mut model = self.model;
        model.scopes = self.scopes.values;
        declare_spaces_and_networks(&mut model);
        leave_out_undeclared_spaces(&mut model);
        // The arenas grew by doubling while files came in; what they hold now is final.
        model.blocks.shrink_to_fit();
        model.subnets.shrink_to_fit();
        model.ranges.shrink_to_fit();
        model.addresses.shrink_to_fit();
        model.address_names.shrink_to_fit();
        model.v6_addresses.shrink_to_fit();
        model
    }
}

/// Reserves room for `bytes` of `T` in an empty arena.
fn reserve_bytes<T>(arena: &mut Vec<T>, bytes: usize) {
    arena.reserve_exact(bytes.div_ceil(std::mem::size_of::<T>().max(1)));
}

/// The first declaration in canonical order of each name stands. `fabric` always exists as
/// a fabric space without a provider, whatever a file declares of it.
fn declare_spaces_and_networks(model: &mut Model) {
    let Model {
        names,
        spaces,
        space_ids,
        networks,
        network_ids,
        ..
    } = model;
    for file in &names.files {
        for decl in &file.spaces {
            let id = space_ids[&decl.name.value];
            let space = &mut spaces[id as usize];
            if id != FABRIC && space.declared_at.is_none() {
                space.kind = decl.kind;
                space.provider = decl.provider.clone();
                space.declared_at = Some(decl.name.span);
            }
        }
    }
    for file in &names.files {
        for decl in &file.networks {
            if network_ids.contains_key(&decl.name.value) {
                continue;
            }
            network_ids.insert(decl.name.value.clone(), networks.len());
            networks.push(Network {
                name: decl.name.value.to_string(),
                virtualization: decl.virtualization,
                space: file.space_of(decl).map_or_else(
                    || CompactString::const_new(FABRIC_NAME),
                    |s| s.value.clone(),
                ),
                declared_at: decl.name.span,
            });
        }
    }
}

fn leave_out_undeclared_spaces(model: &mut Model) {
    let declared: Vec<bool> = (model.spaces.iter().enumerate())
        .map(|(id, space)| space.is_declared(id as SpaceId))
        .collect();
    if declared.iter().all(|&d| d) {
        return;
    }
    let placed = |space: SpaceId| declared[space as usize];
    model.blocks.retain(|d| placed(d.common.space));
    model.subnets.retain(|d| placed(d.common.space));
    model.ranges.retain(|d| placed(d.common.space));
    // A million addresses are checked on every thread; the few in no space (each is a
    // fault) are then left out in one pass.
    if model.addresses.par_iter().any(|d| !placed(d.space)) {
        model.addresses.retain(|d| placed(d.space));
    }
}

/// Each distinct value once, by index.
struct Interner<T> {
    ids: FxHashMap<T, u32>,
    values: Vec<T>,
}

impl<T> Default for Interner<T> {
    fn default() -> Self {
        Interner {
            ids: FxHashMap::default(),
            values: Vec::new(),
        }
    }
}

impl<T: Hash + Eq + Clone> Interner<T> {
    fn id(&mut self, value: T) -> u32 {
        *self.ids.entry(value).or_insert_with_key(|value| {
            self.values.push(value.clone());
            (self.values.len() - 1) as u32
        })
    }
}
