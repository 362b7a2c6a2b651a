//! Every string the widget shows, by key, per locale. English is complete; other locales
//! fall back to it key by key. Placeholders are written `{name}`.

use super::api::Problem;

/// A locale the widget can show. Unknown codes fall back to English.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Locale {
    #[default]
    En,
}

impl Locale {
    /// From a code as `setLocale` takes it (`en`, `fr`, `zhCN`, …).
    pub fn from_code(_code: &str) -> Locale {
        Locale::En
    }

    pub fn code(self) -> &'static str {
        match self {
            Locale::En => "en",
        }
    }

    pub fn text(self, key: Text) -> &'static str {
        match self {
            Locale::En => english(key),
        }
    }
}

/// A translatable string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Text {
    Close,
    TabSignup,
    TabLogin,
    TitleRecoverPassword,
    TitleCompleteSignup,
    TitleLoggedIn,
    TitleMessage,
    FieldName,
    FieldEmail,
    FieldPassword,
    FieldNewPassword,
    ShowPassword,
    HidePassword,
    LogIn,
    LoggingIn,
    SignUp,
    SigningUp,
    SendRecoveryEmail,
    SendingRecoveryEmail,
    UpdatePassword,
    UpdatingPassword,
    LogOut,
    LoggingOut,
    ForgotPassword,
    NeverMind,
    BackToLogin,
    ContinueWith,
    OrUseEmail,
    LoggedInAs,
    Loading,
    VerifyingLink,
    AccountSettings,
    TitleAccount,
    SectionName,
    SectionEmail,
    SectionRoles,
    FieldNewEmail,
    Save,
    Saving,
    NameSaved,
    EmailChangeSent,
    EmailChangePending,
    PasswordChanged,
    NoRoles,
    Back,
    ManageUsers,
    TitleUsers,
    CheckingAdmin,
    NotAdmin,
    SearchUsers,
    Search,
    SortBy,
    SortNewest,
    SortOldest,
    SortEmail,
    FilteredLocally,
    NoUsersFound,
    PageOf,
    PreviousPage,
    NextPage,
    UsersTotal,
    ColumnEmail,
    ColumnName,
    ColumnRoles,
    ColumnState,
    ColumnCreated,
    ColumnLastSignIn,
    StateConfirmed,
    StateInvited,
    StateUnconfirmed,
    Never,
    InviteUser,
    InviteRoles,
    SendInvite,
    InviteSent,
    ExportJson,
    ExportCsv,
    Exporting,
    ExportDone,
    Cancel,
    ExportCancelled,
    BackToUsers,
    TitleUserDetail,
    AddRole,
    RemoveRole,
    SaveUser,
    UserSaved,
    SendResetEmail,
    ResetEmailSent,
    ConfirmUser,
    UserConfirmed,
    DeleteUser,
    DeleteConfirm,
    DeleteForever,
    UserDeleted,
    TitleSiteUrl,
    SiteUrlExplanation,
    FieldSiteUrl,
    SetSiteUrl,
    SiteUrlInvalid,
    DevSiteUrl,
    ClearSiteUrl,
    SettingsFailed,
    ConfirmationSent,
    SignupConfirmed,
    RecoverySent,
    EmailChanged,
    VerificationFailed,
    SignupDisabled,
    ProblemOffline,
    ProblemTimeout,
    ProblemInvalidCredentials,
    ProblemUnknownEmail,
    ProblemEmailNotConfirmed,
    ProblemUserExists,
    ProblemSignupDisabled,
    ProblemInvalidInput,
    ProblemLinkInvalid,
    ProblemLinkExpired,
    ProblemSessionEnded,
    ProblemRateLimited,
    ProblemNotAllowed,
    ProblemServerError,
    ProblemUserNotFound,
}

