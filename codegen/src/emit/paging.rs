//! What a paged operation's module adds: its `Paginated` impl (how it
//! pages, where its paging fields and items are), its `Waitable` impl when
//! a waiter polls it, and the `<operation>_paginator` method. The
//! behaviour is `ecs_core::paginator`'s and `ecs_core::waiter`'s.

use super::ident;
use crate::ir::{Access, IdsField, Operation, PageStyle, Paged, Waitable};
use crate::waiters::IdsIn;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

/// `ecs_core::paginator::Paging::...` for `paged`.
fn paging_const(paged: &Paged) -> TokenStream {
    let size = paged.size.as_ref().map(|(param, max)| {
        let max = Literal::u32_unsuffixed(*max);
        quote!(ecs_core::paginator::PageSize { param: #param, max: #max })
    });
    let page = &paged.page_param;
    match paged.style {
        PageStyle::Token => {
            let size = match size {
                Some(s) => quote!(Some(#s)),
                None => quote!(None),
            };
            quote!(ecs_core::paginator::Paging::Token { token: #page, size: #size })
        }
        PageStyle::Number => {
            let size = size.expect("the paging rule gives page-number style a size");
            quote!(ecs_core::paginator::Paging::Number { number: #page, size: #size })
        }
    }
}

/// `page.a.as_ref().and_then(|c| c.b.as_ref())...`: the struct holding the
/// last field, borrowed, or `None` when it is the answer itself.
fn borrowed_parent(access: &Access) -> Option<TokenStream> {
    let (first, rest) = access.0[..access.0.len() - 1].split_first()?;
    let first = ident(first);
    let rest = rest.iter().map(|f| {
        let f = ident(f);
        quote!(.and_then(|c| c.#f.as_ref()))
    });
    Some(quote!(page.#first.as_ref() #(#rest)*))
}

fn last(access: &Access) -> proc_macro2::Ident {
    ident(access.0.last().expect("an access names a field"))
}

/// An expression reading the token field at `access` as `Option<&str>`.
fn token_read(access: &Access) -> TokenStream {
    let f = last(access);
    match borrowed_parent(access) {
        None => quote!(page.#f.as_deref()),
        Some(parent) => quote!(#parent.and_then(|c| c.#f.as_deref())),
    }
}

/// An expression reading the count field at `access` as `Option<u64>`.
fn count_read(access: &Access) -> TokenStream {
    let f = last(access);
    match borrowed_parent(access) {
        None => quote!(ecs_core::paginator::count(&page.#f)),
        Some(parent) => quote!(#parent.and_then(|c| ecs_core::paginator::count(&c.#f))),
    }
}

/// The `Paginated` impl and the client method's tokens (for the module's
/// `impl Client` block).
pub(super) fn paginated(op: &Operation, paged: &Paged) -> (TokenStream, TokenStream) {
    let request = ident(&op.request);
    let response = ident(&op.response);
    let item: TokenStream = paged.item.to_string().parse().expect("a type is Rust");
    let paging = paging_const(paged);
    let mut info = Vec::new();
    if let Some(a) = &paged.next_token {
        let read = token_read(a);
        info.push(quote!(next_token: #read));
    }
    for (name, access) in [
        ("total_count", &paged.total_count),
        ("page_number", &paged.page_number),
        ("page_size", &paged.page_size),
    ] {
        if let Some(a) = access {
            let name = ident(name);
            let read = count_read(a);
            info.push(quote!(#name: #read));
        }
    }
    let rest = (info.len() < 4).then(|| quote!(..ecs_core::paginator::PageInfo::default()));
    let list = last(&paged.items);
    let (items, into_items) = match borrowed_parent(&paged.items) {
        None => (quote!(&page.#list), quote!(page.#list)),
        Some(parent) => {
            let owned_path = &paged.items.0[..paged.items.0.len() - 1];
            let first = ident(&owned_path[0]);
            let rest = owned_path[1..].iter().map(|f| {
                let f = ident(f);
                quote!(.and_then(|c| c.#f))
            });
            (
                quote!(#parent.map_or(&[][..], |c| c.#list.as_slice())),
                quote!(page.#first #(#rest)* .map(|c| c.#list).unwrap_or_default()),
            )
        }
    };
    let impl_tokens = quote! {
        impl ecs_core::paginator::Paginated for #request {
            type Item = #item;
            const PAGING: ecs_core::paginator::Paging = #paging;
            fn page_info(page: &#response) -> ecs_core::paginator::PageInfo<'_> {
                ecs_core::paginator::PageInfo { #(#info,)* #rest }
            }
            fn items(page: &#response) -> &[#item] {
                #items
            }
            fn into_items(page: #response) -> Vec<#item> {
                #into_items
            }
        }
    };

    let method = format_ident!("{}_paginator", op.module);
    let by = match (&paged.style, &paged.size) {
        (PageStyle::Token, Some((size, max))) => format!("by `NextToken`, `{size}` up to {max}"),
        (PageStyle::Token, None) => "by `NextToken`".to_string(),
        (PageStyle::Number, Some((size, max))) => {
            format!("by `PageNumber`, `{size}` up to {max}")
        }
        (PageStyle::Number, None) => "by `PageNumber`".to_string(),
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
    let method_tokens = quote! {
        #(#[doc = #doc])*
        #deprecated
        pub fn #method(&self, request: #request) -> ecs_core::paginator::Paginator<#request> {
            self.paginate(request)
        }
    };
    (impl_tokens, method_tokens)
}

/// The `Waitable` impl.
pub(super) fn waitable(op: &Operation, paged: &Paged, w: &Waitable) -> TokenStream {
    let request = ident(&op.request);
    let item: TokenStream = paged.item.to_string().parse().expect("a type is Rust");
    let lit = Literal::usize_unsuffixed;
    let ids = match w.ids {
        IdsIn::JsonList(param, max) => {
            let max = lit(max);
            quote!(ecs_core::waiter::Ids::JsonList { param: #param, max: #max })
        }
        IdsIn::RepeatList(param, max) => {
            let max = lit(max);
            quote!(ecs_core::waiter::Ids::RepeatList { param: #param, max: #max })
        }
        IdsIn::Joined(param, max) => {
            let max = lit(max);
            quote!(ecs_core::waiter::Ids::Joined { param: #param, max: #max })
        }
        IdsIn::One(param) => quote!(ecs_core::waiter::Ids::One { param: #param }),
        IdsIn::Unsent => quote!(ecs_core::waiter::Ids::Unsent),
    };
    let set = match (&w.ids_field, w.ids) {
        (None, _) => quote!(
            fn set_ids(&mut self, _ids: &[String]) {}
        ),
        (Some((field, form)), ids) => {
            let field = ident(field);
            let value = match (form, ids) {
                (IdsField::JsonList, _) => quote!(Some(ids.to_vec())),
                (IdsField::List, _) => quote!(ids.to_vec()),
                (IdsField::Text, IdsIn::One(_)) => quote!(ids.first().cloned()),
                (IdsField::Text, _) => quote!(Some(ids.join(","))),
            };
            quote!(fn set_ids(&mut self, ids: &[String]) { self.#field = #value; })
        }
    };
    let id = ident(&w.id_field);
    quote! {
        impl ecs_core::waiter::Waitable for #request {
            const IDS: ecs_core::waiter::Ids = #ids;
            #set
            fn item_id(item: &#item) -> Option<&str> {
                item.#id.as_deref()
            }
        }
    }
}
