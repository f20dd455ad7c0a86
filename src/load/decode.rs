//! Turns a file's spanned tree into typed declarations.
//!
//! Reports `schema` (unknown key, wrong type, missing key, unknown enum value),
//! `invalid-value` and `non-canonical-cidr` at the exact value. A declaration with a schema
//! fault or an invalid value is skipped; the rest of the file is still read. A fault in the
//! file-level keys (`source`, `space`, `scope`, or the file not being a mapping) drops the
//! whole file, since every declaration in it depends on them.

use crate::finding::Finding;
use crate::model::ip::{Addr, Prefix};
use crate::model::left_out::{LeftOut, LeftOutKind};
use crate::model::pasted;
use crate::model::scope::Scope;
use crate::model::{Address, FABRIC, ROOT_SCOPE};
use crate::rules::input;
use crate::source::{FileId, Span, Spanned};
use crate::suggest::closest;
use compact_str::CompactString;

use crate::model::kinds::{AllocType, SpaceKind};

use super::document::{AddressList, BlockDecl, Document, Placement, RangeDecl, SubnetDecl};
use super::tree::{Node, Value};
use crate::model::names::{NetworkDecl, SpaceDecl};

/// The help for a pasted value: the value meant, and why the text is not it.
fn did_you_mean<T: std::fmt::Display>(meant: pasted::Meant<T>) -> String {
    if meant.certain {
        format!("did you mean `{}`? {}", meant.value, meant.because)
    } else {
        meant.because
    }
}

pub const FILE_KEYS: &[&str] = &[
    "source",
    "space",
    "scope",
    "spaces",
    "networks",
    "blocks",
    "subnets",
    "ranges",
    "addresses",
];
/// The longest `name` kept. A host name is at most 253 bytes; this leaves room for longer
/// labels of blocks and subnets, and bounds what a plan of millions of names can hold.
pub const MAX_NAME_BYTES: usize = 1024;

pub const SPACE_KEYS: &[&str] = &["name", "kind", "provider", "description", "tags"];
pub const NETWORK_KEYS: &[&str] = &["name", "virtualization", "space", "description", "tags"];
pub const BLOCK_KEYS: &[&str] = &["cidr", "name", "space", "scope", "description", "tags"];
pub const SUBNET_KEYS: &[&str] = &[
    "cidr",
    "name",
    "space",
    "scope",
    "network",
    "site",
    "vlan",
    "vsid",
    "gateway",
    "dns",
    "description",
    "tags",
];
pub const RANGE_KEYS: &[&str] = &[
    "start",
    "end",
    "name",
    "type",
    "space",
    "scope",
    "description",
    "tags",
];
pub const ADDRESS_KEYS: &[&str] = &[
    "ip",
    "name",
    "mac",
    "type",
    "space",
    "scope",
    "description",
    "tags",
];

pub const VLAN_MAX: i128 = 4094;
pub const VSID_MIN: i128 = 4096;
pub const VSID_MAX: i128 = 16_777_214;

/// Decodes one file. Returns `None` when the file-level keys are unusable.
pub fn decode_document(
    file: FileId,
    root: &Node<'_>,
    findings: &mut Vec<Finding>,
) -> Option<Document> {
    let mut decoder = Decoder {
        file,
        findings,
        left_out: Vec::new(),
    };
    let mut document = decoder.document(root)?;
    document.left_out = decoder.left_out;
    Some(document)
}

struct Decoder<'a> {
    file: FileId,
    findings: &'a mut Vec<Finding>,
    left_out: Vec<LeftOut>,
}

/// The entries of one mapping, with the keys already checked against the allowed set.
struct Fields<'n> {
    what: &'static str,
    node: &'n Node<'n>,
    entries: Vec<(&'n str, &'n Node<'n>)>,
    /// Set once any schema fault or invalid value was reported for this mapping.
    faulty: bool,
    /// Known keys offered as corrections of unknown ones: not reported again as missing.
    suggested: Vec<&'static str>,
}

impl<'n> Fields<'n> {
    /// The value of a key, treating an explicit null as absent.
    fn get(&self, key: &str) -> Option<&'n Node<'n>> {
        self.entries
            .iter()
            .find(|(name, _)| *name == key)
            .map(|(_, node)| *node)
            .filter(|node| node.value != Value::Null)
    }
}

