//! Evaluates a language's patterns over a tree in one pre-order walk: each node is tried only
//! against the patterns whose root can be its kind (a table indexed by node kind), and a pattern
//! is matched top-down from there. The semantics follow tree-sitter's query cursor for the
//! subset [`super::pattern`] reads: a child pattern may match any later child (every way it can
//! match is a match, identical ones once), an anchored child may not skip a named sibling,
//! `(_)` takes any named node but an error, predicates filter whole matches.

use std::num::NonZeroU16;

use tree_sitter::{Node, Tree, TreeCursor};

use super::pattern::{ChildPattern, KindTest, NodePattern, PatternSet, Predicate};

/// Where a matched root node sits: its field in its parent and the parent's kind.
#[derive(Debug, Clone, Copy)]
pub struct Site {
    pub field: Option<NonZeroU16>,
    pub parent_kind: Option<u16>,
}

/// One match: the pattern, its captures (capture id, node) and the root's site.
pub struct Match<'a, 't> {
    pub pattern: usize,
    pub captures: &'a [(u32, Node<'t>)],
    pub site: Site,
}

/// A language's patterns, indexed by the node kinds their roots accept.
#[derive(Debug)]
pub struct Engine {
    pub set: PatternSet,
    by_kind: Vec<Vec<usize>>,
    any_named: Vec<usize>,
}

/// A node whose children are being visited: they are `children[start..end]`, `next` is the
/// next one to visit.
struct Frame {
    start: usize,
    end: usize,
    next: usize,
    kind: u16,
}

/// Per-walk buffers: the children of every node on the path from the root (a stack), then
/// those listed while matching at the current node (each node's children are listed once,
/// however many patterns look at them), and the captures so far.
struct Scratch<'t> {
    cursor: TreeCursor<'t>,
    children: Vec<(Node<'t>, Option<NonZeroU16>)>,
    /// Node id -> its children in `children`, for the node being matched.
    listed: Vec<(usize, usize, usize)>,
    captures: Vec<(u32, Node<'t>)>,
    /// Capture lists already reported for the current root and pattern (flattened node ids).
    seen: Vec<(u32, usize)>,
    /// Where each reported capture list ends in `seen`.
    seen_ends: Vec<usize>,
}

impl Engine {
    pub fn new(set: PatternSet, kind_count: usize) -> Engine {
        let mut by_kind = vec![Vec::new(); kind_count];
        let mut any_named = Vec::new();
        for (index, pattern) in set.patterns.iter().enumerate() {
            let mut kinds = Vec::new();
            root_kinds(&pattern.root, &mut kinds);
            for kind in kinds {
                match kind {
                    KindTest::AnyNamed => any_named.push(index),
                    KindTest::Kind(id) => {
                        if let Some(list) = by_kind.get_mut(id as usize) {
                            if list.last() != Some(&index) {
                                list.push(index);
                            }
                        }
                    }
                }
            }
        }
        any_named.dedup();
        Engine { set, by_kind, any_named }
    }

    /// Calls `on_match` for every match in `tree`, in the order of the walk (root nodes in
    /// document order, outer before inner; patterns in file order).
    ///
    /// The walk lists each node's children once (with their fields) and uses that list both to
    /// match the patterns rooted at the node and to go on down: a separate walk plus a second
    /// listing for every candidate node would cost half as much again. It keeps its own stack,
    /// so deeply nested code cannot overflow the thread's stack.
    pub fn for_each_match<'t>(&self, tree: &'t Tree, source: &[u8], mut on_match: impl FnMut(&Match<'_, 't>)) {
        let mut s = Scratch {
            cursor: tree.walk(),
            children: Vec::new(),
            listed: Vec::new(),
            captures: Vec::new(),
            seen: Vec::new(),
            seen_ends: Vec::new(),
        };
        let mut frames: Vec<Frame> = Vec::new();
        self.visit(tree.root_node(), Site { field: None, parent_kind: None }, source, &mut s, &mut frames, &mut on_match);
        while let Some(top) = frames.last_mut() {
            if top.next < top.end {
                let (child, field) = s.children[top.next];
                top.next += 1;
                let site = Site { field, parent_kind: Some(top.kind) };
                self.visit(child, site, source, &mut s, &mut frames, &mut on_match);
            } else {
                s.children.truncate(top.start);
                frames.pop();
            }
        }
    }

    /// Lists `node`'s children, tries the patterns whose root can be `node`, and pushes a frame
    /// to visit the children.
    fn visit<'t>(
        &self,
        node: Node<'t>,
        site: Site,
        source: &[u8],
        s: &mut Scratch<'t>,
        frames: &mut Vec<Frame>,
        on_match: &mut dyn FnMut(&Match<'_, 't>),
    ) {
        let kind = node.kind_id();
        let (start, end) = s.push_children(node);
        let listed = self.by_kind.get(kind as usize).map_or(&[][..], Vec::as_slice);
        let wildcard = if !self.any_named.is_empty() && node.is_named() && !node.is_error() { &self.any_named[..] } else { &[] };
        if !listed.is_empty() || !wildcard.is_empty() {
            s.listed.clear();
            s.listed.push((node.id(), start, end));
            for &pattern in listed.iter().chain(wildcard) {
                self.try_pattern(pattern, node, site, source, s, on_match);
            }
            // Children of descendants listed while matching are not needed any more.
            s.children.truncate(end);
            s.listed.clear();
        }
        if end > start {
            frames.push(Frame { start, end, next: start, kind });
        }
    }

    fn try_pattern<'t>(
        &self,
        index: usize,
        node: Node<'t>,
        site: Site,
        source: &[u8],
        scratch: &mut Scratch<'t>,
        on_match: &mut dyn FnMut(&Match<'_, 't>),
    ) {
        let pattern = &self.set.patterns[index];
        scratch.captures.clear();
        scratch.seen.clear();
        scratch.seen_ends.clear();
        self.match_node(&pattern.root, node, scratch, &mut |s: &mut Scratch<'t>| {
            if !pattern.predicates.iter().all(|p| holds(p, &s.captures, source)) {
                return;
            }
            // Two ways of matching may capture the same nodes: report them once.
            let mut start = 0;
            for &end in &s.seen_ends {
                let earlier = &s.seen[start..end];
                start = end;
                if earlier.len() == s.captures.len() && earlier.iter().zip(&s.captures).all(|(a, (c, n))| a.0 == *c && a.1 == n.id()) {
                    return;
                }
            }
            s.seen.extend(s.captures.iter().map(|(c, n)| (*c, n.id())));
            s.seen_ends.push(s.seen.len());
            on_match(&Match { pattern: index, captures: &s.captures, site });
        });
    }

    /// Matches `pattern` at `node`, calling `then` once per way it matches (captures in
    /// `scratch.captures` meanwhile).
    fn match_node<'t>(&self, pattern: &NodePattern, node: Node<'t>, s: &mut Scratch<'t>, then: &mut dyn FnMut(&mut Scratch<'t>)) {
        match pattern {
            NodePattern::Alternation { alternatives, captures } => {
                let mark = s.captures.len();
                s.captures.extend(captures.iter().map(|&c| (c, node)));
                for alternative in alternatives {
                    self.match_node(alternative, node, s, then);
                }
                s.captures.truncate(mark);
            }
            NodePattern::Node { kind, children, captures } => {
                let accepted = match kind {
                    KindTest::AnyNamed => node.is_named() && !node.is_error(),
                    KindTest::Kind(id) => node.kind_id() == *id,
                };
                if !accepted {
                    return;
                }
                let mark = s.captures.len();
                s.captures.extend(captures.iter().map(|&c| (c, node)));
                if children.is_empty() {
                    then(s);
                } else {
                    let (lo, hi) = s.list_children(node);
                    self.match_children(children, lo, hi, s, then);
                }
                s.captures.truncate(mark);
            }
        }
    }

    /// Matches `patterns` in order against the children `s.children[from..to]`.
    fn match_children<'t>(
        &self,
        patterns: &[ChildPattern],
        from: usize,
        to: usize,
        s: &mut Scratch<'t>,
        then: &mut dyn FnMut(&mut Scratch<'t>),
    ) {
        let Some((first, rest)) = patterns.split_first() else {
            then(s);
            return;
        };
        for at in from..to {
            let (child, field) = s.children[at];
            if first.field.is_none() || first.field == field {
                self.match_node(&first.pattern, child, s, &mut |s: &mut Scratch<'t>| self.match_children(rest, at + 1, to, s, then));
            }
            // An anchored child cannot skip a named sibling (anonymous ones, like punctuation,
            // can be skipped).
            if first.immediate && child.is_named() {
                break;
            }
        }
    }
}

