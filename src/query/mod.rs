//! Stage 4 of the pipeline: run the language's queries (`queries/<language>/*.scm`, tree-sitter
//! query syntax) once over a tree and keep what they capture as plain facts (byte ranges, node
//! ids), so the matcher needs neither the tree nor per-node allocations. [`pattern`] reads the
//! query files, [`engine`] evaluates them.
//!
//! Capture names are the contract between the query files and the matcher:
//! `@call` / `@call.name` / `@call.receiver`, `@access` / `@access.object` / `@access.key`,
//! `@string`, `@new` / `@new.class`, `@import` / `@import.module`, `@key`,
//! `@assign` / `@assign.left` / `@assign.right`, `@function` / `@function.name`, `@condition`. Names starting with `_` are helpers for predicates.

pub mod engine;
pub mod pattern;

use std::num::NonZeroU16;
use std::ops::Range;
use std::sync::OnceLock;

use tree_sitter::{Node, Tree};

use crate::language::{query_files, Lang, LanguageSpec, LANGUAGES};
use engine::Engine;
use pattern::Reader;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Call,
    CallName,
    CallReceiver,
    Access,
    AccessObject,
    AccessKey,
    String,
    New,
    NewClass,
    Import,
    ImportModule,
    Key,
    Assign,
    AssignLeft,
    AssignRight,
    Function,
    FunctionName,
    Condition,
    Helper,
}

impl Role {
    fn from_capture_name(name: &str) -> Option<Role> {
        Some(match name {
            "call" => Role::Call,
            "call.name" => Role::CallName,
            "call.receiver" => Role::CallReceiver,
            "access" => Role::Access,
            "access.object" => Role::AccessObject,
            "access.key" => Role::AccessKey,
            "string" => Role::String,
            "new" => Role::New,
            "new.class" => Role::NewClass,
            "import" => Role::Import,
            "import.module" => Role::ImportModule,
            "key" => Role::Key,
            "assign" => Role::Assign,
            "assign.left" => Role::AssignLeft,
            "assign.right" => Role::AssignRight,
            "function" => Role::Function,
            "function.name" => Role::FunctionName,
            "condition" => Role::Condition,
            n if n.starts_with('_') => Role::Helper,
            _ => return None,
        })
    }
}

/// A language's queries, read once and shared by every worker.
pub struct CompiledQuery {
    pub engine: Engine,
    roles: Vec<Role>,
    /// Node kinds of assignments and the fields that tell a written or called access.
    assignment_kinds: Vec<u16>,
    left_field: Option<NonZeroU16>,
    function_field: Option<NonZeroU16>,
}

/// A node reduced to what the matcher needs.
#[derive(Debug, Clone, Copy)]
pub struct Span {
    pub id: usize,
    pub bytes: (usize, usize),
    /// 0-based row of the start.
    pub row: usize,
}

impl Span {
    fn of(node: Node) -> Span {
        Span { id: node.id(), bytes: (node.start_byte(), node.end_byte()), row: node.start_position().row }
    }
    pub fn range(&self) -> Range<usize> {
        self.bytes.0..self.bytes.1
    }
}

#[derive(Debug, Clone, Copy)]
pub struct CallFact {
    pub node: Span,
    pub name: Span,
    pub receiver: Span,
}

#[derive(Debug, Clone, Copy)]
pub struct AccessFact {
    pub node: Span,
    pub object: Span,
    pub key: Span,
    /// False when the access is written (`$r['success'] = 1`) or called (`console.error(...)`).
    pub is_read: bool,
}

#[derive(Debug, Clone, Copy)]
pub struct NamedFact {
    pub node: Span,
    pub name: Span,
}

#[derive(Debug, Clone, Copy)]
pub struct AssignFact {
    pub left: Span,
    pub right: Span,
}

/// Everything the queries captured in one file.
#[derive(Debug, Default)]
pub struct FileFacts {
    pub calls: Vec<CallFact>,
    pub accesses: Vec<AccessFact>,
    pub strings: Vec<Span>,
    pub news: Vec<NamedFact>,
    pub imports: Vec<NamedFact>,
    pub keys: Vec<Span>,
    pub assigns: Vec<AssignFact>,
    /// The project's own function and method definitions.
    pub functions: Vec<NamedFact>,
    /// Calls of a plain function name (`sync_folder(...)`), with no receiver.
    pub plain_calls: Vec<NamedFact>,
    /// Conditions of `if`, `while`, ternaries and asserts.
    pub conditions: Vec<Span>,
}

impl FileFacts {
    pub fn clear(&mut self) {
        self.calls.clear();
        self.accesses.clear();
        self.strings.clear();
        self.news.clear();
        self.imports.clear();
        self.keys.clear();
        self.assigns.clear();
        self.functions.clear();
        self.plain_calls.clear();
        self.conditions.clear();
    }
}

