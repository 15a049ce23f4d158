//! The one timestamp format of the protocol, UTC `YYYY-MM-DDThh:mm:ssZ`
//! (request `Timestamp`, `x-acs-date`, credential `Expiration`).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Formats `t` (truncated to whole seconds). Signing does this once per
/// attempt, so the digits are written into a fixed template.
pub fn format(t: SystemTime) -> String {
    let secs = t.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs();
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(days as i64);
    let (h, mi, s) = (rem / 3600, rem % 3600 / 60, rem % 60);
    if y > 9999 {
        return format!("{y}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z");
    }
    let mut text = *b"0000-00-00T00:00:00Z";
    for (at, value, width) in [
        (0, y as u64, 4),
        (5, u64::from(m), 2),
        (8, u64::from(d), 2),
        (11, h, 2),
        (14, mi, 2),
        (17, s, 2),
    ] {
        let mut v = value;
        for i in (at..at + width).rev() {
            text[i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
    }
    String::from_utf8(text.to_vec()).expect("ASCII digits")
}

/// Parses `YYYY-MM-DDThh:mm:ssZ`; `None` for anything else.
pub fn parse(s: &str) -> Option<SystemTime> {
    let b = s.as_bytes();
    if b.len() != 20
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
        || b[19] != b'Z'
    {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u64> {
        let part = s.get(r)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, se) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || se > 60 || y < 1970
    {
        return None;
    }
    let days = days_from_civil(y as i64, mo as u32, d as u32);
    let secs = days as u64 * 86_400 + h * 3600 + mi * 60 + se;
    Some(UNIX_EPOCH + Duration::from_secs(secs))
}

// Howard Hinnant's civil calendar algorithms (public domain).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
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

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_the_documented_example_instant() {
        let t = UNIX_EPOCH + Duration::from_secs(1_456_231_584);
        assert_eq!(format(t), "2016-02-23T12:46:24Z");
    }

    #[test]
    fn drops_fractional_seconds() {
        let t = UNIX_EPOCH + Duration::from_millis(1_456_231_584_999);
        assert_eq!(format(t), "2016-02-23T12:46:24Z");
    }

    #[test]
    fn parse_inverts_format_across_leap_days() {
        for secs in [0u64, 951_782_400, 1_709_164_800, 4_107_542_399] {
            let t = UNIX_EPOCH + Duration::from_secs(secs);
            assert_eq!(parse(&format(t)), Some(t), "{}", format(t));
        }
    }

    #[test]
    fn formats_every_field_zero_padded() {
        // 2001-02-03T04:05:06Z
        let t = UNIX_EPOCH + Duration::from_secs(981_173_106);
        assert_eq!(format(t), "2001-02-03T04:05:06Z");
    }

    #[test]
    fn formats_instants_before_the_epoch_as_the_epoch() {
        let t = UNIX_EPOCH - Duration::from_secs(1);
        assert_eq!(format(t), "1970-01-01T00:00:00Z");
    }

    #[test]
    fn formats_years_past_9999_in_full() {
        // 10000-01-01T00:00:00Z
        let t = UNIX_EPOCH + Duration::from_secs(253_402_300_800);
        assert_eq!(format(t), "10000-01-01T00:00:00Z");
    }

    #[test]
    fn parse_rejects_other_shapes() {
        for bad in [
            "2016-02-23 12:46:24Z",
            "2016-02-23T12:46:24",
            "2016-13-01T00:00:00Z",
            "x",
            "2016-02-23T12:46:24.5Z",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }
}
