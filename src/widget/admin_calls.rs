//! The page's `user.admin.*` calls. They run in the management chunk (`ui::manage`), beside
//! the views that send the same requests: a page that never calls them does not download them.

use super::Widget;
use crate::core::admin_call::AdminCall;
use crate::core::admin_export;
use crate::core::json::Value;
use crate::core::problem::Problem;
use leptos::prelude::*;
use leptos::wasm_split::{wasm_split, SplitLoaderError};
use std::future::Future;
use std::pin::Pin;

/// Why a page's admin call failed.
pub enum AdminFailure {
    /// An unknown method, or arguments missing or of the wrong type.
    BadArguments,
    /// The server refused it or could not be reached (also: the chunk did not load).
    Problem(Problem),
}

impl From<SplitLoaderError> for AdminFailure {
    fn from(_: SplitLoaderError) -> Self {
        AdminFailure::Problem(Problem::Offline)
    }
}

type Outcome = Pin<Box<dyn Future<Output = Result<String, AdminFailure>>>>;
type Runner = fn(Widget, &str, Value) -> Outcome;

/// The split point: what only this reaches goes into the chunk.
#[wasm_split(manage, wasm_split_path = ::leptos::wasm_split, fallible)]
fn admin_runner() -> Result<Runner, AdminFailure> {
    Ok(start_call)
}

/// Runs `user.admin.<method>(…args)`, loading the chunk first if needed (`isAdmin()` is
/// answered from the session, without it).
pub async fn run(widget: Widget, method: &str, args: Value) -> Result<String, AdminFailure> {
    if method == "isAdmin" {
        return Ok(widget.is_admin().to_string());
    }
    let runner = admin_runner().await?;
    runner(widget, method, args).await
}

fn start_call(widget: Widget, method: &str, args: Value) -> Outcome {
    let call = AdminCall::parse(method, &args);
    Box::pin(async move {
        let call = call.ok_or(AdminFailure::BadArguments)?;
        run_call(widget, call).await.map_err(AdminFailure::Problem)
    })
}

async fn run_call(widget: Widget, call: AdminCall) -> Result<String, Problem> {
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
        AdminCall::Export { csv } => {
            let (progress, cancelled) = (RwSignal::new(None), RwSignal::new(false));
            let rows = widget
                .all_users(progress, cancelled)
                .await?
                .unwrap_or_default();
            if csv {
                Value::string(admin_export::export_csv(&rows)).to_json()
            } else {
                admin_export::export_json(&rows)
            }
        }
    })
}
