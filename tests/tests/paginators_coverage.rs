//! Every operation of `OPERATIONS` that the metadata's paging rule calls
//! paged has a generated paginator that pages the way the rule says: the
//! generated `PAGINATORS` (each entry read from the operation's
//! `Paginated` impl) against the rule run on the pinned metadata.

use ecs_api::ecs_core::paginator::{PageSize, PagedOperation, Paging};
use ecs_api::paginators::PAGINATORS;
use ecs_rs_metadata::paging::{Paged, Paging as Rule};
use std::collections::BTreeMap;

/// What the generated impl must say for an operation the rule pages.
fn expected(p: &Paged) -> (Paging, String) {
    let size = p.size.as_ref().map(|s| PageSize {
        param: leak(&s.name),
        max: s.max,
    });
    let paging = match p.style {
        ecs_rs_metadata::paging::PageStyle::Token => Paging::Token {
            token: p.style.param(),
            size,
        },
        ecs_rs_metadata::paging::PageStyle::Number => Paging::Number {
            number: p.style.param(),
            size: size.expect("page numbers come with a page size"),
        },
    };
    (paging, p.items.to_string())
}

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_string().into_boxed_str())
}

fn generated() -> BTreeMap<&'static str, &'static PagedOperation> {
    PAGINATORS.iter().map(|p| (p.operation, p)).collect()
}

#[test]
fn every_operation_the_metadata_pages_has_a_paginator_that_pages_as_it_says() {
    let docs = ecs_rs_metadata::load_pinned().unwrap_or_else(|e| panic!("{e}"));
    let generated = generated();
    let mut taking_paging_parameters = 0;
    for op in ecs_api::OPERATIONS.iter() {
        let api = &docs.apis[op.name];
        let rule = match api.paging() {
            Rule::Unpaged => {
                assert!(
                    !generated.contains_key(op.name),
                    "{} does not page",
                    op.name
                );
                continue;
            }
            // Several lists: the generated one must be one of them, and
            // the rule with that list chosen must agree with it.
            Rule::Incomplete { reason, lists } => {
                let entry = generated
                    .get(op.name)
                    .unwrap_or_else(|| panic!("{} has no paginator: {reason}", op.name));
                let list = lists
                    .iter()
                    .find(|l| l.to_string() == entry.items)
                    .unwrap_or_else(|| {
                        panic!("{}: {} is not a list of its answer", op.name, entry.items)
                    });
                api.paging_by(list.path.last().map(String::as_str))
            }
            paged => paged,
        };
        let Rule::Paged(p) = rule else {
            panic!("{}: {rule:?}", op.name)
        };
        taking_paging_parameters += 1;
        let entry = generated
            .get(op.name)
            .unwrap_or_else(|| panic!("{} pages but has no paginator", op.name));
        let (paging, items) = expected(&p);
        assert_eq!(entry.paging, paging, "{}", op.name);
        assert_eq!(entry.items, items, "{}", op.name);
    }
    assert_eq!(taking_paging_parameters, 77);
    assert_eq!(generated.len(), 77, "no paginator beyond the rule's");
}

#[test]
fn operations_taking_both_styles_page_by_token_and_the_counts_match_the_issue() {
    let mut token = 0;
    let mut number = 0;
    for entry in PAGINATORS {
        match entry.paging {
            Paging::Token { .. } => token += 1,
            Paging::Number { .. } => number += 1,
            Paging::Unpaged => panic!("{} is listed but unpaged", entry.operation),
        }
    }
    // 17 token-only and 14 that take both, which page by token.
    assert_eq!((token, number), (31, 46));
    let describe_instances = generated()["DescribeInstances"];
    assert_eq!(
        describe_instances.paging,
        Paging::Token {
            token: "NextToken",
            size: Some(PageSize {
                param: "MaxResults",
                max: 100
            })
        }
    );
    assert_eq!(describe_instances.items, "Instances.Instance[]");
    assert_eq!(
        generated()["ListTagResources"].paging,
        Paging::Token {
            token: "NextToken",
            size: None
        }
    );
}
