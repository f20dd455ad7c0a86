//! `ipam-lint show`: the address space as a tree (SPEC §9), as an IPAM console's
//! address-space view shows it: each space, its blocks nested, the subnets of each block,
//! the ranges of each subnet, with how full each is. Filters select declarations; their
//! containers are kept for context.

use rustc_hash::FxHashMap;

use rayon::prelude::*;

use crate::check::Outcome;
use crate::model::ip::Prefix;
use crate::model::scope::Scope;
use crate::model::tree::SpaceTree;
use crate::model::usage::{Fill, Usage};
use crate::model::{BlockId, Common, FABRIC, Model, RangeId, SpaceId, SubnetId};

mod human;
mod in_order;
mod json;
mod pretty;

use crate::rule::Severity;
use crate::source::Span;
pub use human::{Style, write_human};
pub use json::write_json;

/// What to show, as the command line gives it.
#[derive(Default)]
pub struct Filters<'a> {
    pub space: Option<&'a str>,
    pub source: Option<&'a str>,
    pub scope: Option<&'a str>,
    pub within: Option<&'a str>,
    /// Levels below each space: 1 shows only what the space holds directly.
    pub depth: Option<usize>,
}

/// A declaration of the tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Node {
    Block(BlockId),
    Subnet(SubnetId),
    Range(RangeId),
}

impl Node {
    /// The node of arena `arena` (blocks, subnets, ranges) and id `id`.
    pub fn of(arena: usize, id: usize) -> Node {
        match arena {
            0 => Node::Block(id),
            1 => Node::Subnet(id),
            _ => Node::Range(id),
        }
    }

    /// The span that stands for the declaration: its CIDR, or a range's start.
    pub fn at(self, model: &Model) -> Span {
        match self {
            Node::Block(id) => model.blocks[id].cidr.span,
            Node::Subnet(id) => model.subnets[id].cidr.span,
            Node::Range(id) => model.ranges[id].start.span,
        }
    }

    pub fn common(self, model: &Model) -> &Common {
        match self {
            Node::Block(id) => &model.blocks[id].common,
            Node::Subnet(id) => &model.subnets[id].common,
            Node::Range(id) => &model.ranges[id].common,
        }
    }
}

/// The tree, its counts and what the filters keep, ready to be rendered.
pub struct Show<'o> {
    pub outcome: &'o Outcome,
    pub tree: SpaceTree,
    pub usage: Usage,
    /// The spaces shown, in order: `fabric` first, then by name.
    pub spaces: Vec<SpaceId>,
    depth: Option<usize>,
    /// Whether `--source`, `--scope` or `--within` select.
    selects: bool,
    /// Per arena: kept by the filters, or holding something kept.
    shown: [Vec<bool>; 3],
    /// Per arena: the line of each declaration's CIDR or start.
    lines: [Vec<u32>; 3],
    /// Errors and warnings by the span they point at.
    findings: FxHashMap<Span, (u32, u32)>,
}

