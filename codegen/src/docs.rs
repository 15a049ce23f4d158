//! The docs pass: metadata descriptions to rustdoc markdown that renders
//! without warnings.
//!
//! - Alibaba's site switches (`<props="china">…</props>`) become labels
//!   (*China site:*) around their text; `<ph>` wrappers are dropped; any
//!   other tag outside code is escaped so it shows as text.
//! - Document references (`[DescribeRegions](~~25609~~)`) become
//!   help-center links.
//! - Code fences move to the left margin (so their end is where the
//!   metadata meant it), unlabeled ones become `text`, unclosed ones are
//!   closed; indentation that would start an indented code block (which
//!   rustdoc would compile as Rust) is reduced to a list continuation.
//! - A shared type's doc gathers the distinct wordings of its operations,
//!   each under the operations that use it.

use crate::ir::Doc;

/// Doc lines for one description.
pub fn lines(text: &str) -> Vec<String> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let text = site_switches(&links(&text));
    let mut out = Lines {
        block_start: true,
        ..Lines::default()
    };
    for line in text.trim().lines() {
        out.push(&line.trim_end().replace('\t', "    "));
    }
    out.finish()
}

/// Doc lines for `doc`: the one wording, or each distinct wording after
/// the operations that use it.
pub fn render(doc: &Doc) -> Vec<String> {
    match doc.variants.as_slice() {
        [] => Vec::new(),
        [one] => lines(&one.text),
        variants => {
            let mut out = Vec::new();
            for v in variants {
                if !out.is_empty() {
                    out.push(String::new());
                }
                let names: Vec<String> = v.operations.iter().map(|o| format!("`{o}`")).collect();
                out.push(format!("In {}:", names.join(", ")));
                out.push(String::new());
                out.extend(lines(&v.text));
            }
            out
        }
    }
}

/// Markdown lines being normalized, with what is open so far.
#[derive(Default)]
struct Lines {
    out: Vec<String>,
    /// The opening fence (its character and length) while in a code block.
    fence: Option<(char, usize)>,
    /// The content column of the list item a fence opened in: a line less
    /// indented ends the item, and the code block with it.
    fence_container: usize,
    /// Content columns of the list items that are open.
    lists: Vec<usize>,
    /// The previous line ends a paragraph (blank, heading, fence), so an
    /// indented line here would start a code block.
    block_start: bool,
}

impl Lines {
    fn push(&mut self, line: &str) {
        let trimmed = line.trim_start_matches(' ');
        let indent = line.len() - trimmed.len();
        if let Some((c, n)) = self.fence {
            if !trimmed.is_empty() && indent < self.fence_container {
                self.out.push(c.to_string().repeat(n));
                self.fence = None;
                self.block_start = true;
            }
        }
        if let Some((c, n, info)) = fence(trimmed) {
            match self.fence {
                Some((open, len)) if c == open && n >= len && info.is_empty() => {
                    self.out.push(trimmed.to_string());
                    self.fence = None;
                }
                Some(_) => self.out.push(line.to_string()),
                None => {
                    let marker = &trimmed[..n * c.len_utf8()];
                    let info = if info.is_empty() { "text" } else { info };
                    self.out.push(format!("{marker}{info}"));
                    self.fence = Some((c, n));
                    self.fence_container = self
                        .lists
                        .iter()
                        .copied()
                        .filter(|&col| col <= indent)
                        .max()
                        .unwrap_or(0);
                    self.lists.clear();
                }
            }
            self.block_start = true;
            return;
        }
        if self.fence.is_some() {
            self.out.push(line.to_string());
            return;
        }
        if trimmed.is_empty() {
            if self.out.last().is_some_and(|l| !l.is_empty()) {
                self.out.push(String::new());
            }
            self.block_start = true;
            return;
        }
        let mut indent = indent;
        if self.block_start {
            while self.lists.last().is_some_and(|&col| indent < col) {
                self.lists.pop();
            }
            indent = indent.min(self.lists.last().copied().unwrap_or(0) + 3);
        }
        if let Some(width) = list_marker(trimmed) {
            while self.lists.last().is_some_and(|&col| indent < col) {
                self.lists.pop();
            }
            self.lists.push(indent + width);
        }
        self.out
            .push(format!("{}{}", " ".repeat(indent), escape_tags(trimmed)));
        self.block_start = trimmed.starts_with('#');
    }

