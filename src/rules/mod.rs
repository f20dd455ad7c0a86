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

use crate::finding::Finding;
use crate::model::Model;
use crate::model::containment::Containment;
use crate::source::Span;

/// What every rule reads.
pub struct Context<'m> {
    pub model: &'m Model,
    pub containment: Containment,
    pub utilization_threshold: f64,
}

impl Context<'_> {
    fn source(&self, span: Span) -> Option<&str> {
        self.model.source_of(span.file)
    }

    /// Both sides of a conflict, naming each one's source when the two differ:
    /// `subnet 10.1.0.0/25 (vmm-dc2)` and `subnet 10.1.0.0/24 (vmm-dc1)`.
    fn sides(&self, later: Span, earlier: Span) -> (String, String) {
        let (a, b) = (self.source(later), self.source(earlier));
        if a == b {
            return (String::new(), String::new());
        }
        let label = |source: Option<&str>| format!(" ({})", source.unwrap_or("no source"));
        (label(a), label(b))
    }
}

pub fn check(model: &Model, utilization_threshold: f64) -> Vec<Finding> {
    let context = Context {
        model,
        containment: Containment::of(model),
        utilization_threshold,
    };
    let mut findings = Vec::new();
    duplicates::check(&context, &mut findings);
    overlaps::check(&context, &mut findings);
    containment::check(&context, &mut findings);
    usable::check(&context, &mut findings);
    pools::check(&context, &mut findings);
    scope::check(&context, &mut findings);
    utilization::check(&context, &mut findings);
    findings
}
