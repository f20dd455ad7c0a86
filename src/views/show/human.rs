//! `show --format human`: the tree drawn one line per declaration, written as it is walked
//! (a plan of a million declarations is never held as text), then the totals per source.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::in_order::write_in_order;
use super::{Node, Show};
use crate::model::kinds::SpaceKind;
use crate::model::usage::{Count, Fill};
use crate::report::escape::visible;

pub struct Style {
    pub color: bool,
}

const BAR_CELLS: usize = 10;

pub fn write_human(show: &Show, style: &Style, out: &mut dyn Write) -> io::Result<()> {
    let mut out = io::BufWriter::new(out);
    let model = &show.outcome.model;
    let totals = Totals::of(show);
    for (index, &space) in show.spaces.iter().enumerate() {
        if index > 0 {
            writeln!(out)?;
        }
        let declared = &model.spaces[space as usize];
        let kind = match (&declared.kind, &declared.provider) {
            (SpaceKind::Virtual, Some(provider)) => {
                format!("virtual, over {}", visible(&provider.value))
            }
            (kind, _) => kind.as_str().to_owned(),
        };
        let header = format!("{} ({kind})", visible(&declared.name));
        writeln!(out, "{}  {}", bold(style, &header), totals.of_space(space))?;
        let roots = show.shown_children(show.roots(space), 1);
        let top = Manager {
            source: None,
            scope: "",
        };
        write_nodes(show, style, &mut out, &roots, "", 1, &top)?;
    }
    if !totals.per_source.is_empty() {
        writeln!(out)?;
        for (source, line) in totals.by_source() {
            writeln!(out, "{}: {line}", visible(source.unwrap_or("(no source)")))?;
        }
    }
    out.flush()
}

/// Who manages a node: its source and its administering scope. A line names them only where
/// they differ from its parent's, so a subtree of one manager reads as one.
struct Manager<'s> {
    source: Option<&'s str>,
    scope: &'s str,
}

/// The lines of `nodes`, siblings at `depth`, and of what they hold. Blocks are written in
/// place; the runs of subnets and ranges among them, most of the tree, are rendered on
/// every core.
fn write_nodes(
    show: &Show,
    style: &Style,
    out: &mut impl Write,
    nodes: &[Node],
    indent: &str,
    depth: usize,
    parent: &Manager,
) -> io::Result<()> {
    let siblings = Siblings {
        nodes,
        indent,
        depth,
        parent,
    };
    let mut index = 0;
    while index < nodes.len() {
        if let Node::Block(_) = nodes[index] {
            write_subtree(show, style, out, &siblings, index)?;
            index += 1;
            continue;
        }
        let run_end = (nodes[index..].iter())
            .position(|node| matches!(node, Node::Block(_)))
            .map_or(nodes.len(), |length| index + length);
        let run: Vec<usize> = (index..run_end).collect();
        write_in_order(
            &run,
            |&at, piece| write_subtree(show, style, piece, &siblings, at),
            |piece| out.write_all(piece),
        )?;
        index = run_end;
    }
    Ok(())
}

/// Siblings of the tree, and where they hang.
struct Siblings<'n> {
    nodes: &'n [Node],
    /// What the lines above draw to the left of them.
    indent: &'n str,
    depth: usize,
    parent: &'n Manager<'n>,
}

/// The line of sibling `index`, then the lines of what it holds.
fn write_subtree(
    show: &Show,
    style: &Style,
    out: &mut impl Write,
    siblings: &Siblings,
    index: usize,
) -> io::Result<()> {
    let node = siblings.nodes[index];
    let (branch, more) = if index + 1 == siblings.nodes.len() {
        ("└─ ", "   ")
    } else {
        ("├─ ", "│  ")
    };
    let manager = manager(show, node);
    let line = line(show, style, node, siblings.parent, &manager);
    writeln!(out, "{}{branch}{line}", siblings.indent)?;
    let depth = siblings.depth + 1;
    let children = show.shown_children(show.children(node), depth);
    let indent = format!("{}{more}", siblings.indent);
    write_nodes(show, style, out, &children, &indent, depth, &manager)
}

fn manager<'s>(show: &'s Show, node: Node) -> Manager<'s> {
    let model = &show.outcome.model;
    Manager {
        source: show.source(node),
        scope: model.scope(node.common(model).scope).as_str(),
    }
}

/// A node's line: what it is, how full, who manages it, and its faults.
fn line(show: &Show, style: &Style, node: Node, parent: &Manager, own: &Manager) -> String {
    use std::fmt::Write as _;
    let model = &show.outcome.model;
    let mut line = String::with_capacity(128);
    // Writing to a String does not fail.
    let common = match node {
        Node::Block(id) => {
            let _ = write!(line, "{}", model.blocks[id].cidr.value);
            &model.blocks[id].common
        }
        Node::Subnet(id) => {
            let _ = write!(line, "{}", model.subnets[id].cidr.value);
            &model.subnets[id].common
        }
        Node::Range(id) => {
            let range = &model.ranges[id];
            let (start, end) = (range.start.value, range.end.value);
            let _ = write!(line, "{start} - {end} {}", range.kind.as_str());
            &range.common
        }
    };
    if let Some(name) = &common.name {
        let _ = write!(line, "  {}", visible(&name.value));
    }
    line.push_str("  ");
    push_bar(&mut line, show.fill(node));
    if own.source != parent.source {
        let _ = write!(line, "  {}", visible(own.source.unwrap_or("no source")));
    }
    if own.scope != parent.scope {
        let _ = write!(line, "  scope {}", visible(own.scope));
    }
    if let Node::Subnet(id) = node {
        let subnet = &model.subnets[id];
        if let Some(site) = &subnet.site {
            let _ = write!(line, "  site {}", visible(site));
        }
        if let Some(vlan) = &subnet.vlan {
            let _ = write!(line, "  vlan {}", vlan.value);
        }
        if let Some(vsid) = &subnet.vsid {
            let _ = write!(line, "  vsid {}", vsid.value);
        }
    }
    let (errors, warnings) = show.faults(node);
    let plural = |n: u32, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    if errors > 0 {
        let _ = write!(line, "  {}", paint(style, "31", &plural(errors, "error")));
    }
    if warnings > 0 {
        let _ = write!(
            line,
            "  {}",
            paint(style, "33", &plural(warnings, "warning"))
        );
    }
    if show.is_full(node) {
        let _ = write!(
            line,
            "  {}",
            paint(style, "1;31", "at the utilization threshold")
        );
    }
    line
}

