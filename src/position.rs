//! Byte offsets to what people and tools count: 1-based lines, columns in characters (text and
//! JSON) and in UTF-16 code units (SARIF), and short snippets. Invalid UTF-8 counts one column
//! per undecodable byte, so Latin-1 files keep the columns an editor shows.
//!
//! Every lookup costs at most one checkpoint interval of counting, however long the line: a
//! minified one-line file with thousands of findings stays linear.

/// Distance in bytes between two column checkpoints.
const CHECKPOINT: usize = 1024;

/// Start offsets of every line of a file. `\n`, `\r\n` and a lone `\r` all end a line.
pub struct LineIndex {
    starts: Vec<usize>,
    len: usize,
    /// `(offset, characters, UTF-16 units)` counted from the start of the file, at character
    /// boundaries about every [`CHECKPOINT`] bytes, starting with `(0, 0, 0)`.
    checkpoints: Vec<(usize, usize, usize)>,
}

impl LineIndex {
    pub fn new(text: &[u8]) -> LineIndex {
        let mut starts = vec![0];
        let mut i = 0;
        while i < text.len() {
            match text[i] {
                b'\n' => starts.push(i + 1),
                b'\r' if text.get(i + 1) != Some(&b'\n') => starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        LineIndex { starts, len: text.len(), checkpoints: checkpoints(text) }
    }

    /// Number of lines (a file without a line break has one; an empty file too).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// Characters and UTF-16 units from the start of the file to `offset`.
    fn cumulative(&self, text: &[u8], offset: usize) -> (usize, usize) {
        let at = self.checkpoints.partition_point(|&(o, _, _)| o <= offset) - 1;
        let (from, chars, units) = self.checkpoints[at];
        let (c, u) = count_columns(&text[from..offset]);
        (chars + c, units + u)
    }

    /// 0-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    pub fn line_start(&self, line: usize) -> usize {
        self.starts[line]
    }

    /// End of a line's content (before its line break).
    pub fn line_end(&self, text: &[u8], line: usize) -> usize {
        let mut end = self.starts.get(line + 1).copied().unwrap_or(self.len);
        while end > self.starts[line] && matches!(text[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        end
    }
}

/// Characters and UTF-16 code units in a run of bytes, decoding lossily: every byte that is not
/// part of a valid UTF-8 character counts as one character (one U+FFFD, one UTF-16 unit).
pub fn count_columns(bytes: &[u8]) -> (usize, usize) {
    if bytes.is_ascii() {
        return (bytes.len(), bytes.len());
    }
    let mut counts = (0, 0);
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            counts = (counts.0 + 1, counts.1 + c.len_utf16());
        }
        counts = (counts.0 + chunk.invalid().len(), counts.1 + chunk.invalid().len());
    }
    counts
}

/// Column checkpoints of a text, placed at the first character boundary after every
/// [`CHECKPOINT`] bytes (boundaries as [`count_columns`] decodes the whole text).
fn checkpoints(text: &[u8]) -> Vec<(usize, usize, usize)> {
    let mut out = vec![(0, 0, 0)];
    if text.len() <= CHECKPOINT {
        return out;
    }
    let (mut offset, mut chars, mut units) = (0, 0, 0);
    let mut next = CHECKPOINT;
    let mut mark = |offset: usize, chars: usize, units: usize, next: &mut usize| {
        if offset >= *next {
            out.push((offset, chars, units));
            *next = offset + CHECKPOINT;
        }
    };
    for chunk in text.utf8_chunks() {
        let valid = chunk.valid();
        if valid.is_ascii() {
            // Fast path: place checkpoints arithmetically inside an ASCII run.
            let end = offset + valid.len();
            while next < end {
                let at = next;
                mark(at, chars + (at - offset), units + (at - offset), &mut next);
            }
            chars += valid.len();
            units += valid.len();
            offset = end;
        } else {
            for c in valid.chars() {
                offset += c.len_utf8();
                chars += 1;
                units += c.len_utf16();
                mark(offset, chars, units, &mut next);
            }
        }
        for _ in chunk.invalid() {
            offset += 1;
            chars += 1;
            units += 1;
            mark(offset, chars, units, &mut next);
        }
    }
    out
}

/// A resolved position: 1-based line and columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
    pub utf16_column: usize,
}

/// The position of a byte offset (clamped to the text). `index` must be built from `text`.
pub fn position(text: &[u8], index: &LineIndex, offset: usize) -> Position {
    let offset = offset.min(text.len());
    let line = index.line_of(offset);
    let start = index.line_start(line);
    let (chars, units) = if offset - start <= CHECKPOINT {
        count_columns(&text[start..offset])
    } else {
        let (c0, u0) = index.cumulative(text, start);
        let (c1, u1) = index.cumulative(text, offset);
        (c1.saturating_sub(c0), u1.saturating_sub(u0))
    };
    Position { line: line + 1, column: chars + 1, utf16_column: units + 1 }
}

