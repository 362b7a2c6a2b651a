//! User management, the list: search, sort, pages, invite, export. Shown to administrators
//! (`core::admin_access`); others are told they may not.

use super::fields::{on_submit, save, text, SaveButton, SectionStatus, Status, TextField};
use crate::browser::download;
use crate::core::admin::{self, AccountState, Query, Sort, UserRow};
use crate::core::admin_export;
use crate::core::flow::{Event, Page};
use crate::core::i18n::{fill, Text};
use crate::core::json::Value;
use crate::core::problem::Problem;
use crate::widget::admin::{Progress, UserPage};
use crate::widget::Widget;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn UsersPage(widget: Widget) -> impl IntoView {
    view! {
        <h2 id="gw-title">{text(widget, Text::TitleUsers)}</h2>
        {move || if widget.is_admin() {
            view! { <UserList widget /> <InviteForm widget /> <Export widget /> <super::import::ImportUsers widget /> }.into_any()
        } else {
            view! { <p class="gw-error" role="alert">{widget.text(Text::NotAdmin)}</p> }.into_any()
        }}
        <button type="button" class="gw-link" on:click=move |_| widget.dispatch(Event::Navigate(Page::LoggedIn))>
            {text(widget, Text::Back)}
        </button>
    }
}

#[component]
fn UserList(widget: Widget) -> impl IntoView {
    let loaded = RwSignal::new(None::<Result<UserPage, Problem>>);
    let filter = RwSignal::new(widget.admin_query.get_untracked().filter);
    let loading = RwSignal::new(true);
    let load = move |query: Query| {
        widget.admin_query.set(query.clone());
        loading.set(true);
        spawn_local(async move {
            let result = widget.list_users(&query).await;
            if let Ok(page) = &result {
                let rows: Vec<UserRow> = page.users.iter().map(UserRow::from_user).collect();
                widget.admin_roles.update(|known| {
                    known.extend(admin::known_roles(&rows));
                    known.sort();
                    known.dedup();
                });
            }
            loaded.set(Some(result));
            loading.set(false);
        });
    };
    load(widget.admin_query.get_untracked());

    let search = on_submit(move || {
        let query = Query {
            page: 1,
            filter: filter.get_untracked(),
            ..widget.admin_query.get_untracked()
        };
        load(query);
    });
    let sort_changed = move |event: web_sys::Event| {
        let sort = Sort::from_key(&event_target_value(&event));
        load(Query {
            page: 1,
            sort,
            ..widget.admin_query.get_untracked()
        });
    };
    let go_to = move |page: u32| {
        load(Query {
            page,
            ..widget.admin_query.get_untracked()
        })
    };
    let pages = move || {
        loaded.with(|l| match l {
            Some(Ok(page)) => {
                admin::page_count(page.total, widget.admin_query.with(|q| q.per_page))
            }
            _ => 1,
        })
    };
    let current = move || widget.admin_query.with(|q| q.page);
    let sort_label = move |sort: Sort| match sort {
        Sort::NewestFirst => widget.text(Text::SortNewest),
        Sort::OldestFirst => widget.text(Text::SortOldest),
        Sort::EmailAscending => widget.text(Text::SortEmail),
    };

    view! {
        <p class="gw-success" role="status">{move || widget.admin_notice.get().unwrap_or_default()}</p>
        <form class="gw-search" role="search" on:submit=search>
            <TextField widget id="gw-user-search" label=Text::SearchUsers value=filter input_type="search" autofocus=true required=false />
            <button type="submit" class="gw-secondary">{text(widget, Text::Search)}</button>
        </form>
        <div class="gw-field">
            <label for="gw-user-sort">{text(widget, Text::SortBy)}</label>
            <select id="gw-user-sort" on:change=sort_changed>
                {Sort::ALL.map(|sort| {
                    let selected = widget.admin_query.with_untracked(|q| q.sort == sort);
                    let offered = Sort::offered(widget.session_backend()).contains(&sort);
                    offered.then(|| view! { <option value=sort.key() selected=selected>{move || sort_label(sort)}</option> })
                })}
            </select>
        </div>
        <p class="gw-progress" role="status">{move || if loading.get() { widget.text(Text::Loading) } else { "" }}</p>
        {move || loaded.get().map(|result| match result {
            Err(problem) => view! { <p class="gw-error" role="alert">{widget.text(Text::for_problem(problem))}</p> }.into_any(),
            Ok(page) => view! { <UserTable widget page /> }.into_any(),
        })}
        <nav class="gw-pager" aria-label=text(widget, Text::TitleUsers)>
            <button type="button" class="gw-secondary" disabled=move || { current() <= 1 } on:click=move |_| go_to(current() - 1)>
                {text(widget, Text::PreviousPage)}
            </button>
            <span>{move || fill(&fill(widget.text(Text::PageOf), "page", &current().to_string()), "pages", &pages().to_string())}</span>
            <button type="button" class="gw-secondary" disabled=move || { current() >= pages() } on:click=move |_| go_to(current() + 1)>
                {text(widget, Text::NextPage)}
            </button>
        </nav>
    }
}

