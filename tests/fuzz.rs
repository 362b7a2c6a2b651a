//! Property-based fuzzing of every parser that reads data from outside the widget: the URL
//! fragment, stored sessions, JWTs, server bodies and statuses, page options, gotrue-js client
//! calls, import files (JSON, NDJSON, CSV). Each must answer (never panic) and keep its contract on arbitrary and on
//! near-valid input. `cargo test` runs a few hundred cases per target; `scripts/fuzz.sh` runs
//! them for a fixed budget (`PROPTEST_CASES`).

// Test code: here a panic is a finding, reported as one.
#![allow(clippy::indexing_slicing, clippy::unwrap_used)]

use gotrue_widget::core::admin::{self, UserRow};
use gotrue_widget::core::admin_export;
use gotrue_widget::core::admin_import;
use gotrue_widget::core::api::{self, Operation};
use gotrue_widget::core::client::ClientCall;
use gotrue_widget::core::fragment::{percent_decode, percent_encode, LinkAction};
use gotrue_widget::core::json::Value;
use gotrue_widget::core::jwt;
use gotrue_widget::core::options::Options;
use gotrue_widget::core::problem::{self, Problem};
use gotrue_widget::core::session::Session;
use proptest::prelude::*;

/// Any JSON value, a few levels deep, with awkward strings and numbers.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| Value::Number(n.to_string())),
        any::<f64>()
            .prop_filter("JSON has no NaN or infinity", |f| f.is_finite())
            .prop_map(|f| Value::Number(format!("{f:e}"))),
        any::<String>().prop_map(Value::String),
        "[<>\"'&\\\\/\u{0}-\u{1f}\u{2028}\u{fffd}a-z]{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((field_name(), inner), 0..6).prop_map(|members| {
                // Repeated names are read as JSON.parse reads them (the last wins); a
                // generated object has each once so that it round-trips.
                let mut object = Value::Object(Vec::new());
                for (name, value) in members {
                    object.set(&name, value);
                }
                object
            }),
        ]
    })
}

/// Member names the widget reads, and others.
fn field_name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "token",
            "access_token",
            "refresh_token",
            "expires_in",
            "expires_at",
            "token_type",
            "url",
            "id",
            "email",
            "user_metadata",
            "app_metadata",
            "full_name",
            "roles",
            "audience",
            "exp",
            "error",
            "error_description",
            "msg",
            "code",
            "external",
            "disable_signup",
            "autoconfirm",
            "signupFields",
            "consent",
            "theme",
            "locale",
        ])
        .prop_map(str::to_string),
        any::<String>(),
    ]
}

/// A URL fragment: known and unknown keys, odd values, repeats, broken escapes.
fn fragment() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        prop::sample::select(vec![
            "confirmation_token",
            "recovery_token",
            "invite_token",
            "email_change_token",
            "access_token",
            "refresh_token",
            "expires_in",
            "token_type",
            "error",
            "error_description",
            "state",
        ])
        .prop_map(str::to_string),
        "[a-z_]{0,12}",
    ];
    let value = prop_oneof![
        any::<String>(),
        "(%[0-9a-fA-F+-]{0,2}|[a-zA-Z0-9+/=._~&#-]){0,40}"
    ];
    (any::<bool>(), prop::collection::vec((key, value), 0..8)).prop_map(|(slash, pairs)| {
        let body: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
        format!("#{}{}", if slash { "/" } else { "" }, body.join("&"))
    })
}

fn operation() -> impl Strategy<Value = Operation> {
    prop::sample::select(vec![
        Operation::Settings,
        Operation::Signup,
        Operation::Login,
        Operation::Refresh,
        Operation::Recover,
        Operation::Verify,
        Operation::GetUser,
        Operation::UpdateUser,
        Operation::Logout,
        Operation::Admin,
    ])
}

