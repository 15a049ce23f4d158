//! Serialization helpers named by generated code.

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

/// JSON-style parameters (`style: json`, JSON-array strings): the whole
/// value goes on the wire as one compact JSON string.
pub fn json<T: Serialize, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    let text = serde_json::to_string(value).map_err(serde::ser::Error::custom)?;
    serializer.serialize_str(&text)
}

/// The name of the element key inside a wrapper object, e.g. `Instance` in
/// `{"Instances": {"Instance": [...]}}`.
pub trait WrapperKey {
    const NAME: &'static str;
}

/// Writes a list back in its wire shape `{NAME: [...]}`, so a decoded
/// response serializes to what the service sent.
pub fn wrapped<K: WrapperKey, T: Serialize, S: Serializer>(
    items: &[T],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(1))?;
    map.serialize_entry(K::NAME, items)?;
    map.end()
}

/// Declares wrapper keys: `wrapper_keys!(Instance => "Instance");` makes a
/// unit type whose [`WrapperKey::NAME`] is the wire name.
#[macro_export]
macro_rules! wrapper_keys {
    ($($name:ident => $wire:literal),* $(,)?) => {$(
        #[doc(hidden)]
        pub struct $name;
        impl $crate::ser::WrapperKey for $name {
            const NAME: &'static str = $wire;
        }
    )*};
}

/// Lists joined by one separator (`simple`: `,`, `spaceDelimited`: ` `,
/// `pipeDelimited`: `|`) into one parameter.
pub fn delimited<const SEP: char, T: std::fmt::Display, S: Serializer>(
    items: &[T],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut text = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            text.push(SEP);
        }
        text.push_str(&item.to_string());
    }
    serializer.serialize_str(&text)
}
