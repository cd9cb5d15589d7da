//! The settings tree against the contract in `config/default.toml`, and the
//! words of every refusal.

use std::time::Duration;

use config::{Config, File, FileFormat};

use super::*;

/// The defaults with `toml` layered over them, as a file would be.
fn load(toml: &str) -> Result<Settings, ConfigError> {
    let layers = Config::builder()
        .add_source(File::from_str(DEFAULTS, FileFormat::Toml))
        .add_source(File::from_str(toml, FileFormat::Toml))
        .build()?;
    Settings::from_layers(layers)
}

/// The message `toml` is refused with, checked for the shape every refusal
/// has: one line, the key named, the accepted values in words, and none of
/// serde's or the `config` crate's own phrasing.
fn refusal(toml: &str, key: &str, accepts: &str) -> String {
    let message = load(toml)
        .map(|_| ())
        .expect_err("the value is refused")
        .to_string();
    assert!(
        message.starts_with(&format!("configuration key `{key}`: ")),
        "{toml}: {message}"
    );
    assert!(message.contains(accepts), "{toml}: {message}");
    assert!(!message.contains('\n'), "{toml}: {message}");
    for internal in [
        "invalid type",
        "invalid value",
        "expected",
        "unknown variant",
        "u64",
        "u16",
        "usize",
        "for key",
    ] {
        assert!(!message.contains(internal), "{toml}: {message}");
    }
    message
}

#[test]
fn the_built_in_defaults_load_and_match_the_contract() {
    let settings = Settings::defaults().expect("defaults load");
    assert_eq!(settings.server.host, "127.0.0.1");
    assert_eq!(settings.server.port, 8080);
    assert_eq!(settings.limits.max_paste_bytes.get(), 2_097_152);
    assert_eq!(settings.limits.create_per_minute.get(), 60);
    assert_eq!(settings.mongodb.database, "pastebin");
    assert_eq!(
        settings.mongodb.paste_read_preference,
        ReadPreference::Primary
    );
    assert!(settings.mongodb.uri.is_none());
    assert!(settings.redis.url.is_none());
    assert_eq!(
        settings.cache.view_ttl_secs.duration(),
        Duration::from_secs(3600)
    );
    assert_eq!(
        settings.limits.max_expiry.duration(),
        Duration::from_secs(365 * 86_400)
    );
    assert_eq!(settings.limits.max_expiry.to_string(), "1y");
    assert_eq!(settings.jobs.retry_backoff, Duration::from_millis(1000));
    assert_eq!(settings.http.raw_max_age_secs, 0);
    assert_eq!(settings.public_url_for(8080), "http://127.0.0.1:8080");
}

#[test]
fn numbers_are_refused_with_their_range_in_words() {
    refusal(
        "[server]\nport = \"0x\"",
        "server.port",
        "a port number from 0 to 65535",
    );
    refusal("[server]\nport = 70000", "server.port", "from 0 to 65535");
    refusal("[server]\nworkers = -1", "server.workers", "0 or more");
    refusal("[ids]\nlength = 5", "ids.length", "from 6 to 32");
    refusal("[ids]\nlength = 8.5", "ids.length", "from 6 to 32");
    refusal(
        "[limits]\nmax_paste_bytes = 20971520",
        "limits.max_paste_bytes",
        "a number of bytes from 1 to 15728640",
    );
    refusal(
        "[limits]\ncreate_per_minute = 0",
        "limits.create_per_minute",
        "from 1 to 4294967295",
    );
    refusal(
        "[limits]\nmax_title_chars = 0",
        "limits.max_title_chars",
        "from 1 to 1000",
    );
    refusal(
        "[cache]\nmemory_bytes = 1000",
        "cache.memory_bytes",
        "at least 1048576",
    );
    refusal("[jobs]\nmax_attempts = 0", "jobs.max_attempts", "from 1 to");
}

