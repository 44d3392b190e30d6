//! Stage 5 of the pipeline: match what the queries captured against the catalog. Everything the
//! matcher knows about ExaVault comes from the catalog (operation names, SDK classes, getters,
//! header names, v2 markers); the code here only knows the shapes: calls, field reads, literals,
//! constructors and imports.

use std::collections::{HashMap, HashSet};

use regex::Regex;

use crate::catalog::{snake_case, Availability, Catalog, Category, Effort, FilesComIdiom, Operation};
use crate::finding::{ApiVersion, Confidence, Evidence, Kind};
use crate::language::{Lang, LanguageSpec};
use crate::query::{FileFacts, Span};

/// A finding before positions are resolved: rule, span and judgement.
#[derive(Debug, Clone)]
pub struct RawFinding {
    pub rule: RuleRef,
    pub bytes: (usize, usize),
    pub api_version: ApiVersion,
    pub confidence: Confidence,
    pub evidence: Vec<Evidence>,
    /// For a call of the project's own wrapper around an operation: the wrapper's name.
    pub wrapper: Option<String>,
}

/// Which catalog rule fired.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleRef {
    Operation(usize),
    Envelope(usize),
    Setup(usize),
}

/// The rule data a finding carries, resolved from the catalog.
pub struct RuleView<'c> {
    pub id: &'c str,
    pub name: &'c str,
    pub kind: Kind,
    pub operation: Option<&'c str>,
    pub subject: &'c str,
    pub message: String,
    pub effort: &'c Effort,
    pub category: Category,
    pub rest: Vec<String>,
    pub sdk: &'c str,
    pub docs_url: &'c str,
}

/// The catalog, indexed for matching. Built once per scan.
pub struct Matcher<'c> {
    pub catalog: &'c Catalog,
    camel: HashMap<&'c str, usize>,
    snake: HashMap<String, usize>,
    getters: HashMap<&'c str, &'c str>,
    envelope_by_subject: HashMap<&'c str, usize>,
    setup_by_subject: HashMap<&'c str, usize>,
    setup_keys: Vec<(String, usize)>,
    op_url: Regex,
    op_piece: Regex,
    v1_base: Regex,
    account_host: Regex,
    http_host: Regex,
    /// The catalog's v2 markers in lower case (string literals are compared case-insensitively).
    v2_markers_lower: Vec<String>,
}

/// What the file as a whole says about ExaVault.
#[derive(Debug, Default)]
struct FileContext<'t> {
    v1_import: bool,
    v1_client: bool,
    v1_url: bool,
    v1_path: bool,
    v2: bool,
    other_host: bool,
    saw_v1_2: bool,
    saw_v1: bool,
    /// Text of variables and properties that hold a v1.x client (`$api`, `self.api`).
    client_vars: HashSet<&'t str>,
    /// Byte ranges of v1.x client constructions.
    client_news: Vec<(usize, usize)>,
}

impl FileContext<'_> {
    fn has_v1(&self) -> bool {
        self.v1_import || self.v1_client || self.v1_url || self.v1_path
    }
    /// ExaVault v2 code, with nothing that says v1.x: not ours.
    fn is_v2_only(&self) -> bool {
        self.v2 && !self.has_v1()
    }
    fn has_sdk(&self) -> bool {
        self.v1_import || self.v1_client
    }
    fn version(&self) -> ApiVersion {
        if self.saw_v1_2 {
            ApiVersion::V1_2
        } else if self.saw_v1 {
            ApiVersion::V1
        } else {
            ApiVersion::Unknown
        }
    }
    fn sdk_evidence(&self) -> Vec<Evidence> {
        let mut e = Vec::new();
        if self.v1_import {
            e.push(Evidence::SdkImport);
        }
        if self.v1_client {
            e.push(Evidence::ClientConstructed);
        }
        if self.v1_url {
            e.push(Evidence::V1BaseUrlInFile);
        }
        if e.is_empty() && self.v1_path {
            e.push(Evidence::V1PathLiteral);
        }
        e
    }
    fn context_confidence(&self) -> Confidence {
        if self.has_sdk() || self.v1_url {
            Confidence::High
        } else {
            Confidence::Medium
        }
    }
}

