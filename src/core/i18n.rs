//! Every string the widget shows, by key. English is compiled in (in the wasm, but for the
//! texts only the `account_security` chunk shows, which come with it); the other locales are JSON
//! tables (`src/locales/<code>.json`, one member per key) that the page loads only when it
//! uses them, built into arrays in key order by the build-time renderer (`src/prerender.rs`,
//! in the order of the `texts!` block below), so the wasm carries no key names. Placeholders
//! are written `{name}`.

use super::json::Value;
use super::problem::Problem;
use std::cell::Cell;

/// Declares the keys with their English text: the enum, its order, names and English table.
/// The keys after `@fetched_with account_security:` are shown only by the `account_security`
/// chunk; in the wasm their English is not compiled in (wasm-split moves functions, not data,
/// so every literal would weigh on the login path) but fetched with the chunk
/// ([`receive_account_security_english`]).
macro_rules! texts {
    (
        $($key:ident => $english:literal,)*
        @fetched_with account_security:
        $($fetched:ident => $fetched_english:literal,)*
    ) => {
        /// A translatable string. Its name is its member in the locale files.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Text {
            $($key,)*
            $($fetched,)*
        }

        impl Text {
            /// Every key, in declaration order (the order of a loaded table).
            pub const ALL: &'static [Text] = &[$(Text::$key,)* $(Text::$fetched,)*];

            /// The keys whose English comes with the `account_security` chunk, in order (the
            /// last keys of [`Text::ALL`]).
            pub const ACCOUNT_SECURITY: &'static [Text] = &[$(Text::$fetched,)*];

            /// The key's member name in the locale files.
            #[cfg(any(test, feature = "prerender"))]
            pub fn name(self) -> &'static str {
                match self {
                    $(Text::$key => stringify!($key),)*
                    $(Text::$fetched => stringify!($fetched),)*
                }
            }

            /// The English text, which a locale falls back to ("" for a fetched key in the
            /// wasm until its chunk has brought it).
            pub fn english(self) -> &'static str {
                ENGLISH
                    .get(self as usize)
                    .copied()
                    .unwrap_or_else(|| fetched_english(self))
            }
        }

        /// The compiled-in English, in key order: a table, where a `match` compiles to code
        /// for each key.
        #[cfg(target_arch = "wasm32")]
        const ENGLISH: &[&str] = &[$($english,)*];
        #[cfg(not(target_arch = "wasm32"))]
        const ENGLISH: &[&str] = &[$($english,)* $($fetched_english,)*];
    };
}

