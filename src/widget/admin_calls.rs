//! The page's `user.admin.*` calls. They run in the management chunk (`ui::manage`), beside
//! the views that send the same requests: a page that never calls them does not download them.

use super::chunk::ChunkFailure;
use super::Widget;
use crate::core::admin::{Sort, UserRow};
use crate::core::admin_call::AdminCall;
use crate::core::admin_export;
use crate::core::admin_import::{self, FileProblem, ImportPlan};
use crate::core::json::Value;
use crate::core::problem::Problem;
use crate::widget::admin_import::ImportProgress;
use leptos::prelude::*;
use leptos::wasm_split::{wasm_split, SplitLoaderError};
use std::future::Future;
use std::pin::Pin;
use wasm_bindgen::{JsCast, JsValue};

/// Why a page's admin call failed.
pub enum AdminFailure {
    /// An unknown method, or arguments missing or of the wrong type.
    BadArguments,
    /// The server refused it or could not be reached.
    Problem(Problem),
    /// The chunk that runs it did not load.
    Chunk(ChunkFailure),
}

impl AdminFailure {
    /// What the page's promise rejects with: a translated problem, or the wrong arguments named.
    fn into_js(self, widget: Widget, method: &str) -> JsValue {
        match self {
            AdminFailure::Problem(problem) => widget.js_error(problem),
            AdminFailure::Chunk(failure) => failure.js_error(widget),
            AdminFailure::BadArguments => {
                js_sys::Error::new(&format!("admin.{method}: missing or wrong arguments")).into()
            }
        }
    }
}

impl From<Problem> for AdminFailure {
    fn from(problem: Problem) -> Self {
        AdminFailure::Problem(problem)
    }
}

impl From<SplitLoaderError> for AdminFailure {
    fn from(error: SplitLoaderError) -> Self {
        AdminFailure::Chunk(error.into())
    }
}

type Outcome = Pin<Box<dyn Future<Output = Result<String, JsValue>>>>;
type Runner = fn(Widget, String, js_sys::Array) -> Outcome;

/// The split point: what only this reaches goes into the chunk (the making of errors too).
#[wasm_split(manage, wasm_split_path = ::leptos::wasm_split, fallible)]
fn admin_runner() -> Result<Runner, ChunkFailure> {
    Ok(start_call)
}

/// Runs `user.admin.<method>(…args)`, loading the chunk first if needed (`isAdmin()` is
/// answered from the session, without it). Rejects with what the page's promise rejects with.
pub async fn run(widget: Widget, method: String, args: js_sys::Array) -> Result<String, JsValue> {
    if method == "isAdmin" {
        return Ok(widget.is_admin().to_string());
    }
    let runner = admin_runner()
        .await
        .map_err(|failure| failure.js_error(widget))?;
    runner(widget, method, args).await
}

fn start_call(widget: Widget, method: String, args: js_sys::Array) -> Outcome {
    // The arguments as data (functions drop out), and an options object's `onProgress`.
    let json = js_sys::JSON::stringify(&args)
        .ok()
        .and_then(|s| s.as_string());
    let on_progress = js_sys::Reflect::get(&args.get(1), &"onProgress".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    let call = AdminCall::parse(
        &method,
        &Value::parse(&json.unwrap_or_default()).unwrap_or(Value::Null),
    );
    Box::pin(async move {
        let outcome = match call {
            Some(call) => run_call(widget, call, on_progress).await,
            None => Err(AdminFailure::BadArguments),
        };
        outcome.map_err(|failure| failure.into_js(widget, &method))
    })
}

type ImportOutcome = Pin<Box<dyn Future<Output = Result<String, AdminFailure>>>>;
type ImportRunner = fn(Widget, Value, bool, Option<js_sys::Function>) -> ImportOutcome;

/// The split point of the import (the `import` chunk, with its section: `ui::import`).
#[wasm_split(import, wasm_split_path = ::leptos::wasm_split, fallible)]
fn import_runner() -> Result<ImportRunner, AdminFailure> {
    Ok(|widget, records, send_links, on_progress| {
        Box::pin(async move { import(widget, &records, send_links, on_progress).await })
    })
}

/// `importUsers(records, {sendLinks, onProgress})`: resolves to the report as JSON; rows that
/// are not users are in it, a `records` that is not a list is a wrong argument.
async fn import(
    widget: Widget,
    records: &Value,
    send_links: bool,
    on_progress: Option<js_sys::Function>,
) -> Result<String, AdminFailure> {
    let plan = match admin_import::plan_records(records) {
        Ok(plan) => plan,
        Err(FileProblem::Empty) => ImportPlan::default(),
        Err(_) => return Err(AdminFailure::BadArguments),
    };
    let progress = move |at: ImportProgress| {
        let Some(callback) = &on_progress else {
            return;
        };
        let mut members = vec![
            ("done".into(), Value::number(at.done as i64)),
            ("total".into(), Value::number(at.total as i64)),
        ];
        if let Some(seconds) = at.waiting_s {
            members.push(("waitingSeconds".into(), Value::number(i64::from(seconds))));
        }
        if let Ok(object) = js_sys::JSON::parse(&Value::Object(members).to_json()) {
            // The page's callback may throw: its problem, not the import's.
            let _ = callback.call1(&wasm_bindgen::JsValue::NULL, &object);
        }
    };
    let report = widget
        .import_users(&plan, send_links, progress, || false)
        .await;
    Ok(report.to_json(|outcome| {
        outcome
            .reason()
            .map(|text| widget.text(text).to_string())
            .unwrap_or_default()
    }))
}

async fn run_call(
    widget: Widget,
    call: AdminCall,
    on_progress: Option<js_sys::Function>,
) -> Result<String, AdminFailure> {
    Ok(match call {
        AdminCall::List(query) => {
            let loaded = widget.list_users(&query).await?;
            Value::Object(vec![
                ("users".into(), Value::Array(loaded.users)),
                ("total".into(), Value::number(i64::from(loaded.total))),
                (
                    "filtered_locally".into(),
                    Value::Bool(loaded.filtered_locally),
                ),
            ])
            .to_json()
        }
        AdminCall::Get(id) => widget.get_user_by_id(&id).await?.to_json(),
        AdminCall::Update(id, attributes) => {
            widget.update_user_by_id(&id, &attributes).await?.to_json()
        }
        AdminCall::Create(attributes) => widget.create_user(&attributes).await?.to_json(),
        AdminCall::Delete(id) => widget.delete_user(&id).await.map(|()| "{}".to_string())?,
        AdminCall::Invite(email, data) => widget.invite(&email, data).await?.to_json(),
        AdminCall::SendRecovery(email) => widget
            .send_recovery(&email)
            .await
            .map(|()| "{}".to_string())?,
        AdminCall::Import {
            records,
            send_links,
        } => import_runner().await?(widget, records, send_links, on_progress).await?,
        AdminCall::Export { csv } => {
            let (progress, cancelled) = (RwSignal::new(None), RwSignal::new(false));
            let keep = |user: Value| Some(UserRow::from_user(&user));
            let (rows, _) = widget
                .all_users(Sort::default(), progress, cancelled, keep)
                .await?;
            if csv {
                Value::string(admin_export::export_csv(&rows)).to_json()
            } else {
                admin_export::export_json(&rows)
            }
        }
    })
}
