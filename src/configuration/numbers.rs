//! Whole-number settings: each type holds only the values its key accepts, and
//! its refusal names them in words ("a port number from 0 to 65535").

use std::num::NonZeroU32;

use serde::Deserializer;

use super::scalar;

/// Reads a whole number that fits `T`, or fails with "must be {accepts}".
pub(crate) fn whole<'de, D, T>(deserializer: D, accepts: &str) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<i128>,
{
    scalar::read(deserializer, accepts, |value| {
        value.whole().and_then(|n| T::try_from(n).ok())
    })
}

/// Declares a whole number limited to a range: the one place that range is
/// written, used both to refuse a value and to say what is accepted.
macro_rules! bounded {
    (
        $(#[$doc:meta])*
        $name:ident($int:ty) in $min:expr, $max:expr; $what:literal $(, $note:literal)?
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
        pub struct $name($int);

        impl $name {
            /// The smallest accepted value.
            pub const MIN: $int = $min;
            /// The largest accepted value.
            pub const MAX: $int = $max;

            /// `value`, when the key accepts it.
            pub fn new(value: $int) -> Option<Self> {
                (Self::MIN..=Self::MAX).contains(&value).then_some(Self(value))
            }

            /// The number itself.
            pub fn get(self) -> $int {
                self.0
            }

            /// What the key accepts, in words.
            pub fn accepts() -> String {
                let range = if Self::MAX == <$int>::MAX {
                    format!("{}, at least {}", $what, Self::MIN)
                } else {
                    format!("{} from {} to {}", $what, Self::MIN, Self::MAX)
                };
                let note: &str = concat!($(" (", $note, ")")?);
                format!("{range}{note}")
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $crate::configuration::scalar::read(deserializer, Self::accepts(), |value| {
                    value
                        .whole()
                        .and_then(|n| <$int>::try_from(n).ok())
                        .and_then(Self::new)
                })
            }
        }
    };
}
pub(crate) use bounded;

bounded! {
    /// `limits.max_paste_bytes`: MongoDB caps a document at 16 MiB and a paste
    /// document carries its metadata beside the content, so 15 MiB at most.
    MaxPasteBytes(usize) in 1, 15 * 1024 * 1024;
    "a number of bytes", "15728640 is 15 MiB: MongoDB documents cap at 16 MiB"
}

bounded! {
    /// `limits.max_title_chars`: a title is a line of a page, not a document.
    MaxTitleChars(usize) in 1, 1000; "a number of characters"
}

bounded! {
    /// `limits.max_files`: the files of one multi-file paste (each is a
    /// section of its page and a render).
    MaxFiles(usize) in 1, 100; "a number of files"
}

bounded! {
    /// `limits.max_views`: the most views a paste may be given before it is
    /// deleted (`max_views`); each of them is a write to the store.
    MaxViews(u32) in 1, 1_000_000; "a number of views"
}

bounded! {
    /// `ids.length`: below 6 base62 characters ids collide and can be walked;
    /// above 32 they stop fitting in a link someone types.
    IdLength(usize) in 6, 32; "a number of characters"
}

bounded! {
    /// `cache.memory_bytes`: under 1 MiB the in-process cache holds too few views
    /// to spare the store anything.
    MemoryBytes(u64) in 1024 * 1024, u64::MAX; "a number of bytes", "1048576 is 1 MiB"
}

bounded! {
    /// `limits.uploads_in_flight_bytes`: every request body being received,
    /// together (counted in a semaphore, whose permits are 32-bit).
    UploadBytes(u32) in 1024 * 1024, u32::MAX; "a number of bytes", "268435456 is 256 MiB"
}

bounded! {
    /// `server.client_ipv6_prefix`: how many leading bits of an IPv6 address
    /// name one client (a subscriber commonly holds a whole /64).
    Ipv6Prefix(u8) in 1, 128; "a prefix length in bits", "64 counts a /64 as one client"
}

/// `server.port`: 0 asks the system for a free port (tests do).
pub(crate) fn port<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u16, D::Error> {
    whole(
        deserializer,
        "a port number from 0 to 65535 (0 picks a free port)",
    )
}

/// `server.workers`: 0 means one per core.
pub(crate) fn workers<'de, D: Deserializer<'de>>(deserializer: D) -> Result<usize, D::Error> {
    whole(
        deserializer,
        "a number of threads, 0 or more (0 is one per CPU core)",
    )
}

/// A count that must be at least 1 (`limits.create_per_minute`, `jobs.max_attempts`):
/// zero would refuse every creation or never run a job.
pub(crate) fn at_least_one<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<NonZeroU32, D::Error> {
    scalar::read(
        deserializer,
        "a whole number from 1 to 4294967295",
        |value| {
            value
                .whole()
                .and_then(|n| u32::try_from(n).ok())
                .and_then(NonZeroU32::new)
        },
    )
}
