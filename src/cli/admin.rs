//! `pastebin admin`: the operator's commands. They open the backends from
//! the same configuration as `serve` and act through the same services
//! (`service::admin`), so every clone and cache follows; each action is
//! written to the audit log in the document store.

use std::io::Write;
use std::net::IpAddr;

use clap::{Args, Subcommand};

use crate::configuration::Settings;
use crate::domain::{Category, Note, PasteId, Username};
use crate::routes::plumbing::client::Clients;
use crate::service::admin::{Acting, RecentQuery};

/// The operator's commands.
#[derive(Debug, Args)]
pub(crate) struct AdminArgs {
    /// Who acts, as the audit log records it (default: the OS user).
    #[arg(long, global = true, value_name = "NAME")]
    operator: Option<String>,
    /// The command.
    #[command(subcommand)]
    command: AdminCommand,
}

#[derive(Debug, Subcommand)]
enum AdminCommand {
    /// Take a paste down without its delete token: its content leaves the
    /// store and every cache of the fleet before this returns; its page,
    /// raw text, API and every other route then answer 410 "removed by the
    /// operator" with the reason's category. The id is never reused.
    Remove {
        /// The paste's id or URL.
        id: String,
        /// Why, one of: spam, malware, personal_data, copyright, abuse,
        /// illegal, other (pages show it).
        #[arg(long, value_parser = parse_category)]
        reason: Category,
        /// Why, in your words (kept in the audit log, never shown).
        #[arg(long)]
        note: Option<String>,
    },
    /// Disable or enable an account.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// The newest pastes, of everyone or of one client or user.
    Recent {
        /// Only those created from this address (IPv6: its network, as
        /// rate limits count it).
        #[arg(long, value_name = "ADDRESS", conflicts_with = "by_user")]
        by_address: Option<IpAddr>,
        /// Only those of this user.
        #[arg(long, value_name = "NAME")]
        by_user: Option<String>,
        /// How many.
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Readers' reports (the open ones; --all for every one), or close one.
    Reports {
        /// Close this report.
        #[arg(long, value_name = "REPORT")]
        resolve: Option<String>,
        /// Why it is closed (with --resolve).
        #[arg(long, requires = "resolve")]
        note: Option<String>,
        /// Closed reports too.
        #[arg(long, conflicts_with = "resolve")]
        all: bool,
        /// How many.
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// The audit log of admin actions, newest first.
    Audit {
        /// How many.
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Disable an account: it cannot log in, and its sessions and API
    /// tokens end at once on every clone. Its pastes stay, unless
    /// --remove-pastes takes every one of them down as well.
    Disable {
        /// The user's name.
        name: String,
        /// Take down every paste of the account too (410, for good).
        #[arg(long)]
        remove_pastes: bool,
        /// Why (kept in the audit log).
        #[arg(long)]
        note: Option<String>,
    },
    /// Enable a disabled account again (it may log in; ended sessions and
    /// deleted tokens stay ended).
    Enable {
        /// The user's name.
        name: String,
        /// Why (kept in the audit log).
        #[arg(long)]
        note: Option<String>,
    },
}

fn parse_category(text: &str) -> Result<Category, String> {
    Category::parse(text).ok_or_else(|| format!("one of: {}", Category::codes()))
}

fn note(text: Option<&str>) -> anyhow::Result<Option<Note>> {
    text.map(|t| {
        Note::parse(t)
            .ok_or_else(|| anyhow::anyhow!("--note: at most 1000 characters of text, not empty"))
    })
    .transpose()
}

fn username(text: &str) -> anyhow::Result<Username> {
    Username::parse(text).ok_or_else(|| anyhow::anyhow!("{text:?} is not a username"))
}

/// The id in an id or a URL (`https://host/aZ3kP9xQ`, `/raw/aZ3kP9xQ`, `aZ3kP9xQ.rs`).
fn paste_id(text: &str) -> anyhow::Result<PasteId> {
    let text = text.split(['#', '?']).next().unwrap_or_default();
    // A URL's path only: its host is no id.
    let path = match text.split_once("://") {
        Some((_, rest)) => rest.split_once('/').map_or("", |(_, path)| path),
        None => text,
    };
    let last = path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default();
    let id = last.split('.').next().unwrap_or_default();
    PasteId::parse(id).ok_or_else(|| anyhow::anyhow!("{text:?} names no paste id"))
}

/// Who acts: `--operator`, else the OS user.
fn operator(given: Option<String>) -> String {
    given
        .filter(|o| !o.trim().is_empty())
        .or_else(|| std::env::var("USER").ok())
        .or_else(|| std::env::var("LOGNAME").ok())
        .unwrap_or_else(|| "unknown".into())
}

fn stamp(at: time::OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| at.to_string())
}

/// Runs an admin command; what it did goes to stdout.
pub(crate) async fn run(settings: Settings, args: AdminArgs) -> anyhow::Result<()> {
    let services = crate::startup::admin_services(&settings).await?;
    let admin = &services.admin;
    let operator = operator(args.operator);
    let acting = |category: Option<Category>, text: Option<&str>| -> anyhow::Result<Acting> {
        Ok(Acting {
            operator: operator.clone(),
            category,
            note: note(text)?,
        })
    };
    let mut out = std::io::stdout().lock();
    match args.command {
        AdminCommand::Remove { id, reason, note } => {
            let id = paste_id(&id)?;
            let acting = acting(Some(reason), note.as_deref())?;
            match admin.remove(&id, &acting).await? {
                Some(_) => writeln!(
                    out,
                    "removed {id} ({reason}): its content is gone from the store and every cache; it answers 410"
                )?,
                None => writeln!(
                    out,
                    "{id} was not stored (deleted, expired or removed before); it is marked removed ({reason}) and answers 410"
                )?,
            }
        }
        AdminCommand::User { command } => match command {
            UserCommand::Disable {
                name,
                remove_pastes,
                note,
            } => {
                let name = username(&name)?;
                let done = admin
                    .disable(&name, remove_pastes, &acting(None, note.as_deref())?)
                    .await?;
                writeln!(
                    out,
                    "disabled {name}: its sessions end on every clone, {} API token(s) deleted{}",
                    done.tokens,
                    match remove_pastes {
                        true => format!(", {} paste(s) removed", done.pastes),
                        false => ", its pastes kept".into(),
                    }
                )?;
            }
            UserCommand::Enable { name, note } => {
                let name = username(&name)?;
                admin.enable(&name, &acting(None, note.as_deref())?).await?;
                writeln!(out, "enabled {name}: it may log in again")?;
            }
        },
        AdminCommand::Recent {
            by_address,
            by_user,
            limit,
        } => {
            let clients = Clients::new(
                settings.server.trusted_proxies.clone(),
                settings.server.client_ipv6_prefix.get(),
            );
            let client = by_address.map(|ip| clients.name(ip.to_canonical()));
            let user = by_user.as_deref().map(username).transpose()?;
            let query = match (&client, &user) {
                (Some(client), _) => RecentQuery::Client(client),
                (None, Some(user)) => RecentQuery::User(user),
                (None, None) => RecentQuery::All,
            };
            let lines = admin.recent(query, limit).await?;
            writeln!(out, "created\tid\tvisibility\tauthor\tclient\ttitle")?;
            for p in lines {
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    stamp(p.created_at),
                    p.id,
                    p.visibility.as_str(),
                    p.author.as_ref().map_or("-", |a| a.as_str()),
                    p.client.as_deref().unwrap_or("-"),
                    p.title.as_deref().unwrap_or("-").escape_debug(),
                )?;
            }
        }
        AdminCommand::Reports {
            resolve: Some(id),
            note,
            ..
        } => {
            let report = PasteId::parse(id.trim())
                .ok_or_else(|| anyhow::anyhow!("{id:?} is not a report id"))?;
            match admin
                .resolve(&report, &acting(None, note.as_deref())?)
                .await
            {
                Ok(()) => writeln!(out, "resolved report {report}")?,
                Err(crate::error::AppError::NotFound) => {
                    anyhow::bail!("no open report {report}")
                }
                Err(e) => return Err(e.into()),
            }
        }
        AdminCommand::Reports { all, limit, .. } => {
            writeln!(out, "report\treported\tpaste\treason\tstate\tdetails")?;
            for r in admin.reports(!all, limit).await? {
                let state = match &r.resolution {
                    Some(done) => format!("resolved by {} {}", done.operator, stamp(done.at)),
                    None => "open".into(),
                };
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    r.id,
                    stamp(r.at),
                    r.paste,
                    r.category,
                    state,
                    r.details
                        .as_ref()
                        .map_or("-", |d| d.as_str())
                        .escape_debug(),
                )?;
            }
        }
        AdminCommand::Audit { limit } => {
            writeln!(out, "at\toperator\taction\ttarget\treason")?;
            for e in admin.audit_log(limit).await? {
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}",
                    stamp(e.at),
                    e.operator,
                    e.action,
                    e.target,
                    e.reason.as_deref().unwrap_or("-").escape_debug(),
                )?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_read_from_an_id_or_any_url_of_the_paste() {
        for text in [
            "aZ3kP9xQ",
            "https://paste.example/aZ3kP9xQ",
            "https://paste.example/raw/aZ3kP9xQ",
            "https://paste.example/aZ3kP9xQ.rs#L3",
            "/aZ3kP9xQ/",
        ] {
            assert_eq!(paste_id(text).expect(text).as_str(), "aZ3kP9xQ");
        }
        assert!(paste_id("https://paste.example/").is_err());
    }
}
