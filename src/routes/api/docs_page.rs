//! `GET /api`: the JSON API as a page people read, written from the same
//! OpenAPI document `/api/v1/openapi.json` serves (so the two cannot
//! disagree), self-contained like every page.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde_json::Value;
use utoipa::OpenApi;

use super::contract;
use super::openapi::ApiDoc;
use crate::routes::plumbing::failure::PageError;
use crate::routes::web::{page_builder, render};
use crate::state::AppState;

/// Enumerations longer than this are summarized (the language list).
const LONGEST_ENUM: usize = 12;

/// Patterns longer than this (`expires`'s counted units) are left to the
/// document: no reader follows them.
const LONGEST_PATTERN: usize = 80;

struct Operation {
    method: String,
    path: String,
    anchor: String,
    /// Rendered inline Markdown.
    summary: String,
    /// Markdown, rendered (our own text: see `markdown`).
    description: String,
    parameters: Vec<Field>,
    /// The body's media type and object name, if it takes one.
    body: Option<(String, String)>,
    /// Every field of the body, with its type and limits.
    body_fields: Vec<Field>,
    /// Status and its meaning (rendered Markdown).
    responses: Vec<(String, String)>,
    /// Commands to copy: anonymous, then with a bearer token where it applies.
    examples: Vec<String>,
}

struct Field {
    name: String,
    place: String,
    required: bool,
    kind: String,
    /// Rendered Markdown.
    description: String,
}

struct Schema {
    name: String,
    /// Rendered Markdown.
    description: String,
    fields: Vec<Field>,
}

#[derive(Template)]
#[template(path = "api.html")]
struct ApiPage {
    nav: crate::routes::web::nav::Nav,
    title: String,
    description: String,
    operations: Vec<Operation>,
    schemas: Vec<Schema>,
}

/// Our own descriptions (the handlers' doc comments and `contract`'s words)
/// as HTML: Markdown, with any raw HTML in them shown as text, so the page
/// never carries markup that was not made here.
fn markdown(text: &str) -> String {
    use pulldown_cmark::{Event, Parser};
    let events = Parser::new(text).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        other => other,
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

/// One line of Markdown, rendered without its paragraph.
fn inline_markdown(text: &str) -> String {
    let html = markdown(text);
    let html = html.trim_end();
    html.strip_prefix("<p>")
        .and_then(|h| h.strip_suffix("</p>"))
        .unwrap_or(html)
        .to_owned()
}

/// A description, rendered.
fn described(value: &Value, key: &str) -> String {
    markdown(&text(value, key))
}

fn text(value: &Value, key: &str) -> String {
    value
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned()
}

fn ref_name(value: &Value) -> Option<String> {
    value
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.rsplit('/').next())
        .map(str::to_owned)
}

