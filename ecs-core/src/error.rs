use crate::query::QueryError;
use std::fmt;

/// Every way an ecs-rs call can fail.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// A request value that cannot be sent, named by operation and parameter.
    InvalidRequest {
        operation: &'static str,
        source: QueryError,
    },
    /// A required parameter is missing; all missing ones are named.
    MissingParameter {
        operation: &'static str,
        params: Vec<String>,
    },
    /// The body could not be decoded as the operation's response type.
    Decode {
        operation: &'static str,
        /// JSON path of the offending value, e.g. `Instances.Instance[0].Cpu`.
        path: String,
        message: String,
        /// The start of the body, bounded.
        snippet: String,
        request_id: Option<String>,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidRequest { operation, source } => write!(f, "{operation}: {source}"),
            Error::MissingParameter { operation, params } => {
                write!(
                    f,
                    "{operation}: missing required parameter(s): {}",
                    params.join(", ")
                )
            }
            Error::Decode {
                operation,
                path,
                message,
                snippet,
                request_id,
            } => {
                write!(
                    f,
                    "{operation}: cannot decode response at `{path}`: {message}"
                )?;
                if let Some(id) = request_id {
                    write!(f, " (RequestId {id})")?;
                }
                write!(f, "; body starts: {snippet}")
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::InvalidRequest { source, .. } => Some(source),
            _ => None,
        }
    }
}