texts! {
    Close => "Close",
    TabSignup => "Sign up",
    TabLogin => "Log in",
    TitleRecoverPassword => "Recover password",
    TitleCompleteSignup => "Complete your signup",
    TitleLoggedIn => "Logged in",
    TitleMessage => "Notice",
    FieldName => "Name",
    FieldEmail => "Email",
    FieldPassword => "Password",
    FieldNewPassword => "New password",
    Choose => "Choose…",
    ConsentDefault => "I agree to the terms and the privacy policy.",
    Terms => "Terms",
    Privacy => "Privacy policy",
    ShowPassword => "Show password",
    HidePassword => "Hide password",
    LogIn => "Log in",
    LoggingIn => "Logging in",
    SignInWithPasskey => "Sign in with a passkey",
    SignUp => "Sign up",
    SigningUp => "Signing up",
    SendRecoveryEmail => "Send recovery email",
    SendingRecoveryEmail => "Sending recovery email",
    UpdatePassword => "Update password",
    UpdatingPassword => "Updating password",
    LogOut => "Log out",
    LoggingOut => "Logging out",
    ForgotPassword => "Forgot password?",
    NeverMind => "Never mind",
    BackToLogin => "Back to log in",
    ContinueWith => "Continue with {provider}",
    OrUseEmail => "or use your email",
    LoggedInAs => "Logged in as",
    Loading => "Loading…",
    VerifyingLink => "Checking your link…",
    TryAgain => "Try again",
    AccountSettings => "Account settings",
    TitleAccount => "Account settings",
    SectionName => "Name",
    SectionEmail => "Email",
    SectionRoles => "Roles",
    FieldNewEmail => "New email",
    Save => "Save",
    Saving => "Saving…",
    NameSaved => "Your name is saved.",
    EmailChangeSent => "We sent a confirmation link to {email}. Follow it to finish the change.",
    EmailChangeSentBoth => "We sent confirmation links to {email} and to your current address. Follow both to finish the change.",
    EmailChangePending => "Waiting for you to confirm {email}.",
    PasswordChanged => "Your password is changed.",
    NoRoles => "No roles",
    Back => "Back",
    ManageUsers => "Manage users",
    TitleUsers => "Users",
    NotAdmin => "Only administrators can manage users. Ask an administrator if you need access.",
    SearchUsers => "Search by email or name",
    Search => "Search",
    SortBy => "Sort",
    SortNewest => "Newest first",
    SortOldest => "Oldest first",
    SortEmail => "Email, A to Z",
    FilteredLocally => "The server cannot search, so every page was searched here.",
    SearchingPages => "The server cannot search, so every page is searched here: page {done} of {total}…",
    SearchCancelled => "Search cancelled after page {done} of {total}: these are the matches found so far.",
    NoUsersFound => "No users found.",
    PageOf => "Page {page} of {pages}",
    PreviousPage => "Previous page",
    NextPage => "Next page",
    UsersTotal => "{count} users",
    ColumnEmail => "Email",
    ColumnName => "Name",
    ColumnRoles => "Roles",
    ColumnState => "State",
    ColumnCreated => "Created",
    ColumnLastSignIn => "Last sign-in",
    StateConfirmed => "Confirmed",
    StateInvited => "Invited",
    StateUnconfirmed => "Not confirmed",
    Never => "Never",
    InviteUser => "Invite a user",
    InviteRoles => "Roles (comma separated)",
    SendInvite => "Send invite",
    InviteSent => "Invitation sent to {email}.",
    ExportJson => "Export JSON",
    ExportCsv => "Export CSV",
    Exporting => "Exporting: page {done} of {total}…",
    ExportDone => "Exported {count} users.",
    Cancel => "Cancel",
    ExportCancelled => "Export cancelled.",
    BackToUsers => "Back to users",
    TitleUserDetail => "User",
    AddRole => "Add role",
    RemoveRole => "Remove role {role}",
    SaveUser => "Save changes",
    UserSaved => "Changes saved.",
    SendResetEmail => "Send reset password email",
    ResetEmailSent => "A reset password email was sent to {email}.",
    ConfirmUser => "Confirm this user",
    UserConfirmed => "The user is confirmed.",
    DeleteUser => "Delete user",
    DeleteConfirm => "Delete {email}? This cannot be undone.",
    DeleteForever => "Delete {email}",
    UserDeleted => "{email} was deleted.",
    TitleSiteUrl => "Development Settings",
    SiteUrlExplanation => "Looks like you're running a local server. Please let us know the URL of your Netlify site.",
    FieldSiteUrl => "Site URL",
    SetSiteUrl => "Set site's URL",
    SiteUrlInvalid => "Enter the site's full address, starting with https://.",
    DevSiteUrl => "Local development against",
    ClearSiteUrl => "Clear localhost URL",
    SettingsFailed => "Failed to load settings from {url}",
    ConfirmationSent => "A confirmation message was sent to your email, click the link there to continue.",
    EmailSignInLink => "Email me a sign-in link",
    TitleSignInLink => "Log in without a password",
    SendSignInLink => "Send sign-in link",
    SendingSignInLink => "Sending sign-in link",
    SignInLinkSent => "We sent a sign-in link and a 6-digit code to {email}. Follow the link, or type the code here.",
    FieldCode => "Code from the email",
    SendNewCode => "Send a new code",
    SignupConfirmed => "Your email address is confirmed and you are logged in.",
    RecoverySent => "We've sent a recovery email to your account, follow the link there to reset your password.",
    EmailChanged => "Your email address has been updated!",
    EmailChangeHalfway => "One of the two links is confirmed. Now follow the link we sent to your other email address to finish the change.",
    VerificationFailed => "There was an error verifying your account. Please try again or contact an administrator.",
    SignupDisabled => "Public signups are disabled. Contact an administrator and ask for an invite.",
    ProblemOffline => "You seem to be offline. Check your connection and try again.",
    ProblemTimeout => "The server took too long to answer. Try again in a moment.",
    ProblemInvalidCredentials => "That email and password do not match an account. Check them and try again.",
    ProblemUnknownEmail => "No account uses this email address. Check it, or sign up.",
    ProblemEmailNotConfirmed => "Your email address is not confirmed yet. Follow the link in the confirmation email first.",
    ProblemUserExists => "An account with this email already exists. Log in instead, or reset your password.",
    ProblemSignupDisabled => "Public signups are disabled. Contact an administrator and ask for an invite.",
    ProblemInvalidInput => "The server did not accept these details. Check the email address and use a longer password.",
    ImportUsers => "Import users",
    ImportHint => "From a file an export wrote, or Netlify Identity's users table as JSON, NDJSON or CSV. Users who are here already are skipped, so running it again is safe.",
    ImportFile => "File (JSON, NDJSON or CSV)",
    ImportSendLinks => "Email each new user who has no password here a link to set one",
    ImportReady => "{count} users to import.",
    ImportKeepPasswords => "{kept} of them keep their password and id: no email goes to them.",
    ImportRowNoEmail => "Row {row} has no email address: it is left out.",
    ImportRowNotAUser => "Row {row} is not a user: it is left out.",
    ImportStart => "Start the import",
    Importing => "Importing: {done} of {total}",
    ImportWaiting => "The server's mail limit was reached: trying again in {seconds} s.",
    ImportDone => "Created {created}, skipped {skipped} (already here), failed {failed}.",
    ImportCancelled => "Import stopped. Running it again picks up where it stopped.",
    DownloadReport => "Download the report",
    ImportNotUsers => "This file is not a list of users. Choose the file an export wrote, or the users table as JSON, NDJSON (a user per line) or CSV with a header row.",
    ImportEmpty => "This file has no users in it.",
    ImportRowBadId => "Row {row} ({email}): its id is not a UUID, so it is left out.",
    ImportRowUnknownHash => "Row {row} ({email}): its password hash is neither bcrypt nor argon2, so it is left out.",
    ImportBadId => "id is not a UUID",
    ImportUnknownHash => "password hash is neither bcrypt nor argon2",
    ImportAddressTaken => "this address is here under another id",
    ImportIdTaken => "this id belongs to another user here",
    ImportAlreadyHere => "already here",
    ImportNoEmail => "no email address",
    ImportNotAUser => "not a user",
    Auth0Hint => "Moving to Auth0 instead? These files follow the user schema of its bulk import, at most 500 KB each, with ids, roles and passwords; the README says how to start the import job.",
    Auth0Files => "Files for Auth0's bulk import",
    Auth0File => "Download {name} ({count} users)",
    Auth0TooLarge => "Row {row} ({email}) is over 500 KB on its own: it is left out of Auth0's files.",
    TitleSecondStep => "Two-step sign-in",
    SecondStepExplanation => "Type the 6-digit code your authenticator app shows for this site.",
    FieldAppCode => "Code from the app",
    VerifyCode => "Verify",
    VerifyingCode => "Verifying",
    ProblemWeakPassword => "This password is too easy to guess. Choose a longer one, mixing letters, numbers and symbols.",
    ProblemSamePassword => "That is your current password. Choose a different one.",
    ProblemLinkInvalid => "This link is not valid, or it was already used. Request a new one.",
    ProblemLinkOtherBrowser => "Open this link in the browser where you asked for it, or request a new one here.",
    ProblemCodeRefused => "That code is wrong or has expired. Check it, or send a new one.",
    ProblemLinkExpired => "This link has expired. Request a new one.",
    ProblemSessionEnded => "Your session has ended. Please log in again.",
    ProblemRateLimited => "Too many attempts. Wait a few minutes, then try again.",
    ProblemNotAllowed => "You are not allowed to do this. Log in again, or ask an administrator.",
    ProblemServerError => "Something went wrong on the server. Try again in a moment.",
    ProblemUserNotFound => "This user no longer exists. Reload the list.",
    ProblemAdminFunctionMissing => "User management needs the identity-admin function on this site: copy it into netlify/functions/ and deploy again.",
    ProblemPasskeyCancelled => "No passkey was used. Try again, or log in with your email and password.",
    ProblemPasskeyExists => "This device already has a passkey for your account.",
    ProblemPasskeyUnavailable => "Passkeys cannot be used on this site in this browser. Log in with your email and password.",
    ProblemPasskeyRefused => "This passkey was not accepted; it may have been removed from your account. Try again, or log in with your email and password.",
    ProblemTooManyPasskeys => "Your account has as many passkeys as it can. Remove one to add another.",
    ProblemAppCodeWrong => "That code is not right, or it has expired. Type the code your authenticator app shows now.",
    ProblemAppCodeTooMany => "Too many codes were tried. Wait a minute, then type the code your authenticator app shows.",
    ProblemSecondStepNeeded => "Confirm it is you with a code from your authenticator app first.",
    ProblemAppAlreadySetUp => "An authenticator app is already set up for your account.",
    @fetched_with account_security:
    ProblemPasskeyNameInvalid => "Give the passkey a name of 1 to 120 characters.",
    SectionPasskeys => "Passkeys",
    PasskeysExplanation => "Log in with your fingerprint, face or screen lock instead of a password.",
    NoPasskeys => "No passkeys yet.",
    PasskeyUsed => "Added {date}, last used {used}",
    PasskeyUnused => "Added {date}, not used yet",
    AddPasskey => "Add a passkey",
    AddingPasskey => "Adding a passkey…",
    PasskeyAdded => "Passkey added.",
    Rename => "Rename",
    FieldPasskeyName => "Passkey name",
    PasskeyRenamed => "Passkey renamed.",
    Remove => "Remove",
    RemovePasskeyConfirm => "Remove the passkey “{name}”? It will no longer log you in.",
    PasskeyRemoved => "Passkey removed.",
    AppIsOn => "On since {date}: logins ask for a code from your authenticator app.",
    AppIsOff => "Off. Turn it on to have logins ask for a code from an authenticator app on your phone as well.",
    SetUpApp => "Set up an authenticator app",
    AppScan => "Scan this QR code with your authenticator app, or type the key into it. Then enter the 6-digit code the app shows.",
    QrCodeAlt => "QR code for your authenticator app",
    AppKey => "Key",
    TurnOn => "Turn on",
    AppTurnedOn => "Two-step sign-in is on.",
    TurnOff => "Turn off",
    TurnOffConfirm => "Turn off two-step sign-in? Logins will no longer ask for a code.",
    AppTurnedOff => "Two-step sign-in is off.",
}

