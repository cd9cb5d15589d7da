//! What the OpenAPI document says each value may be, written into it from the
//! constants and settings the parsers themselves read, so that the document
//! and the server cannot disagree: a value the document admits is accepted,
//! one it refuses is refused (schemathesis checks both ways).
//!
//! Patterns use only what ECMA-262 (the dialect of JSON Schema), Python's `re`
//! (schemathesis) and Rust's `regex` (the `jsonschema` crate) all read alike:
//! classes, `\uXXXX` escapes, groups and counted repeats.

use std::time::Duration;

use serde_json::{Value, json};
use utoipa::openapi::extensions::Extensions;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::schema::{AdditionalProperties, Object, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::{OpenApi, RefOr, Schema};

use crate::domain::{Language, ListCursor, Username, paste_id};
use crate::service::draft::Rules;
use crate::service::users::{DEFAULT_PAGE, MAX_PAGE};

/// The characters `str::trim` removes (Unicode `White_Space`), as the inside
/// of a class: content made only of these is blank.
const WHITESPACE: &str =
    r"\t\n\u000B\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000";

/// A title: no control character (`char::is_control`, Unicode `Cc`) anywhere.
const NO_CONTROL: &str = r"^[^\u0000-\u001F\u007F-\u009F]*$";

/// An `Idempotency-Key`: 16 to 255 visible ASCII characters, as
/// `routes::plumbing::headers` takes them.
fn idempotency_key() -> String {
    format!(
        "^[!-~]{{{},255}}$",
        crate::routes::plumbing::headers::MIN_IDEMPOTENCY_KEY
    )
}

/// A month of statistics, `YYYY-MM`.
const MONTH: &str = "^[0-9]{4}-(?:0[1-9]|1[0-2])$";

/// A paste id in a path or an answer.
fn paste_id() -> String {
    format!(
        "^[0-9A-Za-z]{{{},{}}}$",
        paste_id::MIN_LEN,
        paste_id::MAX_LEN
    )
}

/// A username as a client may write it (names are case-blind).
fn username_sent() -> String {
    format!(
        "^[A-Za-z0-9][A-Za-z0-9_.-]{{{},{}}}$",
        Username::MIN - 1,
        Username::MAX - 1
    )
}

/// A username as the service writes it: lowercase.
fn username_kept() -> String {
    format!(
        "^[a-z0-9][a-z0-9_.-]{{{},{}}}$",
        Username::MIN - 1,
        Username::MAX - 1
    )
}

/// A list cursor, as `ListCursor::encode` writes it and `parse` reads it.
fn cursor() -> String {
    format!(
        r"^[0-9]{{1,{}}}\.[0-9A-Za-z]{{{},{}}}$",
        ListCursor::MAX_MILLIS_DIGITS,
        paste_id::MIN_LEN,
        paste_id::MAX_LEN
    )
}

/// `language` as documented: empty (none) or a token of the highlighter's
/// catalog. The server also takes names and extensions in any case (the
/// field's description says so, `GET /api/v1/languages` lists them), but the
/// document names each language once: a generator makes a constant of each
/// value, and `ActionScript` beside `actionscript` is one constant twice.
fn language_sent() -> Vec<Value> {
    let mut values: Vec<Value> = vec![json!("")];
    values.extend(super::languages::tokens().into_iter().map(|s| json!(s)));
    values.push(Value::Null);
    values
}

/// A name for each non-null value of `language_sent` (`x-enum-varnames`,
/// which generators read for the constants' names): tokens such as `c`, `c#`
/// and `c++` are one identifier once their punctuation is dropped.
fn language_names() -> Vec<Value> {
    let mut names = vec![json!("none")];
    names.extend(
        super::languages::tokens()
            .into_iter()
            .map(|token| json!(identifier(token))),
    );
    names
}

/// A token as an identifier of letters, digits and `_`: `c++` → `c_plus_plus`,
/// `c#` → `c_sharp`, `batch-file` → `batch_file`, `1c` → `l_1c`.
fn identifier(token: &str) -> String {
    let mut out = String::new();
    for c in token.chars() {
        match c {
            '+' => out.push_str("_plus"),
            '#' => out.push_str("_sharp"),
            '.' => out.push_str("_dot_"),
            c if c.is_ascii_alphanumeric() => out.push(c),
            _ => out.push('_'),
        }
    }
    if !out.starts_with(|c: char| c.is_ascii_alphabetic()) {
        out.insert_str(0, "l_");
    }
    out
}

/// A language as kept: lowercase.
fn language_kept() -> String {
    format!("^[a-z0-9+#._-]{{1,{}}}$", Language::MAX_LEN)
}

/// `expires`: empty, `never`, or a whole positive number of one unit that is
/// at most `max` (leading zeros allowed, as `u64::from_str` reads them). A
/// number past the maximum in one unit is not matched, so the document refuses
/// what the server answers `expires_too_long`.
fn expires(max: Duration) -> String {
    let units = [
        ('s', 1),
        ('m', 60),
        ('h', 3_600),
        ('d', 86_400),
        ('w', 7 * 86_400),
        ('y', 365 * 86_400),
    ];
    let mut choices = vec!["never".to_owned()];
    for (unit, secs) in units {
        let most = max.as_secs() / secs;
        if most > 0 {
            choices.push(format!("0*(?:{}){unit}", one_to(most)));
        }
    }
    format!("^(?:{})?$", choices.join("|"))
}

/// A pattern of the decimal numbers 1 to `n` (no sign, no leading zero).
fn one_to(n: u64) -> String {
    let digits: Vec<u8> = n.to_string().bytes().map(|b| b - b'0').collect();
    let len = digits.len();
    let mut choices = Vec::new();
    if len > 1 {
        // Every number with fewer digits.
        choices.push(format!("[1-9]{}", any_digits(0, len - 2)));
    }
    // Same length: agree with `n` on a prefix, then a smaller digit, then anything.
    for (i, &digit) in digits.iter().enumerate() {
        let low = if i == 0 { 1 } else { 0 };
        if digit > low {
            let prefix: String = digits[..i].iter().map(u8::to_string).collect();
            let class = digit_class(low, digit - 1);
            let rest = any_digits(len - i - 1, len - i - 1);
            choices.push(format!("{prefix}{class}{rest}"));
        }
    }
    choices.push(n.to_string());
    choices.join("|")
}

fn digit_class(low: u8, high: u8) -> String {
    if low == high {
        low.to_string()
    } else {
        format!("[{low}-{high}]")
    }
}

fn any_digits(min: usize, max: usize) -> String {
    match (min, max) {
        (_, 0) => String::new(),
        (1, 1) => "[0-9]".to_owned(),
        (min, max) if min == max => format!("[0-9]{{{min}}}"),
        (min, max) => format!("[0-9]{{{min},{max}}}"),
    }
}

/// The document of this server, with its settings' limits written in.
pub(crate) fn constrain(doc: &mut OpenApi, rules: &Rules) {
    request_body(doc, rules);
    parameters(doc);
    answers(doc);
}

/// What a client (or a fuzzer) can do with a creation's answer: read the
/// paste, its statistics, and delete it with the token it was handed. Written
/// into the serialized document because utoipa 5 writes a `Link`'s fields in
/// snake_case (`operation_id`), which no OpenAPI reader knows.
pub(crate) fn link_creation(doc: &mut Value) {
    let id = "$response.body#/id";
    let link = |operation: &str| json!({"operationId": operation, "parameters": {"id": id}});
    let mut delete = link("delete_paste");
    delete["parameters"]["header.X-Delete-Token"] = json!("$response.body#/delete_token");
    let created = &mut doc["paths"]["/api/v1/pastes"]["post"]["responses"]["201"];
    if created.is_object() {
        created["links"] = json!({
            "read": link("read_paste"),
            "stats": link("read_paste_stats"),
            "delete": delete,
        });
    }
}

/// A creation needs a text: `content` as a string, or `files` as a list of
/// one or more; a file needs `content` or `content_base64` as a string, not
/// both, and no other member. Written as `if`/`then`/`else` (which code
/// generators leave aside, so `CreatePaste` stays one model rather than a
/// union) into the serialized document: utoipa 5 has no such keywords.
pub(crate) fn require_text(doc: &mut Value) {
    let string = |name: &str| json!({"required": [name], "properties": {name: {"type": "string"}}});
    if let Some(body) = doc
        .pointer_mut("/components/schemas/CreatePaste")
        .and_then(Value::as_object_mut)
    {
        body.insert(
            "if".to_owned(),
            json!({"required": ["files"], "properties": {"files": {"not": {"type": "null"}}}}),
        );
        body.insert(
            "then".to_owned(),
            json!({"properties": {"files": {"type": "array", "minItems": 1}}}),
        );
        body.insert("else".to_owned(), string("content"));
    }
    if let Some(file) = doc
        .pointer_mut("/components/schemas/CreateFile")
        .and_then(Value::as_object_mut)
    {
        file.insert("additionalProperties".to_owned(), json!(false));
        file.insert("if".to_owned(), string("content"));
        file.insert("then".to_owned(), json!({"not": string("content_base64")}));
        file.insert("else".to_owned(), string("content_base64"));
    }
}

/// Rewrites the creation's nullable enumerations (`type: [string, null]`
/// with `null` among the values) as `oneOf` a titled string enumeration and
/// `null`: the same values, in the shape generators turn into one named type
/// (openapi-python-client made three copies of the language list of the
/// other shape). Done on the serialized document, like `link_creation`.
pub(crate) fn split_nullable_enums(doc: &mut Value) {
    let Some(fields) = doc
        .pointer_mut("/components/schemas/CreatePaste/properties")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    for (name, field) in fields.iter_mut() {
        let Some(schema) = field.as_object_mut() else {
            continue;
        };
        let nullable = schema
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|values| values.contains(&Value::Null));
        if !nullable {
            continue;
        }
        let Some(Value::Array(values)) = schema.remove("enum") else {
            continue;
        };
        let values: Vec<Value> = values.into_iter().filter(|v| !v.is_null()).collect();
        let mut strings = json!({"type": "string", "title": name, "enum": values});
        if let Some(names) = schema.remove("x-enum-varnames") {
            strings["x-enum-varnames"] = names;
        }
        schema.remove("type");
        schema.insert("oneOf".to_owned(), json!([strings, {"type": "null"}]));
    }
}

