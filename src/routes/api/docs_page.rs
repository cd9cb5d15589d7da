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

struct Operation {
    method: String,
    path: String,
    anchor: String,
    summary: String,
    description: String,
    parameters: Vec<Field>,
    body: Option<String>,
    responses: Vec<(String, String)>,
}

struct Field {
    name: String,
    place: String,
    required: bool,
    kind: String,
    description: String,
}

struct Schema {
    name: String,
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
                ", one of {} values (the form's list)",
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
            out.push_str(&format!(", {label} {v}"));
        }
    }
    out.trim_start_matches(", ").to_owned()
}

fn operations(doc: &Value) -> Vec<Operation> {
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
                            description: text(p, "description"),
                        })
                        .collect()
                })
                .unwrap_or_default();
            let body = op
                .pointer("/requestBody/content")
                .and_then(Value::as_object)
                .and_then(|c| c.iter().next())
                .map(|(media, v)| {
                    format!(
                        "{media}: {}",
                        v.get("schema").map_or_else(String::new, describe)
                    )
                });
            let responses = op
                .get("responses")
                .and_then(Value::as_object)
                .map(|rs| {
                    rs.iter()
                        .map(|(status, r)| (status.clone(), text(r, "description")))
                        .collect()
                })
                .unwrap_or_default();
            let anchor = format!("{method}{}", path.replace(['/', '{', '}'], "-"));
            out.push(Operation {
                method: method.to_uppercase(),
                path: path.clone(),
                anchor,
                summary: text(op, "summary"),
                description: text(op, "description"),
                parameters,
                body,
                responses,
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
        .map(|(name, schema)| {
            let required: Vec<&str> = schema
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let fields = schema
                .get("properties")
                .and_then(Value::as_object)
                .map(|ps| {
                    ps.iter()
                        .map(|(field, p)| Field {
                            name: field.clone(),
                            place: String::new(),
                            required: required.contains(&field.as_str()),
                            kind: describe(p),
                            description: text(p, "description"),
                        })
                        .collect()
                })
                .unwrap_or_default();
            Schema {
                name: name.clone(),
                description: text(schema, "description"),
                fields,
            }
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
    let json =
        serde_json::to_value(&doc).map_err(|e| crate::error::AppError::Internal(e.into()))?;
    let page = ApiPage {
        nav: crate::routes::web::nav::Nav::of(&caller),
        title: json
            .pointer("/info/title")
            .and_then(Value::as_str)
            .unwrap_or("API")
            .to_owned(),
        description: json
            .pointer("/info/description")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned(),
        operations: operations(&json),
        schemas: schemas(&json),
    };
    Ok(page_builder(StatusCode::OK).body(render(&page)?))
}