/// `▕███░░░░░░░▏  30.0%`: ten cells, each a tenth of the size.
fn push_bar(line: &mut String, fill: Fill) {
    let ratio = fill.utilization().clamp(0.0, 1.0);
    let full = (ratio * BAR_CELLS as f64).round() as usize;
    // Something used never shows as nothing, nor a part as the whole.
    let full = match (fill.used > Count::default(), fill.used < fill.size) {
        (true, _) if full == 0 => 1,
        (_, true) if full == BAR_CELLS => BAR_CELLS - 1,
        _ => full,
    };
    line.push('▕');
    (0..full).for_each(|_| line.push('█'));
    (full..BAR_CELLS).for_each(|_| line.push('░'));
    line.push('▏');
    let percent = ratio * 100.0;
    if fill.used > Count::default() && percent < 0.1 {
        line.push_str(" <0.1%");
    } else {
        use std::fmt::Write as _;
        let _ = write!(line, "{:>6}", format!("{percent:.1}%"));
    }
}

/// What the tree shows, counted (addresses are counted, not drawn): per space, and per
/// source in the spaces shown. One pass over the model, however many spaces there are.
struct Totals<'s> {
    /// Blocks, subnets, ranges and addresses, by space id.
    per_space: Vec<[usize; 4]>,
    per_source: BTreeMap<Option<&'s str>, [usize; 4]>,
}

impl<'s> Totals<'s> {
    fn of(show: &'s Show) -> Totals<'s> {
        let model = &show.outcome.model;
        let mut in_view = vec![false; model.spaces.len()];
        for &space in &show.spaces {
            in_view[space as usize] = true;
        }
        let mut per_space = vec![[0; 4]; model.spaces.len()];
        // By file first: a file has one source, and a million look-ups of it by name cost.
        let mut per_file = vec![[0; 4]; show.outcome.files.len()];
        let mut add = |file: u32, space: crate::model::SpaceId, slot: usize, counted: bool| {
            if counted && in_view[space as usize] {
                per_space[space as usize][slot] += 1;
                per_file[file as usize][slot] += 1;
            }
        };
        for (id, block) in model.blocks.iter().enumerate() {
            let shown = show.is_shown(Node::Block(id));
            add(block.cidr.span.file, block.common.space, 0, shown);
        }
        for (id, subnet) in model.subnets.iter().enumerate() {
            let shown = show.is_shown(Node::Subnet(id));
            add(subnet.cidr.span.file, subnet.common.space, 1, shown);
        }
        for (id, range) in model.ranges.iter().enumerate() {
            let shown = show.is_shown(Node::Range(id));
            add(range.start.span.file, range.common.space, 2, shown);
        }
        for (id, address) in model.addresses.iter().enumerate() {
            let counted = show.counts_address(id);
            add(address.ip_span().file, address.space, 3, counted);
        }
        let mut per_source: BTreeMap<Option<&str>, [usize; 4]> = BTreeMap::new();
        for (file, counts) in per_file.iter().enumerate() {
            if counts.iter().any(|&n| n > 0) {
                let source = per_source.entry(model.source_of(file as u32)).or_default();
                (0..4).for_each(|slot| source[slot] += counts[slot]);
            }
        }
        Totals {
            per_space,
            per_source,
        }
    }

    fn of_space(&self, space: crate::model::SpaceId) -> String {
        described(self.per_space[space as usize])
    }

    /// `vmm-dc1a: 12 subnets, 1,034 addresses`, by source name (no source first).
    fn by_source(&self) -> impl Iterator<Item = (Option<&'s str>, String)> + '_ {
        (self.per_source.iter()).map(|(&source, &counts)| (source, described(counts)))
    }
}

fn described([blocks, subnets, ranges, addresses]: [usize; 4]) -> String {
    totals(&[
        (blocks, "block"),
        (subnets, "subnet"),
        (ranges, "range"),
        (addresses, "address"),
    ])
}

/// `12 subnets, 1,034 addresses`: the kinds there are any of.
fn totals(counts: &[(usize, &str)]) -> String {
    let parts: Vec<String> = counts
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|&(n, word)| {
            let plural = if n == 1 {
                ""
            } else if word.ends_with('s') {
                "es"
            } else {
                "s"
            };
            format!("{} {word}{plural}", thousands(n))
        })
        .collect();
    if parts.is_empty() {
        "empty".to_owned()
    } else {
        parts.join(", ")
    }
}

fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

fn bold(style: &Style, text: &str) -> String {
    paint(style, "1", text)
}

fn paint(style: &Style, code: &str, text: &str) -> String {
    if style.color {
        format!("\u{1b}[{code}m{text}\u{1b}[0m")
    } else {
        text.to_owned()
    }
}
