//! The whole run: discover, load, build, check, then the config's severities, the focus
//! files, suppressions and the canonical order of diagnostics. Reviewed against a base
//! (`--base`), the base's plan is read beside the working tree's (`base.rs`).

mod base;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::build::ModelBuilder;
use crate::finding::Finding;
use crate::load::config::Config;
use crate::load::git::Revision;
use crate::load::walk::{Discovery, UsageError, discover, discover_stdin, relative_name};
use crate::model::{Indexes, Model};
use crate::review::{self, Known, Matching, Review};
use crate::rule::{Rule, Severity};
use crate::source::{FileId, SourceFile};
use crate::{load, rules};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub declarations: usize,
    pub errors: usize,
    pub warnings: usize,
    pub suppressed: usize,
}

impl Outcome {
    /// The files read and left out as some other tool's YAML or TOML (`load::recognize`).
    pub fn not_plan_files(&self) -> impl Iterator<Item = &str> {
        (self.files.iter())
            .filter(|file| file.not_a_plan)
            .map(|file| file.path.as_str())
    }
}

/// What a run produced: the files (for rendering) and the findings to report, sorted.
pub struct Outcome {
    /// The project root.
    pub root: PathBuf,
    /// The directory file names are relative to: the root, or `--relative-to`'s.
    pub base: PathBuf,
    /// The config file the settings came from, if any.
    pub config_file: Option<PathBuf>,
    pub files: Vec<SourceFile>,
    pub findings: Vec<Finding>,
    pub summary: Summary,
    /// The rest of the model (its files are above), for the commands that read it; and so
    /// that a caller about to exit can skip freeing a million declarations one by one.
    pub model: Model,
    /// The model's indexes, as the rules used them.
    pub indexes: Indexes,
    /// The config's `utilization.threshold`.
    pub utilization_threshold: f64,
    /// The settings in effect (`--show-settings`).
    pub config: Config,
    /// With `--base` or `--baseline`: which findings are new, and what the change does.
    pub review: Option<Review>,
}

impl Outcome {
    /// Takes the findings `earlier` lists as existing (SPEC §11, `--baseline`). Files are
    /// compared by name as this outcome names them, so after any renaming: a report and the
    /// run compared with it name files alike when both use the same `--relative-to`. There
    /// is no base plan: no blame, no `changes`.
    pub fn compare_with(&mut self, earlier: Vec<Known>) {
        self.review = Some(review::split(&self.findings, &self.files, earlier));
    }

    /// Keeps only the findings of the rules `wanted` accepts (`--select`, `--ignore`), with
    /// the counts, and the review's split, of what is kept. The rules still run: what one
    /// leaves out of the model, another's finding may follow from.
    pub fn keep_rules(&mut self, wanted: impl Fn(Rule) -> bool) {
        let kept: Vec<bool> = self.findings.iter().map(|f| wanted(f.rule)).collect();
        retain_marked(&mut self.findings, &kept);
        let count = |severity| {
            (self.findings.iter())
                .filter(|f| f.severity == severity)
                .count()
        };
        self.summary.errors = count(Severity::Error);
        self.summary.warnings = count(Severity::Warning);
        if let Some(review) = &mut self.review {
            retain_marked(&mut review.new, &kept);
            let new = |severity| {
                (self.findings.iter().zip(&review.new))
                    .filter(|(f, new)| **new && f.severity == severity)
                    .count()
            };
            review.new_errors = new(Severity::Error);
            review.new_warnings = new(Severity::Warning);
        }
    }

    /// Names every file relative to `dir` instead of the root; a file outside `dir` keeps
    /// its absolute path.
    pub fn rename_relative_to(&mut self, dir: &Path) -> Result<(), UsageError> {
        let dir = std::fs::canonicalize(dir)
            .map_err(|error| UsageError(format!("cannot read {}: {error}", dir.display())))?;
        for file in &mut self.files {
            let absolute = self.root.join(&file.path);
            file.path = relative_name(&dir, &absolute);
        }
        self.base = dir;
        Ok(())
    }
}

/// The plan size from which the memory freed by loading is returned before the rules run.
const RELEASE_AFTER_LOADING_BYTES: usize = 16 * 1024 * 1024;

pub fn check_paths(paths: &[PathBuf]) -> Result<Outcome, UsageError> {
    check_with_config(paths, None)
}