/// The locales the widget ships: the old widget's 16 codes, then the ones added since.
pub const CODES: [&str; 21] = [
    "en", "fr", "es", "hu", "pt", "pl", "cs", "sk", "ru", "de", "it", "ar", "zhCN", "nl", "sv",
    "sw", "ja", "ko", "uk", "tr", "hi",
];

/// A locale: its code and, for all but English, its loaded table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Locale {
    code: Option<&'static str>,
    table: Option<&'static [&'static str]>,
}

impl Locale {
    /// English, compiled in.
    pub fn english() -> Locale {
        Locale::default()
    }

    /// A locale from its built table (a JSON array of strings in key order); keys it lacks
    /// fall back to English. `None` if `code` is not shipped or the text is not an array.
    pub fn from_table(code: &str, json: &str) -> Option<Locale> {
        Locale::from_value(code, &Value::parse(json).ok()?)
    }

    /// As [`Locale::from_table`], from the parsed table.
    pub fn from_value(code: &str, table: &Value) -> Option<Locale> {
        let code = CODES.iter().copied().find(|c| *c == code)?;
        let Value::Array(items) = table else {
            return None;
        };
        // Loaded once per locale and kept for the page's life, so the strings can be 'static.
        let strings: Vec<&'static str> = Text::ALL
            .iter()
            .enumerate()
            .map(
                |(index, key)| match items.get(index).and_then(Value::as_str) {
                    Some(text) if !text.is_empty() => {
                        &*Box::leak(text.to_string().into_boxed_str())
                    }
                    _ => key.english(),
                },
            )
            .collect();
        Some(Locale {
            code: Some(code),
            table: Some(Box::leak(strings.into_boxed_slice())),
        })
    }