impl Text {
    /// The message for a problem; each says what to do next.
    pub fn for_problem(problem: Problem) -> Text {
        match problem {
            Problem::Offline => Text::ProblemOffline,
            Problem::Timeout => Text::ProblemTimeout,
            Problem::InvalidCredentials => Text::ProblemInvalidCredentials,
            Problem::UnknownEmail => Text::ProblemUnknownEmail,
            Problem::EmailNotConfirmed => Text::ProblemEmailNotConfirmed,
            Problem::UserExists => Text::ProblemUserExists,
            Problem::SignupDisabled => Text::ProblemSignupDisabled,
            Problem::InvalidInput => Text::ProblemInvalidInput,
            Problem::LinkInvalid => Text::ProblemLinkInvalid,
            Problem::LinkExpired => Text::ProblemLinkExpired,
            Problem::SessionEnded => Text::ProblemSessionEnded,
            Problem::RateLimited => Text::ProblemRateLimited,
            Problem::NotAllowed => Text::ProblemNotAllowed,
            Problem::ServerError => Text::ProblemServerError,
            Problem::InvalidSiteUrl => Text::SiteUrlInvalid,
            Problem::UserNotFound => Text::ProblemUserNotFound,
        }
    }
}

/// Replaces `{name}` in a translated string.
pub fn fill(template: &str, name: &str, value: &str) -> String {
    template.replace(&format!("{{{name}}}"), value)
}