impl Decoder<'_> {
    fn span(&self, node: &Node<'_>) -> Span {
        Span {
            file: self.file,
            start: node.span.start as u32,
            end: node.span.end as u32,
        }
    }

    fn report(&mut self, finding: fn(Span, String) -> Finding, node: &Node<'_>, message: String) {
        let span = self.span(node);
        self.findings.push(finding(span, message));
    }

    fn document(&mut self, root: &Node<'_>) -> Option<Document> {
        if root.value == Value::Null {
            return Some(Document {
                file: self.file,
                ..Document::default()
            });
        }
        let mut fields = self.fields(root, "declaration file", FILE_KEYS)?;
        // An unknown top-level key loses only what is under it.
        fields.faulty = false;
        let source = self.optional_string(&mut fields, "source").map(owned);
        let space = self.optional_string(&mut fields, "space").map(owned);
        let scope = self.optional_scope(&mut fields);
        if fields.faulty {
            // Defaults that cannot be trusted make every declaration of the file untrustworthy.
            return None;
        }
        let mut document = Document {
            file: self.file,
            source: source.map(|s| s.value.into()),
            space,
            scope,
            ..Document::default()
        };
        document.spaces = self.entries(
            &fields,
            "spaces",
            &mut document.declarations,
            Self::space_decl,
        );
        document.networks = self.entries(
            &fields,
            "networks",
            &mut document.declarations,
            Self::network_decl,
        );
        document.blocks = self.entries(
            &fields,
            "blocks",
            &mut document.declarations,
            Self::block_decl,
        );
        document.subnets = self.entries(
            &fields,
            "subnets",
            &mut document.declarations,
            Self::subnet_decl,
        );
        document.ranges = self.entries(
            &fields,
            "ranges",
            &mut document.declarations,
            Self::range_decl,
        );
        let items = self.list(&fields, "addresses");
        document.declarations += items.len();
        let addresses = &mut document.addresses;
        addresses.records.reserve_exact(items.len());
        for item in items {
            self.address(item, addresses);
        }
        Some(document)
    }

    /// Decodes every entry of a top-level list, counting them, valid or not.
    fn entries<T>(
        &mut self,
        fields: &Fields,
        key: &str,
        count: &mut usize,
        decode: fn(&mut Self, &Node<'_>) -> Option<T>,
    ) -> Vec<T> {
        let items = self.list(fields, key);
        *count += items.len();
        let kind = match key {
            "blocks" => Some(LeftOutKind::Block),
            "subnets" => Some(LeftOutKind::Subnet),
            "spaces" => Some(LeftOutKind::Space),
            "networks" => Some(LeftOutKind::Network),
            _ => None,
        };
        // Sized to the list: almost every entry is kept, and growing would leave slack.
        let mut decoded = Vec::with_capacity(items.len());
        for item in items {
            let faults_before = self.findings.len();
            match decode(self, item) {
                Some(declaration) => decoded.push(declaration),
                None => {
                    if let (Some(kind), Some(fault)) = (kind, self.findings.get(faults_before)) {
                        let fault = fault.primary;
                        self.left_out.push(left_out(kind, item, fault));
                    }
                }
            }
        }
        decoded
    }

    /// The items of a top-level list; a list key of another type is a schema fault.
    fn list<'n>(&mut self, fields: &Fields<'n>, key: &str) -> &'n [Node<'n>] {
        match fields.get(key) {
            None => &[],
            Some(Node {
                value: Value::Seq(items),
                ..
            }) => items,
            Some(other) => {
                self.report(
                    input::schema,
                    other,
                    format!("`{key}` must be a list, found {}", other.value.kind()),
                );
                &[]
            }
        }
    }

    fn fields<'n>(
        &mut self,
        node: &'n Node<'n>,
        what: &'static str,
        allowed: &[&'static str],
    ) -> Option<Fields<'n>> {
        let Value::Map(entries) = &node.value else {
            self.report(
                input::schema,
                node,
                format!("{} must be a mapping, found {}", a(what), node.value.kind()),
            );
            return None;
        };
        let mut fields = Fields {
            what,
            node,
            entries: Vec::with_capacity(entries.len()),
            faulty: false,
            suggested: Vec::new(),
        };
        for (key, value) in entries {
            let Value::Str(name) = &key.value else {
                self.report(
                    input::schema,
                    key,
                    format!(
                        "keys of {} are strings, found {}",
                        a(what),
                        key.value.kind()
                    ),
                );
                fields.faulty = true;
                continue;
            };
            if allowed.contains(&name.as_ref()) {
                fields.entries.push((name.as_ref(), value));
            } else {
                let near = closest(name, allowed.iter().copied());
                fields.suggested.extend(near);
                let suggestion = near
                    .map(|known| format!("; did you mean `{known}`?"))
                    .unwrap_or_else(|| format!("; expected one of: {}", allowed.join(", ")));
                self.report(
                    input::schema,
                    key,
                    format!("unknown key `{name}` in {}{suggestion}", a(what)),
                );
                fields.faulty = true;
            }
        }
        Some(fields)
    }

    fn wrong_type(&mut self, fields: &mut Fields, key: &str, node: &Node<'_>, expected: &str) {
        let hint = match node.value {
            Value::Int(_) | Value::Float(_) | Value::Bool(_) | Value::Datetime
                if expected == "a string" =>
            {
                " (quote it to make it a string)"
            }
            _ => "",
        };
        self.report(
            input::schema,
            node,
            format!(
                "`{key}` of {} must be {expected}, found {}{hint}",
                a(fields.what),
                node.value.kind()
            ),
        );
        fields.faulty = true;
    }

    /// A string key's text, borrowed from the tree: most values are parsed, not kept.
    fn optional_string<'n>(
        &mut self,
        fields: &mut Fields<'n>,
        key: &str,
    ) -> Option<Spanned<&'n str>> {
        let node = fields.get(key)?;
        match &node.value {
            Value::Str(text) => Some(Spanned {
                value: text.as_ref(),
                span: self.span(node),
            }),
            _ => {
                self.wrong_type(fields, key, node, "a string");
                None
            }
        }
    }

    /// A `name`, owned, if it is not longer than [`MAX_NAME_BYTES`].
    fn name(
        &mut self,
        fields: &mut Fields<'_>,
        name: Spanned<&str>,
    ) -> Option<Spanned<CompactString>> {
        self.checked_name(fields, name).map(owned)
    }

    /// A `name`, if it is not longer than [`MAX_NAME_BYTES`].
    fn checked_name<'n>(
        &mut self,
        fields: &mut Fields<'_>,
        name: Spanned<&'n str>,
    ) -> Option<Spanned<&'n str>> {
        if name.value.len() > MAX_NAME_BYTES {
            self.findings.push(input::invalid_value(
                name.span,
                format!(
                    "this name is {} bytes long; a name is at most {MAX_NAME_BYTES} bytes",
                    name.value.len()
                ),
            ));
            fields.faulty = true;
            return None;
        }
        Some(name)
    }

    fn required_string<'n>(
        &mut self,
        fields: &mut Fields<'n>,
        key: &str,
    ) -> Option<Spanned<&'n str>> {
        if fields.get(key).is_none() {
            if !fields.suggested.contains(&key) {
                let what = fields.what;
                self.report(
                    input::schema,
                    fields.node,
                    format!("{} needs `{key}`", a(what)),
                );
            }
            fields.faulty = true;
            return None;
        }
        self.optional_string(fields, key)
    }

    fn optional_bool(&mut self, fields: &mut Fields, key: &str) -> Option<bool> {
        let node = fields.get(key)?;
        match node.value {
            Value::Bool(value) => Some(value),
            _ => {
                self.wrong_type(fields, key, node, "true or false");
                None
            }
        }
    }

    /// An integer key, checked against an inclusive range (out of range is `invalid-value`).
    fn optional_int(
        &mut self,
        fields: &mut Fields,
        key: &str,
        min: i128,
        max: i128,
        meaning: &str,
    ) -> Option<Spanned<i128>> {
        let node = fields.get(key)?;
        let Value::Int(value) = node.value else {
            self.wrong_type(fields, key, node, "an integer");
            return None;
        };
        if value < min || value > max {
            self.report(
                input::invalid_value,
                node,
                format!("{key} {value} is out of range: {meaning} is {min} to {max}"),
            );
            fields.faulty = true;
            return None;
        }
        Some(Spanned {
            value,
            span: self.span(node),
        })
    }

    /// `description` and `tags` carry no meaning for the checks, but their types are checked.
    fn annotations(&mut self, fields: &mut Fields) {
        self.optional_string(fields, "description");
        if let Some(node) = fields.get("tags") {
            let all_strings = match &node.value {
                Value::Seq(items) => items.iter().all(|item| matches!(item.value, Value::Str(_))),
                _ => false,
            };
            if !all_strings {
                self.wrong_type(fields, "tags", node, "a list of strings");
            }
        }
    }

    fn optional_scope(&mut self, fields: &mut Fields) -> Option<Spanned<Scope>> {
        let text = self.optional_string(fields, "scope")?;
        match Scope::parse(text.value) {
            Ok(scope) => Some(Spanned {
                value: scope,
                span: text.span,
            }),
            Err(reason) => {
                self.findings.push(input::invalid_value(text.span, reason));
                fields.faulty = true;
                None
            }
        }
    }

    fn placement(&mut self, fields: &mut Fields) -> Placement {
        Placement {
            space: self.optional_string(fields, "space").map(owned),
            scope: self.optional_scope(fields),
        }
    }

    fn parse_addr(&mut self, fields: &mut Fields, text: Spanned<&str>) -> Option<Spanned<Addr>> {
        match Addr::parse(text.value) {
            Ok(addr) => Some(Spanned {
                value: addr,
                span: text.span,
            }),
            Err(reason) => {
                let mut finding = input::invalid_value(text.span, reason);
                if let Some(meant) = pasted::meant_addr(text.value) {
                    finding = finding.help(did_you_mean(meant));
                }
                self.findings.push(finding);
                fields.faulty = true;
                None
            }
        }
    }

    fn required_addr(&mut self, fields: &mut Fields, key: &str) -> Option<Spanned<Addr>> {
        let text = self.required_string(fields, key)?;
        self.parse_addr(fields, text)
    }

    fn optional_addr(&mut self, fields: &mut Fields, key: &str) -> Option<Spanned<Addr>> {
        let text = self.optional_string(fields, key)?;
        self.parse_addr(fields, text)
    }

    /// A CIDR, in canonical form; host bits set are reported but the prefix is still used.
    fn required_cidr(&mut self, fields: &mut Fields) -> Option<Spanned<Prefix>> {
        let text = self.required_string(fields, "cidr")?;
        match Prefix::parse(text.value) {
            Ok(parsed) => {
                if parsed.had_host_bits {
                    self.findings
                        .push(input::non_canonical_cidr(&text, parsed.prefix));
                }
                Some(Spanned {
                    value: parsed.prefix,
                    span: text.span,
                })
            }
            Err(reason) => {
                let mut finding = input::invalid_value(text.span, reason);
                if let Some(meant) = pasted::meant_prefix(text.value) {
                    finding = finding.help(did_you_mean(meant));
                }
                self.findings.push(finding);
                fields.faulty = true;
                None
            }
        }
    }

    fn alloc_type(&mut self, fields: &mut Fields) -> AllocType {
        let Some(text) = self.optional_string(fields, "type") else {
            return AllocType::Static;
        };
        AllocType::parse(text.value).unwrap_or_else(|| {
            self.findings.push(input::schema(
                text.span,
                format!(
                    "unknown {} type `{}`; expected one of: {}",
                    fields.what,
                    text.value,
                    AllocType::NAMES.join(", ")
                ),
            ));
            fields.faulty = true;
            AllocType::Static
        })
    }

    fn space_decl(&mut self, node: &Node<'_>) -> Option<SpaceDecl> {
        let mut fields = self.fields(node, "space", SPACE_KEYS)?;
        let name = self
            .required_string(&mut fields, "name")
            .and_then(|n| self.name(&mut fields, n));
        let kind = match self.optional_string(&mut fields, "kind") {
            None => SpaceKind::Fabric,
            Some(text) => match text.value {
                "fabric" => SpaceKind::Fabric,
                "virtual" => SpaceKind::Virtual,
                other => {
                    self.findings.push(input::schema(
                        text.span,
                        format!("unknown space kind `{other}`; expected one of: fabric, virtual"),
                    ));
                    fields.faulty = true;
                    SpaceKind::Fabric
                }
            },
        };
        let provider = self.optional_string(&mut fields, "provider").map(owned);
        self.annotations(&mut fields);
        let name = name?;
        (!fields.faulty).then_some(SpaceDecl {
            name,
            kind,
            provider,
        })
    }

    fn network_decl(&mut self, node: &Node<'_>) -> Option<NetworkDecl> {
        let mut fields = self.fields(node, "network", NETWORK_KEYS)?;
        let name = self
            .required_string(&mut fields, "name")
            .and_then(|n| self.name(&mut fields, n));
        let virtualization = self.optional_bool(&mut fields, "virtualization");
        let space = self.optional_string(&mut fields, "space").map(owned);
        self.annotations(&mut fields);
        let name = name?;
        (!fields.faulty).then_some(NetworkDecl {
            name,
            virtualization: virtualization.unwrap_or(false),
            space,
        })
    }

    fn block_decl(&mut self, node: &Node<'_>) -> Option<BlockDecl> {
        let mut fields = self.fields(node, "block", BLOCK_KEYS)?;
        let cidr = self.required_cidr(&mut fields);
        let name = self
            .optional_string(&mut fields, "name")
            .and_then(|n| self.name(&mut fields, n));
        let placement = self.placement(&mut fields);
        self.annotations(&mut fields);
        let cidr = cidr?;
        (!fields.faulty).then_some(BlockDecl {
            cidr,
            name,
            placement,
        })
    }

    fn subnet_decl(&mut self, node: &Node<'_>) -> Option<SubnetDecl> {
        let mut fields = self.fields(node, "subnet", SUBNET_KEYS)?;
        let cidr = self.required_cidr(&mut fields);
        let name = self
            .optional_string(&mut fields, "name")
            .and_then(|n| self.name(&mut fields, n));
        let placement = self.placement(&mut fields);
        let network = self.optional_string(&mut fields, "network").map(owned);
        let site = self.optional_string(&mut fields, "site").map(owned);
        let vlan = self.optional_int(&mut fields, "vlan", 0, VLAN_MAX, "a VLAN ID");
        let vsid = self.optional_int(
            &mut fields,
            "vsid",
            VSID_MIN,
            VSID_MAX,
            "a virtual subnet ID",
        );
        let gateway = self.optional_addr(&mut fields, "gateway");
        self.dns(&mut fields);
        self.annotations(&mut fields);
        let cidr = cidr?;
        if fields.faulty {
            return None;
        }
        Some(SubnetDecl {
            cidr,
            name,
            placement,
            network,
            site: site.map(|s| s.value),
            vlan: vlan.map(|v| Spanned {
                value: v.value as u16,
                span: v.span,
            }),
            vsid: vsid.map(|v| Spanned {
                value: v.value as u32,
                span: v.span,
            }),
            gateway,
        })
    }

    /// DNS servers are validated but not otherwise checked: they usually live elsewhere.
    fn dns(&mut self, fields: &mut Fields) {
        let Some(node) = fields.get("dns") else {
            return;
        };
        let Value::Seq(items) = &node.value else {
            self.wrong_type(fields, "dns", node, "a list of IP addresses");
            return;
        };
        for item in items {
            match &item.value {
                Value::Str(text) => {
                    let text = Spanned {
                        value: text.as_ref(),
                        span: self.span(item),
                    };
                    self.parse_addr(fields, text);
                }
                _ => self.wrong_type(fields, "dns", item, "a list of IP addresses"),
            }
        }
    }

    fn range_decl(&mut self, node: &Node<'_>) -> Option<RangeDecl> {
        let mut fields = self.fields(node, "range", RANGE_KEYS)?;
        let start = self.required_addr(&mut fields, "start");
        let end = self.required_addr(&mut fields, "end");
        let name = self
            .optional_string(&mut fields, "name")
            .and_then(|n| self.name(&mut fields, n));
        let kind = self.alloc_type(&mut fields);
        let placement = self.placement(&mut fields);
        self.annotations(&mut fields);
        let (start, end) = (start?, end?);
        if start.value.family != end.value.family {
            self.findings.push(input::invalid_value(
                start.span,
                format!(
                    "range {} - {} mixes {} and {}",
                    start.value,
                    end.value,
                    start.value.family.label(),
                    end.value.family.label()
                ),
            ));
            return None;
        }
        if start.value > end.value {
            self.findings.push(
                input::invalid_value(
                    start.span,
                    format!("range start {} is after its end {}", start.value, end.value),
                )
                .related(end.span, "end declared here"),
            );
            return None;
        }
        (!fields.faulty).then_some(RangeDecl {
            start,
            end,
            name,
            kind,
            placement,
        })
    }

    /// Decodes one address into `list`, unless it is faulty.
    fn address(&mut self, node: &Node<'_>, list: &mut AddressList) {
        let Some(mut fields) = self.fields(node, "address", ADDRESS_KEYS) else {
            return;
        };
        let ip = self.required_addr(&mut fields, "ip");
        let name = self
            .optional_string(&mut fields, "name")
            .and_then(|n| self.checked_name(&mut fields, n));
        if let Some(mac) = self.optional_string(&mut fields, "mac")
            && !is_mac(mac.value)
        {
            self.findings.push(input::invalid_value(mac.span,
                format!(
                    "`{}` is not a MAC address: expected six hex pairs separated by colons, such as 00:15:5d:01:02:03",
                    mac.value
                ),
            ));
            fields.faulty = true;
        }
        let kind = self.alloc_type(&mut fields);
        let placement = self.placement(&mut fields);
        self.annotations(&mut fields);
        let Some(ip) = ip else { return };
        if fields.faulty {
            return;
        }
        let ip_span = ip.span;
        match Address::new(ip, kind, FABRIC, ROOT_SCOPE, name, &mut list.pools) {
            Some(address) => {
                if placement.space.is_some() || placement.scope.is_some() {
                    list.placements.push((list.records.len(), placement));
                }
                list.records.push(address);
            }
            // Only a value tens of kilobytes long, which no address is.
            None => self.findings.push(input::invalid_value(
                ip_span,
                "this address is too long to be checked".to_owned(),
            )),
        }
    }
}

