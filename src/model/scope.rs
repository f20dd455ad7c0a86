//! Access scopes: paths like `/corp/dc1` naming who administers a declaration.

use std::fmt;
use std::sync::Arc;

/// A validated access scope: `/`, or `/` followed by non-empty segments separated by `/`.
/// Cheap to clone: a file's scope is shared by all of its declarations.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Scope(Arc<str>);

impl Scope {
    pub fn root() -> Scope {
        Scope(Arc::from("/"))
    }

    pub fn parse(text: &str) -> Result<Scope, String> {
        let valid = text == "/"
            || (text.starts_with('/')
                && text[1..].split('/').all(|segment| {
                    !segment.is_empty()
                        && !segment.chars().any(|c| c.is_whitespace() || c.is_control())
                }));
        if valid {
            Ok(Scope(Arc::from(text)))
        } else {
            Err(format!(
                "`{text}` is not an access scope: expected `/` or a path of non-empty segments such as `/corp/dc1`"
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this scope administers `other`: it is `other` or one of its ancestors.
    /// Segments compare whole, so `/corp/dc1` does not administer `/corp/dc10`.
    pub fn administers(&self, other: &Scope) -> bool {
        let parent = self.as_str();
        let child = other.as_str();
        parent == "/"
            || child == parent
            || (child.len() > parent.len()
                && child.starts_with(parent)
                && child.as_bytes()[parent.len()] == b'/')
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope(text: &str) -> Scope {
        Scope::parse(text).unwrap()
    }

    #[test]
    fn rejects_malformed_scopes() {
        for bad in ["", "corp", "/corp/", "/corp//dc1", "//", "/corp dc1"] {
            assert!(Scope::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn administers_by_whole_segments() {
        assert!(scope("/").administers(&scope("/corp")));
        assert!(scope("/corp").administers(&scope("/corp/dc1")));
        assert!(scope("/corp/dc1").administers(&scope("/corp/dc1")));
        assert!(!scope("/corp/dc1").administers(&scope("/corp/dc10")));
        assert!(!scope("/corp/dc1").administers(&scope("/corp")));
        assert!(!scope("/corp").administers(&scope("/")));
    }
}
