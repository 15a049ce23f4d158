//! The state file and its journal. Every change is appended to the journal
//! (`<file>.journal`, one JSON line per change, flushed to disk before the
//! change is answered), so a save costs what changed, not the whole state.
//! When the journal outgrows the state, the state is written whole to a
//! temporary file, flushed, and renamed over the file (the directory
//! flushed too), and the journal starts again empty the same way: the file
//! is always either the last state or the one before, never half of one.
//! A crash mid-write leaves at most a stray temporary file, which loading
//! removes, or a torn last journal line, which loading drops. Saves are
//! grouped: the writer takes every change made meanwhile, and a caller
//! whose change it took does not write again.

use super::state::{Change, World};
use super::CloudError;
use serde::{Deserialize, Serialize};
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The file's form; bumped when an old file could not be read as is.
const FORMAT: u32 = 1;

/// The journal is folded into the state once it is larger than this and
/// than the state itself.
const COMPACT_AT: u64 = 1 << 20;

#[derive(Serialize, Deserialize)]
struct Saved<W> {
    format: u32,
    /// The last change the state holds.
    seq: u64,
    world: W,
}

/// One journal line: the changes one call made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Record {
    pub seq: u64,
    pub changes: Vec<Change>,
}

/// What a save writes, taken from the cloud at the save's turn.
pub(crate) struct Pending {
    /// The newest change.
    pub seq: u64,
    /// The changes not yet written, oldest first.
    pub records: Vec<Record>,
    /// The whole state, when the save asked for it.
    pub world: Option<World>,
}

/// Where the state is kept.
#[derive(Debug)]
pub(crate) struct Store {
    path: PathBuf,
    journal_path: PathBuf,
    disk: Mutex<Disk>,
}

#[derive(Debug)]
struct Disk {
    /// The newest change on disk.
    saved: u64,
    journal: File,
    journal_len: u64,
    state_len: u64,
    /// A write failed: the next save writes the state whole.
    broken: bool,
}

impl Store {
    /// Opens `path`: the state in it (if it exists) with its journal
    /// replayed, then folded in, so the journal starts empty. Returns the
    /// state and its newest change.
    pub fn open(path: &Path) -> Result<(Store, World, u64), CloudError> {
        let journal_path = with_suffix(path, ".journal");
        remove_stray_temporaries(path);
        remove_stray_temporaries(&journal_path);
        let fail = |what: &Path, e: String| {
            CloudError::new(format!(
                "cannot read the state file {}: {e}",
                what.display()
            ))
        };
        let (mut world, mut seq) = match fs::read(path) {
            Ok(bytes) => decode(&bytes).map_err(|e| fail(path, e))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (World::default(), 0),
            Err(e) => return Err(fail(path, e.to_string())),
        };
        match fs::read_to_string(&journal_path) {
            Ok(text) => {
                for record in complete_records(&text) {
                    if record.seq <= seq {
                        continue;
                    }
                    for change in record.changes {
                        world.apply(change).map_err(|e| fail(&journal_path, e))?;
                    }
                    seq = record.seq;
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(fail(&journal_path, e.to_string())),
        }
        let state_len = write_state(path, &world, seq).map_err(|e| save_failed(path, e))?;
        let journal = reset_journal(&journal_path).map_err(|e| save_failed(&journal_path, e))?;
        let store = Store {
            path: path.to_path_buf(),
            journal_path,
            disk: Mutex::new(Disk {
                saved: seq,
                journal,
                journal_len: 0,
                state_len,
                broken: false,
            }),
        };
        Ok((store, world, seq))
    }

    /// Makes change `seq` durable, unless a save already did: takes what is
    /// pending from `take` (the whole state too when the journal is due to
    /// be folded in) and writes it.
    pub fn save(&self, seq: u64, take: impl FnOnce(bool) -> Pending) -> Result<(), CloudError> {
        let mut disk = crate::sync::lock(&self.disk);
        if disk.saved >= seq {
            return Ok(());
        }
        let whole = disk.broken || disk.journal_len > COMPACT_AT.max(disk.state_len);
        let pending = take(whole);
        let written = match &pending.world {
            Some(world) => self.fold(&mut disk, world, pending.seq),
            None => append(&mut disk, &pending.records),
        };
        if let Err(e) = written {
            disk.broken = true;
            return Err(save_failed(&self.path, e));
        }
        disk.saved = pending.seq;
        Ok(())
    }

    /// Writes the state whole and empties the journal.
    fn fold(&self, disk: &mut Disk, world: &World, seq: u64) -> std::io::Result<()> {
        disk.state_len = write_state(&self.path, world, seq)?;
        disk.journal = reset_journal(&self.journal_path)?;
        disk.journal_len = 0;
        disk.broken = false;
        Ok(())
    }
}

fn save_failed(path: &Path, e: std::io::Error) -> CloudError {
    CloudError::new(format!("cannot save the state to {}: {e}", path.display()))
}

fn append(disk: &mut Disk, records: &[Record]) -> std::io::Result<()> {
    let mut lines = Vec::new();
    for record in records {
        serde_json::to_writer(&mut lines, record)?;
        lines.push(b'\n');
    }
    disk.journal.write_all(&lines)?;
    disk.journal.sync_data()?;
    disk.journal_len += lines.len() as u64;
    Ok(())
}

/// The journal's whole lines; a torn last line (a crash mid-append) and
/// anything after it are dropped.
fn complete_records(text: &str) -> Vec<Record> {
    let mut records = Vec::new();
    let mut rest = text;
    while let Some(end) = rest.find('\n') {
        match serde_json::from_str::<Record>(&rest[..end]) {
            Ok(record) => records.push(record),
            Err(_) => break,
        }
        rest = &rest[end + 1..];
    }
    records
}

fn decode(bytes: &[u8]) -> Result<(World, u64), String> {
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
    Ok((saved.world, saved.seq))
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

fn write_state(path: &Path, world: &World, seq: u64) -> std::io::Result<u64> {
    let bytes = serde_json::to_vec(&Saved {
        format: FORMAT,
        seq,
        world,
    })?;
    write_atomically(path, &bytes)?;
    Ok(bytes.len() as u64)
}

/// An empty journal in place of the old one, open for appending.
fn reset_journal(path: &Path) -> std::io::Result<File> {
    write_atomically(path, b"")?;
    OpenOptions::new().append(true).open(path)
}

fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = with_suffix(path, &format!(".tmp-{}", std::process::id()));
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

#[cfg(test)]
mod tests {
    use super::*;

    fn record(seq: u64) -> String {
        serde_json::to_string(&Record {
            seq,
            changes: Vec::new(),
        })
        .unwrap()
    }

    #[test]
    fn a_torn_last_journal_line_is_dropped() {
        let text = format!("{}\n{}\n{{\"seq\":3,\"chan", record(1), record(2));
        let seqs: Vec<u64> = complete_records(&text).iter().map(|r| r.seq).collect();
        assert_eq!(seqs, [1, 2]);
    }

    #[test]
    fn a_last_line_without_its_newline_is_torn_even_if_it_parses() {
        let text = format!("{}\n{}", record(1), record(2));
        assert_eq!(complete_records(&text).len(), 1);
    }
}