fn alternation<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let mut names: Vec<&str> = names.collect();
    names.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    names.iter().map(|n| regex::escape(n)).collect::<Vec<_>>().join("|")
}

/// The view of an envelope or setup rule: one Files.com idiom instead of an endpoint list.
fn idiom_view<'c>(
    kind: Kind,
    (id, name, subject, message): (&'c str, &'c str, &'c str, &'c str),
    filescom: &'c FilesComIdiom,
    effort: &'c Effort,
    category: Category,
    sdk_language: &str,
) -> RuleView<'c> {
    RuleView {
        id,
        name,
        kind,
        operation: None,
        subject,
        message: format!("{message} On Files.com: {}.", filescom.rest.trim_end_matches('.')),
        effort,
        category,
        rest: vec![filescom.rest.clone()],
        sdk: filescom.sdk.for_language(sdk_language),
        docs_url: &filescom.docs_url,
    }
}

/// First occurrence of `token` in `haystack` that is a whole name: not part of a longer
/// identifier and not a member of another object (`self.ok` is not `ok`).
fn find_token(haystack: &[u8], token: &[u8]) -> Option<usize> {
    if token.is_empty() || token.len() > haystack.len() {
        return None;
    }
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    (0..=haystack.len() - token.len()).find(|&i| {
        &haystack[i..i + token.len()] == token
            && (i == 0 || !(ident(haystack[i - 1]) || matches!(haystack[i - 1], b'$' | b'.' | b'>')))
            && haystack.get(i + token.len()).is_none_or(|&c| !ident(c) && c != b'(')
    })
}

/// Last segment of a dotted / namespaced / path-like name: `\Swagger\Client\Api\UserApi` -> `UserApi`.
fn last_segment(name: &str) -> &str {
    let name = name.trim_matches(|c: char| c == '\'' || c == '"' || c == '`' || c.is_whitespace());
    let name = name.rsplit(['\\', '.', '/', ':']).find(|s| !s.is_empty() && *s != "php" && *s != "py" && *s != "js").unwrap_or(name);
    name
}

/// The text between a literal's delimiters (`f"..."`, `'...'`, `` `...` ``, `"""..."""`); other
/// text (an identifier key) is returned as it is.
fn literal_content(text: &str) -> &str {
    let prefix = text.find(['"', '\'', '`']).unwrap_or(usize::MAX);
    if prefix > 2 || !text[..prefix].chars().all(|c| c.is_ascii_alphabetic()) {
        return text;
    }
    let t = text[prefix..].trim_start_matches(['"', '\'', '`']);
    t.trim_end_matches(['"', '\'', '`'])
}

