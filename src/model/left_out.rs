//! What was left out of the model for a fault of its own: a block, subnet, space or network
//! declaration with a faulty value or key, and a file that could not be read at all. A
//! finding that exists only because one of them is missing (an address in no subnet, a name
//! that names nothing) names it as its cause, so the reader fixes the cause first.

use compact_str::CompactString;
use std::sync::OnceLock;

use rustc_hash::{FxHashMap, FxHashSet};

use super::ip::{Family, Prefix};
use crate::source::{FileId, Refile, Span};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LeftOutKind {
    Block,
    Subnet,
    Space,
    Network,
}

impl LeftOutKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LeftOutKind::Block => "block",
            LeftOutKind::Subnet => "subnet",
            LeftOutKind::Space => "space",
            LeftOutKind::Network => "network",
        }
    }
}

/// A declaration left out, as far as it could be read.
#[derive(Clone, Debug)]
pub struct LeftOut {
    pub kind: LeftOutKind,
    /// A block's or subnet's space as written (its own, else its file's; `None` until the
    /// model places it in the file's default).
    pub space: Option<CompactString>,
    /// The CIDR a block or subnet was meant to have: its own, when another value was at
    /// fault, or the one a pasted or misspelt value stands for.
    pub meant: Option<Prefix>,
    /// A space's or network's name.
    pub name: Option<CompactString>,
    /// The first fault found in it.
    pub fault: Span,
}

impl Refile for LeftOut {
    fn refile(&mut self, file: FileId) {
        self.fault.refile(file);
    }
}

/// Everything left out of one model.
#[derive(Clone, Debug, Default)]
pub struct LeftOuts {
    pub declarations: Vec<LeftOut>,
    /// The files that gave no declarations at all, each with its first fault.
    pub files: Vec<Span>,
}

/// What a finding follows from.
pub enum Cause<'m> {
    Declaration(&'m LeftOut),
    /// A file left out whose text holds the name looked for.
    File(Span),
}

impl Cause<'_> {
    pub fn span(&self) -> Span {
        match self {
            Cause::Declaration(left_out) => left_out.fault,
            Cause::File(fault) => *fault,
        }
    }

    /// The label at the cause's fault.
    pub fn label(&self, name: &str) -> String {
        match self {
            Cause::Declaration(left_out) => match (left_out.meant, &left_out.name) {
                (Some(prefix), _) => format!(
                    "{} {prefix} was left out of the model for this fault",
                    left_out.kind.as_str()
                ),
                (None, Some(name)) => format!(
                    "{} {name} was left out of the model for this fault",
                    left_out.kind.as_str()
                ),
                (None, None) => format!(
                    "a {} was left out of the model for this fault",
                    left_out.kind.as_str()
                ),
            },
            Cause::File(_) => {
                format!("{name} appears in this file, which was left out for this fault")
            }
        }
    }
}

/// The left-out declarations a rule asks about, by what could have held a value or answered
/// to a name.
pub struct LeftOutIndex<'m> {
    /// Per (kind, space, family): the prefixes by first address, each with the greatest last
    /// address of it and those before it, and which one that is.
    holders: FxHashMap<(LeftOutKind, &'m str, Family), Vec<Reach>>,
    named: FxHashMap<(LeftOutKind, &'m str), usize>,
    declarations: &'m [LeftOut],
    /// Per file left out: its fault and its text.
    files: Vec<(Span, &'m str)>,
    /// The words of each file's text, made when a name is first looked for.
    words: OnceLock<Vec<FxHashSet<&'m str>>>,
}

/// A prefix's first address, and the farthest last address of it and the prefixes before it
/// in its list, with the index of the one that reaches that far.
type Reach = (u128, u128, usize);

/// The characters of a name as plans write them; a name is looked for as a whole word.
fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | ':')
}

/// How much of the files left out is searched for names, all together, in file order: broken
/// files of any size or number cost at most about this much memory again in words.
const SEARCHED_BYTES: usize = 16 * 1024 * 1024;

impl<'m> LeftOutIndex<'m> {
    /// `texts` gives the text of a file left out (it holds its findings, so it is held).
    pub fn of(left_outs: &'m LeftOuts, texts: impl Fn(FileId) -> Option<&'m str>) -> Self {
        let mut holders: FxHashMap<_, Vec<Reach>> = FxHashMap::default();
        let mut named = FxHashMap::default();
        for (index, left_out) in left_outs.declarations.iter().enumerate() {
            if let (Some(prefix), Some(space)) = (left_out.meant, &left_out.space) {
                let key = (left_out.kind, space.as_str(), prefix.family());
                holders
                    .entry(key)
                    .or_default()
                    .push((prefix.first(), prefix.last(), index));
            }
            if let Some(name) = &left_out.name {
                named.entry((left_out.kind, name.as_str())).or_insert(index);
            }
        }
        for list in holders.values_mut() {
            list.sort_unstable();
            // Each entry then carries the farthest-reaching prefix among it and those before.
            let mut widest: Option<(u128, usize)> = None;
            for entry in list.iter_mut() {
                if widest.is_none_or(|(reach, _)| entry.1 > reach) {
                    widest = Some((entry.1, entry.2));
                }
                (entry.1, entry.2) = widest.expect("set above");
            }
        }
        let files = (left_outs.files.iter())
            .filter_map(|fault| Some((*fault, texts(fault.file)?)))
            .collect();
        LeftOutIndex {
            holders,
            named,
            declarations: &left_outs.declarations,
            files,
            words: OnceLock::new(),
        }
    }

