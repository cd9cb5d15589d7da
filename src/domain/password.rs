//! Passwords: the text a person types (checked once, never stored) and the
//! argon2id hash the store keeps.

use std::fmt;

/// A password as typed at sign-up or log-in. It is never logged (`Debug`
/// hides it) and never stored: only its `PasswordHash` is.
#[derive(Clone)]
pub struct Password(String);

impl Password {
    /// Fewest characters a new password may have.
    pub const MIN_CHARS: usize = 8;
    /// Most bytes a password may have: hashing is bounded work, whatever is sent.
    pub const MAX_BYTES: usize = 1024;

    /// A new password (sign-up): `MIN_CHARS` characters at least, `MAX_BYTES`
    /// bytes at most. Spaces count: a passphrase is a fine password.
    pub fn new_one(text: &str) -> Result<Self, PasswordProblem> {
        if text.chars().count() < Self::MIN_CHARS {
            return Err(PasswordProblem::TooShort);
        }
        Self::presented(text).ok_or(PasswordProblem::TooLong)
    }

    /// A password presented at log-in: anything up to `MAX_BYTES` (an old
    /// rule may have allowed a shorter one; a wrong one simply fails).
    pub fn presented(text: &str) -> Option<Self> {
        (text.len() <= Self::MAX_BYTES).then(|| Self(text.to_owned()))
    }

    /// The bytes to hash.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(..)")
    }
}

/// Why a new password is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordProblem {
    /// Fewer than `Password::MIN_CHARS` characters.
    TooShort,
    /// More than `Password::MAX_BYTES` bytes.
    TooLong,
}

/// An argon2id hash in its PHC string form (`$argon2id$v=19$m=..,t=..,p=..$salt$hash`):
/// the parameters travel with the hash, so raising them later leaves old
/// hashes verifiable.
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash(String);

impl PasswordHash {
    /// Reads a stored hash; `None` for anything that is not an argon2 PHC string.
    pub fn parse(text: &str) -> Option<Self> {
        argon2::PasswordHash::new(text)
            .ok()
            .filter(|h| h.algorithm.as_str().starts_with("argon2"))
            .map(|_| Self(text.to_owned()))
    }

    /// The PHC string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PasswordHash(..)")
    }
}

impl fmt::Display for PasswordHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_passwords_have_a_floor_and_a_ceiling() {
        assert_eq!(
            Password::new_one("short").err(),
            Some(PasswordProblem::TooShort)
        );
        assert!(Password::new_one("eight ch").is_ok());
        assert_eq!(
            Password::new_one(&"x".repeat(Password::MAX_BYTES + 1)).err(),
            Some(PasswordProblem::TooLong)
        );
        assert!(
            Password::presented("x").is_some(),
            "log-in takes any length"
        );
    }

    #[test]
    fn a_password_never_shows_in_debug_output() {
        let password = Password::new_one("correct horse").expect("valid");
        assert!(!format!("{password:?}").contains("horse"));
    }

    #[test]
    fn only_argon2_phc_strings_are_hashes() {
        assert!(PasswordHash::parse("plain text").is_none());
        assert!(
            PasswordHash::parse(
                "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"
            )
            .is_some()
        );
    }
}
