//! The kinds a plan's declarations come in: what a space is, what a range or an address
//! is for.

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SpaceKind {
    Fabric,
    Virtual,
}

impl SpaceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SpaceKind::Fabric => "fabric",
            SpaceKind::Virtual => "virtual",
        }
    }
}

/// What a range or an address is for. Ranges of the first three types are pools.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AllocType {
    Static,
    Dhcp,
    Vip,
    Reserved,
}

impl AllocType {
    pub const NAMES: [&'static str; 4] = ["static", "dhcp", "vip", "reserved"];

    pub fn parse(text: &str) -> Option<AllocType> {
        match text {
            "static" => Some(AllocType::Static),
            "dhcp" => Some(AllocType::Dhcp),
            "vip" => Some(AllocType::Vip),
            "reserved" => Some(AllocType::Reserved),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AllocType::Static => "static",
            AllocType::Dhcp => "dhcp",
            AllocType::Vip => "vip",
            AllocType::Reserved => "reserved",
        }
    }

    pub fn is_pool(self) -> bool {
        self != AllocType::Reserved
    }
}