    fn finish(mut self) -> Vec<String> {
        if let Some((c, n)) = self.fence {
            self.out.push(c.to_string().repeat(n));
        }
        while self.out.last().is_some_and(|l| l.is_empty()) {
            self.out.pop();
        }
        self.out
    }
}

/// A fence line: its character, length and info string.
fn fence(trimmed: &str) -> Option<(char, usize, &str)> {
    let c = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = trimmed.chars().take_while(|x| *x == c).count();
    let info = trimmed[n..].trim();
    (n >= 3 && !(c == '`' && info.contains('`'))).then_some((c, n, info))
}

/// The width of a list marker and the space after it (`- `, `12. `).
fn list_marker(trimmed: &str) -> Option<usize> {
    let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
    let marker = match trimmed.as_bytes().get(digits) {
        Some(b'.' | b')') if (1..10).contains(&digits) => digits + 1,
        Some(b'-' | b'*' | b'+') if digits == 0 => 1,
        _ => return None,
    };
    let rest = &trimmed[marker..];
    let spaces = rest.len() - rest.trim_start_matches(' ').len();
    ((1..=4).contains(&spaces) || rest.is_empty()).then_some(marker + spaces.max(1))
}

/// `<` that would open an HTML tag outside a code span becomes `&lt;`.
fn escape_tags(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut in_code = false;
    for (i, c) in line.char_indices() {
        match c {
            '`' => in_code = !in_code,
            '<' if !in_code => {
                let tail = &line[i + 1..];
                let autolink = tail.starts_with("http://") || tail.starts_with("https://");
                let next = tail.chars().next();
                if !autolink && next.is_some_and(|n| n.is_alphabetic() || n == '/' || n == '!') {
                    out.push_str("&lt;");
                    continue;
                }
            }
            _ => {}
        }
        out.push(c);
    }
    out
}

/// `<props="china">…</props>` -> a label and the text; `<ph>` dropped.
fn site_switches(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches('\n');
        let newline = &line[body.len()..];
        let trimmed = body.trim();
        if let Some(site) = props_open(trimmed).filter(|(_, len)| *len == trimmed.len()) {
            out.push_str(&format!("*{}:*{newline}", site_label(site.0)));
            continue;
        }
        if trimmed == "</props>" {
            out.push_str(newline);
            continue;
        }
        let mut rest = body;
        while let Some(start) = rest.find('<') {
            out.push_str(&rest[..start]);
            let tail = &rest[start..];
            if let Some((site, len)) = props_open(tail) {
                out.push_str(&format!("*{}:* ", site_label(site)));
                rest = &tail[len..];
            } else if let Some(after) = tail.strip_prefix("</props>") {
                out.push(' ');
                rest = after;
            } else if let Some(after) = tail
                .strip_prefix("<ph>")
                .or_else(|| tail.strip_prefix("</ph>"))
            {
                rest = after;
            } else {
                out.push('<');
                rest = &tail[1..];
            }
        }
        out.push_str(rest);
        out.push_str(newline);
    }
    out
}

