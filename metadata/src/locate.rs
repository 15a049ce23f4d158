//! Where the pinned metadata is found, and reading it from disk. Every
//! test and tool that needs the real ECS metadata calls [`pinned_path`] or
//! [`load_pinned`], so the rule lives here once.

use crate::{parse, ApiDocs, LoadError};
use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};

/// The variable naming the metadata file (`api-docs.json`).
pub const ENV_VAR: &str = "ECS_METADATA";

/// The pinned file's path inside the `shared` folder beside a checkout.
const IN_SHARED: &str = "shared/metadata/ecs/2014-05-26/api-docs.json";

/// The pinned file beside the checkout this crate was built in.
const BESIDE_CHECKOUT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/metadata/ecs/2014-05-26/api-docs.json"
);

/// `$ECS_METADATA` when it is set and not empty.
pub fn path_from_env() -> Option<PathBuf> {
    named(std::env::var_os(ENV_VAR))
}

/// Where the pinned metadata is: `$ECS_METADATA`, else
/// `../shared/metadata/ecs/2014-05-26/api-docs.json` beside the checkout
/// this crate was built in, else `shared/...` in the current directory or
/// the nearest of its parents that has it (a build moved or shared between
/// checkouts, a binary run beside `shared`). When none exists, the path
/// beside the checkout, for the error to name.
pub fn pinned_path() -> PathBuf {
    chosen(
        std::env::var_os(ENV_VAR),
        std::env::current_dir().ok().as_deref(),
    )
}

fn named(var: Option<OsString>) -> Option<PathBuf> {
    var.filter(|v| !v.is_empty()).map(PathBuf::from)
}

fn chosen(var: Option<OsString>, cwd: Option<&Path>) -> PathBuf {
    named(var).unwrap_or_else(|| beside(Path::new(BESIDE_CHECKOUT), cwd))
}

fn beside(checkout: &Path, cwd: Option<&Path>) -> PathBuf {
    if checkout.is_file() {
        return checkout.to_path_buf();
    }
    cwd.into_iter()
        .flat_map(Path::ancestors)
        .map(|dir| dir.join(IN_SHARED))
        .find(|path| path.is_file())
        .unwrap_or_else(|| checkout.to_path_buf())
}

/// Reads and parses the pinned metadata (see [`pinned_path`]).
pub fn load_pinned() -> Result<ApiDocs, MetadataError> {
    load(&pinned_path())
}

/// Reads and parses a metadata file.
pub fn load(path: &Path) -> Result<ApiDocs, MetadataError> {
    let text = read_text(path)?;
    parse(&text).map_err(|source| MetadataError::Parse {
        path: path.to_path_buf(),
        source,
    })
}

/// The text of a metadata file; a missing file is told apart from one
/// that cannot be read.
pub fn read_text(path: &Path) -> Result<String, MetadataError> {
    std::fs::read_to_string(path).map_err(|source| {
        if source.kind() == std::io::ErrorKind::NotFound {
            MetadataError::Missing {
                path: path.to_path_buf(),
            }
        } else {
            MetadataError::Read {
                path: path.to_path_buf(),
                source,
            }
        }
    })
}

/// Why a metadata file could not be loaded, naming the file.
#[derive(Debug)]
pub enum MetadataError {
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

impl fmt::Display for MetadataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MetadataError::Missing { path } => write!(
                f,
                "ECS metadata not found at {}; set {ENV_VAR} to the path of api-docs.json \
                 (see metadata/pin.json)",
                path.display()
            ),
            MetadataError::Read { path, source } => {
                write!(f, "cannot read ECS metadata {}: {source}", path.display())
            }
            MetadataError::Parse { path, source } => {
                write!(f, "cannot parse ECS metadata {}: {source}", path.display())
            }
        }
    }
}

impl std::error::Error for MetadataError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            MetadataError::Missing { .. } => None,
            MetadataError::Read { source, .. } => Some(source),
            MetadataError::Parse { source, .. } => Some(source),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_variable_wins_over_the_file_beside_the_checkout() {
        let set = chosen(Some("/data/api-docs.json".into()), None);
        assert_eq!(set, PathBuf::from("/data/api-docs.json"));
        for unset in [None, Some(OsString::new())] {
            let path = chosen(unset, None);
            assert!(
                path.ends_with("shared/metadata/ecs/2014-05-26/api-docs.json"),
                "{}",
                path.display()
            );
        }
    }

    #[test]
    fn without_the_checkouts_shared_the_nearest_shared_above_the_current_directory_is_used() {
        let root = tempfile_dir("ancestors");
        let file = root.join(IN_SHARED);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, "{}").unwrap();
        let cwd = root.join("checkout/tests");
        std::fs::create_dir_all(&cwd).unwrap();
        let gone = root.join("elsewhere/../../shared/metadata/ecs/2014-05-26/api-docs.json");
        assert_eq!(beside(&gone, Some(&cwd)), file);
        // Nothing found: the checkout's path, for the error to name.
        assert_eq!(beside(&gone, None), gone);
        // The checkout's own file comes first.
        let other = root.join("checkout/shared.json");
        std::fs::write(&other, "{}").unwrap();
        assert_eq!(beside(&other, Some(&cwd)), other);
        std::fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn a_missing_file_names_the_path_and_the_variable() {
        let path = std::env::temp_dir().join("ecs-rs-no-such-metadata.json");
        let err = load(&path).unwrap_err();
        assert!(matches!(err, MetadataError::Missing { .. }), "{err}");
        let text = err.to_string();
        assert!(text.contains(&path.display().to_string()), "{text}");
        assert!(text.contains(ENV_VAR), "{text}");
    }

    #[test]
    fn an_invalid_file_names_the_path_and_the_json_path() {
        let dir = tempfile_dir("invalid");
        let path = dir.join("api-docs.json");
        std::fs::write(&path, r#"{"info":{"product":"Ecs","version":1}}"#).unwrap();
        let err = load(&path).unwrap_err();
        let text = err.to_string();
        assert!(text.contains(&path.display().to_string()), "{text}");
        assert!(text.contains("info.version"), "{text}");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn the_pinned_metadata_loads_from_where_pinned_path_points() {
        let docs = load_pinned().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(docs.info.product, "Ecs");
        assert_eq!(docs.info.version, "2014-05-26");
    }

    fn tempfile_dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("ecs-rs-metadata-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}