/// `POST /api/v1/pastes`: the fields and exactly what each takes.
fn request_body(doc: &mut OpenApi, rules: &Rules) {
    let Some(body) = component(doc, "CreatePaste") else {
        return;
    };
    body.additional_properties = Some(Box::new(AdditionalProperties::FreeForm(false)));
    if let Some(content) = property(body, "content") {
        content.min_length = Some(1);
        content.max_length = Some(rules.max_paste_bytes);
        content.pattern = Some(format!("[^{WHITESPACE}]"));
    }
    if let Some(title) = property(body, "title") {
        title.max_length = Some(rules.max_title_chars);
        title.pattern = Some(NO_CONTROL.to_owned());
    }
    if let Some(language) = property(body, "language") {
        language.enum_values = Some(language_sent());
        let names = Extensions::builder()
            .add("x-enum-varnames", Value::Array(language_names()))
            .build();
        language.extensions = Some(names);
    }
    if let Some(views) = property(body, "max_views") {
        views.minimum = Some(1.into());
        views.maximum = Some(rules.max_views.into());
    }
    if let Some(expires) = property(body, "expires") {
        expires.pattern = Some(self::expires(rules.max_expiry));
    }
    if let Some(visibility) = property(body, "visibility") {
        // `private` needs a bearer token (422 `private_needs_account`
        // without one), which a schema cannot say; it is listed so that a
        // generated client can send it (schemathesis's hooks know the 422).
        visibility.enum_values = Some(vec![
            json!("public"),
            json!("unlisted"),
            json!("private"),
            json!(""),
            Value::Null,
        ]);
    }
}

