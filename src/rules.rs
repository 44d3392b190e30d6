//! `rules` and `explain`: the catalog as a table, as JSON, and one operation's migration guide.

use std::fmt::Write as _;

use crate::catalog::{snake_case, Catalog, Operation};

/// One line per rule: id, name, kind, effort, Files.com endpoint.
pub fn render_text(catalog: &Catalog) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "ExaVault v1.x operations ({}):", catalog.operations.len());
    for op in &catalog.operations {
        let _ = writeln!(
            out,
            "  {:8} {:26} {:14} {:9} {:2} pts  -> {}",
            op.id,
            op.name,
            op.group,
            op.effort.class.as_str(),
            op.effort.points,
            op.filescom.rest.join(" + ")
        );
    }
    let _ = writeln!(out, "\nEnvelope rules ({}):", catalog.envelope_rules.len());
    for r in &catalog.envelope_rules {
        let _ = writeln!(out, "  {:8} {:26} {:14} -> {}", r.id, r.name, r.subject, r.filescom.rest);
    }
    let _ = writeln!(out, "\nSetup rules ({}):", catalog.setup_rules.len());
    for r in &catalog.setup_rules {
        let _ = writeln!(out, "  {:8} {:26} {:14} -> {}", r.id, r.name, r.subject, r.filescom.rest);
    }
    out
}

pub fn render_json(catalog: &Catalog) -> String {
    let mut s = serde_json::to_string_pretty(catalog).expect("catalog serializes");
    s.push('\n');
    s
}

/// Finds an operation by camelCase or snake_case name, or by rule id; case-insensitive.
pub fn find<'c>(catalog: &'c Catalog, name: &str) -> Option<&'c Operation> {
    catalog
        .operations
        .iter()
        .find(|op| op.name.eq_ignore_ascii_case(name) || snake_case(&op.name) == name || op.id.eq_ignore_ascii_case(name))
}

/// The migration guide of one operation.
pub fn explain(op: &Operation) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} ({}, {})", op.name, op.id, op.group);
    let _ = writeln!(out, "{}\n", op.summary);
    let _ = writeln!(out, "ExaVault v1.x");
    let _ = writeln!(out, "  HTTP:       {} {}", op.http.methods.join("|"), op.http.path);
    let _ = writeln!(out, "  parameters: {}", op.parameters.join(", "));
    let _ = writeln!(out, "  result:     {}", op.result);
    for (generation, langs) in op.sdk.iter().filter_map(|(g, l)| l.as_ref().map(|l| (g, l))) {
        for (lang, call) in langs {
            if let Some(call) = call {
                let _ = writeln!(out, "  {generation} {lang}: {call}");
            }
        }
    }
    let _ = writeln!(out, "\nFiles.com");
    for rest in &op.filescom.rest {
        let _ = writeln!(out, "  REST:       {rest}");
    }
    let _ = writeln!(out, "  PHP:        {}", op.filescom.sdk.php);
    let _ = writeln!(out, "  Python:     {}", op.filescom.sdk.python);
    let _ = writeln!(out, "  JavaScript: {}", op.filescom.sdk.javascript);
    let verified = if op.filescom.docs_url_verified { "" } else { " (page not verified)" };
    let _ = writeln!(out, "  docs:       {}{verified}", op.filescom.docs_url);
    if let Some(legacy) = &op.legacy_docs_url {
        let _ = writeln!(out, "  legacy doc: {legacy}");
    }
    let _ = writeln!(out, "\nEffort: {} ({} points), {} change", op.effort.class.as_str(), op.effort.points, op.category.as_str());
    if !op.differences.is_empty() {
        let _ = writeln!(out, "\nWhat changes");
        for d in &op.differences {
            let _ = writeln!(out, "  - {d}");
        }
    }
    out
}
