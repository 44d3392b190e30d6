//! Stage 3 of the pipeline: parse a file with tree-sitter, one parser per worker thread and
//! language, with a time bound so a pathological file cannot stall the scan.

use std::cell::RefCell;
use std::collections::HashMap;
use std::time::{Duration, Instant};

use tree_sitter::{ParseOptions, ParseState, Parser, Tree};

use crate::language::Lang;

thread_local! {
    static PARSERS: RefCell<HashMap<Lang, Parser>> = RefCell::new(HashMap::new());
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseFailure {
    TimedOut(Duration),
    Failed(String),
}

/// Parses `source`, giving up after `timeout`.
pub fn parse(lang: Lang, source: &[u8], timeout: Duration) -> Result<Tree, ParseFailure> {
    PARSERS.with(|parsers| {
        let mut parsers = parsers.borrow_mut();
        let parser = match parsers.entry(lang) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                let mut parser = Parser::new();
                parser.set_language(&(lang.spec().grammar)()).map_err(|err| ParseFailure::Failed(err.to_string()))?;
                e.insert(parser)
            }
        };
        let started = Instant::now();
        let mut timed_out = false;
        let mut progress = |_: &ParseState| {
            timed_out = started.elapsed() > timeout;
            timed_out
        };
        let len = source.len();
        let mut read = |offset: usize, _| {
            if offset < len {
                &source[offset..]
            } else {
                &[][..]
            }
        };
        let tree = parser.parse_with_options(&mut read, None, Some(ParseOptions::new().progress_callback(&mut progress)));
        match tree {
            Some(tree) => Ok(tree),
            None => {
                parser.reset();
                if timed_out {
                    Err(ParseFailure::TimedOut(timeout))
                } else {
                    Err(ParseFailure::Failed("the parser gave up".into()))
                }
            }
        }
    })
}
