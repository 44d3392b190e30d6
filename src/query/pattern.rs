//! Reads the query files (`queries/<language>/*.scm`, tree-sitter's query syntax) into patterns
//! whose node kinds and fields are resolved against the language's grammar.
//!
//! The scanner evaluates the queries itself (see [`super::engine`]) rather than with
//! tree-sitter's query cursor: tree-sitter analyses every pattern against the whole parse table
//! when a query is built (tens of milliseconds per language, more than scanning a thousand
//! files), and its general matcher costs about half a parse per file. The files stay plain
//! tree-sitter queries (a test compiles them with tree-sitter and checks that both engines find
//! the same matches); this reader takes the subset they use and says so clearly for anything
//! else:
//!
//! - node patterns `(kind child...)`, the wildcard `(_)`, anonymous nodes `"if"`;
//! - fields `name: pattern`, alternations `[a b]`, captures `@name` (several per node);
//! - the anchor `.` before a child (first named child, or immediately after the previous one);
//! - predicates `#eq?`, `#not-eq?`, `#match?`, `#not-match?`, `#any-of?`, `#not-any-of?`
//!   comparing a capture with strings.
//!
//! Quantifiers (`*`, `+`, `?`), negated fields (`!name`), sibling groups, supertypes and the
//! trailing anchor are refused with the file, line and column.

use std::num::NonZeroU16;

use regex::bytes::Regex;
use tree_sitter::Language;

/// What a node pattern accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KindTest {
    /// `(_)`: any named node that is not an error.
    AnyNamed,
    /// A node kind (named or anonymous), by the grammar's public symbol id.
    Kind(u16),
}

/// One node in a pattern.
#[derive(Debug, Clone)]
pub enum NodePattern {
    Node {
        kind: KindTest,
        children: Vec<ChildPattern>,
        captures: Vec<u32>,
    },
    /// `[a b ...]`: any one of the alternatives, each with its own captures.
    Alternation {
        alternatives: Vec<NodePattern>,
        captures: Vec<u32>,
    },
}

/// A child of a node pattern, in order.
#[derive(Debug, Clone)]
pub struct ChildPattern {
    pub field: Option<NonZeroU16>,
    /// After an anchor `.`: no named sibling may come between this child and the previous one
    /// (or the start of the parent).
    pub immediate: bool,
    pub pattern: NodePattern,
}

#[derive(Debug, Clone)]
pub enum Predicate {
    /// `#eq?` / `#not-eq?` with a string, `#any-of?` / `#not-any-of?`: every node captured must
    /// (or must not) have one of the texts.
    Text { capture: u32, texts: Vec<Vec<u8>>, positive: bool },
    /// `#match?` / `#not-match?`: every node captured must (or must not) match.
    Match { capture: u32, regex: Regex, positive: bool },
}

/// One top-level pattern of a query file.
#[derive(Debug, Clone)]
pub struct Pattern {
    pub root: NodePattern,
    pub predicates: Vec<Predicate>,
    /// Where it is written, for messages: `queries/php/calls.scm:3`.
    pub origin: String,
}

/// All patterns of one language, with the capture names they use (a capture id indexes it).
#[derive(Debug, Default)]
pub struct PatternSet {
    pub patterns: Vec<Pattern>,
    pub capture_names: Vec<String>,
}

/// A query file this reader cannot use, with its position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}: {}", self.file, self.line, self.column, self.message)
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Open,
    Close,
    OpenAlt,
    CloseAlt,
    Anchor,
    Capture(String),
    Str(Vec<u8>),
    Predicate(String),
    Field(String),
    Ident(String),
    Unsupported(char),
}

struct Lexer<'s> {
    src: &'s [u8],
    at: usize,
}

