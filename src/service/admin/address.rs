//! How a client's address is recorded with what it made (a paste, a
//! report): as a keyed hash, never as the address.
//!
//! The operator's question is "what else came from this address?", asked
//! with an address in hand (`admin recent --by-address`). A keyed hash
//! answers it (hash the address given, look the tag up) while a copy of the
//! store lists no address: without the key (`admin.address_key`), a tag
//! cannot be turned back into one by trying every IPv4 address. The tag is
//! of the client as the rate limits count it (an IPv4 address, or an IPv6
//! network: `Clients`), so one subscriber's changing IPv6 addresses are one
//! client here too.

use sha2::{Digest, Sha256};

/// The key used when `admin.address_key` is empty (and a warning said so).
const BUILT_IN_KEY: &str = "pastebin address tags: set admin.address_key";

/// Hex digits kept of the hash: 128 bits, plenty to tell clients apart.
const TAG_HEX: usize = 32;

/// Turns clients into tags, under one key.
#[derive(Clone)]
pub(crate) struct AddressTags {
    key: Vec<u8>,
}

impl std::fmt::Debug for AddressTags {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AddressTags(..)")
    }
}

impl AddressTags {
    /// Tags under `key` (the built-in key when it is empty).
    pub(crate) fn new(key: &str) -> Self {
        let key = if key.is_empty() { BUILT_IN_KEY } else { key };
        Self {
            key: key.as_bytes().to_vec(),
        }
    }

    /// The tag of `client` (the name `Clients` counts a request by):
    /// SHA-256 over the key's hash and the client, cut to 128 bits.
    pub(crate) fn tag(&self, client: &str) -> String {
        let key = Sha256::digest(&self.key);
        let mut hash = Sha256::new();
        hash.update(key);
        hash.update(client.as_bytes());
        let mut hex = crate::domain::token::hex(&hash.finalize());
        hex.truncate(TAG_HEX);
        hex
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tag_depends_on_the_key_and_the_client_and_hides_both() {
        let (a, b) = (AddressTags::new("one key"), AddressTags::new("another"));
        assert_eq!(a.tag("192.0.2.7"), a.tag("192.0.2.7"));
        assert_ne!(a.tag("192.0.2.7"), a.tag("192.0.2.8"));
        assert_ne!(a.tag("192.0.2.7"), b.tag("192.0.2.7"));
        assert!(!a.tag("192.0.2.7").contains("192"));
        assert_eq!(a.tag("x").len(), TAG_HEX);
    }
}
