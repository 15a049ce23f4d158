//! The operations of the API, indexed once at load: parameters, success
//! body, documented error codes.

use super::errors::Rejection;
use super::{respond, sample, validate, Reply, COMMON_PARAMS};
use ecs_rs_metadata::{ApiDocs, Params};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

/// The simulated API: every operation of one metadata document.
#[derive(Debug, Clone)]
pub struct Catalog {
    operations: BTreeMap<String, Operation>,
}

/// One operation, ready for validation.
#[derive(Debug, Clone)]
pub(crate) struct Operation {
    /// Each parameter once, as the metadata crate reads them.
    pub params: Params,
    /// The success body; each reply gets a fresh `RequestId`.
    pub body: Value,
    /// The `errorCodes`: code -> every (HTTP status, message) listed for it.
    errors: BTreeMap<String, Vec<DocumentedError>>,
}

/// An error code as an operation documents it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentedError {
    pub status: u16,
    pub message: String,
}

impl Operation {
    fn new(api: &ecs_rs_metadata::Api) -> Self {
        let mut errors: BTreeMap<String, Vec<DocumentedError>> = BTreeMap::new();
        for (status, listed) in &api.error_codes {
            let Ok(status) = status.parse::<u16>() else {
                continue;
            };
            for code in listed {
                errors
                    .entry(code.code.clone())
                    .or_default()
                    .push(DocumentedError {
                        status,
                        message: code.message.clone().unwrap_or_default(),
                    });
            }
        }
        Operation {
            params: api.params(),
            body: respond::success_body(api),
            errors,
        }
    }
}

impl Catalog {
    pub fn from_docs(docs: ApiDocs) -> Self {
        let operations = docs
            .apis
            .iter()
            .map(|(name, api)| (name.clone(), Operation::new(api)))
            .collect();
        Catalog { operations }
    }

    pub fn load(path: impl AsRef<Path>) -> Result<Self, CatalogError> {
        ecs_rs_metadata::load(path.as_ref()).map(Catalog::from_docs)
    }

    /// The pinned metadata's catalog ([`ecs_rs_metadata::load_pinned`]),
    /// loaded once per process.
    pub fn pinned() -> Result<&'static Catalog, CatalogError> {
        static PINNED: OnceLock<Catalog> = OnceLock::new();
        if let Some(c) = PINNED.get() {
            return Ok(c);
        }
        let loaded = Catalog::from_docs(ecs_rs_metadata::load_pinned()?);
        Ok(PINNED.get_or_init(|| loaded))
    }

    /// Operation names, sorted.
    pub fn actions(&self) -> impl Iterator<Item = &str> {
        self.operations.keys().map(String::as_str)
    }

    pub fn len(&self) -> usize {
        self.operations.len()
    }

    pub fn is_empty(&self) -> bool {
        self.operations.is_empty()
    }

    pub fn contains(&self, action: &str) -> bool {
        self.operations.contains_key(action)
    }

    /// Answers one request. `params` are the decoded query (and form)
    /// parameters; the [`COMMON_PARAMS`] among them are ignored.
    pub fn handle<K: AsRef<str>, V: AsRef<str>>(&self, action: &str, params: &[(K, V)]) -> Reply {
        match self.check_op(action, params) {
            Ok(op) => Reply {
                status: 200,
                body: respond::with_fresh_request_id(op.body.clone()),
            },
            Err(rejection) => rejection.reply(),
        }
    }

    /// The validation alone: what [`Catalog::handle`] would reject, if anything.
    pub fn check<K: AsRef<str>, V: AsRef<str>>(
        &self,
        action: &str,
        params: &[(K, V)],
    ) -> Result<(), Rejection> {
        self.check_op(action, params).map(|_| ())
    }

    fn check_op<K: AsRef<str>, V: AsRef<str>>(
        &self,
        action: &str,
        params: &[(K, V)],
    ) -> Result<&Operation, Rejection> {
        let op = self
            .operations
            .get(action)
            .ok_or_else(|| Rejection::UnknownAction(action.to_string()))?;
        let own: Vec<(&str, &str)> = params
            .iter()
            .map(|(k, v)| (k.as_ref(), v.as_ref()))
            .filter(|(k, _)| !COMMON_PARAMS.contains(k))
            .collect();
        validate::check(op, &own)?;
        Ok(op)
    }

    /// The success body served for `action` (its `RequestId` is replaced in
    /// every reply): the metadata example, else one built from the schema.
    pub fn example_body(&self, action: &str) -> Option<Value> {
        self.operations.get(action).map(|op| op.body.clone())
    }

    /// How `action` documents the error `code`: the entry with `status`
    /// if there is one, else the first listed.
    pub fn documented_error(
        &self,
        action: &str,
        code: &str,
        status: u16,
    ) -> Option<&DocumentedError> {
        let listed = self.operations.get(action)?.errors.get(code)?;
        listed
            .iter()
            .find(|d| d.status == status)
            .or_else(|| listed.first())
    }

    /// Whether `action` lists the error `code`.
    pub fn documents_error(&self, action: &str, code: &str) -> bool {
        self.operations
            .get(action)
            .is_some_and(|op| op.errors.contains_key(code))
    }

    /// The smallest correct request: every required parameter, in wire form,
    /// with values from the metadata examples where they fit.
    pub fn sample_request(&self, action: &str) -> Option<Vec<(String, String)>> {
        self.operations.get(action).map(sample::required_params)
    }
}

/// Why a catalog could not be loaded: the metadata crate's error, naming
/// the file.
pub use ecs_rs_metadata::MetadataError as CatalogError;