/// As [`check_paths`], with the settings of an explicit config file.
pub fn check_with_config(paths: &[PathBuf], config: Option<&Path>) -> Result<Outcome, UsageError> {
    crate::memory::configure();
    let discovery = discover(paths, config)?;
    let mut building = Building::new();
    load::load_in_order(&discovery, |loaded| building.add(loaded));
    let (model, findings) = building.finish();
    let checked = Checked::of(model, findings, &discovery, discovery.focus.as_ref());
    checked.into_outcome(discovery, None)
}

/// `check -`: the text `bytes` as the plan file `name` (see [`discover_stdin`]).
pub fn check_stdin(
    name: Option<&Path>,
    bytes: Vec<u8>,
    config: Option<&Path>,
) -> Result<Outcome, UsageError> {
    crate::memory::configure();
    let discovery = discover_stdin(name, bytes, config)?;
    let mut building = Building::new();
    load::load_in_order(&discovery, |loaded| building.add(loaded));
    let (model, findings) = building.finish();
    let checked = Checked::of(model, findings, &discovery, discovery.focus.as_ref());
    checked.into_outcome(discovery, None)
}

/// As [`check_with_config`], reviewed against the plan at git revision `rev` (SPEC §11):
/// the plan there is read from git's objects, with the same paths and config; the findings
/// it already had are existing, and blame lands on what changed.
pub fn check_against_base(
    paths: &[PathBuf],
    config: Option<&Path>,
    rev: &str,
) -> Result<Outcome, UsageError> {
    crate::memory::configure();
    let discovery = discover(paths, config)?;
    let revision = Revision::resolve(&discovery.root, rev)?;
    let plans = base::load_both(&discovery, &revision)?;
    let (mut model, findings) = plans.now;
    let (base_model, base_findings) = plans.base;
    let matching = Matching::of(&base_model, &model);
    let changes = review::changes::changes(
        &base_model,
        &model,
        &matching,
        |requests| {
            plans
                .base_lines
                .lines(&revision, &discovery.root, &model.files, requests)
        },
        |file, offsets| load::lines_of(&model.files[file as usize], offsets),
    )
    .map_err(UsageError)?;
    review::blame::put_present_first(&mut model, &matching.present);
    let base = Checked::of(base_model, base_findings, &discovery, None);
    let now = Checked::of(model, findings, &discovery, discovery.focus.as_ref());
    let earlier = (base.findings.iter())
        .map(|finding| Known::of(finding, &base.model.files))
        .collect();
    let mut review = review::split(&now.findings, &now.model.files, earlier);
    review.changes = Some(changes);
    review.blocks = Some(review::block_uses(
        (&base.model, &base.indexes),
        (&now.model, &now.indexes),
    ));
    now.into_outcome(discovery, Some(review))
}

/// The findings of an earlier JSON report (`check --format json`), for
/// [`Outcome::compare_with`]. A file that is not such a report is a usage error.
pub fn read_baseline(baseline: &Path) -> Result<Vec<Known>, UsageError> {
    let cannot = |why: String| UsageError(format!("--baseline {}: {why}", baseline.display()));
    let text = std::fs::read_to_string(baseline).map_err(|error| cannot(error.to_string()))?;
    review::known_from_report(&text).map_err(cannot)
}

/// Keeps the items whose mark in `kept` (one per item, in order) is set.
fn retain_marked<T>(items: &mut Vec<T>, kept: &[bool]) {
    let mut marks = kept.iter();
    items.retain(|_| *marks.next().expect("one mark per item"));
}

/// Files handed over in canonical order, built into one model; the findings of reading
/// them.
struct Building {
    builder: ModelBuilder,
    findings: Vec<Finding>,
}

impl Building {
    fn new() -> Building {
        Building {
            builder: ModelBuilder::with_arena_bytes(crate::memory::OWN_PAGES_FROM),
            findings: Vec::new(),
        }
    }

    fn add(&mut self, loaded: load::LoadedFile) {
        if loaded.document.is_none()
            && let Some(first) = loaded.findings.first()
        {
            self.builder.note_file_left_out(first.primary);
        }
        self.findings.extend(loaded.findings);
        self.builder.add_file(loaded.file, loaded.document);
    }

