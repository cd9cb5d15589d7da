//! deploy/compose-sentinel.yaml and deploy/k8s-sentinel: layered over the
//! fleet's files, they leave clones and workers with Sentinel's settings
//! (and no `redis.url`), naming sentinels the files start.

use std::collections::BTreeMap;

use pastebin::redis_link::RedisTarget;
use serde_yaml_ng::Value;

use super::{at, documents, settings_of, string_map, text};

/// `base` with `over` layered as Compose does: keys added or replaced, a
/// `!reset` key removed.
fn layered(base: &Value, over: &Value, what: &str) -> BTreeMap<String, String> {
    let mut env = string_map(base, what);
    for (key, value) in over.as_mapping().expect("an environment mapping") {
        let key = key.as_str().expect("a text key").to_owned();
        match value {
            Value::Tagged(tagged) if tagged.tag == "!reset" => {
                env.remove(&key);
            }
            Value::String(text) => {
                env.insert(key, text.clone());
            }
            other => panic!("{what}: {key} is {other:?}"),
        }
    }
    env
}

fn sentinel_hosts(target: Option<RedisTarget>, what: &str) -> Vec<String> {
    match target {
        Some(RedisTarget::Sentinel { sentinels, service }) => {
            assert_eq!(service, "pastebin", "{what}");
            sentinels
                .iter()
                .map(|url| {
                    let rest = url.rsplit('@').next().expect("a URL");
                    rest.trim_start_matches("redis://").to_owned()
                })
                .collect()
        }
        other => panic!("{what}: Redis is {other:?}, not Sentinel"),
    }
}

#[test]
fn the_compose_override_points_every_pastebin_service_at_its_sentinels() {
    const FILE: &str = "deploy/compose-sentinel.yaml";
    let mut base = documents("deploy/docker-compose.yml").remove(0);
    base.apply_merge().expect("the fleet file's merges resolve");
    let over = documents(FILE).remove(0);
    let shared = at(&base, &["x-pastebin-env"], "the fleet file");
    for service in ["migrate", "app", "worker"] {
        let what = format!("{FILE}, service {service}");
        let env = layered(
            shared,
            at(&over, &["services", service, "environment"], &what),
            &what,
        );
        let settings = settings_of(&env, &what);
        assert!(settings.redis.url.is_none(), "{what}: redis.url is reset");
        for host in sentinel_hosts(settings.redis.target(), &what) {
            let name = host.split(':').next().expect("a host");
            assert!(
                over.get("services").and_then(|s| s.get(name)).is_some(),
                "{what}: sentinel {name} is a service of the file"
            );
        }
    }
    let command = at(&over, &["x-sentinel", "command", "2"], FILE)
        .as_str()
        .expect("the sentinel's script");
    assert!(
        command.contains("sentinel monitor pastebin redis 6379 2"),
        "{command}"
    );
}

#[test]
fn the_kubernetes_overlay_swaps_the_redis_url_for_the_statefulsets_sentinels() {
    const DIR: &str = "deploy/k8s-sentinel";
    let secret = documents("deploy/k8s/secret.yaml").remove(0);
    let patch = documents(&format!("{DIR}/backends.yaml")).remove(0);
    let mut env = string_map(at(&secret, &["stringData"], "secret.yaml"), "secret.yaml");
    for (key, value) in at(&patch, &["stringData"], DIR)
        .as_mapping()
        .expect("stringData")
    {
        let key = key.as_str().expect("a key").to_owned();
        match value.as_str() {
            Some(text) => env.insert(key, text.to_owned()),
            None => env.remove(&key),
        };
    }
    let settings = settings_of(&env, DIR);
    assert!(settings.redis.url.is_none(), "the patch removes redis.url");
    let set = documents(&format!("{DIR}/redis-sentinel.yaml"));
    let stateful = set
        .iter()
        .find(|d| d.get("kind").and_then(Value::as_str) == Some("StatefulSet"))
        .expect("a StatefulSet");
    let name = text(stateful, &["metadata", "name"], DIR);
    let service = text(stateful, &["spec", "serviceName"], DIR);
    let replicas = at(stateful, &["spec", "replicas"], DIR)
        .as_u64()
        .expect("a count");
    let hosts = sentinel_hosts(settings.redis.target(), DIR);
    assert_eq!(hosts.len() as u64, replicas, "one sentinel per pod");
    for (n, host) in hosts.iter().enumerate() {
        assert_eq!(
            host,
            &format!("{name}-{n}.{service}:26379"),
            "pod {n}'s sentinel"
        );
    }
    let kustomization = documents(&format!("{DIR}/kustomization.yaml")).remove(0);
    let resources = at(&kustomization, &["resources"], DIR);
    assert_eq!(resources.get(0).and_then(Value::as_str), Some("../k8s"));
}
