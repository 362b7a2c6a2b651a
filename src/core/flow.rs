//! The modal's page state machine: which page shows, whether it is open or busy, and which
//! problem is on screen. Pure; the UI sends events and renders the result.

use super::problem::Problem;

/// A page of the modal (the old widget's names in brackets).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    Login,
    Signup,
    /// Ask for a recovery email (`amnesia`).
    ForgotPassword,
    /// Set a new password after a recovery link (`recovery`).
    SetNewPassword,
    /// Set a password to accept an invite (`invite`).
    AcceptInvite,
    /// "Logged in as …" (`user`).
    LoggedIn,
    /// The logged-in user's own name, email, password and roles.
    Account,
    /// User management: the list (administrators; others are told they may not).
    Users,
    /// User management: one user.
    UserDetail,
    /// Passwordless sign-in (supabase/auth): ask for a mail with a link and a code.
    SignInLink,
    /// Passwordless sign-in: type the mailed code (or follow the link).
    SignInCode,
    /// A login's second step: the code of the person's authenticator app (supabase/auth).
    SecondStep,
    /// A message page (`message`).
    Notice(Notice),
    /// The localhost prompt for the site's URL (`siteURL`).
    SiteUrl,
}

/// The pages a person can land on first, which the loader shows from markup rendered ahead
/// of time (`src/prerender.rs`) until the wasm arrives.
pub const PRERENDERED: [Page; 6] = [
    Page::Login,
    Page::Signup,
    Page::ForgotPassword,
    Page::SetNewPassword,
    Page::AcceptInvite,
    Page::SiteUrl,
];

/// What a message page says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notice {
    ConfirmationSent,
    /// A confirmation link was accepted; the user is logged in.
    SignupConfirmed,
    RecoverySent,
    EmailChanged,
    /// One of a secure email change's two links was followed; the other finishes it.
    EmailChangeHalfway,
    /// A link failed; the problem says why.
    VerificationFailed(Problem),
    SignupDisabled,
}

impl Page {
    /// The old widget's page name, as `store.modal.page` and the `open` event report it.
    pub fn legacy_name(self) -> &'static str {
        match self {
            Page::Login => "login",
            Page::Signup => "signup",
            Page::ForgotPassword => "amnesia",
            Page::SetNewPassword => "recovery",
            Page::AcceptInvite => "invite",
            Page::LoggedIn => "user",
            Page::Account => "account",
            Page::SignInLink => "signin-link",
            Page::SignInCode => "signin-code",
            Page::SecondStep => "second-step",
            Page::Users => "users",
            Page::UserDetail => "user-detail",
            Page::Notice(_) => "message",
            Page::SiteUrl => "siteURL",
        }
    }

    /// The page the loader's dialog names (one of the pages rendered ahead of time).
    pub fn from_legacy_name(name: &str) -> Option<Page> {
        PRERENDERED
            .into_iter()
            .find(|page| page.legacy_name() == name)
    }

    /// The page `open(name)` asks for; `None` for names the old widget rejects.
    pub fn from_open_argument(name: &str) -> Option<Page> {
        match name {
            "" | "login" => Some(Page::Login),
            "signup" => Some(Page::Signup),
            // The old widget's `open('error')` shows the signup page with the error.
            "error" => Some(Page::Signup),
            "users" => Some(Page::Users),
            _ => None,
        }
    }
}

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// `open(page)`, a control click, or a link that needs the modal.
    Open(Page),
    Close,
    /// A tab or link inside the modal.
    Navigate(Page),
    /// A form was submitted; its request is in flight.
    Submit,
    /// The request failed; the form keeps its input.
    Failed(Problem),
    /// A notice to show (after a signup, a recovery request, a link).
    Show(Notice),
    LoggedIn,
    LoggedOut,
}

/// Facts outside the modal that decide where events lead.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Context {
    pub logged_in: bool,
    pub signup_disabled: bool,
    /// On localhost without an API URL: every page waits for the site URL.
    pub needs_site_url: bool,
}

/// The modal's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Modal {
    pub page: Page,
    pub is_open: bool,
    pub busy: bool,
    pub problem: Option<Problem>,
}

impl Default for Modal {
    fn default() -> Modal {
        Modal {
            page: Page::Login,
            is_open: false,
            busy: false,
            problem: None,
        }
    }
}

impl Modal {
    /// The state after `event`.
    pub fn next(self, event: Event, context: Context) -> Modal {
        let settled = Modal {
            busy: false,
            problem: None,
            ..self
        };
        match event {
            Event::Open(page) => Modal {
                page: landing_page(page, context),
                is_open: true,
                ..settled
            },
            Event::Close => Modal {
                is_open: false,
                ..settled
            },
            Event::Navigate(page) => Modal {
                page: landing_page(page, context),
                ..settled
            },
            Event::Submit => Modal {
                busy: true,
                problem: None,
                ..self
            },
            Event::Failed(problem) => Modal {
                busy: false,
                problem: Some(problem),
                ..self
            },
            Event::Show(notice) => Modal {
                page: Page::Notice(notice),
                is_open: true,
                ..settled
            },
            Event::LoggedIn => Modal {
                page: Page::LoggedIn,
                ..settled
            },
            Event::LoggedOut => {
                let page = match self.page {
                    Page::LoggedIn
                    | Page::Account
                    | Page::Users
                    | Page::UserDetail
                    | Page::SetNewPassword => Page::Login,
                    other => other,
                };
                Modal { page, ..settled }
            }
        }
    }
}

