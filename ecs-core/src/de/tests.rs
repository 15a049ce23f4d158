use crate::de::{self as lenient, Lenient};
use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize, Serialize, PartialEq, Default)]
struct Instance {
    #[serde(rename = "InstanceId", default, deserialize_with = "lenient::opt")]
    id: Option<String>,
    #[serde(rename = "Cpu", default, deserialize_with = "lenient::opt")]
    cpu: Option<i32>,
    #[serde(rename = "CPU", default, deserialize_with = "lenient::opt")]
    cpu_upper: Option<i32>,
    #[serde(rename = "Size", default, deserialize_with = "lenient::opt")]
    size: Option<i64>,
    #[serde(rename = "Io", default, deserialize_with = "lenient::opt")]
    io: Option<bool>,
    #[serde(rename = "Price", default, deserialize_with = "lenient::opt")]
    price: Option<f64>,
    #[serde(rename = "Ips", default, deserialize_with = "lenient::list")]
    ips: Vec<String>,
}
impl Lenient for Instance {
    fn lenient<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        lenient::object(d)
    }
}

#[derive(Debug, Deserialize, PartialEq, Default)]
struct Response {
    #[serde(rename = "TotalCount", default, deserialize_with = "lenient::opt")]
    total: Option<i32>,
    #[serde(rename = "Instances", default, deserialize_with = "lenient::wrapped")]
    instances: Vec<Instance>,
    #[serde(rename = "Owner", default, deserialize_with = "lenient::opt")]
    owner: Option<Instance>,
}

fn decode<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, String> {
    let de = &mut serde_json::Deserializer::from_str(json);
    serde_path_to_error::deserialize(de).map_err(|e| format!("{}: {}", e.path(), e.inner()))
}