fn english(key: Text) -> &'static str {
    match key {
        Text::Close => "Close",
        Text::TabSignup => "Sign up",
        Text::TabLogin => "Log in",
        Text::TitleRecoverPassword => "Recover password",
        Text::TitleCompleteSignup => "Complete your signup",
        Text::TitleLoggedIn => "Logged in",
        Text::TitleMessage => "Notice",
        Text::FieldName => "Name",
        Text::FieldEmail => "Email",
        Text::FieldPassword => "Password",
        Text::FieldNewPassword => "New password",
        Text::ShowPassword => "Show password",
        Text::HidePassword => "Hide password",
        Text::LogIn => "Log in",
        Text::LoggingIn => "Logging in",
        Text::SignUp => "Sign up",
        Text::SigningUp => "Signing up",
        Text::SendRecoveryEmail => "Send recovery email",
        Text::SendingRecoveryEmail => "Sending recovery email",
        Text::UpdatePassword => "Update password",
        Text::UpdatingPassword => "Updating password",
        Text::LogOut => "Log out",
        Text::LoggingOut => "Logging out",
        Text::ForgotPassword => "Forgot password?",
        Text::NeverMind => "Never mind",
        Text::BackToLogin => "Back to log in",
        Text::ContinueWith => "Continue with {provider}",
        Text::OrUseEmail => "or use your email",
        Text::LoggedInAs => "Logged in as",
        Text::Loading => "Loading…",
        Text::VerifyingLink => "Checking your link…",
        Text::AccountSettings => "Account settings",
        Text::TitleAccount => "Account settings",
        Text::SectionName => "Name",
        Text::SectionEmail => "Email",
        Text::SectionRoles => "Roles",
        Text::FieldNewEmail => "New email",
        Text::Save => "Save",
        Text::Saving => "Saving…",
        Text::NameSaved => "Your name is saved.",
        Text::EmailChangeSent => "We sent a confirmation link to {email}. Follow it to finish the change.",
        Text::EmailChangePending => "Waiting for you to confirm {email}.",
        Text::PasswordChanged => "Your password is changed.",
        Text::NoRoles => "No roles",
        Text::Back => "Back",
        Text::ManageUsers => "Manage users",
        Text::TitleUsers => "Users",
        Text::CheckingAdmin => "Checking your permissions…",
        Text::NotAdmin => "Only administrators can manage users. Ask an administrator if you need access.",
        Text::SearchUsers => "Search by email or name",
        Text::Search => "Search",
        Text::SortBy => "Sort",
        Text::SortNewest => "Newest first",
        Text::SortOldest => "Oldest first",
        Text::SortEmail => "Email, A to Z",
        Text::FilteredLocally => "The server cannot search, so only this page was searched.",
        Text::NoUsersFound => "No users found.",
        Text::PageOf => "Page {page} of {pages}",
        Text::PreviousPage => "Previous page",
        Text::NextPage => "Next page",
        Text::UsersTotal => "{count} users",
        Text::ColumnEmail => "Email",
        Text::ColumnName => "Name",
        Text::ColumnRoles => "Roles",
        Text::ColumnState => "State",
        Text::ColumnCreated => "Created",
        Text::ColumnLastSignIn => "Last sign-in",
        Text::StateConfirmed => "Confirmed",
        Text::StateInvited => "Invited",
        Text::StateUnconfirmed => "Not confirmed",
        Text::Never => "Never",
        Text::InviteUser => "Invite a user",
        Text::InviteRoles => "Roles (comma separated)",
        Text::SendInvite => "Send invite",
        Text::InviteSent => "Invitation sent to {email}.",
        Text::ExportJson => "Export JSON",
        Text::ExportCsv => "Export CSV",
        Text::Exporting => "Exporting: page {done} of {total}…",
        Text::ExportDone => "Exported {count} users.",
        Text::Cancel => "Cancel",
        Text::ExportCancelled => "Export cancelled.",
        Text::BackToUsers => "Back to users",
        Text::TitleUserDetail => "User",
        Text::AddRole => "Add role",
        Text::RemoveRole => "Remove role {role}",
        Text::SaveUser => "Save changes",
        Text::UserSaved => "Changes saved.",
        Text::SendResetEmail => "Send reset password email",
        Text::ResetEmailSent => "A reset password email was sent to {email}.",
        Text::ConfirmUser => "Confirm this user",
        Text::UserConfirmed => "The user is confirmed.",
        Text::DeleteUser => "Delete user",
        Text::DeleteConfirm => "Delete {email}? This cannot be undone.",
        Text::DeleteForever => "Delete {email}",
        Text::UserDeleted => "{email} was deleted.",
        Text::TitleSiteUrl => "Development Settings",
        Text::SiteUrlExplanation => "Looks like you're running a local server. Please let us know the URL of your Netlify site.",
        Text::FieldSiteUrl => "Site URL",
        Text::SetSiteUrl => "Set site's URL",
        Text::SiteUrlInvalid => "Enter the site's full address, starting with https://.",
        Text::DevSiteUrl => "Local development against",
        Text::ClearSiteUrl => "Clear localhost URL",
        Text::SettingsFailed => "Failed to load settings from {url}",
        Text::ConfirmationSent => "A confirmation message was sent to your email, click the link there to continue.",
        Text::SignupConfirmed => "Your email address is confirmed and you are logged in.",
        Text::RecoverySent => "We've sent a recovery email to your account, follow the link there to reset your password.",
        Text::EmailChanged => "Your email address has been updated!",
        Text::VerificationFailed => "There was an error verifying your account. Please try again or contact an administrator.",
        Text::SignupDisabled => "Public signups are disabled. Contact an administrator and ask for an invite.",
        Text::ProblemOffline => "You seem to be offline. Check your connection and try again.",
        Text::ProblemTimeout => "The server took too long to answer. Try again in a moment.",
        Text::ProblemInvalidCredentials => "That email and password do not match an account. Check them and try again.",
        Text::ProblemUnknownEmail => "No account uses this email address. Check it, or sign up.",
        Text::ProblemEmailNotConfirmed => "Your email address is not confirmed yet. Follow the link in the confirmation email first.",
        Text::ProblemUserExists => "An account with this email already exists. Log in instead, or reset your password.",
        Text::ProblemSignupDisabled => "Public signups are disabled. Contact an administrator and ask for an invite.",
        Text::ProblemInvalidInput => "The server did not accept these details. Check the email address and use a longer password.",
        Text::ProblemLinkInvalid => "This link is not valid, or it was already used. Request a new one.",
        Text::ProblemLinkExpired => "This link has expired. Request a new one.",
        Text::ProblemSessionEnded => "Your session has ended. Please log in again.",
        Text::ProblemRateLimited => "Too many attempts. Wait a few minutes, then try again.",
        Text::ProblemNotAllowed => "You are not allowed to do this. Log in again, or ask an administrator.",
        Text::ProblemUserNotFound => "This user no longer exists. Reload the list.",
        Text::ProblemServerError => "Something went wrong on the server. Try again in a moment.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_codes_fall_back_to_english_and_placeholders_fill() {
        assert_eq!(Locale::from_code("xx"), Locale::En);
        let text = fill(
            Locale::En.text(Text::SettingsFailed),
            "url",
            "/.netlify/identity",
        );
        assert_eq!(text, "Failed to load settings from /.netlify/identity");
    }

    #[test]
    fn every_problem_has_a_message_that_says_what_to_do() {
        for problem in Problem::ALL {
            let message = Locale::En.text(Text::for_problem(problem));
            assert!(message.ends_with('.'), "{problem:?}: {message}");
        }
    }
}
