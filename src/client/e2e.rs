//! End-to-end encryption in the command-line client: `paste --encrypt`
//! seals the text into an e2e-v1 envelope before it leaves the machine,
//! `get URL#key` opens one. The same format as the browser's
//! `static/e2e.js` (specified in `docs/encryption.md`), so either opens
//! what the other made. The key exists only in the printed link's fragment.

use aes_gcm::aead::{Aead, Payload};
use aes_gcm::{Aes256Gcm, KeyInit, Nonce};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use time::OffsetDateTime;

use super::error::ClientError;
use crate::domain::envelope::{self, Header, KDF_NAME, NONCE_BYTES, PREFIX, SALT_BYTES};

/// The iterations this client writes (OWASP's 2023 figure for PBKDF2-SHA-256).
const ITERATIONS: u32 = 600_000;

/// Bytes of the link's key.
const KEY_BYTES: usize = 32;

/// A sealed paste: the envelope to send and the key for the link's fragment.
pub(crate) struct Sealed {
    /// `e2e-v1.…`
    pub(crate) envelope: String,
    /// base64url of the 32-byte key.
    pub(crate) key: String,
}

/// What the server says of a paste, held against the envelope's header.
pub(crate) struct Shown {
    /// `burn_after_read`.
    pub(crate) burn_after_read: bool,
    /// `created_at`.
    pub(crate) created_at: OffsetDateTime,
    /// `expires_at`.
    pub(crate) expires_at: Option<OffsetDateTime>,
}

/// The AES-256-GCM key: the link's, or with a password
/// PBKDF2-HMAC-SHA-256(key ‖ password, salt, iterations).
fn aes_key(raw: &[u8], password: Option<&str>, salt: &[u8], iterations: u32) -> [u8; KEY_BYTES] {
    let mut out = [0u8; KEY_BYTES];
    match password {
        None => out.copy_from_slice(raw),
        Some(password) => {
            let material = [raw, password.as_bytes()].concat();
            pbkdf2::pbkdf2_hmac::<sha2::Sha256>(&material, salt, iterations, &mut out);
        }
    }
    out
}

/// Seals `text` for a paste that expires as `expires` (`never`, `1h`...)
/// and burns or not, with a fresh random key, nonce and (with a password)
/// salt.
pub(crate) fn seal(text: &str, expires: &str, burn: bool, password: Option<&str>) -> Sealed {
    seal_with(text, expires, burn, password, ITERATIONS)
}

/// `seal` with a chosen iteration count (the tests take the least allowed).
fn seal_with(
    text: &str,
    expires: &str,
    burn: bool,
    password: Option<&str>,
    iterations: u32,
) -> Sealed {
    let raw: [u8; KEY_BYTES] = rand::random();
    let nonce: [u8; NONCE_BYTES] = rand::random();
    let salt: [u8; SALT_BYTES] = rand::random();
    let kdf = password.map(|_| {
        serde_json::json!({
            "name": KDF_NAME, "iterations": iterations, "salt": URL_SAFE_NO_PAD.encode(salt),
        })
    });
    let header = serde_json::json!({ "expires": expires, "burn_after_read": burn, "kdf": kdf });
    let header = URL_SAFE_NO_PAD.encode(header.to_string());
    let aad = format!("{PREFIX}.{header}");
    let key = aes_key(&raw, password, &salt, iterations);
    let cipher = Aes256Gcm::new_from_slice(&key).expect("an AES-256 key is 32 bytes");
    let sealed = cipher
        .encrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: text.as_bytes(),
                aad: aad.as_bytes(),
            },
        )
        .expect("AES-GCM encrypts any text under its size limit");
    Sealed {
        envelope: format!(
            "{aad}.{}.{}",
            URL_SAFE_NO_PAD.encode(nonce),
            URL_SAFE_NO_PAD.encode(sealed)
        ),
        key: URL_SAFE_NO_PAD.encode(raw),
    }
}

/// The envelope's header, read without the key (to know whether a
/// password is needed).
pub(crate) fn header(text: &str) -> Result<Header, ClientError> {
    envelope::parse(text).map_err(|e| failed(&e.to_string()))
}

