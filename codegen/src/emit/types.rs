//! Type declarations: structs through `ecs_core::request_struct!` /
//! `response_struct!` (one line per field: name, type, wire name, wire
//! form), enums through `ecs_core::wire_enum!`, and request constructors.

use super::{doc_text, ident};
use crate::docs;
use crate::format::Piece;
use crate::ir::{Encoding, Enum, Field, Kind, Operation, Struct, Ty, TypeDef};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// What a declaration carries besides the type itself.
#[derive(Debug, Default)]
pub(super) struct Options {
    /// Doc lines in place of the type's own doc.
    pub doc: Option<Vec<String>>,
    pub deprecated: bool,
    /// `#[cfg(...)]` text for a shared type.
    pub cfg: Option<String>,
}

impl Options {
    pub fn for_operation(op: &Operation, def: &TypeDef) -> Options {
        if def.name() != op.request {
            return Options::default();
        }
        Options {
            doc: Some(vec![format!(
                "The request of [`{}`](self). Required parameters are the arguments of `new`; \
                 `RegionId` defaults to the client's region.",
                op.wire
            )]),
            deprecated: op.deprecated,
            cfg: None,
        }
    }
}

pub(super) fn definition(def: &TypeDef, options: &Options) -> Vec<Piece> {
    match def {
        TypeDef::Struct(s) => {
            let mut pieces = vec![Piece::Text(struct_text(s, options))];
            if s.side.in_requests() {
                pieces.push(Piece::Tokens(constructor(s, options)));
            }
            pieces
        }
        TypeDef::Enum(e) => vec![Piece::Text(enum_text(e, options))],
    }
}

fn struct_text(s: &Struct, options: &Options) -> String {
    let mut out = String::new();
    if let Some(cfg) = &options.cfg {
        out.push_str(&format!("{cfg}\n"));
    }
    let declare = if s.side.in_responses() {
        "response_struct"
    } else {
        "request_struct"
    };
    out.push_str(&format!("ecs_core::{declare}! {{\n"));
    let doc = options.doc.clone().unwrap_or_else(|| docs::render(&s.doc));
    out.push_str(&doc_text(&doc, "    "));
    if options.deprecated {
        out.push_str("    #[deprecated]\n");
    }
    if !s.side.in_responses() && s.required_fields().next().is_none() {
        out.push_str("    #[derive(Default)]\n");
    }
    if s.fields.is_empty() {
        out.push_str(&format!("    pub struct {} {{}}\n}}\n", s.name));
        return out;
    }
    out.push_str(&format!("    pub struct {} {{\n", s.name));
    for f in &s.fields {
        out.push_str(&doc_text(&docs::render(&f.doc), "        "));
        if f.deprecated {
            out.push_str("        #[deprecated]\n");
        }
        out.push_str(&format!(
            "        pub {}: {} = {}{},\n",
            f.rust,
            f.declared(),
            Literal::string(&f.wire),
            wire_form(f)
        ));
    }
    out.push_str("    }\n}\n");
    out
}

/// How the field's value is written, after its wire name.
fn wire_form(f: &Field) -> String {
    match &f.encoding {
        Encoding::Plain => String::new(),
        Encoding::Json => " json".into(),
        Encoding::Delimited(sep) => format!(" joined {}", Literal::character(*sep)),
        Encoding::Wrapped(key) => format!(" wrapped {}", Literal::string(key)),
    }
}

fn enum_text(e: &Enum, options: &Options) -> String {
    let mut out = String::new();
    if let Some(cfg) = &options.cfg {
        out.push_str(&format!("{cfg}\n"));
    }
    out.push_str("ecs_core::wire_enum! {\n");
    out.push_str(&format!("    pub enum {} {{\n", e.name));
    for (wire, variant) in &e.values {
        out.push_str(&format!("        {variant} = {},\n", Literal::string(wire)));
    }
    out.push_str("    }\n}\n");
    out
}

/// `new(..)`: the required fields are its arguments (text as
/// `impl Into<String>`), the rest start absent.
fn constructor(s: &Struct, options: &Options) -> TokenStream {
    let name = ident(&s.name);
    let cfg: TokenStream = options
        .cfg
        .as_deref()
        .map(|c| c.parse().expect("a cfg attribute is Rust"))
        .unwrap_or_default();
    let args = s.required_fields().map(|f| {
        let rust = ident(&f.rust);
        match &f.ty {
            Ty::String => quote!(#rust: impl Into<String>),
            _ => {
                let ty = type_tokens(f);
                quote!(#rust: #ty)
            }
        }
    });
    let body = if s.required_fields().next().is_none() {
        quote!(Self::default())
    } else {
        let inits = s.fields.iter().map(|f| {
            let rust = ident(&f.rust);
            match (&f.ty, f.kind) {
                (Ty::String, Kind::Required) => quote!(#rust: #rust.into()),
                (_, Kind::Required) => quote!(#rust),
                (_, Kind::List) => quote!(#rust: Vec::new()),
                (_, Kind::Optional) => quote!(#rust: None),
            }
        });
        quote!(Self { #(#inits),* })
    };
    quote! {
        #cfg
        impl #name {
            pub fn new(#(#args),*) -> Self {
                #body
            }
        }
    }
}

fn type_tokens(f: &Field) -> TokenStream {
    f.declared().parse().expect("a declared type is Rust")
}
