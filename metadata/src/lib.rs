//! Typed model of Alibaba Cloud's OpenAPI metadata format (`api-docs.json`)
//! and the pin of the ECS metadata that ecs-rs generates from.
//!
//! The model keeps the document's order (operations, parameters,
//! properties) so that generated code follows the metadata, and tolerates
//! fields it does not know.

mod diff;
mod load;
mod model;
mod pin;

pub use diff::{describe_type, diff, ApiDiff, Change, FieldChange, OperationDiff};
pub use load::{parse, LoadError};
pub use model::{
    Api, ApiDocs, DemoExample, Directory, Endpoint, ErrorCode, Info, Parameter, Response, Schema,
    Style,
};
pub use pin::{sha256_hex, Pin, PinError};
