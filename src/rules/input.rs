//! The rules found while reading files (`syntax`, `schema`, `invalid-value`,
//! `non-canonical-cidr`): each rule's findings are made here, by the loader, the only place
//! that touches a parser, as it reads each value.

use crate::finding::Finding;
use crate::model::ip::Prefix;
use crate::rule::Rule;
use crate::source::{Span, Spanned};

use super::Context;

pub const SYNTAX: &str = r#"## What it finds

A file that is not valid YAML or TOML, or not UTF-8: an unclosed bracket, a bad indent, a
duplicate key, several YAML documents in one file.

## Why it matters

A file that cannot be read adds nothing to the model, so every conflict it would reveal
stays hidden until it is fixed. Every other file is still checked.

## Example

```yaml
subnets:
  - { cidr: 10.0.0.0/24, name: web
```

Fixed:

```yaml
subnets:
  - { cidr: 10.0.0.0/24, name: web }
```
"#;

/// A file the parser refused, at the parser's offset: raised by `load::load_bytes`.
pub fn syntax(at: Span, message: String) -> Finding {
    Finding::new(Rule::Syntax, at, message)
}

pub const SCHEMA: &str = r#"## What it finds

A declaration that does not follow the format: an unknown key (often a typo), a value of the
wrong type, a missing required key (`cidr`, `ip`, `start`, `end`, `name`), an unknown `kind`
or `type`.

## Why it matters

A misspelt key silently means something else, or nothing: `gatway:` declares no gateway.
The faulty declaration is left out of the model; the rest of the file is still checked.

## Example

```yaml
subnets:
  - { cidr: 10.0.0.0/24, gatway: 10.0.0.1 }
```

Fixed:

```yaml
subnets:
  - { cidr: 10.0.0.0/24, gateway: 10.0.0.1 }
```
"#;

/// A value that does not follow the format, raised by the decoder (`load/decode.rs`) as it
/// walks the format's keys: an unknown key, a value of the wrong type, a missing required
/// key, an unknown `kind` or `type`.
pub fn schema(at: Span, message: String) -> Finding {
    Finding::new(Rule::Schema, at, message)
}

pub const INVALID_VALUE: &str = r#"## What it finds

A value that does not parse or is out of range: an IP address or CIDR (`10.0.0.256`,
`10.0.0.0/33`, `010.0.0.1`, `fe80::1%eth0`), a MAC address not of the `00:15:5d:01:02:03`
form, a VLAN outside 0 to 4094, a VSID outside 4096 to 16777214, a range whose start is after
its end or whose ends are of different families, an access scope not of the form `/` or
`/a/b`.

## Why it matters

The declaration cannot be placed, so it is left out of the model and its other faults cannot
be found. Leading zeros are rejected because tools disagree on them: some read `010` as
octal 8.

## Example

```yaml
subnets:
  - { cidr: 10.0.0.0/24, vlan: 4095 }
```

Fixed:

```yaml
subnets:
  - { cidr: 10.0.0.0/24, vlan: 4094 }
```
"#;

/// A value of the right type that does not parse or is out of range, raised by the decoder
/// (`load/decode.rs`) with the reason its parser gives.
pub fn invalid_value(at: Span, message: String) -> Finding {
    Finding::new(Rule::InvalidValue, at, message)
}

/// Findings the plan's addresses could not be checked for: a plan whose address names or
/// IPv6 values pass 4 GiB in all, which the model's compact records cannot address.
pub fn unchecked_addresses(context: &Context, findings: &mut Vec<Finding>) {
    findings.extend(context.model.names.unkept_addresses.iter().map(|&span| {
        Finding::new(
            Rule::InvalidValue,
            span,
            "this address is not checked: the plan's address names or IPv6 values exceed 4 GiB in all"
                .to_owned(),
        )
    }));
}

pub const NON_CANONICAL_CIDR: &str = r#"## What it finds

A CIDR with host bits set, such as `10.1.0.1/24`. The help names the canonical form.

## Why it matters

`10.1.0.1/24` reads like an address but declares the network `10.1.0.0/24`. Tools that
accept it disagree on what was meant; writing the network address says it once. The prefix
is still checked, in its canonical form.

## Example

```yaml
subnets:
  - { cidr: 10.1.0.1/24 }
```

Fixed:

```yaml
subnets:
  - { cidr: 10.1.0.0/24 }
```
"#;

/// A CIDR written with host bits set, raised by the decoder (`load/decode.rs`), which then
/// goes on with the canonical prefix.
pub fn non_canonical_cidr(written: &Spanned<&str>, canonical: Prefix) -> Finding {
    Finding::new(
        Rule::NonCanonicalCidr,
        written.span,
        format!("CIDR `{}` has host bits set", written.value),
    )
    .help(format!("write the canonical form `{canonical}`"))
}
