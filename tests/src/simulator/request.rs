//! A request as the simulator received it: what [`Simulator::requests`]
//! shows a test, and what the signature checks read.
//!
//! [`Simulator::requests`]: super::Simulator::requests

use super::encoding::decode_query;

/// A request as received: method, target, headers and body, unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    pub method: String,
    /// The request target as sent, e.g. `/?Action=...`.
    pub target: String,
    /// Header names in lower case, values as sent.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RecordedRequest {
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    /// The raw (still percent-encoded) query string.
    pub fn raw_query(&self) -> &str {
        self.target.split_once('?').map_or("", |(_, q)| q)
    }

    /// Header value by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Decoded query parameters in wire order.
    pub fn params(&self) -> Vec<(String, String)> {
        decode_query(self.raw_query())
    }

    /// One decoded query parameter.
    pub fn param(&self, name: &str) -> Option<String> {
        self.params()
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }
}
