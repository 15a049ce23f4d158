//! Flattens a request into RPC query parameters (protocol.md, section 3).
//!
//! One serde [`Serializer`](serde::Serializer) serves every generated request:
//! struct fields become `Name` or `Prefix.Name`, list items `Prefix.N`
//! (N from 1), `None` and unit are omitted, booleans are `true`/`false`,
//! floats use the shortest round-trip decimal. JSON-style parameters are
//! serialized to one string by [`crate::ser::Plain::json`] before they get here.
//! Values are never percent-encoded at this stage.

use serde::ser::{self, Impossible, Serialize};
use std::fmt;

/// Query parameters in the order the request declares them.
pub type Params = Vec<(String, String)>;

/// A value that cannot be put on the wire, with the parameter it was for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    pub param: String,
    pub message: String,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.param.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "parameter `{}`: {}", self.param, self.message)
        }
    }
}

impl std::error::Error for QueryError {}

impl ser::Error for QueryError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        QueryError {
            param: String::new(),
            message: msg.to_string(),
        }
    }
}

/// Serializes `value` (a struct or map) into query parameters.
pub fn to_params<T: Serialize + ?Sized>(value: &T) -> Result<Params, QueryError> {
    let mut out = Params::new();
    value.serialize(Writer {
        out: &mut out,
        parent: "",
        key: "",
    })?;
    Ok(out)
}

/// One value's place: its name is `parent.key`, built only when the value
/// is written (an absent optional field costs no allocation).
struct Writer<'a> {
    out: &'a mut Params,
    parent: &'a str,
    key: &'a str,
}

impl Writer<'_> {
    fn name(&self) -> String {
        if self.parent.is_empty() {
            self.key.to_string()
        } else {
            format!("{}.{}", self.parent, self.key)
        }
    }

    fn push(self, value: String) -> Result<(), QueryError> {
        let name = self.name();
        if name.is_empty() {
            return Err(self.error("a bare value has no parameter name"));
        }
        self.out.push((name, value));
        Ok(())
    }

    fn error(&self, message: &str) -> QueryError {
        QueryError {
            param: self.name(),
            message: message.to_string(),
        }
    }
}

/// Collects struct fields, map entries and list items under one prefix.
pub struct Compound<'a> {
    out: &'a mut Params,
    prefix: String,
    index: usize,
    key: Option<String>,
}

impl<'a> Compound<'a> {
    fn new(w: Writer<'a>) -> Self {
        Compound {
            prefix: w.name(),
            out: w.out,
            index: 0,
            key: None,
        }
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), QueryError> {
        value.serialize(Writer {
            out: self.out,
            parent: &self.prefix,
            key,
        })
    }

    fn item<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), QueryError> {
        self.index += 1;
        let key = self.index.to_string();
        self.field(&key, value)
    }
}

macro_rules! display_scalars {
    ($($method:ident: $ty:ty),*) => {$(
        fn $method(self, v: $ty) -> Result<(), QueryError> {
            self.push(v.to_string())
        }
    )*};
}

impl<'a> ser::Serializer for Writer<'a> {
    type Ok = ();
    type Error = QueryError;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Impossible<(), QueryError>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Impossible<(), QueryError>;

    display_scalars!(
        serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_i128: i128, serialize_u8: u8, serialize_u16: u16,
        serialize_u32: u32, serialize_u64: u64, serialize_u128: u128, serialize_char: char,
        serialize_str: &str
    );

    fn serialize_f32(self, v: f32) -> Result<(), QueryError> {
        self.serialize_f64(f64::from(v))
    }

    fn serialize_f64(self, v: f64) -> Result<(), QueryError> {
        if !v.is_finite() {
            return Err(self.error("a number must be finite"));
        }
        // Display of f64 is the shortest round-trip decimal, never exponent form.
        self.push(v.to_string())
    }

    fn serialize_bytes(self, _: &[u8]) -> Result<(), QueryError> {
        Err(self.error("bytes cannot be sent as a query parameter"))
    }

