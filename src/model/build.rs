//! Builds the model from the documents, file by file as they are read: each file's
//! declarations go straight into the model's arenas, naming their space by an interned name.
//! `finish` then resolves spaces and networks (the first declaration in canonical order
//! stands), checks every reference, and leaves out declarations in a space that is not
//! declared. Reports `conflicting-declaration`, `unknown-reference` and `invalid-provider`,
//! each once per referencing value.

use compact_str::CompactString;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::collections::{HashMap, HashSet};
use std::hash::Hash;

use crate::finding::Finding;
use crate::load::document::{Document, NetworkDecl, Placement, SpaceDecl, SpaceKind};
use crate::memory::{reserve_own_pages, reserve_own_pages_str};
use crate::rules::Rule;
use crate::source::{SourceFile, Span, Spanned};

use super::scope::Scope;
use super::{
    AddrRange, Block, Common, FABRIC, Model, Network, ROOT_SCOPE, ScopeId, Space, SpaceId, Subnet,
};

/// Builds the model from files handed over in canonical order (`add_file`), then `finish`.
pub struct ModelBuilder {
    model: Model,
    /// Every space name a declaration is placed in, each once. Until `finish`, a
    /// declaration's `space` is an index here, since a space may be declared in a later file.
    space_names: Interner<CompactString>,
    scopes: Interner<Scope>,
    /// Each file's document without its blocks, subnets, ranges and addresses, which are in
    /// the model: what `finish` needs to resolve names and check references.
    heads: Vec<Document>,
    /// The `space` references of single declarations, checked once every space is known.
    space_refs: Vec<Spanned<CompactString>>,
    /// The `network` references of subnets.
    network_refs: Vec<Spanned<CompactString>>,
    /// Addresses that did not fit the model's compact form, reported by `finish`.
    unkept: Vec<Span>,
}

impl Default for ModelBuilder {
    fn default() -> Self {
        let mut space_names = Interner::default();
        space_names.id(CompactString::const_new("fabric"));
        let mut scopes = Interner::default();
        scopes.id(Scope::root());
        let mut model = Model::default();
        // The arenas that a large plan fills: a plan of a few files touches a page or two of
        // each.
        reserve_own_pages(&mut model.blocks);
        reserve_own_pages(&mut model.subnets);
        reserve_own_pages(&mut model.ranges);
        reserve_own_pages(&mut model.addresses);
        reserve_own_pages(&mut model.v6_addresses);
        reserve_own_pages_str(&mut model.address_names);
        ModelBuilder {
            model,
            space_names,
            scopes,
            heads: Vec::new(),
            space_refs: Vec::new(),
            network_refs: Vec::new(),
            unkept: Vec::new(),
        }
    }
}

impl ModelBuilder {
    /// Takes the next file in canonical order, with its declarations if it could be read.
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
        let defaults = Defaults {
            space: match &document.space {
                Some(reference) => self.space_names.id(reference.value.clone()),
                None => FABRIC_NAME,
            },
            scope: match &document.scope {
                Some(scope) => self.scopes.id(scope.value.clone()),
                None => ROOT_SCOPE,
            },
        };
        self.model.file_scopes.push(defaults.scope);