#[test]
fn each_lifetime_and_timeout_names_its_own_key() {
    for key in [
        "cache.view_ttl_secs",
        "cache.missing_ttl_secs",
        "cache.tombstone_ttl_secs",
        "jobs.visits_flush_secs",
        "jobs.sweep_interval_secs",
        "jobs.reclaim_after_secs",
        "shutdown.grace_secs",
    ] {
        let (section, name) = key.split_once('.').expect("a dotted key");
        refusal(
            &format!("[{section}]\n{name} = 0"),
            key,
            "a whole number of seconds, at least 1",
        );
    }
    for key in [
        "mongodb.server_selection_timeout_ms",
        "mongodb.connect_timeout_ms",
        "mongodb.operation_timeout_ms",
        "redis.response_timeout_ms",
        "redis.connect_timeout_ms",
    ] {
        let (section, name) = key.split_once('.').expect("a dotted key");
        refusal(
            &format!("[{section}]\n{name} = 0"),
            key,
            "a whole number of milliseconds, at least 1",
        );
    }
    refusal(
        "[jobs]\nretry_backoff_ms = \"soon\"",
        "jobs.retry_backoff_ms",
        "milliseconds, 0 or more",
    );
    refusal(
        "[http]\nraw_max_age_secs = -1",
        "http.raw_max_age_secs",
        "seconds, 0 or more",
    );
}

#[test]
fn the_longest_expiry_is_a_duration_up_to_a_century() {
    for bad in ["forever", "9000y", "0s", "9999999999999999y"] {
        refusal(
            &format!("[limits]\nmax_expiry = \"{bad}\""),
            "limits.max_expiry",
            "a duration from 1s to 100y",
        );
    }
    let settings = load("[limits]\nmax_expiry = \"2w\"").expect("two weeks is accepted");
    assert_eq!(
        settings.limits.max_expiry.duration(),
        Duration::from_secs(14 * 86_400)
    );
}

#[test]
fn choices_are_refused_with_every_name_listed() {
    refusal(
        "[store]\nsynchronous = \"fast\"",
        "store.synchronous",
        "must be full or normal",
    );
    refusal(
        "[log]\nformat = \"xml\"",
        "log.format",
        "must be human or json",
    );
    refusal(
        "[mongodb]\npaste_read_preference = \"secondary\"",
        "mongodb.paste_read_preference",
        "must be primary, primaryPreferred, secondaryPreferred or nearest",
    );
    refusal(
        "[cache]\nenabled = \"maybe\"",
        "cache.enabled",
        "must be true or false",
    );
    refusal(
        "[limits]\nrate_limit_fail_open = [true]",
        "limits.rate_limit_fail_open",
        "must be true or false",
    );
    let settings = load(
        "[mongodb]\npaste_read_preference = \"secondaryPreferred\"\n\
         [cache]\nenabled = \"off\"",
    )
    .expect("both are accepted");
    assert_eq!(
        settings.mongodb.paste_read_preference,
        ReadPreference::SecondaryPreferred
    );
    assert!(!settings.cache.enabled);
}

#[test]
fn text_settings_are_refused_with_what_they_accept() {
    refusal(
        "[server]\npublic_url = \"ftp://x\"",
        "server.public_url",
        "empty or a URL starting with http:// or https://",
    );
    refusal("[server]\nhost = \" \"", "server.host", "a non-empty text");
    refusal("[store]\npath = \"\"", "store.path", "the path of a folder");
    refusal(
        "[server]\ntrusted_proxies = [\"10.0.0.1\", \"nope\"]",
        "server.trusted_proxies",
        "a list of IP addresses",
    );
    refusal(
        "[mongodb]\nuri = \"postgres://x\"",
        "mongodb.uri",
        "mongodb:// or mongodb+srv://",
    );
    refusal("[redis]\nurl = \"http://x\"", "redis.url", "a Redis URL");
    refusal("[log]\nlevel = \"info,[\"", "log.level", "a tracing filter");
    refusal(
        "[cache]\nview_ttl_secs = { a = 1 }",
        "cache.view_ttl_secs",
        "seconds",
    );
}

#[test]
fn an_unknown_key_is_named_not_ignored() {
    let message = load("[server]\nprot = 1")
        .map(|_| ())
        .expect_err("a typo is refused")
        .to_string();
    assert!(
        message.starts_with("configuration key `server.prot`: no such key"),
        "{message}"
    );
    let message = load("[sever]\nport = 1")
        .map(|_| ())
        .expect_err("a misspelt section is refused")
        .to_string();
    assert!(message.contains("`sever`"), "{message}");
}

