//! Who a request is counted as, for rate limits and `Idempotency-Key`
//! records: its address, read once at the edge (the `Client` extractor).

use std::convert::Infallible;
use std::fmt;
use std::future::{Ready, ready};
use std::net::{IpAddr, Ipv6Addr};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};

use crate::state::AppState;

/// The name a request's client is counted by (`192.0.2.7`,
/// `2001:db8:1:2::/64`): the creation limit, the not-found budget, the
/// `Idempotency-Key` records and the logs all use this one value, worked
/// out once per request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Client(String);

impl Client {
    /// The client of `req`, by the application's `Clients` rules.
    pub(crate) fn of(req: &HttpRequest) -> Self {
        super::once(req, |req| match req.app_data::<web::Data<AppState>>() {
            Some(state) => Client(state.http.clients.of(req)),
            None => Client("unknown".into()),
        })
    }

    /// The name, as the limits and records key it.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromRequest for Client {
    type Error = Infallible;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(Self::of(req)))
    }
}

/// How clients are told apart.
#[derive(Debug, Clone)]
pub(crate) struct Clients {
    /// Proxies whose `X-Forwarded-For` is believed.
    trusted: Vec<IpAddr>,
    /// IPv6 clients are counted by this prefix: one subscriber is commonly
    /// handed a whole /64, and could otherwise take a new address per request.
    ipv6_prefix: u8,
}

impl Clients {
    /// Clients behind `trusted` proxies, IPv6 ones counted by `ipv6_prefix` bits.
    pub(crate) fn new(trusted: Vec<IpAddr>, ipv6_prefix: u8) -> Self {
        Self {
            // Compared in canonical form: an IPv4 proxy seen through a dual-stack
            // socket arrives as `::ffff:a.b.c.d`.
            trusted: trusted.into_iter().map(|ip| ip.to_canonical()).collect(),
            ipv6_prefix: ipv6_prefix.min(128),
        }
    }

    /// The name a request's client is counted by: the peer's address or,
    /// when the peer is a trusted proxy, the last address in `X-Forwarded-For`
    /// that is not one; an IPv6 address as its network (`2001:db8::/64`).
    fn of(&self, req: &HttpRequest) -> String {
        let Some(peer) = req.peer_addr().map(|a| a.ip().to_canonical()) else {
            return "unknown".into();
        };
        self.name(self.origin(req, peer))
    }

    /// Walks `X-Forwarded-For` from the right (the entries our proxies
    /// appended) past every trusted proxy; the first other entry is the
    /// client. One that cannot be read ends the walk at the last proxy: an
    /// entry is never skipped, or the client could choose whom it counts as.
    fn origin(&self, req: &HttpRequest, peer: IpAddr) -> IpAddr {
        if !self.trusted.contains(&peer) {
            return peer;
        }
        let entries: Vec<&str> = req
            .headers()
            .get_all("x-forwarded-for")
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect();
        let mut client = peer;
        for entry in entries.into_iter().rev() {
            match forwarded_address(entry) {
                Some(ip) if self.trusted.contains(&ip) => client = ip,
                Some(ip) => return ip,
                None => return client,
            }
        }
        client
    }

    /// The name `address` is counted by (the admin tools find a client so).
    pub(crate) fn name(&self, address: IpAddr) -> String {
        match address {
            IpAddr::V4(v4) => v4.to_string(),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => v4.to_string(),
                None if self.ipv6_prefix == 128 => v6.to_string(),
                None => {
                    let mask = u128::MAX
                        .checked_shl(u32::from(128 - self.ipv6_prefix))
                        .unwrap_or(0);
                    let network = Ipv6Addr::from(u128::from(v6) & mask);
                    format!("{network}/{}", self.ipv6_prefix)
                }
            },
        }
    }
}

/// An `X-Forwarded-For` entry: an address, or an address with a port
/// (`192.0.2.1:5678`, `[2001:db8::1]:443`), as some proxies write them.
fn forwarded_address(entry: &str) -> Option<IpAddr> {
    let ip = entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<std::net::SocketAddr>().ok().map(|a| a.ip()))?;
    Some(ip.to_canonical())
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn from(peer: &str, forwarded: Option<&str>, clients: &Clients) -> String {
        let mut req = TestRequest::default().peer_addr(peer.parse().expect("a socket address"));
        if let Some(f) = forwarded {
            req = req.insert_header(("X-Forwarded-For", f));
        }
        clients.of(&req.to_http_request())
    }

    #[test]
    fn ipv6_clients_are_counted_by_their_network() {
        let clients = Clients::new(vec![], 64);
        let a = from("[2001:db8:1:2:aaaa::1]:4000", None, &clients);
        let b = from("[2001:db8:1:2:ffff:ffff:ffff:ffff]:4000", None, &clients);
        assert_eq!(a, "2001:db8:1:2::/64");
        assert_eq!(a, b, "one /64 is one client");
        assert_ne!(a, from("[2001:db8:1:3::1]:4000", None, &clients));
        let wider = Clients::new(vec![], 48);
        assert_eq!(
            from("[2001:db8:1:2::1]:1", None, &wider),
            from("[2001:db8:1:ffff::1]:1", None, &wider)
        );
        let exact = Clients::new(vec![], 128);
        assert_eq!(from("[2001:db8::7]:1", None, &exact), "2001:db8::7");
        assert_eq!(from("[::ffff:192.0.2.7]:1", None, &clients), "192.0.2.7");
        assert_eq!(from("192.0.2.7:1", None, &clients), "192.0.2.7");
    }

    #[test]
    fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
        let proxy: IpAddr = "10.0.0.1".parse().expect("an address");
        let clients = Clients::new(vec![proxy], 64);
        assert_eq!(
            from("10.0.0.1:80", Some("198.51.100.4, 10.0.0.1"), &clients),
            "198.51.100.4"
        );
        assert_eq!(
            from("10.0.0.1:80", Some("2001:db8:5:6::9"), &clients),
            "2001:db8:5:6::/64"
        );
        assert_eq!(
            from("203.0.113.5:80", Some("198.51.100.4"), &clients),
            "203.0.113.5",
            "an untrusted peer cannot choose whom it is counted as"
        );
        assert_eq!(
            from("10.0.0.1:80", Some("198.51.100.9, unknown"), &clients),
            "10.0.0.1",
            "an entry that cannot be read is not skipped for the client's own"
        );
        assert_eq!(
            from(
                "10.0.0.1:80",
                Some("198.51.100.9, 203.0.113.7:5678"),
                &clients
            ),
            "203.0.113.7",
            "an address with a port"
        );
        assert_eq!(
            from("[::ffff:10.0.0.1]:80", Some("198.51.100.4"), &clients),
            "198.51.100.4",
            "a trusted IPv4 proxy seen through a dual-stack socket"
        );
    }
}
