//! End-to-end cases: for every operation, a typed request built through the
//! generated API with every required parameter (values from the metadata's
//! examples, kept within its limits, as the metadata crate samples them)
//! and, where the operation has them, one item of each optional list and
//! nested struct. The `ecs-simulator` crate runs them against the
//! simulator; regen writes them, so a new operation gets its case with no
//! hand-written code.

use crate::emit::ident;
use crate::ir::{Api, Encoding, Field, FieldSample, Kind, Operation, Scope, Ty, TypeDef};
use ecs_rs_metadata::Sample;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub fn render(api: &Api) -> TokenStream {
    let arms = api.operations.iter().map(|op| {
        let wire = &op.wire;
        let f = format_ident!("{}", op.module);
        quote!(#wire => #f(h).await)
    });
    let fns = api.operations.iter().map(|op| case(api, op));
    quote! {
        //! One end-to-end case per operation (see `codegen/src/cases.rs`).
        #![allow(deprecated, clippy::needless_update)]
        use super::Harness;

        /// Runs the case of operation `name`.
        pub async fn run(h: &Harness, name: &str) -> Result<(), String> {
            match name {
                #(#arms,)*
                _ => Err(format!("no case for operation `{name}`")),
            }
        }

        #(#fns)*
    }
}

fn case(api: &Api, op: &Operation) -> TokenStream {
    let f = format_ident!("{}", op.module);
    let module = ident(&op.module);
    let request = value_of_struct(api, Scope::Operation(op), &op.request, true);
    quote! {
        async fn #f(h: &Harness) -> Result<(), String> {
            use ecs_api::#module::*;
            h.check(#request).await
        }
    }
}

/// A type named in `scope`: the operation module's names are in scope
/// through its glob import; shared ones are spelled out.
fn type_path(scope: Scope, name: &str) -> TokenStream {
    let name = ident(name);
    match scope {
        Scope::Operation(_) => quote!(#name),
        Scope::Shared => quote!(ecs_api::types::#name),
    }
}

/// A struct literal: required fields by `new(..)`; in the request, one
/// sample item of each optional list and nested struct; in a nested
/// struct, its optional scalars, so the nested shape reaches the wire.
fn value_of_struct(api: &Api, scope: Scope, name: &str, top: bool) -> TokenStream {
    let Some((TypeDef::Struct(s), inner)) = api.lookup(scope, name) else {
        return quote!(Default::default());
    };
    let ty = type_path(scope, name);
    let args = s.required_fields().map(|f| value_of(api, inner, &f.ty, f));
    let extras: Vec<TokenStream> = s
        .fields
        .iter()
        .filter(|f| f.kind != Kind::Required && !f.deprecated && worth_sending(api, inner, f, top))
        .map(|f| {
            let rust = ident(&f.rust);
            let value = value_of(api, inner, &f.ty, f);
            match f.kind {
                Kind::Optional => quote!(#rust: Some(#value)),
                Kind::Required | Kind::List => quote!(#rust: #value),
            }
        })
        .collect();
    let new = quote!(#ty::new(#(#args),*));
    if extras.is_empty() {
        new
    } else {
        quote!(#ty { #(#extras,)* ..#new })
    }
}

fn worth_sending(api: &Api, scope: Scope, f: &Field, top: bool) -> bool {
    let nested = match (&f.ty, &f.encoding) {
        (Ty::List(_), Encoding::Plain) => true,
        (Ty::Named(n), Encoding::Plain) => {
            matches!(api.lookup(scope, n), Some((TypeDef::Struct(_), _)))
        }
        _ => false,
    };
    let scalar = matches!(f.ty, Ty::String | Ty::I32 | Ty::I64 | Ty::F64 | Ty::Bool);
    if top {
        nested
    } else {
        scalar
    }
}

fn value_of(api: &Api, scope: Scope, ty: &Ty, f: &Field) -> TokenStream {
    let sample = match &f.sample {
        FieldSample::Scalar(s) => Some(s),
        _ => None,
    };
    match ty {
        Ty::String => {
            let text = sample.map_or_else(|| "example".to_string(), Sample::to_string);
            quote!(#text.to_string())
        }
        Ty::I32 => {
            let n = integer(sample).clamp(i32::MIN.into(), i32::MAX.into()) as i32;
            quote!(#n)
        }
        Ty::I64 => {
            let n = integer(sample);
            quote!(#n)
        }
        Ty::F64 => {
            let x = match sample {
                Some(Sample::Number(x)) => *x,
                Some(Sample::Integer(n)) => *n as f64,
                _ => 1.0,
            };
            quote!(#x)
        }
        Ty::Bool => {
            let b = matches!(sample, Some(Sample::Bool(true)));
            quote!(#b)
        }
        Ty::Any => {
            let text = match &f.sample {
                FieldSample::Json(v) => v.to_string(),
                _ => r#"{"key":"value"}"#.to_string(),
            };
            quote!(serde_json::from_str(#text).unwrap())
        }
        Ty::Named(name) => match api.lookup(scope, name) {
            Some((TypeDef::Enum(e), _)) => {
                let ty = type_path(scope, name);
                let wanted = sample.map(Sample::to_string);
                let variant = e
                    .values
                    .iter()
                    .find(|(wire, _)| Some(wire) == wanted.as_ref())
                    .or(e.values.first())
                    .map(|(_, v)| ident(v));
                match variant {
                    Some(v) => quote!(#ty::#v),
                    None => quote!(#ty::Unknown(String::new())),
                }
            }
            _ => value_of_struct(api, scope, name, false),
        },
        Ty::List(inner) => {
            let item = value_of(api, scope, inner, f);
            quote!(vec![#item])
        }
    }
}

fn integer(sample: Option<&Sample>) -> i64 {
    match sample {
        Some(Sample::Integer(n)) => *n,
        Some(Sample::Text(t)) => t.trim().parse().unwrap_or(1),
        _ => 1,
    }
}