/// A query file that does not compile, or uses a capture name the matcher does not know.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("query for {language} is invalid: {message}")]
#[diagnostic(code(queries::invalid))]
pub struct QueryError {
    pub language: &'static str,
    pub message: String,
}

/// One slot per language: a language's queries are read the first time a file of that
/// language is parsed, then shared by every worker.
fn slot(lang: Lang) -> &'static OnceLock<Result<CompiledQuery, String>> {
    static SLOTS: [OnceLock<Result<CompiledQuery, String>>; 8] = [const { OnceLock::new() }; 8];
    &SLOTS[LANGUAGES.iter().position(|s| s.lang == lang).expect("every Lang has a spec")]
}

fn compile(spec: &LanguageSpec) -> Result<CompiledQuery, String> {
    let language = (spec.grammar)();
    let mut reader = Reader::new(&language);
    for (file, source) in query_files(spec) {
        reader.read(&format!("queries/{}/{file}", spec.query_dir), source).map_err(|e| e.to_string())?;
    }
    let set = reader.finish();
    let roles = set
        .capture_names
        .iter()
        .map(|name| Role::from_capture_name(name).ok_or_else(|| format!("unknown capture @{name} in queries/{}/", spec.query_dir)))
        .collect::<Result<Vec<_>, _>>()?;
    let assignment_kinds = spec.assignment_kinds.iter().map(|k| language.id_for_node_kind(k, true)).filter(|&id| id != 0).collect();
    Ok(CompiledQuery {
        engine: Engine::new(set, language.node_kind_count()),
        roles,
        assignment_kinds,
        left_field: language.field_id_for_name("left"),
        function_field: language.field_id_for_name("function"),
    })
}

/// The compiled query of a language (compiled on first use, then shared).
pub fn for_language(lang: Lang) -> Result<&'static CompiledQuery, QueryError> {
    match slot(lang).get_or_init(|| compile(lang.spec())) {
        Ok(q) => Ok(q),
        Err(message) => Err(QueryError { language: lang.name(), message: message.clone() }),
    }
}

/// Compiles every language's queries: a broken query file is one clear error (tests run this).
pub fn check_all() -> Result<(), QueryError> {
    for spec in LANGUAGES {
        for_language(spec.lang)?;
    }
    Ok(())
}

/// Runs the query over `tree` and fills `facts`.
pub fn extract(q: &CompiledQuery, tree: &Tree, source: &[u8], facts: &mut FileFacts) {
    facts.clear();
    q.engine.for_each_match(tree, source, |m| {
        let mut main: Option<(Role, Node)> = None;
        let (mut a, mut b) = (None, None);
        for &(capture, node) in m.captures {
            let role = q.roles[capture as usize];
            match role {
                Role::Call | Role::Access | Role::New | Role::Import | Role::Assign | Role::Function => main = Some((role, node)),
                Role::String => facts.strings.push(Span::of(node)),
                Role::Key => facts.keys.push(Span::of(node)),
                Role::Condition => facts.conditions.push(Span::of(node)),
                Role::CallName | Role::AccessKey | Role::NewClass | Role::ImportModule | Role::AssignLeft | Role::FunctionName => {
                    a = Some(node)
                }
                Role::CallReceiver | Role::AccessObject | Role::AssignRight => b = Some(node),
                Role::Helper => {}
            }
        }
        let Some((role, node)) = main else { return };
        match (role, a, b) {
            (Role::Call, Some(name), Some(receiver)) => {
                facts.calls.push(CallFact { node: Span::of(node), name: Span::of(name), receiver: Span::of(receiver) })
            }
            (Role::Access, Some(key), Some(object)) => {
                // Written (`$r['success'] = 1`) or called (`console.error(...)`) accesses are
                // not reads; the site of the match's root says which.
                let in_assignment = m.site.parent_kind.is_some_and(|k| q.assignment_kinds.contains(&k));
                let is_write = in_assignment && m.site.field.is_some() && m.site.field == q.left_field;
                let is_callee = m.site.field.is_some() && m.site.field == q.function_field;
                facts.accesses.push(AccessFact {
                    node: Span::of(node),
                    object: Span::of(object),
                    key: Span::of(key),
                    is_read: !is_write && !is_callee,
                })
            }
            (Role::Call, Some(name), None) => facts.plain_calls.push(NamedFact { node: Span::of(node), name: Span::of(name) }),
            (Role::Function, Some(name), _) => facts.functions.push(NamedFact { node: Span::of(node), name: Span::of(name) }),
            (Role::New, Some(class), _) => facts.news.push(NamedFact { node: Span::of(node), name: Span::of(class) }),
            (Role::Import, Some(module), _) => facts.imports.push(NamedFact { node: Span::of(node), name: Span::of(module) }),
            (Role::Assign, Some(left), Some(right)) => facts.assigns.push(AssignFact { left: Span::of(left), right: Span::of(right) }),
            _ => {}
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_query_compiles_with_known_captures() {
        check_all().unwrap();
    }
}