    pub fn code(self) -> &'static str {
        self.code.unwrap_or("en")
    }

    /// Whether the script runs right to left (the `dir` of the dialog).
    pub fn is_rtl(self) -> bool {
        self.code() == "ar"
    }

    /// The `lang` attribute: BCP 47 (`zhCN` is `zh-CN`).
    pub fn lang(self) -> &'static str {
        match self.code() {
            "zhCN" => "zh-CN",
            code => code,
        }
    }

    pub fn text(self, key: Text) -> &'static str {
        self.table
            .and_then(|table| table.get(key as usize).copied())
            .unwrap_or_else(|| key.english())
    }
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
            Problem::WeakPassword => Text::ProblemWeakPassword,
            Problem::SamePassword => Text::ProblemSamePassword,
            Problem::LinkInvalid => Text::ProblemLinkInvalid,
            Problem::CodeRefused => Text::ProblemCodeRefused,
            Problem::LinkOtherBrowser => Text::ProblemLinkOtherBrowser,
            Problem::LinkExpired => Text::ProblemLinkExpired,
            Problem::SessionEnded => Text::ProblemSessionEnded,
            Problem::RateLimited => Text::ProblemRateLimited,
            Problem::NotAllowed => Text::ProblemNotAllowed,
            Problem::ServerError => Text::ProblemServerError,
            Problem::InvalidSiteUrl => Text::SiteUrlInvalid,
            Problem::UserNotFound => Text::ProblemUserNotFound,
            Problem::AdminFunctionMissing => Text::ProblemAdminFunctionMissing,
            Problem::PasskeyCancelled => Text::ProblemPasskeyCancelled,
            Problem::PasskeyExists => Text::ProblemPasskeyExists,
            Problem::PasskeyUnavailable => Text::ProblemPasskeyUnavailable,
            Problem::PasskeyRefused => Text::ProblemPasskeyRefused,
            Problem::TooManyPasskeys => Text::ProblemTooManyPasskeys,
            Problem::AppCodeWrong => Text::ProblemAppCodeWrong,
            Problem::AppCodeTooMany => Text::ProblemAppCodeTooMany,
            Problem::SecondStepNeeded => Text::ProblemSecondStepNeeded,
            Problem::AppAlreadySetUp => Text::ProblemAppAlreadySetUp,
            Problem::PasskeyNameInvalid => Text::ProblemPasskeyNameInvalid,
        }
    }
}

