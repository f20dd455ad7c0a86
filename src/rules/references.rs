//! The rules that check names: `conflicting-declaration`, `unknown-reference` and
//! `invalid-provider`. The model lets the first declaration of each name stand
//! (`build.rs`); these read every declaration and reference as written
//! ([`Model::names`]) against it.

use std::collections::HashSet;

use compact_str::CompactString;

use crate::finding::Finding;
use crate::model::Model;
use crate::model::kinds::SpaceKind;
use crate::model::left_out::{LeftOutIndex, LeftOutKind};
use crate::model::names::{FileNames, NetworkDecl, SpaceDecl};
use crate::rule::Rule;
use crate::source::{Span, Spanned};

use super::{Context, follows_from};

pub fn check(context: &Context, findings: &mut Vec<Finding>) {
    let model = context.model;
    conflicting_declaration(model, findings);
    unknown_reference(model, &context.left_out, findings);
    invalid_provider(model, findings);
}

/// Who a file speaks for, for messages: ` (vmm-dc1)`, or nothing without a source.
fn by(model: &Model, span: Span) -> String {
    model
        .source_of(span.file)
        .map(|source| format!(" ({source})"))
        .unwrap_or_default()
}

/// Findings of one rule, each value reported once: a file's default space is referenced by
/// every declaration that takes it.
struct Once<'f> {
    reported: HashSet<Span>,
    findings: &'f mut Vec<Finding>,
}

impl Once<'_> {
    fn report(&mut self, finding: Finding) {
        if self.reported.insert(finding.primary) {
            self.findings.push(finding);
        }
    }
}

pub const CONFLICTING_DECLARATION: &str = r#"## What it finds

A space or network declared more than once with different attributes: a space with another
`kind` or `provider`, a network with another `virtualization` or space. The first
declaration in canonical order stands.

## Why it matters

Two virtualization managers may both declare a shared logical network, but they must agree
on what it is; otherwise each manager works from a different truth.

## Example

```yaml
networks:
  - { name: dc1-hnv, virtualization: true }
  - { name: dc1-hnv, virtualization: false }
```

Fixed:

```yaml
networks:
  - { name: dc1-hnv, virtualization: true }
  - { name: dc1-hnv, virtualization: true }
```
"#;

fn conflicting_declaration(model: &Model, findings: &mut Vec<Finding>) {
    for file in &model.names.files {
        for decl in &file.spaces {
            findings.extend(conflicting_space(model, decl));
        }
    }
    for file in &model.names.files {
        for decl in &file.networks {
            findings.extend(conflicting_network(model, file, decl));
        }
    }
}

fn conflicting_space(model: &Model, decl: &SpaceDecl) -> Option<Finding> {
    let standing = &model.spaces[model.space_ids[&decl.name.value] as usize];
    let provider = decl.provider.as_ref().map(|p| p.value.as_str());
    let standing_provider = standing.provider.as_ref().map(|p| p.value.as_str());
    if standing.declared_at == Some(decl.name.span)
        || (standing.kind == decl.kind && standing_provider == provider)
    {
        return None;
    }
    let describe = |kind: SpaceKind, provider: Option<&str>| match provider {
        Some(provider) => format!("kind {} with provider {provider}", kind.as_str()),
        None => format!("kind {}", kind.as_str()),
    };
    let message = format!(
        "space {} is declared again{} as {}, but it is {}{}",
        decl.name.value,
        by(model, decl.name.span),
        describe(decl.kind, provider),
        describe(standing.kind, standing_provider),
        standing
            .declared_at
            .map(|at| by(model, at))
            .unwrap_or_default(),
    );
    let finding = Finding::new(Rule::ConflictingDeclaration, decl.name.span, message)
        .in_space(decl.name.value.clone());
    Some(match standing.declared_at {
        Some(at) => finding.related(at, format!("{} first declared here", decl.name.value)),
        None => finding.help("`fabric` always exists as a fabric space without a provider"),
    })
}

fn conflicting_network(model: &Model, file: &FileNames, decl: &NetworkDecl) -> Option<Finding> {
    let standing = model.network_named(&decl.name.value)?;
    let space = file.space_of(decl).map_or("fabric", |s| s.value.as_str());
    if standing.declared_at == decl.name.span
        || (standing.virtualization == decl.virtualization && standing.space == space)
    {
        return None;
    }
    let message = format!(
        "network {} is declared again{} with virtualization: {} in space {}, but it has virtualization: {} in space {}{}",
        decl.name.value,
        by(model, decl.name.span),
        decl.virtualization,
        space,
        standing.virtualization,
        standing.space,
        by(model, standing.declared_at),
    );
    Some(
        Finding::new(Rule::ConflictingDeclaration, decl.name.span, message).related(
            standing.declared_at,
            format!("{} first declared here", decl.name.value),
        ),
    )
}

pub const UNKNOWN_REFERENCE: &str = r#"## What it finds

A `space`, `network` or `provider` that names nothing declared. `fabric` always exists. A
file's default `space` is reported once, however many declarations use it.

## Why it matters

A typo in a space name would otherwise create a new, empty address space, and every
conflict with the real one would go unseen. Declarations in an undeclared space are left out
of the model.

