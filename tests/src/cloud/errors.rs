//! The service's refusals. A rule raises an [`ApiError`] with the code the
//! service uses, a default HTTP status and what exactly was wrong; the
//! reply takes its status and message from the operation's `errorCodes` in
//! the metadata the simulator serves ([`Catalog::documented_error`]) when
//! the operation documents the code, so the simulator answers as the
//! documentation says the service does.

use crate::simulator::{error_reply, Catalog, Reply};

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

    /// `code` (HTTP `status`) unless a resource whose status is `now` is
    /// `Available`.
    pub fn unless_available(
        now: &str,
        status: u16,
        code: &'static str,
        what: &str,
        id: &str,
    ) -> Result<(), ApiError> {
        if now == "Available" {
            return Ok(());
        }
        let detail = format!("The {what} `{id}` is {now}; wait until it is Available.");
        Err(ApiError::new(status, code, detail))
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

    /// The reply for `action`: the status and message `catalog`
    /// documents for the code when the action lists it, else the
    /// defaults; the detail fills the message's `%s` or follows it.
    pub fn reply(&self, action: &str, catalog: Option<&Catalog>) -> Reply {
        let documented = catalog.and_then(|c| c.documented_error(action, self.code, self.status));
        let (status, message) = match documented {
            Some(doc) => (doc.status, compose(&doc.message, &self.detail)),
            None => (self.status, self.detail.clone()),
        };
        error_reply(status, self.code, &message)
    }
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
            .reply("StartInstance", Catalog::pinned().ok());
        assert_eq!(reply.status, 404);
        assert_eq!(reply.code(), Some("InvalidInstanceId.NotFound"));
        assert!(reply
            .message()
            .unwrap()
            .starts_with("The specified InstanceId does not exist."));
    }

    #[test]
    fn an_undocumented_code_keeps_its_defaults() {
        let reply =
            ApiError::new(409, "Made.Up", "why").reply("StartInstance", Catalog::pinned().ok());
        assert_eq!((reply.status, reply.message()), (409, Some("why")));
    }
}
