//! Lenient decoding shared by every generated response type.
//!
//! The service often sends a value in another JSON type than its metadata
//! says: numbers as strings, booleans as `"true"`, `""` or `null` for an
//! absent object or list, one object where a list was declared. These
//! functions accept all of that and still refuse what cannot be read
//! faithfully (an integer out of range, text where a number belongs), so
//! nothing is silently lost. Integers never pass through `f64`.

use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;
use std::marker::PhantomData;

/// A type that can be decoded leniently; `Ok(None)` means "absent".
pub trait Lenient: Sized {
    fn lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error>;
}

/// `Option<T>` fields.
pub fn opt<'de, D: Deserializer<'de>, T: Lenient>(d: D) -> Result<Option<T>, D::Error> {
    T::lenient(d)
}

/// `Vec<T>` fields: a list, one bare item, `null` or `""`.
pub fn list<'de, D: Deserializer<'de>, T: Lenient>(d: D) -> Result<Vec<T>, D::Error> {
    d.deserialize_any(ListVisitor(PhantomData))
}

/// `Vec<T>` fields that the wire wraps in a one-key object:
/// `{"Instances": {"Instance": [...]}}`. Also accepts the bare list, an
/// empty object, `null` and `""`.
pub fn wrapped<'de, D: Deserializer<'de>, T: Lenient>(d: D) -> Result<Vec<T>, D::Error> {
    d.deserialize_any(WrappedVisitor(PhantomData))
}

/// Generated structs decode leniently as objects; `""`, `null` and `[]`
/// where an object belongs mean absent.
pub fn object<'de, D: Deserializer<'de>, T: DeserializeOwned>(d: D) -> Result<Option<T>, D::Error> {
    d.deserialize_any(ObjectVisitor(PhantomData))
}

/// A generated response struct: decoded field by field from a JSON object,
/// each field leniently. Generated code implements this instead of
/// deriving `Deserialize`, which keeps the generated crate small to compile.
pub trait WireStruct: Default {
    /// Reads the value of `key` if it is one of this struct's wire names;
    /// `Ok(false)` leaves the value unread (an unknown field).
    fn read_field<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
    ) -> Result<bool, A::Error>;
}

/// The `Deserialize` body of every [`WireStruct`].
pub fn wire_struct<'de, D: Deserializer<'de>, T: WireStruct>(d: D) -> Result<T, D::Error> {
    d.deserialize_any(WireStructVisitor(PhantomData))
}

struct WireStructVisitor<T>(PhantomData<T>);

impl<'de, T: WireStruct> Visitor<'de> for WireStructVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut out = T::default();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            if !out.read_field(key.as_str(), &mut map)? {
                map.next_value::<de::IgnoredAny>()?;
            }
        }
        Ok(out)
    }

    // An empty body, `null` or `""` where the object belongs is all-absent.
    fn visit_unit<E: de::Error>(self) -> Result<T, E> {
        Ok(T::default())
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        if v.is_empty() {
            Ok(T::default())
        } else {
            Err(de::Error::invalid_type(de::Unexpected::Str(v), &self))
        }
    }
}

