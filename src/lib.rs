//! exavault-migrate: finds ExaVault API v1.x calls, response-envelope checks and setup code in
//! PHP, Python, JavaScript and TypeScript, and says what replaces each on Files.com.
//!
//! The pipeline, one module per stage:
//! [`walk`] -> [`language`] -> [`prefilter`] -> [`parse`] -> [`query`] -> [`matcher`] (with the
//! [`catalog`]) -> [`finding`] -> [`report`]. [`scan`] runs it end to end; [`tree`] applies facts
//! that one file tells about the others.

pub mod catalog;
pub mod cli;
pub mod finding;
pub mod fingerprint;
pub mod language;
pub mod matcher;
pub mod output;
pub mod parse;
pub mod position;
pub mod prefilter;
pub mod query;
pub mod report;
pub mod rules;
pub mod scan;
pub mod tree;
pub mod walk;
