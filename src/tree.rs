//! Facts about the tree as a whole, applied after every file is scanned. A swagger client built in
//! one file often has its host (`https://api.exavault.com/v1.2`) configured in another: when the
//! tree's URLs name exactly one v1.x version, findings that could not tell their version take it.

use std::collections::BTreeSet;

use crate::finding::{ApiVersion, Evidence, Finding};

/// The one v1.x version the tree's own URLs name, if they name exactly one.
pub fn tree_version(findings: &[Finding]) -> Option<ApiVersion> {
    let versions: BTreeSet<ApiVersion> = findings
        .iter()
        .filter(|f| f.evidence.iter().any(|e| matches!(e, Evidence::V1UrlLiteral | Evidence::V1PathLiteral)))
        .map(|f| f.api_version)
        .filter(|v| *v != ApiVersion::Unknown)
        .collect();
    match versions.len() {
        1 => versions.into_iter().next(),
        _ => None,
    }
}

/// Gives findings of unknown version the tree's version; returns it.
pub fn apply_tree_version(findings: &mut [Finding]) -> Option<ApiVersion> {
    let version = tree_version(findings)?;
    for f in findings.iter_mut().filter(|f| f.api_version == ApiVersion::Unknown) {
        f.api_version = version;
    }
    Some(version)
}
