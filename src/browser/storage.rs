//! `localStorage` as plain strings. A browser that refuses storage (privacy modes) simply
//! keeps nothing.

use gloo_storage::{LocalStorage, Storage};

pub fn get(key: &str) -> Option<String> {
    LocalStorage::raw().get_item(key).ok().flatten()
}

pub fn set(key: &str, value: &str) {
    let _ = LocalStorage::raw().set_item(key, value);
}

pub fn remove(key: &str) {
    let _ = LocalStorage::raw().remove_item(key);
}