thread_local! {
    /// The English of [`Text::ACCOUNT_SECURITY`], in its order, once its chunk brought it.
    static ACCOUNT_SECURITY_ENGLISH: Cell<&'static [&'static str]> = const { Cell::new(&[]) };
}

/// Keeps the English of [`Text::ACCOUNT_SECURITY`] that came with its chunk
/// (`build/netlify-identity-widget-account_security.txt`): one line per key, in key order (no
/// English text has a line break). `false`, and nothing kept, if the count is not right.
pub fn receive_account_security_english(lines: String) -> bool {
    // Once per page (the chunk loads once), so the strings can be 'static.
    let lines: &'static str = Box::leak(lines.into_boxed_str());
    let texts: Vec<&'static str> = lines.split('\n').collect();
    let whole = texts.len() == Text::ACCOUNT_SECURITY.len();
    if whole {
        ACCOUNT_SECURITY_ENGLISH.set(Box::leak(texts.into_boxed_slice()));
    }
    whole
}

/// The received English of a key of [`Text::ACCOUNT_SECURITY`] ("" before it came).
fn fetched_english(key: Text) -> &'static str {
    let first = Text::ALL.len() - Text::ACCOUNT_SECURITY.len();
    let received = ACCOUNT_SECURITY_ENGLISH.get();
    (key as usize)
        .checked_sub(first)
        .and_then(|index| received.get(index).copied())
        .unwrap_or("")
}