impl Lexer<'_> {
    fn position(&self, at: usize) -> (usize, usize) {
        let before = &self.src[..at.min(self.src.len())];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = at - before.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1) + 1;
        (line, column)
    }

    fn skip_blank(&mut self) {
        while let Some(&b) = self.src.get(self.at) {
            if b == b';' {
                while self.src.get(self.at).is_some_and(|&b| b != b'\n') {
                    self.at += 1;
                }
            } else if b.is_ascii_whitespace() {
                self.at += 1;
            } else {
                break;
            }
        }
    }

    fn name(&mut self) -> String {
        let start = self.at;
        while self.src.get(self.at).is_some_and(|&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b'?' | b'!')) {
            self.at += 1;
        }
        String::from_utf8_lossy(&self.src[start..self.at]).into_owned()
    }

    /// The next token and the offset it starts at, or `None` at the end.
    fn next(&mut self) -> Result<Option<(usize, Token)>, (usize, String)> {
        self.skip_blank();
        let start = self.at;
        let Some(&b) = self.src.get(self.at) else { return Ok(None) };
        self.at += 1;
        let token = match b {
            b'(' => Token::Open,
            b')' => Token::Close,
            b'[' => Token::OpenAlt,
            b']' => Token::CloseAlt,
            b'.' => Token::Anchor,
            b'@' => Token::Capture(self.name()),
            b'#' => Token::Predicate(self.name()),
            b'"' => {
                let mut text = Vec::new();
                loop {
                    match self.src.get(self.at) {
                        None => return Err((start, "unterminated string".into())),
                        Some(b'"') => {
                            self.at += 1;
                            break;
                        }
                        Some(b'\\') => {
                            let escaped = *self.src.get(self.at + 1).ok_or((start, "unterminated string".to_string()))?;
                            text.push(match escaped {
                                b'n' => b'\n',
                                b't' => b'\t',
                                b'r' => b'\r',
                                b'0' => 0,
                                other => other,
                            });
                            self.at += 2;
                        }
                        Some(&c) => {
                            text.push(c);
                            self.at += 1;
                        }
                    }
                }
                Token::Str(text)
            }
            b if b.is_ascii_alphanumeric() || b == b'_' => {
                self.at = start;
                let mut name = String::new();
                while self.src.get(self.at).is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'_') {
                    name.push(self.src[self.at] as char);
                    self.at += 1;
                }
                if self.src.get(self.at) == Some(&b':') {
                    self.at += 1;
                    Token::Field(name)
                } else {
                    Token::Ident(name)
                }
            }
            other => Token::Unsupported(other as char),
        };
        Ok(Some((start, token)))
    }
}

/// Reads query files and resolves them against one grammar.
pub struct Reader<'l> {
    language: &'l Language,
    set: PatternSet,
}

struct FileReader<'s, 'r, 'l> {
    reader: &'r mut Reader<'l>,
    file: &'s str,
    lexer: Lexer<'s>,
    peeked: Option<(usize, Token)>,
    predicates: Vec<Predicate>,
}

impl<'l> Reader<'l> {
    pub fn new(language: &'l Language) -> Reader<'l> {
        Reader { language, set: PatternSet::default() }
    }

    /// Adds every pattern of one query file (`file` is the path shown in messages).
    pub fn read(&mut self, file: &str, source: &str) -> Result<(), SyntaxError> {
        let mut r = FileReader { reader: self, file, lexer: Lexer { src: source.as_bytes(), at: 0 }, peeked: None, predicates: vec![] };
        while let Some((at, _)) = r.peek()? {
            let root = r.node_with_captures(at)?;
            let (line, _) = r.lexer.position(at);
            let predicates = std::mem::take(&mut r.predicates);
            r.reader.set.patterns.push(Pattern { root, predicates, origin: format!("{file}:{line}") });
        }
        Ok(())
    }

    pub fn finish(self) -> PatternSet {
        self.set
    }

    fn capture_id(&mut self, name: &str) -> u32 {
        let names = &mut self.set.capture_names;
        match names.iter().position(|n| n == name) {
            Some(i) => i as u32,
            None => {
                names.push(name.to_string());
                (names.len() - 1) as u32
            }
        }
    }
}

impl FileReader<'_, '_, '_> {
    fn error(&self, at: usize, message: impl Into<String>) -> SyntaxError {
        let (line, column) = self.lexer.position(at);
        SyntaxError { file: self.file.to_string(), line, column, message: message.into() }
    }

    fn peek(&mut self) -> Result<Option<(usize, Token)>, SyntaxError> {
        if self.peeked.is_none() {
            self.peeked = self.lexer.next().map_err(|(at, m)| self.error(at, m))?;
        }
        Ok(self.peeked.clone())
    }

    fn take(&mut self) -> Result<Option<(usize, Token)>, SyntaxError> {
        self.peek()?;
        Ok(self.peeked.take())
    }

    fn expect_more(&mut self, at: usize) -> Result<(usize, Token), SyntaxError> {
        self.take()?.ok_or_else(|| self.error(at, "unexpected end of file: a pattern is not closed"))
    }

    /// A node pattern followed by its captures.
    fn node_with_captures(&mut self, at: usize) -> Result<NodePattern, SyntaxError> {
        let node = self.node(at)?;
        self.with_captures(node)
    }

