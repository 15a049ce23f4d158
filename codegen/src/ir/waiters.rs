//! The waiter table ([`crate::waiters`]) checked against the metadata and
//! resolved to the generated types: every operation, parameter, field and
//! state value an entry names must exist, or regen fails naming it.

use super::{Api, Encoding, Kind, Scope, Struct, Ty, TypeDef};
use crate::waiters::{Gone, IdsIn, Waiter as Entry};
use crate::CodegenError;
use ecs_rs_metadata::ApiDocs;
use std::collections::{BTreeMap, BTreeSet};

/// One waiter, resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Waiter {
    pub entry: Entry,
    /// `INSTANCES_RUNNING`.
    pub const_name: String,
    /// `wait_until_instances_running`.
    pub method: String,
    /// The method's argument for the ids: `instance_ids`.
    pub ids_arg: String,
    /// The state field of an item (text or a generated enum).
    pub state_field: String,
    /// The request fields the method takes as arguments (wire, Rust).
    pub args: Vec<(String, String)>,
    /// The request fields every poll sets, with their value.
    pub preset: Vec<(String, String)>,
}

/// How a polled operation takes ids and names its items: one per
/// operation, whichever waiters poll it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waitable {
    pub ids: IdsIn,
    /// The request field that takes the ids, declared as `ids` needs
    /// (checked here).
    pub ids_field: Option<String>,
    /// The item's id field.
    pub id_field: String,
}

/// How the request declares its id field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum IdsField {
    /// `Option<Vec<String>>`, sent as JSON.
    JsonList,
    /// `Vec<String>`, sent as `Name.N`.
    List,
    /// `Option<String>`.
    Text,
}

/// Checks `table` against `docs` and the operations built from it.
pub(super) fn resolve(
    docs: &ApiDocs,
    api: &Api,
    table: &[Entry],
) -> Result<(Vec<Waiter>, BTreeMap<String, Waitable>), CodegenError> {
    let mut waiters = Vec::new();
    let mut waitables: BTreeMap<String, (Waitable, &str)> = BTreeMap::new();
    let mut names = BTreeSet::new();
    for entry in table {
        let cx = Check { entry };
        if !is_snake(entry.name) || !names.insert(entry.name) {
            return Err(cx.error(
                "",
                "a waiter's name must be unique snake_case (it names a method)".into(),
            ));
        }
        let (waiter, waitable) = cx.resolve(docs, api)?;
        if let Some((other, by)) = waitables.get(entry.operation) {
            if *other != waitable {
                return Err(cx.error(
                    "",
                    format!(
                        "takes its ids or names its items unlike waiter `{by}` on the same operation"
                    ),
                ));
            }
        } else {
            waitables.insert(entry.operation.to_string(), (waitable, entry.name));
        }
        waiters.push(waiter);
    }
    let waitables = waitables.into_iter().map(|(k, (w, _))| (k, w)).collect();
    Ok((waiters, waitables))
}

fn is_snake(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

struct Check<'e> {
    entry: &'e Entry,
}

