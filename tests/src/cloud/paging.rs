//! Paging over the real state, both ways the API pages: `PageNumber` and
//! `PageSize` (with an honest `TotalCount`), or `NextToken` and
//! `MaxResults`. Lists are ordered by creation, then id; a token names the
//! last item a page held, so a page after it is right even when resources
//! were created or deleted in between.

use super::args::Args;
use super::errors::ApiError;
use serde_json::{json, Value};

/// An operation's page sizes.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub default: usize,
    pub max: usize,
    /// `MaxResults` below this is raised to it (DescribeInstances: 10).
    pub min_results: usize,
    /// Pages by token even when the call sends neither `NextToken` nor
    /// `MaxResults` (operations that have no page numbers).
    pub tokens_only: bool,
}

impl Limits {
    pub const fn new(default: usize, max: usize) -> Limits {
        Limits {
            default,
            max,
            min_results: 1,
            tokens_only: false,
        }
    }

    /// Token paging only, `size` items a page.
    pub const fn tokens(size: usize) -> Limits {
        Limits {
            tokens_only: true,
            ..Limits::new(size, size)
        }
    }
}

/// One page of a list, with what the response reports about it.
#[derive(Debug)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// All the items that matched, over every page.
    pub total: usize,
    pub number: usize,
    pub size: usize,
    /// The token of the next page; empty on the last page and in page-number
    /// mode.
    pub next_token: String,
}

impl<T> Page<T> {
    /// `TotalCount`, `PageNumber` and `PageSize`, as a numbered list reports them.
    pub fn counts(&self) -> Value {
        json!({"TotalCount": self.total, "PageNumber": self.number, "PageSize": self.size})
    }

    /// [`Page::counts`] and `NextToken`, for lists that page both ways.
    pub fn counts_and_token(&self) -> Value {
        let mut counts = self.counts();
        counts["NextToken"] = json!(self.next_token);
        counts
    }
}

/// Cuts one page out of `items` (already filtered), which `key` orders.
pub fn page<T>(
    args: &Args,
    limits: Limits,
    mut items: Vec<T>,
    key: impl Fn(&T) -> String,
) -> Result<Page<T>, ApiError> {
    items.sort_by_cached_key(|item| key(item));
    let total = items.len();
    let tokens =
        limits.tokens_only || args.str("NextToken").is_some() || args.str("MaxResults").is_some();
    if tokens {
        let size = args
            .int("MaxResults")
            .map_or(limits.default, |n| n.max(0) as usize)
            .clamp(limits.min_results, limits.max);
        let start = match args.str("NextToken") {
            None => 0,
            Some(token) => {
                let after = decode(token).ok_or_else(|| {
                    ApiError::invalid(
                        "InvalidParameter",
                        format!("The specified parameter \"NextToken\" is not valid: `{token}` was not issued by this service."),
                    )
                })?;
                items.partition_point(|item| key(item) <= after)
            }
        };
        let page: Vec<T> = items.into_iter().skip(start).take(size).collect();
        let more = start + page.len() < total;
        let next_token = match page.last() {
            Some(last) if more => encode(&key(last)),
            _ => String::new(),
        };
        Ok(Page {
            items: page,
            total,
            number: 1,
            size,
            next_token,
        })
    } else {
        let number = args.int("PageNumber").map_or(1, |n| n.max(1) as usize);
        let size = args
            .int("PageSize")
            .map_or(limits.default, |n| n.max(1) as usize)
            .min(limits.max);
        let items = items
            .into_iter()
            .skip((number - 1).saturating_mul(size))
            .take(size)
            .collect();
        Ok(Page {
            items,
            total,
            number,
            size,
            next_token: String::new(),
        })
    }
}

/// The order key of a resource: creation time, then id.
pub fn by_creation(created: u64, id: &str) -> String {
    format!("{created:015}/{id}")
}

fn encode(key: &str) -> String {
    key.bytes().map(|b| format!("{b:02x}")).collect()
}

fn decode(token: &str) -> Option<String> {
    if token.len() % 2 != 0 {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..token.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(token.get(i..i + 2)?, 16).ok())
        .collect();
    String::from_utf8(bytes?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn keyed(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("{i:03}")).collect()
    }

    #[test]
    fn token_pages_cover_every_item_once_and_end_with_an_empty_token() {
        let limits = Limits::new(10, 100);
        let mut seen = Vec::new();
        let mut token = String::new();
        loop {
            let mut p = vec![("MaxResults".to_string(), "7".to_string())];
            if !token.is_empty() {
                p.push(("NextToken".into(), token.clone()));
            }
            let page = page(&Args::new(&p), limits, keyed(20), |s| s.clone()).unwrap();
            assert_eq!(page.total, 20);
            seen.extend(page.items);
            token = page.next_token;
            if token.is_empty() {
                break;
            }
        }
        assert_eq!(seen, keyed(20));
    }

    #[test]
    fn a_token_still_points_after_its_item_when_earlier_items_are_gone() {
        let limits = Limits::new(10, 100);
        let p = args(&[("MaxResults", "5")]);
        let first = page(&Args::new(&p), limits, keyed(10), |s| s.clone()).unwrap();
        let p = args(&[("MaxResults", "5"), ("NextToken", &first.next_token)]);
        let fewer: Vec<String> = keyed(10).into_iter().skip(2).collect();
        let second = page(&Args::new(&p), limits, fewer, |s| s.clone()).unwrap();
        assert_eq!(second.items, ["005", "006", "007", "008", "009"]);
        assert_eq!(second.next_token, "");
    }

    #[test]
    fn page_numbers_count_from_one_and_report_the_whole_total() {
        let p = args(&[("PageNumber", "3"), ("PageSize", "4")]);
        let page = page(&Args::new(&p), Limits::new(10, 100), keyed(10), |s| {
            s.clone()
        })
        .unwrap();
        assert_eq!(page.items, ["008", "009"]);
        assert_eq!((page.total, page.number, page.size), (10, 3, 4));
    }

    #[test]
    fn a_foreign_token_is_refused() {
        let p = args(&[("NextToken", "zz")]);
        let err = page(&Args::new(&p), Limits::new(10, 100), keyed(3), |s| {
            s.clone()
        })
        .unwrap_err();
        assert_eq!(err.code, "InvalidParameter");
    }
}
