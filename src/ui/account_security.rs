//! The account page's passkeys and two-step sign-in (supabase/auth), and an administrator's
//! view of a user's passkeys. Their own chunk, `account_security` (`ui::security_slot`).

use super::fields::{on_submit, save, text, SaveButton, SectionStatus, Status, TextField};
use crate::browser::passkey;
use crate::core::admin::short_date;
use crate::core::i18n::{fill, Text};
use crate::core::passkey::Passkey;
use crate::core::problem::Problem;
use crate::core::second_step::{App, Setup};
use crate::widget::Widget;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::future::Future;
use std::pin::Pin;
use wasm_bindgen::JsCast;

/// The account page's part: passkeys where the server has them, and the authenticator app.
#[component]
pub fn AccountSecurity(widget: Widget) -> impl IntoView {
    view! {
        <Show when=move || widget.server_has_passkeys()>
            <PasskeySection widget user=None />
        </Show>
        <AppSection widget />
    }
}

/// A user's passkeys on their page in user management: see them, remove one.
#[component]
pub fn UserPasskeys(widget: Widget, user: String) -> impl IntoView {
    view! { <PasskeySection widget user=Some(user) /> }
}

/// What a passkey's row is doing.
#[derive(Clone, PartialEq)]
enum RowMode {
    Renaming(String),
    ConfirmingRemoval(String),
}

/// A change of the list on its way (adding, renaming or removing a passkey).
type Change = Pin<Box<dyn Future<Output = Result<(), Problem>>>>;

/// The list of passkeys: the person's own (`user: None`: add, rename, remove), or a user's for
/// an administrator (remove only).
#[component]
fn PasskeySection(widget: Widget, user: Option<String>) -> impl IntoView {
    let own = user.is_none();
    let user = StoredValue::new(user);
    // `None` while the list loads.
    let list = RwSignal::new(None::<Result<Vec<Passkey>, Problem>>);
    let mode = RwSignal::new(None::<RowMode>);
    let status = RwSignal::new(Status::Idle);
    let heading = NodeRef::<html::H3>::new();
    // Also runs after a change, when the page may have been left (its values are gone then).
    let load = move || async move {
        let passkeys = match user.try_get_value() {
            Some(Some(user)) => widget.user_passkeys(user).await,
            Some(None) => widget.passkeys().await,
            None => return,
        };
        list.try_set(Some(passkeys));
    };
    spawn_local(load());
    // Runs a change, then shows the list as the server has it and `done`.
    let change = move |work: Change, done: Text| {
        let work = async move {
            work.await?;
            mode.try_set(None);
            load().await;
            // The row that had the focus may be gone: the section's heading takes it.
            if let Some(heading) = heading.try_get_untracked().flatten() {
                let _ = heading.focus();
            }
            Ok(())
        };
        save(status, work, move || widget.text(done).to_string());
    };
    let add = move |_| change(Box::pin(widget.add_passkey()), Text::PasskeyAdded);
    let rename = move |id: String, name: String| {
        change(
            Box::pin(widget.rename_passkey(id, name)),
            Text::PasskeyRenamed,
        )
    };
    let remove = move |id: String| {
        let work: Change = match user.get_value() {
            Some(user) => Box::pin(widget.remove_user_passkey(user, id)),
            None => Box::pin(widget.remove_passkey(id)),
        };
        change(work, Text::PasskeyRemoved)
    };
    let busy = move || status.get() == Status::Busy;
    let rows = move || match list.get() {
        None => view! { <p role="status">{text(widget, Text::Loading)}</p> }.into_any(),
        Some(Err(problem)) => view! {
            <p class="gw-error" role="alert">{widget.text(Text::for_problem(problem))}</p>
        }
        .into_any(),
        Some(Ok(passkeys)) if passkeys.is_empty() => {
            view! { <p>{text(widget, Text::NoPasskeys)}</p> }.into_any()
        }
        Some(Ok(passkeys)) => view! {
            <ul class="gw-passkeys">
                // Type-erased rows: a list of the full row type costs 15 KB of code.
                {passkeys.into_iter().map(|passkey| view! {
                    <PasskeyRow widget passkey own mode busy=Signal::derive(busy) rename remove />
                }.into_any()).collect_view()}
            </ul>
        }
        .into_any(),
    };
    view! {
        <section class="gw-section" aria-labelledby="gw-passkeys-title">
            <h3 id="gw-passkeys-title" tabindex="-1" node_ref=heading>{text(widget, Text::SectionPasskeys)}</h3>
            {own.then(|| view! { <p class="gw-explanation">{text(widget, Text::PasskeysExplanation)}</p> })}
            {rows}
            {(own && passkey::usable()).then(|| view! {
                <button type="button" class="gw-secondary" part="button" disabled=busy aria-busy=move || busy().to_string() on:click=add>
                    {move || widget.text(if busy() { Text::AddingPasskey } else { Text::AddPasskey })}
                </button>
            })}
            <SectionStatus widget status />
        </section>
    }
}

