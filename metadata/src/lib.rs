//! Typed model of Alibaba Cloud's OpenAPI metadata format (`api-docs.json`),
//! the pin of the ECS metadata that ecs-rs generates from, and every rule
//! for reading it that the generator and the simulator share.
//!
//! The model keeps the document's order (operations, parameters,
//! properties) so that generated code follows the metadata, and tolerates
//! fields it does not know.
//!
//! - [`pinned_path`] / [`load_pinned`]: where the pinned file is found.
//! - [`Params`]: an operation's parameters, each name once, with their
//!   [`ParamEncoding`]; [`Params::resolve`] maps a received wire key back
//!   to the parameter it sets.
//! - [`is_read_only`], [`Schema::is_json_list_string`],
//!   [`Schema::list_wrapper`], [`Schema::string_enum`]: reading rules.
//! - [`Schema::sample`]: example values within the metadata's limits.
//! - [`Api::paging`]: whether and how an operation pages ([`paging`]).
//! - [`Api::response_field`], [`Schema::documented_values`]: an answer's
//!   fields by path and the values a field documents.

mod diff;
mod fields;
mod load;
mod locate;
mod model;
pub mod paging;
mod params;
mod pin;
mod rules;
mod sample;
mod wire;

pub use diff::{describe_type, diff, ApiDiff, Change, FieldChange, OperationDiff};
pub use load::{parse, LoadError};
pub use locate::{
    load, load_pinned, path_from_env, pinned_path, read_text, MetadataError, ENV_VAR,
};
pub use model::{
    Api, ApiDocs, DemoExample, Directory, Endpoint, ErrorCode, Info, Parameter, Response, Schema,
    Style,
};
pub use params::{Param, ParamEncoding, Params};
pub use pin::{sha256_hex, Pin, PinError};
pub use rules::is_read_only;
pub use sample::Sample;
pub use wire::{Leaf, Resolved, Step, Unresolved};
