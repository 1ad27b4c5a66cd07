//! `steward impact`: the people, data categories and jurisdictions an
//! incident, an alert or a selector exposed, computed over the access logs;
//! or the user's own SQL over them.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use steward_impact::{Inputs, Selector};
use steward_model::impact::AffectedPerson;
use steward_store::StateStore;

use crate::progress::Bars;
use crate::state;

/// Output formats of `impact`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Terminal summary: totals and a jurisdiction × category table.
    Table,
    /// The impact summary as JSON.
    Json,
}

/// Options of `steward impact`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// A platform made by `steward generate`: its gateway log (Parquet when
    /// written, else JSON Lines), issuance log, manifest and stores.
    #[arg(long, value_name = "DIR")]
    pub platform: Option<PathBuf>,
    /// Gateway access logs (JSON Lines or Parquet with steward's flat
    /// columns); repeatable, replaces the platform's.
    #[arg(long = "logs", value_name = "FILE", num_args = 1..)]
    pub logs: Vec<PathBuf>,
    /// Token-issuance log (JSON Lines), for `--forged-only`.
    #[arg(long, value_name = "FILE")]
    pub issuance: Option<PathBuf>,
    /// Manifest: what each endpoint returns.
    #[arg(long, value_name = "FILE")]
    pub manifest: Option<PathBuf>,
    /// Customer database (SQLite with a `members` table).
    #[arg(long, value_name = "FILE")]
    pub customers: Option<PathBuf>,
    /// Address books (JSON Lines, one member per line).
    #[arg(long, value_name = "FILE")]
    pub address_books: Option<PathBuf>,

    /// Select the events of an incident stored by `steward hunt` (id or a
    /// unique prefix of at least six characters).
    #[arg(long, value_name = "ID", conflicts_with = "alert")]
    pub incident: Option<String>,
    /// Select the events of one alert stored by `steward hunt`.
    #[arg(long, value_name = "ID")]
    pub alert: Option<String>,
    /// Principal: token subject (member, employee, `svc:name`) or partner
    /// API key; repeatable.
    #[arg(long, value_name = "ID")]
    pub principal: Vec<String>,
    /// Token id (`jti`); repeatable.
    #[arg(long, value_name = "JTI")]
    pub token: Vec<String>,
    /// Signing key id (`kid`); repeatable.
    #[arg(long, value_name = "KID")]
    pub signing_key: Vec<String>,
    /// Only tokens with no issuance record (needs the issuance log).
    #[arg(long)]
    pub forged_only: bool,
    /// Source IP address; repeatable.
    #[arg(long, value_name = "IP")]
    pub ip: Vec<String>,
    /// Source country as the CDN reports it; repeatable.
    #[arg(long, value_name = "CC")]
    pub country: Vec<String>,
    /// Leave out access from this source country (`KR`: only from abroad);
    /// repeatable.
    #[arg(long, value_name = "CC")]
    pub not_country: Vec<String>,
    /// Client user agent, exactly; repeatable.
    #[arg(long, value_name = "UA")]
    pub user_agent: Vec<String>,
    /// Route template (`/api/v1/members/{id}/addresses`); repeatable.
    #[arg(long, value_name = "ROUTE")]
    pub route: Vec<String>,
    /// Window start, RFC 3339 (`2025-04-11T00:00:00+09:00`).
    #[arg(long, value_name = "TIME")]
    pub since: Option<jiff::Timestamp>,
    /// Window end (exclusive), RFC 3339.
    #[arg(long, value_name = "TIME")]
    pub until: Option<jiff::Timestamp>,

    /// Output format.
    #[arg(long, short, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write the summary to a file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Write the affected people as JSON Lines (id, kind, jurisdiction and
    /// basis, categories, channel, contact masked unless `--show-raw`).
    #[arg(long, value_name = "FILE")]
    pub people: Option<PathBuf>,
    /// Show contacts and IP addresses unmasked. They are personal data.
    #[arg(long)]
    pub show_raw: bool,
    /// Run this SQL over the tables `access` and `issuance` and print the
    /// result instead of computing an impact.
    #[arg(long, value_name = "QUERY")]
    pub sql: Option<String>,
    /// Do not record the impact in the state database.
    #[arg(long)]
    pub no_state: bool,
}

impl Args {
    /// The inputs these arguments name.
    fn inputs(&self) -> anyhow::Result<Inputs> {
        let mut inputs = match &self.platform {
            Some(dir) => Inputs::platform(dir),
            None => Inputs::default(),
        };
        if !self.logs.is_empty() {
            inputs.access.clone_from(&self.logs);
        }
        let set = |slot: &mut Option<PathBuf>, v: &Option<PathBuf>| {
            if v.is_some() {
                slot.clone_from(v);
            }
        };
        set(&mut inputs.issuance, &self.issuance);
        set(&mut inputs.manifest, &self.manifest);
        set(&mut inputs.customers, &self.customers);
        set(&mut inputs.address_books, &self.address_books);
        if inputs.access.is_empty() {
            anyhow::bail!("no access log: give --platform DIR or --logs FILE");
        }
        Ok(inputs)
    }

