use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::Value;

/// The whole `api-docs.json` document.
#[derive(Debug, Clone, Deserialize)]
pub struct ApiDocs {
    #[serde(default)]
    pub version: Option<String>,
    pub info: Info,
    #[serde(default)]
    pub directories: Vec<Directory>,
    pub apis: IndexMap<String, Api>,
    #[serde(default)]
    pub endpoints: Vec<Endpoint>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Info {
    #[serde(default)]
    pub style: Option<String>,
    pub product: String,
    pub version: String,
}

/// A group of operations (the service's documentation tree).
#[derive(Debug, Clone, Deserialize)]
pub struct Directory {
    pub id: u64,
    pub title: String,
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub children: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Endpoint {
    #[serde(rename = "regionId")]
    pub region_id: String,
    pub endpoint: String,
}

/// One operation.
#[derive(Debug, Clone, Deserialize)]
pub struct Api {
    #[serde(default)]
    pub methods: Vec<String>,
    #[serde(default)]
    pub schemes: Vec<String>,
    #[serde(default)]
    pub deprecated: Option<bool>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default, rename = "systemTags")]
    pub system_tags: Option<Value>,
    #[serde(default)]
    pub parameters: Vec<Parameter>,
    #[serde(default)]
    pub responses: IndexMap<String, Response>,
    /// HTTP status -> documented error codes.
    #[serde(default, rename = "errorCodes")]
    pub error_codes: IndexMap<String, Vec<ErrorCode>>,
    /// A JSON string holding a list of [`DemoExample`]; see [`Api::demos`].
    #[serde(default, rename = "responseDemo")]
    pub response_demo: Option<String>,
}

impl Api {
    pub fn is_deprecated(&self) -> bool {
        self.deprecated.unwrap_or(false)
    }

    /// The success response schema (`200`, else the first 2xx).
    pub fn success_schema(&self) -> Option<&Schema> {
        self.responses
            .get("200")
            .or_else(|| {
                self.responses
                    .iter()
                    .find(|(code, _)| code.starts_with('2'))
                    .map(|(_, r)| r)
            })
            .and_then(|r| r.schema.as_ref())
    }

    /// The decoded `responseDemo` list; `Ok(vec![])` when there is none.
    pub fn demos(&self) -> Result<Vec<DemoExample>, serde_json::Error> {
        match self.response_demo.as_deref().map(str::trim) {
            None | Some("") => Ok(Vec::new()),
            Some(text) => serde_json::from_str(text),
        }
    }

    /// The example success body as JSON, when the metadata has one that parses.
    pub fn json_example(&self) -> Option<Value> {
        let demos = self.demos().ok()?;
        let demo = demos.iter().find(|d| d.kind == "json")?;
        serde_json::from_str(demo.example.as_deref()?).ok()
    }
}

/// One `responseDemo` entry.
#[derive(Debug, Clone, Deserialize)]
pub struct DemoExample {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub example: Option<String>,
    #[serde(default, rename = "errorExample")]
    pub error_example: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ErrorCode {
    #[serde(rename = "errorCode")]
    pub code: String,
    #[serde(default, rename = "errorMessage")]
    pub message: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Response {
    #[serde(default)]
    pub schema: Option<Schema>,
}

/// How a parameter is put on the wire (protocol.md, section 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Style {
    /// `Name.N=v`, `Name.N.Field=v`.
    RepeatList,
    /// `Name.Field=v`, recursively.
    Flat,
    /// The whole value as one compact JSON string.
    Json,
    Simple,
    SpaceDelimited,
    PipeDelimited,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Parameter {
    pub name: String,
    #[serde(default, rename = "in")]
    pub location: Option<String>,
    #[serde(default)]
    pub style: Option<Style>,
    pub schema: Schema,
}

/// A JSON-Schema-like node. Every schema in the ECS metadata is inline.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Schema {
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub format: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub required: Option<bool>,
    #[serde(default)]
    pub deprecated: Option<bool>,
    #[serde(default, rename = "enum")]
    pub enum_values: Option<Vec<Value>>,
    #[serde(default)]
    pub items: Option<Box<Schema>>,
    #[serde(default)]
    pub properties: Option<IndexMap<String, Schema>>,
    #[serde(default, rename = "additionalProperties")]
    pub additional_properties: Option<Value>,
    #[serde(default)]
    pub example: Option<Value>,
    #[serde(default)]
    pub default: Option<Value>,
    #[serde(default)]
    pub minimum: Option<Value>,
    #[serde(default)]
    pub maximum: Option<Value>,
    #[serde(default, rename = "maxItems")]
    pub max_items: Option<Value>,
    #[serde(default, rename = "minItems")]
    pub min_items: Option<Value>,
    #[serde(default, rename = "maxLength")]
    pub max_length: Option<Value>,
    #[serde(default, rename = "minLength")]
    pub min_length: Option<Value>,
    #[serde(default)]
    pub pattern: Option<String>,
}

impl Schema {
    pub fn is_required(&self) -> bool {
        self.required.unwrap_or(false)
    }

    pub fn is_deprecated(&self) -> bool {
        self.deprecated.unwrap_or(false)
    }

    /// `minimum` as a number; the metadata writes limits as numbers or strings.
    pub fn minimum_f64(&self) -> Option<f64> {
        self.minimum.as_ref().and_then(number)
    }

    pub fn maximum_f64(&self) -> Option<f64> {
        self.maximum.as_ref().and_then(number)
    }

    pub fn max_items_u64(&self) -> Option<u64> {
        self.max_items.as_ref().and_then(number).map(|n| n as u64)
    }

    pub fn min_items_u64(&self) -> Option<u64> {
        self.min_items.as_ref().and_then(number).map(|n| n as u64)
    }

    pub fn max_length_u64(&self) -> Option<u64> {
        self.max_length.as_ref().and_then(number).map(|n| n as u64)
    }

    /// The example as text, whatever JSON type the metadata used for it.
    pub fn example_text(&self) -> Option<String> {
        match self.example.as_ref()? {
            Value::String(s) => Some(s.clone()),
            Value::Null => None,
            other => Some(other.to_string()),
        }
    }
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}