impl<'o> Show<'o> {
    pub fn new(outcome: &'o Outcome, filters: &Filters) -> Result<Show<'o>, String> {
        let model = &outcome.model;
        // The counts take longest: on a thread of their own.
        let (usage, (tree, lines)) = rayon::join(
            || Usage::of(model, &outcome.indexes),
            || {
                (
                    SpaceTree::of(model, &outcome.indexes.containment),
                    lines(outcome),
                )
            },
        );
        let spaces = spaces(model, filters.space)?;
        let keep = Keep::of(filters)?;
        let mut show = Show {
            outcome,
            tree,
            usage,
            spaces,
            depth: filters.depth,
            selects: keep.filters_any,
            // Without a filter that selects, everything is shown.
            shown: [
                vec![!keep.filters_any; model.blocks.len()],
                vec![!keep.filters_any; model.subnets.len()],
                vec![!keep.filters_any; model.ranges.len()],
            ],
            lines: lines?,
            findings: findings(outcome),
        };
        if keep.filters_any {
            for space in show.spaces.clone() {
                for node in show.roots(space) {
                    show.mark(node, &keep);
                }
            }
            // A filter that keeps nothing of a space leaves the space out.
            let spaces = std::mem::take(&mut show.spaces);
            show.spaces = (spaces.into_iter())
                .filter(|&space| show.roots(space).into_iter().any(|n| show.is_shown(n)))
                .collect();
        }
        Ok(show)
    }

    /// What a space holds directly: its top blocks, then its subnets in no block, then its
    /// ranges in no subnet.
    pub fn roots(&self, space: SpaceId) -> Vec<Node> {
        let tree = &self.tree;
        let blocks = tree.top_blocks(space).iter().map(|&id| Node::Block(id));
        let subnets = (tree.subnets_outside_blocks(space).iter()).map(|&id| Node::Subnet(id));
        let ranges = (tree.ranges_outside_subnets(space).iter()).map(|&id| Node::Range(id));
        blocks.chain(subnets).chain(ranges).collect()
    }

    /// What a node holds directly, in the tree's order.
    pub fn children(&self, node: Node) -> Vec<Node> {
        let tree = &self.tree;
        match node {
            Node::Block(id) => (tree.child_blocks(id).iter().map(|&b| Node::Block(b)))
                .chain(tree.subnets_of_block(id).iter().map(|&s| Node::Subnet(s)))
                .collect(),
            Node::Subnet(id) => tree
                .ranges_of_subnet(id)
                .iter()
                .map(|&r| Node::Range(r))
                .collect(),
            Node::Range(_) => Vec::new(),
        }
    }

    /// The children shown at `depth` (1 for a space's roots): none past `--depth`.
    pub fn shown_children(&self, nodes: Vec<Node>, depth: usize) -> Vec<Node> {
        if self.depth.is_some_and(|limit| depth > limit) {
            return Vec::new();
        }
        nodes
            .into_iter()
            .filter(|&node| self.is_shown(node))
            .collect()
    }

    /// Whether an address counts in the totals: it is in a subnet shown, or in none when
    /// nothing is selected. (`--depth` hides, it does not select.)
    pub fn counts_address(&self, id: crate::model::AddressId) -> bool {
        match self.outcome.indexes.containment.address_subnet.get(id) {
            Some(subnet) => self.shown[1][subnet],
            None => !self.selects,
        }
    }

    pub fn is_shown(&self, node: Node) -> bool {
        let (arena, id) = slot(node);
        self.shown[arena][id]
    }

    /// Marks what the filters keep and what holds it; says whether `node` is shown.
    fn mark(&mut self, node: Node, keep: &Keep) -> bool {
        let mut shown = keep.keeps(&self.outcome.model, node);
        for child in self.children(node) {
            shown |= self.mark(child, keep);
        }
        let (arena, id) = slot(node);
        self.shown[arena][id] = shown;
        shown
    }

    pub fn fill(&self, node: Node) -> Fill {
        match node {
            Node::Block(id) => self.usage.blocks[id],
            Node::Subnet(id) => self.usage.subnets[id],
            Node::Range(id) => self.usage.ranges[id],
        }
    }

    pub fn line(&self, node: Node) -> u32 {
        let (arena, id) = slot(node);
        self.lines[arena][id]
    }

    pub fn file(&self, node: Node) -> &str {
        &self.outcome.files[self.at(node).file as usize].path
    }

    pub fn source(&self, node: Node) -> Option<&str> {
        self.outcome.model.source_of(self.at(node).file)
    }

    /// The span that stands for the declaration: its CIDR, or a range's start.
    pub fn at(&self, node: Node) -> Span {
        node.at(&self.outcome.model)
    }

    /// The errors and warnings whose primary location is a value of the declaration.
    pub fn faults(&self, node: Node) -> (u32, u32) {
        // Most plans have few findings: most nodes need no look-up at all.
        if self.findings.is_empty() {
            return (0, 0);
        }
        let model = &self.outcome.model;
        let name = |common: &Common| common.name.as_ref().map(|n| n.span);
        let spans: [Option<Span>; 5] = match node {
            Node::Block(id) => [
                Some(self.at(node)),
                name(&model.blocks[id].common),
                None,
                None,
                None,
            ],
            Node::Subnet(id) => {
                let subnet = &model.subnets[id];
                [
                    Some(self.at(node)),
                    name(&subnet.common),
                    subnet.gateway.as_ref().map(|g| g.span),
                    subnet.vlan.as_ref().map(|v| v.span),
                    subnet.vsid.as_ref().map(|v| v.span),
                ]
            }
            Node::Range(id) => {
                let range = &model.ranges[id];
                [
                    Some(self.at(node)),
                    Some(range.end.span),
                    name(&range.common),
                    None,
                    None,
                ]
            }
        };
        spans
            .iter()
            .flatten()
            .fold((0, 0), |(errors, warnings), span| {
                let (e, w) = self.findings.get(span).copied().unwrap_or_default();
                (errors + e, warnings + w)
            })
    }

    /// At or above `utilization.threshold`: a node that stands out.
    pub fn is_full(&self, node: Node) -> bool {
        let fill = self.fill(node);
        fill.used > Default::default() && fill.utilization() >= self.outcome.utilization_threshold
    }
}

fn slot(node: Node) -> (usize, usize) {
    match node {
        Node::Block(id) => (0, id),
        Node::Subnet(id) => (1, id),
        Node::Range(id) => (2, id),
    }
}

/// The declared spaces to show: `fabric` first, then the others by name.
fn spaces(model: &Model, only: Option<&str>) -> Result<Vec<SpaceId>, String> {
    if let Some(name) = only {
        return super::space_named(model, name).map(|id| vec![id]);
    }
    let mut spaces: Vec<SpaceId> = model.declared_spaces().map(|(id, _)| id).collect();
    spaces.sort_by(|&a, &b| {
        (a != FABRIC, model.space_name(a)).cmp(&(b != FABRIC, model.space_name(b)))
    });
    Ok(spaces)
}

/// The filters that select declarations (`--space` and `--depth` select otherwise).
struct Keep {
    source: Option<String>,
    scope: Option<Scope>,
    within: Option<Prefix>,
    filters_any: bool,
}

impl Keep {
    fn of(filters: &Filters) -> Result<Keep, String> {
        let scope = filters.scope.map(Scope::parse).transpose()?;
        let within = filters.within.map(canonical_cidr).transpose()?;
        Ok(Keep {
            source: filters.source.map(str::to_owned),
            filters_any: filters.source.is_some() || scope.is_some() || within.is_some(),
            scope,
            within,
        })
    }

