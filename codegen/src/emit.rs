//! Tokens per item kind: request structs, response structs, enums, the
//! operation impl and client method, the operations table and module tree.

use crate::docs;
use crate::ir::{Api, Encoding, Enum, Field, Operation, Region, Side, Struct, Ty, TypeDef};
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

pub(crate) fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

fn doc_attrs(text: Option<&str>) -> TokenStream {
    let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
        return TokenStream::new();
    };
    let lines = docs::lines(text).into_iter().map(|l| format!(" {l}"));
    quote! { #( #[doc = #lines] )* }
}

fn inner_doc_attrs(lines: &[String]) -> TokenStream {
    let lines = lines.iter().map(|l| format!(" {l}"));
    quote! { #( #![doc = #lines] )* }
}

fn ty_tokens(ty: &Ty) -> TokenStream {
    match ty {
        Ty::String => quote!(String),
        Ty::I32 => quote!(i32),
        Ty::I64 => quote!(i64),
        Ty::F64 => quote!(f64),
        Ty::Bool => quote!(bool),
        Ty::Any => quote!(serde_json::Value),
        Ty::Named(n) => {
            let n = ident(n);
            quote!(#n)
        }
        Ty::List(inner) => {
            let inner = ty_tokens(inner);
            quote!(Vec<#inner>)
        }
    }
}

/// The field's declared type: required -> `T`, lists -> `Vec<T>`, else
/// `Option<T>`. A list sent as JSON stays optional: `[]` is a filter that
/// matches nothing, unlike leaving the parameter out.
pub fn field_ty(field: &Field) -> TokenStream {
    let ty = ty_tokens(&field.ty);
    if field.required || is_bare_list(field) {
        ty
    } else {
        quote!(Option<#ty>)
    }
}

fn is_bare_list(field: &Field) -> bool {
    field.ty.is_list() && field.encoding != Encoding::Json
}

fn deprecated_attr(deprecated: bool) -> TokenStream {
    if deprecated {
        quote!(#[deprecated])
    } else {
        TokenStream::new()
    }
}

/// One operation's module file.
pub fn operation(op: &Operation) -> TokenStream {
    let mut module_doc = vec![format!("`{}`", op.wire)];
    for part in [&op.title, &op.summary, &op.description]
        .into_iter()
        .flatten()
    {
        if !part.trim().is_empty() {
            module_doc.push(String::new());
            module_doc.extend(docs::lines(part));
        }
    }
    let module_doc = inner_doc_attrs(&module_doc);
    let types = op.types.iter().map(|t| match t {
        TypeDef::Struct(s) if s.side == Side::Request => request_struct(s, op),
        TypeDef::Struct(s) => response_struct(s, op),
        TypeDef::Enum(e) => enum_def(e),
    });
    let request = ident(&op.request);
    let response = ident(&op.response);
    let method = format_ident!("{}", op.module);
    let info = ident(&op.const_name);
    let deprecated = deprecated_attr(op.deprecated);
    let method_doc = doc_attrs(Some(&format!(
        "{}\n\nSee [the operation's module](self) for the full description.",
        op.title
            .as_deref()
            .or(op.summary.as_deref())
            .unwrap_or(&op.wire)
    )));
    let wire_structs: Vec<Ident> = op
        .types
        .iter()
        .filter_map(|t| match t {
            TypeDef::Struct(s) if s.side == Side::Response => Some(ident(&s.name)),
            _ => None,
        })
        .collect();
    let lenient_enums: Vec<Ident> = op
        .types
        .iter()
        .filter_map(|t| match t {
            TypeDef::Enum(e) if e.side == Side::Response => Some(ident(&e.name)),
            _ => None,
        })
        .collect();
    let lenient_enums =
        (!lenient_enums.is_empty()).then(|| quote!(ecs_core::lenient_enums!(#(#lenient_enums),*);));
    let keys = (!op.wrapper_keys.is_empty()).then(|| {
        let entries = op.wrapper_keys.iter().map(|(wire, name)| {
            let name = ident(name);
            quote!(#name => #wire)
        });
        quote! {
            mod keys {
                ecs_core::wrapper_keys!(#(#entries),*);
            }
        }
    });
    quote! {
        #module_doc
        #![allow(
            deprecated,
            clippy::doc_lazy_continuation,
            clippy::doc_overindented_list_items,
            clippy::too_many_arguments
        )]

        #(#types)*

        impl ecs_core::Operation for #request {
            type Output = #response;
            const INFO: ecs_core::OperationInfo = crate::operations::#info;
        }

        impl crate::Client {
            #method_doc
            #deprecated
            pub async fn #method(&self, request: #request) -> Result<#response, ecs_core::Error> {
                self.call(&request).await
            }
        }

        ecs_core::wire_structs!(#(#wire_structs),*);
        #lenient_enums
        #keys
    }
}

fn request_struct(s: &Struct, op: &Operation) -> TokenStream {
    let name = ident(&s.name);
    let doc = if s.name == op.request {
        doc_attrs(Some(&format!(
            "The request of [`{}`](self). Required parameters are the arguments of `new`; \
             `RegionId` defaults to the client's region.",
            op.wire
        )))
    } else {
        doc_attrs(s.doc.as_deref())
    };
    let deprecated = deprecated_attr(s.name == op.request && op.deprecated);
    let has_required = s.required_fields().next().is_some();
    let default = (!has_required).then(|| quote!(Default,));
    let fields = s.fields.iter().map(|f| {
        let doc = doc_attrs(f.doc.as_deref());
        let rust = ident(&f.rust);
        let wire = &f.wire;
        let ty = field_ty(f);
        let skip = if f.required {
            TokenStream::new()
        } else if is_bare_list(f) {
            quote!(, skip_serializing_if = "Vec::is_empty")
        } else {
            quote!(, skip_serializing_if = "Option::is_none")
        };
        let with = match &f.encoding {
            Encoding::Json => quote!(, serialize_with = "ecs_core::ser::json"),
            Encoding::Delimited(sep) => {
                let path = format!("ecs_core::ser::delimited::<'{sep}', _, _>");
                quote!(, serialize_with = #path)
            }
            _ => TokenStream::new(),
        };
        let deprecated = deprecated_attr(f.deprecated);
        quote! {
            #doc
            #deprecated
            #[serde(rename = #wire #skip #with)]
            pub #rust: #ty
        }
    });
    let args = s.required_fields().map(|f| {
        let rust = ident(&f.rust);
        match &f.ty {
            Ty::String => quote!(#rust: impl Into<String>),
            _ => {
                let ty = field_ty(f);
                quote!(#rust: #ty)
            }
        }
    });
    let body = if has_required {
        let inits = s.fields.iter().map(|f| {
            let rust = ident(&f.rust);
            match (&f.ty, f.required) {
                (Ty::String, true) => quote!(#rust: #rust.into()),
                (_, true) => quote!(#rust),
                (_, false) if is_bare_list(f) => quote!(#rust: Vec::new()),
                _ => quote!(#rust: None),
            }
        });
        quote!(Self { #(#inits),* })
    } else {
        quote!(Self::default())
    };
    quote! {
        #doc
        #deprecated
        #[derive(Debug, Clone, PartialEq, #default serde::Serialize)]
        pub struct #name {
            #(#fields,)*
        }

        impl #name {
            pub fn new(#(#args),*) -> Self {
                #body
            }
        }
    }
}

fn response_struct(s: &Struct, op: &Operation) -> TokenStream {
    let name = ident(&s.name);
    let doc = doc_attrs(s.doc.as_deref());
    let fields = s.fields.iter().map(|f| {
        let doc = doc_attrs(f.doc.as_deref());
        let rust = ident(&f.rust);
        let wire = &f.wire;
        let ty = field_ty(f);
        let extra = match &f.encoding {
            Encoding::Wrapped(key) => {
                let path = format!(
                    "ecs_core::ser::wrapped::<keys::{}, _, _>",
                    op.wrapper_keys[key]
                );
                quote!(, serialize_with = #path)
            }
            _ if f.ty.is_list() => TokenStream::new(),
            _ => quote!(, skip_serializing_if = "Option::is_none"),
        };
        let deprecated = deprecated_attr(f.deprecated);
        quote! {
            #doc
            #deprecated
            #[serde(rename = #wire #extra)]
            pub #rust: #ty
        }
    });
    let arms = s.fields.iter().map(|f| {
        let rust = ident(&f.rust);
        let wire = &f.wire;
        let read = match (&f.encoding, f.ty.is_list()) {
            (Encoding::Wrapped(_), _) => quote!(next_wrapped),
            (_, true) => quote!(next_list),
            _ => quote!(next_opt),
        };
        quote!(#wire => self.#rust = ecs_core::de::#read(map)?)
    });
    let read_field = if s.fields.is_empty() {
        quote! {
            fn read_field<'de, A: serde::de::MapAccess<'de>>(
                &mut self,
                _key: &str,
                _map: &mut A,
            ) -> Result<bool, A::Error> {
                Ok(false)
            }
        }
    } else {
        quote! {
            fn read_field<'de, A: serde::de::MapAccess<'de>>(
                &mut self,
                key: &str,
                map: &mut A,
            ) -> Result<bool, A::Error> {
                match key {
                    #(#arms,)*
                    _ => return Ok(false),
                }
                Ok(true)
            }
        }
    };
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
        pub struct #name {
            #(#fields,)*
        }

        impl ecs_core::de::WireStruct for #name {
            #read_field
        }
    }
}

fn enum_def(e: &Enum) -> TokenStream {
    let name = ident(&e.name);
    let doc = doc_attrs(e.doc.as_deref());
    let variants = e.values.iter().map(|(wire, variant)| {
        let variant = ident(variant);
        quote!(#[serde(rename = #wire)] #variant)
    });
    let arms = e.values.iter().map(|(wire, variant)| {
        let variant = ident(variant);
        quote!(#name::#variant => #wire)
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum #name {
            #(#variants,)*
            /// A value this version of the crate does not know.
            #[serde(untagged)]
            Unknown(String),
        }

        impl #name {
            /// The wire value.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#arms,)*
                    #name::Unknown(other) => other,
                }
            }
        }
    }
}

/// `operations.rs`: facts about every operation, whatever features are on.
pub fn operations_table(api: &Api) -> TokenStream {
    let product = &api.product;
    let version = &api.version;
    let consts = api.operations.iter().map(|op| {
        let name = ident(&op.const_name);
        let wire = &op.wire;
        let group = &op.feature;
        let deprecated = op.deprecated;
        let read_only = op.read_only;
        let client_token = op.client_token;
        let region = match op.region {
            Region::None => quote!(None),
            Region::Optional => quote!(Optional),
            Region::Required => quote!(Required),
        };
        let doc = format!(" `{wire}`");
        quote! {
            #[doc = #doc]
            pub const #name: OperationInfo = OperationInfo {
                name: #wire,
                version: VERSION,
                group: #group,
                deprecated: #deprecated,
                read_only: #read_only,
                client_token: #client_token,
                region_id: RegionParam::#region,
                enabled: cfg!(feature = #group),
            };
        }
    });
    let all = api.operations.iter().map(|op| ident(&op.const_name));
    let count = api.operations.len();
    let endpoints = api
        .endpoints
        .iter()
        .map(|(region, host)| quote!((#region, #host)));
    let features = api.features.iter().map(|f| {
        let name = &f.name;
        let title = &f.title;
        let ops = &f.operations;
        quote!(Feature { name: #name, title: #title, operations: &[#(#ops),*] })
    });
    quote! {
        //! Every operation of the API, its endpoints and its feature groups.
        use ecs_core::{OperationInfo, RegionParam};

        /// The product these operations belong to.
        pub const PRODUCT: &str = #product;
        /// The API version sent as `Version`.
        pub const VERSION: &str = #version;

        #(#consts)*

        /// Every operation of the API, sorted by name, including those whose
        /// feature is off in this build (see [`OperationInfo::enabled`]).
        pub static OPERATIONS: [OperationInfo; #count] = [#(#all),*];

        /// The metadata's region -> endpoint host table.
        pub static ENDPOINTS: &[(&str, &str)] = &[#(#endpoints),*];

        /// A Cargo feature: one group of the metadata's directory tree.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct Feature {
            pub name: &'static str,
            /// The group's title in the metadata.
            pub title: &'static str,
            pub operations: &'static [&'static str],
        }

        /// The feature groups, in the metadata's order.
        pub static FEATURES: &[Feature] = &[#(#features),*];
    }
}

/// `ops/mod.rs`: one feature-gated module per operation.
pub fn ops_module(api: &Api) -> TokenStream {
    let items = api.operations.iter().map(|op| {
        let feature = &op.feature;
        let module = ident(&op.module);
        let request = ident(&op.request);
        let response = ident(&op.response);
        quote! {
            #[cfg(feature = #feature)]
            pub mod #module;
            #[cfg(feature = #feature)]
            pub use #module::{#request, #response};
        }
    });
    quote! {
        //! One module per operation, each behind its group's Cargo feature.
        #![allow(deprecated)]
        #(#items)*
    }
}

/// `client.rs`: the client type the operation modules add their methods to.
pub fn client_module(api: &Api) -> TokenStream {
    let doc = format!(
        " The {} client: [`ecs_core::Client`] plus one method per operation.",
        api.product
    );
    quote! {
        //! The client type; each operation's module adds its method.
        use std::ops::Deref;

        #[doc = #doc]
        #[derive(Debug, Clone)]
        pub struct Client {
            inner: ecs_core::Client,
        }

        impl Client {
            /// A builder with this API's endpoint table and version preset;
            /// `Client::builder().region("cn-hangzhou").build()?.into()`.
            pub fn builder() -> ecs_core::ClientBuilder {
                ecs_core::Client::builder()
                    .endpoints(crate::operations::ENDPOINTS)
                    .api_version(crate::operations::VERSION)
            }

            /// Like [`Client::builder`], also reading region, endpoint and
            /// credentials from the environment (explicit settings win).
            pub fn builder_from_env() -> ecs_core::ClientBuilder {
                ecs_core::ClientBuilder::from_env()
                    .endpoints(crate::operations::ENDPOINTS)
                    .api_version(crate::operations::VERSION)
            }

            /// A client configured from the environment alone.
            pub fn from_env() -> Result<Client, ecs_core::Error> {
                Ok(Self::builder_from_env().build()?.into())
            }

            /// A client for `region` that shares this one's credentials,
            /// connections and settings; see [`ecs_core::Client::with_region`].
            pub fn with_region(&self, region: impl Into<String>) -> Result<Client, ecs_core::Error> {
                Ok(self.inner.with_region(region)?.into())
            }

            pub fn from_core(inner: ecs_core::Client) -> Client {
                Client { inner }
            }

            pub fn core(&self) -> &ecs_core::Client {
                &self.inner
            }
        }

        impl From<ecs_core::Client> for Client {
            fn from(inner: ecs_core::Client) -> Client {
                Client { inner }
            }
        }

        impl Deref for Client {
            type Target = ecs_core::Client;

            fn deref(&self) -> &ecs_core::Client {
                &self.inner
            }
        }
    }
}
