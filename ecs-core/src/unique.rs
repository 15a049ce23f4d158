//! Unique ids for `SignatureNonce` and `ClientToken`, in the random UUID
//! form the official SDKs send, without a system call per id.
//!
//! One random seed per process (a single `getrandom`, on first use) and a
//! process-wide counter: the 62 low bits of each id are the seed's plus a
//! bijective scramble of the counter, so no two ids of a process are equal
//! before 2^62 of them; the other 60 free bits are the seed's, so ids of
//! two processes collide with probability about 2^-60 per pair. The
//! scramble only keeps consecutive ids from looking alike: neither use
//! needs them unpredictable (a nonce is signed, a token only has to be
//! new). A child `fork`ed without `exec` shares its parent's state, as
//! with any user-space generator; Tokio programs do not do that.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

const LOW62: u64 = (1 << 62) - 1;

static SEED: OnceLock<(u64, u64)> = OnceLock::new();
static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A UUID's text, on the stack.
pub(crate) struct UniqueId([u8; 36]);

impl UniqueId {
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("a UUID's text is ASCII")
    }
}

/// The next id of this process.
pub(crate) fn next() -> UniqueId {
    let (high, low) = *SEED.get_or_init(|| uuid::Uuid::new_v4().as_u64_pair());
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let low = (low.wrapping_add(scramble(n)) & LOW62) | (0b10 << 62); // RFC 9562 variant
    let high = (high & !0xf000) | 0x4000; // version 4
    let mut text = [0u8; 36];
    uuid::Uuid::from_u64_pair(high, low)
        .hyphenated()
        .encode_lower(&mut text);
    UniqueId(text)
}

/// A bijection of the 62 low bits (odd multiplications and xor-shifts,
/// each invertible modulo 2^62).
fn scramble(n: u64) -> u64 {
    let mut x = n & LOW62;
    x = x.wrapping_mul(0x9e37_79b9_7f4a_7c15) & LOW62;
    x ^= x >> 29;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9) & LOW62;
    x ^ (x >> 32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_are_version_4_uuids() {
        let id = next();
        let parsed = uuid::Uuid::parse_str(id.as_str()).unwrap();
        assert_eq!(parsed.get_version_num(), 4);
        assert_eq!(parsed.get_variant(), uuid::Variant::RFC4122);
    }

    #[test]
    fn ids_do_not_repeat_across_threads() {
        let threads: Vec<_> = (0..4)
            .map(|_| {
                std::thread::spawn(|| {
                    (0..20_000)
                        .map(|_| next().as_str().to_string())
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let mut seen = HashSet::new();
        for t in threads {
            for id in t.join().unwrap() {
                assert!(seen.insert(id.clone()), "{id} repeated");
            }
        }
    }

    #[test]
    fn the_scramble_is_a_bijection_on_a_sample() {
        let sample: HashSet<u64> = (0..100_000u64)
            .chain((0..1000).map(|i| LOW62 - i))
            .map(scramble)
            .collect();
        assert_eq!(sample.len(), 101_000);
        assert!(sample.iter().all(|x| *x <= LOW62));
    }
}