/// `<props="china">` at the start of `text`: the site and the tag's length.
fn props_open(text: &str) -> Option<(&str, usize)> {
    let rest = text.strip_prefix("<props=\"")?;
    let end = rest.find("\">")?;
    let site = &rest[..end];
    (!site.is_empty()
        && site
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
    .then_some((site, "<props=\"".len() + end + 2))
}

fn site_label(site: &str) -> String {
    match site {
        "china" => "China site".into(),
        "intl" => "International site".into(),
        "partner" => "Partner site".into(),
        other => format!("Site `{other}`"),
    }
}

/// `(~~25609~~)`, `(~~25412#Quota~~)` and `(~~40637~~#title)` -> help-center URLs.
fn links(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("(~~") {
        let after = &rest[start + 3..];
        let parsed = after.find("~~").and_then(|end| {
            let inner = &after[..end];
            let tail = &after[end + 2..];
            let close = tail.find(')')?;
            let outer = &tail[..close];
            let (id, anchor) = match inner.split_once('#') {
                Some((id, anchor)) if outer.is_empty() => (id, anchor),
                None if outer.is_empty() => (inner, ""),
                None if outer.starts_with('#') => (inner, &outer[1..]),
                _ => return None,
            };
            let ok = !id.is_empty()
                && id.bytes().all(|b| b.is_ascii_digit())
                && !anchor.contains(char::is_whitespace);
            ok.then(|| (id, anchor, end + 2 + close + 1))
        });
        match parsed {
            Some((id, anchor, len)) => {
                out.push_str(&rest[..start]);
                let anchor = if anchor.is_empty() {
                    String::new()
                } else {
                    format!("#{anchor}")
                };
                out.push_str(&format!(
                    "(https://help.aliyun.com/document_detail/{id}.html{anchor})"
                ));
                rest = &after[len..];
            }
            None => {
                out.push_str(&rest[..start + 3]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::DocVariant;

    #[test]
    fn document_references_become_links() {
        assert_eq!(
            lines("see [DescribeRegions](~~25609~~) and [quota](~~25412#SecurityGroupQuota1~~)."),
            [
                "see [DescribeRegions](https://help.aliyun.com/document_detail/25609.html) and \
              [quota](https://help.aliyun.com/document_detail/25412.html#SecurityGroupQuota1)."
            ]
        );
        assert_eq!(
            lines("[CIDR](~~40637~~#title-gu4)。"),
            ["[CIDR](https://help.aliyun.com/document_detail/40637.html#title-gu4)。"]
        );
    }

    #[test]
    fn unlabeled_fences_become_text_and_unclosed_ones_are_closed() {
        assert_eq!(
            lines("a\n```\nls -l\n```\n```json\n{}"),
            ["a", "```text", "ls -l", "```", "```json", "{}", "```"]
        );
    }

    #[test]
    fn indented_fences_move_to_the_margin_and_keep_their_content() {
        assert_eq!(
            lines("- role:\n      ```\n         {\"a\": 1}\n    ```\n  - next"),
            [
                "- role:",
                "```text",
                "         {\"a\": 1}",
                "```",
                "  - next"
            ]
        );
    }

    #[test]
    fn the_end_of_a_list_item_ends_the_code_block_opened_in_it() {
        assert_eq!(
            lines("- a\n    - b:\n      ```\n      {}\n  - c\n    ```\n    x\n    ```"),
            ["- a", "    - b:", "```text", "      {}", "```", "  - c", "```text", "    x", "```"]
        );
    }

    #[test]
    fn a_fence_with_an_info_string_inside_a_block_is_content() {
        assert_eq!(lines("```\n```json\n```"), ["```text", "```json", "```"]);
    }

    #[test]
    fn indentation_that_would_start_a_code_block_is_reduced() {
        assert_eq!(lines("a\n\n        b"), ["a", "", "   b"]);
        assert_eq!(
            lines("- a\n\n        - b\n\n     c"),
            ["- a", "", "     - b", "", "     c"]
        );
        // A continuation line of a paragraph keeps its indentation.
        assert_eq!(lines("a\n        b"), ["a", "        b"]);
    }

    #[test]
    fn site_switches_become_labels() {
        assert_eq!(
            lines("x<props=\"china\"><ph>A</ph></props><props=\"intl\"><ph>B</ph></props>y"),
            ["x*China site:* A *International site:* B y"]
        );
        assert_eq!(
            lines("<props=\"china\">\n\n- a\n\n</props>\n\n<props=\"partner\">\nb\n</props>"),
            ["*China site:*", "", "- a", "", "*Partner site:*", "b"]
        );
    }

    #[test]
    fn other_tags_outside_code_are_escaped() {
        assert_eq!(
            lines("a <Cron表达式> b `<InstanceName>-001` </x> 1 < 2"),
            ["a &lt;Cron表达式> b `<InstanceName>-001` &lt;/x> 1 < 2"]
        );
        assert_eq!(lines("see <https://a.b/c>"), ["see <https://a.b/c>"]);
    }

    #[test]
    fn carriage_returns_end_lines() {
        assert_eq!(lines("a\r\nb\rc"), ["a", "b", "c"]);
    }

    #[test]
    fn other_tildes_are_left_alone() {
        assert_eq!(lines("1~100 (~~x~~)"), ["1~100 (~~x~~)"]);
    }

    #[test]
    fn one_wording_is_rendered_as_it_is() {
        let doc = Doc::of(Some("The key."), "RunInstances");
        assert_eq!(render(&doc), ["The key."]);
    }

    #[test]
    fn distinct_wordings_each_name_their_operations() {
        let doc = Doc {
            variants: vec![
                DocVariant {
                    text: "The key.".into(),
                    operations: vec!["A".into(), "B".into()],
                },
                DocVariant {
                    text: "- a list".into(),
                    operations: vec!["C".into()],
                },
            ],
        };
        assert_eq!(
            render(&doc),
            [
                "In `A`, `B`:",
                "",
                "The key.",
                "",
                "In `C`:",
                "",
                "- a list"
            ]
        );
    }
}
