//! Importing users (`core::admin_import`): each row created in turn through the admin API (the
//! identity-admin function), one that is here already skipped, and — if asked — a link to set a
//! password mailed to each new user who did not bring one, paced to the server's mail limit: a
//! 429 waits and tries again.

use super::Widget;
use crate::core::admin_import::{Conflict, ImportPlan, ImportRow, Outcome, Report};
use crate::core::backend::Backend;
use crate::core::problem::Problem;
use std::future::Future;
use std::pin::Pin;
use std::task::Poll;

/// The first wait after the server's mail limit refused a link, doubled each time up to
/// `LONGEST_WAIT_S` (hosted Supabase allows a few mails an hour by default).
const FIRST_WAIT_S: u32 = 10;
const LONGEST_WAIT_S: u32 = 60;

/// Where an import stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImportProgress {
    /// Rows done, of `total` to create.
    pub done: usize,
    pub total: usize,
    /// Waiting out the server's mail limit: seconds until the next try.
    pub waiting_s: Option<u32>,
}

/// Users created at once: each server handles them in parallel, so 10,000 users take minutes,
/// not most of an hour, while a wave this small does not flood a hosted server.
const AT_ONCE: usize = 8;

impl Widget {
    /// Creates `plan`'s users, a wave of `AT_ONCE` at a time, reporting progress before each
    /// wave and while waiting; stops between waves when `cancelled()` says so. The report has a
    /// line per row handled, in file order.
    pub async fn import_users(
        self,
        plan: &ImportPlan,
        send_links: bool,
        progress: impl Fn(ImportProgress),
        cancelled: impl Fn() -> bool,
    ) -> Report {
        let backend = self.session_backend();
        let total = plan.users.len();
        let mut report = Report::default();
        for (row, email, problem) in &plan.left_out {
            report
                .lines
                .push((*row, email.clone(), Outcome::LeftOut(*problem)));
        }
        let mut done = 0;
        for wave in plan.users.chunks(AT_ONCE) {
            if cancelled() {
                break;
            }
            progress(ImportProgress {
                done,
                total,
                waiting_s: None,
            });
            let outcomes = all(wave.iter().map(|user| self.create_one(user, backend))).await;
            for (user, outcome) in wave.iter().zip(outcomes) {
                // Links go one by one: the server's mail limit paces them.
                let outcome = match outcome {
                    Outcome::Created {
                        password_kept: false,
                        ..
                    } if send_links => {
                        let at = |waiting_s| {
                            progress(ImportProgress {
                                done,
                                total,
                                waiting_s,
                            })
                        };
                        let sent = self.send_link_paced(&user.email, at, &cancelled).await;
                        Outcome::Created {
                            password_kept: false,
                            link_sent: Some(sent),
                        }
                    }
                    outcome => outcome,
                };
                report.lines.push((user.row, user.email.clone(), outcome));
            }
            done += wave.len();
        }
        report.lines.sort_by_key(|(row, _, _)| *row);
        report
    }

    /// Creates one user: what became of it, links aside.
    async fn create_one(self, user: &ImportRow, backend: Backend) -> Outcome {
        match self.create_user(&user.create_attributes(backend)).await {
            Ok(_) => Outcome::Created {
                password_kept: user.keeps_password(backend),
                link_sent: None,
            },
            Err(problem) => self.not_created(user, backend, problem).await,
        }
    }

    /// Why `user` was not created. Where the server keeps ids, a refusal may mean that the row
    /// was imported before (its id holds its address: skipped), or that the address or the id
    /// is someone else's here; the user under the row's id tells which.
    async fn not_created(self, user: &ImportRow, backend: Backend, problem: Problem) -> Outcome {
        let id = user.id.as_deref().filter(|_| backend == Backend::Supabase);
        let Some(id) = id else {
            return match problem {
                Problem::UserExists => Outcome::Skipped,
                problem => Outcome::Failed(problem),
            };
        };
        let same_address = |found: &crate::core::json::Value| {
            found
                .str_of("email")
                .is_some_and(|email| email.eq_ignore_ascii_case(&user.email))
        };
        match (problem, self.get_user_by_id(id).await) {
            (_, Ok(found)) if same_address(&found) => Outcome::Skipped,
            (Problem::UserExists, Ok(_) | Err(Problem::UserNotFound)) => {
                Outcome::Conflict(Conflict::AddressHasAnotherId)
            }
            (_, Ok(_)) => Outcome::Conflict(Conflict::IdHasAnotherAddress),
            (problem, _) => Outcome::Failed(problem),
        }
    }

    /// Mails `email` a link to set a password (a recovery link: the account exists), waiting
    /// out the server's mail limit. Whether it was sent.
    async fn send_link_paced(
        self,
        email: &str,
        waiting: impl Fn(Option<u32>),
        cancelled: impl Fn() -> bool,
    ) -> bool {
        let mut wait_s = FIRST_WAIT_S;
        loop {
            match self.send_recovery(email).await {
                Ok(()) => return true,
                Err(Problem::RateLimited) => {
                    for left in (1..=wait_s).rev() {
                        if cancelled() {
                            return false;
                        }
                        waiting(Some(left));
                        crate::browser::sleep(1000).await;
                    }
                    waiting(None);
                    wait_s = (wait_s * 2).min(LONGEST_WAIT_S);
                }
                Err(_) => return false,
            }
        }
    }
}

/// Runs `futures` at once; their outputs, in order.
async fn all<F: Future>(futures: impl IntoIterator<Item = F>) -> Vec<F::Output> {
    let mut running: Vec<Pin<Box<F>>> = futures.into_iter().map(Box::pin).collect();
    let mut outputs: Vec<Option<F::Output>> = running.iter().map(|_| None).collect();
    std::future::poll_fn(|context| {
        let mut pending = false;
        for (future, output) in running.iter_mut().zip(outputs.iter_mut()) {
            if output.is_none() {
                match future.as_mut().poll(context) {
                    Poll::Ready(value) => *output = Some(value),
                    Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            Poll::Pending
        } else {
            Poll::Ready(())
        }
    })
    .await;
    outputs.into_iter().flatten().collect()
}
