//! The declarations that give names (spaces and networks) and the references to them, kept
//! as read. The model resolves each name to the declaration that stands (the first in
//! canonical order); the rules that check names (`rules/references.rs`) read these to find
//! what disagrees with it or names nothing.

use compact_str::CompactString;

use crate::source::{FileId, Refile, Span, Spanned};

use super::kinds::SpaceKind;

#[derive(Debug, Clone)]
pub struct SpaceDecl {
    pub name: Spanned<CompactString>,
    pub kind: SpaceKind,
    pub provider: Option<Spanned<CompactString>>,
}

#[derive(Debug, Clone)]
pub struct NetworkDecl {
    pub name: Spanned<CompactString>,
    pub virtualization: bool,
    /// Its own `space` key; without one, the file's default applies.
    pub space: Option<Spanned<CompactString>>,
}

impl Refile for SpaceDecl {
    fn refile(&mut self, file: FileId) {
        self.name.refile(file);
        self.provider.refile(file);
    }
}

impl Refile for NetworkDecl {
    fn refile(&mut self, file: FileId) {
        self.name.refile(file);
        self.space.refile(file);
    }
}

/// What one file declares and names at its top level, in the order of the file.
#[derive(Debug, Default)]
pub struct FileNames {
    /// The file's default `space`, where it names one.
    pub space: Option<Spanned<CompactString>>,
    pub spaces: Vec<SpaceDecl>,
    pub networks: Vec<NetworkDecl>,
}

impl FileNames {
    /// The space a network of this file is placed in: its own `space`, else the file's.
    pub fn space_of<'a>(&'a self, network: &'a NetworkDecl) -> Option<&'a Spanned<CompactString>> {
        network.space.as_ref().or(self.space.as_ref())
    }
}

/// Every name declared and referenced in the plan, for the rules; see the module comment.
#[derive(Debug, Default)]
pub struct Names {
    /// Per file that could be read, in canonical order.
    pub files: Vec<FileNames>,
    /// The `space` of every block, subnet, range and address that sets one.
    pub space_refs: Vec<Spanned<CompactString>>,
    /// The `network` of every subnet that sets one.
    pub network_refs: Vec<Spanned<CompactString>>,
    /// Addresses left out of the model because they do not fit its compact form.
    pub unkept_addresses: Vec<Span>,
}
