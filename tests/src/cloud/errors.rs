//! The service's refusals. A rule raises an [`ApiError`] with the code the
//! service uses, a default HTTP status and what exactly was wrong; the
//! reply takes its status and message from the operation's `errorCodes` in
//! the metadata when the operation documents the code, so the simulator
//! answers as the documentation says the service does.

use crate::simulator::{error_reply, Catalog, Reply};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

/// One refusal, before it is rendered for an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub code: &'static str,
    /// Used when the operation does not document the code.
    pub status: u16,
    /// What was wrong, in the simulator's words (ids, statuses).
    pub detail: String,
}

impl ApiError {
    pub fn new(status: u16, code: &'static str, detail: impl Into<String>) -> ApiError {
        ApiError {
            code,
            status,
            detail: detail.into(),
        }
    }

    /// A resource that does not exist, e.g. `InvalidInstanceId.NotFound`.
    pub fn not_found(code: &'static str, what: &str, id: &str) -> ApiError {
        ApiError::new(404, code, format!("The {what} `{id}` does not exist."))
    }

    /// `IncorrectInstanceStatus` and friends: the resource is in a status
    /// the operation does not accept.
    pub fn status(code: &'static str, what: &str, id: &str, status: &str, needs: &str) -> ApiError {
        ApiError::new(
            403,
            code,
            format!("The {what} `{id}` is {status}; this operation needs it {needs}."),
        )
    }

    pub fn invalid(code: &'static str, detail: impl Into<String>) -> ApiError {
        ApiError::new(400, code, detail)
    }

    pub fn missing(name: &str) -> ApiError {
        ApiError::new(
            400,
            "MissingParameter",
            format!("The input parameter \"{name}\" that is mandatory for processing this request is not supplied."),
        )
    }

    /// The reply for `action`: the documented status and message when the
    /// action lists the code, else the defaults; the detail fills the
    /// message's `%s` or follows it.
    pub fn reply(&self, action: &str) -> Reply {
        let documented = table().and_then(|t| t.find(action, self.code, self.status));
        let (status, message) = match documented {
            Some(doc) => (doc.status, compose(&doc.message, &self.detail)),
            None => (self.status, self.detail.clone()),
        };
        error_reply(status, self.code, &message)
    }
}

/// Whether `action` documents `code` (used to pick between the spellings
/// the API uses for one rule, e.g. `IdempotentParameterMismatch` and
/// `IdempotenceParamNotMatch`).
pub fn documents(action: &str, code: &str) -> bool {
    table().is_some_and(|t| t.lists(action, code))
}

fn compose(documented: &str, detail: &str) -> String {
    let documented = documented.trim();
    // A documented message naming another parameter (`The input parameter
    // "VSwitchId" ...` when ImageId is missing) would mislead.
    let names_another = documented
        .split('"')
        .skip(1)
        .step_by(2)
        .any(|quoted| !detail.contains(quoted));
    if documented.is_empty() || (names_another && !detail.is_empty()) {
        detail.to_string()
    } else if documented.contains("%s") {
        documented.replacen("%s", detail, 1)
    } else if detail.is_empty() {
        documented.to_string()
    } else {
        format!("{documented} {detail}")
    }
}

#[derive(Debug)]
struct Documented {
    status: u16,
    message: String,
}

/// Every operation's documented error codes.
#[derive(Debug, Default)]
struct ErrorTable {
    by_action: HashMap<String, HashMap<String, Vec<Documented>>>,
}

impl ErrorTable {
    fn find(&self, action: &str, code: &str, preferred: u16) -> Option<&Documented> {
        let listed = self.by_action.get(action)?.get(code)?;
        listed
            .iter()
            .find(|d| d.status == preferred)
            .or_else(|| listed.first())
    }

    fn lists(&self, action: &str, code: &str) -> bool {
        self.by_action
            .get(action)
            .is_some_and(|codes| codes.contains_key(code))
    }
}

/// Only the part of the metadata this module reads.
#[derive(Deserialize)]
struct Docs {
    apis: HashMap<String, ApiCodes>,
}

#[derive(Deserialize)]
struct ApiCodes {
    #[serde(default, rename = "errorCodes")]
    error_codes: BTreeMap<String, Vec<Code>>,
}

#[derive(Deserialize)]
struct Code {
    #[serde(rename = "errorCode")]
    code: String,
    #[serde(default, rename = "errorMessage")]
    message: Option<String>,
}

/// The pinned metadata's error tables, read once; `None` when the metadata
/// cannot be read (the rules then answer with their own defaults).
fn table() -> Option<&'static ErrorTable> {
    static TABLE: OnceLock<Option<ErrorTable>> = OnceLock::new();
    TABLE.get_or_init(load).as_ref()
}

fn load() -> Option<ErrorTable> {
    let text = std::fs::read_to_string(Catalog::pinned_path()).ok()?;
    let docs: Docs = serde_json::from_str(&text).ok()?;
    let mut table = ErrorTable::default();
    for (action, api) in docs.apis {
        let codes = table.by_action.entry(action).or_default();
        for (status, listed) in api.error_codes {
            let Ok(status) = status.parse::<u16>() else {
                continue;
            };
            for code in listed {
                codes.entry(code.code).or_default().push(Documented {
                    status,
                    message: code.message.unwrap_or_default(),
                });
            }
        }
    }
    Some(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_documented_message_takes_the_detail_in_place_of_its_placeholder() {
        assert_eq!(
            compose("Instance %s is gone.", "i-1"),
            "Instance i-1 is gone."
        );
        assert_eq!(
            compose("Gone.", "i-1 was deleted."),
            "Gone. i-1 was deleted."
        );
        assert_eq!(compose("", "why"), "why");
        assert_eq!(
            compose(
                "The input parameter \"VSwitchId\" is missing.",
                "The input parameter \"ImageId\" is missing."
            ),
            "The input parameter \"ImageId\" is missing."
        );
    }

    #[test]
    fn the_documented_status_wins_over_the_default() {
        let reply = ApiError::new(400, "InvalidInstanceId.NotFound", "no such instance")
            .reply("StartInstance");
        assert_eq!(reply.status, 404);
        assert_eq!(reply.code(), Some("InvalidInstanceId.NotFound"));
        assert!(reply
            .message()
            .unwrap()
            .starts_with("The specified InstanceId does not exist."));
    }

    #[test]
    fn an_undocumented_code_keeps_its_defaults() {
        let reply = ApiError::new(409, "Made.Up", "why").reply("StartInstance");
        assert_eq!((reply.status, reply.message()), (409, Some("why")));
    }
}