/// An object key, borrowed from the input when it can be (a key without
/// escapes, read from a slice or `str`): decoding allocates nothing per key.
enum Key<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl Key<'_> {
    fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(k) => k,
            Key::Owned(k) => k,
        }
    }
}

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
        Ok(Key::Borrowed(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
        Ok(Key::Owned(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
        Ok(Key::Owned(v))
    }
}

/// Whether a field's wire name is `RequestId` (evaluated at compile time
/// by [`response_struct!`](crate::response_struct)).
#[doc(hidden)]
pub const fn is_request_id(wire: &str) -> bool {
    const NAME: &[u8] = b"RequestId";
    let wire = wire.as_bytes();
    if wire.len() != NAME.len() {
        return false;
    }
    let mut i = 0;
    while i < NAME.len() {
        if wire[i] != NAME[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The text of a `RequestId` field, which generated types declare as
/// `Option<String>` (or `String`); `None` for any other type.
#[doc(hidden)]
pub fn request_id_text<T: std::any::Any>(field: &T) -> Option<&str> {
    let field: &dyn std::any::Any = field;
    if let Some(text) = field.downcast_ref::<Option<String>>() {
        return text.as_deref();
    }
    field.downcast_ref::<String>().map(String::as_str)
}

impl<T: WireStruct + DeserializeOwned> Lenient for T {
    fn lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        object(d)
    }
}

/// Reads the value of an `Option<T>` field.
pub fn next_opt<'de, A: MapAccess<'de>, T: Lenient>(map: &mut A) -> Result<Option<T>, A::Error> {
    map.next_value::<Item<T>>().map(|item| item.0)
}

/// Reads the value of a `Vec<T>` field.
pub fn next_list<'de, A: MapAccess<'de>, T: Lenient>(map: &mut A) -> Result<Vec<T>, A::Error> {
    map.next_value::<ListOf<T>>().map(|list| list.0)
}

/// Reads the value of a `Vec<T>` field that the wire wraps in a one-key object.
pub fn next_wrapped<'de, A: MapAccess<'de>, T: Lenient>(map: &mut A) -> Result<Vec<T>, A::Error> {
    map.next_value::<WrappedOf<T>>().map(|list| list.0)
}

struct WrappedOf<T>(Vec<T>);

impl<'de, T: Lenient> de::Deserialize<'de> for WrappedOf<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        wrapped(d).map(WrappedOf)
    }
}

/// Enum values are text; a value the enum does not list lands in its
/// `Unknown` variant (through `From<&str>`); `""` is absent.
pub fn text_enum<'de, D: Deserializer<'de>, T: for<'a> From<&'a str>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    d.deserialize_any(EnumVisitor(PhantomData))
}

/// Reads an enum's text in place: a known value allocates nothing.
struct EnumVisitor<T>(PhantomData<T>);

impl<T: for<'a> From<&'a str>> EnumVisitor<T> {
    fn of<E: de::Error>(text: Option<String>) -> Result<Option<T>, E> {
        Ok(text.and_then(|t| Self::text(&t)))
    }

    fn text(v: &str) -> Option<T> {
        (!v.is_empty()).then(|| T::from(v))
    }
}

impl<'de, T: for<'a> From<&'a str>> Visitor<'de> for EnumVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(<String as Scalar>::EXPECTING)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<T>, E> {
        Ok(Self::text(v))
    }

    // Other scalars become their text, as for `String` fields.
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Option<T>, E> {
        Self::of(ScalarVisitor::<String>(PhantomData).visit_bool(v)?)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Option<T>, E> {
        Self::of(ScalarVisitor::<String>(PhantomData).visit_i64(v)?)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Option<T>, E> {
        Self::of(ScalarVisitor::<String>(PhantomData).visit_u64(v)?)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Option<T>, E> {
        Self::of(ScalarVisitor::<String>(PhantomData).visit_f64(v)?)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
        d.deserialize_any(self)
    }
}

/// A value read from its text, for enums whose unknown values are kept
/// (`T: From<&str>`); borrows the text when the input allows.
pub fn from_text<'de, D: Deserializer<'de>, T: for<'a> From<&'a str>>(d: D) -> Result<T, D::Error> {
    d.deserialize_str(TextVisitor(PhantomData))
}

struct TextVisitor<T>(PhantomData<T>);

impl<'de, T: for<'a> From<&'a str>> Visitor<'de> for TextVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        Ok(T::from(v))
    }
}

/// How a generated struct reads one field: [`Plain`] by the field's type
/// (`Option<T>` or `Vec<T>`), [`Plain::wrapped`] for a list inside a
/// one-key object. The declaration macros call these.
pub struct Plain;

/// See [`Plain::wrapped`].
pub struct Wrapped;

impl Plain {
    /// A `Vec<T>` that the wire wraps in a one-key object (the key itself
    /// is only needed to write the list back).
    #[inline]
    pub fn wrapped(self, _key: &'static str) -> Wrapped {
        Wrapped
    }

    #[inline]
    pub fn next<'de, A: MapAccess<'de>, V: FieldValue>(self, map: &mut A) -> Result<V, A::Error> {
        V::next(map)
    }
}

impl Wrapped {
    #[inline]
    pub fn next<'de, A: MapAccess<'de>, T: Lenient>(self, map: &mut A) -> Result<Vec<T>, A::Error> {
        next_wrapped(map)
    }
}

/// A field type that reads its value leniently from a map.
pub trait FieldValue: Sized {
    fn next<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Self, A::Error>;
}

impl<T: Lenient> FieldValue for Option<T> {
    #[inline]
    fn next<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Self, A::Error> {
        next_opt(map)
    }
}

impl<T: Lenient> FieldValue for Vec<T> {
    #[inline]
    fn next<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Self, A::Error> {
        next_list(map)
    }
}

struct ListVisitor<T>(PhantomData<T>);

impl<'de, T: Lenient> Visitor<'de> for ListVisitor<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element::<Item<T>>()? {
            out.extend(item.0);
        }
        Ok(out)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }

    fn visit_none<E: de::Error>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Vec<T>, D::Error> {
        list(d)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<T>, E> {
        if v.is_empty() {
            return Ok(Vec::new());
        }
        single(de::value::StrDeserializer::new(v))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Vec<T>, A::Error> {
        single(de::value::MapAccessDeserializer::new(map))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Vec<T>, E> {
        single(de::value::BoolDeserializer::new(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Vec<T>, E> {
        single(de::value::I64Deserializer::new(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Vec<T>, E> {
        single(de::value::U64Deserializer::new(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Vec<T>, E> {
        single(de::value::F64Deserializer::new(v))
    }
}

fn single<'de, D: Deserializer<'de>, T: Lenient>(d: D) -> Result<Vec<T>, D::Error> {
    Ok(T::lenient(d)?.into_iter().collect())
}

/// One list element, decoded leniently (absent elements are dropped).
struct Item<T>(Option<T>);

impl<'de, T: Lenient> de::Deserialize<'de> for Item<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::lenient(d).map(Item)
    }
}

struct WrappedVisitor<T>(PhantomData<T>);

impl<'de, T: Lenient> Visitor<'de> for WrappedVisitor<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object wrapping one list")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<T>, A::Error> {
        let mut out = Vec::new();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            let items: ListOf<T> = map.next_value()?;
            if !out.is_empty() && !items.0.is_empty() {
                return Err(de::Error::custom(format_args!(
                    "a wrapper object holds one list, found a second one under `{}`",
                    key.as_str()
                )));
            }
            out.extend(items.0);
        }
        Ok(out)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Vec<T>, A::Error> {
        ListVisitor(PhantomData).visit_seq(seq)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }

    fn visit_none<E: de::Error>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Vec<T>, D::Error> {
        wrapped(d)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<T>, E> {
        if v.is_empty() {
            Ok(Vec::new())
        } else {
            Err(de::Error::invalid_type(de::Unexpected::Str(v), &self))
        }
    }
}

struct ListOf<T>(Vec<T>);

impl<'de, T: Lenient> de::Deserialize<'de> for ListOf<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        list(d).map(ListOf)
    }
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: DeserializeOwned> Visitor<'de> for ObjectVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Option<T>, A::Error> {
        T::deserialize(de::value::MapAccessDeserializer::new(map)).map(Some)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
        object(d)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<T>, E> {
        if v.is_empty() {
            Ok(None)
        } else {
            Err(de::Error::invalid_type(de::Unexpected::Str(v), &self))
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Option<T>, A::Error> {
        match seq.next_element::<de::IgnoredAny>()? {
            None => Ok(None),
            Some(_) => Err(de::Error::invalid_type(de::Unexpected::Seq, &self)),
        }
    }
}

/// Free-form values (`object` without properties) pass through as JSON.
impl Lenient for serde_json::Value {
    fn lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        let v: serde_json::Value = de::Deserialize::deserialize(d)?;
        Ok(if v.is_null() { None } else { Some(v) })
    }
}

impl Lenient for String {
    fn lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        d.deserialize_any(ScalarVisitor::<String>(PhantomData))
    }
}

impl Lenient for bool {
    fn lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        d.deserialize_any(ScalarVisitor::<bool>(PhantomData))
    }
}

impl Lenient for i32 {
    fn lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        d.deserialize_any(ScalarVisitor::<i32>(PhantomData))
    }
}

impl Lenient for i64 {
    fn lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        d.deserialize_any(ScalarVisitor::<i64>(PhantomData))
    }
}

impl Lenient for f64 {
    fn lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        d.deserialize_any(ScalarVisitor::<f64>(PhantomData))
    }
}

/// How each scalar type reads the JSON value kinds the service may send.
trait Scalar: Sized {
    const EXPECTING: &'static str;
    fn from_str<E: de::Error>(v: &str) -> Result<Option<Self>, E>;
    fn from_bool<E: de::Error>(v: bool) -> Result<Self, E>;
    fn from_i64<E: de::Error>(v: i64) -> Result<Self, E>;
    fn from_u64<E: de::Error>(v: u64) -> Result<Self, E>;
    fn from_f64<E: de::Error>(v: f64) -> Result<Self, E>;
}

impl Scalar for String {
    const EXPECTING: &'static str = "a string";
    fn from_str<E: de::Error>(v: &str) -> Result<Option<Self>, E> {
        Ok(Some(v.to_string()))
    }
    fn from_bool<E: de::Error>(v: bool) -> Result<Self, E> {
        Ok(v.to_string())
    }
    fn from_i64<E: de::Error>(v: i64) -> Result<Self, E> {
        Ok(v.to_string())
    }
    fn from_u64<E: de::Error>(v: u64) -> Result<Self, E> {
        Ok(v.to_string())
    }
    fn from_f64<E: de::Error>(v: f64) -> Result<Self, E> {
        Ok(v.to_string())
    }
}

impl Scalar for bool {
    const EXPECTING: &'static str = "a boolean";
    fn from_str<E: de::Error>(v: &str) -> Result<Option<Self>, E> {
        match v.trim() {
            "" => Ok(None),
            t if t.eq_ignore_ascii_case("true") || t == "1" => Ok(Some(true)),
            t if t.eq_ignore_ascii_case("false") || t == "0" => Ok(Some(false)),
            _ => Err(E::invalid_value(de::Unexpected::Str(v), &Self::EXPECTING)),
        }
    }
    fn from_bool<E: de::Error>(v: bool) -> Result<Self, E> {
        Ok(v)
    }
    fn from_i64<E: de::Error>(v: i64) -> Result<Self, E> {
        match v {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(E::invalid_value(
                de::Unexpected::Signed(v),
                &Self::EXPECTING,
            )),
        }
    }
    fn from_u64<E: de::Error>(v: u64) -> Result<Self, E> {
        Self::from_i64(i64::try_from(v).unwrap_or(i64::MAX))
    }
    fn from_f64<E: de::Error>(v: f64) -> Result<Self, E> {
        Err(E::invalid_type(de::Unexpected::Float(v), &Self::EXPECTING))
    }
}

macro_rules! integer_scalar {
    ($ty:ty, $expecting:literal) => {
        impl Scalar for $ty {
            const EXPECTING: &'static str = $expecting;
            fn from_str<E: de::Error>(v: &str) -> Result<Option<Self>, E> {
                let t = v.trim();
                if t.is_empty() {
                    return Ok(None);
                }
                if let Ok(n) = t.parse::<$ty>() {
                    return Ok(Some(n));
                }
                // "10.0" is an integer written as a decimal; "10.5" is not.
                match t.split_once('.') {
                    Some((int, frac)) if !frac.is_empty() && frac.bytes().all(|b| b == b'0') => int
                        .parse::<$ty>()
                        .map(Some)
                        .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &Self::EXPECTING)),
                    _ => Err(E::invalid_value(de::Unexpected::Str(v), &Self::EXPECTING)),
                }
            }
            fn from_bool<E: de::Error>(v: bool) -> Result<Self, E> {
                Err(E::invalid_type(de::Unexpected::Bool(v), &Self::EXPECTING))
            }
            fn from_i64<E: de::Error>(v: i64) -> Result<Self, E> {
                <$ty>::try_from(v)
                    .map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &Self::EXPECTING))
            }
            fn from_u64<E: de::Error>(v: u64) -> Result<Self, E> {
                <$ty>::try_from(v)
                    .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &Self::EXPECTING))
            }
            fn from_f64<E: de::Error>(v: f64) -> Result<Self, E> {
                let in_range = v.fract() == 0.0 && v >= <$ty>::MIN as f64 && v <= <$ty>::MAX as f64;
                if in_range {
                    Ok(v as $ty)
                } else {
                    Err(E::invalid_value(de::Unexpected::Float(v), &Self::EXPECTING))
                }
            }
        }
    };
}

