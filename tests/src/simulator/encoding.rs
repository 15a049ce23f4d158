//! The wire encodings the service reads and writes: query strings and
//! form bodies (`application/x-www-form-urlencoded`, where `+` is a space,
//! as the real service decodes it) and Alibaba's percent-encoding for what
//! is signed (protocol.md, section 2).

/// Decodes `%XY` escapes and `+` (a space). A `%` not followed by two hex
/// digits stays as it is; bytes that are not UTF-8 become U+FFFD.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
                out.push(b'%');
            }
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `k=v&...` into decoded pairs, in wire order. A name without `=` has an
/// empty value; empty segments (`a=1&&b=2`) are skipped.
pub fn decode_query(raw: &str) -> Vec<(String, String)> {
    raw.split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

/// Alibaba's percent-encoding: only `A-Za-z0-9-_.~` stay, every other
/// UTF-8 byte becomes `%XY` (upper-case hex), a space `%20`.
///
/// This repeats ecs-core's encoder on purpose: the simulator verifies the
/// client's signatures with code of its own, so a mistake in the client's
/// encoding cannot be hidden by the same mistake here.
pub fn percent_encode(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 15)] as char);
        }
    }
    out
}

/// `percentEncode(k)=percentEncode(v)` joined by `&`, sorted byte-wise by
/// name (then value): the canonical form both signatures sign.
pub fn canonical_query<K: AsRef<str>, V: AsRef<str>>(params: &[(K, V)]) -> String {
    let mut pairs: Vec<(String, String)> = params
        .iter()
        .map(|(k, v)| (percent_encode(k.as_ref()), percent_encode(v.as_ref())))
        .collect();
    pairs.sort();
    let mut out = String::new();
    for (k, v) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(&k);
        out.push('=');
        out.push_str(&v);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_percent_escapes_and_plus_as_a_space() {
        assert_eq!(percent_decode("a%20b+c%2A%E4%B8%AD%2B"), "a b c*中+");
    }

    #[test]
    fn keeps_a_percent_that_starts_no_escape() {
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%4"), "%4");
        assert_eq!(percent_decode("%zz1"), "%zz1");
    }

    #[test]
    fn decodes_a_query_in_wire_order() {
        assert_eq!(
            decode_query("b=2&a=x+y&flag&&c="),
            [("b", "2"), ("a", "x y"), ("flag", ""), ("c", "")]
                .map(|(k, v)| (k.to_string(), v.to_string()))
        );
    }

    #[test]
    fn encodes_with_the_rpc_rules() {
        assert_eq!(percent_encode("a b*~+/中"), "a%20b%2A~%2B%2F%E4%B8%AD");
    }

    #[test]
    fn canonical_query_sorts_encoded_names_byte_wise() {
        let q = canonical_query(&[
            ("Tag.2.Key", "b"),
            ("Tag.10.Key", "c"),
            ("Tag.1.Key", "a b"),
        ]);
        assert_eq!(q, "Tag.1.Key=a%20b&Tag.10.Key=c&Tag.2.Key=b");
    }
}