    fn serialize_none(self) -> Result<(), QueryError> {
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), QueryError> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), QueryError> {
        Ok(())
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<(), QueryError> {
        Ok(())
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), QueryError> {
        self.push(variant.to_string())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), QueryError> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        value: &T,
    ) -> Result<(), QueryError> {
        value.serialize(self)
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'a>, QueryError> {
        Ok(Compound::new(self))
    }

    fn serialize_tuple(self, _: usize) -> Result<Compound<'a>, QueryError> {
        Ok(Compound::new(self))
    }

    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Compound<'a>, QueryError> {
        Ok(Compound::new(self))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, QueryError> {
        Err(self.error("tuple variants cannot be sent as query parameters"))
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'a>, QueryError> {
        Ok(Compound::new(self))
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Compound<'a>, QueryError> {
        Ok(Compound::new(self))
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, QueryError> {
        Err(self.error("struct variants cannot be sent as query parameters"))
    }
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = QueryError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), QueryError> {
        self.item(value)
    }
    fn end(self) -> Result<(), QueryError> {
        Ok(())
    }
}

impl ser::SerializeTuple for Compound<'_> {
    type Ok = ();
    type Error = QueryError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), QueryError> {
        self.item(value)
    }
    fn end(self) -> Result<(), QueryError> {
        Ok(())
    }
}

impl ser::SerializeTupleStruct for Compound<'_> {
    type Ok = ();
    type Error = QueryError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), QueryError> {
        self.item(value)
    }
    fn end(self) -> Result<(), QueryError> {
        Ok(())
    }
}

impl ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = QueryError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), QueryError> {
        self.field(key, value)
    }
    fn end(self) -> Result<(), QueryError> {
        Ok(())
    }
}

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = QueryError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), QueryError> {
        self.key = Some(key.serialize(KeyWriter)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), QueryError> {
        let key = self.key.take().ok_or_else(|| QueryError {
            param: self.prefix.clone(),
            message: "map value without a key".into(),
        })?;
        self.field(&key, value)
    }
    fn end(self) -> Result<(), QueryError> {
        Ok(())
    }
}

/// Map keys must be strings (or scalars written as strings).
struct KeyWriter;

macro_rules! key_scalars {
    ($($method:ident: $ty:ty),*) => {$(
        fn $method(self, v: $ty) -> Result<String, QueryError> {
            Ok(v.to_string())
        }
    )*};
}

macro_rules! key_rejects {
    ($($method:ident($($arg:ty),*) -> $ret:ty),*) => {$(
        fn $method(self, $(_: $arg),*) -> Result<$ret, QueryError> {
            Err(ser::Error::custom("map keys must be strings"))
        }
    )*};
}

impl ser::Serializer for KeyWriter {
    type Ok = String;
    type Error = QueryError;
    type SerializeSeq = Impossible<String, QueryError>;
    type SerializeTuple = Impossible<String, QueryError>;
    type SerializeTupleStruct = Impossible<String, QueryError>;
    type SerializeTupleVariant = Impossible<String, QueryError>;
    type SerializeMap = Impossible<String, QueryError>;
    type SerializeStruct = Impossible<String, QueryError>;
    type SerializeStructVariant = Impossible<String, QueryError>;

    key_scalars!(
        serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
        serialize_u64: u64, serialize_f32: f32, serialize_f64: f64, serialize_char: char,
        serialize_str: &str
    );

    key_rejects!(
        serialize_bytes(&[u8]) -> String,
        serialize_none() -> String,
        serialize_unit() -> String,
        serialize_unit_struct(&'static str) -> String,
        serialize_seq(Option<usize>) -> Self::SerializeSeq,
        serialize_tuple(usize) -> Self::SerializeTuple,
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct,
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant,
        serialize_map(Option<usize>) -> Self::SerializeMap,
        serialize_struct(&'static str, usize) -> Self::SerializeStruct,
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant
    );

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        v: &'static str,
    ) -> Result<String, QueryError> {
        Ok(v.to_string())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<String, QueryError> {
        value.serialize(self)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<String, QueryError> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        value: &T,
    ) -> Result<String, QueryError> {
        value.serialize(self)
    }
}

#[cfg(test)]
mod tests;
