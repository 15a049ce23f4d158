//! What a paged operation's module adds: its `Paginated` impl (how it
//! pages, where its paging fields and items are) through
//! `ecs_core::paginated!`, its `Waitable` impl through
//! `ecs_core::waitable!` when a waiter polls it, and the
//! `<operation>_paginator` method. The behaviour is `ecs_core::paginator`'s
//! and `ecs_core::waiter`'s; the declarations are text, one fact a line.

use super::ident;
use crate::ir::{Access, Operation, PageStyle, Paged, Waitable};
use crate::waiters::IdsIn;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

/// `a.b.c`: the Rust fields from the answer's root.
fn path(access: &Access) -> String {
    access.0.join(".")
}

fn string(text: &str) -> Literal {
    Literal::string(text)
}

/// The `ecs_core::paginated!` declaration.
pub(super) fn paginated(op: &Operation, paged: &Paged) -> String {
    let style = match paged.style {
        PageStyle::Token => "token",
        PageStyle::Number => "number",
    };
    let mut paging = format!("{style} {}", string(paged.style.param()));
    if let Some((param, max)) = &paged.size {
        paging.push_str(&format!(" size {} max {max}", string(param)));
    }
    let mut out = format!(
        "ecs_core::paginated! {{\n    {} => {},\n    item: {} = {},\n    paging: {paging},\n",
        op.request,
        op.response,
        paged.item,
        path(&paged.items)
    );
    let info: Vec<String> = [
        ("next_token", &paged.next_token),
        ("total_count", &paged.total_count),
        ("page_number", &paged.page_number),
        ("page_size", &paged.page_size),
    ]
    .into_iter()
    .filter_map(|(name, access)| {
        let path = path(access.as_ref()?);
        Some(if path == name {
            name.to_string()
        } else {
            format!("{name} = {path}")
        })
    })
    .collect();
    if info.is_empty() {
        out.push_str("}\n");
        return out;
    }
    // One line, or one field a line when that is long (nested paths).
    let line = format!("    page_info: {},\n", info.join(", "));
    if line.len() <= 100 {
        out.push_str(&line);
    } else {
        out.push_str("    page_info:\n");
        for field in &info {
            out.push_str(&format!("        {field},\n"));
        }
    }
    out.push_str("}\n");
    out
}

/// The `<operation>_paginator` method's tokens (for the module's
/// `impl Client` block).
pub(super) fn paginator_method(op: &Operation, paged: &Paged) -> TokenStream {
    let request = ident(&op.request);
    let method = format_ident!("{}_paginator", op.module);
    let by = match &paged.size {
        Some((size, max)) => format!("by `{}`, `{size}` up to {max}", paged.style),
        None => format!("by `{}`", paged.style),
    };
    let doc = [
        format!(
            " Every page of `{}` ({by}); the items are `{}`.",
            op.wire, paged.items_path
        ),
        String::new(),
        " `.pages()` streams the answers, `.items()` the items, `.collect_items().await`"
            .to_string(),
        " gathers them all; see [`ecs_core::paginator`]. Nothing is sent until it is read."
            .to_string(),
    ];
    let deprecated = super::deprecated_attr(op.deprecated);
    quote! {
        #(#[doc = #doc])*
        #deprecated
        pub fn #method(&self, request: #request) -> ecs_core::paginator::Paginator<#request> {
            self.paginate(request)
        }
    }
}

/// The `ecs_core::waitable!` declaration.
pub(super) fn waitable(op: &Operation, w: &Waitable) -> String {
    let batched = |kind: &str, param: &str, max: usize| {
        format!("{kind} {{ param: {}, max: {max} }}", string(param))
    };
    let ids = match w.ids {
        IdsIn::JsonList(param, max) => batched("JsonList", param, max),
        IdsIn::RepeatList(param, max) => batched("RepeatList", param, max),
        IdsIn::Joined(param, max) => batched("Joined", param, max),
        IdsIn::One(param) => format!("One {{ param: {} }}", string(param)),
        IdsIn::Unsent => "Unsent".to_string(),
    };
    let into = match &w.ids_field {
        Some(field) => format!(" => {field}"),
        None => String::new(),
    };
    format!(
        "ecs_core::waitable! {{\n    {} {{\n        ids: {ids}{into},\n        item_id: {},\n    }}\n}}\n",
        op.request, w.id_field
    )
}