impl Check<'_> {
    fn error(&self, field: &str, message: String) -> CodegenError {
        CodegenError::new(
            self.entry.operation,
            field,
            format!("waiter `{}`: {message}", self.entry.name),
        )
    }

    fn resolve(&self, docs: &ApiDocs, api: &Api) -> Result<(Waiter, Waitable), CodegenError> {
        let e = self.entry;
        let meta = docs
            .apis
            .get(e.operation)
            .ok_or_else(|| self.error("", "no such operation in the metadata".into()))?;
        let op = api
            .operations
            .iter()
            .find(|o| o.wire == e.operation)
            .expect("every operation of the metadata is built");
        let paged = op.paging.paged().ok_or_else(|| {
            self.error(
                "",
                "the operation has no item list a waiter can poll (it is not paged)".into(),
            )
        })?;
        let (request, _) = struct_in(api, Scope::Operation(op), &op.request)
            .expect("a request type is its module's");
        if let Some(required) = request.required_fields().next() {
            return Err(self.error(
                &required.wire,
                "the request has a required parameter a waiter cannot fill".into(),
            ));
        }
        let item_name = match &paged.item {
            Ty::Named(n) => n.as_str(),
            _ => return Err(self.error(&paged.items_path, "the items are not objects".into())),
        };
        let (item, item_scope) =
            struct_in(api, Scope::Operation(op), item_name).expect("an item type is known");

        // The state: `<item list>.<field>`, a text field of an item.
        let prefix = format!("{}.", paged.items_path);
        let state_wire = e.state.strip_prefix(&prefix).ok_or_else(|| {
            self.error(
                e.state,
                format!(
                    "the state's path must go through the operation's item list `{}`",
                    paged.items_path
                ),
            )
        })?;
        let state_schema = meta
            .response_field(e.state)
            .map_err(|why| self.error(e.state, format!("no such field: {why}")))?;
        let state = item
            .fields
            .iter()
            .find(|f| f.wire == state_wire)
            .ok_or_else(|| self.error(e.state, "no such field in the item type".into()))?;
        let state_is_enum = match &state.ty {
            Ty::String => false,
            Ty::Named(n) => matches!(api.lookup(item_scope, n), Some((TypeDef::Enum(_), _))),
            _ => false,
        };
        if state.kind != Kind::Optional || !(state.ty == Ty::String || state_is_enum) {
            return Err(self.error(e.state, "the state is not a text field".into()));
        }

        // Every value must be one the metadata documents for the state
        // (or for the request filter of the same name).
        let mut documented = state_schema.documented_values();
        if let Some(filter) = meta.params().get(state_wire) {
            documented.extend(filter.schema.documented_values());
        }
        for value in e.success.iter().chain(e.failure) {
            if !documented.contains(*value) {
                let known: Vec<&str> = documented.iter().map(String::as_str).collect();
                return Err(self.error(
                    e.state,
                    format!(
                        "state `{value}` is not one the metadata documents ({})",
                        known.join(", ")
                    ),
                ));
            }
        }
        if let Some(both) = e.success.iter().find(|v| e.failure.contains(v)) {
            return Err(self.error(
                e.state,
                format!("state `{both}` is both success and failure"),
            ));
        }
        if e.success.is_empty() && e.gone != Gone::Success {
            return Err(self.error(e.state, "no state ends the wait".into()));
        }
        if e.min_delay == 0 || e.max_delay < e.min_delay || e.timeout < e.max_delay {
            return Err(self.error(
                "",
                "delays must be 0 < min_delay <= max_delay <= timeout".into(),
            ));
        }

        // The item's id.
        let id_path = format!("{prefix}{}", e.id);
        meta.response_field(&id_path)
            .map_err(|why| self.error(&id_path, format!("no such field: {why}")))?;
        let id = item
            .fields
            .iter()
            .find(|f| f.wire == e.id && f.ty == Ty::String && f.kind == Kind::Optional)
            .ok_or_else(|| self.error(&id_path, "the item's id is not a text field".into()))?;

        // How the ids go in.
        let params = meta.params();
        let ids_field = match e.ids.param() {
            None => None,
            Some(param) => {
                let p = params
                    .get(param)
                    .ok_or_else(|| self.error(param, "no such request parameter".into()))?;
                let field = request
                    .fields
                    .iter()
                    .find(|f| f.wire == param)
                    .expect("every parameter is a request field");
                let declared = match (&field.ty, field.kind, &field.encoding) {
                    (Ty::List(t), Kind::Optional, Encoding::Json) if **t == Ty::String => {
                        Some(IdsField::JsonList)
                    }
                    (Ty::List(t), Kind::List, Encoding::Plain) if **t == Ty::String => {
                        Some(IdsField::List)
                    }
                    (Ty::String, Kind::Optional, Encoding::Plain) => Some(IdsField::Text),
                    _ => None,
                };
                let expected = match e.ids {
                    IdsIn::JsonList(..) => IdsField::JsonList,
                    IdsIn::RepeatList(..) => IdsField::List,
                    IdsIn::Joined(..) | IdsIn::One(_) => IdsField::Text,
                    IdsIn::Unsent => unreachable!("no parameter"),
                };
                if declared != Some(expected) {
                    return Err(self.error(
                        param,
                        format!(
                            "the parameter is not {} (it is `{}`)",
                            match expected {
                                IdsField::JsonList => "a JSON list of ids in one string",
                                IdsField::List => "a repeated list (`Name.N`) of ids",
                                IdsField::Text => "one optional string",
                            },
                            field.declared()
                        ),
                    ));
                }
                let max = match e.ids {
                    IdsIn::JsonList(_, m) | IdsIn::RepeatList(_, m) | IdsIn::Joined(_, m) => m,
                    _ => 1,
                };
                if max == 0
                    || p.schema
                        .max_items_u64()
                        .is_some_and(|limit| max as u64 > limit)
                {
                    return Err(self.error(
                        param,
                        format!("{max} ids per call is outside what the parameter takes"),
                    ));
                }
                Some(field.rust.clone())
            }
        };

        let text_field = |wire: &str, what: &str| {
            params
                .get(wire)
                .ok_or_else(|| self.error(wire, format!("no such request parameter ({what})")))?;
            request
                .fields
                .iter()
                .find(|f| f.wire == wire && f.ty == Ty::String && f.kind == Kind::Optional)
                .map(|f| (wire.to_string(), f.rust.clone()))
                .ok_or_else(|| self.error(wire, format!("{what} must be an optional string")))
        };
        let args = e
            .args
            .iter()
            .map(|a| text_field(a, "an argument"))
            .collect::<Result<Vec<_>, _>>()?;
        let preset = e
            .preset
            .iter()
            .map(|(wire, value)| {
                text_field(wire, "a preset").map(|(_, rust)| (rust, value.to_string()))
            })
            .collect::<Result<Vec<_>, _>>()?;

        let waiter = Waiter {
            entry: *e,
            const_name: e.name.to_uppercase(),
            method: format!("wait_until_{}", e.name),
            ids_arg: format!("{}s", id.rust),
            state_field: state.rust.clone(),
            args,
            preset,
        };
        let waitable = Waitable {
            ids: e.ids,
            ids_field,
            id_field: id.rust.clone(),
        };
        Ok((waiter, waitable))
    }
}

/// The struct `name` as `scope` sees it, and the scope of its field types.
fn struct_in<'a>(api: &'a Api, scope: Scope<'a>, name: &str) -> Option<(&'a Struct, Scope<'a>)> {
    match api.lookup(scope, name)? {
        (TypeDef::Struct(s), scope) => Some((s, scope)),
        (TypeDef::Enum(_), _) => None,
    }
}
