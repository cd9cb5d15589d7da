//! A password-protected paste's lock: what the store keeps of its title and
//! content (ciphertext only) and how to derive the key that opens it.

/// The text a locked paste's `content` holds in the store, in place of its
/// own: any path that served a locked paste without opening it would send
/// this, never the text.
pub const LOCKED_CONTENT: &str = "This paste is password-protected.\n";

/// The sealed title and content of a password-protected paste: argon2id
/// (`memory_kib`, `iterations`, one lane, `salt`) derives a 256-bit key;
/// XChaCha20-Poly1305 with `nonce` seals the plaintext into `sealed`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasteLock {
    /// argon2id memory cost, KiB.
    pub memory_kib: u32,
    /// argon2id passes.
    pub iterations: u32,
    /// The random salt of the key derivation.
    pub salt: [u8; 16],
    /// The random nonce of the cipher.
    pub nonce: [u8; 24],
    /// Ciphertext and tag of the title and content.
    pub sealed: Vec<u8>,
}
