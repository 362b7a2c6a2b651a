//! User management's "Import users": the file an export wrote on the old site, or its `users`
//! table, read and checked row by row (`core::admin_import`), then created with progress, a cancel, a link to
//! set a password for each new user if wanted (`widget::admin_import`), and a report to keep.
//! It is a wasm chunk of its own (`import`), loaded when an administrator opens it: the account
//! page, which shares the management chunk, does not pay for it.

use super::auth0_files::ForAuth0;
use super::fields::text;
use crate::browser::{download, file};
use crate::core::admin_import::{self, FileProblem, ImportPlan, Report};
use crate::core::i18n::{fill, Text};
use crate::widget::admin_import::ImportProgress;
use crate::widget::chunk::ChunkFailure;
use crate::widget::Widget;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos::wasm_split::wasm_split;
use std::sync::Arc;

/// What the section shows: nothing chosen, a checked file, the import under way, its report.
#[derive(Clone)]
enum Stage {
    Idle,
    Refused(FileProblem),
    Ready(Arc<ImportPlan>),
    Running(ImportProgress),
    Done {
        report: Arc<Report>,
        cancelled: bool,
    },
}

/// Renders the import section.
type ImportView = fn(Widget) -> AnyView;

/// The split point: what only this reaches goes into the `import` chunk.
#[wasm_split(import, wasm_split_path = ::leptos::wasm_split, fallible)]
fn import_view() -> Result<ImportView, ChunkFailure> {
    Ok(|widget| view! { <ImportSection widget /> }.into_any())
}

/// "Import users", a button until an administrator opens it: then its chunk loads and the
/// section shows (if it cannot load, the button stays and the section says why).
#[component]
pub fn ImportUsers(widget: Widget) -> impl IntoView {
    let loaded = RwSignal::new(None::<ImportView>);
    let failed = RwSignal::new(String::new());
    let open = move |_| {
        failed.set(String::new());
        spawn_local(async move {
            match import_view().await {
                Ok(view) => loaded.set(Some(view)),
                Err(failure) => failed.set(failure.text(widget)),
            }
        });
    };
    move || {
        match loaded.get() {
        Some(render) => render(widget),
        None => view! {
            <div class="gw-section">
                <button type="button" class="gw-secondary" on:click=open>{text(widget, Text::ImportUsers)}</button>
                <p class="gw-error" role="alert">
                    {move || failed.get()}
                </p>
            </div>
        }
        .into_any(),
    }
    }
}

