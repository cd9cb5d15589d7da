//! The envelope of an end-to-end encrypted paste, as far as the server may
//! know it: its shape. The format is specified in `docs/encryption.md`;
//! the browser (`static/e2e.js`) and the command-line client
//! (`client::e2e`) make and open it.
//!
//! `e2e-v1.<header>.<nonce>.<ciphertext>`, each part base64url without
//! padding; the header is a JSON object naming the paste's expiry, its
//! burn-after-read flag and the key derivation, and `e2e-v1.<header>` is
//! the AES-256-GCM additional data, so a server that changes what it shows
//! about the paste is caught by the reader.
//!
//! This module never sees a key and never decrypts: it checks that the
//! text is an envelope (so a client bug or a plain paste sent with the
//! flag is refused at once, not stored as garbage) and reads the header's
//! claims so they can be held against the paste's own fields.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;

use super::ValidationError;

/// The first part of every version-1 envelope.
pub(crate) const PREFIX: &str = "e2e-v1";

/// The largest header accepted (encoded), far above what v1 writes.
const MAX_HEADER_CHARS: usize = 1024;

/// Bytes of an AES-GCM nonce.
pub(crate) const NONCE_BYTES: usize = 12;

/// Bytes of the GCM tag that ends the ciphertext.
const TAG_BYTES: usize = 16;

/// Bytes of a PBKDF2 salt.
pub(crate) const SALT_BYTES: usize = 16;

/// PBKDF2 iteration counts an envelope may name: at least what a 2023
/// guide asks for SHA-256 less a margin, and few enough that a reader is
/// not made to spin for minutes by a hostile envelope.
pub(crate) const ITERATIONS: std::ops::RangeInclusive<u32> = 100_000..=10_000_000;

/// The name of the one key derivation v1 knows.
pub(crate) const KDF_NAME: &str = "PBKDF2-SHA-256";

/// The header's claims, as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Header {
    /// The paste's `expires`, as written at creation (`never`, `1h`...).
    pub(crate) expires: String,
    /// The paste's `burn_after_read`.
    pub(crate) burn_after_read: bool,
    /// How a password was mixed into the key; `None` without one.
    pub(crate) kdf: Option<Kdf>,
}

/// The password's key derivation.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Kdf {
    /// Always `PBKDF2-SHA-256` in v1.
    pub(crate) name: String,
    /// PBKDF2 iterations.
    pub(crate) iterations: u32,
    /// The salt, base64url.
    pub(crate) salt: String,
}

/// Reads the shape of `text` as an envelope and returns its header; says
/// what is wrong otherwise. Cheap: base64 and a small JSON object.
pub(crate) fn parse(text: &str) -> Result<Header, ValidationError> {
    let bad = ValidationError::InvalidEnvelope;
    let mut parts = text.trim_end_matches('\n').split('.');
    if parts.next() != Some(PREFIX) {
        return Err(bad("it does not start with `e2e-v1.`"));
    }
    let (Some(header), Some(nonce), Some(ciphertext), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad("it must have four parts separated by dots"));
    };
    if header.len() > MAX_HEADER_CHARS {
        return Err(bad("its header is too long"));
    }
    let decode = |part: &str, what| URL_SAFE_NO_PAD.decode(part).map_err(|_| bad(what));
    let header = decode(header, "its header is not base64url without padding")?;
    let header: Header =
        serde_json::from_slice(&header).map_err(|_| bad("its header is not the v1 JSON object"))?;
    // Readers match `never` or a duration: an empty one would be refused
    // by every reader after the server took it.
    if header.expires.is_empty() {
        return Err(bad("its header's expires is empty (write `never`)"));
    }
    if decode(nonce, "its nonce is not base64url without padding")?.len() != NONCE_BYTES {
        return Err(bad("its nonce is not 12 bytes"));
    }
    if decode(
        ciphertext,
        "its ciphertext is not base64url without padding",
    )?
    .len()
        <= TAG_BYTES
    {
        return Err(bad("its ciphertext is shorter than a GCM tag and one byte"));
    }
    if let Some(kdf) = &header.kdf {
        if kdf.name != KDF_NAME {
            return Err(bad("its kdf is not PBKDF2-SHA-256"));
        }
        if !ITERATIONS.contains(&kdf.iterations) {
            return Err(bad(
                "its PBKDF2 iterations are not within 100000..=10000000",
            ));
        }
        if decode(&kdf.salt, "its salt is not base64url without padding")?.len() != SALT_BYTES {
            return Err(bad("its salt is not 16 bytes"));
        }
    }
    Ok(header)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(bytes: &[u8]) -> String {
        URL_SAFE_NO_PAD.encode(bytes)
    }

    fn envelope(header: &str) -> String {
        format!(
            "e2e-v1.{}.{}.{}",
            b64(header.as_bytes()),
            b64(&[7; 12]),
            b64(&[1; 17])
        )
    }

    #[test]
    fn a_well_formed_envelope_gives_its_header() {
        let h = parse(&envelope(
            r#"{"expires":"1h","burn_after_read":true,"kdf":null}"#,
        ))
        .expect("an envelope");
        assert_eq!(h.expires, "1h");
        assert!(h.burn_after_read);
        let salt = b64(&[3; 16]);
        let with_kdf = format!(
            r#"{{"expires":"never","burn_after_read":false,"kdf":{{"name":"PBKDF2-SHA-256","iterations":600000,"salt":"{salt}"}}}}"#
        );
        assert_eq!(
            parse(&envelope(&with_kdf))
                .expect("kdf")
                .kdf
                .expect("kdf")
                .iterations,
            600_000
        );
    }

    #[test]
    fn anything_else_is_refused_with_a_reason() {
        let ok = r#"{"expires":"1h","burn_after_read":false,"kdf":null}"#;
        let cases = [
            "hello world".to_owned(),
            envelope(ok).replacen("e2e-v1", "e2e-v2", 1),
            format!("{}.extra", envelope(ok)),
            envelope(r#"{"expires":"1h","burn_after_read":false,"kdf":null,"title":"x"}"#),
            envelope(r#"{"expires":"1h"}"#),
            envelope(r#"{"expires":"","burn_after_read":false,"kdf":null}"#),
            format!(
                "e2e-v1.{}.{}.{}",
                b64(ok.as_bytes()),
                b64(&[7; 11]),
                b64(&[1; 17])
            ),
            format!(
                "e2e-v1.{}.{}.{}",
                b64(ok.as_bytes()),
                b64(&[7; 12]),
                b64(&[1; 16])
            ),
            format!(
                "e2e-v1.{}.{}.{}=",
                b64(ok.as_bytes()),
                b64(&[7; 12]),
                b64(&[1; 17])
            ),
            envelope(
                r#"{"expires":"1h","burn_after_read":false,"kdf":{"name":"PBKDF2-SHA-256","iterations":1000,"salt":"AwMDAwMDAwMDAwMDAwMDAw"}}"#,
            ),
        ];
        for case in cases {
            assert!(
                matches!(parse(&case), Err(ValidationError::InvalidEnvelope(_))),
                "{case}"
            );
        }
    }
}
