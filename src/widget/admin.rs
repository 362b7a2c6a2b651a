//! User management for administrators: every call carries the admin's own access token, to
//! GoTrue or to the identity-admin function (`core::admin_access`), which decides each call.

use super::Widget;
use crate::core::admin::{self, Query, Sort, UserRow};
use crate::core::api::Request;
use crate::core::json::Value;
use crate::core::problem::Problem;
use leptos::prelude::*;

/// One page of the users list as loaded.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UserPage {
    pub users: Vec<Value>,
    pub total: u32,
    /// The server could not filter; the page was loaded unfiltered and filtered here.
    pub filtered_locally: bool,
}

/// The export's progress: pages fetched of pages to fetch.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    pub done: u32,
    pub total: u32,
}

impl Widget {
    /// A page of users. When the server fails on `filter` (netlify/gotrue on MariaDB answers
    /// 500), the page is loaded without it and filtered here, and the result says so.
    pub async fn list_users(self, query: &Query) -> Result<UserPage, Problem> {
        let token = self.jwt(false).await?;
        match self.call_counted(Request::list_users(&token, query)).await {
            Ok((response, total)) => {
                let users = admin::users_of(&response);
                let total = total.unwrap_or(users.len() as u32);
                Ok(UserPage {
                    users,
                    total,
                    filtered_locally: false,
                })
            }
            Err(Problem::ServerError) if !query.filter.trim().is_empty() => {
                let unfiltered = Query {
                    filter: String::new(),
                    ..query.clone()
                };
                let (response, total) = self
                    .call_counted(Request::list_users(&token, &unfiltered))
                    .await?;
                let users: Vec<Value> = admin::users_of(&response)
                    .into_iter()
                    .filter(|user| UserRow::from_user(user).matches(&query.filter))
                    .collect();
                let total = total.unwrap_or(users.len() as u32);
                Ok(UserPage {
                    users,
                    total,
                    filtered_locally: true,
                })
            }
            Err(problem) => Err(problem),
        }
    }

    pub async fn get_user_by_id(self, id: &str) -> Result<Value, Problem> {
        let token = self.jwt(false).await?;
        self.call(Request::get_user_by_id(&token, id)).await
    }

    /// `PUT /admin/users/{id}`; if it is the admin's own account, the session follows.
    pub async fn update_user_by_id(self, id: &str, attributes: &Value) -> Result<Value, Problem> {
        let token = self.jwt(false).await?;
        let user = self
            .call(Request::update_user_by_id(&token, id, attributes))
            .await?;
        if self
            .session
            .with_untracked(|s| s.as_ref().is_some_and(|s| s.user_id() == id))
        {
            self.set_user(&user)?;
        }
        Ok(user)
    }

    pub async fn create_user(self, attributes: &Value) -> Result<Value, Problem> {
        let token = self.jwt(false).await?;
        self.call(Request::create_user(&token, attributes)).await
    }

    pub async fn delete_user(self, id: &str) -> Result<(), Problem> {
        let token = self.jwt(false).await?;
        self.call(Request::delete_user(&token, id))
            .await
            .map(|_| ())
    }

    pub async fn invite(self, email: &str, data: Value) -> Result<Value, Problem> {
        let token = self.jwt(false).await?;
        self.call(Request::invite(&token, email, data)).await
    }

    /// Sends the "reset password" email: its link carries `#recovery_token=`, which this
    /// widget finishes. Through the function when there is one, else GoTrue's public `/recover`.
    pub async fn send_recovery(self, email: &str) -> Result<(), Problem> {
        let request = if self.options.with_value(|o| o.admin.url.is_some()) {
            Request::admin_recover(&self.jwt(false).await?, email)
        } else {
            Request::recover(email)
        };
        self.call(request).await.map(|_| ())
    }

    /// Every user, page by page, in `sort`'s order, reporting progress; `keep` makes what is
    /// kept of each (none of those it refuses: a site's ten thousand users held whole would
    /// weigh on the page). When `cancelled` turns true between pages (or the section asking is
    /// gone), stops with what the pages read so far gave and how far it got.
    pub async fn all_users<T>(
        self,
        sort: Sort,
        progress: RwSignal<Option<Progress>>,
        cancelled: RwSignal<bool>,
        keep: impl Fn(Value) -> Option<T>,
    ) -> Result<(Vec<T>, Option<Progress>), Problem> {
        cancelled.set(false);
        let mut users = Vec::new();
        let mut page = 1;
        let outcome = loop {
            let query = Query {
                page,
                per_page: admin::READ_ALL_PAGE_SIZE,
                sort,
                ..Query::default()
            };
            let loaded = match self.list_users(&query).await {
                Ok(loaded) => loaded,
                Err(problem) => break Err(problem),
            };
            let at = Progress {
                done: page,
                total: admin::page_count(loaded.total, admin::READ_ALL_PAGE_SIZE),
            };
            progress.set(Some(at));
            let empty = loaded.users.is_empty();
            users.extend(loaded.users.into_iter().filter_map(&keep));
            if cancelled.try_get_untracked().unwrap_or(true) {
                break Ok(Some(at));
            }
            if page >= at.total || empty {
                break Ok(None);
            }
            page += 1;
        };
        progress.set(None);
        outcome.map(|stopped| (users, stopped))
    }
}