/// Opens `text` with the link's `key` (and the password, when its header
/// names a key derivation), after checking that what the server shows is
/// what the header claims.
pub(crate) fn open(
    text: &str,
    key: &str,
    password: Option<&str>,
    shown: &Shown,
) -> Result<String, ClientError> {
    let header = header(text)?;
    if !agrees(&header, shown) {
        return Err(failed(
            "the server shows another expiry or burn-after-read than the author sealed",
        ));
    }
    let raw = URL_SAFE_NO_PAD
        .decode(key)
        .ok()
        .filter(|k| k.len() == KEY_BYTES)
        .ok_or_else(|| failed("the link's key (after #) is not 43 base64url characters"))?;
    // Four parts, as `header` checked.
    let parts: Vec<&str> = text.trim_end_matches('\n').split('.').collect();
    let [prefix, head, nonce, ciphertext] = parts[..] else {
        return Err(failed("not four parts"));
    };
    let aad = format!("{prefix}.{head}");
    let decode = |part: &str| {
        URL_SAFE_NO_PAD
            .decode(part)
            .map_err(|_| failed("bad base64url"))
    };
    let (nonce, ciphertext) = (decode(nonce)?, decode(ciphertext)?);
    let key = match &header.kdf {
        None => aes_key(&raw, None, &[], 0),
        Some(kdf) => {
            let password = password.ok_or_else(|| failed("it needs its password"))?;
            aes_key(&raw, Some(password), &decode(&kdf.salt)?, kdf.iterations)
        }
    };
    let cipher = Aes256Gcm::new_from_slice(&key).expect("an AES-256 key is 32 bytes");
    let plain = cipher
        .decrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: &ciphertext,
                aad: aad.as_bytes(),
            },
        )
        .map_err(|_| {
            failed("wrong key or password, or the envelope or its metadata was altered")
        })?;
    String::from_utf8(plain).map_err(|_| failed("the decrypted bytes are not UTF-8 text"))
}

/// The header's expiry and burn flag are what the server shows.
fn agrees(header: &Header, shown: &Shown) -> bool {
    if header.burn_after_read != shown.burn_after_read {
        return false;
    }
    match (header.expires.as_str(), shown.expires_at) {
        ("never", None) => true,
        ("never", Some(_)) | (_, None) => false,
        (life, Some(at)) => crate::domain::expiry::parse_duration(life)
            .ok()
            .and_then(|life| time::Duration::try_from(life).ok())
            .is_some_and(|life| at - shown.created_at == life),
    }
}

fn failed(why: &str) -> ClientError {
    ClientError::Decrypt(why.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(expires: &str, burn: bool) -> Shown {
        let created_at = OffsetDateTime::now_utc();
        let expires_at = crate::domain::expiry::parse_duration(expires)
            .ok()
            .map(|d| created_at + time::Duration::try_from(d).expect("short"));
        Shown {
            burn_after_read: burn,
            created_at,
            expires_at,
        }
    }

    #[test]
    fn a_sealed_text_opens_with_its_key_and_password_only() {
        let sealed = seal("héllo\nworld\n", "1h", false, None);
        assert!(envelope::parse(&sealed.envelope).is_ok());
        let text = open(&sealed.envelope, &sealed.key, None, &shown("1h", false));
        assert_eq!(text.expect("opens"), "héllo\nworld\n");
        let other = seal("x", "1h", false, None).key;
        assert!(open(&sealed.envelope, &other, None, &shown("1h", false)).is_err());

        let locked = seal_with(
            "secret",
            "never",
            true,
            Some("pw"),
            *envelope::ITERATIONS.start(),
        );
        let meta = shown("never", true);
        assert!(open(&locked.envelope, &locked.key, None, &meta).is_err());
        assert!(open(&locked.envelope, &locked.key, Some("nope"), &meta).is_err());
        assert_eq!(
            open(&locked.envelope, &locked.key, Some("pw"), &meta).expect("opens"),
            "secret"
        );
    }

    #[test]
    fn altered_metadata_or_ciphertext_does_not_open() {
        let sealed = seal("text", "1h", false, None);
        assert!(open(&sealed.envelope, &sealed.key, None, &shown("1d", false)).is_err());
        assert!(open(&sealed.envelope, &sealed.key, None, &shown("1h", true)).is_err());
        // A header swapped for one that claims other metadata.
        let mut parts: Vec<String> = sealed.envelope.split('.').map(str::to_owned).collect();
        parts[1] = URL_SAFE_NO_PAD.encode(r#"{"expires":"1d","burn_after_read":false,"kdf":null}"#);
        let swapped = parts.join(".");
        assert!(open(&swapped, &sealed.key, None, &shown("1d", false)).is_err());
        let mut flipped = sealed.envelope.clone().into_bytes();
        let last = flipped.len() - 3;
        flipped[last] = if flipped[last] == b'A' { b'B' } else { b'A' };
        let flipped = String::from_utf8(flipped).expect("ascii");
        assert!(open(&flipped, &sealed.key, None, &shown("1h", false)).is_err());
    }
}