#[component]
fn UserTable(widget: Widget, page: UserPage) -> impl IntoView {
    if page.users.is_empty() {
        return view! { <p>{widget.text(Text::NoUsersFound)}</p> }.into_any();
    }
    let rows = page.users.into_iter().map(|user| {
        let row = UserRow::from_user(&user);
        let state = match row.state() {
            AccountState::Confirmed => Text::StateConfirmed,
            AccountState::Invited => Text::StateInvited,
            AccountState::Unconfirmed => Text::StateUnconfirmed,
        };
        let last = if row.last_sign_in_at.is_empty() {
            widget.text(Text::Never).to_string()
        } else {
            admin::short_date(&row.last_sign_in_at).to_string()
        };
        let open = move |_| {
            widget.admin_notice.set(None);
            widget.admin_selected.set(Some(user.clone()));
            widget.dispatch(Event::Navigate(Page::UserDetail));
        };
        view! {
            <tr>
                <td><button type="button" class="gw-user-link" on:click=open>{row.email.clone()}</button></td>
                <td>{row.name.clone()}</td>
                <td>{row.roles.join(", ")}</td>
                <td>{widget.text(state)}</td>
                <td>{admin::short_date(&row.created_at).to_string()}</td>
                <td>{last}</td>
            </tr>
        }
    }).collect_view();
    let header = [
        Text::ColumnEmail,
        Text::ColumnName,
        Text::ColumnRoles,
        Text::ColumnState,
        Text::ColumnCreated,
        Text::ColumnLastSignIn,
    ]
    .map(|column| view! { <th scope="col">{widget.text(column)}</th> });
    view! {
        {page.filtered_locally.then(|| view! { <p class="gw-pending" role="status">{widget.text(Text::FilteredLocally)}</p> })}
        <p class="gw-pending">{fill(widget.text(Text::UsersTotal), "count", &page.total.to_string())}</p>
        <div class="gw-table-scroll">
            <table class="gw-users" part="users">
                <thead><tr>{header}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn InviteForm(widget: Widget) -> impl IntoView {
    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let roles = RwSignal::new(String::new());
    let status = RwSignal::new(Status::Idle);
    let submit = on_submit(move || {
        let address = email.get_untracked();
        let (full_name, roles_text) = (name.get_untracked(), roles.get_untracked());
        let work = async move {
            let data = Value::Object(vec![("full_name".into(), Value::string(full_name))]);
            let invited = widget.invite(&address, data).await?;
            let mut role_list = Vec::new();
            roles_text.split(',').for_each(|role| {
                admin::add_role(&mut role_list, role);
            });
            if let (false, Some(id)) = (role_list.is_empty(), invited.str_of("id")) {
                let roles = Value::Array(
                    role_list
                        .iter()
                        .map(|r| Value::string(r.as_str()))
                        .collect(),
                );
                let attributes = Value::Object(vec![(
                    "app_metadata".into(),
                    Value::Object(vec![("roles".into(), roles)]),
                )]);
                widget.update_user_by_id(id, &attributes).await?;
            }
            Ok(())
        };
        let address = email.get_untracked();
        save(status, work, move || {
            email.set(String::new());
            fill(widget.text(Text::InviteSent), "email", &address)
        });
    });
    view! {
        <form class="gw-form gw-section" on:submit=submit>
            <h3>{text(widget, Text::InviteUser)}</h3>
            <TextField widget id="gw-invite-email" label=Text::FieldEmail value=email input_type="email" />
            <TextField widget id="gw-invite-name" label=Text::FieldName value=name required=false />
            <TextField widget id="gw-invite-roles" label=Text::InviteRoles value=roles required=false />
            <SectionStatus widget status />
            <SaveButton widget status label=Text::SendInvite />
        </form>
    }
}

#[component]
fn Export(widget: Widget) -> impl IntoView {
    let progress = RwSignal::new(None::<Progress>);
    let cancelled = RwSignal::new(false);
    let status = RwSignal::new(Status::Idle);
    let export = move |csv: bool| {
        let work = async move {
            let Some(rows) = widget.all_users(progress, cancelled).await? else {
                return Ok(None);
            };
            let (name, mime, text) = if csv {
                ("users.csv", "text/csv", admin_export::export_csv(&rows))
            } else {
                (
                    "users.json",
                    "application/json",
                    admin_export::export_json(&rows),
                )
            };
            download::save_text(name, mime, &text);
            Ok(Some(rows.len()))
        };
        status.set(Status::Busy);
        spawn_local(async move {
            status.set(match work.await {
                Ok(Some(count)) => Status::Saved(fill(
                    widget.text(Text::ExportDone),
                    "count",
                    &count.to_string(),
                )),
                Ok(None) => Status::Saved(widget.text(Text::ExportCancelled).to_string()),
                Err(problem) => Status::Failed(problem),
            });
        });
    };
    let busy = move || progress.get().is_some();
    view! {
        <div class="gw-section gw-export">
            <button type="button" class="gw-secondary" disabled=busy on:click=move |_| export(false)>{text(widget, Text::ExportJson)}</button>
            <button type="button" class="gw-secondary" disabled=busy on:click=move |_| export(true)>{text(widget, Text::ExportCsv)}</button>
            {move || progress.get().map(|p| view! {
                <p class="gw-progress" role="status">
                    <progress max=p.total.to_string() value=p.done.to_string()></progress>
                    " " {fill(&fill(widget.text(Text::Exporting), "done", &p.done.to_string()), "total", &p.total.to_string())}
                </p>
                <button type="button" class="gw-link" on:click=move |_| cancelled.set(true)>{widget.text(Text::Cancel)}</button>
            })}
            <SectionStatus widget status />
        </div>
    }
}