/// What can be read of a declaration left out for `fault`: its space, its name, and the
/// CIDR it was meant to have (its `cidr`, or a misspelt key's value, read as pasted).
fn left_out(kind: LeftOutKind, node: &Node<'_>, fault: Span) -> LeftOut {
    let Value::Map(entries) = &node.value else {
        return LeftOut {
            kind,
            space: None,
            meant: None,
            name: None,
            fault,
        };
    };
    let text = |wanted: &str| {
        entries
            .iter()
            .find_map(|(key, value)| match (&key.value, &value.value) {
                (Value::Str(key), Value::Str(text)) if key == wanted => Some(text.as_ref()),
                _ => None,
            })
    };
    let keys = match kind {
        LeftOutKind::Block => BLOCK_KEYS,
        _ => SUBNET_KEYS,
    };
    let cidr_text = entries
        .iter()
        .find_map(|(key, value)| match (&key.value, &value.value) {
            (Value::Str(key), Value::Str(text))
                if key == "cidr" || closest(key, keys.iter().copied()) == Some("cidr") =>
            {
                Some(text.as_ref())
            }
            _ => None,
        });
    let meant = match kind {
        LeftOutKind::Block | LeftOutKind::Subnet => {
            cidr_text.and_then(|text| match Prefix::parse(text) {
                Ok(parsed) => Some(parsed.prefix),
                Err(_) => pasted::meant_prefix(text)
                    .filter(|meant| meant.certain)
                    .map(|meant| meant.value),
            })
        }
        LeftOutKind::Space | LeftOutKind::Network => None,
    };
    let bounded = |text: &str| (text.len() <= MAX_NAME_BYTES).then(|| CompactString::from(text));
    LeftOut {
        kind,
        space: text("space").and_then(bounded),
        meant,
        name: text("name").and_then(bounded),
        fault,
    }
}

