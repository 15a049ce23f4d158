//! End-to-end cases: for every operation, a typed request built through the
//! generated API with every required parameter (values from the metadata's
//! examples, kept within its limits) and, where the operation has them, one
//! item of each optional list and nested struct. The `ecs-simulator` crate runs
//! them against the simulator; regen writes them, so a new operation gets
//! its case with no hand-written code.

use crate::emit::{field_ty, ident};
use crate::ir::{Api, Encoding, Field, Operation, Side, Ty, TypeDef};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub fn render(api: &Api) -> TokenStream {
    let arms = api.operations.iter().map(|op| {
        let wire = &op.wire;
        let f = format_ident!("{}", op.module);
        quote!(#wire => #f(h).await)
    });
    let fns = api.operations.iter().map(case);
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

fn case(op: &Operation) -> TokenStream {
    let f = format_ident!("{}", op.module);
    let module = ident(&op.module);
    let request = value_of_struct(op, &op.request, true);
    quote! {
        async fn #f(h: &Harness) -> Result<(), String> {
            use ecs_api::#module::*;
            h.check(#request).await
        }
    }
}

/// A struct literal: required fields by `new(..)`; in the request, one
/// sample item of each optional list and nested struct; in a nested
/// struct, its optional scalars, so the nested shape reaches the wire.
fn value_of_struct(op: &Operation, name: &str, top: bool) -> TokenStream {
    let Some(TypeDef::Struct(s)) = op.get(name) else {
        return quote!(Default::default());
    };
    debug_assert_eq!(s.side, Side::Request);
    let ty = ident(name);
    let args = s.required_fields().map(|f| value_of(op, &f.ty, f));
    let extras: Vec<TokenStream> = s
        .fields
        .iter()
        .filter(|f| !f.required && !f.deprecated && worth_sending(op, f, top))
        .map(|f| {
            let rust = ident(&f.rust);
            let value = value_of(op, &f.ty, f);
            let ty = field_ty(f).to_string();
            if ty.starts_with("Option") {
                quote!(#rust: Some(#value))
            } else {
                quote!(#rust: #value)
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

fn worth_sending(op: &Operation, f: &Field, top: bool) -> bool {
    let nested = match (&f.ty, &f.encoding) {
        (Ty::List(_), Encoding::Plain) => true,
        (Ty::Named(n), Encoding::Plain) => matches!(op.get(n), Some(TypeDef::Struct(_))),
        _ => false,
    };
    let scalar = matches!(f.ty, Ty::String | Ty::I32 | Ty::I64 | Ty::F64 | Ty::Bool);
    if top {
        nested
    } else {
        scalar
    }
}

fn value_of(op: &Operation, ty: &Ty, f: &Field) -> TokenStream {
    let example = f.sample.example.as_deref().map(str::trim).unwrap_or("");
    match ty {
        Ty::String => {
            let text = string_sample(example, f);
            quote!(#text.to_string())
        }
        Ty::I32 => {
            let n = integer_sample(example, f, i32::MIN as i64, i32::MAX as i64) as i32;
            quote!(#n)
        }
        Ty::I64 => {
            let n = integer_sample(example, f, i64::MIN, i64::MAX);
            quote!(#n)
        }
        Ty::F64 => {
            let x = example
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .unwrap_or(1.0);
            quote!(#x)
        }
        Ty::Bool => {
            let b = example.eq_ignore_ascii_case("true");
            quote!(#b)
        }
        Ty::Any => match serde_json::from_str::<serde_json::Value>(example) {
            Ok(v) if v.is_object() => {
                let text = v.to_string();
                quote!(serde_json::from_str(#text).unwrap())
            }
            _ => quote!(serde_json::json!({ "key": "value" })),
        },
        Ty::Named(name) => match op.get(name) {
            Some(TypeDef::Enum(e)) => {
                let ty = ident(name);
                let variant = e.values.first().map(|(_, v)| ident(v));
                match variant {
                    Some(v) => quote!(#ty::#v),
                    None => quote!(#ty::Unknown(String::new())),
                }
            }
            _ => value_of_struct(op, name, false),
        },
        Ty::List(inner) => {
            let item_field = Field {
                sample: crate::ir::Sample {
                    example: list_item_example(example, f),
                    ..f.sample.clone()
                },
                ..f.clone()
            };
            let item = value_of(op, inner, &item_field);
            quote!(vec![#item])
        }
    }
}

/// A JSON-array example (`["i-1", "i-2", … ]`) yields its first item.
fn list_item_example(example: &str, f: &Field) -> Option<String> {
    if f.encoding != Encoding::Json || !example.starts_with('[') {
        return Some(example.to_string()).filter(|e| !e.is_empty());
    }
    let start = example.find(['"', '“'])?;
    let rest = &example[start..];
    let first = rest.chars().next()?.len_utf8();
    let end = rest[first..].find(['"', '”'])?;
    Some(rest[first..first + end].to_string())
}

fn string_sample(example: &str, f: &Field) -> String {
    let text = if example.is_empty() {
        "sample"
    } else {
        example
    };
    match f.sample.max_length {
        Some(max) => text.chars().take(max.max(1) as usize).collect(),
        None => text.to_string(),
    }
}

fn integer_sample(example: &str, f: &Field, lo: i64, hi: i64) -> i64 {
    let lo = f.sample.minimum.map_or(lo, |m| (m.ceil() as i64).max(lo));
    let hi = f.sample.maximum.map_or(hi, |m| (m.floor() as i64).min(hi));
    let n = example.parse::<i64>().unwrap_or(lo.max(1).min(hi));
    n.clamp(lo, hi.max(lo))
}
