//! Property tests over the per-file pipeline (the same entry point and checks as the fuzz
//! targets in fuzz/): random and mutated source files in every language must never panic, and
//! every finding's line and column must lie inside the file. The scanner's query engine finds
//! exactly the matches tree-sitter's own query cursor finds, on every fixture and on random and
//! mutated sources (broken syntax included). Also: positions computed through the long-line
//! checkpoints equal a naive count, and every input kept from fuzzing
//! (tests/regressions/<language>/) still passes.

#[path = "../fuzz/fuzz_targets/common.rs"]
mod pipeline;

use std::path::{Path, PathBuf};

use exavault_migrate::catalog::Catalog;
use exavault_migrate::finding::Confidence;
use exavault_migrate::language::{query_source, Lang, LANGUAGES};
use exavault_migrate::position::{position, snippet, LineIndex};
use exavault_migrate::query;
use exavault_migrate::scan::{scan_source, Pipeline, SourceOptions};
use proptest::prelude::*;
use proptest::test_runner::Config;
use std::sync::OnceLock;
use tree_sitter::{Query, QueryCursor, StreamingIterator};

const CASES: u32 = 64;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// The labelled fixtures of a language: real code to mutate.
fn fixtures(dir: &str, ext: &[&str]) -> Vec<Vec<u8>> {
    let mut paths = Vec::new();
    files_under(&repo().join("tests/fixtures").join(dir), &mut paths);
    files_under(&repo().join("samples"), &mut paths);
    let files: Vec<Vec<u8>> = paths
        .iter()
        .filter(|p| p.extension().and_then(|e| e.to_str()).is_some_and(|e| ext.contains(&e)))
        .map(|p| std::fs::read(p).unwrap())
        .collect();
    assert!(!files.is_empty(), "fixtures for {dir}");
    files
}

/// Pieces that random files are made of: code of every language, ExaVault names, brackets,
/// quotes, comments, odd line endings, non-ASCII, NUL and bytes that are not UTF-8.
const TOKENS: &[&[u8]] = &[
    b"<?php\n",
    b"?>",
    b"$api",
    b"->",
    b"api",
    b".",
    b"self.",
    b"this.",
    b"getResourceList",
    b"get_resource_list",
    b"authenticateUser",
    b"getUploadFileUrl",
    b"upload",
    b"new V1Api(",
    b"new ExaVaultApi.UserApi()",
    b"import V1Api\n",
    b"require('exa_vault_api')",
    b"import * as ExaVaultApi from 'exa_vault_api';",
    b"'https://api.exavault.com/v1.2/getUsers'",
    b"\"https://acme.exavault.com/v1/\"",
    b"`${BASE}/v1.2/deleteUser`",
    b"['success']",
    b"[\"error\"][\"message\"]",
    b".error.code",
    b"->results",
    b"access_token",
    b"api_key",
    b"(",
    b")",
    b"[",
    b"]",
    b"{",
    b"}",
    b"(token, '/')",
    b";",
    b",",
    b" = ",
    b"=>",
    b"'",
    b"\"",
    b"`",
    b"\"\"\"",
    b"${",
    b"/*",
    b"*/",
    b"//",
    b"#",
    b"def f(x):\n    ",
    b"function f(a) {",
    b"class C {",
    b"if (",
    b"x: number",
    b"<T>",
    b"\n",
    b"\r\n",
    b"\r",
    b"\t",
    b"    ",
    b" ",
    "é".as_bytes(),
    "😀".as_bytes(),
    "\u{FEFF}".as_bytes(),
    "\u{2028}".as_bytes(),
    b"\0",
    b"\xe9",
    b"\xff\xfe",
    b"\xc3",
    b"\xed\xa0\x80",
];

fn soup() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(0..TOKENS.len(), 0..300).prop_map(|picks| picks.into_iter().flat_map(|i| TOKENS[i].iter().copied()).collect())
}

