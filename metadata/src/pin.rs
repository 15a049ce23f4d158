use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;

/// The metadata the committed code was generated from (`metadata/pin.json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pin {
    pub product: String,
    pub version: String,
    pub url: String,
    pub sha256: String,
    pub size: u64,
    /// When the snapshot was taken from the metadata service (YYYY-MM-DD).
    pub date: String,
}

#[derive(Debug)]
pub enum PinError {
    Parse(serde_json::Error),
    Mismatch {
        expected: String,
        actual: String,
        size: u64,
    },
}

impl fmt::Display for PinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PinError::Parse(e) => write!(f, "invalid pin file: {e}"),
            PinError::Mismatch {
                expected,
                actual,
                size,
            } => write!(
                f,
                "metadata sha256 {actual} ({size} bytes) differs from the pinned {expected}; \
                 pass --update-pin to generate from it and move the pin"
            ),
        }
    }
}

impl std::error::Error for PinError {}

impl Pin {
    /// The pin committed with this crate.
    pub fn committed() -> Pin {
        Pin::parse(include_str!("../pin.json")).expect("metadata/pin.json is valid")
    }

    pub fn parse(text: &str) -> Result<Pin, PinError> {
        serde_json::from_str(text).map_err(PinError::Parse)
    }

    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("pin serializes");
        s.push('\n');
        s
    }

    /// Refuses bytes whose digest is not the pinned one.
    pub fn verify(&self, bytes: &[u8]) -> Result<(), PinError> {
        let actual = sha256_hex(bytes);
        if actual == self.sha256 {
            Ok(())
        } else {
            Err(PinError::Mismatch {
                expected: self.sha256.clone(),
                actual,
                size: bytes.len() as u64,
            })
        }
    }

    /// The pin moved to new bytes, dated `date`.
    pub fn moved_to(&self, bytes: &[u8], date: &str) -> Pin {
        Pin {
            sha256: sha256_hex(bytes),
            size: bytes.len() as u64,
            date: date.to_string(),
            ..self.clone()
        }
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn committed_pin_names_the_metadata_service_url() {
        let pin = Pin::committed();
        assert!(pin
            .url
            .ends_with("/products/Ecs/versions/2014-05-26/api-docs.json"));
        assert_eq!(pin.sha256.len(), 64);
    }

    #[test]
    fn verify_refuses_other_bytes_and_says_how_to_update() {
        let pin = Pin::committed().moved_to(b"one", "2026-01-01");
        assert!(pin.verify(b"one").is_ok());
        let err = pin.verify(b"two").unwrap_err().to_string();
        assert!(err.contains("--update-pin"), "{err}");
        assert!(err.contains(&sha256_hex(b"two")), "{err}");
    }

    #[test]
    fn sha256_matches_a_known_vector() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn pin_round_trips_through_json() {
        let pin = Pin::committed();
        assert_eq!(Pin::parse(&pin.to_json()).unwrap(), pin);
    }
}
