//! Reading generated files back: the types declared through ecs-core's
//! macros (`request_struct!`, `response_struct!`, `wire_enum!`), parsed.

#![allow(dead_code)]

use quote::ToTokens;
use syn::parse::{Parse, ParseStream};
use syn::{braced, Attribute, Ident, LitStr, Token, Visibility};

/// A type declared in a generated file.
#[derive(Debug, Clone)]
pub struct Declared {
    /// `request_struct`, `response_struct` or `wire_enum`.
    pub macro_name: String,
    /// Attributes on the macro call (`#[cfg(..)]`), as tokens without spaces.
    pub outer: String,
    /// Attributes of the type other than docs (derives), likewise.
    pub attrs: String,
    pub deprecated: bool,
    pub doc: String,
    pub name: String,
    pub fields: Vec<DeclaredField>,
    /// (variant, wire value)
    pub variants: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct DeclaredField {
    pub doc: String,
    pub deprecated: bool,
    pub name: String,
    /// The declared type, without spaces.
    pub ty: String,
    pub wire: String,
    /// How the value is written, without spaces: "", "json", "joined','",
    /// "wrapped\"Key\"".
    pub form: String,
}

impl Declared {
    fn new(attrs: &[Attribute], name: &Ident) -> Declared {
        Declared {
            macro_name: String::new(),
            outer: String::new(),
            attrs: other_attrs(attrs),
            deprecated: is_deprecated(attrs),
            doc: doc_of(attrs),
            name: name.to_string(),
            fields: Vec::new(),
            variants: Vec::new(),
        }
    }

    pub fn field(&self, rust: &str) -> &DeclaredField {
        self.fields
            .iter()
            .find(|f| f.name == rust)
            .unwrap_or_else(|| panic!("{} has no field {rust}", self.name))
    }

    pub fn field_names(&self) -> Vec<&str> {
        self.fields.iter().map(|f| f.name.as_str()).collect()
    }

    /// The shape: sorted fields (name, type, wire name, form), or values.
    pub fn shape(&self) -> String {
        let mut parts: Vec<String> = self
            .fields
            .iter()
            .map(|f| format!("{}:{}={}{}", f.name, f.ty, f.wire, f.form))
            .chain(self.variants.iter().map(|(v, w)| format!("{v}={w}")))
            .collect();
        parts.sort();
        parts.join(",")
    }
}

pub fn tokens(t: &impl ToTokens) -> String {
    t.to_token_stream().to_string().replace(' ', "")
}

pub fn is_deprecated(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("deprecated"))
}

pub fn doc_of(attrs: &[Attribute]) -> String {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .map(|l| l.strip_prefix(' ').unwrap_or(&l).to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

fn other_attrs(attrs: &[Attribute]) -> String {
    attrs
        .iter()
        .filter(|a| !a.path().is_ident("doc"))
        .map(tokens)
        .collect()
}

/// The `use` trees of a file, as tokens without spaces.
pub fn uses(file: &syn::File) -> Vec<String> {
    file.items
        .iter()
        .filter_map(|i| match i {
            syn::Item::Use(u) => Some(tokens(&u.tree)),
            _ => None,
        })
        .collect()
}

/// Every type a file declares through the macros, in order.
pub fn declared_all(file: &syn::File) -> Vec<Declared> {
    file.items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Macro(m) => {
                let macro_name = m.mac.path.segments.last()?.ident.to_string();
                let mut d = match macro_name.as_str() {
                    "request_struct" | "response_struct" => {
                        m.mac
                            .parse_body::<StructBody>()
                            .expect("a struct declaration")
                            .0
                    }
                    "wire_enum" => {
                        m.mac
                            .parse_body::<EnumBody>()
                            .expect("an enum declaration")
                            .0
                    }
                    _ => return None,
                };
                d.macro_name = macro_name;
                d.outer = m.attrs.iter().map(tokens).collect();
                Some(d)
            }
            _ => None,
        })
        .collect()
}

pub fn declared(file: &syn::File, name: &str) -> Declared {
    declared_all(file)
        .into_iter()
        .find(|d| d.name == name)
        .unwrap_or_else(|| panic!("no type {name} declared"))
}

struct StructBody(Declared);

impl Parse for StructBody {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let _: Visibility = input.parse()?;
        input.parse::<Token![struct]>()?;
        let name: Ident = input.parse()?;
        let body;
        braced!(body in input);
        let mut fields = Vec::new();
        while !body.is_empty() {
            let attrs = body.call(Attribute::parse_outer)?;
            let _: Visibility = body.parse()?;
            let name: Ident = body.parse()?;
            body.parse::<Token![:]>()?;
            let ty: syn::Type = body.parse()?;
            body.parse::<Token![=]>()?;
            let wire: LitStr = body.parse()?;
            let mut form = String::new();
            while !body.is_empty() && !body.peek(Token![,]) {
                let tt: proc_macro2::TokenTree = body.parse()?;
                form.push_str(&tt.to_string());
            }
            if !body.is_empty() {
                body.parse::<Token![,]>()?;
            }
            fields.push(DeclaredField {
                doc: doc_of(&attrs),
                deprecated: is_deprecated(&attrs),
                name: name.to_string(),
                ty: tokens(&ty),
                wire: wire.value(),
                form,
            });
        }
        Ok(StructBody(Declared {
            fields,
            ..Declared::new(&attrs, &name)
        }))
    }
}

struct EnumBody(Declared);

impl Parse for EnumBody {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let _: Visibility = input.parse()?;
        input.parse::<Token![enum]>()?;
        let name: Ident = input.parse()?;
        let body;
        braced!(body in input);
        let mut variants = Vec::new();
        while !body.is_empty() {
            let variant: Ident = body.parse()?;
            body.parse::<Token![=]>()?;
            let wire: LitStr = body.parse()?;
            variants.push((variant.to_string(), wire.value()));
            if !body.is_empty() {
                body.parse::<Token![,]>()?;
            }
        }
        Ok(EnumBody(Declared {
            variants,
            ..Declared::new(&attrs, &name)
        }))
    }
}
