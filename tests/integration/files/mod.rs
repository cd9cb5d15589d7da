//! Multi-file pastes (issue 25): made on every surface (`curl -F file=@…`
//! several times, the form's text box beside its file input, the JSON API's
//! `files`), shown as one section per file with its own anchors, served one
//! file at a time (`/raw/{id}/{name}`) and as one archive (`/dl/{id}`),
//! private and burned as a whole, refused by edit and fork.

mod browser;
mod create;
mod reads;