/// Path, query and header parameters, wherever they appear.
fn parameters(doc: &mut OpenApi) {
    for item in doc.paths.paths.values_mut() {
        let operations = [&mut item.get, &mut item.post, &mut item.delete];
        for operation in operations.into_iter().flatten() {
            for parameter in parameters_of(operation) {
                let schema = match (&parameter.parameter_in, parameter.name.as_str()) {
                    (ParameterIn::Path, "id") => string(paste_id()),
                    (ParameterIn::Path, "username") => string(username_sent()),
                    (ParameterIn::Query, "cursor") => string(cursor()),
                    (ParameterIn::Query, "limit") => ObjectBuilder::new()
                        .schema_type(Type::Integer)
                        .minimum(Some(1_usize))
                        .maximum(Some(MAX_PAGE))
                        .default(Some(json!(DEFAULT_PAGE)))
                        .build(),
                    (ParameterIn::Header, "Idempotency-Key") => string(idempotency_key()),
                    // The archive's search: a known language or none, and
                    // at most `MAX_SEARCH_CHARS` of title words.
                    (ParameterIn::Query, "language") => {
                        let mut tokens = vec![json!("")];
                        tokens.extend(super::languages::tokens().into_iter().map(|s| json!(s)));
                        ObjectBuilder::new()
                            .schema_type(Type::String)
                            .enum_values(Some(tokens))
                            .build()
                    }
                    (ParameterIn::Query, "title") => ObjectBuilder::new()
                        .schema_type(Type::String)
                        .max_length(Some(crate::domain::listing::MAX_SEARCH_CHARS))
                        .build(),
                    _ => continue,
                };
                parameter.schema = Some(RefOr::T(Schema::Object(schema)));
            }
        }
    }
}

