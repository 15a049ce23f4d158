//! Instance types: what a name such as `ecs.g7.large` means (family, vCPUs,
//! memory), and the types the simulated zones offer. Any well-formed
//! `ecs.<family>.<size>` is accepted, so fleets using types this list does
//! not name still work; the family's letter sets the memory per vCPU.

use super::errors::ApiError;

/// Types every simulated zone lists in `DescribeZones`.
pub const OFFERED: &[&str] = &[
    "ecs.c7.large",
    "ecs.c7.xlarge",
    "ecs.c7.2xlarge",
    "ecs.g6.large",
    "ecs.g6.xlarge",
    "ecs.g7.large",
    "ecs.g7.xlarge",
    "ecs.g7.2xlarge",
    "ecs.g7.4xlarge",
    "ecs.g8i.large",
    "ecs.g8i.xlarge",
    "ecs.r7.large",
    "ecs.r7.xlarge",
    "ecs.t6-c1m1.large",
    "ecs.u1-c1m2.large",
];

/// What an instance type name says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    /// `ecs.g7`.
    pub family: String,
    pub cpu: i64,
    /// MiB.
    pub memory: i64,
}

/// Reads `ecs.<family>.<size>`; `None` if the name is not of that form.
pub fn parse(name: &str) -> Option<Spec> {
    let mut parts = name.split('.');
    let (ecs, family, size) = (parts.next()?, parts.next()?, parts.next()?);
    let family_ok = !family.is_empty()
        && family.starts_with(|c: char| c.is_ascii_lowercase())
        && family
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ecs != "ecs" || parts.next().is_some() || !family_ok {
        return None;
    }
    let cpu = match size {
        "small" => 1,
        "medium" | "large" => 2,
        "xlarge" => 4,
        _ => {
            let n: i64 = size.strip_suffix("xlarge")?.parse().ok()?;
            (1..=256).contains(&n).then_some(4 * n)?
        }
    };
    let per_cpu_gib = match family.as_bytes()[0] {
        b'c' => 2,
        b'r' => 8,
        b'h' => 2,
        _ => 4,
    };
    Some(Spec {
        family: format!("ecs.{family}"),
        cpu,
        memory: cpu * per_cpu_gib * 1024,
    })
}

/// The spec, or the service's `InvalidInstanceType.ValueNotSupported`.
pub fn known(name: &str) -> Result<Spec, ApiError> {
    parse(name).ok_or_else(|| {
        ApiError::new(
            400,
            "InvalidInstanceType.ValueNotSupported",
            format!("`{name}` is not an instance type; types are named like ecs.g7.large."),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_family_vcpus_and_memory_from_the_name() {
        let g7 = parse("ecs.g7.2xlarge").unwrap();
        assert_eq!(
            (g7.family.as_str(), g7.cpu, g7.memory),
            ("ecs.g7", 8, 32768)
        );
        assert_eq!(parse("ecs.c7.large").unwrap().memory, 4096);
        assert_eq!(parse("ecs.t6-c1m1.large").unwrap().family, "ecs.t6-c1m1");
        assert_eq!(parse("ecs.huge"), None);
        assert_eq!(parse("g7.large"), None);
        assert_eq!(parse("ecs.g7.0xlarge"), None);
    }

    #[test]
    fn every_offered_type_is_well_formed() {
        for t in OFFERED {
            assert!(parse(t).is_some(), "{t}");
        }
    }
}