#[derive(Debug, Clone)]
enum Mutation {
    Insert(usize, Vec<u8>),
    InsertToken(usize, usize),
    Delete(usize, usize),
    Flip(usize, u8),
    Duplicate(usize, usize),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), prop::collection::vec(any::<u8>(), 1..8)).prop_map(|(at, b)| Mutation::Insert(at, b)),
        (any::<usize>(), 0..TOKENS.len()).prop_map(|(at, t)| Mutation::InsertToken(at, t)),
        (any::<usize>(), 1..200usize).prop_map(|(at, n)| Mutation::Delete(at, n)),
        (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Mutation::Flip(at, b)),
        (any::<usize>(), 1..400usize).prop_map(|(at, n)| Mutation::Duplicate(at, n)),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn mutate(mut bytes: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for m in mutations {
        let len = bytes.len();
        let at = |i: usize| if len == 0 { 0 } else { i % (len + 1) };
        match m {
            Mutation::Insert(i, b) => {
                let i = at(*i);
                bytes.splice(i..i, b.iter().copied());
            }
            Mutation::InsertToken(i, t) => {
                let i = at(*i);
                bytes.splice(i..i, TOKENS[*t].iter().copied());
            }
            Mutation::Delete(i, n) => {
                let i = at(*i);
                bytes.drain(i..(i + n).min(len));
            }
            Mutation::Flip(i, b) if len > 0 => bytes[i % len] ^= b,
            Mutation::Flip(..) => {}
            Mutation::Duplicate(i, n) => {
                let i = at(*i);
                let piece: Vec<u8> = bytes[i..(i + n).min(len)].to_vec();
                bytes.splice(i..i, piece);
            }
            Mutation::Truncate(i) => bytes.truncate(at(*i)),
        }
    }
    bytes
}

/// The grammars a language's files go through (`.ts` and `.tsx` differ).
fn grammars(lang: Lang) -> &'static [Lang] {
    match lang {
        Lang::Php => &[Lang::Php],
        Lang::Python => &[Lang::Python],
        Lang::JavaScript => &[Lang::JavaScript],
        Lang::TypeScript | Lang::Tsx => &[Lang::TypeScript, Lang::Tsx],
    }
}

fn check_all(lang: Lang, bytes: &[u8]) {
    for &grammar in grammars(lang) {
        pipeline::check(grammar, bytes);
    }
}

/// A match as both engines report it: pattern index, then (capture name, byte range, node kind)
/// of every capture, sorted.
type Found = (usize, Vec<(String, usize, usize, u16)>);

/// tree-sitter's own compilation of a language's query files (built once: it is slow).
fn tree_sitter_query(lang: Lang) -> &'static Query {
    static QUERIES: [OnceLock<Query>; 8] = [const { OnceLock::new() }; 8];
    let at = LANGUAGES.iter().position(|s| s.lang == lang).unwrap();
    QUERIES[at].get_or_init(|| {
        let spec = lang.spec();
        Query::new(&(spec.grammar)(), &query_source(spec)).expect("the query files are valid tree-sitter queries")
    })
}

/// Checks that the scanner's engine and tree-sitter's query cursor find the same matches in
/// `bytes` parsed as `lang`; returns how many there were.
fn engines_agree(lang: Lang, bytes: &[u8]) -> usize {
    // Random input can drive tree-sitter's error recovery into minutes of work: bounded as in a
    // scan, and such inputs compare nothing.
    let Ok(tree) = exavault_migrate::parse::parse(lang, bytes, std::time::Duration::from_secs(2)) else { return 0 };
    let reference = tree_sitter_query(lang);
    let names = reference.capture_names();
    let mut expected: Vec<Found> = Vec::new();
    let mut cursor = QueryCursor::new();
    let mut matches = cursor.matches(reference, tree.root_node(), bytes);
    while let Some(m) = matches.next() {
        let mut captures: Vec<_> = m
            .captures
            .iter()
            .map(|c| (names[c.index as usize].to_string(), c.node.start_byte(), c.node.end_byte(), c.node.kind_id()))
            .collect();
        captures.sort();
        expected.push((m.pattern_index, captures));
    }
    let compiled = query::for_language(lang).unwrap();
    let mut found: Vec<Found> = Vec::new();
    compiled.engine.for_each_match(&tree, bytes, |m| {
        let mut captures: Vec<_> = m
            .captures
            .iter()
            .map(|(c, node)| (compiled.engine.set.capture_names[*c as usize].clone(), node.start_byte(), node.end_byte(), node.kind_id()))
            .collect();
        captures.sort();
        found.push((m.pattern, captures));
    });
    expected.sort();
    found.sort();
    if expected != found {
        let missing: Vec<_> = expected.iter().filter(|m| !found.contains(m)).take(5).collect();
        let extra: Vec<_> = found.iter().filter(|m| !expected.contains(m)).take(5).collect();
        panic!(
            "{lang:?}: the engine found {} matches, tree-sitter {}\nmissing: {missing:?}\nextra: {extra:?}\nsource: {:?}",
            found.len(),
            expected.len(),
            String::from_utf8_lossy(bytes)
        );
    }
    found.len()
}

