//! `show --format json`: the tree as SPEC §9 prints it, keys in its order, written as it is
//! walked (no second copy of a large tree is built). Blocks are written in place; the
//! subnets and ranges under them, most of the tree, are rendered on every core.

use std::io::{self, Write};

use serde::{Serialize, Serializer};

use super::in_order::write_in_order;
use super::pretty::Pretty;
use super::{Node, Show};
use crate::model::SpaceId;
use crate::model::usage::{Count, Fill};

pub fn write_json(show: &Show, out: &mut dyn Write) -> io::Result<()> {
    let mut out = Pretty::at(io::BufWriter::with_capacity(1 << 16, out), 0);
    out.open(b"{")?;
    out.field("version", &1)?;
    out.key("spaces")?;
    out.open(b"[")?;
    for &space in &show.spaces {
        out.item()?;
        write_space(show, space, &mut out)?;
    }
    out.close(b"]")?;
    out.close(b"}")?;
    let mut out = out.out;
    out.write_all(b"\n")?;
    out.flush()
}

fn write_space<W: Write>(show: &Show, space: SpaceId, out: &mut Pretty<W>) -> io::Result<()> {
    let declared = &show.outcome.model.spaces[space as usize];
    let roots = show.shown_children(show.roots(space), 1);
    out.open(b"{")?;
    out.field("name", &declared.name)?;
    out.field("kind", declared.kind.as_str())?;
    let provider = declared.provider.as_ref().map(|p| p.value.as_str());
    out.field("provider", &provider)?;
    write_list(show, out, "blocks", &roots, Kind::Block, 1)?;
    write_list(show, out, "subnets", &roots, Kind::Subnet, 1)?;
    write_list(show, out, "ranges", &roots, Kind::Range, 1)?;
    out.close(b"}")
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Block,
    Subnet,
    Range,
}

fn kind(node: Node) -> Kind {
    match node {
        Node::Block(_) => Kind::Block,
        Node::Subnet(_) => Kind::Subnet,
        Node::Range(_) => Kind::Range,
    }
}

/// The field `name`: the nodes of one kind among `siblings`, which sit at `depth` of the tree.
fn write_list<W: Write>(
    show: &Show,
    out: &mut Pretty<W>,
    name: &str,
    siblings: &[Node],
    wanted: Kind,
    depth: usize,
) -> io::Result<()> {
    out.key(name)?;
    out.open(b"[")?;
    let nodes: Vec<Node> = (siblings.iter().copied())
        .filter(|&node| kind(node) == wanted)
        .collect();
    if wanted == Kind::Block {
        // Blocks are few, and hold the rest: written in place, so a window of renderings
        // is never a whole block's subtree.
        for &node in &nodes {
            out.item()?;
            write_node(show, node, depth, out)?;
        }
    } else {
        let at = out.depth();
        write_in_order(
            &nodes,
            |&node, piece| write_node(show, node, depth, &mut Pretty::at(piece, at)),
            |piece| out.rendered_item(piece),
        )?;
    }
    out.close(b"]")
}

fn write_node<W: Write>(
    show: &Show,
    node: Node,
    depth: usize,
    out: &mut Pretty<W>,
) -> io::Result<()> {
    let model = &show.outcome.model;
    let children = || show.shown_children(show.children(node), depth + 1);
    out.open(b"{")?;
    match node {
        Node::Block(id) => {
            let block = &model.blocks[id];
            out.field("cidr", &Shown(block.cidr.value))?;
            out.field("name", &name_of(&block.common))?;
            out.field("scope", model.scope(block.common.scope).as_str())?;
            out.field("source", &show.source(node))?;
            write_place_and_fill(show, node, out)?;
            let children = children();
            write_list(show, out, "blocks", &children, Kind::Block, depth + 1)?;
            write_list(show, out, "subnets", &children, Kind::Subnet, depth + 1)?;
        }
        Node::Subnet(id) => {
            let subnet = &model.subnets[id];
            out.field("cidr", &Shown(subnet.cidr.value))?;
            out.field("name", &name_of(&subnet.common))?;
            out.field("source", &show.source(node))?;
            out.field("scope", model.scope(subnet.common.scope).as_str())?;
            out.field("site", &subnet.site.as_deref())?;
            out.field("vlan", &subnet.vlan.as_ref().map(|v| v.value))?;
            out.field("vsid", &subnet.vsid.as_ref().map(|v| v.value))?;
            let gateway = subnet.gateway.as_ref().map(|g| Shown(g.value));
            out.field("gateway", &gateway)?;
            write_place_and_fill(show, node, out)?;
            write_list(show, out, "ranges", &children(), Kind::Range, depth + 1)?;
        }
        Node::Range(id) => {
            let range = &model.ranges[id];
            out.field("start", &Shown(range.start.value))?;
            out.field("end", &Shown(range.end.value))?;
            out.field("type", range.kind.as_str())?;
            out.field("name", &name_of(&range.common))?;
            write_place_and_fill(show, node, out)?;
        }
    }
    out.close(b"}")
}

/// `file`, `line`, `size`, `used` and `utilization`, which every node has in this order.
fn write_place_and_fill<W: Write>(show: &Show, node: Node, out: &mut Pretty<W>) -> io::Result<()> {
    out.field("file", show.file(node))?;
    out.field("line", &show.line(node))?;
    let fill: Fill = show.fill(node);
    write_count(out, "size", fill.size)?;
    write_count(out, "used", fill.used)?;
    out.field("utilization", &fill.utilization())
}

/// A count as an exact JSON integer, 2^128 (all of IPv6) included.
fn write_count<W: Write>(out: &mut Pretty<W>, name: &str, count: Count) -> io::Result<()> {
    match count.get() {
        Some(n) => out.field(name, &n),
        None => out.number_field(name, &count.to_string()),
    }
}

fn name_of(common: &crate::model::Common) -> Option<&str> {
    common.name.as_ref().map(|n| n.value.as_str())
}

/// A value as its `Display` writes it, serialized as a string without an allocation.
struct Shown<T>(T);

impl<T: std::fmt::Display> Serialize for Shown<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}
