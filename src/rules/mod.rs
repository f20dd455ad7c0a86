//! The checks: every finding is made here. Each file holds one family of rules, each rule a
//! function of its own below its documentation (`catalog.rs` leads from a rule to it);
//! `check` runs the families over the model. Severities, suppressions and focus are applied
//! afterwards, in `check.rs`.

mod catalog;
mod containment;
mod duplicates;
mod free_prefix;
pub mod input;
mod overlaps;
mod pools;
mod references;
mod scope;
mod usable;
mod utilization;

pub use crate::rule::Rule;
pub use catalog::{RULES, RuleInfo};

use crate::finding::Finding;
use crate::model::address_index::AddressIndex;
use crate::model::containment::Containment;
use crate::model::left_out::{Cause, LeftOutIndex};
use crate::model::{Indexes, Model};
use crate::source::Span;

/// What every rule reads.
pub struct Context<'m> {
    pub model: &'m Model,
    pub containment: &'m Containment,
    pub addresses: &'m AddressIndex,
    pub utilization_threshold: f64,
    /// What was left out for a fault of its own, for the findings that follow from it.
    pub left_out: LeftOutIndex<'m>,
}

impl Context<'_> {
    fn sides(&self, later: Span, earlier: Span) -> (String, String) {
        sides(self.model, later, earlier)
    }
}

/// A finding that exists only because `cause` was left out: it points at the cause's fault,
/// and says to fix that first. `what` names what the cause would have held or declared.
fn follows_from(mut finding: Finding, cause: Option<Cause>, what: &str) -> Finding {
    let Some(cause) = cause else {
        return finding;
    };
    finding = finding.related(cause.span(), cause.label(what));
    if finding.help.is_none() {
        finding = finding.help("this follows from what was left out: fix that first");
    }
    finding
}

/// Both sides of a conflict, naming each one's source when the two differ:
/// `subnet 10.1.0.0/25 (vmm-dc2)` and `subnet 10.1.0.0/24 (vmm-dc1)`.
fn sides(model: &Model, later: Span, earlier: Span) -> (String, String) {
    let (a, b) = (model.source_of(later.file), model.source_of(earlier.file));
    if a == b {
        return (String::new(), String::new());
    }
    let label = |source: Option<&str>| format!(" ({})", source.unwrap_or("no source"));
    (label(a), label(b))
}

/// A family of rules: reads the context, appends its findings.
type Family = fn(&Context, &mut Vec<Finding>);

/// Every family, the costliest first on a large plan: they run side by side, and the short
/// ones fill in around the long ones. Each rule belongs to one family and findings are
/// sorted afterwards, so this order is not the report's.
const FAMILIES: [Family; 11] = [
    duplicates::check_names,
    pools::check,
    duplicates::check,
    usable::check,
    overlaps::check,
    utilization::check,
    scope::check,
    containment::check,
    duplicates::check_addresses,
    references::check,
    input::unchecked_addresses,
];

pub fn check(model: &Model, utilization_threshold: f64) -> Vec<Finding> {
    check_with(model, &Indexes::of(model), utilization_threshold)
}

/// [`check`] with indexes the caller has made already.
pub fn check_with(model: &Model, indexes: &Indexes, utilization_threshold: f64) -> Vec<Finding> {
    let context = &Context {
        model,
        containment: &indexes.containment,
        addresses: &indexes.addresses,
        utilization_threshold,
        left_out: LeftOutIndex::of(&model.left_out, |file| {
            model.files.get(file as usize)?.held_text()
        }),
    };
    let mut per_family: Vec<Vec<Finding>> = vec![Vec::new(); FAMILIES.len()];
    // In the order spawned, on whichever thread is free.
    rayon::scope_fifo(|scope| {
        for (family, findings) in FAMILIES.iter().zip(&mut per_family) {
            scope.spawn_fifo(move |_| family(context, findings));
        }
    });
    per_family.into_iter().flatten().collect()
}
