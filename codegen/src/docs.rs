//! Turns metadata descriptions into rustdoc text.

/// Doc lines for a description: Alibaba's `~~25609~~` document links become
/// URLs, unlabeled code fences become `text` so rustdoc never treats a
/// shell or JSON sample as Rust, and tabs become spaces.
pub fn lines(text: &str) -> Vec<String> {
    let text = links(&text.replace("\r\n", "\n").replace('\r', "\n"));
    let text = text.trim();
    let mut out = Vec::new();
    let mut in_fence = false;
    for line in text.lines() {
        let line = line.trim_end().replace('\t', "    ");
        let line = line.as_str();
        let trimmed = line.trim_start();
        if let Some(lang) = trimmed.strip_prefix("```") {
            let indent = &line[..line.len() - trimmed.len()];
            if !in_fence && lang.trim().is_empty() {
                out.push(format!("{indent}```text"));
            } else {
                out.push(line.to_string());
            }
            in_fence = !in_fence;
            continue;
        }
        out.push(line.to_string());
    }
    if in_fence {
        out.push("```".into());
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out
}

/// `(~~25609~~)` and `(~~25412#Quota~~)` -> help-center URLs.
fn links(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("(~~") {
        let after = &rest[start + 3..];
        match after.find("~~)") {
            Some(end) if is_doc_ref(&after[..end]) => {
                let (id, anchor) = match after[..end].split_once('#') {
                    Some((id, anchor)) => (id, format!("#{anchor}")),
                    None => (&after[..end], String::new()),
                };
                out.push_str(&rest[..start]);
                out.push_str(&format!(
                    "(https://help.aliyun.com/document_detail/{id}.html{anchor})"
                ));
                rest = &after[end + 3..];
            }
            _ => {
                out.push_str(&rest[..start + 3]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn is_doc_ref(s: &str) -> bool {
    let id = s.split('#').next().unwrap_or("");
    !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) && !s.contains(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_references_become_links() {
        assert_eq!(
            lines("see [DescribeRegions](~~25609~~) and [quota](~~25412#SecurityGroupQuota1~~)."),
            [
                "see [DescribeRegions](https://help.aliyun.com/document_detail/25609.html) and \
              [quota](https://help.aliyun.com/document_detail/25412.html#SecurityGroupQuota1)."
            ]
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
    fn carriage_returns_end_lines() {
        assert_eq!(lines("a\r\nb\rc"), ["a", "b", "c"]);
    }

    #[test]
    fn other_tildes_are_left_alone() {
        assert_eq!(lines("1~100 (~~x~~)"), ["1~100 (~~x~~)"]);
    }
}
