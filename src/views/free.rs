//! `ipam-lint free`: where can I allocate? The question (SPEC §10) is resolved against the
//! model into the prefixes or addresses to show; the free space itself is `model::free`'s.

use serde::Serialize;

use crate::model::free::{FreeAddresses, FreePrefixes};
use crate::model::ip::{Addr, Family, Prefix};
use crate::model::kinds::AllocType;
use crate::model::scope::Scope;
use crate::model::{BlockId, Indexes, Model, SpaceId, SubnetId};
use crate::report::escape::visible;

/// What is asked, as the command line gives it.
pub struct Question<'a> {
    pub space: &'a str,
    /// The prefix length; for addresses, omitted or the family's full length.
    pub size: Option<u8>,
    /// A block or a subnet of the space, by CIDR or name.
    pub within: Option<&'a str>,
    pub scope: Option<&'a str>,
    pub count: usize,
    pub kind: AllocType,
}

/// The answer, as `--format json` prints it.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum Answer {
    Prefixes {
        version: u32,
        space: String,
        size: u8,
        free: Vec<FreePrefix>,
    },
    Addresses {
        version: u32,
        space: String,
        subnet: String,
        free: Vec<FreeAddress>,
    },
}

#[derive(Debug, Serialize)]
pub struct FreePrefix {
    pub cidr: String,
    /// The block it is in: its name, else its CIDR.
    pub block: String,
}

#[derive(Debug, Serialize)]
pub struct FreeAddress {
    pub ip: String,
}

impl Answer {
    pub fn found(&self) -> usize {
        match self {
            Answer::Prefixes { free, .. } => free.len(),
            Answer::Addresses { free, .. } => free.len(),
        }
    }

    /// One line per free prefix or address.
    pub fn human(&self) -> String {
        let mut out = String::new();
        match self {
            Answer::Prefixes { free, .. } => {
                let width = free.iter().map(|p| p.cidr.len()).max().unwrap_or(0);
                for prefix in free {
                    let block = visible(&prefix.block);
                    out.push_str(&format!("{:<width$}  in block {block}\n", prefix.cidr));
                }
            }
            Answer::Addresses { free, .. } => {
                for address in free {
                    out.push_str(&address.ip);
                    out.push('\n');
                }
            }
        }
        out
    }

    pub fn json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("an answer always serializes");
        text.push('\n');
        text
    }
}

/// What the container of `--in` turned out to be.
enum Container {
    Block(BlockId),
    Subnet(SubnetId),
}

/// Answers the question, or says why it cannot be asked (a usage error).
pub fn answer(model: &Model, indexes: &Indexes, question: &Question) -> Result<Answer, String> {
    let space = super::space_named(model, question.space)?;
    let asked = Asked {
        model,
        question,
        scope: question.scope.map(Scope::parse).transpose()?,
    };
    let container = question
        .within
        .map(|within| container(model, space, within, question.size))
        .transpose()?;
    match container {
        Some(Container::Subnet(subnet)) => asked.addresses_in(indexes, subnet),
        Some(Container::Block(block)) => asked.prefixes_in(block),
        None => asked.prefixes_anywhere(space),
    }
}

/// A question with its scope read.
struct Asked<'a> {
    model: &'a Model,
    question: &'a Question<'a>,
    scope: Option<Scope>,
}

impl Asked<'_> {
    /// Whether `--scope` administers a declaration of scope `of` (always, without one).
    fn administers(&self, of: crate::model::ScopeId) -> bool {
        let scope = self.model.scope(of);
        self.scope
            .as_ref()
            .is_none_or(|asked| asked.administers(scope))
    }

    fn not_administered(&self, what: &str, of: crate::model::ScopeId) -> String {
        format!(
            "{what} is administered by {}, which {} does not administer",
            self.model.scope(of),
            self.question.scope.unwrap_or("/")
        )
    }

    fn block_label(&self, id: BlockId) -> String {
        let block = &self.model.blocks[id];
        (block.common.name.as_ref())
            .map_or_else(|| block.cidr.value.to_string(), |n| n.value.to_string())
    }

    fn addresses_in(&self, indexes: &Indexes, subnet: SubnetId) -> Result<Answer, String> {
        let (model, question) = (self.model, self.question);
        let s = &model.subnets[subnet];
        let width = s.cidr.value.family().width();
        if question.size.is_some_and(|size| size != width) {
            return Err(format!(
                "{} is a subnet: its free addresses are /{width}, so --size is {width} or left out",
                s.cidr.value
            ));
        }
        if !self.administers(s.common.scope) {
            let what = format!("subnet {}", s.cidr.value);
            return Err(self.not_administered(&what, s.common.scope));
        }
        let free = FreeAddresses::new(model, indexes, subnet, question.kind)
            .take(question.count)
            .map(|ip: Addr| FreeAddress { ip: ip.to_string() })
            .collect();
        Ok(Answer::Addresses {
            version: 1,
            space: question.space.to_owned(),
            subnet: s.cidr.value.to_string(),
            free,
        })
    }

    fn prefixes_in(&self, block: BlockId) -> Result<Answer, String> {
        let b = &self.model.blocks[block];
        let size = self.question.size.ok_or_else(|| {
            let label = self.block_label(block);
            format!("--size is needed: which prefix length to find in block {label}")
        })?;
        check_size(size, b.cidr.value)?;
        if !self.administers(b.common.scope) {
            let what = format!("block {}", self.block_label(block));
            return Err(self.not_administered(&what, b.common.scope));
        }
        let mut engine = FreePrefixes::new(self.model);
        let first = engine.first_of_cidr(block);
        let free = engine
            .in_block(first, size)
            .take(self.question.count)
            .map(|prefix| FreePrefix {
                cidr: prefix.to_string(),
                block: self.block_label(first),
            })
            .collect();
        Ok(prefixes(self.question, size, free))
    }

    fn prefixes_anywhere(&self, space: SpaceId) -> Result<Answer, String> {
        let model = self.model;
        let size = self.question.size.ok_or(
            "--size is needed: which prefix length to find (or --in SUBNET for addresses)",
        )?;
        if size > 128 {
            return Err(format!("--size {size} is longer than any address"));
        }
        let blocks: Vec<BlockId> = (0..model.blocks.len())
            .filter(|&id| model.blocks[id].common.space == space)
            .filter(|&id| self.administers(model.blocks[id].common.scope))
            .collect();
        let found = first_free_in_blocks(model, &blocks, size, self.question.count);
        let free = found
            .into_iter()
            .map(|(prefix, block)| FreePrefix {
                cidr: prefix.to_string(),
                block: self.block_label(block),
            })
            .collect();
        Ok(prefixes(self.question, size, free))
    }
}