#[test]
fn wrapper_object_decodes_as_a_list() {
    let r: Response =
        decode(r#"{"Instances":{"Instance":[{"InstanceId":"i-1"},{"InstanceId":"i-2"}]}}"#)
            .unwrap();
    let ids: Vec<_> = r
        .instances
        .iter()
        .map(|i| i.id.as_deref().unwrap())
        .collect();
    assert_eq!(ids, ["i-1", "i-2"]);
}

#[test]
fn wrapper_absent_empty_null_or_blank_is_an_empty_list() {
    for body in [
        r#"{}"#,
        r#"{"Instances":{}}"#,
        r#"{"Instances":null}"#,
        r#"{"Instances":""}"#,
        r#"{"Instances":{"Instance":[]}}"#,
    ] {
        let r: Response = decode(body).unwrap();
        assert!(r.instances.is_empty(), "{body}");
    }
}

#[test]
fn wrapper_holding_one_object_instead_of_a_list_is_one_item() {
    let r: Response = decode(r#"{"Instances":{"Instance":{"InstanceId":"i-1"}}}"#).unwrap();
    assert_eq!(r.instances.len(), 1);
}

#[test]
fn numbers_arrive_as_strings() {
    let r: Response = decode(
        r#"{"TotalCount":"12","Owner":{"Cpu":"4","Size":"9007199254740993","Price":"0.98"}}"#,
    )
    .unwrap();
    assert_eq!(r.total, Some(12));
    let o = r.owner.unwrap();
    assert_eq!(
        (o.cpu, o.size, o.price),
        (Some(4), Some(9_007_199_254_740_993), Some(0.98))
    );
}

#[test]
fn large_integers_never_go_through_f64() {
    let r: Response = decode(r#"{"Owner":{"Size":9007199254740993}}"#).unwrap();
    assert_eq!(r.owner.unwrap().size, Some(9_007_199_254_740_993));
}

#[test]
fn blank_and_null_scalars_are_absent() {
    let r: Response =
        decode(r#"{"TotalCount":"","Owner":{"Cpu":null,"Io":"","Price":""}}"#).unwrap();
    assert_eq!(r.total, None);
    assert_eq!(r.owner.unwrap(), Instance::default());
}

#[test]
fn booleans_arrive_as_text_or_digits() {
    for (text, want) in [
        ("true", true),
        ("\"True\"", true),
        ("\"false\"", false),
        ("1", true),
        ("\"0\"", false),
    ] {
        let r: Response = decode(&format!(r#"{{"Owner":{{"Io":{text}}}}}"#)).unwrap();
        assert_eq!(r.owner.unwrap().io, Some(want), "{text}");
    }
}

#[test]
fn strings_accept_numbers_and_booleans() {
    let r: Response = decode(r#"{"Owner":{"InstanceId":123}}"#).unwrap();
    assert_eq!(r.owner.unwrap().id.as_deref(), Some("123"));
}

#[test]
fn field_names_match_by_exact_case() {
    let r: Response = decode(r#"{"Owner":{"Cpu":2,"CPU":8}}"#).unwrap();
    let o = r.owner.unwrap();
    assert_eq!((o.cpu, o.cpu_upper), (Some(2), Some(8)));
}

#[test]
fn blank_string_where_an_object_belongs_is_absent() {
    let r: Response = decode(r#"{"Owner":""}"#).unwrap();
    assert_eq!(r.owner, None);
}

#[test]
fn unreadable_values_fail_with_the_json_path() {
    let err = decode::<Response>(r#"{"Instances":{"Instance":[{"Cpu":"four"}]}}"#).unwrap_err();
    assert!(err.starts_with("Instances.Instance[0].Cpu:"), "{err}");
    let err = decode::<Response>(r#"{"Owner":{"Cpu":3000000000}}"#).unwrap_err();
    assert!(err.starts_with("Owner.Cpu:"), "{err}");
    let err = decode::<Response>(r#"{"Owner":{"Cpu":1.5}}"#).unwrap_err();
    assert!(err.starts_with("Owner.Cpu:"), "{err}");
}

#[test]
fn integral_decimals_are_integers() {
    let r: Response = decode(r#"{"Owner":{"Cpu":"4.0","Size":8.0}}"#).unwrap();
    let o = r.owner.unwrap();
    assert_eq!((o.cpu, o.size), (Some(4), Some(8)));
}

#[test]
fn lists_accept_one_bare_item_and_blank() {
    let r: Response = decode(r#"{"Owner":{"Ips":"10.0.0.1"}}"#).unwrap();
    assert_eq!(r.owner.unwrap().ips, ["10.0.0.1"]);
    let r: Response = decode(r#"{"Owner":{"Ips":""}}"#).unwrap();
    assert!(r.owner.unwrap().ips.is_empty());
}

#[test]
fn unknown_fields_are_ignored() {
    let r: Response = decode(r#"{"New":{"x":[1]},"TotalCount":1}"#).unwrap();
    assert_eq!(r.total, Some(1));
}

crate::wire_enum! {
    enum Status {
        Running = "Running",
        RunningLower = "running",
    }
}

#[test]
fn enums_fall_back_to_unknown() {
    let read = |json: &str| Status::lenient(&mut serde_json::Deserializer::from_str(json));
    assert_eq!(read(r#""Running""#).unwrap(), Some(Status::Running));
    assert_eq!(read(r#""running""#).unwrap(), Some(Status::RunningLower));
    assert_eq!(
        read(r#""Hibernated""#).unwrap(),
        Some(Status::Unknown("Hibernated".into()))
    );
    assert_eq!(read(r#""""#).unwrap(), None);
    assert_eq!(read("null").unwrap(), None);
}

#[test]
fn enums_write_and_read_their_wire_value() {
    assert_eq!(Status::RunningLower.as_str(), "running");
    assert_eq!(Status::Unknown("New".into()).to_string(), "New");
    assert_eq!(
        serde_json::to_string(&Status::Running).unwrap(),
        r#""Running""#
    );
    let back: Status = serde_json::from_str(r#""New""#).unwrap();
    assert_eq!(back, Status::Unknown("New".into()));
    assert!(serde_json::from_str::<Status>("1").is_err());
}

crate::response_struct! {
    struct Disk {
        size: Option<i64> = "Size",
        tags: Vec<String> = "Tags",
        snapshots: Vec<Disk2> = "Snapshots" wrapped "Snapshot",
        status: Option<Status> = "Status",
    }
}

crate::response_struct! {
    struct Disk2 {
        id: Option<String> = "Id",
    }
}

#[test]
fn wrapped_lists_serialize_back_to_the_wire_shape() {
    let disk = Disk {
        snapshots: vec![Disk2 {
            id: Some("s-1".into()),
        }],
        ..Disk::default()
    };
    assert_eq!(
        serde_json::to_string(&disk).unwrap(),
        r#"{"Snapshots":{"Snapshot":[{"Id":"s-1"}]}}"#
    );
}

#[test]
fn wire_structs_read_known_fields_and_skip_the_rest() {
    let d: Disk = decode(r#"{"Size":"40","Other":{"a":[1,2]},"Tags":"x","Snapshots":{"Snapshot":[{"Id":"s-1"},""]}}"#).unwrap();
    assert_eq!(
        d,
        Disk {
            size: Some(40),
            tags: vec!["x".into()],
            snapshots: vec![Disk2 {
                id: Some("s-1".into())
            }],
            status: None,
        }
    );
}

#[test]
fn wire_struct_errors_carry_the_json_path() {
    let err =
        decode::<Disk>(r#"{"Snapshots":{"Snapshot":[{"Id":"s-1"},{"Id":{"x":1}}]}}"#).unwrap_err();
    assert!(err.starts_with("Snapshots.Snapshot[1].Id:"), "{err}");
}

#[test]
fn wire_struct_from_blank_or_null_is_all_absent() {
    assert_eq!(decode::<Disk>(r#""""#).unwrap(), Disk::default());
    assert_eq!(decode::<Disk>("null").unwrap(), Disk::default());
}
