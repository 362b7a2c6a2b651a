//! The native `<dialog>`: opened with `showModal()` (top layer, inert page, Escape closes),
//! focus taken in on open and given back to the opener on close.

use super::fields::text;
use super::pages::*;
use crate::browser::set_timeout;
use crate::core::flow::{Event, Page};
use crate::core::i18n::Text;
use crate::widget::Widget;
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

#[component]
pub fn Modal(widget: Widget) -> impl IntoView {
    let dialog = NodeRef::<html::Dialog>::new();
    let opener = StoredValue::new_local(None::<HtmlElement>);
    let is_open = Memo::new(move |_| widget.modal.with(|m| m.is_open));
    let page = Memo::new(move |_| widget.modal.with(|m| m.page));

    Effect::new(move |_| {
        let open = is_open.get();
        let Some(dialog) = dialog.get() else { return };
        if open && !dialog.open() {
            let active = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.active_element());
            opener.set_value(active.and_then(|a| a.dyn_into::<HtmlElement>().ok()));
            let _ = dialog.show_modal();
        } else if !open && dialog.open() {
            dialog.close();
        }
        if !open {
            if let Some(element) = opener.get_value().filter(|e| e.is_connected()) {
                let _ = element.focus();
            }
        }
    });

    // A new page inside an open dialog: move focus to its first field.
    Effect::new(move |_| {
        page.track();
        if !is_open.get_untracked() {
            return;
        }
        set_timeout(0, move || {
            let target = dialog
                .get_untracked()
                .and_then(|d| d.query_selector("[autofocus]").ok().flatten());
            if let Some(element) = target.and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
                let _ = element.focus();
            }
        });
    });

    let content = move || match page.get() {
        Page::Login => view! { <LoginPage widget /> }.into_any(),
        Page::Signup => view! { <SignupPage widget /> }.into_any(),
        Page::ForgotPassword => view! { <ForgotPasswordPage widget /> }.into_any(),
        Page::SetNewPassword => view! { <SetNewPasswordPage widget /> }.into_any(),
        Page::AcceptInvite => view! { <AcceptInvitePage widget /> }.into_any(),
        Page::LoggedIn => view! { <LoggedInPage widget /> }.into_any(),
        Page::Notice(notice) => view! { <NoticePage widget notice /> }.into_any(),
        Page::SiteUrl => view! { <SiteUrlPage widget /> }.into_any(),
        page @ (Page::Account | Page::Users | Page::UserDetail) => {
            view! { <super::manage::ManagePage widget page /> }.into_any()
        }
    };

    view! {
        <dialog
            node_ref=dialog
            lang=move || widget.locale.get().lang()
            dir=move || if widget.locale.get().is_rtl() { "rtl" } else { "ltr" }
            class="gw-dialog"
            part="dialog"
            aria-labelledby="gw-title"
            // The close event comes a task after `close()`: by then `open()` may have shown the
            // dialog again (a page calling close() then open()), and that stale event must not
            // close it.
            on:close=move |_| {
                if dialog.get_untracked().is_some_and(|d| !d.open()) {
                    widget.dispatch(Event::Close);
                }
            }
            on:keydown=move |ev| keep_focus_inside(&ev)
        >
            <div class="gw-panel" part="panel">
                <Brand widget />
                <Show when=move || widget.verifying.get()>
                    <p class="gw-progress" role="status">{text(widget, Text::VerifyingLink)}</p>
                </Show>
                {content}
                <DevSiteUrl widget />
                <button type="button" class="gw-close" part="close" aria-label=text(widget, Text::Close)
                    on:click=move |_| widget.dispatch(Event::Close)>
                    "×"
                </button>
            </div>
        </dialog>
    }
}

/// What Tab can reach in the dialog.
const FOCUSABLE: &str = "button:not([disabled]), [href], input:not([disabled]):not([tabindex=\"-1\"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex=\"-1\"])";

/// Tab from the last control goes to the first, Shift+Tab from the first to the last: focus
/// stays in the dialog instead of leaving for the browser's own controls.
fn keep_focus_inside(event: &web_sys::KeyboardEvent) {
    if event.key() != "Tab" {
        return;
    }
    let Some(dialog) = event
        .current_target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    let Ok(nodes) = dialog.query_selector_all(FOCUSABLE) else {
        return;
    };
    let visible: Vec<HtmlElement> = (0..nodes.length())
        .filter_map(|i| nodes.item(i)?.dyn_into::<HtmlElement>().ok())
        .filter(|e| e.offset_width() > 0 || e.offset_height() > 0)
        .collect();
    let (Some(first), Some(last)) = (visible.first(), visible.last()) else {
        return;
    };
    let active = dialog
        .get_root_node()
        .dyn_into::<web_sys::ShadowRoot>()
        .ok()
        .and_then(|root| root.active_element());
    let target = match (event.shift_key(), active) {
        (true, Some(active)) if &active == first.as_ref() => last,
        (false, Some(active)) if &active == last.as_ref() => first,
        _ => return,
    };
    event.prevent_default();
    let _ = target.focus();
}