/// A borrowed value made owned, for what the model keeps.
fn owned(text: Spanned<&str>) -> Spanned<CompactString> {
    Spanned {
        value: CompactString::from(text.value),
        span: text.span,
    }
}

/// A declaration kind with its indefinite article: `a subnet`, `an address`.
fn a(what: &str) -> String {
    let article = if what.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {what}")
}

fn is_mac(text: &str) -> bool {
    let pairs: Vec<&str> = text.split(':').collect();
    pairs.len() == 6
        && pairs
            .iter()
            .all(|pair| pair.len() == 2 && pair.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rule::Rule;

    #[test]
    fn mac_form_is_six_colon_separated_pairs() {
        assert!(is_mac("00:15:5d:01:02:03"));
        assert!(is_mac("00:15:5D:01:02:03"));
        assert!(!is_mac("00-15-5d-01-02-03"));
        assert!(!is_mac("0015.5d01.0203"));
        assert!(!is_mac("00:15:5d:01:02"));
        assert!(!is_mac("00:15:5d:01:02:0g"));
    }

    #[test]
    fn a_name_longer_than_the_limit_is_an_invalid_value_and_its_declaration_is_left_out() {
        let longest = "n".repeat(MAX_NAME_BYTES);
        let text = format!(
            "addresses:\n  - {{ ip: 10.0.0.1, name: {longest} }}\n  - {{ ip: 10.0.0.2, name: {longest}x }}\n"
        );
        let root = crate::load::formats::yaml::parse(&text).unwrap();
        let mut findings = Vec::new();
        let document = decode_document(0, &root, &mut findings).unwrap();
        assert_eq!(document.addresses.records.len(), 1);
        assert_eq!(document.addresses.pools.names, longest);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].rule, Rule::InvalidValue);
        assert_eq!(
            findings[0].message,
            format!(
                "this name is {} bytes long; a name is at most 1024 bytes",
                MAX_NAME_BYTES + 1
            )
        );
    }
}
