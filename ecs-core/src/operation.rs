//! The contract between the generated crate and the core: what an
//! operation declares ([`Operation`], [`OperationInfo`]) and the macros
//! generated code declares its tables and types with, so that each wire
//! name is written once and the behaviour behind it lives here.

use serde::de::DeserializeOwned;
use serde::Serialize;

/// Whether and how an operation takes `RegionId`; the client fills it from
/// its configured region when the request leaves it unset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegionParam {
    None,
    Optional,
    Required,
}

/// Static facts about one API operation, generated from the metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationInfo {
    /// The RPC `Action`, e.g. `DescribeInstances`.
    pub name: &'static str,
    /// The API version, e.g. `2014-05-26`.
    pub version: &'static str,
    /// The Cargo feature (metadata directory group) the operation belongs to.
    pub group: &'static str,
    pub deprecated: bool,
    /// Reads only (`Describe*`, `List*`, `Query*`, `Get*`, as the metadata
    /// crate classifies it): safe to retry.
    pub read_only: bool,
    /// Takes a `ClientToken` for idempotent retries.
    pub client_token: bool,
    pub region_id: RegionParam,
    /// Whether the operation's group is compiled into this build.
    pub enabled: bool,
}

impl OperationInfo {
    /// An operation that is not deprecated, may change state and takes no
    /// `ClientToken`; the methods below set those facts.
    pub const fn new(
        name: &'static str,
        version: &'static str,
        group: &'static str,
        enabled: bool,
        region_id: RegionParam,
    ) -> OperationInfo {
        OperationInfo {
            name,
            version,
            group,
            deprecated: false,
            read_only: false,
            client_token: false,
            region_id,
            enabled,
        }
    }

    pub const fn deprecated(mut self) -> OperationInfo {
        self.deprecated = true;
        self
    }

    pub const fn read_only(mut self) -> OperationInfo {
        self.read_only = true;
        self
    }

    pub const fn client_token(mut self) -> OperationInfo {
        self.client_token = true;
        self
    }
}

/// A typed request for one operation; generated for every operation.
pub trait Operation: Serialize {
    type Output: DeserializeOwned + HasRequestId;
    const INFO: OperationInfo;
}

/// An answer that may carry the service's `RequestId`, read from the
/// decoded value (for the call's tracing span) rather than from the body
/// again. [`response_struct!`](crate::response_struct!) implements it for every response type; a
/// hand-written answer type without one can take the default
/// (`impl HasRequestId for MyAnswer {}`).
pub trait HasRequestId {
    fn request_id(&self) -> Option<&str> {
        None
    }
}

/// Untyped answers ([`Client::call_action`](crate::Client::call_action)).
impl HasRequestId for serde_json::Value {
    fn request_id(&self) -> Option<&str> {
        self.get("RequestId")?.as_str()
    }
}

/// What a generated API crate tells the core about its API: the version
/// untyped calls send, where its endpoints are, and its operations. The
/// core knows no API of its own; `ecs_api::Client::builder()` passes this.
#[derive(Debug, Clone, Copy)]
pub struct ApiInfo {
    /// The API version, e.g. `2014-05-26`.
    pub version: &'static str,
    /// The regional endpoint for regions the table lacks (and for every
    /// region on the VPC network): `{region}` is the region id and
    /// `{network}` is empty on the public network and `-vpc` on the VPC
    /// one, e.g. `ecs{network}.{region}.aliyuncs.com`.
    pub endpoint_template: &'static str,
    /// The metadata's region -> host table (public network).
    pub endpoints: &'static [(&'static str, &'static str)],
    /// Every operation, which untyped calls look their action up in.
    pub operations: &'static [OperationInfo],
}

impl ApiInfo {
    /// The operation named `action`, if the API has it.
    pub fn operation(&self, action: &str) -> Option<&'static OperationInfo> {
        self.operations.iter().find(|op| op.name == action)
    }
}

