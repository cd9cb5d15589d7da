//! deploy/ checked against the code, since no container engine runs here: the
//! files parse, every `PASTEBIN__*` setting they give is one the binary reads
//! (read exactly as the binary reads its environment, values included), the
//! ports and probe paths are the ones the app serves, and the copies of the
//! balancer's nginx configuration are the same as the original.

mod balancer;
mod compose;
mod docker;
mod k8s;
mod sentinel;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use pastebin::configuration::Settings;
use serde_yaml_ng::Value;

use crate::support::app::spawn_app;

/// A path of the repository.
pub fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// The text of a file of the repository.
pub fn read(path: &str) -> String {
    std::fs::read_to_string(repo(path)).unwrap_or_else(|e| panic!("reading {path}: {e}"))
}

/// Every YAML document of a file (Kubernetes files may hold several).
pub fn documents(path: &str) -> Vec<Value> {
    let text = read(path);
    serde_yaml_ng::Deserializer::from_str(&text)
        .map(|doc| {
            serde::Deserialize::deserialize(doc).unwrap_or_else(|e| panic!("{path} parses: {e}"))
        })
        .filter(|doc: &Value| !doc.is_null())
        .collect()
}

/// The text at a path of keys, or a panic naming what is missing.
pub fn text<'a>(value: &'a Value, keys: &[&str], what: &str) -> &'a str {
    at(value, keys, what)
        .as_str()
        .unwrap_or_else(|| panic!("{what}: {} is not text", keys.join(".")))
}

/// The value at a path of keys (numbers index sequences).
pub fn at<'a>(value: &'a Value, keys: &[&str], what: &str) -> &'a Value {
    keys.iter().fold(value, |v, key| {
        let next = match key.parse::<usize>() {
            Ok(i) => v.get(i),
            Err(_) => v.get(*key),
        };
        next.unwrap_or_else(|| panic!("{what}: no {}", keys.join(".")))
    })
}

/// A mapping of text to text (an environment, a ConfigMap's data).
pub fn string_map(value: &Value, what: &str) -> BTreeMap<String, String> {
    value
        .as_mapping()
        .unwrap_or_else(|| panic!("{what} is a mapping"))
        .iter()
        .map(|(k, v)| {
            let key = k.as_str().unwrap_or_else(|| panic!("{what}: a text key"));
            let value = match v {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                other => panic!("{what}: {key} is {other:?}, not a scalar"),
            };
            (key.to_owned(), value)
        })
        .collect()
}

/// The settings a process started with `env` runs with; a panic naming the
/// file and the key if the binary would refuse to start.
pub fn settings_of(env: &BTreeMap<String, String>, what: &str) -> Settings {
    let ours = env
        .iter()
        .filter(|(k, _)| k.starts_with("PASTEBIN"))
        .map(|(k, v)| (k.clone(), v.clone()));
    for key in env.keys().filter(|k| k.starts_with("PASTEBIN")) {
        assert!(
            key.starts_with("PASTEBIN__"),
            "{what}: {key} is not read (settings are PASTEBIN__SECTION__KEY)"
        );
    }
    Settings::from_environment(ours)
        .unwrap_or_else(|e| panic!("{what}: the binary would not start: {e}"))
}

/// The subcommand exists: `pastebin <name> --help` succeeds.
pub fn is_subcommand(name: &str) -> bool {
    std::process::Command::new(env!("CARGO_BIN_EXE_pastebin"))
        .args([name, "--help"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The paths probes name answer 200 on a real app (its default settings).
pub async fn assert_answers_200(paths: &[&str]) {
    let app = spawn_app().await;
    for path in paths {
        let (status, body) = app.get(path).await;
        assert_eq!(status, 200, "{path} is a route that answers: {body}");
    }
}

/// The lines between `# BEGIN name` and `# END name` of an nginx file.
pub fn marked_block(text: &str, name: &str, what: &str) -> String {
    let begin = format!("# BEGIN {name}\n");
    let start = text
        .find(&begin)
        .unwrap_or_else(|| panic!("{what}: no '# BEGIN {name}'"));
    let end = text[start..]
        .find(&format!("# END {name}"))
        .unwrap_or_else(|| panic!("{what}: no '# END {name}'"));
    text[start + begin.len()..start + end]
        .lines()
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_copies_of_the_balancer_configuration_are_the_same() {
    let original = read("deploy/nginx-balancer.conf");
    let compose = read("deploy/compose/nginx.conf");
    for block in ["http", "upstream", "proxy"] {
        assert_eq!(
            marked_block(&compose, block, "deploy/compose/nginx.conf"),
            marked_block(&original, block, "deploy/nginx-balancer.conf"),
            "the {block} block of deploy/compose/nginx.conf is a copy of deploy/nginx-balancer.conf's"
        );
    }
    assert_eq!(
        server_params(&compose, "deploy/compose/nginx.conf"),
        server_params(&original, "deploy/nginx-balancer.conf"),
        "compose's upstream server has the original's parameters"
    );
    // deploy/fleet reads the original's blocks and server parameters itself.
    let fleet = read("deploy/fleet");
    for reads in [
        "nginx-balancer.conf",
        "marked(text, \"http\")",
        "marked(text, \"proxy\")",
        "server_params(text)",
    ] {
        assert!(fleet.contains(reads), "deploy/fleet reads {reads}");
    }
}

/// The parameters of an nginx file's first upstream `server ...:8080` line
/// (` max_fails=0`), without its trailing comment.
pub fn server_params(text: &str, what: &str) -> String {
    text.lines()
        .map(str::trim)
        .find_map(|l| {
            let rest = l.strip_prefix("server ")?;
            let (address, params) = rest.split_once(' ').unwrap_or((rest, ""));
            address.ends_with(":8080;").then_some("").or_else(|| {
                address
                    .ends_with(":8080")
                    .then(|| params.split(';').next().unwrap_or_default())
            })
        })
        .unwrap_or_else(|| panic!("{what}: no upstream server on port 8080"))
        .trim()
        .to_owned()
}