fn engines_agree_all(lang: Lang, bytes: &[u8]) {
    for &grammar in grammars(lang) {
        engines_agree(grammar, bytes);
    }
}

#[test]
fn the_query_engine_finds_what_tree_sitter_finds_in_every_fixture() {
    let mut paths = Vec::new();
    files_under(&repo().join("tests/fixtures"), &mut paths);
    files_under(&repo().join("samples"), &mut paths);
    let mut total = 0;
    for path in &paths {
        let Some(lang) = Lang::detect(path) else { continue };
        let bytes = std::fs::read(path).unwrap();
        for &grammar in grammars(lang) {
            total += engines_agree(grammar, &bytes);
        }
    }
    assert!(total > 10_000, "only {total} matches: the comparison would prove little");
}

macro_rules! pipeline_properties {
    ($module:ident, $lang:expr, $dir:expr, $ext:expr) => {
        mod $module {
            use super::*;

            proptest! {
                #![proptest_config(Config { cases: CASES, ..Config::default() })]

                #[test]
                fn random_source_never_panics_and_positions_stay_inside(bytes in soup()) {
                    check_all($lang, &bytes);
                }

                #[test]
                fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
                    check_all($lang, &bytes);
                }

                #[test]
                fn mutated_fixtures_never_panic_and_positions_stay_inside(
                    pick in any::<usize>(),
                    mutations in prop::collection::vec(mutation(), 1..12),
                ) {
                    let files = fixtures($dir, $ext);
                    let bytes = mutate(files[pick % files.len()].clone(), &mutations);
                    check_all($lang, &bytes);
                }

                #[test]
                fn the_query_engine_agrees_with_tree_sitter_on_random_source(bytes in soup()) {
                    engines_agree_all($lang, &bytes);
                }

                #[test]
                fn the_query_engine_agrees_with_tree_sitter_on_mutated_fixtures(
                    pick in any::<usize>(),
                    mutations in prop::collection::vec(mutation(), 1..12),
                ) {
                    let files = fixtures($dir, $ext);
                    let bytes = mutate(files[pick % files.len()].clone(), &mutations);
                    engines_agree_all($lang, &bytes);
                }
            }
        }
    };
}

pipeline_properties!(php, Lang::Php, "php", &["php"]);
pipeline_properties!(python, Lang::Python, "python", &["py"]);
pipeline_properties!(javascript, Lang::JavaScript, "javascript", &["js", "mjs"]);
pipeline_properties!(typescript, Lang::TypeScript, "typescript", &["ts", "tsx"]);

/// Line and columns of `offset` counted the slow, obvious way: LF and a CR that no LF follows
/// end a line; everything else (the CR of a CRLF too) is one character.
fn naive_position(text: &str, offset: usize) -> (usize, usize, usize) {
    let (mut line, mut column, mut units) = (1, 1, 1);
    for (i, c) in text[..offset].char_indices() {
        let ends_line = c == '\n' || (c == '\r' && text.as_bytes().get(i + 1) != Some(&b'\n'));
        if ends_line {
            (line, column, units) = (line + 1, 1, 1);
        } else {
            column += 1;
            units += c.len_utf16();
        }
    }
    (line, column, units)
}

