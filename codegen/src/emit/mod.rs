//! Tokens and text per item kind: an operation's module, its types (declared
//! through ecs-core's macros, so each wire name is written once), the
//! operations table, the module tree, the shared `types` module, the client.
//!
//! Items formatted by prettyplease are tokens; the type declarations and
//! the tables are text, laid out one field or one operation per line
//! (prettyplease would pour a macro's body into one paragraph).

mod listings;
mod paging;
mod tables;
mod types;

pub use listings::{paginators_module, waiters_module};
pub use tables::{client_module, operations_table, ops_module, types_module};

use crate::docs;
use crate::format::Piece;
use crate::ir::Operation;
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

pub(crate) fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// `#[doc]` attributes (`///` once formatted) for outer docs.
fn doc_attrs(lines: &[String]) -> TokenStream {
    let lines = lines.iter().map(|l| format!(" {l}"));
    quote! { #( #[doc = #lines] )* }
}

fn inner_doc_attrs(lines: &[String]) -> TokenStream {
    let lines = lines.iter().map(|l| format!(" {l}"));
    quote! { #( #![doc = #lines] )* }
}

/// Doc comment lines for text pieces, each line indented by `indent`.
fn doc_text(lines: &[String], indent: &str) -> String {
    let mut out = String::new();
    for line in lines {
        if line.chars().any(|c| c.is_control()) {
            let lit = proc_macro2::Literal::string(&format!(" {line}"));
            out.push_str(&format!("{indent}#[doc = {lit}]\n"));
        } else if line.is_empty() {
            out.push_str(&format!("{indent}///\n"));
        } else {
            out.push_str(&format!("{indent}/// {line}\n"));
        }
    }
    out
}

fn deprecated_attr(deprecated: bool) -> TokenStream {
    if deprecated {
        quote!(#[deprecated])
    } else {
        TokenStream::new()
    }
}

/// One operation's module file.
pub fn operation(op: &Operation) -> Vec<Piece> {
    let mut module_doc = vec![format!("`{}` (Cargo feature `{}`)", op.wire, op.feature)];
    for part in [&op.title, &op.summary, &op.description]
        .into_iter()
        .flatten()
    {
        let lines = docs::lines(part);
        if !lines.is_empty() {
            module_doc.push(String::new());
            module_doc.extend(lines);
        }
    }
    let module_doc = inner_doc_attrs(&module_doc);
    let imports = op.imports.iter().map(|i| {
        let shared = ident(&i.shared);
        if i.shared == i.local {
            quote!(#shared)
        } else {
            let local = ident(&i.local);
            quote!(#shared as #local)
        }
    });
    let imports = (!op.imports.is_empty()).then(|| quote!(pub use crate::types::{#(#imports),*};));
    let mut pieces = vec![Piece::Tokens(quote! { #module_doc #imports })];
    for def in &op.types {
        let options = types::Options::for_operation(op, def);
        pieces.extend(types::definition(def, &options));
    }

    let request = ident(&op.request);
    let response = ident(&op.response);
    let method = format_ident!("{}", op.module);
    let info = ident(&op.const_name);
    let deprecated = deprecated_attr(op.deprecated);
    let headline = op
        .title
        .as_deref()
        .or(op.summary.as_deref())
        .unwrap_or(&op.wire);
    let mut method_doc = docs::lines(headline);
    method_doc.push(String::new());
    method_doc.push("See [the operation's module](self) for the full description.".into());
    let method_doc = doc_attrs(&method_doc);
    pieces.push(Piece::Tokens(quote! {
        impl ecs_core::Operation for #request {
            type Output = #response;
            const INFO: ecs_core::OperationInfo = crate::operations::#info;
        }
    }));
    let paged = op.paging.paged();
    if let Some(paged) = paged {
        pieces.push(Piece::Text(paging::paginated(op, paged)));
    }
    if let (Some(_), Some(w)) = (paged, &op.waitable) {
        pieces.push(Piece::Text(paging::waitable(op, w)));
    }
    let paginator = paged.map(|paged| paging::paginator_method(op, paged));
    pieces.push(Piece::Tokens(quote! {
        impl crate::Client {
            #method_doc
            #deprecated
            pub async fn #method(&self, request: #request) -> Result<#response, ecs_core::Error> {
                self.call(&request).await
            }

            #paginator
        }
    }));
    pieces
}
