//! Where requests go: the unified host, a regional host, or a custom base URL.

/// A regional host of the ZIM server API (see `hosts.regions` in `spec/service.yaml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Region {
    /// The unified host: routes to the nearest region and works from anywhere.
    #[default]
    Global,
    /// Chinese Mainland.
    Shanghai,
    /// Hong Kong, Macau and Taiwan.
    HongKong,
    /// Europe.
    Frankfurt,
    /// US West.
    California,
    /// Asia-Pacific.
    Mumbai,
    /// Southeast Asia.
    Singapore,
}

impl Region {
    /// Every region, the default first.
    pub const ALL: [Region; 7] = [
        Region::Global,
        Region::Shanghai,
        Region::HongKong,
        Region::Frankfurt,
        Region::California,
        Region::Mumbai,
        Region::Singapore,
    ];

    /// Host name of the region (no scheme).
    pub const fn host(self) -> &'static str {
        match self {
            Region::Global => "zim-api.zego.im",
            Region::Shanghai => "zim-api-sha.zego.im",
            Region::HongKong => "zim-api-hkg.zego.im",
            Region::Frankfurt => "zim-api-fra.zego.im",
            Region::California => "zim-api-lax.zego.im",
            Region::Mumbai => "zim-api-bom.zego.im",
            Region::Singapore => "zim-api-sgp.zego.im",
        }
    }

    /// The spec's id of the region (`hong_kong`).
    pub const fn id(self) -> &'static str {
        match self {
            Region::Global => "global",
            Region::Shanghai => "shanghai",
            Region::HongKong => "hong_kong",
            Region::Frankfurt => "frankfurt",
            Region::California => "california",
            Region::Mumbai => "mumbai",
            Region::Singapore => "singapore",
        }
    }

    /// The region with the spec id `id`, if there is one.
    pub fn from_id(id: &str) -> Option<Region> {
        Region::ALL.into_iter().find(|region| region.id() == id)
    }
}

/// Where the client sends requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Endpoint {
    /// A region over HTTPS; service-host actions go to their own host.
    Region(Region),
    /// One base URL for every action, service-host ones included (tests, proxies).
    Custom(String),
}

impl Endpoint {
    /// The URL (up to and including the path `/`) for an action on `host`.
    pub(crate) fn url_for(&self, host: crate::HostKind) -> String {
        let mut url = String::new();
        self.push_url_for(host, &mut url);
        url
    }

    /// Appends [`Endpoint::url_for`] to `out`.
    pub(crate) fn push_url_for(&self, host: crate::HostKind, out: &mut String) {
        match (self, host) {
            (Endpoint::Custom(base), _) => out.push_str(base.trim_end_matches('/')),
            (Endpoint::Region(region), crate::HostKind::Regional) => {
                out.push_str("https://");
                out.push_str(region.host());
            }
            (Endpoint::Region(_), crate::HostKind::Service(host)) => {
                out.push_str("https://");
                out.push_str(host);
            }
        }
        out.push('/');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::HostKind;

    #[test]
    fn ids_round_trip() {
        for region in Region::ALL {
            assert_eq!(Region::from_id(region.id()), Some(region));
        }
        assert_eq!(Region::default(), Region::Global);
    }

    #[test]
    fn urls() {
        let frankfurt = Endpoint::Region(Region::Frankfurt);
        assert_eq!(
            frankfurt.url_for(HostKind::Regional),
            "https://zim-api-fra.zego.im/"
        );
        assert_eq!(
            frankfurt.url_for(HostKind::Service("auth-api.zego.im")),
            "https://auth-api.zego.im/"
        );
        let custom = Endpoint::Custom("http://127.0.0.1:9/".into());
        assert_eq!(
            custom.url_for(HostKind::Service("auth-api.zego.im")),
            "http://127.0.0.1:9/"
        );
    }
}
