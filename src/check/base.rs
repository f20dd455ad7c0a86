//! The plan at the base revision, read beside the working tree's (`check --base`). Most
//! files of a change are untouched: a file git finds unchanged is parsed once, for the
//! working tree, and a copy of what it declares goes to the base under the base's id for
//! it. Only the files the change touches are read from git's objects.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::finding::Finding;
use crate::load::git::{Listed, Revision};
use crate::load::walk::{Discovery, UsageError};
use crate::load::{self, LoadedFile};
use crate::model::Model;
use crate::source::{FileId, Refile, SourceFile};

use super::Building;

/// Both plans built, each with the findings of reading it.
pub(super) struct Plans {
    pub now: (Model, Vec<Finding>),
    pub base: (Model, Vec<Finding>),
    pub base_lines: BaseLines,
}

/// Where the lines of a file of the base are found: in the working tree's file with the
/// same bytes, or in git.
pub(super) struct BaseLines {
    files: Vec<Listed>,
    /// Per file of the base: the working tree's id of the file it was copied from.
    copied_from: Vec<Option<FileId>>,
}

pub(super) fn load_both(discovery: &Discovery, revision: &Revision) -> Result<Plans, UsageError> {
    let root = &discovery.root;
    let files = revision.files(root, |name| discovery.would_take(name))?;
    let changed = revision.changed(root)?;
    let now_ids: FxHashMap<&str, FileId> = (discovery.files.keys().enumerate())
        .map(|(id, name)| (name.as_str(), id as FileId))
        .collect();
    // Per file of the working tree: the id of the base's file to copy it to.
    let mut copy_to: Vec<Option<FileId>> = vec![None; discovery.files.len()];
    let mut from_git = Vec::new();
    for (id, file) in files.iter().enumerate() {
        match now_ids.get(file.name.as_str()) {
            Some(&now) if !changed.contains(&file.name) => {
                copy_to[now as usize] = Some(id as FileId)
            }
            _ => from_git.push(id as FileId),
        }
    }
    let mut base = BaseInOrder::new(files.len());
    read_from_git(revision, discovery, &files, &from_git, &mut base)?;

    let mut now = Building::new();
    // A file whose size is not the one git has is read from git after all: git was told
    // to assume it unchanged, or converts its line endings.
    let mut differ = Vec::new();
    let mut next: usize = 0;
    load::load_in_order(discovery, |loaded| {
        if let Some(id) = copy_to[next] {
            if loaded.file.len as u64 == files[id as usize].size {
                base.put(id, copy(&loaded, id));
            } else {
                copy_to[next] = None;
                differ.push(id);
            }
        }
        next += 1;
        now.add(loaded);
    });
    read_from_git(revision, discovery, &files, &differ, &mut base)?;

    let mut copied_from = vec![None; files.len()];
    for (now, to) in copy_to.iter().enumerate() {
        if let Some(to) = to {
            copied_from[*to as usize] = Some(now as FileId);
        }
    }
    Ok(Plans {
        now: now.finish(),
        base: base.finish(),
        base_lines: BaseLines { files, copied_from },
    })
}

/// Reads and loads the files `ids` of the base from git, each into its place in `base`.
fn read_from_git(
    revision: &Revision,
    discovery: &Discovery,
    files: &[Listed],
    ids: &[FileId],
    base: &mut BaseInOrder,
) -> Result<(), UsageError> {
    let asked: Vec<&Listed> = ids.iter().map(|&id| &files[id as usize]).collect();
    let contents = revision.read(&discovery.root, &asked)?;
    let plans_only = discovery.config.skips_non_plan_files();
    let loaded: Vec<LoadedFile> = (ids.par_iter().zip(contents))
        .map(|(&id, bytes)| {
            let name = &files[id as usize].name;
            load::load_blob(id, &discovery.root, name, bytes, plans_only)
        })
        .collect();
    for (&id, loaded) in ids.iter().zip(loaded) {
        base.put(id, loaded);
    }
    Ok(())
}

