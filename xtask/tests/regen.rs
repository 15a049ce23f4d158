//! `cargo xtask regen` end to end on the real metadata.

use std::path::{Path, PathBuf};
use xtask::{regen, workspace_root, Mode, Options, FIXTURE, FIXTURE_CRATE};

fn real_metadata() -> PathBuf {
    let path = ecs_rs_metadata::pinned_path();
    assert!(
        path.is_file(),
        "the pinned metadata is needed at {} (or set ECS_METADATA)",
        path.display()
    );
    path
}

fn options(root: &Path, metadata: &Path, mode: Mode) -> Options {
    Options {
        mode,
        metadata: Some(metadata.to_path_buf()),
        previous: None,
        update_pin: false,
        root: root.to_path_buf(),
    }
}

#[test]
fn committed_generated_code_is_fresh() {
    let report = regen(&options(&workspace_root(), &real_metadata(), Mode::Check)).unwrap();
    assert!(
        report.is_fresh(),
        "{report}\nrun `cargo xtask regen` and commit"
    );
    assert_eq!(report.operations, 347);
}

/// A scratch workspace holding just what regen reads and writes.
fn scratch(name: &str) -> PathBuf {
    let root = std::env::temp_dir().join(format!("ecs-rs-xtask-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let real = workspace_root();
    for rel in [
        "metadata/pin.json",
        "ecs-api/Cargo.toml",
        FIXTURE,
        &format!("{FIXTURE_CRATE}/Cargo.toml"),
    ] {
        let to = root.join(rel);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(real.join(rel), to).unwrap();
    }
    root
}

/// The real metadata without `StopInstance`, as another version of the API.
fn metadata_without_stop_instance(root: &Path) -> PathBuf {
    let text = std::fs::read_to_string(real_metadata()).unwrap();
    let mut doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    doc["apis"]
        .as_object_mut()
        .unwrap()
        .remove("StopInstance")
        .unwrap();
    let path = root.join("new-api-docs.json");
    std::fs::write(&path, serde_json::to_vec(&doc).unwrap()).unwrap();
    path
}

#[test]
fn regen_writes_then_check_passes_and_a_second_run_changes_nothing() {
    let root = scratch("twice");
    let first = regen(&options(&root, &real_metadata(), Mode::Write)).unwrap();
    // Every source is new; the two manifests were copied up to date.
    assert_eq!(
        first.changed.len(),
        first.files + first.fixture_files - 2,
        "{first}"
    );
    let ops = std::fs::read_to_string(root.join("ecs-api/src/ops/describe_instances.rs")).unwrap();
    let second = regen(&options(&root, &real_metadata(), Mode::Write)).unwrap();
    assert!(second.is_fresh(), "{second}");
    assert_eq!(
        ops,
        std::fs::read_to_string(root.join("ecs-api/src/ops/describe_instances.rs")).unwrap()
    );
    assert!(regen(&options(&root, &real_metadata(), Mode::Check))
        .unwrap()
        .is_fresh());
}

#[test]
fn check_names_stale_and_extra_files_and_writes_nothing() {
    let root = scratch("stale");
    regen(&options(&root, &real_metadata(), Mode::Write)).unwrap();
    let edited = root.join("ecs-api/src/ops/describe_regions.rs");
    std::fs::write(&edited, "// edited by hand\n").unwrap();
    std::fs::write(root.join("ecs-api/src/ops/gone_operation.rs"), "").unwrap();
    let report = regen(&options(&root, &real_metadata(), Mode::Check)).unwrap();
    assert_eq!(report.changed, ["ecs-api/src/ops/describe_regions.rs"]);
    assert_eq!(report.removed, ["ecs-api/src/ops/gone_operation.rs"]);
    assert_eq!(
        std::fs::read_to_string(&edited).unwrap(),
        "// edited by hand\n"
    );
}

#[test]
fn metadata_that_differs_from_the_pin_is_refused() {
    let root = scratch("refused");
    let new = metadata_without_stop_instance(&root);
    let err = regen(&options(&root, &new, Mode::Write)).unwrap_err();
    assert!(err.contains("--update-pin"), "{err}");
    assert!(!root.join("ecs-api/src/ops").exists(), "nothing is written");
}

#[test]
fn update_pin_reports_api_changes_removes_stale_files_and_moves_the_pin() {
    let root = scratch("update");
    regen(&options(&root, &real_metadata(), Mode::Write)).unwrap();
    assert!(root.join("ecs-api/src/ops/stop_instance.rs").is_file());
    let new = metadata_without_stop_instance(&root);
    let mut opts = options(&root, &new, Mode::Write);
    opts.update_pin = true;
    opts.previous = Some(real_metadata());
    let report = regen(&opts).unwrap();
    assert_eq!(report.operations, 346);
    assert!(
        report
            .removed
            .contains(&"ecs-api/src/ops/stop_instance.rs".to_string()),
        "{report}"
    );
    assert!(!root.join("ecs-api/src/ops/stop_instance.rs").exists());
    let diff = report.api_diff.as_deref().unwrap();
    assert!(diff.contains("- StopInstance"), "{diff}");
    let pin = ecs_rs_metadata::Pin::parse(
        &std::fs::read_to_string(root.join("metadata/pin.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        pin.sha256,
        ecs_rs_metadata::sha256_hex(&std::fs::read(&new).unwrap())
    );
    assert!(regen(&options(&root, &new, Mode::Check))
        .unwrap()
        .is_fresh());
}
