//! A calendar month of visit statistics.

use std::fmt;

use time::OffsetDateTime;

/// A month in UTC, `YYYY-MM` on the wire and in documents. Ordered by time, so
/// a map of months lists them oldest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: u16,
    month: u8,
}

impl Month {
    /// The month of an instant, in UTC.
    pub fn of(at: OffsetDateTime) -> Self {
        let at = at.to_offset(time::UtcOffset::UTC);
        Self {
            year: u16::try_from(at.year().clamp(0, 9999)).unwrap_or(0),
            month: u8::from(at.month()),
        }
    }

    /// The month after this one.
    pub fn next(self) -> Self {
        if self.month == 12 {
            Self {
                year: self.year.saturating_add(1),
                month: 1,
            }
        } else {
            Self {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// Every month from `self` to `last`, both included (none when `last`
    /// comes first), at most `limit` of them: the latest ones.
    pub fn through(self, last: Self, limit: usize) -> Vec<Self> {
        let mut months = Vec::new();
        let mut at = self;
        while at <= last {
            months.push(at);
            if months.len() > limit {
                months.remove(0);
            }
            at = at.next();
        }
        months
    }

    /// Reads `YYYY-MM`; `None` for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        let (year, month) = text.split_once('-')?;
        if year.len() != 4 || month.len() != 2 {
            return None;
        }
        let year: u16 = year.parse().ok()?;
        let month: u8 = month.parse().ok()?;
        (1..=12).contains(&month).then_some(Self { year, month })
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

super::text_serde!(
    Month,
    |text: &str| Month::parse(text),
    "a month written YYYY-MM"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_utc_year_and_month() {
        let at = time::macros::datetime!(2026-01-31 23:30 -02:00);
        assert_eq!(Month::of(at).to_string(), "2026-02");
    }

    #[test]
    fn only_real_months_parse() {
        assert_eq!(
            Month::parse("2026-11").map(|m| m.to_string()).as_deref(),
            Some("2026-11")
        );
        for bad in ["2026-13", "2026-00", "26-11", "2026-1", "2026/11", ""] {
            assert_eq!(Month::parse(bad), None, "{bad}");
        }
        assert!(Month::parse("2025-12") < Month::parse("2026-01"));
    }
}