impl<'c> Matcher<'c> {
    pub fn new(catalog: &'c Catalog) -> Matcher<'c> {
        let mut camel = HashMap::new();
        let mut snake = HashMap::new();
        for (i, op) in catalog.operations.iter().enumerate() {
            camel.insert(op.name.as_str(), i);
            let s = snake_case(&op.name);
            if s != op.name {
                snake.insert(s, i);
            }
        }
        let getters = catalog.envelope_rules.iter().flat_map(|r| r.getters.iter().map(move |g| (g.as_str(), r.subject.as_str()))).collect();
        let envelope_by_subject = catalog.envelope_rules.iter().enumerate().map(|(i, r)| (r.subject.as_str(), i)).collect();
        let setup_by_subject = catalog.setup_rules.iter().enumerate().map(|(i, r)| (r.subject.as_str(), i)).collect();
        let setup_keys =
            catalog.setup_rules.iter().enumerate().flat_map(|(i, r)| r.keys.iter().map(move |k| (k.to_ascii_lowercase(), i))).collect();
        let ops = alternation(catalog.operations.iter().map(|o| o.name.as_str()));
        let op_url = Regex::new(&format!(r"/v1(?:\.(\d))?/({ops})(?:[^A-Za-z0-9_]|$)")).expect("operation URL pattern");
        let op_piece = Regex::new(&format!(r"(?:^|[^A-Za-z0-9_./-]|%s)(/?)({ops})(?:[?/#].*)?$")).expect("operation piece pattern");
        let v1_base = Regex::new(r"(?i)\bapi\.exavault\.com\b|[a-z0-9-]*\.(?:exavault|files)\.com/v1(?:\.\d)?(?:[^0-9a-z]|$)")
            .expect("base URL pattern");
        let http_host = Regex::new(r"(?i)https?://([a-z0-9.-]+)").expect("host pattern");
        let account_host = Regex::new(r"(?i)exavault\.com").expect("account host pattern");
        Matcher {
            catalog,
            camel,
            snake,
            getters,
            envelope_by_subject,
            setup_by_subject,
            setup_keys,
            op_url,
            op_piece,
            v1_base,
            account_host,
            http_host,
            v2_markers_lower: catalog.context.v2_markers.iter().map(|m| m.to_ascii_lowercase()).collect(),
        }
    }

    /// Resolves a rule into what a finding shows, for a language's SDK.
    pub fn view(&self, rule: RuleRef, sdk_language: &str) -> RuleView<'c> {
        let c = self.catalog;
        match rule {
            RuleRef::Operation(i) => {
                let op = &c.operations[i];
                RuleView {
                    id: &op.id,
                    name: &op.name,
                    kind: Kind::Call,
                    operation: Some(&op.name),
                    subject: &op.name,
                    message: format!(
                        "ExaVault v1.x call `{}`: {} On Files.com: {}.",
                        op.name,
                        op.summary,
                        op.filescom.rest.join(", then ")
                    ),
                    effort: &op.effort,
                    category: op.category,
                    rest: op.filescom.rest.clone(),
                    sdk: op.filescom.sdk.for_language(sdk_language),
                    docs_url: &op.filescom.docs_url,
                }
            }
            RuleRef::Envelope(i) => {
                let r = &c.envelope_rules[i];
                idiom_view(Kind::EnvelopeCheck, (&r.id, &r.name, &r.subject, &r.message), &r.filescom, &r.effort, r.category, sdk_language)
            }
            RuleRef::Setup(i) => {
                let r = &c.setup_rules[i];
                idiom_view(Kind::Setup, (&r.id, &r.name, &r.subject, &r.message), &r.filescom, &r.effort, r.category, sdk_language)
            }
        }
    }