#[component]
fn ImportSection(widget: Widget) -> impl IntoView {
    let stage = RwSignal::new(Stage::Idle);
    let send_links = RwSignal::new(true);
    let cancelled = StoredValue::new(false);
    let choose = move |event: leptos::ev::Event| {
        let Some(input) = file::input_of(&event) else {
            return;
        };
        spawn_local(async move {
            let text = file::chosen_text(&input).await.unwrap_or_default();
            stage.set(match admin_import::plan(&text) {
                Ok(plan) => Stage::Ready(Arc::new(plan)),
                Err(problem) => Stage::Refused(problem),
            });
        });
    };
    let start = move |_| {
        let Stage::Ready(plan) = stage.get_untracked() else {
            return;
        };
        cancelled.set_value(false);
        let total = plan.users.len();
        stage.set(Stage::Running(ImportProgress {
            done: 0,
            total,
            waiting_s: None,
        }));
        spawn_local(async move {
            let progress = move |at| stage.set(Stage::Running(at));
            // The section gone (the administrator left the page) stops it too; it can resume.
            let stopped = move || cancelled.try_get_value().unwrap_or(true);
            let report = widget
                .import_users(&plan, send_links.get_untracked(), progress, stopped)
                .await;
            stage.set(Stage::Done {
                report: Arc::new(report),
                cancelled: stopped(),
            });
        });
    };
    let reason = move |outcome: &admin_import::Outcome| {
        outcome
            .reason()
            .map(|t| widget.text(t).to_string())
            .unwrap_or_default()
    };
    let content = move || match stage.get() {
        Stage::Idle => ().into_any(),
        Stage::Refused(problem) => {
            view! { <p class="gw-error" role="alert">{widget.text(problem.text())}</p> }.into_any()
        }
        Stage::Ready(plan) => {
            let left_out = plan
                .left_out
                .iter()
                .map(|(row, email, problem)| {
                    let line = fill(widget.text(problem.text()), "row", &row.to_string());
                    view! { <li>{fill(&line, "email", email)}</li> }
                })
                .collect_view();
            let ready = fill(
                widget.text(Text::ImportReady),
                "count",
                &plan.users.len().to_string(),
            );
            let backend = widget.session_backend();
            let kept = plan
                .users
                .iter()
                .filter(|user| user.keeps_password(backend))
                .count();
            let kept = (kept > 0).then(|| {
                fill(
                    widget.text(Text::ImportKeepPasswords),
                    "kept",
                    &kept.to_string(),
                )
            });
            view! {
                <p role="status">{ready} " " {kept}</p>
                <ul class="gw-import-left-out" role="alert">{left_out}</ul>
                <button type="button" class="gw-primary" disabled=plan.users.is_empty() on:click=start>
                    {text(widget, Text::ImportStart)}
                </button>
                <ForAuth0 widget plan=plan.clone() />
            }
            .into_any()
        }
        Stage::Running(at) => {
            let line = match at.waiting_s {
                Some(seconds) => fill(
                    widget.text(Text::ImportWaiting),
                    "seconds",
                    &seconds.to_string(),
                ),
                None => fill(
                    &fill(widget.text(Text::Importing), "done", &at.done.to_string()),
                    "total",
                    &at.total.to_string(),
                ),
            };
            view! {
                <p class="gw-progress" role="status">
                    <progress max=at.total.to_string() value=at.done.to_string()></progress>
                    " " {line}
                </p>
                <button type="button" class="gw-link" on:click=move |_| cancelled.set_value(true)>
                    {text(widget, Text::Cancel)}
                </button>
            }
            .into_any()
        }
        Stage::Done { report, cancelled } => {
            let (created, skipped, failed) = report.counts();
            let summary = [
                ("created", created),
                ("skipped", skipped),
                ("failed", failed),
            ]
            .iter()
            .fold(
                widget.text(Text::ImportDone).to_string(),
                |line, (name, count)| fill(&line, name, &count.to_string()),
            );
            let summary = if cancelled {
                format!("{} {summary}", widget.text(Text::ImportCancelled))
            } else {
                summary
            };
            let save = move |_| {
                let csv = report.to_csv(reason);
                download::save_text("import-report.csv", "text/csv", &csv);
            };
            view! {
                <p class="gw-success" role="status">{summary}</p>
                <button type="button" class="gw-secondary" on:click=save>{text(widget, Text::DownloadReport)}</button>
            }
            .into_any()
        }
    };
    let busy = move || matches!(stage.get(), Stage::Running(_));
    view! {
        <section class="gw-section gw-import" aria-labelledby="gw-import-title">
            <h3 id="gw-import-title">{text(widget, Text::ImportUsers)}</h3>
            <p class="gw-hint">{text(widget, Text::ImportHint)}</p>
            <div class="gw-field">
                <label for="gw-import-file">{text(widget, Text::ImportFile)}</label>
                <input id="gw-import-file" type="file" accept=".json,.ndjson,.jsonl,.csv,application/json,application/x-ndjson,text/csv" disabled=busy on:change=choose />
            </div>
            <div class="gw-field gw-check">
                <label for="gw-import-links">{text(widget, Text::ImportSendLinks)}</label>
                <input id="gw-import-links" type="checkbox" disabled=busy prop:checked=move || send_links.get()
                    on:change=move |event| send_links.set(event_target_checked(&event)) />
            </div>
            {content}
        </section>
    }
}