/// A schema's type in a few words: `string, pattern ^…$`, `one of: a, b`.
fn describe(schema: &Value) -> String {
    if let Some(name) = ref_name(schema) {
        return name;
    }
    for combo in ["oneOf", "anyOf", "allOf"] {
        if let Some(parts) = schema.get(combo).and_then(Value::as_array) {
            let kinds: Vec<String> = parts.iter().map(describe).collect();
            return kinds.join(" or ");
        }
    }
    let mut out = match schema.get("type") {
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(" or "),
        Some(Value::String(t)) if t == "array" => {
            format!(
                "array of {}",
                schema.get("items").map_or_else(String::new, describe)
            )
        }
        Some(Value::String(t)) => t.clone(),
        _ => String::new(),
    };
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        let shown: Vec<String> = values
            .iter()
            .map(|v| match v {
                Value::String(s) if s.is_empty() => "\"\"".to_owned(),
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect();
        if shown.len() > LONGEST_ENUM {
            out.push_str(&format!(
                ", one of {} values (the languages: GET /api/v1/languages)",
                shown.len()
            ));
        } else {
            out.push_str(&format!(", one of: {}", shown.join(", ")));
        }
    }
    for (key, label) in [
        ("format", "format"),
        ("pattern", "pattern"),
        ("minLength", "at least"),
        ("maxLength", "at most"),
        ("minimum", "from"),
        ("maximum", "to"),
    ] {
        if let Some(v) = schema.get(key) {
            let v = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
            if v.len() > LONGEST_PATTERN {
                out.push_str(&format!(", {label}: see the OpenAPI document"));
            } else {
                out.push_str(&format!(", {label} {v}"));
            }
        }
    }
    out.trim_start_matches(", ").to_owned()
}

/// The schema a `$ref` names, or the schema itself.
fn resolve<'d>(doc: &'d Value, schema: &'d Value) -> &'d Value {
    ref_name(schema)
        .and_then(|name| doc.pointer(&format!("/components/schemas/{name}")))
        .unwrap_or(schema)
}

/// An object schema's fields, required ones marked.
fn fields_of(schema: &Value) -> Vec<Field> {
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    schema
        .get("properties")
        .and_then(Value::as_object)
        .map(|ps| {
            ps.iter()
                .map(|(field, p)| Field {
                    name: field.clone(),
                    place: String::new(),
                    required: required.contains(&field.as_str()),
                    kind: describe(p),
                    description: described(p, "description"),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A value to show for a field in an example body.
fn sample(name: &str, schema: &Value) -> Value {
    if let Some(example) = schema.get("example") {
        return example.clone();
    }
    match name {
        "content" => Value::from("hello, world"),
        "username" => Value::from("ada"),
        "password" => Value::from("your password"),
        "name" => Value::from("laptop"),
        _ => Value::Null,
    }
}

/// Copy-pasteable `curl` commands for an operation under `base`: one as any
/// caller, and one with a bearer token where the operation takes one.
fn examples(base: &str, method: &str, path: &str, op: &Value, body: Option<&Value>) -> Vec<String> {
    let url = format!(
        "{base}{}",
        path.replace("{id}", "aZ3kP9xQ")
            .replace("{username}", "ada")
    );
    let takes_bearer = op
        .get("security")
        .and_then(Value::as_array)
        .is_some_and(|s| s.iter().any(|r| r.get("bearer").is_some()));
    let verb = match method {
        "get" => String::new(),
        other => format!(" -X {}", other.to_uppercase()),
    };
    let data = body.map(|schema| {
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut out = serde_json::Map::new();
        if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            for (name, p) in props {
                let value = sample(name, p);
                if required.contains(&name.as_str()) || !value.is_null() {
                    out.insert(name.clone(), value);
                }
            }
        }
        format!(
            " -H 'Content-Type: application/json' -d '{}'",
            Value::Object(out)
        )
    });
    let data = data.unwrap_or_default();
    let mut out = Vec::new();
    if method == "delete" {
        out.push(format!(
            "curl{verb} -H \"X-Delete-Token: $DELETE_TOKEN\" {url}"
        ));
    } else {
        out.push(format!("curl{verb}{data} {url}"));
    }
    if takes_bearer {
        out.push(format!(
            "curl{verb} -H \"Authorization: Bearer $TOKEN\"{data} {url}"
        ));
    }
    out
}

fn operations(doc: &Value, base: &str) -> Vec<Operation> {
    let mut out = Vec::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return out;
    };
    for (path, item) in paths {
        for method in ["get", "post", "put", "delete"] {
            let Some(op) = item.get(method) else { continue };
            let parameters = op
                .get("parameters")
                .and_then(Value::as_array)
                .map(|ps| {
                    ps.iter()
                        .map(|p| Field {
                            name: text(p, "name"),
                            place: text(p, "in"),
                            required: p.get("required").and_then(Value::as_bool).unwrap_or(false),
                            kind: p.get("schema").map_or_else(String::new, describe),
                            description: described(p, "description"),
                        })
                        .collect()
                })
                .unwrap_or_default();
            let body = op
                .pointer("/requestBody/content")
                .and_then(Value::as_object)
                .and_then(|c| c.iter().next())
                .map(|(media, v)| (media.clone(), v.get("schema").cloned().unwrap_or_default()));
            let body_schema = body.as_ref().map(|(_, schema)| resolve(doc, schema));
            let body_fields = body_schema.map(fields_of).unwrap_or_default();
            let responses = op
                .get("responses")
                .and_then(Value::as_object)
                .map(|rs| {
                    rs.iter()
                        .map(|(status, r)| (status.clone(), described(r, "description")))
                        .collect()
                })
                .unwrap_or_default();
            let examples = examples(base, method, path, op, body_schema);
            let anchor = format!("{method}{}", path.replace(['/', '{', '}'], "-"));
            out.push(Operation {
                method: method.to_uppercase(),
                path: path.clone(),
                anchor,
                summary: inline_markdown(&text(op, "summary")),
                description: described(op, "description"),
                parameters,
                body: body.map(|(media, schema)| (media, describe(&schema))),
                body_fields,
                responses,
                examples,
            });
        }
    }
    out
}

fn schemas(doc: &Value) -> Vec<Schema> {
    let Some(all) = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return Vec::new();
    };
    all.iter()
        .map(|(name, schema)| Schema {
            name: name.clone(),
            description: described(schema, "description"),
            fields: fields_of(schema),
        })
        .collect()
}

/// `GET /api`
pub(crate) async fn page(
    caller: crate::routes::plumbing::caller::Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let mut doc = ApiDoc::openapi();
    contract::constrain(&mut doc, state.services.pastes.rules());
    let mut json =
        serde_json::to_value(&doc).map_err(|e| crate::error::AppError::Internal(e.into()))?;
    contract::split_nullable_enums(&mut json);
    contract::require_text(&mut json);
    let page = ApiPage {
        nav: crate::routes::web::nav::Nav::of(&caller),
        title: json
            .pointer("/info/title")
            .and_then(Value::as_str)
            .unwrap_or("API")
            .to_owned(),
        description: markdown(
            json.pointer("/info/description")
                .and_then(Value::as_str)
                .unwrap_or(""),
        ),
        operations: operations(&json, state.http.links.base()),
        schemas: schemas(&json),
    };
    Ok(page_builder(StatusCode::OK).body(render(&page)?))
}
