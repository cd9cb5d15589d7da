//! deploy/k8s: the manifests refer to each other and to the app as it is.

use std::collections::BTreeMap;

use serde_yaml_ng::Value;

use super::{
    assert_answers_200, at, documents, is_subcommand, read, settings_of, string_map, text,
};

/// Every document of deploy/k8s, by `Kind/name`.
fn manifests() -> BTreeMap<String, Value> {
    let kustomization = documents("deploy/k8s/kustomization.yaml").remove(0);
    let listed: Vec<&str> = at(&kustomization, &["resources"], "kustomization")
        .as_sequence()
        .expect("resources is a list")
        .iter()
        .map(|r| r.as_str().expect("a file name"))
        .collect();
    let on_disk: Vec<String> = std::fs::read_dir(super::repo("deploy/k8s"))
        .expect("deploy/k8s")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|n| n.ends_with(".yaml") && n != "kustomization.yaml")
        .collect();
    for file in &on_disk {
        assert!(
            listed.contains(&file.as_str()),
            "kustomization.yaml lists {file}"
        );
    }
    let mut all = BTreeMap::new();
    for file in listed {
        let path = format!("deploy/k8s/{file}");
        for doc in documents(&path) {
            text(&doc, &["apiVersion"], &path);
            let name = format!(
                "{}/{}",
                text(&doc, &["kind"], &path),
                text(&doc, &["metadata", "name"], &path)
            );
            assert!(
                all.insert(name.clone(), doc).is_none(),
                "{name} is defined once"
            );
        }
    }
    all
}

fn get<'a>(all: &'a BTreeMap<String, Value>, name: &str) -> &'a Value {
    all.get(name)
        .unwrap_or_else(|| panic!("deploy/k8s defines {name}"))
}

/// The environment a container gets: its envFrom ConfigMaps and Secrets, then its env.
fn environment(
    all: &BTreeMap<String, Value>,
    container: &Value,
    what: &str,
) -> BTreeMap<String, String> {
    let mut env = BTreeMap::new();
    for source in at(container, &["envFrom"], what)
        .as_sequence()
        .expect("envFrom is a list")
    {
        if let Some(map) = source.get("configMapRef") {
            let config = get(all, &format!("ConfigMap/{}", text(map, &["name"], what)));
            env.extend(string_map(at(config, &["data"], what), what));
        } else if let Some(secret) = source.get("secretRef") {
            let secret = get(all, &format!("Secret/{}", text(secret, &["name"], what)));
            env.extend(string_map(at(secret, &["stringData"], what), what));
        }
    }
    for var in container
        .get("env")
        .and_then(Value::as_sequence)
        .into_iter()
        .flatten()
    {
        env.insert(
            text(var, &["name"], what).to_owned(),
            text(var, &["value"], what).to_owned(),
        );
    }
    env
}

fn first_container<'a>(deployment: &'a Value, what: &str) -> &'a Value {
    at(
        deployment,
        &["spec", "template", "spec", "containers", "0"],
        what,
    )
}

fn labels(value: &Value, what: &str) -> BTreeMap<String, String> {
    string_map(value, what)
}

#[test]
fn every_manifest_parses_and_the_kinds_a_cluster_needs_are_there() {
    let all = manifests();
    for name in [
        "Deployment/pastebin-app",
        "Deployment/pastebin-worker",
        "Service/pastebin",
        "Ingress/pastebin",
        "HorizontalPodAutoscaler/pastebin-app",
        "PodDisruptionBudget/pastebin-app",
        "ConfigMap/pastebin-config",
        "Secret/pastebin-backends",
        "Job/pastebin-migrate",
    ] {
        get(&all, name);
    }
}

#[test]
fn every_setting_the_pods_get_is_one_the_binary_reads() {
    let all = manifests();
    for name in [
        "Deployment/pastebin-app",
        "Deployment/pastebin-worker",
        "Job/pastebin-migrate",
    ] {
        let workload = get(&all, name);
        let container = first_container(workload, name);
        let env = environment(&all, container, name);
        let settings = settings_of(&env, name);
        assert!(
            settings.redis.url.is_some() || name.starts_with("Job"),
            "{name} is a fleet member: Redis"
        );
        assert!(settings.mongodb.uri.is_some(), "{name} uses MongoDB");
        let args = at(container, &["args"], name).as_sequence().expect("args");
        let command = args[0].as_str().expect("a subcommand");
        assert!(
            is_subcommand(command),
            "{name} runs `pastebin {command}`, which exists"
        );
        let user = at(
            workload,
            &["spec", "template", "spec", "securityContext", "runAsUser"],
            name,
        );
        assert_ne!(user.as_u64(), Some(0), "{name} runs as a user, not root");
    }
}

