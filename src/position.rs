//! Byte offsets to what people and tools count: 1-based lines, columns in characters (text and
//! JSON) and in UTF-16 code units (SARIF), and short snippets. Invalid UTF-8 counts one column
//! per undecodable byte, so Latin-1 files keep the columns an editor shows.

/// Start offsets of every line of a file. `\n`, `\r\n` and a lone `\r` all end a line.
pub struct LineIndex {
    starts: Vec<usize>,
    len: usize,
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
        LineIndex { starts, len: text.len() }
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

/// Characters and UTF-16 code units in a run of bytes, decoding lossily.
pub fn count_columns(bytes: &[u8]) -> (usize, usize) {
    if bytes.is_ascii() {
        return (bytes.len(), bytes.len());
    }
    let text = String::from_utf8_lossy(bytes);
    text.chars().fold((0, 0), |(chars, units), c| (chars + 1, units + c.len_utf16()))
}

/// A resolved position: 1-based line and columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
    pub utf16_column: usize,
}

pub fn position(text: &[u8], index: &LineIndex, offset: usize) -> Position {
    let offset = offset.min(text.len());
    let line = index.line_of(offset);
    let (chars, units) = count_columns(&text[index.line_start(line)..offset]);
    Position { line: line + 1, column: chars + 1, utf16_column: units + 1 }
}

/// Longest snippet line kept whole; longer lines (minified code) are cut around the finding.
const MAX_SNIPPET_LINE: usize = 240;
const MAX_SNIPPET_LINES: usize = 5;

/// The source lines of a span (at most five, long lines cut around the span) and the span's
/// byte offsets inside that snippet.
pub fn snippet(text: &[u8], index: &LineIndex, start: usize, end: usize) -> (String, (usize, usize)) {
    let first = index.line_of(start);
    let last = index.line_of(end.max(start)).min(first + MAX_SNIPPET_LINES - 1);
    let from = index.line_start(first);
    let to = index.line_end(text, last);
    if to - from <= MAX_SNIPPET_LINE * MAX_SNIPPET_LINES && index.line_end(text, first) - from <= MAX_SNIPPET_LINE {
        let raw = &text[from..to];
        let mut out = String::from_utf8_lossy(&text[from..start.max(from)]).into_owned();
        let span_start = out.len();
        out.push_str(&String::from_utf8_lossy(&text[start.max(from)..end.clamp(start, to)]));
        let span_end = out.len();
        out.push_str(&String::from_utf8_lossy(&text[end.clamp(start, to)..to]));
        let out = out.replace('\r', "");
        // Removing `\r` only shifts offsets in multi-line snippets with CRLF; recompute there.
        if raw.contains(&b'\r') {
            let before = String::from_utf8_lossy(&text[from..start.max(from)]).replace('\r', "").len();
            let inside = String::from_utf8_lossy(&text[start.max(from)..end.clamp(start, to)]).replace('\r', "").len();
            return (out, (before, before + inside));
        }
        return (out, (span_start, span_end));
    }
    // One long line: keep a window around the span, on character boundaries.
    let line_end = index.line_end(text, first);
    let win_start = floor_char(text, start.saturating_sub(80).max(from));
    let win_end =
        floor_char(text, (start + MAX_SNIPPET_LINE).min(line_end).max(end.min(line_end)).min(start + 2 * MAX_SNIPPET_LINE).min(line_end));
    let prefix = if win_start > from { "…" } else { "" };
    let mut out = String::from(prefix);
    out.push_str(&String::from_utf8_lossy(&text[win_start..start.max(win_start)]));
    let span_start = out.len();
    out.push_str(&String::from_utf8_lossy(&text[start.max(win_start)..end.clamp(start, win_end.max(start))]));
    let span_end = out.len();
    out.push_str(&String::from_utf8_lossy(&text[end.clamp(start, win_end.max(start))..win_end.max(start)]));
    if win_end < line_end {
        out.push('…');
    }
    (out, (span_start, span_end))
}

/// Moves an offset back to the start of a UTF-8 character.
fn floor_char(text: &[u8], mut offset: usize) -> usize {
    while offset > 0 && offset < text.len() && (text[offset] & 0b1100_0000) == 0b1000_0000 {
        offset -= 1;
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
