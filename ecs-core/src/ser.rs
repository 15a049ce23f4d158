//! How generated types write their fields: each field through [`Plain`],
//! turned into the wire form its table names ([`Plain::json`],
//! [`Plain::joined`], [`Plain::wrapped`]), left out when [`Absent`].
//!
//! The declaration macros ([`crate::request_struct!`],
//! [`crate::response_struct!`]) call these; generated code names them
//! only through those macros.

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use std::fmt::{Display, Write as _};

/// Whether a field's value is left off the wire: `None` and empty lists
/// are; a required value never is.
pub trait Absent {
    fn is_absent(&self) -> bool {
        false
    }
}

impl<T> Absent for Option<T> {
    fn is_absent(&self) -> bool {
        self.is_none()
    }
}

impl<T> Absent for Vec<T> {
    fn is_absent(&self) -> bool {
        self.is_empty()
    }
}

impl Absent for String {}
impl Absent for bool {}
impl Absent for i32 {}
impl Absent for i64 {}
impl Absent for f64 {}
impl Absent for serde_json::Value {}

/// A field value as it is: flattened by the query serializer, or written
/// as JSON of its own shape.
pub struct Plain<'a, T: ?Sized>(pub &'a T);

impl<T: Serialize + ?Sized> Serialize for Plain<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'a, T: ?Sized> Plain<'a, T> {
    /// JSON-style parameters (`style: json`, JSON-array strings): the
    /// whole value goes on the wire as one compact JSON string.
    pub fn json(self) -> Json<'a, T> {
        Json(self.0)
    }

    /// A list joined by one separator (`simple`: `,`, `spaceDelimited`:
    /// ` `, `pipeDelimited`: `|`) into one parameter.
    pub fn joined(self, separator: char) -> Joined<'a, T> {
        Joined(self.0, separator)
    }

    /// A response list written back in its wire shape `{key: [...]}`, so a
    /// decoded response serializes to what the service sent.
    pub fn wrapped(self, key: &'static str) -> Wrapped<'a, T> {
        Wrapped(self.0, key)
    }
}

/// See [`Plain::json`].
pub struct Json<'a, T: ?Sized>(&'a T);

impl<T: Serialize + ?Sized> Serialize for Json<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let text = serde_json::to_string(self.0).map_err(serde::ser::Error::custom)?;
        serializer.serialize_str(&text)
    }
}

/// See [`Plain::joined`].
pub struct Joined<'a, T: ?Sized>(&'a T, char);

impl<T: Display> Serialize for Joined<'_, Vec<T>> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut text = String::new();
        for (i, item) in self.0.iter().enumerate() {
            if i > 0 {
                text.push(self.1);
            }
            // Written in place: no string per item.
            write!(text, "{item}").map_err(serde::ser::Error::custom)?;
        }
        serializer.serialize_str(&text)
    }
}

/// See [`Plain::wrapped`].
pub struct Wrapped<'a, T: ?Sized>(&'a T, &'static str);

impl<T: Serialize> Serialize for Wrapped<'_, Vec<T>> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(self.1, self.0)?;
        map.end()
    }
}