fn parameters_of(
    operation: &mut Operation,
) -> impl Iterator<Item = &mut utoipa::openapi::path::Parameter> {
    operation.parameters.iter_mut().flatten()
}

fn string(pattern: String) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(pattern))
        .build()
}

/// What answers hold: the shapes the server writes.
fn answers(doc: &mut OpenApi) {
    for name in ["PasteMeta", "PasteLine"] {
        let Some(paste) = component(doc, name) else {
            continue;
        };
        if let Some(id) = property(paste, "id") {
            id.pattern = Some(paste_id());
        }
        for link in ["url", "raw_url"] {
            if let Some(link) = property(paste, link) {
                link.format = Some(SchemaFormat::Custom("uri".to_owned()));
            }
        }
        if let Some(title) = property(paste, "title") {
            title.min_length = Some(1);
            title.pattern = Some(NO_CONTROL.to_owned());
        }
        for name in ["language", "shown_language"] {
            if let Some(language) = property(paste, name) {
                language.pattern = Some(language_kept());
            }
        }
        if let Some(visibility) = property(paste, "visibility") {
            visibility.enum_values =
                Some(vec![json!("public"), json!("unlisted"), json!("private")]);
        }
    }
    if let Some(created) = all_of_part(doc, "CreatedPaste")
        && let Some(token) = property(created, "delete_token")
    {
        token.pattern = Some("^[0-9A-Za-z]{32}$".to_owned());
    }
    if let Some(author) =
        all_of_part(doc, "PasteWithContent").and_then(|part| property(part, "author"))
    {
        author.pattern = Some(username_kept());
    }
    if let Some(month) = component(doc, "MonthViews").and_then(|m| property(m, "month")) {
        month.pattern = Some(MONTH.to_owned());
    }
    if let Some(name) = component(doc, "UserInfo").and_then(|u| property(u, "username")) {
        name.pattern = Some(username_kept());
    }
    for list in ["UserPastes", "RecentPastes"] {
        if let Some(next) = component(doc, list).and_then(|p| property(p, "next_cursor")) {
            next.pattern = Some(cursor());
        }
    }
}