/// Replaces `{name}` in a translated string.
pub fn fill(template: &str, name: &str, value: &str) -> String {
    template.replace(&format!("{{{name}}}"), value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_loaded_table_falls_back_to_english_key_by_key() {
        let locale = Locale::from_table("fr", r#"["", "S'inscrire", 3]"#).unwrap();
        assert_eq!(locale.text(Text::TabSignup), "S'inscrire");
        assert_eq!(locale.text(Text::Close), "Close", "empty");
        assert_eq!(locale.text(Text::TabLogin), "Log in", "not a string");
        assert_eq!(locale.text(Text::LogIn), "Log in", "past the end");
        assert_eq!(locale.code(), "fr");
        assert_eq!(Locale::from_table("xx", "[]"), None);
        assert_eq!(Locale::from_table("fr", "{}"), None);
        assert!(Locale::from_table("ar", "[]").unwrap().is_rtl());
        assert_eq!(Locale::from_table("zhCN", "[]").unwrap().lang(), "zh-CN");
        let text = fill(
            Locale::english().text(Text::SettingsFailed),
            "url",
            "/.netlify/identity",
        );
        assert_eq!(text, "Failed to load settings from /.netlify/identity");
    }

    #[test]
    fn the_account_security_english_is_taken_only_whole() {
        assert_eq!(fetched_english(Text::AppTurnedOff), "", "not received yet");
        assert!(
            !receive_account_security_english("Passkeys".into()),
            "too short"
        );
        let english: Vec<&str> = Text::ACCOUNT_SECURITY.iter().map(|k| k.english()).collect();
        assert!(english.iter().all(|text| !text.contains('\n')));
        assert!(receive_account_security_english(english.join("\n")));
        assert_eq!(
            fetched_english(Text::AppTurnedOff),
            "Two-step sign-in is off."
        );
        assert_eq!(fetched_english(Text::SectionPasskeys), "Passkeys");
        assert_eq!(fetched_english(Text::Close), "", "compiled in, not fetched");
    }

    /// A fetched key shown anywhere but the `account_security` chunk would be "" in English
    /// there: only its two files name them.
    #[test]
    fn fetched_texts_are_shown_only_by_their_chunk() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
        let mut files = vec![std::path::PathBuf::from(root)];
        let mut sources = Vec::new();
        while let Some(path) = files.pop() {
            if path.is_dir() {
                let entries = std::fs::read_dir(&path).unwrap();
                files.extend(entries.map(|entry| entry.unwrap().path()));
            } else if path.extension().is_some_and(|e| e == "rs") {
                sources.push((path.clone(), std::fs::read_to_string(&path).unwrap()));
            }
        }
        let chunk_files = [
            "ui/account_security.rs",
            "widget/account_security.rs",
            "core/i18n.rs",
        ];
        for (path, source) in &sources {
            if chunk_files.iter().any(|file| path.ends_with(file)) {
                continue;
            }
            for key in Text::ACCOUNT_SECURITY {
                let name = format!("Text::{}", key.name());
                let named = source.match_indices(&name).any(|(at, _)| {
                    let next = source.get(at + name.len()..).and_then(|s| s.chars().next());
                    !next.is_some_and(|c| c.is_alphanumeric() || c == '_')
                });
                assert!(!named, "{}: {name}", path.display());
            }
        }
        let problem = format!("Problem::{}", "PasskeyNameInvalid");
        for (path, source) in &sources {
            let allowed = [
                "widget/account_security.rs",
                "core/i18n.rs",
                "core/problem.rs",
            ];
            if source.contains(&problem) {
                assert!(
                    allowed.iter().any(|f| path.ends_with(f)),
                    "{}",
                    path.display()
                );
            }
        }
    }

    #[test]
    fn every_problem_has_a_message_that_says_what_to_do() {
        for problem in Problem::ALL {
            let message = Locale::english().text(Text::for_problem(problem));
            assert!(message.ends_with('.'), "{problem:?}: {message}");
        }
    }

    fn placeholders(text: &str) -> Vec<&str> {
        let mut found: Vec<&str> = text
            .split('{')
            .skip(1)
            .filter_map(|part| part.split_once('}').map(|(name, _)| name))
            .collect();
        found.sort_unstable();
        found
    }

    /// Every shipped locale has every key, non-empty, with English's placeholders, and no
    /// key that does not exist.
    #[test]
    fn every_locale_is_complete() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/locales");
        for code in CODES.iter().filter(|c| **c != "en") {
            let path = format!("{dir}/{code}.json");
            let json = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
            let table =
                Value::parse(&json).unwrap_or_else(|e| panic!("{path}: not JSON at {}", e.offset));
            let Value::Object(members) = &table else {
                panic!("{path}: not an object")
            };
            for key in Text::ALL {
                let text = table.str_of(key.name()).unwrap_or_default();
                assert!(!text.trim().is_empty(), "{code}: {} is missing", key.name());
                assert_eq!(
                    placeholders(text),
                    placeholders(key.english()),
                    "{code}: {} placeholders",
                    key.name()
                );
            }
            for (name, _) in members {
                assert!(
                    Text::ALL.iter().any(|k| k.name() == name),
                    "{code}: unknown key {name}"
                );
            }
        }
    }
}
