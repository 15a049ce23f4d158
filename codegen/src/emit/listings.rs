//! The crate-wide listings of paged operations and waiters:
//! `ops/paginators.rs` (`PAGINATORS`, each entry read from its operation's
//! `Paginated` impl) and `ops/waiters.rs` (one `WaiterSpec` const and one
//! `client.wait_until_<name>` method per waiter, and `WAITERS`).

use super::{deprecated_attr, ident};
use crate::format::Piece;
use crate::ir::{Api, Operation, PageStyle, Waiter};
use crate::waiters::{Gone, IdsIn};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

fn cfg(op: &Operation) -> TokenStream {
    let feature = &op.feature;
    quote!(#[cfg(feature = #feature)])
}

fn request_path(op: &Operation) -> TokenStream {
    let module = ident(&op.module);
    let request = ident(&op.request);
    quote!(crate::#module::#request)
}

fn inner_docs(lines: &[String]) -> TokenStream {
    let lines = lines.iter().map(|l| format!(" {l}"));
    quote!(#(#![doc = #lines])*)
}

/// `ops/paginators.rs`.
pub fn paginators_module(api: &Api) -> Vec<Piece> {
    let mut doc = vec![
        "Every paged operation and how it pages. Each has a".to_string(),
        "[`Paginated`](ecs_core::paginator::Paginated) impl on its request type and a".into(),
        "`client.<operation>_paginator(request)` method; the behaviour is".into(),
        "[`ecs_core::paginator`]'s. Operations that take both styles page by `NextToken`.".into(),
        String::new(),
        "| operation | pages by | page size | items |".into(),
        "|---|---|---|---|".into(),
    ];
    let mut entries = Vec::new();
    for op in &api.operations {
        let Some(paged) = op.paging.paged() else {
            continue;
        };
        let style = match paged.style {
            PageStyle::Token => "`NextToken`",
            PageStyle::Number => "`PageNumber`",
        };
        let size = paged
            .size
            .as_ref()
            .map_or("-".to_string(), |(p, max)| format!("`{p}` up to {max}"));
        doc.push(format!(
            "| `{}` | {style} | {size} | `{}` |",
            op.wire, paged.items_path
        ));
        let cfg = cfg(op);
        let request = request_path(op);
        let items = &paged.items_path;
        entries.push(quote! {
            #cfg
            ecs_core::paginator::PagedOperation {
                operation: <#request as ecs_core::Operation>::INFO.name,
                paging: <#request as ecs_core::paginator::Paginated>::PAGING,
                items: #items,
            }
        });
    }
    let doc = inner_docs(&doc);
    vec![Piece::Tokens(quote! {
        #doc

        /// Every paged operation whose Cargo feature is on, sorted by name.
        pub static PAGINATORS: &[ecs_core::paginator::PagedOperation] = &[#(#entries),*];
    })]
}

/// `10 min`, `2 h`, `5 s`.
fn duration(secs: u64) -> String {
    match secs {
        s if s >= 3600 && s % 3600 == 0 => format!("{} h", s / 3600),
        s if s >= 60 && s % 60 == 0 => format!("{} min", s / 60),
        s => format!("{s} s"),
    }
}

fn list(values: &[&str]) -> String {
    if values.is_empty() {
        return "-".into();
    }
    values
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `ops/waiters.rs`.
pub fn waiters_module(api: &Api) -> Vec<Piece> {
    let mut doc = vec![
        "Waiters: poll a describe operation until every id is in a wanted state, with".to_string(),
        "jittered backoff, a timeout, and a typed error naming the ids still pending or".into(),
        "the one that failed; the behaviour is [`ecs_core::waiter`]'s. Each waiter is a".into(),
        "[`WaiterSpec`](ecs_core::waiter::WaiterSpec) const here and a".into(),
        "`client.wait_until_<name>(..)` method.".into(),
        String::new(),
        "| method | polls | state | success | failure | timeout |".into(),
        "|---|---|---|---|---|---|".into(),
    ];
    let mut pieces = Vec::new();
    let mut infos = Vec::new();
    for w in &api.waiters {
        let e = &w.entry;
        let op = api
            .operations
            .iter()
            .find(|o| o.wire == e.operation)
            .expect("a resolved waiter's operation exists");
        let success = if e.gone == Gone::Success {
            "gone".to_string()
        } else {
            list(e.success)
        };
        doc.push(format!(
            "| `{}` | `{}` | `{}` | {success} | {} | {} |",
            w.method,
            e.operation,
            e.state,
            list(e.failure),
            duration(e.timeout)
        ));
        let cfg = cfg(op);
        pieces.push(Piece::Tokens(waiter(op, w)));
        let name = ident(&w.const_name);
        infos.push(quote!(#cfg #name.info()));
    }
    let doc = inner_docs(&doc);
    let mut out = vec![Piece::Tokens(doc)];
    out.extend(pieces);
    out.push(Piece::Tokens(quote! {
        /// Every waiter whose Cargo feature is on, as data.
        pub static WAITERS: &[ecs_core::waiter::WaiterInfo] = &[#(#infos),*];
    }));
    out
}

fn waiter(op: &Operation, w: &Waiter) -> TokenStream {
    let e = &w.entry;
    let cfg = cfg(op);
    let request = request_path(op);
    let name_const = ident(&w.const_name);
    let name = e.name;
    let state_path = e.state;
    let field = ident(&w.state_field);
    let state = if w.state_is_enum {
        quote!(|item| item.#field.as_ref().map(|s| s.as_str()))
    } else {
        quote!(|item| item.#field.as_deref())
    };
    let success = e.success;
    let failure = e.failure;
    let absent = match e.gone {
        Gone::Success => quote!(ecs_core::waiter::Absent::Success),
        Gone::Pending => quote!(ecs_core::waiter::Absent::Pending),
    };
    let secs = |s: u64| {
        let s = Literal::u64_unsuffixed(s);
        quote!(std::time::Duration::from_secs(#s))
    };
    let (timeout, min_delay, max_delay) = (secs(e.timeout), secs(e.min_delay), secs(e.max_delay));
    let const_doc = format!(" `{}` until {}.", e.operation, e.doc);

    let method = format_ident!("{}", w.method);
    let ids = ident(&w.ids_arg);
    let args = w.args.iter().map(|(_, rust)| {
        let rust = ident(rust);
        quote!(#rust: impl Into<String>,)
    });
    let sets = w
        .args
        .iter()
        .map(|(_, rust)| {
            let rust = ident(rust);
            quote!(#rust: Some(#rust.into()),)
        })
        .chain(w.preset.iter().map(|(rust, value)| {
            let rust = ident(rust);
            quote!(#rust: Some(#value.into()),)
        }));
    let new = quote!(#request::new());
    let request_value = if w.args.is_empty() && w.preset.is_empty() {
        new
    } else {
        quote!(#request { #(#sets)* ..#new })
    };
    let how = match e.ids {
        IdsIn::JsonList(p, max) | IdsIn::RepeatList(p, max) | IdsIn::Joined(p, max) => {
            format!("`{}` by `{p}`, {max} a call", w.ids_arg)
        }
        IdsIn::One(p) => format!("`{}` by `{p}`, one a call", w.ids_arg),
        IdsIn::Unsent => format!(
            "the results it lists, keeping `{}` (every one listed, when empty)",
            w.ids_arg
        ),
    };
    let args_doc: Vec<String> = w
        .args
        .iter()
        .map(|(wire, rust)| format!("`{rust}` is sent as `{wire}`; "))
        .collect();
    let method_doc = [
        format!(" Waits until {}.", e.doc),
        String::new(),
        format!(
            " {}Polls `{}` for {how}, and reads `{}`.",
            args_doc.concat(),
            e.operation,
            e.state
        ),
        format!(
            " Defaults: timeout {}, polls {} to {} apart (`.timeout(..)`, `.min_delay(..)`,",
            duration(e.timeout),
            duration(e.min_delay),
            duration(e.max_delay)
        ),
        " `.max_delay(..)`). `.await` gives the last item of each id; a".to_string(),
        " [`WaitError`](ecs_core::waiter::WaitError) says which ids timed out or failed.".into(),
        format!(" The spec: [`{}`].", w.const_name),
    ];
    let deprecated = deprecated_attr(op.deprecated);
    quote! {
        #cfg
        #[doc = #const_doc]
        pub const #name_const: ecs_core::waiter::WaiterSpec<#request> = ecs_core::waiter::WaiterSpec {
            name: #name,
            state_path: #state_path,
            state: #state,
            success: &[#(#success),*],
            failure: &[#(#failure),*],
            absent: #absent,
            timeout: #timeout,
            min_delay: #min_delay,
            max_delay: #max_delay,
        };

        #cfg
        impl crate::Client {
            #(#[doc = #method_doc])*
            #deprecated
            pub fn #method(
                &self,
                #(#args)*
                #ids: impl IntoIterator<Item = impl Into<String>>,
            ) -> ecs_core::waiter::Wait<#request> {
                self.wait(#name_const, #request_value, #ids)
            }
        }
    }
}