    fn keeps(&self, model: &Model, node: Node) -> bool {
        let (common, at) = (node.common(model), node.at(model));
        let interval = match node {
            Node::Block(id) => model.blocks[id].cidr.value.interval(),
            Node::Subnet(id) => model.subnets[id].cidr.value.interval(),
            Node::Range(id) => model.ranges[id].interval(),
        };
        let source_matches = self
            .source
            .as_deref()
            .is_none_or(|source| model.source_of(at.file) == Some(source));
        let scope_matches = self
            .scope
            .as_ref()
            .is_none_or(|scope| scope.administers(model.scope(common.scope)));
        let within_matches = self
            .within
            .is_none_or(|within| within.interval().contains(interval));
        source_matches && scope_matches && within_matches
    }
}

/// A CIDR given on the command line, refused with host bits set as `check` refuses it.
fn canonical_cidr(text: &str) -> Result<Prefix, String> {
    let parsed = Prefix::parse(text)?;
    if parsed.had_host_bits {
        return Err(format!(
            "CIDR `{text}` has host bits set; write `{}`",
            parsed.prefix
        ));
    }
    Ok(parsed.prefix)
}

/// The line of every block's, subnet's and range's CIDR or start, each file read once.
fn lines(outcome: &Outcome) -> Result<[Vec<u32>; 3], String> {
    let model = &outcome.model;
    let sizes = [model.blocks.len(), model.subnets.len(), model.ranges.len()];
    // Per file: (offset, arena, id), in order.
    let mut per_file: Vec<Vec<(u32, usize, usize)>> = vec![Vec::new(); outcome.files.len()];
    for (arena, &size) in sizes.iter().enumerate() {
        for id in 0..size {
            let span = Node::of(arena, id).at(model);
            per_file[span.file as usize].push((span.start, arena, id));
        }
    }
    let found: Vec<Vec<u32>> = per_file
        .par_iter_mut()
        .enumerate()
        .map(|(file, wanted)| {
            wanted.sort_unstable();
            let offsets: Vec<u32> = wanted.iter().map(|&(offset, _, _)| offset).collect();
            crate::load::lines_of(&outcome.files[file], &offsets)
        })
        .collect::<Result<_, _>>()?;
    let mut lines = [
        vec![0; model.blocks.len()],
        vec![0; model.subnets.len()],
        vec![0; model.ranges.len()],
    ];
    for (wanted, found) in per_file.iter().zip(found) {
        for (&(_, arena, id), line) in wanted.iter().zip(found) {
            lines[arena][id] = line;
        }
    }
    Ok(lines)
}

fn findings(outcome: &Outcome) -> FxHashMap<Span, (u32, u32)> {
    let mut by_span: FxHashMap<Span, (u32, u32)> = FxHashMap::default();
    for finding in &outcome.findings {
        let counts = by_span.entry(finding.primary).or_default();
        match finding.severity {
            Severity::Error => counts.0 += 1,
            Severity::Warning => counts.1 += 1,
        }
    }
    by_span
}
