//! The checks. Each file holds one family of rules; `check` runs them all over the model.
//! Rules produce findings with their default rule identity; severities, suppressions and
//! focus are applied afterwards, in one place.

mod containment;
mod duplicates;
mod free_prefix;
mod input;
mod overlaps;
mod pools;
mod references;
mod scope;
mod table;
mod usable;
mod utilization;

pub use table::{RULES, Rule, RuleInfo};

use rayon::prelude::*;

use crate::finding::Finding;
use crate::model::Model;
use crate::model::address_index::AddressIndex;
use crate::model::containment::Containment;
use crate::source::Span;

/// What every rule reads.
pub struct Context<'m> {
    pub model: &'m Model,
    pub containment: Containment,
    pub addresses: AddressIndex,
    pub utilization_threshold: f64,
}

impl Context<'_> {
    fn sides(&self, later: Span, earlier: Span) -> (String, String) {
        sides(self.model, later, earlier)
    }
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

/// Every family but names, in the order their findings are listed before sorting (names
/// come after the first two).
const FAMILIES: [Family; 8] = [
    duplicates::check,
    duplicates::check_addresses,
    overlaps::check,
    containment::check,
    usable::check,
    pools::check,
    scope::check,
    utilization::check,
];

pub fn check(model: &Model, utilization_threshold: f64) -> Vec<Finding> {
    // Names first, on their own: their sort keys are the largest transient after the address
    // index, and the two need not be held at once.
    let mut names = Vec::new();
    duplicates::check_names(model, &mut names);
    crate::memory::release_freed();
    let (containment, addresses) =
        rayon::join(|| Containment::of(model), || AddressIndex::of(model));
    let context = Context {
        model,
        containment,
        addresses,
        utilization_threshold,
    };
    // The families are independent: run them side by side, keep their order.
    let per_family: Vec<Vec<Finding>> = FAMILIES
        .par_iter()
        .map(|family| {
            let mut findings = Vec::new();
            family(&context, &mut findings);
            findings
        })
        .collect();
    let mut per_family = per_family;
    per_family.insert(2, names);
    per_family.into_iter().flatten().collect()
}