/// Declares one `OperationInfo` constant per line and `OPERATIONS`, the
/// array of all of them, in the order given:
///
/// ```
/// ecs_core::operations! {
///     version: "2014-05-26";
///     ADD_TAGS = "AddTags" in "tags", region: Required;
///     DESCRIBE_TAGS = "DescribeTags" in "tags", region: Required, read_only;
/// }
/// assert_eq!(OPERATIONS.len(), 2);
/// assert!(DESCRIBE_TAGS.read_only && !DESCRIBE_TAGS.enabled);
/// ```
///
/// `enabled` is `cfg!(feature = group)` in the crate that invokes it.
#[macro_export]
macro_rules! operations {
    (
        version: $version:expr;
        $(
            $name:ident = $wire:literal in $group:literal, region: $region:ident
            $(, $flag:ident)*;
        )*
    ) => {
        $(
            #[doc = concat!("`", $wire, "`")]
            pub const $name: $crate::OperationInfo = $crate::OperationInfo::new(
                $wire,
                $version,
                $group,
                cfg!(feature = $group),
                $crate::RegionParam::$region,
            )$(.$flag())*;
        )*

        /// Every operation of the API, sorted by name, including those whose
        /// feature is off in this build (see `OperationInfo::enabled`).
        pub static OPERATIONS: [$crate::OperationInfo; [$($wire),*].len()] = [$($name),*];
    };
}

/// Declares a request-side struct: the struct, with `Debug`, `Clone` and
/// `PartialEq`, and its `Serialize` from one table of wire names. Each
/// field is `name: Type = "WireName"`, optionally followed by how the
/// value is written: `json`, `joined ','`. A field that is `None` or an
/// empty list is left out.
///
/// ```
/// ecs_core::request_struct! {
///     /// A disk to create.
///     pub struct Disk {
///         pub size: Option<i32> = "Size",
///         pub ids: Option<Vec<String>> = "Ids" json,
///         pub ports: Vec<i32> = "Ports" joined ',',
///     }
/// }
/// let disk = Disk { size: Some(40), ids: Some(vec!["d-1".into()]), ports: vec![22, 80] };
/// let params = ecs_core::query::to_params(&disk).unwrap();
/// assert_eq!(params, [("Size".into(), "40".into()), ("Ids".into(), r#"["d-1"]"#.into()), ("Ports".into(), "22,80".into())]);
/// ```
#[macro_export]
macro_rules! request_struct {
    ($($declaration:tt)*) => {
        $crate::__wire_struct! { [Debug, Clone, PartialEq] encode; $($declaration)* }
    };
}

/// Declares a response-side struct: like [`request_struct!`] (also
/// `Default`), and decoded leniently field by field through
/// [`de::WireStruct`](crate::de::WireStruct). A list the wire wraps in a
/// one-key object is `= "Instances" wrapped "Instance"`. A `"RequestId"`
/// field of type `Option<String>` or `String` is what [`HasRequestId`]
/// returns.
///
/// ```
/// ecs_core::response_struct! {
///     pub struct Listing {
///         pub total: Option<i64> = "TotalCount",
///         pub names: Vec<String> = "Names" wrapped "Name",
///     }
/// }
/// let listing: Listing =
///     serde_json::from_str(r#"{"TotalCount":"2","Names":{"Name":["a","b"]},"New":1}"#).unwrap();
/// assert_eq!(listing, Listing { total: Some(2), names: vec!["a".into(), "b".into()] });
/// assert_eq!(ecs_core::HasRequestId::request_id(&listing), None);
/// assert_eq!(
///     serde_json::to_string(&listing).unwrap(),
///     r#"{"TotalCount":2,"Names":{"Name":["a","b"]}}"#
/// );
/// ```
#[macro_export]
macro_rules! response_struct {
    ($($declaration:tt)*) => {
        $crate::__wire_struct! { [Debug, Clone, PartialEq, Default] decode; $($declaration)* }
    };
}