/// base64url without padding, as JWTs carry it.
fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().fold(0u32, |n, b| (n << 8) | u32::from(*b)) << (8 * (3 - chunk.len()));
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
        }
    }
    out
}

proptest! {
    #[test]
    fn json_round_trips_and_garbage_is_refused_cleanly(value in json_value(), garbage in any::<String>()) {
        prop_assert_eq!(Value::parse(&value.to_json()), Ok(value));
        if let Ok(parsed) = Value::parse(&garbage) {
            prop_assert_eq!(Value::parse(&parsed.to_json()), Ok(parsed));
        }
    }

    #[test]
    fn fragments_give_the_first_link_they_name(hash in fragment()) {
        let action = LinkAction::from_fragment(&hash);
        let params: Vec<(String, String)> = hash
            .trim_start_matches('#')
            .trim_start_matches('/')
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .map(|(k, v)| (percent_decode(k), percent_decode(v)))
            .collect();
        let first = |name: &str| params.iter().find(|(k, v)| k == name && !v.is_empty()).map(|(_, v)| v.clone());
        match first("confirmation_token") {
            Some(token) => prop_assert_eq!(action, Some(LinkAction::Confirm { token })),
            None => match first("recovery_token") {
                Some(token) => prop_assert_eq!(action, Some(LinkAction::Recover { token })),
                None => if let Some(token) = first("invite_token") {
                    prop_assert_eq!(action, Some(LinkAction::Invite { token }));
                },
            },
        }
    }

    #[test]
    fn any_fragment_text_is_answered(hash in any::<String>()) {
        let _ = LinkAction::from_fragment(&hash);
    }

    #[test]
    fn percent_encoding_round_trips(text in any::<String>()) {
        prop_assert_eq!(percent_decode(&percent_encode(&text)), text);
    }

    #[test]
    fn stored_sessions_restore_to_themselves_or_to_nothing(record in json_value(), text in any::<String>()) {
        for stored in [record.to_json(), text] {
            if let Some(session) = Session::restore(&stored) {
                prop_assert_eq!(Session::restore(&session.to_stored()), Some(session.clone()));
                let _ = (session.needs_refresh(0), session.needs_refresh(i64::MAX), session.expires_at_ms());
                let _ = (session.display_name(), session.email(), session.user_id(), session.refresh_token());
            }
        }
    }

    #[test]
    fn sessions_from_near_valid_records(token in json_value(), user in json_value(), url in any::<String>()) {
        let mut record = Value::Object(vec![("token".into(), token), ("url".into(), Value::string(url))]);
        if let Value::Object(fields) = user {
            for (key, value) in fields {
                record.set(&key, value);
            }
        }
        if let Some(session) = Session::restore(&record.to_json()) {
            prop_assert_eq!(Session::restore(&session.to_stored()), Some(session));
        }
    }

    #[test]
    fn jwts_give_their_exp_or_nothing(claims in json_value(), header in any::<String>(), noise in any::<String>()) {
        let token = format!("{}.{}.sig", base64url(header.as_bytes()), base64url(claims.to_json().as_bytes()));
        let exp = claims.get("exp").and_then(Value::as_i64).and_then(|s| s.checked_mul(1000));
        prop_assert_eq!(jwt::expires_at_ms(&token), exp);
        prop_assert_eq!(jwt::payload(&token), Some(claims));
        let _ = jwt::payload(&noise);
    }

    #[test]
    fn server_answers_map_to_a_problem(op in operation(), status in any::<u16>(), body in prop_oneof![any::<String>(), json_value().prop_map(|v| v.to_json())]) {
        let problem = Problem::from_response(op, status, &body);
        prop_assert!(Problem::ALL.contains(&problem));
        if let Err(problem) = problem::parse_success(&body) {
            prop_assert!(Problem::ALL.contains(&problem));
        }
    }

    #[test]
    fn page_options_and_client_calls_are_read_without_panic(options in json_value(), method in any::<String>(), args in json_value()) {
        let _ = Options::from_json(&options, &options);
        let _ = api::Settings::from_json(&options);
        let _ = ClientCall::parse(&method, &args);
        // Users from an admin list, as the screens and the exports read them.
        let rows: Vec<UserRow> = admin::users_of(&args).iter().chain([&options]).map(UserRow::from_user).collect();
        let csv = admin_export::export_csv(&rows);
        prop_assert!(csv.matches("\r\n").count() > rows.len(), "a header and a line per user");
        prop_assert!(Value::parse(&admin_export::export_json(&rows)).is_ok());
        for known in ["signup", "login", "confirm", "recover", "requestPasswordRecovery", "acceptInvite", "verify", "createUser", "settings"] {
            let _ = ClientCall::parse(known, &args);
        }
    }

    #[test]
    fn import_files_plan_or_are_refused(records in proptest::collection::vec(json_value(), 0..6), garbage in any::<String>(), cells in proptest::collection::vec(any::<String>(), 0..8)) {
        // Every row is either a user to create or left out, in its place.
        let list = Value::Array(records.clone());
        if let Ok(plan) = admin_import::plan(&list.to_json()) {
            prop_assert_eq!(plan.users.len() + plan.left_out.len(), records.len());
        }
        let lines: Vec<String> = records.iter().map(Value::to_json).collect();
        let _ = admin_import::plan(&lines.join("\n"));
        let _ = admin_import::plan(&garbage);
        // CSV with an email column and arbitrary cells, quoted as a database tool would.
        let quoted: Vec<String> = cells.iter().map(|c| format!("\"{}\"", c.replace('"', "\"\""))).collect();
        let csv = format!("email,raw_user_meta_data\n{}", quoted.chunks(2).map(|row| row.join(",")).collect::<Vec<_>>().join("\n"));
        if let Ok(plan) = admin_import::plan(&csv) {
            prop_assert!(plan.users.len() + plan.left_out.len() <= cells.len().div_ceil(2));
        }
    }
}

