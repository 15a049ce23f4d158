//! XML bodies, for RPC callers that ask `Format=XML` or send no `Format`
//! (the service's default): the JSON body's fields as elements under
//! `<{Action}Response>` (errors under `<Error>`), a list as its element
//! repeated, as the service writes them.

use serde_json::Value;

/// `body` as an XML document whose root element is `root`.
pub fn to_xml(root: &str, body: &Value) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    element(&mut out, root, body);
    out
}

fn element(out: &mut String, name: &str, value: &Value) {
    match value {
        // `{"Regions":{"Region":[a, b]}}` is `<Regions><Region>a</Region><Region>b</Region></Regions>`.
        Value::Array(items) => items.iter().for_each(|item| element(out, name, item)),
        Value::Object(fields) => {
            open(out, name);
            for (k, v) in fields {
                element(out, k, v);
            }
            close(out, name);
        }
        Value::Null => {
            open(out, name);
            close(out, name);
        }
        Value::String(s) => {
            open(out, name);
            escape(out, s);
            close(out, name);
        }
        other => {
            open(out, name);
            out.push_str(&other.to_string());
            close(out, name);
        }
    }
}

fn open(out: &mut String, name: &str) {
    out.push('<');
    out.push_str(name);
    out.push('>');
}

fn close(out: &mut String, name: &str) {
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

fn escape(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lists_become_repeated_elements_under_their_wrapper() {
        let body = json!({"Regions": {"Region": [{"RegionId": "a"}, {"RegionId": "b"}]}, "RequestId": "R", "Total": 2});
        assert_eq!(
            to_xml("DescribeRegionsResponse", &body),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><DescribeRegionsResponse><Regions><Region><RegionId>a</RegionId></Region><Region><RegionId>b</RegionId></Region></Regions><RequestId>R</RequestId><Total>2</Total></DescribeRegionsResponse>"
        );
    }

    #[test]
    fn text_is_escaped() {
        let xml = to_xml("Error", &json!({"Message": "a<b & \"c\""}));
        assert!(
            xml.ends_with("<Error><Message>a&lt;b &amp; &quot;c&quot;</Message></Error>"),
            "{xml}"
        );
    }
}
