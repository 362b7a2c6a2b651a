//! A search of the users list that the widget runs itself where the server cannot filter
//! (netlify/gotrue on MariaDB answers a filtered list with 500): every page is read (as the
//! export reads them), the matches kept in the order asked for, and shown with paging of their
//! own. Cancelled part way, it keeps what the pages read so far matched.

use super::admin::{Query, Sort, UserRow};
use super::json::Value;

/// A search done here: what was asked, what matched, and where it stopped if cancelled.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PageScan {
    pub filter: String,
    pub sort: Sort,
    pub matches: Vec<Value>,
    /// The page read last and how many there were, when cancelled before the last.
    pub stopped_at: Option<(u32, u32)>,
}

/// What a search keeps of each user read: the user, if their email or name has `query`'s filter.
pub fn matching(query: &Query) -> impl Fn(Value) -> Option<Value> {
    let filter = query.filter.trim().to_string();
    move |user| UserRow::from_user(&user).matches(&filter).then_some(user)
}

impl PageScan {
    /// `query`'s search, whose `matches` (from every page read, in `query`'s order) were kept
    /// by [`matching`].
    pub fn new(query: &Query, matches: Vec<Value>, stopped_at: Option<(u32, u32)>) -> PageScan {
        PageScan {
            filter: query.filter.trim().to_string(),
            sort: query.sort,
            matches,
            stopped_at,
        }
    }

    /// Whether this search answers `query` (the page within the matches aside).
    pub fn answers(&self, query: &Query) -> bool {
        self.filter == query.filter.trim() && self.sort == query.sort
    }

    /// The matches on `page` (1-based) of pages of `per_page`.
    pub fn shown(&self, page: u32, per_page: u32) -> Vec<Value> {
        let per_page = per_page.max(1) as usize;
        let start = (page.max(1) as usize - 1).saturating_mul(per_page);
        self.matches
            .iter()
            .skip(start)
            .take(per_page)
            .cloned()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(email: &str, name: &str) -> Value {
        Value::parse(&format!(
            r#"{{"id":"{email}","email":"{email}","user_metadata":{{"full_name":"{name}"}},"app_metadata":{{}}}}"#
        ))
        .unwrap()
    }

    fn query(filter: &str) -> Query {
        Query {
            page: 3,
            per_page: 25,
            filter: filter.into(),
            sort: Sort::EmailAscending,
        }
    }

    fn emails(users: &[Value]) -> Vec<&str> {
        users.iter().filter_map(|u| u.str_of("email")).collect()
    }

    #[test]
    fn the_matches_by_email_or_name_keep_the_order_read() {
        let users = vec![
            user("ada@x.org", ""),
            user("bob@x.org", ""),
            user("carl@x.org", "Ada Byron"),
            user("ADA2@x.org", ""),
        ];
        let matches: Vec<Value> = users
            .into_iter()
            .filter_map(matching(&query(" ada ")))
            .collect();
        let scan = PageScan::new(&query(" ada "), matches, None);
        assert_eq!(
            emails(&scan.matches),
            ["ada@x.org", "carl@x.org", "ADA2@x.org"]
        );
        assert_eq!((scan.filter.as_str(), scan.stopped_at), ("ada", None));
    }

    #[test]
    fn the_matches_have_pages_of_their_own() {
        let users = (0..7).map(|i| user(&format!("u{i}@x.org"), "")).collect();
        let scan = PageScan::new(&query("x.org"), users, Some((3, 9)));
        assert_eq!(
            emails(&scan.shown(1, 3)),
            ["u0@x.org", "u1@x.org", "u2@x.org"]
        );
        assert_eq!(emails(&scan.shown(3, 3)), ["u6@x.org"]);
        assert!(scan.shown(4, 3).is_empty());
        assert_eq!(scan.stopped_at, Some((3, 9)));
    }

    #[test]
    fn a_search_answers_its_own_filter_and_sort_only() {
        let scan = PageScan::new(&query("ada"), Vec::new(), None);
        assert!(scan.answers(&query(" ada")));
        assert!(!scan.answers(&query("bob")));
        assert!(!scan.answers(&Query {
            sort: Sort::NewestFirst,
            ..query("ada")
        }));
    }
}
