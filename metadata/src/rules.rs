//! How the metadata is read where it does not say so itself: which
//! operations only read, which strings carry JSON lists, which enums are
//! text, which response objects only wrap a list.

use crate::Schema;

/// Operations whose name starts with one of these only read state, so a
/// call may be retried without a `ClientToken`.
const READ_ONLY_PREFIXES: &[&str] = &["Describe", "List", "Query", "Get"];

/// Whether the operation `action` only reads (`DescribeInstances`,
/// `ListTagResources`, `GetInstanceScreenshot`, ...).
pub fn is_read_only(action: &str) -> bool {
    READ_ONLY_PREFIXES.iter().any(|p| action.starts_with(p))
}

impl Schema {
    /// A `string` that carries a JSON array (`InstanceIds` of
    /// DescribeInstances): its example is a bracketed list.
    pub fn is_json_list_string(&self) -> bool {
        self.kind.as_deref() == Some("string")
            && self
                .example_text()
                .is_some_and(|e| e.trim_start().starts_with('[') && e.trim_end().ends_with(']'))
    }

    /// The values of a `string` enum whose values are all text, in order.
    pub fn string_enum(&self) -> Option<Vec<String>> {
        let values = self.enum_values.as_ref()?;
        let strings: Vec<String> = values
            .iter()
            .filter_map(|v| v.as_str().map(String::from))
            .collect();
        (!strings.is_empty() && strings.len() == values.len()).then_some(strings)
    }

    /// `{"Instances": {"Instance": [...]}}`: an object whose only property
    /// is a list; gives the key and the item schema.
    pub fn list_wrapper(&self) -> Option<(&str, Option<&Schema>)> {
        if self.kind.as_deref() != Some("object") {
            return None;
        }
        let props = self.properties.as_ref()?;
        if props.len() != 1 {
            return None;
        }
        let (key, inner) = props.iter().next()?;
        if inner.kind.as_deref() != Some("array") {
            return None;
        }
        Some((key.as_str(), inner.items.as_deref()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema(value: serde_json::Value) -> Schema {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn describe_list_query_and_get_operations_only_read() {
        for name in [
            "DescribeInstances",
            "ListTagResources",
            "QueryThing",
            "GetInstanceScreenshot",
        ] {
            assert!(is_read_only(name), "{name}");
        }
        for name in [
            "RunInstances",
            "ModifyInstanceAttribute",
            "Describ",
            "StartInstance",
        ] {
            assert!(!is_read_only(name), "{name}");
        }
    }

    #[test]
    fn a_string_whose_example_is_a_bracketed_list_carries_json() {
        assert!(
            schema(json!({"type": "string", "example": " [\"i-1\", \"i-2\"] "}))
                .is_json_list_string()
        );
        assert!(
            schema(json!({"type": "string", "example": "[\"i-1\", … \"i-9\"]"}))
                .is_json_list_string()
        );
        assert!(!schema(json!({"type": "string", "example": "i-1"})).is_json_list_string());
        assert!(!schema(json!({"type": "array", "example": "[1]"})).is_json_list_string());
        assert!(!schema(json!({"type": "string"})).is_json_list_string());
    }

    #[test]
    fn only_all_text_enums_are_string_enums() {
        assert_eq!(
            schema(json!({"type": "string", "enum": ["a", "b"]})).string_enum(),
            Some(vec!["a".to_string(), "b".to_string()])
        );
        assert_eq!(
            schema(json!({"type": "string", "enum": ["a", 1]})).string_enum(),
            None
        );
        assert_eq!(
            schema(json!({"type": "string", "enum": []})).string_enum(),
            None
        );
    }

    #[test]
    fn an_object_holding_only_a_list_is_a_list_wrapper() {
        let wrapper = schema(json!({"type": "object", "properties": {
            "Instance": {"type": "array", "items": {"type": "string"}}}}));
        let (key, items) = wrapper.list_wrapper().unwrap();
        assert_eq!(key, "Instance");
        assert_eq!(items.unwrap().kind.as_deref(), Some("string"));
        let two = schema(json!({"type": "object", "properties": {
            "A": {"type": "array"}, "B": {"type": "array"}}}));
        assert!(two.list_wrapper().is_none());
        let scalar = schema(json!({"type": "object", "properties": {"A": {"type": "string"}}}));
        assert!(scalar.list_wrapper().is_none());
    }
}
