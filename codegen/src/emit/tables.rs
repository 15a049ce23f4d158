//! The crate-wide files: the operations table, the module tree, the shared
//! types and the client.

use super::doc_attrs;
use super::types::{self, Options};
use crate::docs;
use crate::format::Piece;
use crate::ir::{Api, Region, TypeDef};
use proc_macro2::Literal;
use quote::quote;

/// `operations.rs`: one line per operation, the endpoints, the features.
pub fn operations_table(api: &Api) -> Vec<Piece> {
    let product = &api.product;
    let version = &api.version;
    let head = quote! {
        //! Every operation of the API, its endpoints and its feature groups.

        /// The product these operations belong to.
        pub const PRODUCT: &str = #product;
        /// The API version sent as `Version`.
        pub const VERSION: &str = #version;
    };
    let mut table = String::from("ecs_core::operations! {\n    version: VERSION;\n");
    for op in &api.operations {
        let region = match op.region {
            Region::None => "None",
            Region::Optional => "Optional",
            Region::Required => "Required",
        };
        let mut line = format!(
            "    {} = {} in {}, region: {region}",
            op.const_name,
            Literal::string(&op.wire),
            Literal::string(&op.feature)
        );
        for (flag, on) in [
            ("deprecated", op.deprecated),
            ("read_only", op.read_only),
            ("client_token", op.client_token),
        ] {
            if on {
                line.push_str(&format!(", {flag}"));
            }
        }
        table.push_str(&line);
        table.push_str(";\n");
    }
    table.push_str("}\n");

    let endpoints = api
        .endpoints
        .iter()
        .map(|(region, host)| quote!((#region, #host)));
    let mut features = String::from(
        "/// The feature groups, in the metadata's order.\npub static FEATURES: &[Feature] = &[\n",
    );
    for f in &api.features {
        features.push_str(&format!(
            "    Feature {{ name: {}, title: {} }},\n",
            Literal::string(&f.name),
            Literal::string(&f.title)
        ));
    }
    features.push_str("];\n");
    let tail = quote! {
        /// The metadata's region -> endpoint host table.
        pub static ENDPOINTS: &[(&str, &str)] = &[#(#endpoints),*];

        /// A Cargo feature: one group of the metadata's directory tree.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct Feature {
            pub name: &'static str,
            /// The group's title in the metadata.
            pub title: &'static str,
        }

        impl Feature {
            /// The group's operations, from [`OPERATIONS`].
            pub fn operations(&self) -> impl Iterator<Item = &'static ecs_core::OperationInfo> {
                let name = self.name;
                OPERATIONS.iter().filter(move |op| op.group == name)
            }
        }
    };
    vec![
        Piece::Tokens(head),
        Piece::Text(table),
        Piece::Tokens(tail),
        Piece::Text(features),
    ]
}

/// Lints the generated modules allow, once for all of them: deprecated
/// items are still generated (and used by their own impls), the metadata's
/// markdown has lazy continuations and deep list indentation, and `new`
/// takes every required parameter.
const ALLOWED: &str = "deprecated, clippy::doc_lazy_continuation, \
    clippy::doc_overindented_list_items, clippy::too_many_arguments";

/// `ops/mod.rs`: the shared types, the paginator and waiter listings, and
/// one feature-gated module per operation.
pub fn ops_module(api: &Api) -> Vec<Piece> {
    let mut text = String::from(
        "//! One module per operation, each behind its group's Cargo feature, and the\n\
         //! types several operations share.\n",
    );
    text.push_str(&format!("#![allow({ALLOWED})]\n"));
    text.push_str("pub mod paginators;\npub mod types;\npub mod waiters;\n");
    for op in &api.operations {
        text.push_str(&format!(
            "#[cfg(feature = {})] pub mod {};\n",
            Literal::string(&op.feature),
            op.module
        ));
    }
    vec![Piece::Text(text)]
}

/// `ops/types.rs`: each shared type once, compiled when any feature that
/// uses it is on.
pub fn types_module(api: &Api) -> Vec<Piece> {
    let mut pieces = vec![Piece::Tokens(quote! {
        //! Types several operations share, each defined once. Every operation
        //! module re-exports the ones it uses: `run_instances::Tag` and
        //! `types::Tag` are the same type.
    })];
    for shared in &api.shared {
        let mut doc = match &shared.def {
            TypeDef::Struct(s) => docs::render(&s.doc),
            TypeDef::Enum(_) => Vec::new(),
        };
        if !doc.is_empty() {
            doc.push(String::new());
        }
        let names: Vec<String> = shared.operations.iter().map(|o| format!("`{o}`")).collect();
        doc.push(format!("Used by {}.", names.join(", ")));
        let features: Vec<String> = shared
            .features
            .iter()
            .map(|f| format!("feature = {}", Literal::string(f)))
            .collect();
        let cfg = match features.as_slice() {
            [one] => format!("#[cfg({one})]"),
            all => format!("#[cfg(any({}))]", all.join(", ")),
        };
        let options = Options {
            doc: Some(doc),
            deprecated: false,
            cfg: Some(cfg),
        };
        pieces.extend(types::definition(&shared.def, &options));
    }
    pieces
}

/// `client.rs`: the client type the operation modules add their methods to,
/// and the API as the core sees it. The regional endpoint template is the
/// Tea SDKs' rule: the product code, the network, the region.
pub fn client_module(api: &Api) -> Vec<Piece> {
    let doc = doc_attrs(&[format!(
        "The {} client: [`ecs_core::Client`] plus one method per operation.",
        api.product
    )]);
    let template = format!(
        "{}{{network}}.{{region}}.aliyuncs.com",
        api.product.to_lowercase()
    );
    vec![Piece::Tokens(quote! {
        //! The client type; each operation's module adds its method.
        use std::ops::Deref;

        /// This API as the core sees it: its version, endpoints and operations.
        static API: ecs_core::ApiInfo = ecs_core::ApiInfo {
            version: crate::operations::VERSION,
            endpoint_template: #template,
            endpoints: crate::operations::ENDPOINTS,
            operations: &crate::operations::OPERATIONS,
        };

        #doc
        #[derive(Debug, Clone)]
        pub struct Client {
            inner: ecs_core::Client,
        }

        impl Client {
            /// A builder for this API;
            /// `Client::builder().region("cn-hangzhou").build()?.into()`.
            pub fn builder() -> ecs_core::ClientBuilder {
                ecs_core::Client::builder().api(&API)
            }

            /// Like [`Client::builder`], also reading region, endpoint and
            /// credentials from the environment (explicit settings win).
            pub fn builder_from_env() -> ecs_core::ClientBuilder {
                ecs_core::ClientBuilder::from_env().api(&API)
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
    })]
}
