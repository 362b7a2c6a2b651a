//! User management, the list: search, sort, pages, invite, export. Shown to administrators
//! (`core::admin_access`); others are told they may not.

use super::fields::{on_submit, save, text, SaveButton, SectionStatus, Status, TextField};
use crate::browser::download;
use crate::core::admin::{self, AccountState, Query, Sort, UserRow};
use crate::core::admin_export;
use crate::core::admin_search::{self, PageScan};
use crate::core::flow::{Event, Page};
use crate::core::i18n::{fill, Text};
use crate::core::json::Value;
use crate::core::problem::Problem;
use crate::widget::admin::{Progress, UserPage};
use crate::widget::Widget;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::cell::RefCell;

thread_local! {
    /// The list's search run here page by page (the server cannot filter), kept while a user
    /// page is open: going back shows its matches without reading every page again.
    static SCAN: RefCell<Option<PageScan>> = const { RefCell::new(None) };
}

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
    // A search run here page by page (the server cannot filter): how far it got, and Cancel.
    let progress = RwSignal::new(None::<Progress>);
    let cancelled = RwSignal::new(false);
    // Only the newest load's answer is shown: pages asked for quickly arrive in any order.
    let newest = StoredValue::new(0u32);
    let show = move |load: u32, result: Result<UserPage, Problem>| {
        // Also when the list is gone (the person left it): its values are then disposed.
        if newest.try_get_value() != Some(load) {
            return;
        }
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
    };
    // A page of the search's matches, as a page of the list.
    let scanned_page = move |query: &Query| {
        SCAN.with_borrow(|scan| UserPage {
            users: scan
                .as_ref()
                .map_or_else(Vec::new, |s| s.shown(query.page, query.per_page)),
            total: scan.as_ref().map_or(0, |s| s.matches.len() as u32),
            filtered_locally: true,
        })
    };
    let scan = move |load: u32, query: Query| {
        spawn_local(async move {
            let keep = admin_search::matching(&query);
            let read = widget
                .all_users(query.sort, progress, cancelled, keep)
                .await;
            let result = read.map(|(users, stopped)| {
                let stopped = stopped.map(|at| (at.done, at.total));
                SCAN.set(Some(PageScan::new(&query, users, stopped)));
                scanned_page(&query)
            });
            show(load, result);
        })
    };
    let load = move |query: Query, new_search: bool| {
        widget.admin_query.set(query.clone());
        loading.set(true);
        newest.update_value(|n| *n += 1);
        let load = newest.get_value();
        let searching = !query.filter.trim().is_empty();
        // A search done here before: the server cannot filter.
        let scanned = SCAN.with_borrow(|scan| {
            scan.as_ref()
                .map(|scan| !new_search && scan.answers(&query))
        });
        match scanned {
            Some(true) if searching => show(load, Ok(scanned_page(&query))),
            Some(_) if searching => scan(load, query),
            _ => spawn_local(async move {
                match widget.list_users(&query).await {
                    // The server answered 500 to the filter (netlify/gotrue on MariaDB).
                    Ok(page) if page.filtered_locally => scan(load, query),
                    result => show(load, result),
                }
            }),
        }
    };
    load(widget.admin_query.get_untracked(), false);

    let search = on_submit(move || {
        let query = Query {
            page: 1,
            filter: filter.get_untracked(),
            ..widget.admin_query.get_untracked()
        };
        load(query, true);
    });
    let sort_changed = move |event: web_sys::Event| {
        let sort = Sort::from_key(&event_target_value(&event));
        let query = Query {
            page: 1,
            sort,
            ..widget.admin_query.get_untracked()
        };
        load(query, false);
    };
    let go_to = move |page: u32| {
        let query = Query {
            page,
            ..widget.admin_query.get_untracked()
        };
        load(query, false)
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
        <p class="gw-progress" role="status">{move || if loading.get() && progress.get().is_none() { widget.text(Text::Loading) } else { "" }}</p>
        <PagesRead widget progress cancelled said=Text::SearchingPages />
        {move || loaded.get().map(|result| match result {
            Err(problem) => view! { <p class="gw-error" role="alert">{widget.text(Text::for_problem(problem))}</p> }.into_any(),
            Ok(page) => view! { <UserTable widget page loading /> }.into_any(),
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

/// What a search run here says of itself: every page searched, or cancelled part way.
fn scan_note(widget: Widget) -> Option<String> {
    SCAN.with_borrow(|scan| {
        let scan = scan.as_ref()?;
        Some(match scan.stopped_at {
            Some((done, total)) => fill(
                &fill(
                    widget.text(Text::SearchCancelled),
                    "done",
                    &done.to_string(),
                ),
                "total",
                &total.to_string(),
            ),
            None => widget.text(Text::FilteredLocally).to_string(),
        })
    })
}

/// How far a reading of every page has got (`said`, with `{done}` and `{total}`), and Cancel.
#[component]
fn PagesRead(
    widget: Widget,
    progress: RwSignal<Option<Progress>>,
    cancelled: RwSignal<bool>,
    said: Text,
) -> impl IntoView {
    move || {
        progress.get().map(|p| {
            let (done, total) = (p.done.to_string(), p.total.to_string());
            view! {
                <p class="gw-progress" role="status">
                    <progress max=total.clone() value=done.clone()></progress>
                    " " {fill(&fill(widget.text(said), "done", &done), "total", &total)}
                </p>
                <button type="button" class="gw-link" on:click=move |_| cancelled.set(true)>{widget.text(Text::Cancel)}</button>
            }
        })
    }
}

/// The users of a page. While another page or a search loads (`loading`), its rows open no
/// one: a click landing as the answer replaces them would open whichever user took the row's
/// place.
#[component]
fn UserTable(widget: Widget, page: UserPage, loading: RwSignal<bool>) -> impl IntoView {
    let note = page.filtered_locally.then(|| scan_note(widget)).flatten();
    let note = note.map(|note| view! { <p class="gw-pending" role="status">{note}</p> });
    if page.users.is_empty() {
        // A cancelled search found nobody in the pages it read; the others may hold matches.
        let cancelled = SCAN.with_borrow(|s| s.as_ref().is_some_and(|s| s.stopped_at.is_some()));
        let none = (!(page.filtered_locally && cancelled))
            .then(|| view! { <p>{widget.text(Text::NoUsersFound)}</p> });
        return view! { {note} {none} }.into_any();
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
            if loading.get_untracked() {
                return;
            }
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
        {note}
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
                let roles = admin::roles_metadata(&role_list, widget.session_backend());
                let attributes = Value::Object(vec![("app_metadata".into(), Value::Object(roles))]);
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
            let keep = |user: Value| Some(UserRow::from_user(&user));
            let (rows, stopped) = widget
                .all_users(Sort::default(), progress, cancelled, keep)
                .await?;
            if stopped.is_some() {
                return Ok(None);
            }
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
            <PagesRead widget progress cancelled said=Text::Exporting />
            <SectionStatus widget status />
        </div>
    }
}
