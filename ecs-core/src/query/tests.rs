use super::to_params;
use serde::Serialize;

fn params<T: Serialize>(v: &T) -> Vec<(String, String)> {
    to_params(v).unwrap()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[derive(Serialize)]
struct Tag {
    #[serde(rename = "Key")]
    key: String,
    #[serde(rename = "Value", skip_serializing_if = "Option::is_none")]
    value: Option<String>,
}

#[derive(Serialize)]
struct SystemDisk {
    #[serde(rename = "Category")]
    category: String,
    #[serde(rename = "Size")]
    size: i32,
}

#[derive(Serialize)]
struct NetworkInterface {
    #[serde(rename = "SecurityGroupIds")]
    security_group_ids: Vec<String>,
}

#[test]
fn repeat_list_of_objects_is_indexed_from_one() {
    #[derive(Serialize)]
    struct Req {
        #[serde(rename = "Tag")]
        tag: Vec<Tag>,
    }
    let req = Req {
        tag: vec![
            Tag {
                key: "env".into(),
                value: Some("prod".into()),
            },
            Tag {
                key: "team".into(),
                value: None,
            },
        ],
    };
    assert_eq!(
        params(&req),
        pairs(&[
            ("Tag.1.Key", "env"),
            ("Tag.1.Value", "prod"),
            ("Tag.2.Key", "team")
        ])
    );
}

#[test]
fn repeat_list_of_scalars_is_name_dot_n() {
    #[derive(Serialize)]
    struct Req {
        #[serde(rename = "SecurityGroupIds")]
        ids: Vec<String>,
    }
    let req = Req {
        ids: vec!["sg-a".into(), "sg-b".into()],
    };
    assert_eq!(
        params(&req),
        pairs(&[
            ("SecurityGroupIds.1", "sg-a"),
            ("SecurityGroupIds.2", "sg-b")
        ])
    );
}

#[test]
fn nested_lists_index_both_levels() {
    #[derive(Serialize)]
    struct Req {
        #[serde(rename = "NetworkInterface")]
        nics: Vec<NetworkInterface>,
    }
    let req = Req {
        nics: vec![NetworkInterface {
            security_group_ids: vec!["sg-1".into(), "sg-2".into()],
        }],
    };
    assert_eq!(
        params(&req),
        pairs(&[
            ("NetworkInterface.1.SecurityGroupIds.1", "sg-1"),
            ("NetworkInterface.1.SecurityGroupIds.2", "sg-2"),
        ])
    );
}

#[test]
fn flat_objects_are_name_dot_field() {
    #[derive(Serialize)]
    struct Req {
        #[serde(rename = "SystemDisk")]
        disk: SystemDisk,
    }
    let req = Req {
        disk: SystemDisk {
            category: "cloud_essd".into(),
            size: 40,
        },
    };
    assert_eq!(
        params(&req),
        pairs(&[
            ("SystemDisk.Category", "cloud_essd"),
            ("SystemDisk.Size", "40")
        ])
    );
}

#[test]
fn dotted_wire_names_pass_through_unchanged() {
    #[derive(Serialize)]
    struct Req {
        #[serde(rename = "DataDisk.1.Category")]
        category: String,
    }
    let req = Req {
        category: "cloud".into(),
    };
    assert_eq!(params(&req), pairs(&[("DataDisk.1.Category", "cloud")]));
}

#[test]
fn json_style_is_one_compact_json_string() {
    crate::request_struct! {
        struct Req {
            ids: Option<Vec<String>> = "InstanceIds" json,
            parameters: serde_json::Value = "Parameters" json,
        }
    }
    let req = Req {
        ids: Some(vec!["i-a".into(), "i-b".into()]),
        parameters: serde_json::json!({"name": "Jack", "n": 1}),
    };
    assert_eq!(
        params(&req),
        pairs(&[
            ("InstanceIds", r#"["i-a","i-b"]"#),
            ("Parameters", r#"{"n":1,"name":"Jack"}"#)
        ])
    );
}

#[test]
fn scalars_use_wire_spelling() {
    #[derive(Serialize)]
    struct Req {
        #[serde(rename = "DryRun")]
        dry_run: bool,
        #[serde(rename = "Price")]
        price: f64,
        #[serde(rename = "Big")]
        big: i64,
        #[serde(rename = "Off")]
        off: bool,
        #[serde(rename = "Empty")]
        empty: String,
    }
    let req = Req {
        dry_run: true,
        price: 0.98,
        big: 9_007_199_254_740_993,
        off: false,
        empty: String::new(),
    };
    assert_eq!(
        params(&req),
        pairs(&[
            ("DryRun", "true"),
            ("Price", "0.98"),
            ("Big", "9007199254740993"),
            ("Off", "false"),
            ("Empty", ""),
        ])
    );
}

#[test]
fn floats_never_use_exponent_form() {
    #[derive(Serialize)]
    struct Req {
        #[serde(rename = "A")]
        a: f64,
        #[serde(rename = "B")]
        b: f64,
    }
    assert_eq!(
        params(&Req { a: 1e21, b: 1e-7 }),
        pairs(&[("A", "1000000000000000000000"), ("B", "0.0000001")])
    );
}

#[test]
fn none_and_empty_lists_are_omitted() {
    #[derive(Serialize)]
    struct Req {
        #[serde(rename = "A")]
        a: Option<String>,
        #[serde(rename = "B")]
        b: Vec<String>,
        #[serde(rename = "C")]
        c: Option<i32>,
    }
    assert_eq!(
        params(&Req {
            a: None,
            b: vec![],
            c: Some(3)
        }),
        pairs(&[("C", "3")])
    );
}

#[test]
fn enums_serialize_as_their_wire_value() {
    #[derive(Serialize)]
    enum Mode {
        #[serde(rename = "Immediate")]
        Immediate,
        #[serde(untagged)]
        Unknown(String),
    }
    #[derive(Serialize)]
    struct Req {
        #[serde(rename = "M")]
        m: Mode,
        #[serde(rename = "N")]
        n: Mode,
    }
    let req = Req {
        m: Mode::Immediate,
        n: Mode::Unknown("Later".into()),
    };
    assert_eq!(params(&req), pairs(&[("M", "Immediate"), ("N", "Later")]));
}

#[test]
fn maps_flatten_by_key() {
    let mut m = std::collections::BTreeMap::new();
    m.insert("Tag.1.Key", "a");
    m.insert("Extra", "b");
    assert_eq!(params(&m), pairs(&[("Extra", "b"), ("Tag.1.Key", "a")]));
}

#[test]
fn a_bare_value_is_an_error_not_a_panic() {
    let err = to_params(&"x").unwrap_err();
    assert!(err.to_string().contains("no parameter name"), "{err}");
}

#[test]
fn non_finite_floats_are_refused_with_the_parameter_named() {
    #[derive(Serialize)]
    struct Req {
        #[serde(rename = "SpotPriceLimit")]
        p: f64,
    }
    let err = to_params(&Req { p: f64::NAN }).unwrap_err();
    assert_eq!(err.param, "SpotPriceLimit");
}

#[test]
fn delimited_styles_join_into_one_parameter() {
    crate::request_struct! {
        struct Req {
            ids: Vec<String> = "Ids" joined ',',
            ports: Vec<i32> = "Ports" joined '|',
        }
    }
    let req = Req {
        ids: vec!["a".into(), "b".into()],
        ports: vec![22, 80],
    };
    assert_eq!(params(&req), pairs(&[("Ids", "a,b"), ("Ports", "22|80")]));
}

#[test]
fn an_empty_json_list_is_sent_but_absent_values_and_empty_lists_are_not() {
    crate::request_struct! {
        struct Req {
            ids: Option<Vec<String>> = "InstanceIds" json,
            name: Option<String> = "Name",
            tags: Vec<String> = "Tag",
            ports: Vec<i32> = "Ports" joined ',',
        }
    }
    let req = Req {
        ids: Some(Vec::new()),
        name: None,
        tags: Vec::new(),
        ports: Vec::new(),
    };
    assert_eq!(params(&req), pairs(&[("InstanceIds", "[]")]));
}

#[test]
fn required_values_are_always_sent() {
    crate::request_struct! {
        struct Req {
            image: String = "ImageId",
            amount: i32 = "Amount",
        }
    }
    let req = Req {
        image: String::new(),
        amount: 0,
    };
    assert_eq!(params(&req), pairs(&[("ImageId", ""), ("Amount", "0")]));
}
