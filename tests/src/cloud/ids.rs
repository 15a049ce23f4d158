//! Resource ids in Alibaba's forms: a type prefix (`i-`, `d-`, `s-`, `m-`,
//! `sg-`, `eni-`, `vpc-`, `vsw-`, `sgr-`), then 20 lowercase alphanumerics
//! that begin with the region's code (`i-bp67acfmxazb4ph2k9qt` in
//! cn-hangzhou); Cloud Assistant's `c-`/`t-` ids carry 32 hex digits.

/// `prefix` + the region's `code` + random lowercase alphanumerics, 20
/// characters after the prefix in all.
pub fn resource(prefix: &str, code: &str) -> String {
    let mut id = String::with_capacity(prefix.len() + 20);
    id.push_str(prefix);
    id.push_str(code);
    let mut n = uuid::Uuid::new_v4().as_u128();
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    while id.len() < prefix.len() + 20 {
        id.push(DIGITS[(n % 36) as usize] as char);
        n /= 36;
    }
    id
}

/// `prefix` + 32 lowercase hex digits (Cloud Assistant commands and
/// invocations).
pub fn hex(prefix: &str) -> String {
    format!("{prefix}{}", uuid::Uuid::new_v4().simple())
}

/// A MAC address in Alibaba's OUI, `00:16:3e:..:..:..`.
pub fn mac() -> String {
    let b = uuid::Uuid::new_v4().into_bytes();
    format!("00:16:3e:{:02x}:{:02x}:{:02x}", b[0], b[1], b[2])
}

/// A serial number as instances report it (a lowercase UUID).
pub fn serial() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A subscription order number, as the billing system issues them.
pub fn order_id() -> String {
    let n = uuid::Uuid::new_v4().as_u128() % 1_000_000_000_000;
    format!("2{n:012}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_ids_have_the_prefix_the_region_code_and_twenty_characters() {
        let id = resource("i-", "bp");
        assert!(id.starts_with("i-bp"), "{id}");
        assert_eq!(id.len(), 22, "{id}");
        assert!(id[2..]
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
        assert_ne!(id, resource("i-", "bp"));
    }

    #[test]
    fn command_ids_carry_thirty_two_hex_digits() {
        let id = hex("c-");
        assert_eq!(id.len(), 34, "{id}");
        assert!(id[2..].bytes().all(|b| b.is_ascii_hexdigit()));
    }
}
