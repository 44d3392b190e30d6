//! Content-based line fingerprints, computed the way GitHub's SARIF upload computes
//! `primaryLocationLineHash`: a rolling hash (base 37, wrapping 64-bit) over the next 100
//! characters that are not spaces or tabs, starting at each line, with CR/CRLF read as LF, and an
//! occurrence counter for identical hashes in one file. Because it depends on content, not on line
//! numbers, an alert keeps its identity when lines are inserted above it.

const BLOCK: usize = 100;
const BASE: u64 = 37;
const END_OF_FILE: u64 = 65535;

use std::collections::HashMap;

struct RollingHasher {
    first_mod: u64,
    window: [u64; BLOCK],
    line_numbers: [usize; BLOCK],
    hash: u64,
    index: usize,
    line_number: usize,
    line_start: bool,
    prev_cr: bool,
    counts: HashMap<u64, usize>,
    out: Vec<String>,
}

impl RollingHasher {
    fn new() -> RollingHasher {
        RollingHasher {
            first_mod: (0..BLOCK).fold(1u64, |acc, _| acc.wrapping_mul(BASE)),
            window: [0; BLOCK],
            line_numbers: [usize::MAX; BLOCK],
            hash: 0,
            index: 0,
            line_number: 0,
            line_start: true,
            prev_cr: false,
            counts: HashMap::new(),
            out: Vec::new(),
        }
    }

    fn emit(&mut self) {
        let line = self.line_numbers[self.index];
        let n = self.counts.entry(self.hash).or_insert(0);
        *n += 1;
        if self.out.len() < line {
            self.out.resize(line, String::new());
        }
        self.out[line - 1] = format!("{:x}:{}", self.hash, n);
        self.line_numbers[self.index] = usize::MAX;
    }

    fn update(&mut self, current: u64) {
        let begin = self.window[self.index];
        self.window[self.index] = current;
        self.hash = BASE.wrapping_mul(self.hash).wrapping_add(current).wrapping_sub(self.first_mod.wrapping_mul(begin));
        self.index = (self.index + 1) % BLOCK;
    }

    fn process(&mut self, current: u64) {
        const SPACE: u64 = b' ' as u64;
        const TAB: u64 = b'\t' as u64;
        const LF: u64 = b'\n' as u64;
        const CR: u64 = b'\r' as u64;
        if current == SPACE || current == TAB || (self.prev_cr && current == LF) {
            self.prev_cr = false;
            return;
        }
        let current = if current == CR {
            self.prev_cr = true;
            LF
        } else {
            self.prev_cr = false;
            current
        };
        if self.line_numbers[self.index] != usize::MAX {
            self.emit();
        }
        if self.line_start {
            self.line_start = false;
            self.line_number += 1;
            self.line_numbers[self.index] = self.line_number;
        }
        if current == LF {
            self.line_start = true;
        }
        self.update(current);
    }

    fn finish(mut self) -> Vec<String> {
        self.process(END_OF_FILE);
        for _ in 0..BLOCK {
            if self.line_numbers[self.index] != usize::MAX {
                self.emit();
            }
            self.update(0);
        }
        self.out
    }
}

/// The fingerprint (`<hex>:<n>`) of every line of a file; index 0 is line 1.
pub fn line_hashes(text: &str) -> Vec<String> {
    let mut hasher = RollingHasher::new();
    for unit in text.encode_utf16() {
        hasher.process(u64::from(unit));
    }
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_lines_get_counted_occurrences() {
        let h = line_hashes("x\nx\n");
        assert_eq!(h.len(), 3);
        assert!(h[0].ends_with(":1"));
        assert_ne!(h[0], h[1]);
    }

    #[test]
    fn inserting_lines_above_keeps_the_hash_of_a_line() {
        let before = line_hashes("a();\n$api->getUser($t);\nb();\n");
        let after = line_hashes("inserted();\nmore();\na();\n$api->getUser($t);\nb();\n");
        assert_eq!(before[1], after[3]);
    }

    #[test]
    fn whitespace_and_line_endings_do_not_change_hashes() {
        let a = line_hashes("foo(1);\r\nbar(2);\r\n");
        let b = line_hashes("  foo(1);\n\tbar(2);\n");
        assert_eq!(a, b);
    }
}
