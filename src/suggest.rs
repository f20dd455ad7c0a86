//! "Did you mean": the known name nearest to a misspelt one.

/// The candidate nearest to `name`, if close enough to be a likely typo.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|known| (strsim::damerau_levenshtein(name, known), known))
        .filter(|(distance, known)| *distance <= 2 && *distance < known.len())
        .min()
        .map(|(_, known)| known)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_names_only() {
        let keys = ["cidr", "gateway", "name"];
        assert_eq!(closest("cidrr", keys), Some("cidr"));
        assert_eq!(closest("gatway", keys), Some("gateway"));
        assert_eq!(closest("zzzzzz", keys), None);
    }
}