integer_scalar!(i32, "a 32-bit integer");
integer_scalar!(i64, "a 64-bit integer");

impl Scalar for f64 {
    const EXPECTING: &'static str = "a number";
    fn from_str<E: de::Error>(v: &str) -> Result<Option<Self>, E> {
        let t = v.trim();
        if t.is_empty() {
            return Ok(None);
        }
        match t.parse::<f64>() {
            Ok(n) if n.is_finite() => Ok(Some(n)),
            _ => Err(E::invalid_value(de::Unexpected::Str(v), &Self::EXPECTING)),
        }
    }
    fn from_bool<E: de::Error>(v: bool) -> Result<Self, E> {
        Err(E::invalid_type(de::Unexpected::Bool(v), &Self::EXPECTING))
    }
    fn from_i64<E: de::Error>(v: i64) -> Result<Self, E> {
        Ok(v as f64)
    }
    fn from_u64<E: de::Error>(v: u64) -> Result<Self, E> {
        Ok(v as f64)
    }
    fn from_f64<E: de::Error>(v: f64) -> Result<Self, E> {
        Ok(v)
    }
}

struct ScalarVisitor<T>(PhantomData<T>);

impl<'de, T: Scalar> Visitor<'de> for ScalarVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<T>, E> {
        T::from_str(v)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Option<T>, E> {
        T::from_bool(v).map(Some)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Option<T>, E> {
        T::from_i64(v).map(Some)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Option<T>, E> {
        T::from_u64(v).map(Some)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Option<T>, E> {
        T::from_f64(v).map(Some)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
        d.deserialize_any(self)
    }
}

#[cfg(test)]
mod tests;