/// The object schema of a component.
fn component<'d>(doc: &'d mut OpenApi, name: &str) -> Option<&'d mut Object> {
    match doc.components.as_mut()?.schemas.get_mut(name)? {
        RefOr::T(Schema::Object(object)) => Some(object),
        _ => None,
    }
}

/// The inline object of a component that flattens another (`allOf: [$ref, {...}]`).
fn all_of_part<'d>(doc: &'d mut OpenApi, name: &str) -> Option<&'d mut Object> {
    let RefOr::T(Schema::AllOf(all)) = doc.components.as_mut()?.schemas.get_mut(name)? else {
        return None;
    };
    all.items.iter_mut().find_map(|item| match item {
        RefOr::T(Schema::Object(object)) => Some(object),
        _ => None,
    })
}

/// An object's property, when it is an inline schema.
fn property<'o>(object: &'o mut Object, name: &str) -> Option<&'o mut Object> {
    match object.properties.get_mut(name)? {
        RefOr::T(Schema::Object(property)) => Some(property),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether `text` is a whole match of the alternatives `one_to` wrote, read
    /// by hand: the pattern is a list of literal digits, classes and repeats.
    fn numbers_matched(n: u64) -> Vec<u64> {
        let pattern = format!("^(?:{})$", one_to(n));
        let compiled = jsonschema::validator_for(&json!({"type": "string", "pattern": pattern}))
            .expect("the pattern compiles");
        (0..=n + 20)
            .filter(|i| compiled.is_valid(&json!(i.to_string())))
            .collect()
    }

    #[test]
    fn each_language_has_its_own_identifier() {
        let names = language_names();
        let values: Vec<_> = language_sent()
            .into_iter()
            .filter(|v| !v.is_null())
            .collect();
        assert_eq!(names.len(), values.len());
        let mut seen = std::collections::HashSet::new();
        for name in &names {
            let name = name.as_str().expect("a string").to_uppercase();
            assert!(
                name.starts_with(|c: char| c.is_ascii_alphabetic())
                    && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
                "{name}"
            );
            assert!(seen.insert(name.clone()), "{name} twice");
        }
        assert_eq!(identifier("c++"), "c_plus_plus");
        assert_eq!(identifier("c#"), "c_sharp");
    }

    #[test]
    fn one_to_n_matches_exactly_the_numbers_one_to_n() {
        for n in [
            1, 5, 9, 10, 11, 19, 20, 52, 99, 100, 101, 365, 525, 1000, 8760,
        ] {
            assert_eq!(numbers_matched(n), (1..=n).collect::<Vec<_>>(), "1 to {n}");
        }
    }

    #[test]
    fn expires_takes_each_unit_up_to_the_maximum() {
        let year = expires(Duration::from_secs(365 * 86_400));
        let compiled = jsonschema::validator_for(&json!({"type": "string", "pattern": year}))
            .expect("the pattern compiles");
        for fits in [
            "",
            "never",
            "1y",
            "52w",
            "365d",
            "8760h",
            "525600m",
            "31536000s",
            "007d",
        ] {
            assert!(compiled.is_valid(&json!(fits)), "{fits}");
        }
        for breaks in [
            "2y", "53w", "366d", "8761h", "0m", "00s", "1 h", " 1h", "1H", "Never", "1.5h",
        ] {
            assert!(!compiled.is_valid(&json!(breaks)), "{breaks}");
        }
        assert_eq!(
            expires(Duration::from_secs(90)),
            "^(?:never|0*(?:[1-9]|[1-8][0-9]|90)s|0*(?:1)m)?$"
        );
    }
}
