//! deploy/Dockerfile: multi-stage, non-root, and in step with the code.

use std::collections::BTreeMap;

use super::{read, repo, settings_of};

const FILE: &str = "deploy/Dockerfile";

/// The instructions, continuation lines joined and comments dropped: (INSTRUCTION, arguments).
fn instructions() -> Vec<(String, String)> {
    let mut joined = Vec::new();
    let mut current = String::new();
    for line in read(FILE).lines() {
        let line = line.trim();
        if line.starts_with('#') || (line.is_empty() && current.is_empty()) {
            continue;
        }
        match line.strip_suffix('\\') {
            Some(start) => {
                current.push_str(start);
                current.push(' ');
            }
            None => {
                current.push_str(line);
                joined.push(std::mem::take(&mut current));
            }
        }
    }
    joined
        .into_iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let (op, args) = l.trim().split_once(' ').unwrap_or((l.trim(), ""));
            (op.to_ascii_uppercase(), args.trim().to_owned())
        })
        .collect()
}

#[test]
fn the_image_is_built_in_stages_and_runs_as_a_user() {
    let all = instructions();
    let stages: Vec<usize> = all
        .iter()
        .enumerate()
        .filter(|(_, (op, _))| op == "FROM")
        .map(|(i, _)| i)
        .collect();
    assert!(stages.len() >= 2, "a build stage and a runtime stage");
    let runtime = &all[*stages.last().expect("a stage")..];
    let user = runtime
        .iter()
        .rev()
        .find(|(op, _)| op == "USER")
        .map(|(_, who)| who.split(':').next().unwrap_or_default().to_owned())
        .expect("the runtime stage names a USER");
    assert!(
        user != "root" && user != "0",
        "the service does not run as root"
    );
    assert!(
        runtime.iter().any(|(op, args)| op == "COPY"
            && args.contains("--from=build")
            && args.contains("/pastebin")),
        "the runtime stage holds only the built binary"
    );
    // The build stage's Rust is the one Cargo.toml asks for.
    let toolchain = read("Cargo.toml")
        .lines()
        .find_map(|l| l.strip_prefix("rust-version = "))
        .map(|v| v.trim_matches('"').to_owned())
        .expect("Cargo.toml has a rust-version");
    assert!(
        all[stages[0]].1.starts_with(&format!("rust:{toolchain}")),
        "the build stage uses Rust {toolchain}: {}",
        all[stages[0]].1
    );
}

#[test]
fn what_the_build_copies_exists_and_what_the_image_sets_is_read() {
    let all = instructions();
    for (_, args) in all
        .iter()
        .filter(|(op, args)| op == "COPY" && !args.contains("--from"))
    {
        let parts: Vec<&str> = args.split_whitespace().collect();
        for source in &parts[..parts.len() - 1] {
            assert!(
                repo(source).exists(),
                "{FILE} copies {source}, which exists"
            );
        }
    }
    let mut env = BTreeMap::new();
    for (_, args) in all.iter().filter(|(op, _)| op == "ENV") {
        for pair in args.split_whitespace() {
            let (key, value) = pair.split_once('=').expect("ENV KEY=VALUE");
            env.insert(key.to_owned(), value.to_owned());
        }
    }
    let settings = settings_of(&env, FILE);
    assert_eq!(
        settings.server.host, "0.0.0.0",
        "reachable from outside the container"
    );
    let exposed: Vec<u16> = all
        .iter()
        .filter(|(op, _)| op == "EXPOSE")
        .map(|(_, port)| port.trim_end_matches("/tcp").parse().expect("a port"))
        .collect();
    assert_eq!(exposed, [settings.server.port], "EXPOSE is server.port");
    let volume = all
        .iter()
        .find(|(op, _)| op == "VOLUME")
        .map(|(_, v)| v.as_str());
    assert_eq!(
        volume.map(std::path::Path::new),
        Some(settings.store.path.as_path()),
        "the store is a volume"
    );
    let entry = all
        .iter()
        .find(|(op, _)| op == "ENTRYPOINT")
        .map(|(_, v)| v.as_str());
    assert_eq!(entry, Some(r#"["/usr/local/bin/pastebin"]"#));
    let command = all
        .iter()
        .find(|(op, _)| op == "CMD")
        .map(|(_, v)| v.as_str());
    assert_eq!(command, Some(r#"["serve"]"#));
}