#[test]
fn a_repeated_member_reads_as_json_parse_reads_it() {
    let value = Value::parse(r#"{"exp":1,"a":true,"exp":2}"#).unwrap();
    assert_eq!(value.get("exp").and_then(Value::as_i64), Some(2));
    assert_eq!(value.to_json(), r#"{"exp":2,"a":true}"#);
}

#[test]
fn huge_and_deep_inputs_are_refused_without_overflow() {
    let megabyte = format!("#recovery_token={}", "a".repeat(1 << 20));
    assert!(
        matches!(LinkAction::from_fragment(&megabyte), Some(LinkAction::Recover { token }) if token.len() == 1 << 20)
    );
    let repeated = "confirmation_token=&".repeat(50_000) + "confirmation_token=t";
    assert_eq!(
        LinkAction::from_fragment(&repeated),
        Some(LinkAction::Confirm { token: "t".into() })
    );
    let deep = "[".repeat(100_000) + &"]".repeat(100_000);
    assert!(
        Value::parse(&deep).is_err(),
        "nesting past the limit is refused"
    );
    assert_eq!(Session::restore(&deep), None);
    // Many members: read in one pass (each repeat once cost a scan of all before it).
    let wide: Vec<String> = (0..200_000).map(|i| format!(r#""k{i}":{i}"#)).collect();
    let wide = Value::parse(&format!("{{{},\"k7\":\"last\"}}", wide.join(","))).unwrap();
    assert_eq!(wide.get("k7").and_then(Value::as_str), Some("last"));
    assert_eq!(wide.get("k199999").and_then(Value::as_i64), Some(199_999));
    let huge_number = "9".repeat(100_000);
    assert!(Value::parse(&huge_number).is_ok_and(|v| v.as_i64().is_none()));
    assert_eq!(
        Problem::from_response(Operation::Login, 500, &deep),
        Problem::from_response(Operation::Login, 500, "")
    );
}
