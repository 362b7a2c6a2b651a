//! User management, one user: name, email and roles (chips, with the site's roles suggested),
//! a reset-password email, confirming a user who never confirmed, and deleting after a
//! confirmation step that names the email.

use super::fields::{on_submit, save, text, SaveButton, SectionStatus, Status, TextField};
use super::security_slot::{AccountPart, AccountSecuritySlot};
use crate::core::admin::{self, AccountState, UserRow};
use crate::core::api::Request;
use crate::core::flow::{Event, Page};
use crate::core::i18n::{fill, Text};
use crate::core::json::Value;
use crate::widget::Widget;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn UserDetailPage(widget: Widget) -> impl IntoView {
    let back = move |_| widget.dispatch(Event::Navigate(Page::Users));
    let Some(user) = widget.admin_selected.get_untracked() else {
        return view! {
            <h2 id="gw-title">{widget.text(Text::TitleUserDetail)}</h2>
            <p class="gw-error" role="alert">{widget.text(Text::ProblemUserNotFound)}</p>
            <button type="button" class="gw-link" on:click=back>{widget.text(Text::BackToUsers)}</button>
        }
        .into_any();
    };
    let row = UserRow::from_user(&user);
    let id = StoredValue::new(row.id.clone());
    let name = RwSignal::new(row.name.clone());
    let email = RwSignal::new(row.email.clone());
    let roles = RwSignal::new(row.roles.clone());
    let new_role = RwSignal::new(String::new());
    let confirmed = RwSignal::new(row.state() == AccountState::Confirmed);
    let status = RwSignal::new(Status::Idle);
    let action_status = RwSignal::new(Status::Idle);
    let confirming_delete = RwSignal::new(false);

    let saved_user = move |user: Value| {
        confirmed.set(UserRow::from_user(&user).state() == AccountState::Confirmed);
        widget.admin_selected.set(Some(user));
    };
    // `PUT /admin/users/{id}` with `body`, then show the user the server returns.
    let update = move |body: Value, status: RwSignal<Status>, done: Text| {
        let work = async move {
            widget
                .update_user_by_id(&id.get_value(), &body)
                .await
                .map(saved_user)
        };
        save(status, work, move || widget.text(done).to_string());
    };
    let submit = on_submit(move || {
        let body = admin::admin_update(
            &name.get_untracked(),
            &email.get_untracked(),
            &roles.get_untracked(),
            widget.session_backend(),
        );
        update(body, status, Text::UserSaved);
    });
    let add_role = move || {
        let typed = new_role.get_untracked();
        roles.update(|r| {
            admin::add_role(r, &typed);
        });
        new_role.set(String::new());
    };
    let send_reset = move |_| {
        let address = email.get_untracked();
        let work = {
            let address = address.clone();
            async move { widget.send_recovery(&address).await }
        };
        save(action_status, work, move || {
            fill(widget.text(Text::ResetEmailSent), "email", &address)
        });
    };
    let confirm_user = move |_| {
        let body = Request::confirm_attributes(widget.session_backend());
        update(body, action_status, Text::UserConfirmed);
    };
    let delete = move |_| {
        action_status.set(Status::Busy);
        let address = email.get_untracked();
        let since = widget.since();
        spawn_local(async move {
            match widget.delete_user(&id.get_value()).await {
                Ok(()) => {
                    widget.admin_selected.set(None);
                    widget.admin_notice.set(Some(fill(
                        widget.text(Text::UserDeleted),
                        "email",
                        &address,
                    )));
                    widget.settle(since, Event::Navigate(Page::Users));
                }
                Err(problem) => action_status.set(Status::Failed(problem)),
            }
        });
    };
    let known_roles = move || widget.admin_roles.get();

    view! {
        <h2 id="gw-title">{widget.text(Text::TitleUserDetail)}</h2>
        <form class="gw-form" on:submit=submit>
            <TextField widget id="gw-detail-name" label=Text::FieldName value=name required=false autofocus=true />
            <TextField widget id="gw-detail-email" label=Text::FieldEmail value=email input_type="email" />
            <fieldset class="gw-roles-editor">
                <legend>{text(widget, Text::SectionRoles)}</legend>
                <ul class="gw-chips">
                    <For each=move || roles.get() key=|role| role.clone() let:role>
                        <li class="gw-chip">
                            <span>{role.clone()}</span>
                            <button type="button" class="gw-chip-remove"
                                aria-label=fill(widget.text(Text::RemoveRole), "role", &role)
                                on:click=move |_| roles.update(|r| r.retain(|x| *x != role))>
                                "×"
                            </button>
                        </li>
                    </For>
                </ul>
                <div class="gw-field">
                    <label for="gw-new-role">{text(widget, Text::AddRole)}</label>
                    <div class="gw-password">
                        <input id="gw-new-role" list="gw-role-suggestions" autocomplete="off"
                            prop:value=move || new_role.get()
                            on:input=move |ev| new_role.set(event_target_value(&ev))
                            on:keydown=move |ev: web_sys::KeyboardEvent| if ev.key() == "Enter" {
                                ev.prevent_default();
                                add_role();
                            } />
                        <button type="button" class="gw-toggle" on:click=move |_| add_role()>
                            {text(widget, Text::AddRole)}
                        </button>
                    </div>
                    <datalist id="gw-role-suggestions">
                        {move || known_roles().into_iter().map(|role| view! { <option value=role></option> }).collect_view()}
                    </datalist>
                </div>
            </fieldset>
            <SectionStatus widget status />
            <SaveButton widget status label=Text::SaveUser />
        </form>
        // Where the server has passkeys, the user's, from the `account_security` chunk.
        <AccountSecuritySlot widget part=AccountPart::User(id.get_value()) />
        <div class="gw-section gw-actions">
            <button type="button" class="gw-secondary" on:click=send_reset>{text(widget, Text::SendResetEmail)}</button>
            <Show when=move || !confirmed.get()>
                <button type="button" class="gw-secondary" on:click=confirm_user>{text(widget, Text::ConfirmUser)}</button>
            </Show>
            <Show
                when=move || confirming_delete.get()
                fallback=move || view! {
                    <button type="button" class="gw-danger" on:click=move |_| confirming_delete.set(true)>
                        {text(widget, Text::DeleteUser)}
                    </button>
                }
            >
                <p class="gw-error" role="alert">{move || fill(widget.text(Text::DeleteConfirm), "email", &email.get())}</p>
                <button type="button" class="gw-danger" on:click=delete>
                    {move || fill(widget.text(Text::DeleteForever), "email", &email.get())}
                </button>
                <button type="button" class="gw-secondary" on:click=move |_| confirming_delete.set(false)>
                    {text(widget, Text::Cancel)}
                </button>
            </Show>
            <SectionStatus widget status=action_status />
        </div>
        <button type="button" class="gw-link" on:click=back>{text(widget, Text::BackToUsers)}</button>
    }
    .into_any()
}