    /// The rule data of a raw finding; calls of wrappers read as such.
    pub fn view_finding(&self, raw: &RawFinding, sdk_language: &str) -> RuleView<'c> {
        let mut view = self.view(raw.rule, sdk_language);
        if let (Some(wrapper), Some(op)) = (&raw.wrapper, view.operation) {
            view.kind = Kind::WrapperCall;
            view.message = format!(
                "Calls `{wrapper}`, this project's wrapper around ExaVault v1.x `{op}`: the call site changes when the wrapper moves to Files.com. {}",
                view.message
            );
        }
        view
    }

    fn op(&self, i: usize) -> &'c Operation {
        &self.catalog.operations[i]
    }

    fn method_operation(&self, lang: Lang, name: &str) -> Option<usize> {
        self.camel.get(name).copied().or_else(|| if lang == Lang::Python { self.snake.get(name).copied() } else { None })
    }

    /// Matches one file's facts. `out` receives raw findings in no particular order.
    pub fn match_file(&self, spec: &LanguageSpec, facts: &FileFacts, source: &[u8], out: &mut Vec<RawFinding>) {
        let text = |s: &Span| -> std::borrow::Cow<'_, str> { String::from_utf8_lossy(&source[s.range()]) };
        let markers = &self.catalog.context;
        let first_finding = out.len();
        let mut ctx = FileContext::default();

        // 1. What the file says about itself: imports, URLs, client classes, v2 markers.
        let mut generic_import = false;
        let mut generic_tag_import = false;
        for imp in &facts.imports {
            let module = text(&imp.name);
            let module = literal_content(&module);
            let whole = text(&imp.node);
            if markers.v2_markers.iter().any(|m| module.contains(m.as_str()) || (m.contains('\\') && module.starts_with(m.as_str())))
                || (spec.lang == Lang::Python && markers.v2_python_modules.iter().any(|m| module.split('.').next() == Some(m.as_str())))
            {
                ctx.v2 = true;
                continue;
            }
            if markers.v1_sdk_imports.iter().any(|m| module.contains(m.as_str()) || whole.contains(m.as_str())) {
                ctx.v1_import = true;
            } else if markers.generic_sdk_imports.iter().any(|m| module.contains(m.as_str())) {
                generic_import = true;
                if markers.distinctive_client_classes.iter().any(|c| whole.contains(c.as_str())) {
                    ctx.v1_import = true;
                } else if markers.v1_client_classes.iter().any(|c| last_segment(module) == c) {
                    generic_tag_import = true;
                }
            }
        }
        for s in &facts.strings {
            let t = text(s);
            if self.v1_base.is_match(&t) {
                ctx.v1_url = true;
            }
            if let Some(c) = self.op_url.captures(&t) {
                let op = self.op(self.camel[&c[2]]);
                if !op.common_name || self.v1_base.is_match(&t) {
                    ctx.v1_path = true;
                }
            }
            if t.contains("/v1.2") {
                ctx.saw_v1_2 = true;
            } else if t.contains("/v1/") || t.ends_with("/v1'") || t.ends_with("/v1\"") || t.contains("api.exavault.com") {
                ctx.saw_v1 = true;
            }
            if !ctx.v2 {
                let lower = t.to_ascii_lowercase();
                if self.v2_markers_lower.iter().any(|m| lower.contains(m.as_str())) {
                    ctx.v2 = true;
                }
            }
            for host in self.http_host.captures_iter(&t) {
                let h = host[1].to_ascii_lowercase();
                if !h.contains("exavault") && !h.contains("files.com") && !h.is_empty() {
                    ctx.other_host = true;
                }
            }
        }
        let mut transport_news = Vec::new();
        for new in &facts.news {
            let class_text = text(&new.name);
            let class = last_segment(&class_text);
            let whole = text(&new.node);
            let qualifier = whole.split('(').next().unwrap_or("");
            if markers.distinctive_client_classes.iter().any(|c| c == class) {
                ctx.v1_client = true;
                ctx.client_news.push(new.node.bytes);
                if markers.v1_generation_classes.iter().any(|c| c == class) {
                    ctx.saw_v1 = true;
                }
            } else if markers.v1_client_classes.iter().any(|c| c == class) {
                // A generated `<Tag>Api` is ExaVault's only with more to go on: an ExaVault SDK
                // namespace, or a generic generated-client package in a file that talks to no
                // other host. ExaVault v2 reuses both the tag names and the `ExaVaultApi` global.
                let strong =
                    ctx.v1_import || ctx.v1_url || ctx.v1_path || markers.v1_sdk_imports.iter().any(|m| qualifier.contains(m.as_str()));
                let generic = markers.sdk_globals.iter().any(|g| qualifier.contains(g.as_str()))
                    || generic_import
                    || markers.generic_sdk_imports.iter().any(|m| qualifier.contains(m.as_str()));
                if strong || (generic && !ctx.v2 && !ctx.other_host) {
                    ctx.v1_client = true;
                    ctx.client_news.push(new.node.bytes);
                }
            } else if markers.transport_client_classes.iter().any(|c| c == class) {
                transport_news.push(new.node.bytes);
            }
        }
        if generic_tag_import && !ctx.v2 && !ctx.other_host {
            ctx.v1_import = true;
        }
        if ctx.v1_client || ctx.v1_url || ctx.v1_import {
            ctx.client_news.extend(transport_news.iter().copied());
            if !transport_news.is_empty() {
                ctx.v1_client = true;
            }
        }
        if ctx.is_v2_only() {
            return;
        }
        let inside_client_new = |bytes: (usize, usize)| ctx.client_news.iter().any(|&(a, b)| a >= bytes.0 && b <= bytes.1);
        let mut client_vars = HashSet::new();
        for assign in &facts.assigns {
            if inside_client_new(assign.right.bytes) {
                let left = std::str::from_utf8(&source[assign.left.range()]).unwrap_or("");
                client_vars.insert(left);
            }
        }
        ctx.client_vars = client_vars;
        // Variables that hold an object of another class (`$repo = new UserRepository()`).
        let other_news: Vec<(usize, usize)> = facts.news.iter().map(|n| n.node.bytes).filter(|b| !ctx.client_news.contains(b)).collect();
        let assigned_other: HashSet<&str> = facts
            .assigns
            .iter()
            .filter(|a| other_news.iter().any(|&(x, y)| x == a.right.bytes.0 && y == a.right.bytes.1))
            .map(|a| std::str::from_utf8(&source[a.left.range()]).unwrap_or(""))
            .filter(|left| !ctx.client_vars.contains(left))
            .collect();
        let version = ctx.version();
        let self_receivers = spec.self_receivers;

        // 2. Setup: client construction and imports.
        if let Some(&rule) = self.setup_by_subject.get("sdk_client") {
            for &bytes in &ctx.client_news {
                out.push(RawFinding {
                    rule: RuleRef::Setup(rule),
                    bytes,
                    api_version: version,
                    confidence: Confidence::High,
                    evidence: vec![Evidence::ClientConstructed],
                    wrapper: None,
                });
            }
        }
        if let Some(&rule) = self.setup_by_subject.get("sdk_import") {
            if ctx.has_v1() {
                for imp in &facts.imports {
                    let module = text(&imp.name);
                    let module = literal_content(&module);
                    let is_sdk = markers.v1_sdk_imports.iter().any(|m| module.contains(m.as_str()) || text(&imp.node).contains(m.as_str()))
                        || ((ctx.has_sdk() || ctx.v1_url)
                            && markers
                                .generic_sdk_imports
                                .iter()
                                .chain(&markers.transport_client_classes)
                                .any(|m| module.contains(m.as_str())));
                    if is_sdk {
                        out.push(RawFinding {
                            rule: RuleRef::Setup(rule),
                            bytes: imp.node.bytes,
                            api_version: version,
                            confidence: Confidence::High,
                            evidence: vec![Evidence::SdkImport],
                            wrapper: None,
                        });
                    }
                }
            }
        }

        // 3. Calls of operations through an SDK.
        let mut consumed_getter_calls: HashSet<usize> = HashSet::new();
        for call in &facts.calls {
            let name = text(&call.name);
            let Some(op_index) = self.method_operation(spec.lang, &name) else {
                continue;
            };
            consumed_getter_calls.insert(call.node.id);
            let op = self.op(op_index);
            let receiver = text(&call.receiver);
            let receiver_is_client = ctx.client_vars.contains(receiver.as_ref()) || inside_client_new(call.receiver.bytes);
            if !receiver_is_client && self_receivers.contains(&receiver.as_ref()) {
                continue; // the project's own method of the same name
            }
            let vendored_only = op.availability != Availability::AllSdks;
            if vendored_only && !receiver_is_client && !ctx.has_sdk() {
                continue; // no published Python/PHP/JS SDK has it: only a vendored client would
            }
            let (confidence, evidence) = if receiver_is_client {
                (Confidence::High, vec![Evidence::ReceiverIsClient])
            } else if ctx.has_sdk() {
                let conf = if vendored_only {
                    Confidence::Medium
                } else if !op.common_name {
                    Confidence::High
                } else if assigned_other.contains(receiver.as_ref()) {
                    // The receiver holds something else we saw assigned: a look-alike method.
                    Confidence::Low
                } else {
                    Confidence::Medium
                };
                (conf, ctx.sdk_evidence())
            } else if ctx.v1_url || ctx.v1_path {
                (Confidence::Medium, ctx.sdk_evidence())
            } else if op.common_name {
                (Confidence::Low, vec![Evidence::NameOnly])
            } else if ctx.other_host {
                (Confidence::Low, vec![Evidence::NameOnly, Evidence::OtherApiHost])
            } else {
                (Confidence::Medium, vec![Evidence::NameOnly])
            };
            out.push(RawFinding {
                rule: RuleRef::Operation(op_index),
                bytes: (call.name.bytes.0, call.node.bytes.1),
                api_version: version,
                confidence,
                evidence,
                wrapper: None,
            });
        }

        // 4. Literals: raw HTTP operation URLs, base URLs, header and parameter names.
        // Keys of field reads (`$r['results']['access_token']`) read a response: not setup.
        let read_keys: HashSet<usize> = facts
            .accesses
            .iter()
            .filter(|a| a.is_read && literal_content(&text(&a.key)).chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .map(|a| a.key.id)
            .collect();
        for s in &facts.strings {
            let t = text(s);
            let content = literal_content(&t);
            let mut names_operation = false;
            if let Some(c) = self.op_url.captures(&t) {
                let op_index = self.camel[&c[2]];
                let op = self.op(op_index);
                let api_version = if c.get(1).is_some_and(|m| m.as_str() == "2") { ApiVersion::V1_2 } else { ApiVersion::V1 };
                let (confidence, evidence) = if self.v1_base.is_match(&t) {
                    (Confidence::High, vec![Evidence::V1UrlLiteral])
                } else if ctx.v1_url {
                    (Confidence::High, vec![Evidence::V1PathLiteral, Evidence::V1BaseUrlInFile])
                } else if ctx.has_sdk() {
                    (Confidence::High, vec![Evidence::V1PathLiteral, Evidence::SdkImport])
                } else if op.common_name && ctx.other_host {
                    (Confidence::Low, vec![Evidence::V1PathLiteral, Evidence::OtherApiHost])
                } else {
                    (Confidence::Medium, vec![Evidence::V1PathLiteral])
                };
                out.push(RawFinding {
                    rule: RuleRef::Operation(op_index),
                    bytes: s.bytes,
                    api_version,
                    confidence,
                    evidence,
                    wrapper: None,
                });
                names_operation = true;
            } else if ctx.has_v1() {
                if let Some(c) = self.op_piece.captures(content) {
                    let op_index = self.camel[&c[2]];
                    let slash = !c[1].is_empty();
                    let op = self.op(op_index);
                    // A bare lower-case word ("upload") is too common a value to be an operation unless it is a path.
                    if slash || op.name.chars().any(|ch| ch.is_ascii_uppercase()) {
                        let (confidence, mut evidence) = if ctx.v1_url {
                            (Confidence::High, vec![Evidence::V1BaseUrlInFile])
                        } else {
                            (Confidence::Medium, ctx.sdk_evidence())
                        };
                        if evidence.is_empty() {
                            evidence.push(Evidence::V1PathLiteral);
                        }
                        out.push(RawFinding {
                            rule: RuleRef::Operation(op_index),
                            bytes: s.bytes,
                            api_version: version,
                            confidence,
                            evidence,
                            wrapper: None,
                        });
                        names_operation = true;
                    }
                }
            }
            let base = self.v1_base.is_match(&t) || (ctx.has_v1() && self.account_host.is_match(&t));
            if !names_operation && base {
                if let Some(&rule) = self.setup_by_subject.get("base_url") {
                    let api_version = if t.contains("/v1.2") {
                        ApiVersion::V1_2
                    } else if t.contains("/v1") || t.contains("api.exavault.com") {
                        ApiVersion::V1
                    } else {
                        version
                    };
                    out.push(RawFinding {
                        rule: RuleRef::Setup(rule),
                        bytes: s.bytes,
                        api_version,
                        confidence: Confidence::High,
                        evidence: vec![Evidence::V1UrlLiteral],
                        wrapper: None,
                    });
                }
                continue;
            }
            if !ctx.has_v1() || read_keys.contains(&s.id) {
                continue;
            }
            if let Some(rule) = self.setup_key_rule(content) {
                out.push(RawFinding {
                    rule: RuleRef::Setup(rule),
                    bytes: s.bytes,
                    api_version: version,
                    confidence: ctx.context_confidence(),
                    evidence: ctx.sdk_evidence(),
                    wrapper: None,
                });
            }
        }
        if ctx.has_v1() {
            for key in &facts.keys {
                if let Some(rule) = self.setup_key_rule(&text(key)) {
                    out.push(RawFinding {
                        rule: RuleRef::Setup(rule),
                        bytes: key.bytes,
                        api_version: version,
                        confidence: ctx.context_confidence(),
                        evidence: ctx.sdk_evidence(),
                        wrapper: None,
                    });
                }
            }
        }

        // 5. Calls of the project's own wrappers around one operation: they change with it.
        self.match_wrapper_calls(spec, facts, source, version, first_finding, out);

        // 6. Envelope reads, only where the file is ExaVault v1.x code.
        if !ctx.has_v1() {
            return;
        }
        struct Accessor<'a> {
            node: Span,
            object: Span,
            subject: &'a str,
            skip: bool,
            /// Read with a string key (`x['code']`), the array / dict style of the v1.2 SDKs.
            keyed: bool,
        }
        let mut accessors: Vec<Accessor> = Vec::new();
        for call in &facts.calls {
            if consumed_getter_calls.contains(&call.node.id) {
                continue;
            }
            if let Some(subject) = self.getters.get(text(&call.name).as_ref()) {
                accessors.push(Accessor { node: call.node, object: call.receiver, subject, skip: false, keyed: false });
            }
        }
        for acc in &facts.accesses {
            let key = text(&acc.key);
            let key = literal_content(&key);
            let subject = match key {
                "success" => "success",
                "error" => "error",
                "results" => "results",
                "code" => "code",
                "message" => "message",
                _ => continue,
            };
            let keyed = key.len() != text(&acc.key).len();
            accessors.push(Accessor { node: acc.node, object: acc.object, subject, skip: !acc.is_read, keyed });
        }
        let by_id: HashMap<usize, usize> = accessors.iter().enumerate().map(|(i, a)| (a.node.id, i)).collect();
        let mut consumed: HashSet<usize> = HashSet::new();
        let emit = |subject: &str, node: Span, out: &mut Vec<RawFinding>| {
            if let Some(&rule) = self.envelope_by_subject.get(subject) {
                out.push(RawFinding {
                    rule: RuleRef::Envelope(rule),
                    bytes: node.bytes,
                    api_version: version,
                    confidence: ctx.context_confidence(),
                    evidence: ctx.sdk_evidence(),
                    wrapper: None,
                });
            }
        };
        for a in &accessors {
            if a.subject != "code" && a.subject != "message" {
                continue;
            }
            let subject = if a.subject == "code" { "error.code" } else { "error.message" };
            if let Some(&inner) = by_id.get(&a.object.id) {
                if accessors[inner].subject == "error" {
                    consumed.insert(a.object.id);
                    if !a.skip {
                        emit(subject, a.node, out);
                    }
                }
            } else if a.keyed
                && !a.skip
                && self.catalog.context.error_parameter_names.iter().any(|n| n == text(&a.object).trim_start_matches('$'))
            {
                // The error object handed to a helper (`function fail($error) { ... $error['code'] }`):
                // keyed access is the v1.2 SDKs' array/dict error, not an exception's attribute.
                emit(subject, a.node, out);
            }
        }
        for a in &accessors {
            if a.skip || consumed.contains(&a.node.id) || !matches!(a.subject, "success" | "error" | "results") {
                continue;
            }
            let object = text(&a.object);
            if self_receivers.contains(&object.as_ref()) {
                continue;
            }
            emit(a.subject, a.node, out);
        }

        // A success flag copied into a variable (`$ok = $r['success']`) and tested later.
        let success_reads: Vec<(usize, usize)> =
            accessors.iter().filter(|a| a.subject == "success" && !a.skip).map(|a| a.node.bytes).collect();
        let within = |inner: (usize, usize), outer: (usize, usize)| inner.0 >= outer.0 && inner.1 <= outer.1;
        let flags: HashSet<&str> = facts
            .assigns
            .iter()
            .filter(|asg| success_reads.iter().any(|&r| within(r, asg.right.bytes)))
            .map(|asg| std::str::from_utf8(&source[asg.left.range()]).unwrap_or(""))
            .filter(|left| !left.is_empty())
            .collect();
        for cond in &facts.conditions {
            if success_reads.iter().any(|&r| within(r, cond.bytes)) {
                continue; // the read itself is in the condition and already reported
            }
            let cond_text = &source[cond.range()];
            if let Some(at) = flags.iter().filter_map(|flag| find_token(cond_text, flag.as_bytes())).min() {
                let flag_len = flags.iter().find(|f| find_token(cond_text, f.as_bytes()) == Some(at)).map_or(0, |f| f.len());
                let start = cond.bytes.0 + at;
                emit("success", Span { id: cond.id, bytes: (start, start + flag_len), row: cond.row }, out);
            }
        }
    }

    /// Reports calls of functions defined in this file that wrap exactly one v1.x operation
    /// (`function listFolder($p) { return $this->api->getResourceList(...); }`), at low
    /// confidence: the migration plan then shows every call site that changes with the wrapper.
    fn match_wrapper_calls(
        &self,
        spec: &LanguageSpec,
        facts: &FileFacts,
        source: &[u8],
        version: ApiVersion,
        first: usize,
        out: &mut Vec<RawFinding>,
    ) {
        let ops: Vec<((usize, usize), usize)> = out[first..]
            .iter()
            .filter(|r| r.confidence >= Confidence::Medium)
            .filter_map(|r| match r.rule {
                RuleRef::Operation(i) => Some((r.bytes, i)),
                _ => None,
            })
            .collect();
        if ops.is_empty() {
            return;
        }
        let text = |s: &Span| std::str::from_utf8(&source[s.range()]).unwrap_or("");
        let mut wrappers: HashMap<&str, (usize, (usize, usize))> = HashMap::new();
        for f in &facts.functions {
            let (a, b) = f.node.bytes;
            let mut inside = ops.iter().filter(|((x, y), _)| *x >= a && *y <= b).map(|(_, op)| *op);
            let Some(op) = inside.next() else { continue };
            if inside.all(|other| other == op) {
                wrappers.entry(text(&f.name)).or_insert((op, f.node.bytes));
            }
        }
        if wrappers.is_empty() {
            return;
        }
        let member_calls = facts.calls.iter().map(|c| (c.node, c.name, Some(c.receiver)));
        let plain_calls = facts.plain_calls.iter().map(|c| (c.node, c.name, None));
        for (node, name, receiver) in member_calls.chain(plain_calls) {
            let name_text = text(&name);
            let Some(&(op, (a, b))) = wrappers.get(name_text) else { continue };
            if node.bytes.0 >= a && node.bytes.1 <= b {
                continue; // recursion inside the wrapper itself
            }
            if let Some(receiver) = receiver {
                let on_self = spec.self_receivers.contains(&text(&receiver));
                if self.method_operation(spec.lang, name_text).is_some() && !on_self {
                    continue; // already a call of the operation itself
                }
            }
            out.push(RawFinding {
                rule: RuleRef::Operation(op),
                bytes: (name.bytes.0, node.bytes.1),
                api_version: version,
                confidence: Confidence::Low,
                evidence: vec![Evidence::WrapsOperation],
                wrapper: Some(name_text.to_string()),
            });
        }
    }

    fn setup_key_rule(&self, content: &str) -> Option<usize> {
        let lower = content.trim().to_ascii_lowercase();
        for (key, rule) in &self.setup_keys {
            if lower == *key
                || lower.starts_with(&format!("{key}:"))
                || lower.contains(&format!("?{key}="))
                || lower.contains(&format!("&{key}="))
            {
                return Some(*rule);
            }
        }
        None
    }
}
