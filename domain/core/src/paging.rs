//! The one way to paginate: `?page=1&per_page=15` in, `{items, page, per_page, total}` out.

use crate::error::{DomainError, FieldError};
use serde::Serialize;

/// A validated page request: `page` ≥ 1, `per_page` 1–100 (default 15).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    page: u32,
    per_page: u32,
}

impl PageRequest {
    pub const DEFAULT_PER_PAGE: u32 = 15;
    pub const MAX_PER_PAGE: u32 = 100;

    pub fn new(page: Option<i64>, per_page: Option<i64>) -> Result<Self, DomainError> {
        let mut errors = Vec::new();
        let page = page.unwrap_or(1);
        let per_page = per_page.unwrap_or(i64::from(Self::DEFAULT_PER_PAGE));
        if !(1..=1_000_000).contains(&page) {
            errors.push(FieldError::new(
                "page",
                "paging.page",
                "page is a whole number from 1.",
            ));
        }
        if !(1..=i64::from(Self::MAX_PER_PAGE)).contains(&per_page) {
            errors.push(FieldError::new(
                "per_page",
                "paging.per_page",
                "per_page is from 1 to 100.",
            ));
        }
        if !errors.is_empty() {
            return Err(DomainError::fields(errors));
        }
        Ok(Self {
            page: page as u32,
            per_page: per_page as u32,
        })
    }

    pub fn first() -> Self {
        Self {
            page: 1,
            per_page: Self::DEFAULT_PER_PAGE,
        }
    }
    pub fn page(&self) -> u32 {
        self.page
    }
    pub fn per_page(&self) -> u32 {
        self.per_page
    }
    pub fn offset(&self) -> i64 {
        i64::from(self.page - 1) * i64::from(self.per_page)
    }
    pub fn limit(&self) -> i64 {
        i64::from(self.per_page)
    }
}

impl Default for PageRequest {
    fn default() -> Self {
        Self::first()
    }
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub page: u32,
    pub per_page: u32,
    pub total: u64,
    /// The search stopped counting at `total`: there are more matches than that (see
    /// [`COUNT_CAP`]).
    pub total_capped: bool,
}

/// The searches over the big tables (postings, open jobs, petitions, the ministry's queue)
/// count their matches up to this many: past it the answer says "more than 1000" instead of
/// walking every match, so a page costs the same at ten thousand rows as at a million.
pub const COUNT_CAP: u64 = 1000;

impl<T> Page<T> {
    pub fn new(items: Vec<T>, req: PageRequest, total: u64) -> Self {
        Self {
            items,
            page: req.page,
            per_page: req.per_page,
            total,
            total_capped: false,
        }
    }

    /// A page whose search counted up to [`COUNT_CAP`]: `more` says it found more matches
    /// than that, and the total is then the cap.
    pub fn counted_up_to_cap(items: Vec<T>, req: PageRequest, total: u64, more: bool) -> Self {
        Self {
            total: if more { COUNT_CAP } else { total },
            total_capped: more,
            ..Self::new(items, req, total)
        }
    }
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            page: self.page,
            per_page: self.per_page,
            total: self.total,
            total_capped: self.total_capped,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_bounds() {
        let p = PageRequest::new(None, None).unwrap();
        assert_eq!((p.page(), p.per_page(), p.offset()), (1, 15, 0));
        let p = PageRequest::new(Some(3), Some(100)).unwrap();
        assert_eq!(p.offset(), 200);
        let e = PageRequest::new(Some(0), Some(101)).unwrap_err();
        assert_eq!(e.fields.len(), 2);
        assert_eq!(e.fields[0].field, "page");
        assert_eq!(e.fields[1].field, "per_page");
        assert!(PageRequest::new(Some(1), Some(0)).is_err());
    }

    #[test]
    fn a_count_stopped_at_the_cap_says_so() {
        let p = Page::counted_up_to_cap(vec![1], PageRequest::first(), 7, false);
        assert_eq!((p.total, p.total_capped), (7, false));
        let p = Page::counted_up_to_cap(vec![1], PageRequest::first(), 0, true).map(|x| x + 1);
        assert_eq!(
            (p.total, p.total_capped, p.items),
            (COUNT_CAP, true, vec![2])
        );
        assert!(!Page::new(vec![1], PageRequest::first(), 1).total_capped);
    }

    #[test]
    fn map_keeps_the_envelope() {
        let p = Page::new(vec![1, 2], PageRequest::first(), 7).map(|x| x * 10);
        assert_eq!(p.items, vec![10, 20]);
        assert_eq!(p.total, 7);
    }
}
