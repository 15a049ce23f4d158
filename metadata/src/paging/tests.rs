use super::*;
use crate::parse;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// An operation with `params` (name -> schema) and an answer of `answer`
/// (property -> schema).
fn api(params: Value, answer: Value) -> Api {
    let params: Vec<Value> = params
        .as_object()
        .unwrap()
        .iter()
        .map(|(name, schema)| json!({"name": name, "in": "query", "schema": schema}))
        .collect();
    let text = json!({"info": {"product": "Ecs", "version": "1"}, "apis": {"Op": {
        "parameters": params,
        "responses": {"200": {"schema": {"type": "object", "properties": answer}}}}}})
    .to_string();
    parse(&text).unwrap().apis.shift_remove("Op").unwrap()
}

fn int(max: Option<u32>) -> Value {
    match max {
        Some(m) => json!({"type": "integer", "maximum": m.to_string()}),
        None => json!({"type": "integer"}),
    }
}

fn text() -> Value {
    json!({"type": "string"})
}

/// A one-key object wrapping a list: `{"Instance": [{"Id": ..}]}`.
fn wrapped(item: &str) -> Value {
    json!({"type": "object", "properties": {item: {"type": "array", "items": {
        "type": "object", "properties": {"Id": {"type": "string"}}}}}})
}

fn paged(api: &Api) -> Paged {
    match api.paging() {
        Paging::Paged(p) => p,
        other => panic!("expected paged, got {other:?}"),
    }
}

fn path(keys: &[&str]) -> Option<FieldPath> {
    Some(keys.iter().map(|k| k.to_string()).collect())
}

#[test]
fn an_operation_taking_both_styles_pages_by_token() {
    let api = api(
        json!({"NextToken": text(), "MaxResults": int(Some(100)), "PageNumber": int(None), "PageSize": int(Some(50))}),
        json!({"NextToken": text(), "TotalCount": int(None), "PageNumber": int(None),
               "PageSize": int(None), "Instances": wrapped("Instance")}),
    );
    let p = paged(&api);
    assert_eq!(p.style, PageStyle::Token);
    assert!(p.both_styles);
    assert_eq!(p.style.param(), "NextToken");
    assert_eq!(
        p.size,
        Some(PageSizeParam {
            name: "MaxResults".into(),
            max: 100,
            max_from: MaxFrom::Schema
        })
    );
    assert_eq!(p.items.to_string(), "Instances.Instance[]");
    assert_eq!(p.next_token, path(&["NextToken"]));
    assert_eq!(p.total_count, path(&["TotalCount"]));
}

#[test]
fn page_numbers_and_sizes_page_by_number_with_total_count() {
    let api = api(
        json!({"PageNumber": int(None), "PageSize": int(Some(50))}),
        json!({"TotalCount": int(None), "PageNumber": int(None), "PageSize": int(None),
               "InstanceStatuses": wrapped("InstanceStatus")}),
    );
    let p = paged(&api);
    assert_eq!(p.style, PageStyle::Number);
    assert!(!p.both_styles);
    assert_eq!(p.style.param(), "PageNumber");
    assert_eq!(p.size.unwrap().max, 50);
    assert_eq!(p.next_token, None);
    assert_eq!(p.page_number, path(&["PageNumber"]));
    assert_eq!(p.items.to_string(), "InstanceStatuses.InstanceStatus[]");
}

#[test]
fn a_token_without_a_page_size_parameter_still_pages() {
    let api = api(
        json!({"NextToken": text()}),
        json!({"NextToken": text(), "TagResources": wrapped("TagResource")}),
    );
    let p = paged(&api);
    assert_eq!(p.style, PageStyle::Token);
    assert_eq!(p.size, None);
}

#[test]
fn a_list_and_its_paging_fields_inside_one_object_are_found_there() {
    let answer = json!({"RequestId": text(), "Invocation": {"type": "object", "properties": {
        "NextToken": text(), "TotalCount": int(None),
        "InvocationResults": wrapped("InvocationResult")}}});
    let api = api(
        json!({"NextToken": text(), "MaxResults": int(None)}),
        answer,
    );
    let p = paged(&api);
    assert_eq!(
        p.items.to_string(),
        "Invocation.InvocationResults.InvocationResult[]"
    );
    assert_eq!(p.items.path, ["Invocation", "InvocationResults"]);
    assert_eq!(p.next_token, path(&["Invocation", "NextToken"]));
    assert_eq!(p.total_count, path(&["Invocation", "TotalCount"]));
}

#[test]
fn a_bare_array_is_a_list_without_a_wrapper() {
    let api = api(
        json!({"NextToken": text(), "MaxResults": int(None)}),
        json!({"NextToken": text(), "Metrics": {"type": "array", "items": text()}}),
    );
    let items = paged(&api).items;
    assert_eq!(
        (items.path, items.wrapper),
        (vec!["Metrics".to_string()], None)
    );
}

#[test]
fn paging_parameters_without_a_list_in_the_answer_are_reported() {
    let api = api(
        json!({"PageNumber": int(None), "PageSize": int(None)}),
        json!({"TotalCount": int(None)}),
    );
    assert_eq!(
        api.paging(),
        Paging::Incomplete {
            reason: "the answer has no list of items".into(),
            lists: Vec::new()
        }
    );
}