fn text_strategy() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        8 => Just("a"),
        4 => Just("xyz_"),
        1 => Just("é"),
        1 => Just("😀"),
        1 => Just("\u{FFFD}"),
        1 => Just("\n"),
        1 => Just("\r\n"),
        1 => Just("\r"),
    ];
    // Long stretches without a line break cross the 1 KiB column checkpoints.
    prop::collection::vec(pieces, 0..3000).prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(Config { cases: 128, ..Config::default() })]

    #[test]
    fn positions_through_checkpoints_equal_a_naive_count(text in text_strategy(), picks in prop::collection::vec(any::<usize>(), 1..20)) {
        let bytes = text.as_bytes();
        let index = LineIndex::new(bytes);
        let boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
        for pick in picks {
            let offset = boundaries[pick % boundaries.len()];
            let p = position(bytes, &index, offset);
            let (line, column, units) = naive_position(&text, offset);
            prop_assert_eq!((p.line, p.column, p.utf16_column), (line, column, units), "offset {}", offset);
        }
    }

    #[test]
    fn positions_and_snippets_of_any_bytes_stay_inside(bytes in prop::collection::vec(any::<u8>(), 0..3000), a in any::<usize>(), b in any::<usize>()) {
        let index = LineIndex::new(&bytes);
        let (start, end) = (a % (bytes.len() + 2), b % (bytes.len() + 2));
        let p = position(&bytes, &index, start);
        prop_assert!(p.line >= 1 && p.line <= index.line_count());
        prop_assert!(p.column >= 1 && p.column <= bytes.len() + 1);
        let (s, (x, y)) = snippet(&bytes, &index, start, end);
        prop_assert!(x <= y && s.get(x..y).is_some(), "span {}..{} of {:?}", x, y, s);
        prop_assert!(s.len() <= 5 * 1024 * 4, "snippets stay short");
    }
}

#[test]
fn scan_source_is_the_pipeline_a_scan_runs() {
    let catalog = Catalog::embedded().unwrap();
    let file = std::fs::read(repo().join("tests/fixtures/php/positive/v1api_2015_folder_check.php")).unwrap();
    let simple = scan_source(&catalog, Lang::Php, &file, Confidence::Medium);
    assert!(!simple.is_empty());
    let outcome = Pipeline::new(&catalog).scan_source(Lang::Php, "", file.clone(), &SourceOptions::default());
    let key = |f: &exavault_migrate::finding::Finding| (f.rule_id.clone(), f.line, f.column, f.end_line, f.end_column);
    assert_eq!(simple.iter().map(key).collect::<Vec<_>>(), outcome.findings.iter().map(key).collect::<Vec<_>>());
    // The same file, hostile-encoded, gives the same positions.
    let mut crlf = Vec::new();
    for &b in &file {
        if b == b'\n' {
            crlf.push(b'\r');
        }
        crlf.push(b);
    }
    let again = scan_source(&catalog, Lang::Php, &crlf, Confidence::Medium);
    assert_eq!(simple.iter().map(key).collect::<Vec<_>>(), again.iter().map(key).collect::<Vec<_>>());
}

/// Inputs that once crashed a fuzz target, kept as `tests/regressions/<language>/<name>`.
#[test]
fn inputs_kept_from_fuzzing_still_pass() {
    let mut ran = 0;
    for (dir, lang) in [("php", Lang::Php), ("python", Lang::Python), ("javascript", Lang::JavaScript), ("typescript", Lang::TypeScript)] {
        let mut paths = Vec::new();
        files_under(&repo().join("tests/regressions").join(dir), &mut paths);
        for path in paths.iter().filter(|p| p.file_name().is_some_and(|n| n != "README.md")) {
            check_all(lang, &std::fs::read(path).unwrap());
            ran += 1;
        }
    }
    println!("{ran} regression inputs from fuzzing");
}