    /// The captures written after a node pattern.
    fn with_captures(&mut self, mut node: NodePattern) -> Result<NodePattern, SyntaxError> {
        while let Some((_, Token::Capture(name))) = self.peek()? {
            self.take()?;
            let id = self.reader.capture_id(&name);
            match &mut node {
                NodePattern::Node { captures, .. } | NodePattern::Alternation { captures, .. } => captures.push(id),
            }
        }
        if let Some((at, Token::Unsupported(c @ ('*' | '+' | '?')))) = self.peek()? {
            return Err(self.error(at, format!("quantifier `{c}` is not supported by the scanner's query reader")));
        }
        Ok(node)
    }

    fn node(&mut self, at: usize) -> Result<NodePattern, SyntaxError> {
        let (at, token) = self.expect_more(at)?;
        match token {
            Token::Open => self.parenthesized(at),
            Token::OpenAlt => {
                let mut alternatives = Vec::new();
                loop {
                    match self.peek()? {
                        Some((_, Token::CloseAlt)) => {
                            self.take()?;
                            break;
                        }
                        Some((next, _)) => alternatives.push(self.node_with_captures(next)?),
                        None => return Err(self.error(at, "unexpected end of file: `[` is not closed")),
                    }
                }
                if alternatives.is_empty() {
                    return Err(self.error(at, "empty alternation `[]`"));
                }
                Ok(NodePattern::Alternation { alternatives, captures: vec![] })
            }
            Token::Str(text) => {
                let name = String::from_utf8_lossy(&text).into_owned();
                let id = self.reader.language.id_for_node_kind(&name, false);
                if id == 0 {
                    return Err(self.error(at, format!("the grammar has no anonymous node \"{name}\"")));
                }
                Ok(NodePattern::Node { kind: KindTest::Kind(id), children: vec![], captures: vec![] })
            }
            Token::Unsupported('!') => Err(self.error(at, "negated fields (`!name`) are not supported by the scanner's query reader")),
            other => Err(self.error(at, format!("expected `(`, `[` or a string, found {}", describe(&other)))),
        }
    }

    /// After `(`: a node kind, its children and predicates, then `)`.
    fn parenthesized(&mut self, open: usize) -> Result<NodePattern, SyntaxError> {
        let (at, token) = self.expect_more(open)?;
        let kind = match token {
            Token::Ident(name) if name == "_" => KindTest::AnyNamed,
            Token::Ident(name) => {
                let language = self.reader.language;
                let id = language.id_for_node_kind(&name, true);
                if id != 0 && language.node_kind_is_supertype(id) {
                    return Err(self.error(at, format!("`{name}` is a supertype: the scanner's query reader needs concrete node kinds")));
                }
                if id == 0 || !language.node_kind_is_named(id) {
                    return Err(self.error(at, format!("the grammar has no node kind `{name}`")));
                }
                KindTest::Kind(id)
            }
            Token::Predicate(name) => {
                self.predicate(at, &name)?;
                return Err(self.error(at, "a predicate must be inside a node pattern"));
            }
            Token::Open | Token::OpenAlt => {
                return Err(self.error(at, "sibling groups `((a) (b))` are not supported by the scanner's query reader"))
            }
            other => return Err(self.error(at, format!("expected a node kind after `(`, found {}", describe(&other)))),
        };
        let mut children = Vec::new();
        let mut immediate = false;
        loop {
            let Some((at, token)) = self.peek()? else {
                return Err(self.error(open, "unexpected end of file: `(` is not closed"));
            };
            match token {
                Token::Close => {
                    self.take()?;
                    if immediate {
                        return Err(self.error(at, "the trailing anchor `. )` is not supported by the scanner's query reader"));
                    }
                    break;
                }
                Token::Anchor => {
                    self.take()?;
                    immediate = true;
                }
                Token::Field(name) => {
                    self.take()?;
                    let Some(field) = self.reader.language.field_id_for_name(&name) else {
                        return Err(self.error(at, format!("the grammar has no field `{name}`")));
                    };
                    let (next, _) = self.peek()?.ok_or_else(|| self.error(at, "a field needs a pattern"))?;
                    let pattern = self.node_with_captures(next)?;
                    children.push(ChildPattern { field: Some(field), immediate, pattern });
                    immediate = false;
                }
                Token::Open => {
                    // A predicate, or a child node.
                    self.take()?;
                    if let Some((p, Token::Predicate(name))) = self.peek()? {
                        self.take()?;
                        self.predicate(p, &name)?;
                        continue;
                    }
                    let node = self.parenthesized(at)?;
                    let pattern = self.with_captures(node)?;
                    children.push(ChildPattern { field: None, immediate, pattern });
                    immediate = false;
                }
                _ => {
                    let pattern = self.node_with_captures(at)?;
                    children.push(ChildPattern { field: None, immediate, pattern });
                    immediate = false;
                }
            }
        }
        Ok(NodePattern::Node { kind, children, captures: vec![] })
    }