        for decl in std::mem::take(&mut document.blocks) {
            let common = self.common(&defaults, decl.placement, decl.name);
            self.model.blocks.push(Block {
                cidr: decl.cidr,
                common,
            });
        }
        for decl in std::mem::take(&mut document.subnets) {
            self.network_refs.extend(decl.network);
            let common = self.common(&defaults, decl.placement, decl.name);
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
            let common = self.common(&defaults, decl.placement, decl.name);
            self.model.ranges.push(AddrRange {
                start: decl.start,
                end: decl.end,
                kind: decl.kind,
                common,
            });
        }
        // Addresses come decoded into their final form: they only need their space, scope
        // and name offset resolved.
        let list = std::mem::take(&mut document.addresses);
        let own_placements: Vec<Common> = list
            .placements
            .into_iter()
            .map(|placement| self.common(&defaults, placement, None))
            .collect();
        let bases = (
            self.model.address_names.len(),
            self.model.v6_addresses.len(),
        );
        self.model.address_names.push_str(&list.pools.names);
        self.model.v6_addresses.extend_from_slice(&list.pools.v6);
        self.model.addresses.reserve(list.records.len());
        for mut address in list.records {
            let (space, scope) = match address.space {
                0 => (defaults.space, defaults.scope),
                own => {
                    let common = &own_placements[own as usize - 1];
                    (common.space, common.scope)
                }
            };
            if address.place(space, scope, bases) {
                self.model.addresses.push(address);
            } else {
                self.unkept.push(address.ip_span());
            }
        }
        self.heads.push(document);
    }

    /// A declaration's space (as an interned name, for now) and administering scope.
    fn common(
        &mut self,
        defaults: &Defaults,
        placement: Placement,
        name: Option<Spanned<CompactString>>,
    ) -> Common {
        let space = match placement.space {
            Some(reference) => {
                let id = self.space_names.id(reference.value.clone());
                self.space_refs.push(reference);
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

    /// Resolves names across all files, checks every reference, and leaves out the
    /// declarations whose space is not declared.
    pub fn finish(self, findings: &mut Vec<Finding>) -> Model {
        let ModelBuilder {
            mut model,
            space_names,
            scopes,
            heads,
            space_refs,
            network_refs,
            unkept,
        } = self;
        for span in unkept {
            findings.push(Finding::new(
                Rule::InvalidValue,
                span,
                "this address is not checked: the plan's address names or IPv6 values exceed 4 GiB in all"
                    .to_owned(),
            ));
        }
        model.scopes = scopes.values;
        let mut resolver = Resolver {
            model,
            space_ids: HashMap::new(),
            network_ids: HashMap::new(),
            standing_providers: vec![None],
            network_spaces: Vec::new(),
            reported: HashSet::new(),
            findings,
        };
        resolver.model.spaces.push(Space {
            name: "fabric".to_owned(),
            kind: SpaceKind::Fabric,
            declared_at: None,
        });
        resolver.space_ids.insert("fabric".to_owned(), FABRIC);

        // Names are resolved across all files before any reference is checked, so a file
        // may use a space or network declared in a later file.
        for document in &heads {
            for space in &document.spaces {
                resolver.declare_space(space);
            }
        }
        for document in &heads {
            for network in &document.networks {
                resolver.declare_network(document, network);
            }
        }
        for document in &heads {
            resolver.check_references(document);
        }
        for network in &network_refs {
            if !resolver.network_ids.contains_key(network.value.as_str()) {
                resolver.report_once(Finding::new(
                    Rule::UnknownReference,
                    network.span,
                    format!("network {} is not declared", network.value),
                ));
            }
        }
        for reference in &space_refs {
            resolver.resolve_space(reference);
        }

        let spaces: Vec<Option<SpaceId>> = space_names
            .values
            .iter()
            .map(|name| resolver.space_ids.get(name.as_str()).copied())
            .collect();
        let mut model = resolver.model;
        // An interned space name becomes the space's id; `false` if it names no space.
        let placed = |space: &mut SpaceId| match spaces[*space as usize] {
            Some(id) => {
                *space = id;
                true
            }
            None => false,
        };
        model.blocks.retain_mut(|d| placed(&mut d.common.space));
        model.subnets.retain_mut(|d| placed(&mut d.common.space));
        model.ranges.retain_mut(|d| placed(&mut d.common.space));
        // A million addresses are placed on every thread; the few in no space (each is a
        // fault) are marked, then left out in one pass.
        let unplaced = model
            .addresses
            .par_iter_mut()
            .map(|d| {
                let kept = placed(&mut d.space);
                if !kept {
                    d.space = UNPLACED;
                }
                usize::from(!kept)
            })
            .sum::<usize>();
        if unplaced > 0 {
            model.addresses.retain(|d| d.space != UNPLACED);
        }
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

/// The interned name of `fabric`, which every plan has.
const FABRIC_NAME: u32 = 0;

/// Marks an address whose space is not declared, until it is left out.
const UNPLACED: SpaceId = SpaceId::MAX;

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

/// Resolves names across files and checks references, reporting each fault once.
struct Resolver<'f> {
    model: Model,
    space_ids: HashMap<String, SpaceId>,
    network_ids: HashMap<String, usize>,
    /// Per space id: the `provider` of the declaration that stands.
    standing_providers: Vec<Option<String>>,
    /// Per network id: the space name of the declaration that stands.
    network_spaces: Vec<String>,
    /// (rule, value) pairs already reported, so a file default is reported once.
    reported: HashSet<(Rule, Span)>,
    findings: &'f mut Vec<Finding>,
}

impl Resolver<'_> {
    fn report_once(&mut self, finding: Finding) {
        if self.reported.insert((finding.rule, finding.primary)) {
            self.findings.push(finding);
        }
    }

    /// Who a file speaks for, for messages: ` (vmm-dc1)`, or nothing without a source.
    fn by(&self, span: Span) -> String {
        self.model
            .source_of(span.file)
            .map(|source| format!(" ({source})"))
            .unwrap_or_default()
    }

    fn declare_space(&mut self, decl: &SpaceDecl) {
        let provider = decl.provider.as_ref().map(|p| p.value.as_str());
        let Some(&standing_id) = self.space_ids.get(decl.name.value.as_str()) else {
            self.space_ids.insert(
                decl.name.value.to_string(),
                self.model.spaces.len() as SpaceId,
            );
            self.model.spaces.push(Space {
                name: decl.name.value.to_string(),
                kind: decl.kind,
                declared_at: Some(decl.name.span),
            });
            self.standing_providers.push(provider.map(str::to_owned));
            return;
        };
        let standing = &self.model.spaces[standing_id as usize];
        let standing_provider = self.standing_providers[standing_id as usize].as_deref();
        if standing.kind == decl.kind && standing_provider == provider {
            return;
        }
        let describe = |kind: SpaceKind, provider: Option<&str>| match provider {
            Some(provider) => format!("kind {} with provider {provider}", kind.as_str()),
            None => format!("kind {}", kind.as_str()),
        };
        let message = format!(
            "space {} is declared again{} as {}, but it is {}{}",
            decl.name.value,
            self.by(decl.name.span),
            describe(decl.kind, provider),
            describe(standing.kind, standing_provider),
            standing
                .declared_at
                .map(|at| self.by(at))
                .unwrap_or_default(),
        );
        let mut finding = Finding::new(Rule::ConflictingDeclaration, decl.name.span, message)
            .in_space(decl.name.value.clone());
        finding = match standing.declared_at {
            Some(at) => finding.related(at, format!("{} first declared here", decl.name.value)),
            None => finding.help("`fabric` always exists as a fabric space without a provider"),
        };
        self.findings.push(finding);
    }

    fn declare_network(&mut self, document: &Document, decl: &NetworkDecl) {
        let space = effective_space(document, decl.space.as_ref());
        let Some(&standing_id) = self.network_ids.get(decl.name.value.as_str()) else {
            self.network_ids
                .insert(decl.name.value.to_string(), self.model.networks.len());
            self.model.networks.push(Network {
                name: decl.name.value.to_string(),
                virtualization: decl.virtualization,
                declared_at: decl.name.span,
            });
            self.network_spaces.push(space.to_owned());
            return;
        };
        let standing = &self.model.networks[standing_id];
        let standing_space = &self.network_spaces[standing_id];
        if standing.virtualization == decl.virtualization && standing_space == space {
            return;
        }
        let message = format!(
            "network {} is declared again{} with virtualization: {} in space {}, but it has virtualization: {} in space {}{}",
            decl.name.value,
            self.by(decl.name.span),
            decl.virtualization,
            space,
            standing.virtualization,
            standing_space,
            self.by(standing.declared_at),
        );
        let finding = Finding::new(Rule::ConflictingDeclaration, decl.name.span, message).related(
            standing.declared_at,
            format!("{} first declared here", decl.name.value),
        );
        self.findings.push(finding);
    }

    /// Checks a file's own references: its default space, the providers of its spaces and
    /// the spaces of its networks.
    fn check_references(&mut self, document: &Document) {
        if let Some(reference) = &document.space {
            self.resolve_space(reference);
        }
        for decl in &document.spaces {
            self.check_provider(decl);
        }
        for decl in &document.networks {
            let reference = decl.space.as_ref().or(document.space.as_ref());
            if let Some(space_ref) = reference
                && let Some(space_id) = self.resolve_space(space_ref)
                && self.model.spaces[space_id as usize].kind == SpaceKind::Virtual
            {
                self.report_once(
                    Finding::new(
                        Rule::InvalidProvider,
                        space_ref.span,
                        format!(
                            "network {} is placed in virtual space {}; logical networks belong to fabric spaces",
                            decl.name.value, space_ref.value
                        ),
                    )
                    .in_space(space_ref.value.clone())
                    .help("virtual spaces run over a network through their `provider`"),
                );
            }
        }
    }

    fn check_provider(&mut self, decl: &SpaceDecl) {
        let Some(provider) = &decl.provider else {
            return;
        };
        if decl.kind == SpaceKind::Fabric {
            self.report_once(
                Finding::new(
                    Rule::InvalidProvider,
                    provider.span,
                    format!(
                        "fabric space {} has a provider; only virtual spaces run over a provider network",
                        decl.name.value
                    ),
                )
                .in_space(decl.name.value.clone())
                .help("set `kind: virtual`, or remove `provider`"),
            );
            return;
        }
        let Some(&network_id) = self.network_ids.get(provider.value.as_str()) else {
            self.report_once(
                Finding::new(
                    Rule::UnknownReference,
                    provider.span,
                    format!(
                        "provider {} of space {} names no declared network",
                        provider.value, decl.name.value
                    ),
                )
                .in_space(decl.name.value.clone()),
            );
            return;
        };
        let network = &self.model.networks[network_id];
        if !network.virtualization {
            let finding = Finding::new(
                Rule::InvalidProvider,
                provider.span,
                format!(
                    "virtual space {} runs over network {}, which lacks `virtualization: true`",
                    decl.name.value, provider.value
                ),
            )
            .in_space(decl.name.value.clone())
            .related(
                network.declared_at,
                format!("{} declared here", network.name),
            );
            self.report_once(finding);
        }
    }

    /// The space a reference names, reporting `unknown-reference` once per value.
    fn resolve_space(&mut self, reference: &Spanned<CompactString>) -> Option<SpaceId> {
        if let Some(&id) = self.space_ids.get(reference.value.as_str()) {
            return Some(id);
        }
        self.report_once(
            Finding::new(
                Rule::UnknownReference,
                reference.span,
                format!("space {} is not declared", reference.value),
            )
            .help("declare it under `spaces:` (only `fabric` exists without a declaration)"),
        );
        None
    }
}

/// A file's defaults: its space (an interned name) and its scope.
struct Defaults {
    space: u32,
    scope: ScopeId,
}

/// The space a network is placed in: its own `space`, else its file's, else `fabric`.
fn effective_space<'d>(document: &'d Document, own: Option<&'d Spanned<CompactString>>) -> &'d str {
    own.or(document.space.as_ref())
        .map_or("fabric", |space| space.value.as_str())
}
