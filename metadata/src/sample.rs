//! Example values within limits: what the metadata calls a valid value
//! for a parameter, for building requests that the service (and the
//! simulator) accept.

use crate::Schema;
use serde_json::Value;
use std::fmt;

/// A valid scalar value for a schema.
#[derive(Debug, Clone, PartialEq)]
pub enum Sample {
    Integer(i64),
    Number(f64),
    Bool(bool),
    Text(String),
}

/// As the value is written in a query parameter.
impl fmt::Display for Sample {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Sample::Integer(n) => write!(f, "{n}"),
            Sample::Number(x) => write!(f, "{x}"),
            Sample::Bool(b) => write!(f, "{b}"),
            Sample::Text(s) => f.write_str(s),
        }
    }
}

/// Text for a string sample when the metadata has no example.
const TEXT: &str = "example";

impl Schema {
    /// A valid value for a scalar schema: the first enum value, else the
    /// example, when it reads as the schema's type; kept within `minimum`
    /// / `maximum` (and the format's range) or `maxLength`. Without either,
    /// `1`, `1.0`, `false` or `"example"`, within the same limits.
    pub fn sample(&self) -> Sample {
        let first_enum = self
            .enum_values
            .as_ref()
            .and_then(|v| v.first())
            .map(|v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            });
        let from_enum = first_enum.is_some();
        let given = first_enum
            .or_else(|| self.example_text())
            .map(|e| e.trim().to_string())
            .filter(|e| !e.is_empty());
        match self.kind.as_deref() {
            Some("integer") => {
                let (lo, hi) = self.integer_range();
                let n = given.and_then(|e| e.parse::<i64>().ok()).unwrap_or(1);
                Sample::Integer(n.clamp(lo, hi))
            }
            Some("number") => {
                let x = given
                    .and_then(|e| e.parse::<f64>().ok())
                    .filter(|x| x.is_finite())
                    .unwrap_or(1.0);
                let lo = self.minimum_f64().unwrap_or(f64::MIN);
                let hi = self.maximum_f64().unwrap_or(f64::MAX).max(lo);
                Sample::Number(x.clamp(lo, hi))
            }
            Some("boolean") => Sample::Bool(given.is_some_and(|e| e.eq_ignore_ascii_case("true"))),
            _ => {
                let text = given.unwrap_or_else(|| TEXT.to_string());
                match self.max_length_u64().filter(|_| !from_enum) {
                    Some(max) => Sample::Text(
                        text.chars()
                            .take(usize::try_from(max).unwrap_or(usize::MAX))
                            .collect(),
                    ),
                    None => Sample::Text(text),
                }
            }
        }
    }

    /// The integers the schema allows: its limits within its format's range.
    fn integer_range(&self) -> (i64, i64) {
        let (lo, hi) = match self.format.as_deref() {
            Some("int32") => (i64::from(i32::MIN), i64::from(i32::MAX)),
            _ => (i64::MIN, i64::MAX),
        };
        let lo = self.minimum_f64().map_or(lo, |m| (m.ceil() as i64).max(lo));
        let hi = self
            .maximum_f64()
            .map_or(hi, |m| (m.floor() as i64).min(hi));
        (lo, hi.max(lo))
    }

    /// One item for a string that carries a JSON list
    /// ([`Schema::is_json_list_string`]): the example's first item, also
    /// when the example is not quite JSON (`["i-1", … "i-9"]`, curly quotes).
    pub fn json_list_item_sample(&self) -> String {
        let example = self.example_text().unwrap_or_default();
        if let Ok(Value::Array(items)) = serde_json::from_str::<Value>(&example) {
            if let Some(first) = items.first() {
                return match first {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
            }
        }
        first_quoted(&example).unwrap_or_else(|| TEXT.to_string())
    }

    /// A JSON value for a `style: json` parameter or a free-form value: the
    /// example when it is JSON of the schema's kind, else a small value of
    /// that kind (`[]`, or an object with one entry so a flattened object
    /// still reaches the wire).
    pub fn json_sample(&self) -> Value {
        let example = self
            .example_text()
            .and_then(|e| serde_json::from_str::<Value>(&e).ok());
        let fits = |v: &Value| match self.kind.as_deref() {
            Some("object") => v.is_object(),
            Some("array") => v.is_array(),
            _ => !v.is_null(),
        };
        match example.filter(fits) {
            Some(v) => v,
            None if self.kind.as_deref() == Some("array") => Value::Array(Vec::new()),
            None => serde_json::json!({ "key": "value" }),
        }
    }
}

