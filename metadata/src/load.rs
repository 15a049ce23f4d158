use crate::ApiDocs;
use std::fmt;

/// Why a metadata document could not be read, with the JSON path of the
/// offending value (e.g. `apis.RunInstances.parameters[3].schema.type`).
#[derive(Debug)]
pub struct LoadError {
    pub path: String,
    pub message: String,
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid metadata at `{}` (line {}, column {}): {}",
            self.path, self.line, self.column, self.message
        )
    }
}

impl std::error::Error for LoadError {}

/// Parses an `api-docs.json` document.
pub fn parse(text: &str) -> Result<ApiDocs, LoadError> {
    let de = &mut serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        LoadError {
            path,
            line: inner.line(),
            column: inner.column(),
            message: strip_position(&inner.to_string()),
        }
    })
}

// serde_json appends " at line L column C"; we report the position apart.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_type_names_the_json_path() {
        let text = r#"{"info":{"product":"Ecs","version":"2014-05-26"},
            "apis":{"RunInstances":{"parameters":[
                {"name":"A","schema":{"type":"string"}},
                {"name":"B","schema":{"type":7}}]}}}"#;
        let err = parse(text).unwrap_err();
        assert_eq!(err.path, "apis.RunInstances.parameters[1].schema.type");
        assert!(err.message.contains("invalid type"), "{err}");
        assert!(err.to_string().contains("line 4"), "{err}");
    }

    #[test]
    fn missing_required_key_is_named() {
        let err = parse(r#"{"info":{"product":"Ecs","version":"1"}}"#).unwrap_err();
        assert!(err.message.contains("missing field `apis`"), "{err}");
    }

    #[test]
    fn truncated_document_is_an_error_not_a_panic() {
        let err = parse(r#"{"info":{"product":"Ecs","#).unwrap_err();
        assert!(err.message.contains("EOF"), "{err}");
    }

    #[test]
    fn unknown_fields_are_tolerated() {
        let docs = parse(
            r#"{"info":{"product":"Ecs","version":"1","x":1},"future":[],
                "apis":{"A":{"newThing":{"a":1},"parameters":[]}}}"#,
        )
        .unwrap();
        assert_eq!(docs.apis.len(), 1);
    }

    #[test]
    fn limits_written_as_strings_or_numbers_read_as_numbers() {
        let docs = parse(
            r#"{"info":{"product":"Ecs","version":"1"},"apis":{"A":{"parameters":[
                {"name":"N","schema":{"type":"integer","minimum":"1","maximum":100,"maxItems":"20"}}]}}}"#,
        )
        .unwrap();
        let s = &docs.apis["A"].parameters[0].schema;
        assert_eq!(s.minimum_f64(), Some(1.0));
        assert_eq!(s.maximum_f64(), Some(100.0));
        assert_eq!(s.max_items_u64(), Some(20));
    }
}
