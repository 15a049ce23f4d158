//! The operations of the API, indexed once at load.

use super::errors::Rejection;
use super::{respond, sample, validate, Reply, COMMON_PARAMS};
use ecs_rs_metadata::{ApiDocs, LoadError, Schema, Style};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The simulated API: every operation of one metadata document.
#[derive(Debug, Clone)]
pub struct Catalog {
    operations: BTreeMap<String, Operation>,
}

/// One operation, ready for validation.
#[derive(Debug, Clone)]
pub(crate) struct Operation {
    /// Deduplicated, in metadata order.
    pub params: Vec<Param>,
    pub by_name: HashMap<String, usize>,
    /// The success body; each reply gets a fresh `RequestId`.
    pub body: Value,
}

#[derive(Debug, Clone)]
pub(crate) struct Param {
    pub name: String,
    pub style: Option<Style>,
    pub schema: Schema,
    pub required: bool,
}

impl Param {
    /// Sent as one value rather than flattened into `Name.N` / `Name.Field`.
    pub fn delimiter(&self) -> Option<char> {
        match self.style {
            Some(Style::Simple) => Some(','),
            Some(Style::SpaceDelimited) => Some(' '),
            Some(Style::PipeDelimited) => Some('|'),
            _ => None,
        }
    }

    pub fn is_json(&self) -> bool {
        self.style == Some(Style::Json)
    }
}

impl Operation {
    fn new(api: &ecs_rs_metadata::Api) -> Self {
        let mut params: Vec<Param> = Vec::new();
        let mut by_name = HashMap::new();
        // The metadata lists some parameters twice: the first wins and it is
        // required if either says so, as in codegen.
        for p in &api.parameters {
            match by_name.get(&p.name) {
                Some(&i) => {
                    let first: &mut Param = &mut params[i];
                    first.required |= p.schema.is_required();
                }
                None => {
                    by_name.insert(p.name.clone(), params.len());
                    params.push(Param {
                        name: p.name.clone(),
                        style: p.style,
                        schema: p.schema.clone(),
                        required: p.schema.is_required(),
                    });
                }
            }
        }
        Operation {
            params,
            by_name,
            body: respond::success_body(api),
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
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| CatalogError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let docs = ecs_rs_metadata::parse(&text).map_err(|source| CatalogError::Parse {
            path: path.to_path_buf(),
            source,
        })?;
        Ok(Catalog::from_docs(docs))
    }

    /// Where the pinned metadata is: `ECS_METADATA`, else
    /// `<workspace>/../shared/metadata/ecs/2014-05-26/api-docs.json`.
    pub fn pinned_path() -> PathBuf {
        match std::env::var_os("ECS_METADATA") {
            Some(p) => PathBuf::from(p),
            None => Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../shared/metadata/ecs/2014-05-26/api-docs.json"),
        }
    }

    /// The pinned metadata's catalog, loaded once per process.
    pub fn pinned() -> Result<&'static Catalog, CatalogError> {
        static PINNED: OnceLock<Catalog> = OnceLock::new();
        if let Some(c) = PINNED.get() {
            return Ok(c);
        }
        let path = Self::pinned_path();
        if !path.is_file() {
            return Err(CatalogError::Missing { path });
        }
        let loaded = Catalog::load(&path)?;
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

    /// The smallest correct request: every required parameter, in wire form,
    /// with values from the metadata examples where they fit.
    pub fn sample_request(&self, action: &str) -> Option<Vec<(String, String)>> {
        self.operations.get(action).map(sample::required_params)
    }
}

/// Why a catalog could not be loaded.
#[derive(Debug)]
pub enum CatalogError {
    Missing {
        path: PathBuf,
    },
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    Parse {
        path: PathBuf,
        source: LoadError,
    },
}

impl fmt::Display for CatalogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CatalogError::Missing { path } => write!(
                f,
                "ECS metadata not found at {}; set ECS_METADATA to the path of api-docs.json",
                path.display()
            ),
            CatalogError::Read { path, source } => {
                write!(f, "cannot read ECS metadata {}: {source}", path.display())
            }
            CatalogError::Parse { path, source } => {
                write!(f, "cannot parse ECS metadata {}: {source}", path.display())
            }
        }
    }
}

impl std::error::Error for CatalogError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CatalogError::Missing { .. } => None,
            CatalogError::Read { source, .. } => Some(source),
            CatalogError::Parse { source, .. } => Some(source),
        }
    }
}
