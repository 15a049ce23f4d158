//! Where the metadata comes from: `--metadata`, `$ECS_METADATA`, or the
//! pinned URL downloaded once into `.cache/`.

use crate::Options;
use ecs_rs_metadata::{sha256_hex, ApiDocs, Pin};
use std::path::{Path, PathBuf};
use std::process::Command;

pub fn load(opts: &Options, pin: &Pin) -> Result<(PathBuf, Vec<u8>), String> {
    let path = match &opts.metadata {
        Some(p) => p.clone(),
        None => cached(opts, pin)?,
    };
    let bytes = std::fs::read(&path)
        .map_err(|e| format!("cannot read metadata {}: {e}", path.display()))?;
    Ok((path, bytes))
}

fn cache_path(opts: &Options, pin: &Pin) -> PathBuf {
    opts.root
        .join(".cache/metadata")
        .join(format!("{}.json", pin.sha256))
}

/// The pinned metadata from the cache, downloading it when absent.
fn cached(opts: &Options, pin: &Pin) -> Result<PathBuf, String> {
    let path = cache_path(opts, pin);
    if path.is_file() {
        return Ok(path);
    }
    let dir = path.parent().expect("cache path has a parent");
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let partial = path.with_extension("part");
    eprintln!("downloading {}", pin.url);
    let status = Command::new("curl")
        .args(["-fsSL", "--retry", "2", "-o"])
        .arg(&partial)
        .arg(&pin.url)
        .status()
        .map_err(|e| {
            format!(
                "cannot run curl to download {}: {e}; pass --metadata PATH or set ECS_METADATA",
                pin.url
            )
        })?;
    if !status.success() {
        let _ = std::fs::remove_file(&partial);
        return Err(format!(
            "downloading {} failed ({status}); pass --metadata PATH or set ECS_METADATA",
            pin.url
        ));
    }
    let bytes = std::fs::read(&partial).map_err(|e| e.to_string())?;
    pin.verify(&bytes)
        .map_err(|e| format!("downloaded {}: {e}", pin.url))?;
    std::fs::rename(&partial, &path).map_err(|e| e.to_string())?;
    Ok(path)
}

/// The API changes from the pinned metadata to `new`, or why they cannot be shown.
pub fn diff_against_pinned(opts: &Options, pin: &Pin, new: &ApiDocs) -> String {
    let candidates = [
        opts.previous.clone(),
        ecs_rs_metadata::path_from_env(),
        Some(cache_path(opts, pin)),
    ];
    for path in candidates.into_iter().flatten() {
        if let Some(old) = read_matching(&path, pin) {
            return ecs_rs_metadata::diff(&old, new).to_string();
        }
    }
    format!(
        "(API changes not shown: the pinned metadata {} is not at hand; pass --previous PATH)\n",
        pin.sha256
    )
}

fn read_matching(path: &Path, pin: &Pin) -> Option<ApiDocs> {
    let bytes = std::fs::read(path).ok()?;
    if sha256_hex(&bytes) != pin.sha256 {
        return None;
    }
    ecs_rs_metadata::parse(std::str::from_utf8(&bytes).ok()?).ok()
}

/// Today's UTC date, `YYYY-MM-DD`.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (y, m, d) = civil_from_days((secs / 86_400) as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

// Howard Hinnant's days-to-civil algorithm.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::civil_from_days;

    #[test]
    fn days_since_epoch_become_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_898), (2024, 6, 24));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }
}
