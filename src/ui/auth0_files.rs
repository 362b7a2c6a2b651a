//! "Files for Auth0": the import file's users as Auth0's bulk import takes them
//! (`core::auth0`), one download per file of at most 500 KB, for a site moving to Auth0 instead.
//! Part of the import chunk.

use super::fields::text;
use crate::browser::download;
use crate::core::admin_import::ImportPlan;
use crate::core::auth0::{self, Auth0Files};
use crate::core::i18n::{fill, Text};
use crate::widget::Widget;
use leptos::prelude::*;
use std::sync::Arc;

#[component]
pub fn ForAuth0(widget: Widget, plan: Arc<ImportPlan>) -> impl IntoView {
    let made = RwSignal::new(None::<Arc<Auth0Files>>);
    let make = move |_| made.set(Some(Arc::new(auth0::files(&plan.users))));
    let listed = move || {
        made.get().map(|out| {
            let downloads = out
                .files
                .iter()
                .enumerate()
                .map(|(index, (json, count))| {
                    let name = format!("auth0-users-{}.json", index + 1);
                    let label = fill(
                        &fill(widget.text(Text::Auth0File), "name", &name),
                        "count",
                        &count.to_string(),
                    );
                    let json = json.clone();
                    let save = move |_| {
                        download::save_text(&name, "application/json", &json);
                    };
                    view! { <li><button type="button" class="gw-secondary" on:click=save>{label}</button></li> }
                })
                .collect_view();
            let too_large = out
                .too_large
                .iter()
                .map(|(row, email)| {
                    let line = fill(widget.text(Text::Auth0TooLarge), "row", &row.to_string());
                    view! { <li>{fill(&line, "email", email)}</li> }
                })
                .collect_view();
            view! {
                <ul class="gw-auth0-files">{downloads}</ul>
                <ul class="gw-import-left-out" role="alert">{too_large}</ul>
            }
        })
    };
    view! {
        <div class="gw-section gw-auth0">
            <p class="gw-hint">{text(widget, Text::Auth0Hint)}</p>
            <button type="button" class="gw-secondary" on:click=make>{text(widget, Text::Auth0Files)}</button>
            {listed}
        </div>
    }
}
