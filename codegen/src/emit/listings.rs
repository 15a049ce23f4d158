//! The crate-wide listings of paged operations and waiters:
//! `ops/paginators.rs` (`PAGINATORS`, each entry read from its operation's
//! `Paginated` impl) and `ops/waiters.rs` (one `WaiterSpec` const and one
//! `client.wait_until_<name>` method per waiter, and `WAITERS`).

use super::{doc_text, ident};
use crate::format::Piece;
use crate::ir::{Api, Operation, Waiter};
use crate::waiters::{Gone, IdsIn};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

fn cfg(op: &Operation) -> TokenStream {
    let feature = &op.feature;
    quote!(#[cfg(feature = #feature)])
}

fn request_path(op: &Operation) -> TokenStream {
    let module = ident(&op.module);
    let request = ident(&op.request);
    quote!(crate::#module::#request)
}

fn cfg_text(op: &Operation) -> String {
    format!("#[cfg(feature = {})]", Literal::string(&op.feature))
}

fn request_path_text(op: &Operation) -> String {
    format!("crate::{}::{}", op.module, op.request)
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
        let size = paged
            .size
            .as_ref()
            .map_or("-".to_string(), |(p, max)| format!("`{p}` up to {max}"));
        doc.push(format!(
            "| `{}` | `{}` | {size} | `{}` |",
            op.wire, paged.style, paged.items_path
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
        pieces.push(Piece::Text(waiter(op, w)));
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

/// One `ecs_core::waiter_spec!` declaration: the `WaiterSpec` const and the
/// `wait_until_<name>` method, each with its docs.
fn waiter(op: &Operation, w: &Waiter) -> String {
    let e = &w.entry;
    let strings = |values: &[&str]| {
        values
            .iter()
            .map(|v| Literal::string(v).to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let absent = match e.gone {
        Gone::Success => "Success",
        Gone::Pending => "Pending",
    };
    let const_doc = [format!("`{}` until {}.", e.operation, e.doc)];

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
        format!("Waits until {}.", e.doc),
        String::new(),
        format!(
            "{}Polls `{}` for {how}, and reads `{}`.",
            args_doc.concat(),
            e.operation,
            e.state
        ),
        // `waiter_spec!` goes on with the setters of these, the result and the spec.
        format!(
            "Defaults: timeout {}, polls {} to {} apart",
            duration(e.timeout),
            duration(e.min_delay),
            duration(e.max_delay)
        ),
    ];
    let args: String = w.args.iter().map(|(_, rust)| format!("{rust}, ")).collect();
    let presets = w
        .preset
        .iter()
        .map(|(rust, value)| format!("{rust} = {}", Literal::string(value)))
        .collect::<Vec<_>>();
    let with = if presets.is_empty() {
        String::new()
    } else {
        format!(" with {}", presets.join(", "))
    };
    let deprecated = if op.deprecated {
        "        #[deprecated]\n"
    } else {
        ""
    };

    let mut out = format!("{}\necs_core::waiter_spec! {{\n", cfg_text(op));
    out.push_str(&doc_text(&const_doc, "    "));
    out.push_str(&format!(
        "    pub const {}: {} = {{\n",
        w.const_name,
        request_path_text(op)
    ));
    for line in [
        format!("name: {}", Literal::string(e.name)),
        format!("state: {} = {}", Literal::string(e.state), w.state_field),
        format!("success: [{}]", strings(e.success)),
        format!("failure: [{}]", strings(e.failure)),
        format!("absent: {absent}"),
        format!(
            "timeout: {}, min_delay: {}, max_delay: {}",
            e.timeout, e.min_delay, e.max_delay
        ),
    ] {
        out.push_str(&format!("        {line},\n"));
    }
    out.push_str("    };\n    impl crate::Client {\n");
    out.push_str(&doc_text(&method_doc, "        "));
    out.push_str(deprecated);
    out.push_str(&format!(
        "        pub fn {}({args}[{}]){with};\n    }}\n}}\n",
        w.method, w.ids_arg
    ));
    out
}
