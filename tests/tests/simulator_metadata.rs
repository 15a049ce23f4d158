//! Where the simulator finds its metadata when no checkout is beside it:
//! the per-user cache, else a download of the pinned URL checked against
//! the pin's sha256 (here from a local server standing in for Alibaba's).

use ecs_fault_server::{Response, TestServer};
use ecs_rs_metadata::Pin;
use ecs_simulator::simulator::{MetadataError, MetadataSource};

fn pinned_text() -> String {
    std::fs::read_to_string(ecs_rs_metadata::pinned_path()).expect("the pinned metadata")
}

/// A source that skips `$ECS_METADATA` and `../shared`, downloads from
/// `url`, and caches in `cache`.
fn source(url: String, cache: &tempfile::TempDir) -> MetadataSource {
    MetadataSource {
        path: None,
        checkout: false,
        cache_dir: Some(cache.path().to_path_buf()),
        pin: Pin {
            url,
            ..Pin::committed()
        },
    }
}

async fn serving(body: String) -> TestServer {
    let server = TestServer::start().await;
    server.set_default(Response::json(200, body));
    server
}

#[tokio::test]
async fn the_pinned_file_is_downloaded_verified_and_cached() {
    let server = serving(pinned_text()).await;
    let cache = tempfile::tempdir().unwrap();
    let source = source(format!("{}/api-docs.json", server.url()), &cache);
    let path = source.locate().await.unwrap();
    assert_eq!(Some(path.clone()), source.cache_path());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), pinned_text());
    assert_eq!(server.requests().len(), 1);
    assert_eq!(server.requests()[0].target, "/api-docs.json");
    let catalog = source.catalog().await.unwrap();
    assert_eq!(catalog.len(), 347);
}

#[tokio::test]
async fn a_cached_file_is_used_without_downloading() {
    let server = serving(pinned_text()).await;
    let cache = tempfile::tempdir().unwrap();
    let source = source(format!("{}/api-docs.json", server.url()), &cache);
    source.locate().await.unwrap();
    source.locate().await.unwrap();
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_corrupt_cache_is_downloaded_again() {
    let server = serving(pinned_text()).await;
    let cache = tempfile::tempdir().unwrap();
    let source = source(format!("{}/api-docs.json", server.url()), &cache);
    let path = source.cache_path().unwrap();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, "{\"truncated\":").unwrap();
    source.locate().await.unwrap();
    assert_eq!(server.requests().len(), 1);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), pinned_text());
}

#[tokio::test]
async fn a_download_with_another_digest_is_refused_and_not_cached() {
    let server = serving("{\"apis\":{}}".into()).await;
    let cache = tempfile::tempdir().unwrap();
    let source = source(format!("{}/api-docs.json", server.url()), &cache);
    let err = source.locate().await.unwrap_err();
    assert!(matches!(err, MetadataError::Digest { .. }), "{err}");
    assert!(err.to_string().contains(&Pin::committed().sha256), "{err}");
    assert!(!source.cache_path().unwrap().exists());
}

#[tokio::test]
async fn offline_the_error_says_how_to_run_without_network() {
    // A port that was just free: nothing listens there.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let cache = tempfile::tempdir().unwrap();
    let url = format!("http://{closed}/api-docs.json");
    let err = source(url.clone(), &cache).locate().await.unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains(&format!("downloading {url} failed")),
        "{text}"
    );
    assert!(
        text.contains(&format!("curl -fLo api-docs.json {url}")),
        "{text}"
    );
    assert!(
        text.contains("ECS_METADATA=") && text.contains("--metadata"),
        "{text}"
    );
    assert!(text.contains(&Pin::committed().sha256), "{text}");
}

#[tokio::test]
async fn an_explicit_file_that_does_not_exist_is_named() {
    let source = MetadataSource {
        path: Some("/no/such/api-docs.json".into()),
        ..MetadataSource::default()
    };
    let err = source.locate().await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "--metadata names /no/such/api-docs.json, which is not a file"
    );
}

#[tokio::test]
async fn the_simulator_serves_an_explicit_metadata_file() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("api-docs.json");
    std::fs::write(&copy, pinned_text()).unwrap();
    let sim = ecs_simulator::Simulator::configure()
        .metadata(&copy)
        .start()
        .await
        .unwrap();
    assert_eq!(sim.catalog().len(), 347);
}

#[tokio::test]
async fn the_state_answers_errors_as_the_served_metadata_documents_them() {
    let mut docs: serde_json::Value = serde_json::from_str(&pinned_text()).unwrap();
    let listed = docs["apis"]["RunInstances"]["errorCodes"]["403"]
        .as_array_mut()
        .unwrap();
    let no_stock = listed
        .iter_mut()
        .find(|c| c["errorCode"] == "OperationDenied.NoStock")
        .expect("RunInstances documents OperationDenied.NoStock");
    no_stock["errorMessage"] = "Sold out, says the served copy.".into();
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("api-docs.json");
    std::fs::write(&copy, docs.to_string()).unwrap();
    let sim = ecs_simulator::Simulator::configure()
        .metadata(&copy)
        .faults(ecs_simulator::FaultSettings {
            out_of_stock: ["ecs.g7.large".to_string()].into(),
            ..Default::default()
        })
        .start()
        .await
        .unwrap();
    let request = ecs_api::run_instances::RunInstancesRequest {
        image_id: Some("aliyun_3_x64_20G_alibase_20240819.vhd".into()),
        instance_type: Some("ecs.g7.large".into()),
        zone_id: Some("cn-hangzhou-h".into()),
        ..Default::default()
    };
    let err = sim.client().run_instances(request).await.unwrap_err();
    let service = err.service_error().unwrap_or_else(|| panic!("{err}"));
    assert_eq!(
        (service.status, service.code.as_str()),
        (403, "OperationDenied.NoStock")
    );
    assert!(
        service
            .message
            .starts_with("Sold out, says the served copy."),
        "{}",
        service.message
    );
}
