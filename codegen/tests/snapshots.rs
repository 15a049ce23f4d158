//! Snapshots (insta): the full generated output for our fixture metadata
//! (files, the `[features]` table and the end-to-end cases),
//! and the compact surface listing of the real ECS API.
//!
//! Review a change with `cargo insta review` (or `INSTA_UPDATE=always
//! cargo test -p ecs-codegen --test snapshots` and read the diff), then
//! commit the `.snap` files: CI runs with `CI=true` and fails on any
//! difference.

use ecs_codegen::{generate, ir, surface, Settings};
use ecs_rs_metadata::ApiDocs;

fn fixture() -> ApiDocs {
    ecs_rs_metadata::parse(include_str!("fixtures/quirks.json")).expect("fixture metadata parses")
}

/// The real ECS metadata. Missing metadata fails the test: a skipped
/// snapshot would let an API change through unreviewed.
fn ecs_metadata() -> ApiDocs {
    ecs_rs_metadata::load_pinned().unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn fixture_output() {
    let output = generate(&fixture(), &Settings::quirks()).expect("the fixture generates");
    let mut text = String::new();
    for (path, contents) in &output.files {
        text.push_str(&format!("==> {path} <==\n{contents}\n"));
    }
    text.push_str(&format!(
        "==> features_toml <==\n{}\n",
        output.features_toml
    ));
    text.push_str(&format!("==> cases <==\n{}", output.cases));
    insta::assert_snapshot!(text);
}

#[test]
fn ecs_surface() {
    let api = ir::build(&ecs_metadata(), &Settings::default()).expect("the ECS metadata builds");
    insta::assert_snapshot!(surface::render(&api));
}