/// One passkey: its name and dates, and its buttons (rename only for the person's own).
#[component]
fn PasskeyRow(
    widget: Widget,
    passkey: Passkey,
    own: bool,
    mode: RwSignal<Option<RowMode>>,
    busy: Signal<bool>,
    rename: impl Fn(String, String) + Copy + Send + Sync + 'static,
    remove: impl Fn(String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let Passkey {
        id,
        name,
        created_at,
        last_used_at,
    } = passkey;
    let dates = move || match &last_used_at {
        Some(used) => fill(
            &fill(
                widget.text(Text::PasskeyUsed),
                "date",
                short_date(&created_at),
            ),
            "used",
            short_date(used),
        ),
        None => fill(
            widget.text(Text::PasskeyUnused),
            "date",
            short_date(&created_at),
        ),
    };
    let name_id = format!("gw-passkey-{id}");
    let id = StoredValue::new(id);
    let name = StoredValue::new(name);
    let renaming = move || mode.get() == Some(RowMode::Renaming(id.get_value()));
    let confirming = move || mode.get() == Some(RowMode::ConfirmingRemoval(id.get_value()));
    let new_name = RwSignal::new(name.get_value());
    let rename_status = RwSignal::new(Status::Idle);
    let cancel = move |_| mode.set(None);
    move || {
        if renaming() {
            let form = NodeRef::<html::Form>::new();
            focus_field_of(form);
            view! {
                <li class="gw-passkey-row">
                    <form class="gw-form" node_ref=form on:submit=on_submit(move || rename(id.get_value(), new_name.get_untracked()))>
                        <TextField widget id="gw-passkey-name" label=Text::FieldPasskeyName value=new_name autofocus=true />
                        <SaveButton widget status=rename_status />
                        <button type="button" class="gw-link" on:click=cancel>{text(widget, Text::Cancel)}</button>
                    </form>
                </li>
            }
            .into_any()
        } else if confirming() {
            let focus = focused_button();
            view! {
                <li class="gw-passkey-row">
                    <p role="alert">{fill(widget.text(Text::RemovePasskeyConfirm), "name", &name.get_value())}</p>
                    <button type="button" class="gw-danger" disabled=busy on:click=move |_| remove(id.get_value())>
                        {text(widget, Text::Remove)}
                    </button>
                    <button type="button" class="gw-secondary" node_ref=focus on:click=cancel>{text(widget, Text::Cancel)}</button>
                </li>
            }
            .into_any()
        } else {
            let name_id = name_id.clone();
            view! {
                <li class="gw-passkey-row">
                    <span class="gw-passkey-name" id=name_id.clone()>{name.get_value()}</span>
                    <span class="gw-passkey-dates">{dates.clone()}</span>
                    {own.then(|| view! {
                        <button type="button" class="gw-link" aria-describedby=name_id.clone() disabled=busy
                            on:click=move |_| mode.set(Some(RowMode::Renaming(id.get_value())))>
                            {text(widget, Text::Rename)}
                        </button>
                    })}
                    <button type="button" class="gw-link" aria-describedby=name_id disabled=busy
                        on:click=move |_| mode.set(Some(RowMode::ConfirmingRemoval(id.get_value())))>
                        {text(widget, Text::Remove)}
                    </button>
                </li>
            }
            .into_any()
        }
    }
}

/// Two-step sign-in: on (since when, and "Turn off"), or off (and setting an app up: its QR
/// code as an image, the key written out, confirmed by a first code).
#[component]
fn AppSection(widget: Widget) -> impl IntoView {
    let app = move || {
        widget
            .session
            .with(|s| s.as_ref().and_then(|s| App::verified_of(s.record())))
    };
    let setup = RwSignal::new(None::<Setup>);
    let confirming_off = RwSignal::new(false);
    let code = RwSignal::new(String::new());
    let status = RwSignal::new(Status::Idle);
    let busy = move || status.get() == Status::Busy;
    let start = move |_| {
        let work = async move {
            setup.try_set(Some(widget.start_app_setup().await?));
            Ok(())
        };
        save(status, work, String::new);
    };
    let confirm = move || {
        let Some(started) = setup.get_untracked() else {
            return;
        };
        let typed = code.get_untracked();
        let work = async move {
            widget.confirm_app(started.app_id, typed).await?;
            setup.try_set(None);
            code.try_set(String::new());
            Ok(())
        };
        save(status, work, move || {
            widget.text(Text::AppTurnedOn).to_string()
        });
    };
    // A setup left halfway is removed; the server would keep it otherwise.
    let cancel_setup = move |_| {
        if let Some(started) = setup.get_untracked() {
            spawn_local(async move {
                let _ = widget.remove_app(started.app_id).await;
            });
        }
        setup.set(None);
        status.set(Status::Idle);
    };
    let turn_off = move |app_id: String| {
        let work = async move {
            widget.remove_app(app_id).await?;
            confirming_off.try_set(false);
            Ok(())
        };
        save(status, work, move || {
            widget.text(Text::AppTurnedOff).to_string()
        });
    };
    let body = move || {
        match (app(), setup.get()) {
        (Some(app), _) if confirming_off.get() => {
            let focus = focused_button();
            let app_id = app.id;
            view! {
                <p role="alert">{text(widget, Text::TurnOffConfirm)}</p>
                <button type="button" class="gw-danger" disabled=busy on:click=move |_| turn_off(app_id.clone())>
                    {text(widget, Text::TurnOff)}
                </button>
                <button type="button" class="gw-secondary" node_ref=focus on:click=move |_| confirming_off.set(false)>
                    {text(widget, Text::Cancel)}
                </button>
            }
            .into_any()
        }
        (Some(app), _) => view! {
            <p>{fill(widget.text(Text::AppIsOn), "date", short_date(&app.created_at))}</p>
            <button type="button" class="gw-secondary" disabled=busy on:click=move |_| confirming_off.set(true)>
                {text(widget, Text::TurnOff)}
            </button>
        }
        .into_any(),
        (None, Some(started)) => {
            let form = NodeRef::<html::Form>::new();
            focus_field_of(form);
            view! {
            <form class="gw-form" node_ref=form on:submit=on_submit(confirm)>
                <p class="gw-explanation">{text(widget, Text::AppScan)}</p>
                <img class="gw-qr" src=started.qr_code_image() alt=text(widget, Text::QrCodeAlt) width="200" height="200" />
                <p class="gw-app-key">
                    <span>{text(widget, Text::AppKey)}</span> " "
                    <code translate="no">{started.grouped_secret()}</code>
                </p>
                <TextField widget id="gw-setup-code" label=Text::FieldAppCode value=code autocomplete="one-time-code" autofocus=true />
                <SaveButton widget status label=Text::TurnOn />
                <button type="button" class="gw-link" on:click=cancel_setup>{text(widget, Text::Cancel)}</button>
            </form>
            }
            .into_any()
        }
        (None, None) => view! {
            <p>{text(widget, Text::AppIsOff)}</p>
            <button type="button" class="gw-secondary" disabled=busy aria-busy=move || busy().to_string() on:click=start>
                {text(widget, Text::SetUpApp)}
            </button>
        }
        .into_any(),
    }
    };
    view! {
        <section class="gw-section" aria-labelledby="gw-app-title">
            <h3 id="gw-app-title">{text(widget, Text::TitleSecondStep)}</h3>
            {body}
            <SectionStatus widget status />
        </section>
    }
}

/// Focuses `form`'s `[autofocus]` field once it is in the page: the dialog focuses a new page's
/// first field, not that of a form appearing within a page.
fn focus_field_of(form: NodeRef<html::Form>) {
    Effect::new(move |_| {
        let field = form
            .get()
            .and_then(|form| form.query_selector("[autofocus]").ok().flatten());
        if let Some(field) = field.and_then(|f| f.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = field.focus();
        }
    });
}

/// A button that takes the focus once it is in the page (a confirmation's safe choice).
fn focused_button() -> NodeRef<html::Button> {
    let button = NodeRef::<html::Button>::new();
    Effect::new(move |_| button.get().map(|button| button.focus()));
    button
}
