use super::*;

static API: ApiInfo = ApiInfo {
    version: "2014-05-26",
    endpoint_template: "ecs{network}.{region}.aliyuncs.com",
    endpoints: &[
        ("cn-hangzhou", "ecs-cn-hangzhou.aliyuncs.com"),
        ("cn-wuhan", "ecs.aliyuncs.com"),
    ],
    operations: &[],
};

fn resolve(o: Option<&str>, region: Option<&str>, network: Network) -> Result<Endpoint, Error> {
    Routing {
        override_endpoint: o.map(str::to_string),
        network,
        api: Some(&API),
    }
    .resolve(region)
}

fn resolved(o: Option<&str>, region: Option<&str>, network: Network) -> String {
    resolve(o, region, network).unwrap().to_string()
}

#[test]
fn override_wins_over_everything() {
    assert_eq!(
        resolved(
            Some("http://127.0.0.1:8080"),
            Some("cn-hangzhou"),
            Network::Vpc
        ),
        "http://127.0.0.1:8080"
    );
}

#[test]
fn override_without_scheme_is_https() {
    assert_eq!(
        resolved(Some("ecs.example.com"), None, Network::Public),
        "https://ecs.example.com"
    );
}

#[test]
fn table_entry_is_used_on_the_public_network() {
    assert_eq!(
        resolved(None, Some("cn-hangzhou"), Network::Public),
        "https://ecs-cn-hangzhou.aliyuncs.com"
    );
    assert_eq!(
        resolved(None, Some("cn-wuhan"), Network::Public),
        "https://ecs.aliyuncs.com"
    );
}

#[test]
fn regions_missing_from_the_table_use_the_template() {
    assert_eq!(
        resolved(None, Some("ap-southeast-1"), Network::Public),
        "https://ecs.ap-southeast-1.aliyuncs.com"
    );
}

#[test]
fn vpc_network_uses_the_template_even_for_table_regions() {
    assert_eq!(
        resolved(None, Some("cn-hangzhou"), Network::Vpc),
        "https://ecs-vpc.cn-hangzhou.aliyuncs.com"
    );
}

#[test]
fn the_template_comes_from_the_api() {
    static OTHER: ApiInfo = ApiInfo {
        endpoint_template: "vpc{network}.{region}.example.com",
        endpoints: &[],
        ..API
    };
    let routing = |network| Routing {
        override_endpoint: None,
        network,
        api: Some(&OTHER),
    };
    let public = routing(Network::Public).resolve(Some("cn-hangzhou"));
    assert_eq!(public.unwrap().authority(), "vpc.cn-hangzhou.example.com");
    let vpc = routing(Network::Vpc).resolve(Some("cn-hangzhou"));
    assert_eq!(vpc.unwrap().authority(), "vpc-vpc.cn-hangzhou.example.com");
}

#[test]
fn without_an_api_only_an_override_gives_an_endpoint() {
    let routing = |o: Option<&str>| Routing {
        override_endpoint: o.map(str::to_string),
        network: Network::Public,
        api: None,
    };
    let e = routing(None).resolve(Some("cn-hangzhou")).unwrap_err();
    assert!(matches!(e, Error::Config { .. }), "{e}");
    assert!(e.to_string().contains("without an API"), "{e}");
    let ok = routing(Some("http://127.0.0.1:9")).resolve(Some("cn-hangzhou"));
    assert_eq!(ok.unwrap().authority(), "127.0.0.1:9");
}

#[test]
fn no_region_and_no_override_is_a_config_error() {
    let e = resolve(None, None, Network::Public).unwrap_err();
    assert!(matches!(e, Error::Config { .. }), "{e}");
    assert!(e.to_string().contains("region"));
}

#[test]
fn invalid_region_ids_are_rejected_by_name() {
    for bad in ["cn hangzhou", "cn-hangzhou.evil.com", "cn/x", ""] {
        let e = resolve(None, Some(bad), Network::Public).unwrap_err();
        assert!(matches!(e, Error::Config { .. }), "{bad}: {e}");
    }
    let e = validate_region("cn/x").unwrap_err().to_string();
    assert!(e.contains("`cn/x`"), "{e}");
}

#[test]
fn endpoint_parse_accepts_host_port_and_schemes() {
    let e = Endpoint::parse("HTTP://LocalHost:9000/").unwrap();
    assert_eq!(e.scheme(), "http");
    assert_eq!(e.authority(), "localhost:9000");
    assert_eq!(e.url("a=1"), "http://localhost:9000/?a=1");
    assert_eq!(
        Endpoint::parse("[::1]:8080").unwrap().authority(),
        "[::1]:8080"
    );
}

#[test]
fn endpoint_parse_rejects_bad_input_with_the_reason() {
    for (bad, why) in [
        ("ftp://host", "scheme"),
        ("http://", "no host"),
        ("host/path", "without path"),
        ("host:99999", "port"),
        ("host:0", "port"),
        ("ho st", "without path"),
        ("bad..host", "host name"),
        ("user@host", "without path"),
        ("[zz]:1", "IPv6"),
    ] {
        let e = Endpoint::parse(bad).unwrap_err().to_string();
        assert!(e.contains(why) && e.contains(bad), "{bad}: {e}");
    }
}

#[test]
fn network_parses_public_and_vpc_only() {
    assert_eq!("public".parse::<Network>().unwrap(), Network::Public);
    assert_eq!("VPC".parse::<Network>().unwrap(), Network::Vpc);
    let e = "intranet".parse::<Network>().unwrap_err().to_string();
    assert!(e.contains("intranet"), "{e}");
}
