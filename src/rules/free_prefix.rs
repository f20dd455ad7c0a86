//! The help of a duplicate or overlapping subnet: the first free prefix of the same size in
//! the same block, as `free` would answer it (`model::free`), so that the fix is one edit.

use rustc_hash::FxHashMap;

use crate::model::free::FreePrefixes;
use crate::model::ip::Prefix;
use crate::model::{BlockId, Model};

pub struct FreePrefixHelp<'m> {
    model: &'m Model,
    free: FreePrefixes<'m>,
    /// Many subnets of one block may ask for one size.
    answers: FxHashMap<(BlockId, u8), Option<Prefix>>,
}

impl<'m> FreePrefixHelp<'m> {
    pub fn new(model: &'m Model) -> FreePrefixHelp<'m> {
        FreePrefixHelp {
            model,
            free: FreePrefixes::new(model),
            answers: FxHashMap::default(),
        }
    }

    /// The help for a subnet of length `len` whose block is `block`: none outside a block.
    pub fn help(&mut self, block: Option<BlockId>, len: u8) -> Option<String> {
        let block_id = block?;
        let block = &self.model.blocks[block_id];
        let label = match &block.common.name {
            Some(name) => format!("block {}", name.value),
            None => format!("block {}", block.cidr.value),
        };
        let free = &mut self.free;
        let answer = *self
            .answers
            .entry((block_id, len))
            .or_insert_with(|| free.first_in_block(block_id, len));
        match answer {
            Some(prefix) => Some(format!("{prefix} is free in {label}")),
            None => Some(format!("no /{len} is free in {label}")),
        }
    }
}
