//! A compact listing of the generated API surface: one block per
//! operation (request parameters with Rust types, response fields, nested
//! types, the shared types it re-exports, how it pages), then the shared
//! types and the waiters, for reviewers to read as a diff when the metadata
//! changes.

use crate::ir::{Api, Encoding, Field, Kind, Operation, PageStyle, Paging, Side, TypeDef};
use std::fmt::Write;

pub fn render(api: &Api) -> String {
    let mut out = String::new();
    for op in &api.operations {
        block(&mut out, op);
    }
    let _ = writeln!(out, "types");
    for shared in &api.shared {
        let _ = writeln!(
            out,
            "  [{}; used by {}]",
            shared.features.join(", "),
            shared.operations.join(", ")
        );
        def(&mut out, &shared.def);
    }
    let _ = writeln!(out, "waiters");
    for w in &api.waiters {
        let e = &w.entry;
        let _ = writeln!(
            out,
            "  {}: {} {} success [{}] failure [{}]{}",
            w.method,
            e.operation,
            e.state,
            e.success.join(", "),
            e.failure.join(", "),
            if e.gone == crate::waiters::Gone::Success {
                ", gone is success"
            } else {
                ""
            }
        );
    }
    out
}

fn block(out: &mut String, op: &Operation) {
    let mut flags = vec![format!("feature={}", op.feature)];
    if op.deprecated {
        flags.push("deprecated".into());
    }
    if op.read_only {
        flags.push("read-only".into());
    }
    if op.client_token {
        flags.push("client-token".into());
    }
    let _ = writeln!(out, "{} [{}]", op.wire, flags.join(", "));
    if !op.imports.is_empty() {
        let names: Vec<String> = op
            .imports
            .iter()
            .map(|i| {
                if i.shared == i.local {
                    i.local.clone()
                } else {
                    format!("{} as {}", i.shared, i.local)
                }
            })
            .collect();
        let _ = writeln!(out, "  use types::{{{}}}", names.join(", "));
    }
    match &op.paging {
        Paging::None => {}
        Paging::Incomplete(why) => {
            let _ = writeln!(out, "  not paged: {why}");
        }
        Paging::Paged(p) => {
            let style = match p.style {
                PageStyle::Token => "NextToken",
                PageStyle::Number => "PageNumber",
            };
            let size = p
                .size
                .as_ref()
                .map_or(String::new(), |(s, max)| format!(", {s} up to {max}"));
            let _ = writeln!(out, "  pages by {style}{size}: {}", p.items_path);
        }
    }
    for t in &op.types {
        def(out, t);
    }
    out.push('\n');
}

fn def(out: &mut String, t: &TypeDef) {
    match t {
        TypeDef::Struct(s) => {
            let side = match s.side {
                Side::Request => "in",
                Side::Response => "out",
                Side::Both => "in/out",
            };
            let _ = writeln!(out, "  {side} {}", s.name);
            for f in &s.fields {
                let _ = writeln!(out, "    {}", field(f));
            }
        }
        TypeDef::Enum(e) => {
            let values: Vec<&str> = e.values.iter().map(|(w, _)| w.as_str()).collect();
            let _ = writeln!(out, "  enum {} = {}", e.name, values.join(" | "));
        }
    }
}

fn field(f: &Field) -> String {
    let mut s = format!("{}: {}", f.rust, f.declared());
    if f.kind == Kind::Required {
        s.push_str(" (required)");
    }
    match &f.encoding {
        Encoding::Json => s.push_str(" json"),
        Encoding::Delimited(c) => s.push_str(&format!(" joined by '{c}'")),
        Encoding::Wrapped(k) => s.push_str(&format!(" in {{{k}: [..]}}")),
        Encoding::Plain => {}
    }
    if f.deprecated {
        s.push_str(" deprecated");
    }
    if f.rust != crate::naming::field_name(&f.wire) || f.wire.contains('.') {
        s.push_str(&format!(" = {}", f.wire));
    }
    s
}