    /// After `(#name`: the arguments and `)`.
    fn predicate(&mut self, at: usize, name: &str) -> Result<(), SyntaxError> {
        let mut capture = None;
        let mut texts = Vec::new();
        loop {
            let (arg_at, token) = self.expect_more(at)?;
            match token {
                Token::Close => break,
                Token::Capture(c) if capture.is_none() => capture = Some(self.reader.capture_id(&c)),
                Token::Str(text) => texts.push(text),
                other => return Err(self.error(arg_at, format!("unexpected {} in #{name}", describe(&other)))),
            }
        }
        let capture = capture.ok_or_else(|| self.error(at, format!("#{name} needs a capture as its first argument")))?;
        let predicate = match name {
            "eq?" | "not-eq?" if texts.len() == 1 => Predicate::Text { capture, texts, positive: name == "eq?" },
            "any-of?" | "not-any-of?" if !texts.is_empty() => Predicate::Text { capture, texts, positive: name == "any-of?" },
            "match?" | "not-match?" if texts.len() == 1 => {
                let pattern = String::from_utf8_lossy(&texts[0]).into_owned();
                let regex = Regex::new(&pattern).map_err(|e| self.error(at, format!("invalid regex in #{name}: {e}")))?;
                Predicate::Match { capture, regex, positive: name == "match?" }
            }
            "eq?" | "not-eq?" | "match?" | "not-match?" => {
                return Err(self.error(at, format!("#{name} takes a capture and one string (comparing two captures is not supported)")))
            }
            _ => return Err(self.error(at, format!("predicate #{name} is not supported by the scanner's query reader"))),
        };
        self.predicates.push(predicate);
        Ok(())
    }
}

fn describe(token: &Token) -> String {
    match token {
        Token::Open => "`(`".into(),
        Token::Close => "`)`".into(),
        Token::OpenAlt => "`[`".into(),
        Token::CloseAlt => "`]`".into(),
        Token::Anchor => "`.`".into(),
        Token::Capture(n) => format!("capture `@{n}`"),
        Token::Str(s) => format!("string {:?}", String::from_utf8_lossy(s)),
        Token::Predicate(n) => format!("predicate `#{n}`"),
        Token::Field(n) => format!("field `{n}:`"),
        Token::Ident(n) => format!("`{n}`"),
        Token::Unsupported(c) => format!("`{c}`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(source: &str) -> Result<PatternSet, SyntaxError> {
        let language: Language = tree_sitter_python::LANGUAGE.into();
        let mut reader = Reader::new(&language);
        reader.read("test.scm", source)?;
        Ok(reader.finish())
    }

    #[test]
    fn reads_the_subset_the_query_files_use() {
        let set = read(
            "; a comment\n(call function: (attribute object: (_) @r attribute: (identifier) @n)) @call\n\
             (conditional_expression (_) . \"if\" . (_) @c)\n[(string) (integer)] @lit\n\
             (call function: (identifier) @_f (#eq? @_f \"get\") arguments: (argument_list . (string) @k))",
        )
        .unwrap();
        assert_eq!(set.patterns.len(), 4);
        assert_eq!(set.capture_names, ["r", "n", "call", "c", "lit", "_f", "k"]);
        assert_eq!(set.patterns[3].predicates.len(), 1);
        assert_eq!(set.patterns[1].origin, "test.scm:3");
    }

    #[test]
    fn refuses_what_it_cannot_evaluate_with_the_position() {
        let cases = [
            ("(call (identifier)* @x)", "quantifier"),
            ("(call !function)", "negated"),
            ("(no_such_kind)", "no node kind `no_such_kind`"),
            ("(call nosuchfield: (_))", "no field `nosuchfield`"),
            ("(expression)", "supertype"),
            ("(call (identifier) .)", "trailing anchor"),
            ("(call (#eq? \"x\"))", "needs a capture"),
            ("(call (identifier) @x (#lua? @x))", "#lua? is not supported"),
            ("(call", "not closed"),
            ("(call \"nope-not-a-token\")", "no anonymous node"),
            ("((call) (call))", "sibling groups"),
        ];
        for (source, expected) in cases {
            let err = read(source).unwrap_err();
            assert!(err.to_string().contains(expected), "{source}: {err}");
            assert!(err.to_string().starts_with("test.scm:1:"), "{err}");
        }
    }
}
