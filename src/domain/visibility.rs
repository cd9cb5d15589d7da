//! Who may find a paste.

use super::ValidationError;

/// Public pastes are listed on their author's page; unlisted ones are reachable
/// only by their link; private ones only by their owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Visibility {
    /// Listed and readable by anyone.
    #[default]
    Public,
    /// Readable by anyone with the link, never listed.
    Unlisted,
    /// Readable by the owner only.
    Private,
}

impl Visibility {
    /// Reads the wire name, exactly as written (what the OpenAPI document's
    /// enum says); empty means the default.
    pub(crate) fn parse(text: &str) -> Result<Self, ValidationError> {
        match text {
            "" | "public" => Ok(Self::Public),
            "unlisted" => Ok(Self::Unlisted),
            "private" => Ok(Self::Private),
            _ => Err(ValidationError::InvalidVisibility(text.to_owned())),
        }
    }

    /// The wire and storage name.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::Unlisted => "unlisted",
            Self::Private => "private",
        }
    }
}

super::text_serde!(
    Visibility,
    |text: &str| match text {
        "public" => Some(Visibility::Public),
        "unlisted" => Some(Visibility::Unlisted),
        "private" => Some(Visibility::Private),
        _ => None,
    },
    "public, unlisted or private"
);

impl std::fmt::Display for Visibility {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for v in [
            Visibility::Public,
            Visibility::Unlisted,
            Visibility::Private,
        ] {
            assert_eq!(Visibility::parse(v.as_str()), Ok(v));
        }
        assert_eq!(Visibility::parse(""), Ok(Visibility::Public));
        assert!(Visibility::parse("secret").is_err());
    }

    #[test]
    fn names_are_exact() {
        for loose in ["Public", " unlisted", "PRIVATE", "public\n"] {
            assert!(Visibility::parse(loose).is_err(), "{loose:?}");
        }
    }
}
