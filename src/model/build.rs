//! Builds the model from the documents: resolves spaces and networks (the first declaration
//! in canonical order stands), checks every reference, and leaves out declarations in a
//! space that is not declared. Reports `conflicting-declaration`, `unknown-reference` and
//! `invalid-provider`, each once per referencing value.

use compact_str::CompactString;
use std::collections::{HashMap, HashSet};

use crate::finding::Finding;
use crate::load::document::{Document, NetworkDecl, Placement, SpaceDecl, SpaceKind};
use crate::rules::Rule;
use crate::source::{SourceFile, Span, Spanned};

use super::scope::Scope;
use super::{AddrRange, Address, Block, Common, FABRIC, Model, Network, Space, SpaceId, Subnet};

pub fn build(
    files: Vec<SourceFile>,
    documents: Vec<Document>,
    findings: &mut Vec<Finding>,
) -> Model {
    let mut builder = Builder {
        model: Model {
            file_sources: vec![None; files.len()],
            file_scopes: vec![Scope::root(); files.len()],
            files,
            ..Model::default()
        },
        space_ids: HashMap::new(),
        network_ids: HashMap::new(),
        standing_providers: vec![None],
        network_spaces: Vec::new(),
        reported: HashSet::new(),
        findings,
    };
    builder.model.spaces.push(Space {
        name: "fabric".to_owned(),
        kind: SpaceKind::Fabric,
        declared_at: None,
    });
    builder.space_ids.insert("fabric".to_owned(), FABRIC);

    // Exact sizes up front: growing by doubling would hold up to twice the plan at once.
    let total = |count: fn(&Document) -> usize| documents.iter().map(count).sum::<usize>();
    builder
        .model
        .blocks
        .reserve_exact(total(|d| d.blocks.len()));
    builder
        .model
        .subnets
        .reserve_exact(total(|d| d.subnets.len()));
    builder
        .model
        .ranges
        .reserve_exact(total(|d| d.ranges.len()));
    builder
        .model
        .addresses
        .reserve_exact(total(|d| d.addresses.len()));
    for document in &documents {
        builder.model.declarations += document.declarations;
        builder.model.file_sources[document.file as usize] = document.source.clone();
        if let Some(scope) = &document.scope {
            builder.model.file_scopes[document.file as usize] = scope.value.clone();
        }
    }
    // Names are resolved across all files before any reference is checked, so a file may
    // use a space or network declared in a later file.
    for document in &documents {
        for space in &document.spaces {
            builder.declare_space(space);
        }
    }
    for document in &documents {
        for network in &document.networks {
            builder.declare_network(document, network);
        }
    }
    for document in documents {
        let default_space = builder.check_references(&document);
        builder.add_declarations(document, default_space);
    }
    builder.model
}

struct Builder<'f> {
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

impl Builder<'_> {
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
            self.space_ids
                .insert(decl.name.value.to_string(), self.model.spaces.len());
            self.model.spaces.push(Space {
                name: decl.name.value.to_string(),
                kind: decl.kind,
                declared_at: Some(decl.name.span),
            });
            self.standing_providers.push(provider.map(str::to_owned));
            return;
        };
        let standing = &self.model.spaces[standing_id];
        let standing_provider = self.standing_providers[standing_id].as_deref();
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

    /// Checks a file's references; returns its default space, resolved (`None` when it
    /// names nothing declared).
    fn check_references(&mut self, document: &Document) -> Option<SpaceId> {
        let default_space = match &document.space {
            Some(reference) => self.resolve_space(reference),
            None => Some(FABRIC),
        };
        for decl in &document.spaces {
            self.check_provider(decl);
        }
        for decl in &document.networks {
            let reference = decl.space.as_ref().or(document.space.as_ref());
            if let Some(space_ref) = reference
                && let Some(space_id) = self.resolve_space(space_ref)
                && self.model.spaces[space_id].kind == SpaceKind::Virtual
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
        default_space
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

    /// The space and administering scope of a declaration; `None` leaves it out of the model.
    fn common(
        &mut self,
        defaults: &Defaults,
        placement: Placement,
        name: Option<Spanned<CompactString>>,
    ) -> Option<Common> {
        let space = match &placement.space {
            Some(reference) => self.resolve_space(reference)?,
            None => defaults.space?,
        };
        let scope = placement
            .scope
            .map_or_else(|| defaults.scope.clone(), |scope| scope.value);
        Some(Common { space, scope, name })
    }

    /// Moves a document's declarations into the model: the documents are not needed after.
    fn add_declarations(&mut self, document: Document, default_space: Option<SpaceId>) {
        // Resolved once for the file (by `check_references`): most declarations use them.
        let defaults = Defaults {
            space: default_space,
            scope: document.scope.map_or_else(Scope::root, |scope| scope.value),
        };
        for decl in document.blocks {
            if let Some(common) = self.common(&defaults, decl.placement, decl.name) {
                self.model.blocks.push(Block {
                    cidr: decl.cidr,
                    common,
                });
            }
        }
        for decl in document.subnets {
            if let Some(network) = &decl.network
                && !self.network_ids.contains_key(network.value.as_str())
            {
                self.report_once(Finding::new(
                    Rule::UnknownReference,
                    network.span,
                    format!("network {} is not declared", network.value),
                ));
            }
            if let Some(common) = self.common(&defaults, decl.placement, decl.name) {
                self.model.subnets.push(Subnet {
                    cidr: decl.cidr,
                    common,
                    site: decl.site,
                    vlan: decl.vlan,
                    vsid: decl.vsid,
                    gateway: decl.gateway,
                });
            }
        }
        for decl in document.ranges {
            if let Some(common) = self.common(&defaults, decl.placement, decl.name) {
                self.model.ranges.push(AddrRange {
                    start: decl.start,
                    end: decl.end,
                    kind: decl.kind,
                    common,
                });
            }
        }
        for decl in document.addresses {
            if let Some(common) = self.common(&defaults, decl.placement, decl.name) {
                self.model.addresses.push(Address {
                    ip: decl.ip,
                    kind: decl.kind,
                    common,
                });
            }
        }
    }
}

/// A file's defaults, resolved: its space (`None` when it names nothing declared) and scope.
struct Defaults {
    space: Option<SpaceId>,
    scope: Scope,
}

/// The space a network is placed in: its own `space`, else its file's, else `fabric`.
fn effective_space<'d>(document: &'d Document, own: Option<&'d Spanned<CompactString>>) -> &'d str {
    own.or(document.space.as_ref())
        .map_or("fabric", |space| space.value.as_str())
}
