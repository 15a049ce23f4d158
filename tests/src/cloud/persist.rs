//! The state file: written whole to a temporary file beside it, flushed to
//! disk, then renamed over it (and the directory flushed), so the file is
//! always either the last state or the one before, never half of one. A
//! crash mid-write leaves at most a stray temporary file, which loading
//! ignores and removes. Saves are grouped: a save that a newer one already
//! covers is skipped.

use super::state::World;
use super::CloudError;
use serde::{Deserialize, Serialize};
use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The file's form; bumped when an old file could not be read as is.
const FORMAT: u32 = 1;

#[derive(Serialize, Deserialize)]
struct Saved<W> {
    format: u32,
    world: W,
}

/// Where the state is kept.
#[derive(Debug)]
pub(crate) struct Store {
    path: PathBuf,
    /// The version last written; held while writing, so writes never race.
    saved: Mutex<u64>,
}

impl Store {
    /// Opens `path`: the state in it if it exists, else an empty one.
    pub fn open(path: &Path) -> Result<(Store, World), CloudError> {
        remove_stray_temporaries(path);
        let world = match fs::read(path) {
            Ok(bytes) => decode(&bytes).map_err(|e| {
                CloudError::new(format!("cannot read the state file {}: {e}", path.display()))
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => World::default(),
            Err(e) => {
                return Err(CloudError::new(format!(
                    "cannot read the state file {}: {e}",
                    path.display()
                )))
            }
        };
        let store = Store {
            path: path.to_path_buf(),
            saved: Mutex::new(0),
        };
        Ok((store, world))
    }

    /// Writes `snapshot` (of state `version`) unless a newer one is written.
    pub fn save(&self, version: u64, snapshot: &[u8]) -> Result<(), CloudError> {
        let mut saved = crate::server::lock(&self.saved);
        if *saved >= version {
            return Ok(());
        }
        write_atomically(&self.path, snapshot).map_err(|e| {
            CloudError::new(format!(
                "cannot save the state to {}: {e}",
                self.path.display()
            ))
        })?;
        *saved = version;
        Ok(())
    }
}

pub(crate) fn encode(world: &World) -> Result<Vec<u8>, CloudError> {
    serde_json::to_vec(&Saved {
        format: FORMAT,
        world,
    })
    .map_err(|e| CloudError::new(format!("cannot encode the state: {e}")))
}

fn decode(bytes: &[u8]) -> Result<World, String> {
    #[derive(Deserialize)]
    struct Header {
        format: u32,
    }
    let header: Header = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    if header.format != FORMAT {
        return Err(format!(
            "it is in form {}, this simulator reads form {FORMAT}",
            header.format
        ));
    }
    let saved: Saved<World> = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    Ok(saved.world)
}

fn temporary(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".tmp-{}", std::process::id()));
    path.with_file_name(name)
}

fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = temporary(path);
    let mut file = File::create(&tmp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    drop(file);
    fs::rename(&tmp, path)?;
    // The rename itself reaches the disk only when the directory does.
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        File::open(dir)?.sync_all()?;
    }
    Ok(())
}

/// Temporary files of writes that never finished (a crash mid-write).
fn remove_stray_temporaries(path: &Path) {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return;
    };
    let prefix = format!("{name}.tmp-");
    let dir = match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(d) => d.to_path_buf(),
        None => PathBuf::from("."),
    };
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            let _ = fs::remove_file(entry.path());
        }
    }
}