/// The body of [`request_struct!`] and [`response_struct!`]: the struct
/// with the given derives, its `Serialize`, and with `decode` its lenient
/// `Deserialize`.
#[doc(hidden)]
#[macro_export]
macro_rules! __wire_struct {
    (
        [$($derive:path),*] $mode:ident;
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $(
                $(#[$field_meta:meta])*
                $field_vis:vis $field:ident : $ty:ty = $wire:literal $($how:ident $($arg:literal)?)?
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive($($derive),*)]
        $vis struct $name {
            $( $(#[$field_meta])* $field_vis $field: $ty, )*
        }

        $crate::__serialize_fields!($name { $($field = $wire $($how $($arg)?)?),* });
        $crate::__decode_fields!($mode $name { $($field = $wire $($how $($arg)?)?),* });
    };
}

/// The lenient `Deserialize` of [`response_struct!`], through
/// [`de::WireStruct`](crate::de::WireStruct).
#[doc(hidden)]
#[macro_export]
macro_rules! __decode_fields {
    (encode $($rest:tt)*) => {};
    (decode $name:ident { $($field:ident = $wire:literal $($how:ident $($arg:literal)?)?),* }) => {
        impl $crate::de::WireStruct for $name {
            fn read_field<'de, A: $crate::__serde::de::MapAccess<'de>>(
                &mut self,
                key: &str,
                map: &mut A,
            ) -> ::core::result::Result<bool, A::Error> {
                match key {
                    $(
                        $wire => {
                            self.$field = $crate::de::Plain $(.$how($($arg)?))? .next(map)?;
                            ::core::result::Result::Ok(true)
                        }
                    )*
                    _ => ::core::result::Result::Ok(false),
                }
            }
        }

        impl<'de> $crate::__serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__serde::Deserializer<'de>>(
                d: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::de::wire_struct(d)
            }
        }

        impl $crate::HasRequestId for $name {
            fn request_id(&self) -> ::core::option::Option<&str> {
                $(
                    if const { $crate::de::is_request_id($wire) } {
                        return $crate::de::request_id_text(&self.$field);
                    }
                )*
                ::core::option::Option::None
            }
        }
    };
}

/// The `Serialize` of [`request_struct!`] and [`response_struct!`].
#[doc(hidden)]
#[macro_export]
macro_rules! __serialize_fields {
    ($name:ident { $($field:ident = $wire:literal $($how:ident $($arg:literal)?)?),* }) => {
        impl $crate::__serde::Serialize for $name {
            fn serialize<S: $crate::__serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                use $crate::__serde::ser::SerializeStruct as _;
                use $crate::ser::Absent as _;
                let len = 0 $(+ usize::from(!self.$field.is_absent()))*;
                #[allow(unused_mut)]
                let mut fields = serializer.serialize_struct(stringify!($name), len)?;
                $(
                    if !self.$field.is_absent() {
                        fields.serialize_field(
                            $wire,
                            &$crate::ser::Plain(&self.$field) $(.$how($($arg)?))?,
                        )?;
                    }
                )*
                fields.end()
            }
        }

        impl $crate::ser::Absent for $name {}
    };
}

/// Declares a text enum: one variant per wire value, plus `Unknown` for a
/// value this version does not know, so a new value never fails decoding.
///
/// ```
/// ecs_core::wire_enum! {
///     pub enum Status {
///         Running = "Running",
///         Stopped = "Stopped",
///     }
/// }
/// assert_eq!(Status::from("Running"), Status::Running);
/// assert_eq!(Status::from("Hibernated").as_str(), "Hibernated");
/// assert_eq!(serde_json::to_string(&Status::Stopped).unwrap(), r#""Stopped""#);
/// ```
#[macro_export]
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $($variant:ident = $wire:literal),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        $vis enum $name {
            $($variant,)*
            /// A value this version of the crate does not know.
            Unknown(::std::string::String),
        }

        impl $name {
            /// The wire value.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::Unknown(other) => other,
                }
            }
        }

        impl ::core::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($wire => Self::$variant,)*
                    other => Self::Unknown(other.into()),
                }
            }
        }

        impl ::core::convert::AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::__serde::Serialize for $name {
            fn serialize<S: $crate::__serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__serde::Deserializer<'de>>(
                d: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::de::from_text(d)
            }
        }

        impl $crate::de::Lenient for $name {
            fn lenient<'de, D: $crate::__serde::Deserializer<'de>>(
                d: D,
            ) -> ::core::result::Result<::core::option::Option<Self>, D::Error> {
                $crate::de::text_enum(d)
            }
        }

        impl $crate::ser::Absent for $name {}
    };
}
