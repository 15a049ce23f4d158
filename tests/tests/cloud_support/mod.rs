//! What the stateful-simulator tests share: a simulator over real HTTP on a
//! cloud with a manual clock, a typed client for it, and the check that an
//! error is the one the metadata documents.
#![allow(dead_code)]

use ecs_rs_metadata::ApiDocs;
use ecs_simulator::cloud::{Clock, Cloud, Settings};
use ecs_simulator::simulator::Simulator;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime};

/// One lifecycle step in these tests.
pub const STEP: Duration = Duration::from_secs(2);

/// A simulator whose clock moves only when the test says.
pub struct Lab {
    pub sim: Simulator,
    pub client: ecs_api::Client,
    pub clock: Clock,
}

impl Lab {
    /// An empty cloud, transitions of [`STEP`] on a manual clock.
    pub async fn new() -> Lab {
        Lab::on(Cloud::with_settings).await
    }

    /// A cloud made by `make` from the lab's settings.
    pub async fn on(make: impl FnOnce(Settings) -> Cloud) -> Lab {
        let clock = Clock::manual(SystemTime::UNIX_EPOCH + Duration::from_secs(1_750_000_000));
        let settings = settings(&clock);
        let sim = Simulator::start_with_cloud(Arc::new(make(settings))).await;
        let client = sim.client();
        Lab { sim, client, clock }
    }

    /// A cloud seeded with `doc`.
    pub async fn seeded(doc: serde_json::Value) -> Lab {
        Lab::on(|settings| {
            let cloud = Cloud::with_settings(settings);
            cloud.seed(&doc).expect("the seed applies");
            cloud
        })
        .await
    }

    /// Moves the clock one lifecycle step.
    pub fn step(&self) {
        self.clock.advance(STEP);
    }

    pub fn cloud(&self) -> &Arc<Cloud> {
        self.sim.cloud()
    }

    /// The id of `instance`'s system disk.
    pub async fn system_disk(&self, instance: &str) -> String {
        let disks = self
            .client
            .describe_disks(ecs_api::describe_disks::DescribeDisksRequest {
                instance_id: Some(instance.into()),
                disk_type: Some("system".into()),
                ..Default::default()
            })
            .await
            .expect("DescribeDisks")
            .disks;
        assert_eq!(disks.len(), 1, "{instance} has one system disk");
        disks[0].disk_id.clone().expect("a disk id")
    }
}

pub fn settings(clock: &Clock) -> Settings {
    Settings {
        transition: STEP,
        clock: clock.clone(),
        ..Settings::default()
    }
}

/// RunInstances of `amount` Alibaba Cloud Linux ecs.g7.large instances in
/// cn-hangzhou-h.
pub fn run(amount: i32) -> ecs_api::run_instances::RunInstancesRequest {
    ecs_api::run_instances::RunInstancesRequest {
        image_id: Some("aliyun_3_x64_20G_alibase_20240819.vhd".into()),
        instance_type: Some("ecs.g7.large".into()),
        zone_id: Some("cn-hangzhou-h".into()),
        amount: Some(amount),
        ..Default::default()
    }
}

/// A seed with launch defaults in cn-hangzhou and `extra` merged in.
pub fn hangzhou(extra: serde_json::Value) -> serde_json::Value {
    let mut region = serde_json::json!({
        "RegionId": "cn-hangzhou",
        "Defaults": {"RunInstances": {"ImageId": "aliyun_3_x64_20G_alibase_20240819.vhd", "InstanceType": "ecs.g7.large"}},
    });
    if let (Some(r), Some(e)) = (region.as_object_mut(), extra.as_object()) {
        r.extend(e.clone());
    }
    serde_json::json!({ "Regions": [region] })
}

fn docs() -> &'static ApiDocs {
    static DOCS: OnceLock<ApiDocs> = OnceLock::new();
    DOCS.get_or_init(|| ecs_rs_metadata::load_pinned().unwrap_or_else(|e| panic!("{e}")))
}

/// Asserts `err` is the service error `code`, answered with the status and
/// message the operation documents for it when it documents it.
pub fn assert_code(err: &ecs_core::Error, action: &str, code: &str) {
    let service = err
        .service_error()
        .unwrap_or_else(|| panic!("{action}: expected {code}, got {err}"));
    assert_eq!(service.code, code, "{action}: {err}");
    let api = &docs().apis[action];
    let documented: Vec<(u16, String)> = api
        .error_codes
        .iter()
        .flat_map(|(status, list)| {
            list.iter().filter(|c| c.code == code).map(move |c| {
                (
                    status.parse().unwrap_or(0),
                    c.message.clone().unwrap_or_default(),
                )
            })
        })
        .collect();
    if documented.is_empty() {
        return;
    }
    // A documented message naming another parameter gives way to one
    // naming the right one.
    let matches = documented.iter().any(|(status, message)| {
        let fixed = message.split("%s").next().unwrap_or_default().trim();
        let names_another = message
            .split('"')
            .skip(1)
            .step_by(2)
            .any(|quoted| !service.message.contains(quoted));
        *status == service.status && (names_another || service.message.starts_with(fixed))
    });
    assert!(
        matches,
        "{action} {code}: answered {} `{}`, documented {documented:?}",
        service.status, service.message
    );
}
