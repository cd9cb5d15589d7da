//! What a hot read answers, made once per shared view and kept beside it:
//! the validator (`ETag`), the `Cache-Control` of a paste that never
//! expires, and the page around its visit count. A hot read then copies
//! reference-counted bytes instead of formatting headers and rendering the
//! page's template again.
//!
//! Each slot is filled from the view it sits in, the first time a read
//! asks, and never changed: it is only valid as long as the view is not.
//! Hence the one rule: a view is changed only as an owned copy, and a copy
//! (`Clone`) starts with every slot empty. Views shared by the near tier or
//! the decoded tier of the embedded cache are never changed (they sit in an
//! `Arc`); `PasteView::owned` empties the slots of one taken out of it.
//!
//! Slots hold bytes, not HTTP types: the routes decide what they mean.

use std::fmt;
use std::sync::OnceLock;

use bytes::{BufMut, Bytes, BytesMut};

/// The page of a paste for a reader it says nothing personal to (no
/// session, no delete token), cut where the visit count goes: the same
/// bytes for every such reader.
#[derive(Debug, Clone)]
pub(crate) struct Shell {
    /// Everything before the visit count.
    pub(crate) head: Bytes,
    /// Everything after it.
    pub(crate) tail: Bytes,
}

impl Shell {
    /// The page with `middle` (the visit count) in its place: one copy.
    pub(crate) fn around(&self, middle: &[u8]) -> Bytes {
        let mut page = BytesMut::with_capacity(self.head.len() + middle.len() + self.tail.len());
        page.put_slice(&self.head);
        page.put_slice(middle);
        page.put_slice(&self.tail);
        page.freeze()
    }

    /// Bytes it holds.
    pub(crate) fn len(&self) -> usize {
        self.head.len() + self.tail.len()
    }
}

/// The finished parts of a view's answers (see the module's rule).
#[derive(Default)]
pub(crate) struct Answers {
    etag: OnceLock<Bytes>,
    cache_control: OnceLock<(u64, Bytes)>,
    /// The anonymous page, as its text (`[0]`) and for `?source` (`[1]`);
    /// `None` in a slot: this view has no such page (it is made per read).
    pages: [OnceLock<Option<Shell>>; 2],
}

impl Answers {
    /// The `ETag` value, made by `make` the first time.
    pub(crate) fn etag(&self, make: impl FnOnce() -> String) -> &Bytes {
        self.etag.get_or_init(|| Bytes::from(make()))
    }

    /// The `Cache-Control` of a paste without an expiry (the same at any
    /// time) for `max_age`, made by `make` the first time; a process has
    /// one `max_age`, but another one asked makes it again.
    pub(crate) fn cache_control(&self, max_age: u64, make: impl FnOnce() -> String) -> Bytes {
        match self.cache_control.get() {
            Some((age, value)) if *age == max_age => value.clone(),
            Some(_) => Bytes::from(make()),
            None => {
                let value = Bytes::from(make());
                let _ = self.cache_control.set((max_age, value.clone()));
                value
            }
        }
    }

    /// The anonymous page (`source`: as its text), made by `make` the first
    /// time; `None` when `make` said there is none.
    pub(crate) fn page(
        &self,
        source: bool,
        make: impl FnOnce() -> Option<Shell>,
    ) -> Option<&Shell> {
        self.pages[usize::from(source)].get_or_init(make).as_ref()
    }

    /// Bytes held by the pages made so far (the near tier weighs them).
    pub(crate) fn weight(&self) -> usize {
        self.pages
            .iter()
            .filter_map(|p| p.get().and_then(Option::as_ref))
            .map(Shell::len)
            .sum()
    }
}

/// A copy starts empty: it may be changed, and its answers made again.
impl Clone for Answers {
    fn clone(&self) -> Self {
        Self::default()
    }
}

/// What a view is does not depend on what was made of it.
impl PartialEq for Answers {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for Answers {}

impl fmt::Debug for Answers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Answers")
            .field("etag", &self.etag.get())
            .field("pages", &self.weight())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_starts_without_what_was_made_of_the_original() {
        let answers = Answers::default();
        assert_eq!(answers.etag(|| "\"a\"".into()).as_ref(), b"\"a\"");
        assert_eq!(
            answers.etag(|| "\"b\"".into()).as_ref(),
            b"\"a\"",
            "made once"
        );
        let copy = answers.clone();
        assert_eq!(copy.etag(|| "\"b\"".into()).as_ref(), b"\"b\"");
        let shell = Shell {
            head: Bytes::from_static(b"<p>"),
            tail: Bytes::from_static(b"</p>"),
        };
        let page = answers.page(false, || Some(shell.clone())).expect("a page");
        assert_eq!(page.around(b"3 views").as_ref(), b"<p>3 views</p>");
        assert!(answers.page(true, || None).is_none());
        assert_eq!(answers.weight(), 7);
        assert_eq!(copy.weight(), 0);
    }

    #[test]
    fn cache_control_is_made_again_for_another_max_age() {
        let answers = Answers::default();
        assert_eq!(answers.cache_control(60, || "a".into()).as_ref(), b"a");
        assert_eq!(answers.cache_control(60, || "b".into()).as_ref(), b"a");
        assert_eq!(answers.cache_control(5, || "c".into()).as_ref(), b"c");
    }
}
