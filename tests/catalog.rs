//! The catalog is the scanner's knowledge: these tests keep it complete and consistent.

use std::collections::HashSet;

use exavault_migrate::catalog::{snake_case, Availability, Catalog, ENVELOPE_SUBJECTS, SETUP_SUBJECTS};

fn catalog() -> Catalog {
    Catalog::embedded().expect("embedded catalog loads")
}

#[test]
fn every_v1_operation_is_in_the_catalog_once() {
    let c = catalog();
    let count = |a: Availability| c.operations.iter().filter(|o| o.availability == a).count();
    assert_eq!(c.operations.len(), 45);
    assert_eq!(count(Availability::AllSdks), 35, "operations every v1.x SDK has");
    assert_eq!(count(Availability::JavaOnly), 9, "operations only the Java SDK or raw HTTP reach");
    assert_eq!(count(Availability::FilescomOnly), 1, "Files.com's extra /v1.2/upload");
    for name in
        ["authenticateUser", "getResourceList", "getUploadFileUrl", "userAvailable", "getFileActivityLogs", "compressFiles", "upload"]
    {
        assert!(c.operation(name).is_some(), "{name} is missing");
    }
}

#[test]
fn every_operation_says_what_replaces_it() {
    for op in catalog().operations {
        assert!(!op.filescom.rest.is_empty(), "{}: REST endpoint", op.name);
        for rest in &op.filescom.rest {
            let method = rest.split_whitespace().next().unwrap_or("");
            assert!(["GET", "POST", "PUT", "PATCH", "DELETE"].contains(&method), "{}: {rest:?} starts with an HTTP method", op.name);
        }
        for (lang, line) in
            [("php", &op.filescom.sdk.php), ("python", &op.filescom.sdk.python), ("javascript", &op.filescom.sdk.javascript)]
        {
            assert!(line.trim().len() > 5, "{}: {lang} SDK call", op.name);
        }
        assert!(op.filescom.docs_url.starts_with("https://"), "{}: docs URL", op.name);
        assert!(op.effort.points > 0, "{}: effort", op.name);
        assert!(!op.differences.is_empty(), "{}: differences", op.name);
        assert!(op.http.path.ends_with(&format!("/{}", op.name)), "{}: v1.x path", op.name);
        assert!(!op.summary.is_empty());
    }
}

#[test]
fn ids_and_names_are_unique_and_distinct() {
    let c = catalog();
    let mut ids = HashSet::new();
    let mut names = HashSet::new();
    let all = c
        .operations
        .iter()
        .map(|o| (&o.id, &o.name))
        .chain(c.envelope_rules.iter().map(|r| (&r.id, &r.name)))
        .chain(c.setup_rules.iter().map(|r| (&r.id, &r.name)));
    for (id, name) in all {
        assert!(ids.insert(id.clone()), "duplicate id {id}");
        assert!(names.insert(name.clone()), "duplicate name {name}");
        assert_ne!(id, name);
    }
    let snakes: HashSet<String> = c.operations.iter().map(|o| snake_case(&o.name)).collect();
    assert_eq!(snakes.len(), c.operations.len(), "snake_case spellings must not collide");
}

#[test]
fn envelope_and_setup_rules_cover_every_subject() {
    let c = catalog();
    for subject in ENVELOPE_SUBJECTS {
        let rule = c.envelope_rule(subject).unwrap_or_else(|| panic!("envelope rule for {subject}"));
        assert!(!rule.filescom.sdk.php.is_empty() && !rule.filescom.sdk.python.is_empty() && !rule.filescom.sdk.javascript.is_empty());
    }
    for subject in SETUP_SUBJECTS {
        assert!(c.setup_rule(subject).is_some(), "setup rule for {subject}");
    }
    assert!(c.setup_rule("api_key_header").unwrap().keys.iter().any(|k| k == "api_key"));
    assert!(c.setup_rule("access_token").unwrap().keys.iter().any(|k| k == "access_token"));
}

#[test]
fn a_broken_catalog_points_at_the_bad_spot() {
    let text = exavault_migrate::catalog::EMBEDDED_CATALOG.replacen("\"catalog_version\": 1,", "\"catalog_version\": 1,,", 1);
    let err = Catalog::parse(&text, "broken.json").unwrap_err();
    let shown = format!("{:?}", miette::Report::new(err));
    assert!(shown.contains("broken.json"), "{shown}");
    assert!(shown.contains("line 2"), "{shown}");
}

#[test]
fn a_duplicated_rule_id_is_rejected() {
    let text = exavault_migrate::catalog::EMBEDDED_CATALOG.replacen("\"EXV1002\"", "\"EXV1001\"", 1);
    let err = Catalog::parse(&text, "dup.json").unwrap_err();
    assert!(err.to_string().contains("EXV1001"), "{err}");
}
