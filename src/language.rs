//! Stage 2 of the pipeline: which language a file is written in, and the per-language facts the
//! generic matcher needs (grammar, queries, the names of `this`). One table; adding a language
//! means one entry here and a `queries/<language>/` folder.

use std::path::Path;

use serde::Serialize;
use tree_sitter::Language;

include!(concat!(env!("OUT_DIR"), "/query_files.rs"));

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Php,
    Python,
    JavaScript,
    TypeScript,
    Tsx,
}

pub struct LanguageSpec {
    pub lang: Lang,
    /// The name users type in `--lang` and see in reports.
    pub name: &'static str,
    /// The folder under `queries/` holding this language's queries.
    pub query_dir: &'static str,
    /// Which Files.com SDK replaces calls in this language.
    pub sdk_language: &'static str,
    pub extensions: &'static [&'static str],
    pub grammar: fn() -> Language,
    /// Receivers that mean "this object": calls on them are the project's own methods.
    pub self_receivers: &'static [&'static str],
    /// Node kinds of assignments, whose left side is written, not read.
    pub assignment_kinds: &'static [&'static str],
}

pub static LANGUAGES: &[LanguageSpec] = &[
    LanguageSpec {
        lang: Lang::Php,
        name: "php",
        query_dir: "php",
        sdk_language: "php",
        extensions: &["php", "phtml", "php3", "php4", "php5", "php7", "phps", "inc"],
        grammar: || tree_sitter_php::LANGUAGE_PHP.into(),
        self_receivers: &["$this", "self", "static", "parent"],
        assignment_kinds: &["assignment_expression", "augmented_assignment_expression"],
    },
    LanguageSpec {
        lang: Lang::Python,
        name: "python",
        query_dir: "python",
        sdk_language: "python",
        extensions: &["py", "pyw", "pyi"],
        grammar: || tree_sitter_python::LANGUAGE.into(),
        self_receivers: &["self", "cls", "super()"],
        assignment_kinds: &["assignment", "augmented_assignment"],
    },
    LanguageSpec {
        lang: Lang::JavaScript,
        name: "javascript",
        query_dir: "javascript",
        sdk_language: "javascript",
        extensions: &["js", "mjs", "cjs", "jsx"],
        grammar: || tree_sitter_javascript::LANGUAGE.into(),
        self_receivers: &["this", "super"],
        assignment_kinds: &["assignment_expression", "augmented_assignment_expression"],
    },
    LanguageSpec {
        lang: Lang::TypeScript,
        name: "typescript",
        query_dir: "typescript",
        sdk_language: "javascript",
        extensions: &["ts", "mts", "cts"],
        grammar: || tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
        self_receivers: &["this", "super"],
        assignment_kinds: &["assignment_expression", "augmented_assignment_expression"],
    },
    LanguageSpec {
        lang: Lang::Tsx,
        name: "typescript",
        query_dir: "typescript",
        sdk_language: "javascript",
        extensions: &["tsx"],
        grammar: || tree_sitter_typescript::LANGUAGE_TSX.into(),
        self_receivers: &["this", "super"],
        assignment_kinds: &["assignment_expression", "augmented_assignment_expression"],
    },
];

impl Lang {
    pub fn spec(self) -> &'static LanguageSpec {
        LANGUAGES.iter().find(|s| s.lang == self).expect("every Lang has a spec")
    }

    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// The language of a path, by extension (`.d.ts` is TypeScript too).
    pub fn detect(path: &Path) -> Option<Lang> {
        let ext = path.extension()?.to_str()?;
        LANGUAGES.iter().find(|s| s.extensions.iter().any(|e| e.eq_ignore_ascii_case(ext))).map(|s| s.lang)
    }
}

/// Names accepted by `--lang`.
pub fn language_names() -> Vec<&'static str> {
    let mut names: Vec<_> = LANGUAGES.iter().map(|s| s.name).collect();
    names.dedup();
    names
}

/// `(file name, source)` of every query file of a language, in file-name order.
pub fn query_files(spec: &LanguageSpec) -> impl Iterator<Item = (&'static str, &'static str)> + '_ {
    QUERY_FILES.iter().filter(|(dir, _, _)| *dir == spec.query_dir).map(|(_, file, src)| (*file, *src))
}

/// The concatenated query source for a language.
pub fn query_source(spec: &LanguageSpec) -> String {
    query_files(spec).map(|(_, src)| src).collect::<Vec<_>>().join("\n")
}
