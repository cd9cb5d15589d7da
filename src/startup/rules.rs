//! The services' rules, made from the settings: the one place where the
//! service layer's configuration is read.

use crate::configuration::Settings;
use crate::service::accounts::AccountRules;
use crate::service::views::ViewTtls;
use crate::service::{Rules, ServiceRules, rate_limit, user_pages};

/// The rules of every service, from the settings: the one place where the
/// service layer's configuration is read.
pub(crate) fn service_rules(settings: &Settings) -> ServiceRules {
    let (limits, accounts) = (&settings.limits, &settings.accounts);
    ServiceRules {
        view_ttls: ViewTtls {
            view: settings.cache.view_ttl_secs.duration(),
            missing: settings.cache.missing_ttl_secs.duration(),
            tombstone: settings.cache.tombstone_ttl_secs.duration(),
        },
        cache_enabled: settings.cache.enabled,
        local_visits_flush: settings.near_cache.visits_flush_ms.duration(),
        user_page_tombstone: user_pages::tombstone_life(
            settings
                .mongodb
                .uri
                .as_ref()
                // The driver's limits, end to end: finding a server,
                // connecting, then the operation itself.
                .map(|_| {
                    let m = &settings.mongodb;
                    m.server_selection_timeout_ms.duration()
                        + m.connect_timeout_ms.duration()
                        + m.operation_timeout_ms.duration()
                }),
        ),
        drafts: Rules {
            max_paste_bytes: limits.max_paste_bytes.get(),
            max_title_chars: limits.max_title_chars.get(),
            max_expiry: limits.max_expiry.duration(),
            max_expiry_text: limits.max_expiry.to_string(),
            max_views: limits.max_views.get(),
            max_files: limits.max_files.get(),
            max_file_bytes: limits.max_file_bytes.get(),
            revisions_kept: u64::from(limits.revisions_kept),
        },
        id_length: settings.ids.length.get(),
        accounts: AccountRules {
            password_memory_kib: accounts.password_memory_kib.get(),
            password_iterations: accounts.password_iterations.get(),
            signup: accounts.signup,
            require_login_to_create: accounts.require_login_to_create,
        },
        session_idle: settings.session.idle_secs.duration(),
        session_max: settings.session.max_secs.duration(),
        rate: rate_limit::Limits {
            create_per_minute: limits.create_per_minute,
            misses_per_minute: limits.misses_per_minute,
            edit_per_minute: limits.edit_per_minute,
            login_attempts_per_minute: accounts.login_attempts_per_minute,
            signups_per_minute: accounts.signups_per_minute,
            paste_unlocks_per_minute: limits.paste_unlocks_per_minute,
            reports_per_hour: limits.reports_per_hour,
            fail_open: limits.rate_limit_fail_open,
        },
        visits_fold_every: settings.jobs.visits_flush_secs.duration(),
        sweep_every: settings.jobs.sweep_interval_secs.duration(),
        render_ahead_max: settings.render.max_queued,
        address_key: settings.admin.address_key.clone(),
        fleet_lag: match settings.redis.configured()
            && settings.near_cache.enabled
            && settings.cache.enabled
        {
            // Half again as long: past it, every clone's tier has either
            // heard the change or stopped serving (`cache::near`).
            true => settings.near_cache.max_lag_ms.duration() * 3 / 2,
            false => std::time::Duration::ZERO,
        },
    }
}