#[test]
fn two_lists_are_reported_by_name_until_one_is_chosen() {
    let api = api(
        json!({"PageNumber": int(None), "PageSize": int(Some(100))}),
        json!({"TotalCount": int(None), "ShareGroups": wrapped("ShareGroup"),
               "Accounts": wrapped("Account")}),
    );
    let Paging::Incomplete { reason, lists } = api.paging() else {
        panic!("two lists are ambiguous")
    };
    assert_eq!(
        reason,
        "the answer has 2 lists (Accounts.Account[], ShareGroups.ShareGroup[]); \
         which one pages is not said"
    );
    assert_eq!(lists.len(), 2);
    let Paging::Paged(p) = api.paging_by(Some("Accounts")) else {
        panic!("a chosen list pages")
    };
    assert_eq!(p.items.to_string(), "Accounts.Account[]");
    let Paging::Incomplete { reason, .. } = api.paging_by(Some("Acounts")) else {
        panic!("a list that is not there")
    };
    assert!(
        reason.starts_with("the answer has no list `Acounts`"),
        "{reason}"
    );
}

#[test]
fn half_a_pair_of_paging_parameters_is_reported() {
    let cases = [
        (
            json!({"PageSize": int(None)}),
            "takes PageSize but no PageNumber",
        ),
        (
            json!({"PageNumber": int(None)}),
            "takes PageNumber but no PageSize",
        ),
        (
            json!({"MaxResults": int(None)}),
            "takes MaxResults but no NextToken",
        ),
        (
            json!({"NextToken": text(), "MaxResults": int(None)}),
            "takes NextToken but the answer has no NextToken",
        ),
    ];
    for (params, expected) in cases {
        let api = api(params, json!({"Things": wrapped("Thing")}));
        assert_eq!(
            api.paging(),
            Paging::Incomplete {
                reason: expected.into(),
                lists: Vec::new()
            }
        );
    }
}

#[test]
fn an_operation_without_paging_parameters_is_unpaged() {
    let api = api(
        json!({"RegionId": text()}),
        json!({"Things": wrapped("Thing")}),
    );
    assert_eq!(api.paging(), Paging::Unpaged);
}

#[test]
fn a_page_size_maximum_comes_from_the_schema_else_the_description_else_the_default() {
    let described =
        json!({"type": "integer", "description": "每页行数。\n\n最大值为50。\n\n默认值为10。"});
    let api_with = |size: Value| {
        api(
            json!({"PageNumber": int(None), "PageSize": size}),
            json!({"Things": wrapped("Thing")}),
        )
    };
    let size = |api: &Api| paged(api).size.unwrap();
    let s = size(&api_with(described));
    assert_eq!((s.max, s.max_from), (50, MaxFrom::Description));
    let s = size(&api_with(int(Some(500))));
    assert_eq!((s.max, s.max_from), (500, MaxFrom::Schema));
    let s = size(&api_with(int(None)));
    assert_eq!(
        (s.max, s.max_from),
        (DEFAULT_MAX_PAGE_SIZE, MaxFrom::Default)
    );
}

#[test]
fn documented_maxima_are_read_in_the_forms_the_metadata_writes_them() {
    let cases = [
        (
            "分页查询时设置的每页行数。\n\n最大值为50。\n\n默认值为10。",
            Some(50),
        ),
        ("最大值：1000。\n\n默认值：10。", Some(1000)),
        ("- 最大值为50。\n- 默认值为10。", Some(50)),
        ("取值范围：1~100\n\n默认值：10 ", Some(100)),
        ("查询结果的分页大小。取值范围为1~100。", Some(100)),
        ("分页查询时每页的最大条目数。取值范围：10~500。", Some(500)),
        ("Maximum value: 50. Default value: 10.", Some(50)),
        ("Valid values: 1 to 100.", Some(100)),
        ("分页查询时设置的每页行数。 \n\n默认值：10。", None),
    ];
    for (text, expected) in cases {
        assert_eq!(documented_maximum(text), expected, "{text}");
    }
}

/// The pinned ECS metadata: 77 operations take paging parameters
/// (issue 10): 46 by page number, 17 by token, 14 both ways (paged by
/// token); one of them, `DescribeImageSharePermission`, has two lists.
#[test]
fn the_pinned_metadata_has_77_operations_that_take_paging_parameters() {
    let docs = crate::load_pinned().unwrap_or_else(|e| panic!("{e}"));
    let mut styles: BTreeMap<&str, usize> = BTreeMap::new();
    let mut incomplete = Vec::new();
    for (name, api) in &docs.apis {
        match api.paging() {
            Paging::Unpaged => {}
            Paging::Paged(p) => {
                let key = match (p.style, p.both_styles) {
                    (PageStyle::Token, true) => "both",
                    (PageStyle::Token, false) => "token",
                    (PageStyle::Number, _) => "number",
                };
                *styles.entry(key).or_default() += 1;
            }
            Paging::Incomplete { reason, .. } => incomplete.push((name.as_str(), reason)),
        }
    }
    assert_eq!(
        styles,
        BTreeMap::from([("both", 14), ("number", 45), ("token", 17)])
    );
    assert_eq!(incomplete.len(), 1, "{incomplete:?}");
    assert_eq!(incomplete[0].0, "DescribeImageSharePermission");
    let share = &docs.apis["DescribeImageSharePermission"];
    let Paging::Paged(p) = share.paging_by(Some("Accounts")) else {
        panic!("Accounts pages")
    };
    assert_eq!(p.style, PageStyle::Number);
}