    fn finish(self) -> (Model, Vec<Finding>) {
        let model = self.builder.finish();
        // Returning the memory that loading freed costs a millisecond or two, and lowers
        // the peak only where loading freed much.
        let input_bytes: usize = model.files.iter().map(|file| file.len).sum();
        if input_bytes >= RELEASE_AFTER_LOADING_BYTES {
            crate::memory::release_freed();
        }
        (model, self.findings)
    }
}

/// A model checked: its indexes, and its findings settled (see [`settle`]).
struct Checked {
    model: Model,
    indexes: Indexes,
    findings: Vec<Finding>,
    summary: Summary,
    threshold: f64,
}

impl Checked {
    /// Runs the rules over `model` and settles them with the findings of reading it.
    fn of(
        model: Model,
        mut findings: Vec<Finding>,
        discovery: &Discovery,
        focus: Option<&Vec<String>>,
    ) -> Checked {
        let indexes = Indexes::of(&model);
        let threshold = discovery.config.utilization_threshold;
        findings.extend(rules::check_with(&model, &indexes, threshold));
        let (findings, summary) = settle(findings, &discovery.config, focus, &model);
        Checked {
            model,
            indexes,
            findings,
            summary,
            threshold,
        }
    }

    /// The outcome to report, with the files it shows read again.
    fn into_outcome(
        self,
        discovery: Discovery,
        review: Option<Review>,
    ) -> Result<Outcome, UsageError> {
        let Checked {
            mut model,
            indexes,
            findings,
            summary,
            threshold,
        } = self;
        read_shown_files(&mut model, &findings)?;
        let files = std::mem::take(&mut model.files);
        Ok(Outcome {
            base: discovery.root.clone(),
            root: discovery.root,
            config_file: discovery.config_file,
            files,
            findings,
            summary,
            model,
            indexes,
            utilization_threshold: threshold,
            config: discovery.config,
            review,
        })
    }
}

/// The findings to report, in canonical order, with the config's severities and without
/// those the config turns off, those outside the focus files and those suppressed.
fn settle(
    findings: Vec<Finding>,
    config: &Config,
    focus: Option<&Vec<String>>,
    model: &Model,
) -> (Vec<Finding>, Summary) {
    let focus: Option<HashSet<FileId>> = focus.map(|names| {
        model
            .files
            .iter()
            .enumerate()
            .filter(|(_, file)| names.contains(&file.path))
            .map(|(id, _)| id as FileId)
            .collect()
    });
    let not_plans = model.files.iter().filter(|file| file.not_a_plan).count();
    let mut summary = Summary {
        files: model.files.len() - not_plans,
        declarations: model.declarations,
        ..Summary::default()
    };
    let mut reported: Vec<((FileId, u32, &'static str), Finding)> =
        Vec::with_capacity(findings.len());
    for mut finding in findings {
        let Some(severity) = config.severity(finding.rule) else {
            continue;
        };
        finding.severity = severity;
        if let Some(focus) = &focus {
            let touches_focus = focus.contains(&finding.primary.file)
                || finding.related.iter().any(|r| focus.contains(&r.span.file));
            if !touches_focus {
                continue;
            }
        }
        let file = &model.files[finding.primary.file as usize];
        if file
            .suppressions
            .allows(finding.primary.start as usize, finding.rule)
        {
            summary.suppressed += 1;
            continue;
        }
        match severity {
            Severity::Error => summary.errors += 1,
            Severity::Warning => summary.warnings += 1,
        }
        // Keyed for the canonical order: file, line, column, rule. Within a file, byte
        // offsets order as lines and columns do.
        let key = (
            finding.primary.file,
            finding.primary.start,
            finding.rule.name(),
        );
        reported.push((key, finding));
    }
    // Stable: findings equal on every key keep the order the rules produced them in.
    reported.sort_by(|a, b| a.0.cmp(&b.0));
    (reported.into_iter().map(|(_, f)| f).collect(), summary)
}

/// Only the files shown are read again, to render their lines.
fn read_shown_files(model: &mut Model, findings: &[Finding]) -> Result<(), UsageError> {
    let mut shown: Vec<FileId> = findings
        .iter()
        .flat_map(|f| std::iter::once(f.primary.file).chain(f.related.iter().map(|r| r.span.file)))
        .collect();
    shown.sort_unstable();
    shown.dedup();
    model
        .files
        .par_iter_mut()
        .enumerate()
        .filter(|(id, _)| shown.binary_search(&(*id as FileId)).is_ok())
        .try_for_each(|(_, file)| load::read_again(file))
        .map_err(UsageError)
}
