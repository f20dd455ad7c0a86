//! `show --format human`: the tree drawn one line per declaration, written as it is walked
//! (a plan of a million declarations is never held as text), then the totals per source.

use std::collections::BTreeMap;
use std::io::{self, Write};

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
        writeln!(
            out,
            "{}  {}",
            bold(style, &header),
            space_totals(show, space)
        )?;
        let roots = show.shown_children(show.roots(space), 1);
        let top = Manager {
            source: None,
            scope: "",
        };
        write_nodes(show, style, &mut out, &roots, "", 1, &top)?;
    }
    let sources = source_totals(show);
    if !sources.is_empty() {
        writeln!(out)?;
        for (source, line) in sources {
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

fn write_nodes(
    show: &Show,
    style: &Style,
    out: &mut impl Write,
    nodes: &[Node],
    indent: &str,
    depth: usize,
    parent: &Manager,
) -> io::Result<()> {
    for (index, &node) in nodes.iter().enumerate() {
        let last = index + 1 == nodes.len();
        let (branch, more) = if last {
            ("└─ ", "   ")
        } else {
            ("├─ ", "│  ")
        };
        let manager = manager(show, node);
        writeln!(
            out,
            "{indent}{branch}{}",
            line(show, style, node, parent, &manager)
        )?;
        let children = show.shown_children(show.children(node), depth + 1);
        let indent = format!("{indent}{more}");
        write_nodes(show, style, out, &children, &indent, depth + 1, &manager)?;
    }
    Ok(())
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

/// What the tree of a space shows, counted (addresses are counted, not drawn).
fn space_totals(show: &Show, space: crate::model::SpaceId) -> String {
    let model = &show.outcome.model;
    let count = |arena: usize, space_of: &dyn Fn(usize) -> crate::model::SpaceId| {
        (0..[model.blocks.len(), model.subnets.len(), model.ranges.len()][arena])
            .filter(|&id| space_of(id) == space && show.is_shown(Node::of(arena, id)))
            .count()
    };
    let blocks = count(0, &|id| model.blocks[id].common.space);
    let subnets = count(1, &|id| model.subnets[id].common.space);
    let ranges = count(2, &|id| model.ranges[id].common.space);
    let addresses = (model.addresses.iter().enumerate())
        .filter(|(id, a)| a.space == space && show.counts_address(*id))
        .count();
    totals(&[
        (blocks, "block"),
        (subnets, "subnet"),
        (ranges, "range"),
        (addresses, "address"),
    ])
}

/// Per source, what it declares in the spaces shown: `vmm-dc1a: 12 subnets, 1,034 addresses`.
fn source_totals<'s>(show: &'s Show) -> Vec<(Option<&'s str>, String)> {
    let model = &show.outcome.model;
    let shown = |space: crate::model::SpaceId| show.spaces.contains(&space);
    let mut counts: BTreeMap<Option<&str>, [usize; 4]> = BTreeMap::new();
    let mut add = |file: u32, space, slot: usize, counted: bool| {
        if counted && shown(space) {
            counts.entry(model.source_of(file)).or_default()[slot] += 1;
        }
    };
    for (id, block) in model.blocks.iter().enumerate() {
        add(
            block.cidr.span.file,
            block.common.space,
            0,
            show.is_shown(Node::Block(id)),
        );
    }
    for (id, subnet) in model.subnets.iter().enumerate() {
        add(
            subnet.cidr.span.file,
            subnet.common.space,
            1,
            show.is_shown(Node::Subnet(id)),
        );
    }
    for (id, range) in model.ranges.iter().enumerate() {
        add(
            range.start.span.file,
            range.common.space,
            2,
            show.is_shown(Node::Range(id)),
        );
    }
    for (id, address) in model.addresses.iter().enumerate() {
        add(
            address.ip_span().file,
            address.space,
            3,
            show.counts_address(id),
        );
    }
    counts
        .into_iter()
        .map(|(source, [b, s, r, a])| {
            let line = totals(&[(b, "block"), (s, "subnet"), (r, "range"), (a, "address")]);
            (source, line)
        })
        .collect()
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