#[test]
fn a_configured_public_url_loses_its_trailing_slash() {
    let settings = load("[server]\npublic_url = \"https://paste.example/\"").expect("a URL");
    assert_eq!(settings.public_url_for(1), "https://paste.example");
    let settings = load("[server]\nport = \"9000\"").expect("digits in a string are a port");
    assert_eq!(settings.server.port, 9000);
}

#[test]
fn a_missing_file_is_named_once() {
    let message = Settings::load(Some(Path::new("/nonexistent/pastebin.toml")))
        .map(|_| ())
        .expect_err("a named file must exist")
        .to_string();
    assert!(
        message.starts_with("configuration file ")
            && message.contains("/nonexistent/pastebin.toml"),
        "{message}"
    );
}

#[test]
fn a_drain_of_zero_is_none_and_a_negative_one_is_refused() {
    let settings = load("[shutdown]\ndrain_secs = 0").expect("0 is accepted");
    assert_eq!(settings.shutdown.drain(), std::time::Duration::ZERO);
    refusal(
        "[shutdown]\ndrain_secs = -1",
        "shutdown.drain_secs",
        "a whole number of seconds, 0 or more (0 stops accepting at once)",
    );
}

#[test]
fn settings_from_an_environment_refuse_unknown_keys_and_bad_values() {
    let vars = |pairs: &[(&str, &str)]| {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect::<Vec<_>>()
    };
    let settings = Settings::from_environment(vars(&[
        ("PASTEBIN__SERVER__PORT", "9000"),
        ("PASTEBIN__SERVER__TRUSTED_PROXIES", "10.0.0.2,10.0.0.3"),
    ]))
    .expect("known keys, good values");
    assert_eq!(settings.server.port, 9000);
    assert_eq!(settings.server.trusted_proxies.len(), 2);
    let unknown = Settings::from_environment(vars(&[("PASTEBIN__SERVER__PROT", "9000")]))
        .expect_err("a misspelt key");
    assert!(unknown.to_string().contains("server.prot"), "{unknown}");
    let bad = Settings::from_environment(vars(&[("PASTEBIN__SERVER__PORT", "eighty")]))
        .expect_err("a bad value");
    assert!(bad.to_string().contains("server.port"), "{bad}");
}

#[test]
fn sentinel_settings_come_from_a_comma_separated_variable() {
    let settings = Settings::from_environment([
        (
            "PASTEBIN__REDIS__SENTINELS".to_owned(),
            "redis://10.0.0.1:26379,redis://10.0.0.2:26379".to_owned(),
        ),
        (
            "PASTEBIN__REDIS__SERVICE_NAME".to_owned(),
            "main".to_owned(),
        ),
    ])
    .expect("sentinels and a service name");
    assert_eq!(
        settings.redis.target(),
        Some(crate::redis_link::RedisTarget::Sentinel {
            sentinels: vec![
                "redis://10.0.0.1:26379".to_owned(),
                "redis://10.0.0.2:26379".to_owned()
            ],
            service: "main".to_owned(),
        })
    );
}

#[test]
fn redis_topologies_are_one_or_the_other_and_sentinel_needs_both_keys() {
    let sentinels = r#"sentinels = ["redis://127.0.0.1:26379"]"#;
    refusal(
        &format!("[redis]\nurl = \"redis://127.0.0.1\"\n{sentinels}\nservice_name = \"m\""),
        "redis.sentinels",
        "not both",
    );
    refusal(
        &format!("[redis]\n{sentinels}"),
        "redis.service_name",
        "must be set with redis.sentinels",
    );
    refusal(
        "[redis]\nservice_name = \"m\"",
        "redis.sentinels",
        "must list the sentinels",
    );
    refusal(
        "[redis]\nsentinels = [\"http://x\"]\nservice_name = \"m\"",
        "redis.sentinels",
        "a list of sentinel URLs",
    );
    refusal(
        &format!("[redis]\n{sentinels}\nservice_name = \"two words\""),
        "redis.service_name",
        "a name such as",
    );
}
