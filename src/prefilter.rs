//! Before any parse: one Aho-Corasick pass over a file's raw bytes. A file that contains none of
//! the triggers cannot produce a finding, so it is never parsed. The triggers are derived from
//! the catalog (every operation name in every spelling, SDK modules and classes, v1.x host
//! markers), so a new operation can never be skipped by a stale list.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::catalog::{snake_case, Catalog};
use crate::finding::Confidence;

/// Host markers: every v1.x base URL the matcher accepts contains one of them. They are searched
/// in the spellings code uses (a case-insensitive search would cost a second pass over every
/// file); a host written in another mix of cases (`eXaVault`) is not a trigger.
const HOST_MARKERS: &[&str] = &["exavault", "ExaVault", "Exavault", "EXAVAULT", "exaVault", ".files.com/v1", ".FILES.COM/V1"];

pub struct Prefilter {
    /// One case-sensitive search, with few enough literals for SIMD (Teddy), as in ripgrep.
    automaton: AhoCorasick,
    triggers: Vec<String>,
}

impl Prefilter {
    /// The prefilter that lets through every file that could give any finding.
    pub fn new(catalog: &Catalog) -> Prefilter {
        Prefilter::for_confidence(catalog, Confidence::Low)
    }

    /// The prefilter for a scan that reports findings at or above `min_confidence`.
    pub fn for_confidence(catalog: &Catalog, min_confidence: Confidence) -> Prefilter {
        let triggers = triggers(catalog, min_confidence);
        let automaton = AhoCorasickBuilder::new().match_kind(MatchKind::LeftmostFirst).build(&triggers).expect("prefilter triggers build");
        Prefilter { automaton, triggers }
    }

    /// True when the file may hold a finding and must be parsed.
    pub fn may_match(&self, bytes: &[u8]) -> bool {
        self.automaton.is_match(bytes)
    }

    pub fn triggers(&self) -> &[String] {
        &self.triggers
    }
}

/// Every literal whose presence could make a file produce a finding at `min_confidence`.
///
/// A common operation name (`getUser`) on its own only ever yields a low-confidence finding: at
/// medium and above it matters only in a v1.x path (`/v1/getUser`) or next to ExaVault context,
/// and every kind of context (host, SDK module, client class) is a trigger of its own. Paths are
/// caught by their `/v1/` or `/v1.2/` prefix, which keeps the list short enough for SIMD search.
pub fn triggers(catalog: &Catalog, min_confidence: Confidence) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for op in &catalog.operations {
        let path_only = !op.name.chars().any(|c| c.is_ascii_uppercase()) || (op.common_name && min_confidence > Confidence::Low);
        if path_only {
            out.push("/v1/".into());
            out.push("/v1.2/".into());
        } else {
            out.push(op.name.clone());
            out.push(snake_case(&op.name));
        }
    }
    let c = &catalog.context;
    for marker in c.v1_sdk_imports.iter().chain(&c.v1_client_classes).chain(&c.distinctive_client_classes) {
        out.push(marker.clone());
    }
    out.extend(HOST_MARKERS.iter().map(|m| m.to_string()));
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triggers_cover_every_operation_spelling_at_low_confidence() {
        let catalog = Catalog::embedded().unwrap();
        let pre = Prefilter::new(&catalog);
        for op in &catalog.operations {
            let call = format!("$api->{}($token);", op.name);
            let py = format!("api.{}(key, token)", snake_case(&op.name));
            let url = format!("requests.get(BASE + '/v1.2/{}')", op.name);
            assert!(pre.may_match(url.as_bytes()), "{}", op.name);
            if op.name.chars().any(|c| c.is_ascii_uppercase()) {
                assert!(pre.may_match(call.as_bytes()), "{}", op.name);
                assert!(pre.may_match(py.as_bytes()), "{}", op.name);
            }
        }
        assert!(!pre.may_match(b"<?php echo 'hello world';"));
        assert!(pre.may_match(b"$base = 'HTTPS://API.EXAVAULT.COM';"));
        assert!(pre.may_match(b"base = 'https://acme.files.com/v1.2'"));
    }

    #[test]
    fn the_default_trigger_list_fits_a_simd_search() {
        let catalog = Catalog::embedded().unwrap();
        assert!(triggers(&catalog, Confidence::Medium).len() <= 64);
    }

    #[test]
    fn common_names_alone_are_not_parsed_at_the_default_confidence() {
        let catalog = Catalog::embedded().unwrap();
        let pre = Prefilter::for_confidence(&catalog, Confidence::Medium);
        assert!(!pre.may_match(b"<?php $user = $this->security->getUser();"));
        assert!(pre.may_match(b"<?php $r = $client->post('/v1.2/getUser');"));
        assert!(pre.may_match(b"<?php $r = $client->getResourceList($t, '/');"));
        assert!(pre.may_match(b"<?php $api = new V1Api($c); $api->getUser($t, 'bob');"));
    }
}
