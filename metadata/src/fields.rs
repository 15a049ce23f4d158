//! An answer's fields by path (`Instances.Instance[].Status`), and the
//! values a field documents (its `enum`, its example, the `- Value：...`
//! list of its description).

use crate::{Api, Schema};
use std::collections::BTreeSet;

impl Api {
    /// The schema at `path` in the success answer: property names joined by
    /// `.`, `[]` after a list's name for its items. The error names the
    /// first step that does not exist.
    pub fn response_field(&self, path: &str) -> Result<&Schema, String> {
        let mut node = self
            .success_schema()
            .ok_or_else(|| "the operation declares no answer".to_string())?;
        if path.is_empty() {
            return Err("an empty path names no field".into());
        }
        let mut walked = String::new();
        for segment in path.split('.') {
            let (key, items) = match segment.strip_suffix("[]") {
                Some(key) => (key, true),
                None => (segment, false),
            };
            let here = if walked.is_empty() {
                "the answer".to_string()
            } else {
                format!("`{walked}`")
            };
            node = node
                .properties
                .as_ref()
                .and_then(|p| p.get(key))
                .ok_or_else(|| format!("{here} has no field `{key}`"))?;
            if !walked.is_empty() {
                walked.push('.');
            }
            walked.push_str(key);
            if items {
                if node.kind.as_deref() != Some("array") {
                    return Err(format!("`{walked}` is not a list"));
                }
                node = node
                    .items
                    .as_deref()
                    .ok_or_else(|| format!("`{walked}` declares no items"))?;
                walked.push_str("[]");
            }
        }
        Ok(node)
    }
}

impl Schema {
    /// The values this field documents: its `enum`, its example, and the
    /// first word of each item of a list in its description
    /// (`- Running：运行中。`, `* Available：可用。`, `- accomplished`).
    pub fn documented_values(&self) -> BTreeSet<String> {
        let mut values: BTreeSet<String> = self
            .enum_values
            .iter()
            .flatten()
            .filter_map(|v| v.as_str().map(String::from))
            .collect();
        values.extend(self.example_text());
        for line in self.description.as_deref().unwrap_or("").lines() {
            let Some(item) = line
                .trim_start()
                .strip_prefix(['-', '*', '•'])
                .map(str::trim_start)
            else {
                continue;
            };
            let end = item
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(item.len());
            if end > 0 {
                values.insert(item[..end].to_string());
            }
        }
        values
    }
}

#[cfg(test)]
mod tests {
    use crate::{parse, Schema};
    use serde_json::json;

    fn api() -> crate::Api {
        let text = json!({"info": {"product": "Ecs", "version": "1"}, "apis": {"Op": {
            "responses": {"200": {"schema": {"type": "object", "properties": {
                "Instances": {"type": "object", "properties": {
                    "Instance": {"type": "array", "items": {"type": "object", "properties": {
                        "Status": {"type": "string"}}}}}},
                "TotalCount": {"type": "integer"}}}}}}}})
        .to_string();
        parse(&text).unwrap().apis.shift_remove("Op").unwrap()
    }

    #[test]
    fn a_path_walks_objects_and_list_items() {
        let api = api();
        let status = api.response_field("Instances.Instance[].Status").unwrap();
        assert_eq!(status.kind.as_deref(), Some("string"));
        assert_eq!(
            api.response_field("TotalCount").unwrap().kind.as_deref(),
            Some("integer")
        );
    }

    #[test]
    fn a_path_that_does_not_exist_names_the_first_missing_step() {
        let api = api();
        assert_eq!(
            api.response_field("Instances.Instance[].Statuss")
                .unwrap_err(),
            "`Instances.Instance[]` has no field `Statuss`"
        );
        assert_eq!(
            api.response_field("Instance.Status").unwrap_err(),
            "the answer has no field `Instance`"
        );
        assert_eq!(
            api.response_field("Instances[].Instance").unwrap_err(),
            "`Instances` is not a list"
        );
        assert_eq!(
            api.response_field("Instances.Instance.Status").unwrap_err(),
            "`Instances.Instance` has no field `Status`"
        );
    }

    #[test]
    fn documented_values_come_from_the_enum_the_example_and_the_description_list() {
        let schema: Schema = serde_json::from_value(json!({
            "type": "string",
            "enum": ["Pending"],
            "example": "Running",
            "description": "状态。可能值：\n\n-   In_use：使用中。\n* Available（默认）：可用。\n- accomplished\n  - 单次执行：说明。\nNot a list: Stopped"
        }))
        .unwrap();
        let values: Vec<String> = schema.documented_values().into_iter().collect();
        assert_eq!(
            values,
            ["Available", "In_use", "Pending", "Running", "accomplished"]
        );
    }
}
