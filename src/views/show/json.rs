//! `show --format json`: the tree as SPEC §9 prints it, keys in its order, serialized as it
//! is walked (no second copy of a large tree is built).

use std::io::{self, Write};

use serde::Serialize;
use serde::ser::{SerializeStruct, Serializer};

use super::{Node, Show};
use crate::model::SpaceId;
use crate::model::usage::Count;

pub fn write_json(show: &Show, out: &mut dyn Write) -> io::Result<()> {
    let mut out = io::BufWriter::with_capacity(1 << 16, out);
    let report = Report { show };
    serde_json::to_writer_pretty(&mut out, &report)?;
    out.write_all(b"\n")?;
    out.flush()
}

struct Report<'s> {
    show: &'s Show<'s>,
}

impl Serialize for Report<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut report = serializer.serialize_struct("Report", 2)?;
        report.serialize_field("version", &1)?;
        let spaces: Vec<SpaceJson> = (self.show.spaces.iter())
            .map(|&space| SpaceJson {
                show: self.show,
                space,
            })
            .collect();
        report.serialize_field("spaces", &spaces)?;
        report.end()
    }
}

struct SpaceJson<'s> {
    show: &'s Show<'s>,
    space: SpaceId,
}

impl Serialize for SpaceJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let show = self.show;
        let declared = &show.outcome.model.spaces[self.space as usize];
        let roots = show.shown_children(show.roots(self.space), 1);
        let mut space = serializer.serialize_struct("Space", 6)?;
        space.serialize_field("name", &declared.name)?;
        space.serialize_field("kind", declared.kind.as_str())?;
        space.serialize_field(
            "provider",
            &declared.provider.as_ref().map(|p| p.value.as_str()),
        )?;
        space.serialize_field("blocks", &Nodes::of(show, &roots, Kind::Block, 1))?;
        space.serialize_field("subnets", &Nodes::of(show, &roots, Kind::Subnet, 1))?;
        space.serialize_field("ranges", &Nodes::of(show, &roots, Kind::Range, 1))?;
        space.end()
    }
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

/// The nodes of one kind among siblings, each serialized when its turn comes.
struct Nodes<'s, 'n> {
    show: &'s Show<'s>,
    siblings: &'n [Node],
    wanted: Kind,
    depth: usize,
}

impl<'s, 'n> Nodes<'s, 'n> {
    fn of(show: &'s Show<'s>, siblings: &'n [Node], wanted: Kind, depth: usize) -> Self {
        Nodes {
            show,
            siblings,
            wanted,
            depth,
        }
    }
}

impl Serialize for Nodes<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let nodes = self.siblings.iter().filter(|&&n| kind(n) == self.wanted);
        serializer.collect_seq(nodes.map(|&node| NodeJson {
            show: self.show,
            node,
            depth: self.depth,
        }))
    }
}

struct NodeJson<'s> {
    show: &'s Show<'s>,
    node: Node,
    depth: usize,
}

impl Serialize for NodeJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (show, node) = (self.show, self.node);
        let model = &show.outcome.model;
        let fill = show.fill(node);
        let children = || show.shown_children(show.children(node), self.depth + 1);

        match node {
            Node::Block(id) => {
                let block = &model.blocks[id];
                let children = children();
                let mut json = serializer.serialize_struct("Block", 11)?;
                json.serialize_field("cidr", &Shown(block.cidr.value))?;
                json.serialize_field("name", &name_of(&block.common))?;
                json.serialize_field("scope", model.scope(block.common.scope).as_str())?;
                json.serialize_field("source", &show.source(node))?;
                json.serialize_field("file", show.file(node))?;
                json.serialize_field("line", &show.line(node))?;
                json.serialize_field("size", &Exact(fill.size))?;
                json.serialize_field("used", &Exact(fill.used))?;
                json.serialize_field("utilization", &fill.utilization())?;
                json.serialize_field(
                    "blocks",
                    &Nodes::of(show, &children, Kind::Block, self.depth + 1),
                )?;
                json.serialize_field(
                    "subnets",
                    &Nodes::of(show, &children, Kind::Subnet, self.depth + 1),
                )?;
                json.end()
            }
            Node::Subnet(id) => {
                let subnet = &model.subnets[id];
                let mut json = serializer.serialize_struct("Subnet", 14)?;
                json.serialize_field("cidr", &Shown(subnet.cidr.value))?;
                json.serialize_field("name", &name_of(&subnet.common))?;
                json.serialize_field("source", &show.source(node))?;
                json.serialize_field("scope", model.scope(subnet.common.scope).as_str())?;
                json.serialize_field("site", &subnet.site.as_deref())?;
                json.serialize_field("vlan", &subnet.vlan.as_ref().map(|v| v.value))?;
                json.serialize_field("vsid", &subnet.vsid.as_ref().map(|v| v.value))?;
                json.serialize_field("gateway", &subnet.gateway.as_ref().map(|g| Shown(g.value)))?;
                json.serialize_field("file", show.file(node))?;
                json.serialize_field("line", &show.line(node))?;
                json.serialize_field("size", &Exact(fill.size))?;
                json.serialize_field("used", &Exact(fill.used))?;
                json.serialize_field("utilization", &fill.utilization())?;
                json.serialize_field(
                    "ranges",
                    &Nodes::of(show, &children(), Kind::Range, self.depth + 1),
                )?;
                json.end()
            }
            Node::Range(id) => {
                let range = &model.ranges[id];
                let mut json = serializer.serialize_struct("Range", 9)?;
                json.serialize_field("start", &Shown(range.start.value))?;
                json.serialize_field("end", &Shown(range.end.value))?;
                json.serialize_field("type", range.kind.as_str())?;
                json.serialize_field("name", &name_of(&range.common))?;
                json.serialize_field("file", show.file(node))?;
                json.serialize_field("line", &show.line(node))?;
                json.serialize_field("size", &Exact(fill.size))?;
                json.serialize_field("used", &Exact(fill.used))?;
                json.serialize_field("utilization", &fill.utilization())?;
                json.end()
            }
        }
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

/// A count as an exact JSON integer, 2^128 (all of IPv6) included.
struct Exact(Count);

impl Serialize for Exact {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0.get() {
            Some(n) => serializer.serialize_u128(n),
            None => serde_json::value::RawValue::from_string(self.0.to_string())
                .map_err(serde::ser::Error::custom)?
                .serialize(serializer),
        }
    }
}