/// The first item between straight or curly double quotes.
fn first_quoted(text: &str) -> Option<String> {
    let start = text.find(['"', '“'])?;
    let rest = &text[start..];
    let open = rest.chars().next()?.len_utf8();
    let end = rest[open..].find(['"', '”'])?;
    Some(rest[open..open + end].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema(value: Value) -> Schema {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn an_integer_example_within_limits_is_used() {
        let s = schema(json!({"type": "integer", "example": "5", "minimum": 1, "maximum": 10}));
        assert_eq!(s.sample(), Sample::Integer(5));
    }

    #[test]
    fn an_integer_example_outside_limits_becomes_the_nearest_limit() {
        let s =
            schema(json!({"type": "integer", "example": "500", "minimum": "1", "maximum": "100"}));
        assert_eq!(s.sample(), Sample::Integer(100));
        let s = schema(json!({"type": "integer", "example": -3, "minimum": 2}));
        assert_eq!(s.sample(), Sample::Integer(2));
        let s = schema(json!({"type": "integer", "format": "int32", "example": "9999999999"}));
        assert_eq!(s.sample(), Sample::Integer(i64::from(i32::MAX)));
    }

    #[test]
    fn without_an_example_an_integer_is_one_within_limits() {
        assert_eq!(
            schema(json!({"type": "integer"})).sample(),
            Sample::Integer(1)
        );
        assert_eq!(
            schema(json!({"type": "integer", "minimum": 60})).sample(),
            Sample::Integer(60)
        );
        assert_eq!(
            schema(json!({"type": "integer", "maximum": 0})).sample(),
            Sample::Integer(0)
        );
    }

    #[test]
    fn an_enum_gives_its_first_value() {
        let s = schema(json!({"type": "integer", "enum": ["60", "600"], "example": "600"}));
        assert_eq!(s.sample(), Sample::Integer(60));
        let s = schema(json!({"type": "string", "enum": ["Online", "Offline"], "maxLength": 2}));
        assert_eq!(s.sample(), Sample::Text("Online".into()));
    }

    #[test]
    fn numbers_and_booleans_read_their_example() {
        assert_eq!(
            schema(json!({"type": "number", "example": "0.98"})).sample(),
            Sample::Number(0.98)
        );
        assert_eq!(
            schema(json!({"type": "number", "example": "5", "maximum": 2})).sample(),
            Sample::Number(2.0)
        );
        assert_eq!(
            schema(json!({"type": "number", "example": "NaN"})).sample(),
            Sample::Number(1.0)
        );
        assert_eq!(
            schema(json!({"type": "boolean", "example": "True"})).sample(),
            Sample::Bool(true)
        );
        assert_eq!(
            schema(json!({"type": "boolean"})).sample(),
            Sample::Bool(false)
        );
    }

    #[test]
    fn text_is_the_example_cut_to_max_length() {
        let s = schema(json!({"type": "string", "example": " abcdef ", "maxLength": "3"}));
        assert_eq!(s.sample(), Sample::Text("abc".into()));
        assert_eq!(
            schema(json!({"type": "string"})).sample(),
            Sample::Text("example".into())
        );
        assert_eq!(
            schema(json!({"example": "x"})).sample(),
            Sample::Text("x".into())
        );
    }

    #[test]
    fn samples_are_written_as_the_wire_writes_them() {
        assert_eq!(Sample::Integer(-2).to_string(), "-2");
        assert_eq!(Sample::Number(1.0).to_string(), "1");
        assert_eq!(Sample::Number(0.5).to_string(), "0.5");
        assert_eq!(Sample::Bool(true).to_string(), "true");
    }

    #[test]
    fn a_json_list_string_gives_its_first_item() {
        let s = |e: &str| schema(json!({"type": "string", "example": e})).json_list_item_sample();
        assert_eq!(s(r#"["i-1","i-2"]"#), "i-1");
        assert_eq!(s(r#"["i-1", "i-2", … "i-9"]"#), "i-1");
        assert_eq!(s("[“i-7”, “i-8”]"), "i-7");
        assert_eq!(s("[]"), "example");
    }

    #[test]
    fn json_samples_keep_an_example_of_the_right_kind() {
        let object = schema(json!({"type": "object", "example": "{\"name\":\"Jack\"}"}));
        assert_eq!(object.json_sample(), json!({"name": "Jack"}));
        let wrong = schema(json!({"type": "object", "example": "[1]"}));
        assert_eq!(wrong.json_sample(), json!({"key": "value"}));
        let list = schema(json!({"type": "array", "example": "nope"}));
        assert_eq!(list.json_sample(), json!([]));
        let list = schema(json!({"type": "array", "example": "[1,2]"}));
        assert_eq!(list.json_sample(), json!([1, 2]));
    }
}
