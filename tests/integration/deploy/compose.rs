//! deploy/docker-compose.yml: a replica set that initialises itself, and
//! pastebin services that start with the settings and ports the app has.

use serde_yaml_ng::Value;

use super::{
    assert_answers_200, at, documents, is_subcommand, read, settings_of, string_map, text,
};

const FILE: &str = "deploy/docker-compose.yml";

fn compose() -> Value {
    let mut docs = documents(FILE);
    assert_eq!(docs.len(), 1, "{FILE} is one document");
    let mut compose = docs.remove(0);
    compose
        .apply_merge()
        .expect("the `<<` merges of the file resolve");
    compose
}

fn service<'a>(compose: &'a Value, name: &str) -> &'a Value {
    at(compose, &["services", name], FILE)
}

#[test]
fn the_replica_set_initialises_itself_with_the_members_the_clones_use() {
    let compose = compose();
    let uri = text(
        service(&compose, "app"),
        &["environment", "PASTEBIN__MONGODB__URI"],
        FILE,
    );
    let init = text(
        service(&compose, "mongo1"),
        &["healthcheck", "test", "4"],
        FILE,
    );
    assert!(
        init.contains("rs.initiate"),
        "mongo1's health check initiates the set"
    );
    for member in ["mongo1", "mongo2", "mongo3"] {
        let node = service(&compose, member);
        let command: Vec<&str> = at(node, &["command"], FILE)
            .as_sequence()
            .expect("a command")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert!(
            command.windows(2).any(|w| w == ["--replSet", "rs0"]),
            "{member} is in rs0"
        );
        assert!(
            uri.contains(&format!("{member}:27017")),
            "the URI names {member}"
        );
        assert!(
            init.contains(&format!("'{member}:27017'")),
            "the set has {member}"
        );
    }
    assert!(uri.contains("replicaSet=rs0"));
    for (dependant, on) in [
        ("migrate", "mongo1"),
        ("app", "migrate"),
        ("worker", "migrate"),
        ("app", "redis"),
    ] {
        at(
            service(&compose, dependant),
            &["depends_on", on, "condition"],
            FILE,
        );
    }
}

#[tokio::test]
async fn pastebin_services_get_settings_the_binary_reads_and_the_balancer_finds_them() {
    let compose = compose();
    let services = at(&compose, &["services"], FILE)
        .as_mapping()
        .expect("services");
    let mut ours = 0;
    for (name, svc) in services {
        let name = name.as_str().expect("a service name");
        if svc.get("image").and_then(Value::as_str) != Some("pastebin:latest") {
            continue;
        }
        ours += 1;
        let what = format!("{FILE}, service {name}");
        let settings = settings_of(&string_map(at(svc, &["environment"], &what), &what), &what);
        assert!(
            settings.redis.url.is_some() && settings.mongodb.uri.is_some(),
            "{what} is a fleet member"
        );
        let command = text(svc, &["command", "0"], &what);
        assert!(
            is_subcommand(command),
            "{what} runs `pastebin {command}`, which exists"
        );
        assert_eq!(
            text(svc, &["build", "dockerfile"], &what),
            "deploy/Dockerfile"
        );
    }
    assert!(ours >= 3, "migrate, app and worker run the pastebin image");

    let app = service(&compose, "app");
    let env = string_map(at(app, &["environment"], FILE), FILE);
    let settings = settings_of(&env, FILE);
    let port = settings.server.port;
    assert!(
        at(app, &["deploy", "replicas"], FILE).as_u64() >= Some(2),
        "several clones"
    );
    assert!(at(service(&compose, "worker"), &["deploy", "replicas"], FILE).as_u64() >= Some(2));
    let health = text(app, &["healthcheck", "test", "3"], FILE);
    assert!(
        health.contains(&format!("/dev/tcp/127.0.0.1/{port}")) && health.contains("GET /readyz")
    );
    assert_answers_200(&["/readyz"]).await;

    let nginx = service(&compose, "nginx");
    let balancer = read("deploy/compose/nginx.conf");
    assert!(
        balancer.contains(&format!("server app:{port} ")),
        "nginx sends to the clones' port"
    );
    let nginx_address = text(nginx, &["networks", "fleet", "ipv4_address"], FILE);
    assert!(
        settings
            .server
            .trusted_proxies
            .iter()
            .any(|a| a.to_string() == nginx_address),
        "the clones believe nginx's X-Forwarded-For"
    );
    let volume = text(nginx, &["volumes", "0"], FILE);
    assert!(
        volume.starts_with("./compose/nginx.conf:"),
        "nginx runs deploy/compose/nginx.conf"
    );
}