#[tokio::test]
async fn ports_probes_and_selectors_match_the_app() {
    let all = manifests();
    let what = "Deployment/pastebin-app";
    let app = get(&all, what);
    let container = first_container(app, what);
    let settings = settings_of(&environment(&all, container, what), what);
    assert_eq!(text(container, &["args", "0"], what), "serve");

    // The port the clone listens on is the container's `http` port.
    let port = at(container, &["ports", "0"], what);
    assert_eq!(text(port, &["name"], what), "http");
    assert_eq!(
        at(port, &["containerPort"], what).as_u64(),
        Some(u64::from(settings.server.port))
    );
    assert_eq!(
        settings.server.host, "0.0.0.0",
        "reachable from outside the pod"
    );

    // Probes: readiness drains with the clone, liveness only says the process answers.
    assert_eq!(
        text(container, &["readinessProbe", "httpGet", "path"], what),
        "/readyz"
    );
    assert_eq!(
        text(container, &["livenessProbe", "httpGet", "path"], what),
        "/healthz"
    );
    for probe in ["readinessProbe", "livenessProbe"] {
        assert_eq!(text(container, &[probe, "httpGet", "port"], what), "http");
    }
    assert_answers_200(&["/readyz", "/healthz"]).await;

    // Kubernetes waits for the drain and the grace period before SIGKILL.
    let grace = at(
        app,
        &["spec", "template", "spec", "terminationGracePeriodSeconds"],
        what,
    )
    .as_u64()
    .expect("a number");
    assert!(
        grace > settings.shutdown.drain_secs + settings.shutdown.grace_secs.get(),
        "terminationGracePeriodSeconds ({grace}) outlasts shutdown.drain_secs + shutdown.grace_secs"
    );

    // The Service, the HPA and the PDB point at these pods; the Ingress at the Service.
    let pods = labels(
        at(app, &["spec", "template", "metadata", "labels"], what),
        what,
    );
    assert_eq!(
        labels(at(app, &["spec", "selector", "matchLabels"], what), what),
        pods
    );
    let service = get(&all, "Service/pastebin");
    assert_eq!(
        labels(at(service, &["spec", "selector"], "Service"), "Service"),
        pods
    );
    assert_eq!(
        text(service, &["spec", "ports", "0", "targetPort"], "Service"),
        "http"
    );
    let service_port = text(service, &["spec", "ports", "0", "name"], "Service");
    let pdb = get(&all, "PodDisruptionBudget/pastebin-app");
    assert_eq!(
        labels(at(pdb, &["spec", "selector", "matchLabels"], "PDB"), "PDB"),
        pods
    );
    let hpa = get(&all, "HorizontalPodAutoscaler/pastebin-app");
    assert_eq!(
        text(hpa, &["spec", "scaleTargetRef", "kind"], "HPA"),
        "Deployment"
    );
    assert_eq!(
        text(hpa, &["spec", "scaleTargetRef", "name"], "HPA"),
        "pastebin-app"
    );
    let ingress = get(&all, "Ingress/pastebin");
    let backend = at(
        ingress,
        &[
            "spec", "rules", "0", "http", "paths", "0", "backend", "service",
        ],
        "Ingress",
    );
    assert_eq!(text(backend, &["name"], "Ingress"), "pastebin");
    assert_eq!(text(backend, &["port", "name"], "Ingress"), service_port);
}

#[test]
fn the_worker_probes_the_redis_it_is_configured_with() {
    let all = manifests();
    let what = "Deployment/pastebin-worker";
    let worker = get(&all, what);
    let container = first_container(worker, what);
    assert_eq!(text(container, &["args", "0"], what), "worker");
    let env = environment(&all, container, what);
    assert!(
        settings_of(&env, what).redis.url.is_some(),
        "the worker has Redis"
    );
    let host = env["PASTEBIN__REDIS__URL"]
        .rsplit('@')
        .next()
        .and_then(|rest| rest.trim_start_matches("redis://").split(':').next())
        .expect("a host")
        .to_owned();
    for probe in ["readinessProbe", "livenessProbe"] {
        let command = at(container, &[probe, "exec", "command"], what)
            .as_sequence()
            .expect("a command")
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            command.contains(&format!("/dev/tcp/{host}/6379")),
            "{what}'s {probe} checks the Redis of redis.url ({host}): {command}"
        );
    }
    assert!(read("deploy/k8s/worker.yaml").contains("no HTTP port"));
}
