//! The pure core: plain data and functions, no browser APIs, tested natively.

pub mod admin;
pub mod admin_access;
pub mod admin_call;
pub mod admin_export;
pub mod admin_import;
pub mod admin_search;
pub mod api;
pub mod auth0;
pub mod backend;
pub mod client;
pub mod cookies;
pub mod csv;
pub mod flow;
pub mod fragment;
pub mod i18n;
pub mod import_file;
pub mod import_row;
pub mod json;
pub mod jwt;
pub mod options;
pub mod pkce;
pub mod problem;
pub mod session;
pub mod site_url;
pub mod startup;