/// The base's files as they become ready, in any order, built in canonical order: each is
/// added to the base's model as soon as every file before it has been, so the base's
/// documents are not all held at once.
struct BaseInOrder {
    waiting: Vec<Option<LoadedFile>>,
    next: usize,
    building: Building,
}

impl BaseInOrder {
    fn new(files: usize) -> BaseInOrder {
        BaseInOrder {
            waiting: (0..files).map(|_| None).collect(),
            next: 0,
            building: Building::new(),
        }
    }

    fn put(&mut self, id: FileId, loaded: LoadedFile) {
        self.waiting[id as usize] = Some(loaded);
        while let Some(ready) = self.waiting.get_mut(self.next).and_then(Option::take) {
            self.building.add(ready);
            self.next += 1;
        }
    }

    fn finish(self) -> (Model, Vec<Finding>) {
        assert_eq!(
            self.next,
            self.waiting.len(),
            "every file of the base is copied or read from git"
        );
        self.building.finish()
    }
}

/// A copy of a file of the working tree as the base's file `id`.
fn copy(loaded: &LoadedFile, id: FileId) -> LoadedFile {
    let mut document = loaded.document.clone();
    document.refile(id);
    let mut findings = loaded.findings.clone();
    findings.refile(id);
    LoadedFile {
        file: loaded.file.clone(),
        document,
        findings,
    }
}

impl BaseLines {
    /// The lines of the offsets asked, per file of the base (by id), as
    /// `review::changes::changes` asks them: a copied file's from the working tree's file,
    /// the others' from git, all in one read.
    pub fn lines(
        &self,
        revision: &Revision,
        root: &std::path::Path,
        now_files: &[SourceFile],
        requests: &[(FileId, Vec<u32>)],
    ) -> Result<Vec<Vec<u32>>, String> {
        let from_git: Vec<&Listed> = (requests.iter())
            .filter(|(id, _)| self.copied_from[*id as usize].is_none())
            .map(|(id, _)| &self.files[*id as usize])
            .collect();
        let mut contents = (revision.read(root, &from_git).map_err(|error| error.0)?).into_iter();
        let mut lines = Vec::with_capacity(requests.len());
        for (id, offsets) in requests {
            let found = match self.copied_from[*id as usize] {
                Some(now) => load::lines_of(&now_files[now as usize], offsets)?,
                None => {
                    let name = &self.files[*id as usize].name;
                    match contents.next() {
                        Some(Ok(bytes)) => load::lines_in(&bytes, offsets),
                        Some(Err(error)) => {
                            return Err(format!("cannot read {name} at the base: {error}"));
                        }
                        None => unreachable!("one content per file asked"),
                    }
                }
            };
            lines.push(found);
        }
        Ok(lines)
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    /// A copy moved to another id is what loading the file under that id gives, to the last
    /// span: a field `Refile` left out would keep the first id and differ here.
    #[test]
    fn a_copied_file_is_the_file_loaded_under_the_base_id() {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut compared = 0;
        for entry in walkdir(&fixtures) {
            let name = entry.to_string_lossy().into_owned();
            let bytes = std::fs::read(&entry).unwrap();
            let first = load::load_blob(3, &fixtures, &name, Ok(bytes.clone()), true);
            let direct = load::load_blob(11, &fixtures, &name, Ok(bytes), true);
            let copied = copy(&first, 11);
            assert_eq!(
                format!("{:?}", copied.document),
                format!("{:?}", direct.document)
            );
            assert_eq!(copied.findings, direct.findings, "{name}");
            compared += 1;
        }
        assert!(compared > 50, "only {compared} fixture files");
    }

    fn walkdir(dir: &Path) -> Vec<std::path::PathBuf> {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files.extend(walkdir(&path));
            } else if load::formats::Format::of_name(path.to_string_lossy().as_bytes()).is_some() {
                files.push(path);
            }
        }
        files
    }
}