/// Longest snippet line kept whole; longer lines (minified code) are cut around the finding.
const MAX_SNIPPET_LINE: usize = 240;
const MAX_SNIPPET_LINES: usize = 5;

/// The source lines of a span (at most five, long lines cut around the span) and the span's
/// byte offsets inside that snippet.
pub fn snippet(text: &[u8], index: &LineIndex, start: usize, end: usize) -> (String, (usize, usize)) {
    let start = start.min(text.len());
    let end = end.clamp(start, text.len());
    let first = index.line_of(start);
    let last = index.line_of(end).min(first + MAX_SNIPPET_LINES - 1);
    let from = index.line_start(first);
    // A span may start on a line break, after the line's content.
    let to = index.line_end(text, last).max(start);
    let (lo, hi) = if to - from <= MAX_SNIPPET_LINE * MAX_SNIPPET_LINES && index.line_end(text, first) - from <= MAX_SNIPPET_LINE {
        (from, to)
    } else {
        // One long line: keep a window around the span, on character boundaries.
        let line_end = index.line_end(text, first).max(start);
        let lo = floor_char(text, start.saturating_sub(80).max(from));
        let hi = floor_char(text, (start + MAX_SNIPPET_LINE).max(end).min(start + 2 * MAX_SNIPPET_LINE).min(line_end)).max(start);
        (lo, hi)
    };
    let span = (start.max(lo), end.clamp(start, hi));
    // Built piece by piece, so the span's offsets stay right whatever the normalisation does.
    let mut out = String::from(if lo > from { "…" } else { "" });
    out.push_str(&snippet_text(&text[lo..span.0]));
    let span_start = out.len();
    out.push_str(&snippet_text(&text[span.0..span.1]));
    let span_end = out.len();
    out.push_str(&snippet_text(&text[span.1..hi]));
    if hi < index.line_end(text, index.line_of(hi)) {
        out.push('…');
    }
    (out, (span_start, span_end))
}

/// Snippet text: lossy UTF-8, with CRLF and lone CR line endings read as LF.
fn snippet_text(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.into_owned()
    }
}

/// Moves an offset back to the start of a UTF-8 character (at most three bytes: a run of stray
/// continuation bytes in a legacy-encoded file is not walked through).
fn floor_char(text: &[u8], mut offset: usize) -> usize {
    let mut steps = 0;
    while steps < 3 && offset > 0 && offset < text.len() && (text[offset] & 0b1100_0000) == 0b1000_0000 {
        offset -= 1;
        steps += 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_and_utf16_units() {
        let text = "é = \"😀\"; $api->getUser()".as_bytes();
        let index = LineIndex::new(text);
        let at = text.windows(7).position(|w| w == b"getUser").unwrap();
        let p = position(text, &index, at);
        assert_eq!(p.line, 1);
        assert_eq!(p.column, 16);
        assert_eq!(p.utf16_column, 17);
    }

    #[test]
    fn latin1_bytes_count_one_column_each() {
        let text = b"$caf\xe9 = $api->getUser();";
        let index = LineIndex::new(text);
        let at = text.windows(7).position(|w| w == b"getUser").unwrap();
        assert_eq!(position(text, &index, at).column, at + 1);
    }

    #[test]
    fn crlf_and_lone_cr_end_lines() {
        let text = b"a\r\nb\rc\nd";
        let index = LineIndex::new(text);
        assert_eq!(position(text, &index, 3).line, 2);
        assert_eq!(position(text, &index, 5).line, 3);
        assert_eq!(position(text, &index, 7).line, 4);
    }

    #[test]
    fn snippet_marks_the_span() {
        let text = b"one\n  $api->getUser($t);\nthree";
        let index = LineIndex::new(text);
        let start = 12;
        let (s, (a, b)) = snippet(text, &index, start, start + 7);
        assert_eq!(s, "  $api->getUser($t);");
        assert_eq!(&s[a..b], "getUser");
    }

    #[test]
    fn long_lines_are_cut_around_the_span() {
        let mut text = vec![b'x'; 10_000];
        text.extend_from_slice(b"api.getResourceList(t)");
        text.extend(vec![b'y'; 10_000]);
        let index = LineIndex::new(&text);
        let (s, (a, b)) = snippet(&text, &index, 10_004, 10_019);
        assert!(s.len() < 700);
        assert_eq!(&s[a..b], "getResourceList");
    }
}
