//! `show --format json`: the tree as SPEC §9 prints it, keys in its order.

use std::io::{self, Write};

use serde::{Serialize, Serializer};

use super::{Node, Show};
use crate::model::usage::Count;

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    spaces: Vec<SpaceJson<'a>>,
}

#[derive(Serialize)]
struct SpaceJson<'a> {
    name: &'a str,
    kind: &'static str,
    provider: Option<&'a str>,
    blocks: Vec<BlockJson<'a>>,
    subnets: Vec<SubnetJson<'a>>,
    ranges: Vec<RangeJson<'a>>,
}

#[derive(Serialize)]
struct BlockJson<'a> {
    cidr: String,
    name: Option<&'a str>,
    scope: String,
    source: Option<&'a str>,
    file: &'a str,
    line: u32,
    size: Exact,
    used: Exact,
    utilization: f64,
    blocks: Vec<BlockJson<'a>>,
    subnets: Vec<SubnetJson<'a>>,
}

#[derive(Serialize)]
struct SubnetJson<'a> {
    cidr: String,
    name: Option<&'a str>,
    source: Option<&'a str>,
    scope: String,
    site: Option<&'a str>,
    vlan: Option<u16>,
    vsid: Option<u32>,
    gateway: Option<String>,
    file: &'a str,
    line: u32,
    size: Exact,
    used: Exact,
    utilization: f64,
    ranges: Vec<RangeJson<'a>>,
}

#[derive(Serialize)]
struct RangeJson<'a> {
    start: String,
    end: String,
    #[serde(rename = "type")]
    kind: &'static str,
    name: Option<&'a str>,
    file: &'a str,
    line: u32,
    size: Exact,
    used: Exact,
    utilization: f64,
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

pub fn write_json(show: &Show, out: &mut dyn Write) -> io::Result<()> {
    let model = &show.outcome.model;
    let spaces = show
        .spaces
        .iter()
        .map(|&space| {
            let declared = &model.spaces[space as usize];
            let mut json = SpaceJson {
                name: &declared.name,
                kind: declared.kind.as_str(),
                provider: declared.provider.as_ref().map(|p| p.value.as_str()),
                blocks: Vec::new(),
                subnets: Vec::new(),
                ranges: Vec::new(),
            };
            for node in show.shown_children(show.roots(space), 1) {
                match node {
                    Node::Block(_) => json.blocks.push(block(show, node, 1)),
                    Node::Subnet(_) => json.subnets.push(subnet(show, node, 1)),
                    Node::Range(_) => json.ranges.push(range(show, node)),
                }
            }
            json
        })
        .collect();
    let mut out = io::BufWriter::new(out);
    serde_json::to_writer_pretty(&mut out, &Report { version: 1, spaces })?;
    out.write_all(b"\n")?;
    out.flush()
}

fn block<'a>(show: &'a Show, node: Node, depth: usize) -> BlockJson<'a> {
    let Node::Block(id) = node else {
        unreachable!("a block")
    };
    let model = &show.outcome.model;
    let declared = &model.blocks[id];
    let fill = show.fill(node);
    let mut json = BlockJson {
        cidr: declared.cidr.value.to_string(),
        name: declared.common.name.as_ref().map(|n| n.value.as_str()),
        scope: model.scope(declared.common.scope).to_string(),
        source: show.source(node),
        file: show.file(node),
        line: show.line(node),
        size: Exact(fill.size),
        used: Exact(fill.used),
        utilization: fill.utilization(),
        blocks: Vec::new(),
        subnets: Vec::new(),
    };
    for child in show.shown_children(show.children(node), depth + 1) {
        match child {
            Node::Block(_) => json.blocks.push(block(show, child, depth + 1)),
            _ => json.subnets.push(subnet(show, child, depth + 1)),
        }
    }
    json
}

fn subnet<'a>(show: &'a Show, node: Node, depth: usize) -> SubnetJson<'a> {
    let Node::Subnet(id) = node else {
        unreachable!("a subnet")
    };
    let model = &show.outcome.model;
    let declared = &model.subnets[id];
    let fill = show.fill(node);
    SubnetJson {
        cidr: declared.cidr.value.to_string(),
        name: declared.common.name.as_ref().map(|n| n.value.as_str()),
        source: show.source(node),
        scope: model.scope(declared.common.scope).to_string(),
        site: declared.site.as_deref(),
        vlan: declared.vlan.as_ref().map(|v| v.value),
        vsid: declared.vsid.as_ref().map(|v| v.value),
        gateway: declared.gateway.as_ref().map(|g| g.value.to_string()),
        file: show.file(node),
        line: show.line(node),
        size: Exact(fill.size),
        used: Exact(fill.used),
        utilization: fill.utilization(),
        ranges: (show
            .shown_children(show.children(node), depth + 1)
            .into_iter())
        .map(|child| range(show, child))
        .collect(),
    }
}

fn range<'a>(show: &'a Show, node: Node) -> RangeJson<'a> {
    let Node::Range(id) = node else {
        unreachable!("a range")
    };
    let declared = &show.outcome.model.ranges[id];
    let fill = show.fill(node);
    RangeJson {
        start: declared.start.value.to_string(),
        end: declared.end.value.to_string(),
        kind: declared.kind.as_str(),
        name: declared.common.name.as_ref().map(|n| n.value.as_str()),
        file: show.file(node),
        line: show.line(node),
        size: Exact(fill.size),
        used: Exact(fill.used),
        utilization: fill.utilization(),
    }
}
