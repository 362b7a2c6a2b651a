//! The page's own controls, rendered in the light DOM with the old widget's class names so
//! existing site CSS keeps working (COMPAT.md section L).

use super::fields::text;
use crate::core::flow::{Event, Page};
use crate::core::i18n::Text;
use crate::widget::Widget;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, HtmlElement};

/// Renders every `[data-netlify-identity-menu]` and `[data-netlify-identity-button]`.
pub fn mount_all(widget: Widget, document: &Document) {
    for (selector, is_menu) in [
        ("[data-netlify-identity-menu]", true),
        ("[data-netlify-identity-button]", false),
    ] {
        let Ok(nodes) = document.query_selector_all(selector) else {
            continue;
        };
        for index in 0..nodes.length() {
            let Some(element) = nodes
                .item(index)
                .and_then(|n| n.dyn_into::<HtmlElement>().ok())
            else {
                continue;
            };
            let original_text = element
                .text_content()
                .unwrap_or_default()
                .trim()
                .to_string();
            element.set_inner_html("");
            if is_menu {
                leptos::mount::mount_to(element, move || view! { <Menu widget /> }).forget();
            } else {
                leptos::mount::mount_to(
                    element,
                    move || view! { <LoginButton widget original_text /> },
                )
                .forget();
            }
        }
    }
}

fn open(widget: Widget, page: Page) {
    widget.dispatch(Event::Open(page));
}

#[component]
fn Menu(widget: Widget) -> impl IntoView {
    let logged_in = move || widget.session.with(Option::is_some);
    let name = move || {
        widget.session.with(|s| {
            s.as_ref()
                .map(|s| s.display_name().to_string())
                .unwrap_or_default()
        })
    };
    view! {
        <ul class="netlify-identity-menu" lang=move || widget.locale.get().lang()
            dir=move || if widget.locale.get().is_rtl() { "rtl" } else { "ltr" }>
            <Show
                when=logged_in
                fallback=move || view! {
                    <li class="netlify-identity-item">
                        <button type="button" class="netlify-identity-signup" on:click=move |_| open(widget, Page::Signup)>
                            {text(widget, Text::TabSignup)}
                        </button>
                    </li>
                    <li class="netlify-identity-item">
                        <button type="button" class="netlify-identity-login" on:click=move |_| open(widget, Page::Login)>
                            {text(widget, Text::TabLogin)}
                        </button>
                    </li>
                }
            >
                <li class="netlify-identity-item netlify-identity-user-details">
                    <span class="netlify-identity-user">{name}</span>
                    " "
                    <button type="button" class="netlify-identity-logout" on:click=move |_| leptos::task::spawn_local(widget.log_out())>
                        {text(widget, Text::LogOut)}
                    </button>
                </li>
            </Show>
        </ul>
    }
}

#[component]
fn LoginButton(widget: Widget, original_text: String) -> impl IntoView {
    let logged_in = move || widget.session.with(Option::is_some);
    let label = move || {
        if !original_text.is_empty() {
            original_text.clone()
        } else {
            widget
                .text(if logged_in() {
                    Text::LogOut
                } else {
                    Text::LogIn
                })
                .to_string()
        }
    };
    view! {
        <button type="button" class="netlify-identity-button"
            on:click=move |_| open(widget, if logged_in() { Page::LoggedIn } else { Page::Login })>
            {label}
        </button>
    }
}