    /// Flags on top of a stored incident's or alert's selector: each flag
    /// given replaces that part.
    fn selector(&self, base: Selector) -> Selector {
        let mut s = base;
        let replace = |slot: &mut Vec<String>, v: &Vec<String>| {
            if !v.is_empty() {
                slot.clone_from(v);
            }
        };
        replace(&mut s.principals, &self.principal);
        replace(&mut s.tokens, &self.token);
        replace(&mut s.signing_keys, &self.signing_key);
        replace(&mut s.ips, &self.ip);
        replace(&mut s.countries, &self.country);
        replace(&mut s.exclude_countries, &self.not_country);
        replace(&mut s.user_agents, &self.user_agent);
        replace(&mut s.routes, &self.route);
        s.forged_only |= self.forged_only;
        if let Some(t) = self.since {
            s.since_ms = Some(t.as_millisecond());
        }
        if let Some(t) = self.until {
            s.until_ms = Some(t.as_millisecond());
        }
        s
    }
}

/// The selector from `--incident`/`--alert`, and the incident it belongs to.
fn stored(args: &Args, state_path: &Path) -> anyhow::Result<(Selector, Option<String>)> {
    if args.incident.is_none() && args.alert.is_none() {
        return Ok((Selector::default(), None));
    }
    let store = state::open(state_path)?;
    let alerts = store.alerts()?;
    if let Some(id) = &args.incident {
        let incidents = store.incidents()?;
        let inc = steward_impact::incident::find("incident", id, &incidents, |i| &i.id)?;
        let s = steward_impact::incident::from_incident(inc, &alerts)?;
        return Ok((s, Some(inc.id.clone())));
    }
    let id = args.alert.as_deref().unwrap_or_default();
    let alert = steward_impact::incident::find("alert", id, &alerts, |a| &a.id)?;
    let s = steward_impact::incident::from_alert(alert)?;
    Ok((s, alert.incident_id.clone()))
}

fn inventory_categories(state_path: &Path) -> Vec<String> {
    let Ok(store) = state::open(state_path) else {
        return Vec::new();
    };
    let mut cats: Vec<String> = store
        .inventory()
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r.location.starts_with("members."))
        .map(|r| r.category)
        .collect();
    cats.sort();
    cats.dedup();
    cats
}

fn person_line(p: &AffectedPerson, raw: bool) -> anyhow::Result<String> {
    let mut v = serde_json::to_value(p)?;
    if raw && let Some(obj) = v.as_object_mut() {
        obj.insert(
            "contact".to_owned(),
            serde_json::Value::String(p.contact.expose_raw().to_owned()),
        );
    }
    Ok(v.to_string())
}

/// Runs `steward impact`.
pub fn run(args: &Args, state_path: &Path, quiet: bool) -> anyhow::Result<u8> {
    let inputs = args.inputs()?;
    if let Some(query) = &args.sql {
        let engine = steward_impact::Engine::open(&inputs)?;
        let table = steward_impact::sql::run(&engine, query, args.show_raw)?;
        let mut out = std::io::stdout().lock();
        writeln!(out, "{table}")?;
        return Ok(0);
    }
    let (base, incident_id) = stored(args, state_path)?;
    let selector = args.selector(base);
    let fallback = inventory_categories(state_path);
    let impact = steward_impact::compute(&inputs, &selector, &fallback, &Bars::new(quiet))?;
    let s = &impact.summary;

    if let Some(path) = &args.people {
        let key = state::fingerprint_key(state_path)?;
        let file = std::fs::File::create(path)
            .with_context(|| format!("cannot write `{}`", path.display()))?;
        let mut w = std::io::BufWriter::new(file);
        for p in impact.people(&key)? {
            writeln!(w, "{}", person_line(&p?, args.show_raw)?)?;
        }
        w.flush()
            .with_context(|| format!("cannot write `{}`", path.display()))?;
    }

    if !args.no_state {
        let mut store = state::open(state_path)?;
        let id = steward_hunt::alert::stable_id(&[
            "impact",
            incident_id.as_deref().unwrap_or_default(),
            &s.selector,
        ]);
        store.put_impact(&steward_store::ImpactRecord {
            id,
            incident_id: incident_id.clone(),
            selector: s.selector.clone(),
            computed_at: state::now(),
            summary: serde_json::to_value(s)?,
        })?;
    }

    let text = match args.format {
        Format::Table => steward_impact::render::table(s, &impact.notes),
        Format::Json => format!("{}\n", serde_json::to_string_pretty(s)?),
    };
    match &args.output {
        Some(path) => std::fs::write(path, text)
            .with_context(|| format!("cannot write `{}`", path.display()))?,
        None => std::io::stdout().lock().write_all(text.as_bytes())?,
    }
    Ok(0)
}