fn prefixes(question: &Question, size: u8, free: Vec<FreePrefix>) -> Answer {
    Answer::Prefixes {
        version: 1,
        space: question.space.to_owned(),
        size,
        free,
    }
}

fn check_size(size: u8, block: Prefix) -> Result<(), String> {
    if size > block.family().width() {
        return Err(format!(
            "--size {size} is longer than an {} address",
            block.family().label()
        ));
    }
    if size < block.len {
        return Err(format!(
            "--size {size} is shorter than block {block} itself"
        ));
    }
    Ok(())
}

/// The first `count` free prefixes of length `size` over `blocks`, in address order (IPv4
/// first), with the block each is in. Free prefixes of different blocks never overlap, and
/// none starts before its block: blocks are taken in address order until the next one
/// starts after the last prefix kept.
fn first_free_in_blocks(
    model: &Model,
    blocks: &[BlockId],
    size: u8,
    count: usize,
) -> Vec<(Prefix, BlockId)> {
    let key = |prefix: Prefix| (prefix.family() == Family::V6, prefix.first());
    let mut ordered = blocks.to_vec();
    ordered.sort_by_key(|&id| (key(model.blocks[id].cidr.value), id));
    let mut engine = FreePrefixes::new(model);
    let mut found: Vec<(Prefix, BlockId)> = Vec::new();
    for block in ordered {
        let start = key(model.blocks[block].cidr.value);
        if found.len() >= count && found.last().is_some_and(|(last, _)| key(*last) < start) {
            break;
        }
        if size < model.blocks[block].cidr.value.len
            || size > model.blocks[block].cidr.value.family().width()
        {
            continue;
        }
        found.extend(engine.in_block(block, size).take(count).map(|p| (p, block)));
        found.sort_by_key(|&(prefix, _)| key(prefix));
        found.truncate(count);
    }
    found
}

/// The block or subnet of `space` that `within` names, by CIDR or by name. A CIDR that is
/// both a block's and a subnet's is the block when a prefix length shorter than an address
/// is asked for, else the subnet.
fn container(
    model: &Model,
    space: SpaceId,
    within: &str,
    size: Option<u8>,
) -> Result<Container, String> {
    let cidr = Prefix::parse(within).ok().map(|parsed| parsed.prefix);
    let matches = |text: Option<&str>, prefix: Prefix| Some(prefix) == cidr || text == Some(within);
    let blocks: Vec<BlockId> = (0..model.blocks.len())
        .filter(|&id| model.blocks[id].common.space == space)
        .filter(|&id| {
            let block = &model.blocks[id];
            matches(
                block.common.name.as_ref().map(|n| n.value.as_str()),
                block.cidr.value,
            )
        })
        .collect();
    let subnets: Vec<SubnetId> = (0..model.subnets.len())
        .filter(|&id| model.subnets[id].common.space == space)
        .filter(|&id| {
            let subnet = &model.subnets[id];
            matches(
                subnet.common.name.as_ref().map(|n| n.value.as_str()),
                subnet.cidr.value,
            )
        })
        .collect();
    let wants_prefixes = size.is_some_and(|size| {
        let width = cidr.map_or(128, |c| c.family().width());
        size < width
    });
    let distinct = |prefixes: Vec<Prefix>| {
        let mut prefixes = prefixes;
        prefixes.sort();
        prefixes.dedup();
        prefixes
    };
    let block_cidrs = distinct(
        blocks
            .iter()
            .map(|&id| model.blocks[id].cidr.value)
            .collect(),
    );
    let subnet_cidrs = distinct(
        subnets
            .iter()
            .map(|&id| model.subnets[id].cidr.value)
            .collect(),
    );
    let space_name = model.space_name(space);
    match (block_cidrs.len(), subnet_cidrs.len()) {
        (0, 0) => Err(format!(
            "no block or subnet of space {space_name} is named or has the CIDR `{within}`"
        )),
        // Repeats of one CIDR are one container: the first declared stands.
        (1, 0) => Ok(Container::Block(blocks[0])),
        (0, 1) => Ok(Container::Subnet(subnets[0])),
        (1, 1) if block_cidrs == subnet_cidrs => Ok(match wants_prefixes {
            true => Container::Block(blocks[0]),
            false => Container::Subnet(subnets[0]),
        }),
        _ => {
            let listed: Vec<String> = block_cidrs
                .iter()
                .map(|c| format!("block {c}"))
                .chain(subnet_cidrs.iter().map(|c| format!("subnet {c}")))
                .collect();
            Err(format!(
                "`{within}` names several declarations of space {space_name}: {}; give a CIDR",
                listed.join(", ")
            ))
        }
    }
}