impl<'t> Scratch<'t> {
    /// The range of `children` holding `node`'s children (with their fields), listed on first use.
    fn list_children(&mut self, node: Node<'t>) -> (usize, usize) {
        let id = node.id();
        if let Some(&(_, lo, hi)) = self.listed.iter().find(|(listed, _, _)| *listed == id) {
            return (lo, hi);
        }
        let (lo, hi) = self.push_children(node);
        self.listed.push((id, lo, hi));
        (lo, hi)
    }

    /// Appends `node`'s children (with their fields) to `children`; gives their range.
    fn push_children(&mut self, node: Node<'t>) -> (usize, usize) {
        let start = self.children.len();
        // Leaves are most of a tree: no cursor work for them.
        if node.child_count() > 0 {
            self.cursor.reset(node);
            if self.cursor.goto_first_child() {
                loop {
                    self.children.push((self.cursor.node(), self.cursor.field_id()));
                    if !self.cursor.goto_next_sibling() {
                        break;
                    }
                }
            }
        }
        (start, self.children.len())
    }
}

/// The kinds a pattern's root accepts (an alternation accepts those of its alternatives).
fn root_kinds(pattern: &NodePattern, out: &mut Vec<KindTest>) {
    match pattern {
        NodePattern::Node { kind, .. } => out.push(kind.clone()),
        NodePattern::Alternation { alternatives, .. } => alternatives.iter().for_each(|a| root_kinds(a, out)),
    }
}

/// Whether a predicate holds for every node its capture took (tree-sitter's `#eq?` semantics).
fn holds(predicate: &Predicate, captures: &[(u32, Node)], source: &[u8]) -> bool {
    let text = |node: &Node| source.get(node.byte_range()).unwrap_or_default();
    match predicate {
        Predicate::Text { capture, texts, positive } => {
            captures.iter().filter(|(c, _)| c == capture).all(|(_, node)| texts.iter().any(|t| t.as_slice() == text(node)) == *positive)
        }
        Predicate::Match { capture, regex, positive } => {
            captures.iter().filter(|(c, _)| c == capture).all(|(_, node)| regex.is_match(text(node)) == *positive)
        }
    }
}
