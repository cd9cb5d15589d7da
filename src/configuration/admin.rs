//! `[admin]`: the operator's tools (`pastebin admin`, the report form).

use serde::Deserialize;

/// `[admin]`
#[derive(Debug, Clone, Deserialize)]
pub struct AdminSettings {
    /// The secret key of the hash that records a creating client's address
    /// on each new paste (`admin recent --by-address`). Every clone, worker
    /// and admin command of a fleet needs the same one; empty uses a
    /// built-in key, with a warning (the hash of an IPv4 address is then
    /// easily reversed by anyone who reads the store).
    pub address_key: String,
}
