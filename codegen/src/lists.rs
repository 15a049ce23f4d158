//! Paged operations whose answer holds several lists, and the one that
//! pages: the metadata's shape does not say, so the paging rule reports
//! them until this table names the list (by its property).

/// The ECS API's choices.
pub static ECS: &[(&str, &str)] = &[
    // The accounts an image is shared with page; `ShareGroups` is the one
    // group `all`, when the image is public.
    ("DescribeImageSharePermission", "Accounts"),
];