/// Where a request for `page` lands, given who is logged in and what the server allows.
fn landing_page(page: Page, context: Context) -> Page {
    match page {
        _ if context.needs_site_url => Page::SiteUrl,
        // These finish a link or a login, so they show even when someone is logged in.
        Page::SetNewPassword | Page::AcceptInvite | Page::SecondStep | Page::Notice(_) => page,
        Page::Account | Page::Users | Page::UserDetail if context.logged_in => page,
        _ if context.logged_in => Page::LoggedIn,
        Page::LoggedIn | Page::Account | Page::Users | Page::UserDetail => Page::Login,
        Page::Signup if context.signup_disabled => Page::Notice(Notice::SignupDisabled),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GUEST: Context = Context {
        logged_in: false,
        signup_disabled: false,
        needs_site_url: false,
    };
    const MEMBER: Context = Context {
        logged_in: true,
        signup_disabled: false,
        needs_site_url: false,
    };

    #[test]
    fn the_account_page_is_for_logged_in_users_only() {
        let account = Modal::default().next(Event::Open(Page::Account), MEMBER);
        assert_eq!(account.page, Page::Account);
        assert_eq!(account.next(Event::LoggedOut, GUEST).page, Page::Login);
        let guest = Modal::default().next(Event::Open(Page::Account), GUEST);
        assert_eq!(guest.page, Page::Login);
    }

    #[test]
    fn without_a_site_url_every_page_asks_for_it() {
        let local = Context {
            needs_site_url: true,
            ..GUEST
        };
        assert_eq!(
            Modal::default().next(Event::Open(Page::Signup), local).page,
            Page::SiteUrl
        );
        assert_eq!(
            Modal::default()
                .next(Event::Navigate(Page::Login), GUEST)
                .page,
            Page::Login
        );
    }

    #[test]
    fn opening_when_logged_in_shows_the_user_page() {
        let modal = Modal::default().next(Event::Open(Page::Signup), MEMBER);
        assert_eq!((modal.page, modal.is_open), (Page::LoggedIn, true));
        assert_eq!(
            Modal::default()
                .next(Event::Open(Page::LoggedIn), GUEST)
                .page,
            Page::Login
        );
    }

    #[test]
    fn signup_is_replaced_by_a_notice_when_disabled() {
        let closed = Context {
            signup_disabled: true,
            ..GUEST
        };
        let modal = Modal::default().next(Event::Navigate(Page::Signup), closed);
        assert_eq!(modal.page, Page::Notice(Notice::SignupDisabled));
    }

    #[test]
    fn a_failure_keeps_the_page_and_ends_busy_and_the_next_submit_clears_it() {
        let busy = Modal::default()
            .next(Event::Open(Page::Login), GUEST)
            .next(Event::Submit, GUEST);
        assert!(busy.busy);
        let failed = busy.next(Event::Failed(Problem::InvalidCredentials), GUEST);
        assert_eq!(
            (failed.page, failed.busy, failed.problem),
            (Page::Login, false, Some(Problem::InvalidCredentials))
        );
        assert_eq!(failed.next(Event::Submit, GUEST).problem, None);
    }

    #[test]
    fn closing_resets_busy_and_problem_and_links_reopen_on_their_page() {
        let failed = Modal::default()
            .next(Event::Open(Page::Login), GUEST)
            .next(Event::Failed(Problem::Offline), GUEST);
        let closed = failed.next(Event::Close, GUEST);
        assert_eq!((closed.is_open, closed.problem), (false, None));
        let recovery = closed.next(Event::Open(Page::SetNewPassword), MEMBER);
        assert_eq!(
            (recovery.page, recovery.is_open),
            (Page::SetNewPassword, true)
        );
    }

    #[test]
    fn login_and_logout_move_between_user_and_login_pages() {
        let modal = Modal::default()
            .next(Event::Open(Page::Login), GUEST)
            .next(Event::LoggedIn, MEMBER);
        assert_eq!(modal.page, Page::LoggedIn);
        assert_eq!(modal.next(Event::LoggedOut, GUEST).page, Page::Login);
        let notice = modal.next(Event::Show(Notice::EmailChanged), MEMBER);
        assert_eq!(
            notice.next(Event::LoggedOut, GUEST).page,
            Page::Notice(Notice::EmailChanged)
        );
    }

    #[test]
    fn open_arguments_follow_the_old_widget() {
        assert_eq!(Page::from_open_argument("signup"), Some(Page::Signup));
        assert_eq!(Page::from_open_argument(""), Some(Page::Login));
        assert_eq!(Page::from_open_argument("bogus"), None);
        assert_eq!(
            Page::from_open_argument("user"),
            None,
            "the old widget rejects it"
        );
        assert_eq!(Page::from_open_argument("users"), Some(Page::Users));
        let users = Modal::default().next(Event::Open(Page::Users), GUEST);
        assert_eq!(
            users.page,
            Page::Login,
            "user management asks for a login first"
        );
        assert_eq!(Page::ForgotPassword.legacy_name(), "amnesia");
        for page in PRERENDERED {
            assert_eq!(Page::from_legacy_name(page.legacy_name()), Some(page));
        }
        assert_eq!(Page::from_legacy_name("user"), None, "not rendered ahead");
    }
}
