//! Maps a received parameter name back to the metadata parameter it sets:
//! the metadata crate's wire-key lookup ([`ecs_rs_metadata::Params::resolve`]).

pub(crate) use ecs_rs_metadata::{Leaf, Resolved, Step, Unresolved};