    /// A left-out block or subnet of `space` meant to hold every address from `first` to
    /// `last`.
    pub fn holder(
        &self,
        kind: LeftOutKind,
        space: &str,
        (family, first, last): (Family, u128, u128),
    ) -> Option<Cause<'m>> {
        let list = self.holders.get(&(kind, space, family))?;
        let before = list.partition_point(|entry| entry.0 <= first);
        let &(_, reach, index) = list.get(before.checked_sub(1)?)?;
        (reach >= last).then(|| Cause::Declaration(&self.declarations[index]))
    }

    /// A left-out space or network of that name, or else a file left out whose text holds
    /// the name as a word.
    pub fn named(&self, kind: LeftOutKind, name: &str) -> Option<Cause<'m>> {
        if let Some(&index) = self.named.get(&(kind, name)) {
            return Some(Cause::Declaration(&self.declarations[index]));
        }
        if self.files.is_empty() {
            return None;
        }
        let words = self.words.get_or_init(|| {
            let mut budget = SEARCHED_BYTES;
            (self.files.iter())
                .map(|(_, text)| {
                    let mut end = text.len().min(budget);
                    while !text.is_char_boundary(end) {
                        end -= 1;
                    }
                    budget -= end;
                    text[..end].split(|c| !is_name_char(c)).collect()
                })
                .collect()
        });
        (self.files.iter().zip(words))
            .find(|(_, words)| words.contains(name))
            .map(|((fault, _), _)| Cause::File(*fault))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ip::Addr;

    fn subnet(cidr: &str, file: FileId) -> LeftOut {
        LeftOut {
            kind: LeftOutKind::Subnet,
            space: Some("fabric".into()),
            meant: Some(Prefix::parse(cidr).unwrap().prefix),
            name: None,
            fault: Span {
                file,
                start: 0,
                end: 0,
            },
        }
    }

    fn addr(text: &str) -> Addr {
        Addr::parse(text).unwrap()
    }

    #[test]
    fn the_holder_is_a_prefix_that_holds_the_whole_span() {
        let left_outs = LeftOuts {
            declarations: vec![
                subnet("10.0.0.0/16", 0),
                subnet("10.0.1.0/24", 1),
                subnet("10.2.0.0/24", 2),
            ],
            files: Vec::new(),
        };
        let index = LeftOutIndex::of(&left_outs, |_| None);
        let holder = |a: &str, b: &str| {
            let span = (Family::V4, { addr(a).bits }, { addr(b).bits });
            (index.holder(LeftOutKind::Subnet, "fabric", span)).map(|cause| cause.span().file)
        };
        // The /16 reaches past the /24 that starts later.
        assert_eq!(holder("10.0.1.5", "10.0.1.9"), Some(0));
        assert_eq!(holder("10.0.255.1", "10.0.255.1"), Some(0));
        assert_eq!(holder("10.2.0.1", "10.2.0.9"), Some(2));
        assert_eq!(holder("10.2.0.1", "10.2.1.9"), None);
        assert_eq!(holder("10.1.0.1", "10.1.0.1"), None);
        assert_eq!(holder("9.0.0.1", "9.0.0.1"), None);
        let one = (Family::V4, { addr("10.0.0.1").bits }, {
            addr("10.0.0.1").bits
        });
        assert!(index.holder(LeftOutKind::Block, "fabric", one).is_none());
        assert!(index.holder(LeftOutKind::Subnet, "lab", one).is_none());
        assert!(
            index
                .holder(LeftOutKind::Subnet, "fabric", (Family::V6, 1, 1))
                .is_none()
        );
    }

    #[test]
    fn a_name_is_found_in_a_declaration_or_as_a_word_of_a_file_left_out() {
        let mut network = subnet("10.0.0.0/24", 0);
        (network.kind, network.meant, network.name) =
            (LeftOutKind::Network, None, Some("dc1-hnv".into()));
        let left_outs = LeftOuts {
            declarations: vec![network],
            files: vec![Span {
                file: 4,
                start: 7,
                end: 8,
            }],
        };
        let text = "networks:\n\t- name: ams-hnv\n";
        let index = LeftOutIndex::of(&left_outs, |file| (file == 4).then_some(text));
        assert!(matches!(
            index.named(LeftOutKind::Network, "dc1-hnv"),
            Some(Cause::Declaration(_))
        ));
        assert!(
            matches!(index.named(LeftOutKind::Network, "ams-hnv"), Some(Cause::File(span)) if span.start == 7)
        );
        assert!(index.named(LeftOutKind::Network, "ams").is_none());
        assert!(index.named(LeftOutKind::Space, "dc1-hnv").is_none());
    }
}
