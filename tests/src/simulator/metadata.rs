//! Where the simulator's metadata comes from, so the published crate runs
//! anywhere: a file given explicitly (`--metadata`), the pinned file where
//! the metadata crate says it is ([`ecs_rs_metadata::pinned_path`]:
//! `$ECS_METADATA`, then `../shared/...` beside the checkout), the per-user
//! cache, else a download of the pinned URL, verified against the pin's
//! sha256 and kept in the cache.

use super::{Catalog, CatalogError};
use ecs_rs_metadata::Pin;
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

/// How to find the metadata.
#[derive(Debug, Clone)]
pub struct MetadataSource {
    /// A file to serve, skipping the search.
    pub path: Option<PathBuf>,
    /// Whether to look at `$ECS_METADATA` and `../shared/...` first.
    pub checkout: bool,
    /// Where downloads are kept (`<user cache>/ecs-rs` by default).
    pub cache_dir: Option<PathBuf>,
    /// What to download and how to verify it.
    pub pin: Pin,
}

impl Default for MetadataSource {
    fn default() -> Self {
        MetadataSource {
            path: None,
            checkout: true,
            cache_dir: dirs::cache_dir().map(|d| d.join("ecs-rs")),
            pin: Pin::committed(),
        }
    }
}

/// Why no metadata could be had.
#[derive(Debug)]
#[non_exhaustive]
pub enum MetadataError {
    /// A path given explicitly (or by `$ECS_METADATA`) is not a file.
    NotAFile {
        path: PathBuf,
        from: &'static str,
    },
    /// Nothing local, and the download failed.
    Download {
        url: String,
        reason: String,
        cache: Option<PathBuf>,
        sha256: String,
    },
    /// The download's digest is not the pinned one.
    Digest {
        url: String,
        expected: String,
        actual: String,
    },
    /// The download could not be kept in the cache.
    Cache {
        path: PathBuf,
        source: std::io::Error,
    },
    Load(CatalogError),
}

impl fmt::Display for MetadataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MetadataError::NotAFile { path, from } => {
                write!(f, "{from} names {}, which is not a file", path.display())
            }
            MetadataError::Download { url, reason, cache, sha256 } => {
                write!(
                    f,
                    "the ECS metadata (api-docs.json) is not on this machine and downloading {url} failed: {reason}\n\
                     to run offline, fetch it once where there is network (sha256 {sha256}):\n  \
                     curl -fLo api-docs.json {url}\n\
                     then point the simulator at it: ECS_METADATA=$PWD/api-docs.json, or --metadata api-docs.json"
                )?;
                if let Some(cache) = cache {
                    write!(f, ", or copy it to {}", cache.display())?;
                }
                Ok(())
            }
            MetadataError::Digest { url, expected, actual } => write!(
                f,
                "{url} served metadata with sha256 {actual}, not the pinned {expected}; refusing it"
            ),
            MetadataError::Cache { path, source } => write!(
                f,
                "cannot keep the downloaded metadata at {}: {source}; set ECS_METADATA or pass --metadata FILE",
                path.display()
            ),
            MetadataError::Load(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for MetadataError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            MetadataError::Cache { source, .. } => Some(source),
            MetadataError::Load(e) => Some(e),
            _ => None,
        }
    }
}

impl MetadataSource {
    /// The file the pinned metadata is cached in.
    pub fn cache_path(&self) -> Option<PathBuf> {
        let pin = &self.pin;
        self.cache_dir.as_ref().map(|dir| {
            dir.join("metadata").join(format!(
                "{}-{}-{}.json",
                pin.product, pin.version, pin.sha256
            ))
        })
    }

    /// The metadata file to serve, downloading it if need be.
    pub async fn locate(&self) -> Result<PathBuf, MetadataError> {
        if let Some(path) = &self.path {
            return file(path, "--metadata");
        }
        if self.checkout {
            let pinned = ecs_rs_metadata::pinned_path();
            if pinned.is_file() {
                return Ok(pinned);
            }
            // A variable naming no file is a mistake to report; the file
            // beside a checkout is simply absent outside one.
            if ecs_rs_metadata::path_from_env().is_some() {
                return file(&pinned, ecs_rs_metadata::ENV_VAR);
            }
        }
        let cache = self.cache_path();
        if let Some(cache) = &cache {
            if std::fs::read(cache).is_ok_and(|bytes| self.pin.verify(&bytes).is_ok()) {
                return Ok(cache.clone());
            }
        }
        let bytes = self.download().await?;
        let Some(cache) = cache else {
            let path = std::env::temp_dir()
                .join("ecs-rs-metadata")
                .join(format!("{}.json", self.pin.sha256));
            keep(&path, &bytes)?;
            return Ok(path);
        };
        keep(&cache, &bytes)?;
        Ok(cache)
    }

    /// The catalog of the located metadata, parsed once per file and process.
    pub async fn catalog(&self) -> Result<&'static Catalog, MetadataError> {
        let path = self.locate().await?;
        if path == ecs_rs_metadata::pinned_path() {
            return Catalog::pinned().map_err(MetadataError::Load);
        }
        static LOADED: OnceLock<Mutex<HashMap<PathBuf, &'static Catalog>>> = OnceLock::new();
        let loaded = LOADED.get_or_init(Mutex::default);
        if let Some(catalog) = crate::sync::lock(loaded).get(&path) {
            return Ok(catalog);
        }
        let catalog: &'static Catalog =
            Box::leak(Box::new(Catalog::load(&path).map_err(MetadataError::Load)?));
        Ok(*crate::sync::lock(loaded).entry(path).or_insert(catalog))
    }

    async fn download(&self) -> Result<Vec<u8>, MetadataError> {
        let url = &self.pin.url;
        let failed = |reason: String| MetadataError::Download {
            url: url.clone(),
            reason,
            cache: self.cache_path(),
            sha256: self.pin.sha256.clone(),
        };
        let client = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(120))
            .build()
            .map_err(|e| failed(e.to_string()))?;
        let response = client
            .get(url)
            .send()
            .await
            .map_err(|e| failed(error_chain(&e)))?;
        let status = response.status();
        if !status.is_success() {
            return Err(failed(format!("HTTP {status}")));
        }
        let bytes = response
            .bytes()
            .await
            .map_err(|e| failed(error_chain(&e)))?;
        self.pin.verify(&bytes).map_err(|_| MetadataError::Digest {
            url: url.clone(),
            expected: self.pin.sha256.clone(),
            actual: ecs_rs_metadata::sha256_hex(&bytes),
        })?;
        Ok(bytes.to_vec())
    }
}

fn file(path: &Path, from: &'static str) -> Result<PathBuf, MetadataError> {
    if path.is_file() {
        Ok(path.to_path_buf())
    } else {
        Err(MetadataError::NotAFile {
            path: path.to_path_buf(),
            from,
        })
    }
}

/// Writes `bytes` to `path` atomically: a temporary file beside it, renamed.
fn keep(path: &Path, bytes: &[u8]) -> Result<(), MetadataError> {
    let failed = |source| MetadataError::Cache {
        path: path.to_path_buf(),
        source,
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(failed)?;
    let temp = dir.join(format!(
        ".{}.{}.part",
        path.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("metadata"),
        std::process::id()
    ));
    std::fs::write(&temp, bytes).map_err(failed)?;
    std::fs::rename(&temp, path).map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        failed(e)
    })
}

/// An error with its causes, `a: b: c`.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}