## Example

```yaml
spaces:
  - { name: contoso, kind: virtual }
subnets:
  - { cidr: 192.168.0.0/24, space: contosso }
```

Fixed:

```yaml
spaces:
  - { name: contoso, kind: virtual }
subnets:
  - { cidr: 192.168.0.0/24, space: contoso }
```
"#;

fn unknown_reference(model: &Model, left_out: &LeftOutIndex, findings: &mut Vec<Finding>) {
    let mut once = Once {
        reported: HashSet::new(),
        findings,
    };
    let unknown_space = |once: &mut Once, reference: &Spanned<CompactString>| {
        if model.space_named(&reference.value).is_none() {
            let finding = Finding::new(
                Rule::UnknownReference,
                reference.span,
                format!("space {} is not declared", reference.value),
            )
            .help("declare it under `spaces:` (only `fabric` exists without a declaration)");
            let cause = left_out.named(LeftOutKind::Space, &reference.value);
            once.report(follows_from(finding, cause, &reference.value));
        }
    };
    let unknown_network = |once: &mut Once, reference: &Spanned<CompactString>, finding| {
        let cause = left_out.named(LeftOutKind::Network, &reference.value);
        once.report(follows_from(finding, cause, &reference.value));
    };
    for file in &model.names.files {
        if let Some(reference) = &file.space {
            unknown_space(&mut once, reference);
        }
        for decl in &file.spaces {
            if let Some(provider) = &decl.provider
                && decl.kind == SpaceKind::Virtual
                && model.network_named(&provider.value).is_none()
            {
                let finding = Finding::new(
                    Rule::UnknownReference,
                    provider.span,
                    format!(
                        "provider {} of space {} names no declared network",
                        provider.value, decl.name.value
                    ),
                )
                .in_space(decl.name.value.clone());
                unknown_network(&mut once, provider, finding);
            }
        }
        for decl in &file.networks {
            if let Some(reference) = file.space_of(decl) {
                unknown_space(&mut once, reference);
            }
        }
    }
    for network in &model.names.network_refs {
        if model.network_named(&network.value).is_none() {
            let finding = Finding::new(
                Rule::UnknownReference,
                network.span,
                format!("network {} is not declared", network.value),
            );
            unknown_network(&mut once, network, finding);
        }
    }
    for reference in &model.names.space_refs {
        unknown_space(&mut once, reference);
    }
}

pub const INVALID_PROVIDER: &str = r#"## What it finds

A virtual space whose `provider` network lacks `virtualization: true`; a `provider` on a
fabric space; a network placed in a virtual space.

## Why it matters

Virtual networks run over provider networks that have network virtualization enabled. A
provider without it cannot carry the tenant's traffic, and logical networks belong to the
fabric, not to a tenant's space.

## Example

```yaml
networks:
  - { name: dc1-mgmt }
spaces:
  - { name: contoso, kind: virtual, provider: dc1-mgmt }
```

Fixed:

```yaml
networks:
  - { name: dc1-mgmt }
  - { name: dc1-hnv, virtualization: true }
spaces:
  - { name: contoso, kind: virtual, provider: dc1-hnv }
```
"#;

fn invalid_provider(model: &Model, findings: &mut Vec<Finding>) {
    let mut once = Once {
        reported: HashSet::new(),
        findings,
    };
    for file in &model.names.files {
        for decl in &file.spaces {
            if let Some(finding) = invalid_provider_of(model, decl) {
                once.report(finding);
            }
        }
        for decl in &file.networks {
            if let Some(reference) = file.space_of(decl)
                && let Some(space) = model.space_named(&reference.value)
                && model.spaces[space as usize].kind == SpaceKind::Virtual
            {
                once.report(
                    Finding::new(
                        Rule::InvalidProvider,
                        reference.span,
                        format!(
                            "network {} is placed in virtual space {}; logical networks belong to fabric spaces",
                            decl.name.value, reference.value
                        ),
                    )
                    .in_space(reference.value.clone())
                    .help("virtual spaces run over a network through their `provider`"),
                );
            }
        }
    }
}

/// A provider on a fabric space, or one that names a network without virtualization.
fn invalid_provider_of(model: &Model, decl: &SpaceDecl) -> Option<Finding> {
    let provider = decl.provider.as_ref()?;
    if decl.kind == SpaceKind::Fabric {
        return Some(
            Finding::new(
                Rule::InvalidProvider,
                provider.span,
                format!(
                    "fabric space {} has a provider; only virtual spaces run over a provider network",
                    decl.name.value
                ),
            )
            .in_space(decl.name.value.clone())
            .help("set `kind: virtual`, or remove `provider`"),
        );
    }
    let network = model.network_named(&provider.value)?;
    if network.virtualization {
        return None;
    }
    Some(
        Finding::new(
            Rule::InvalidProvider,
            provider.span,
            format!(
                "virtual space {} runs over network {}, which lacks `virtualization: true`",
                decl.name.value, provider.value
            ),
        )
        .in_space(decl.name.value.clone())
        .related(
            network.declared_at,
            format!("{} declared here", network.name),
        ),
    )
}
