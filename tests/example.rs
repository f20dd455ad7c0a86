//! The bundled example plan shows exactly its four deliberate faults, nothing else.

use std::path::PathBuf;

use ipam_lint::check::check_paths;

#[test]
fn contoso_shows_its_four_headline_faults() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/contoso");
    let outcome = check_paths(&[root]).unwrap();
    let found: Vec<(String, usize, &str)> = outcome
        .findings
        .iter()
        .map(|f| {
            let file = &outcome.files[f.primary.file as usize];
            (
                file.path.clone(),
                file.position(f.primary.start).line,
                f.rule.name(),
            )
        })
        .collect();
    assert_eq!(
        found,
        vec![
            ("dc1/vmm-dc1b.toml".to_owned(), 15, "duplicate-subnet"),
            ("dc2/vmm-dc2a.yaml".to_owned(), 10, "out-of-scope"),
            ("dc2/vmm-dc2b.yaml".to_owned(), 19, "address-outside-pool"),
            ("tenants/fabrikam.yaml".to_owned(), 11, "duplicate-vsid"),
        ]
    );
    assert_eq!(outcome.summary.files, 8);
    assert_eq!(outcome.summary.warnings, 0);
}
