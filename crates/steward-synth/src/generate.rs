//! Generating the whole platform.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use jiff::tz::{self, TimeZone};
use rayon::prelude::*;
use serde::Serialize;

use steward_model::category::keys;

use crate::config::Config;
use crate::error::{Result, SynthError};
use crate::output::{Out, Progress};
use crate::staff::Roster;
use crate::traffic::parquet::GatewayParquet;
use crate::traffic::records::{RecordKind, write_auth_json, write_gateway_json};
use crate::traffic::{HOUR_MS, Merger, Plan, Record, generate_slice};
use crate::truth::{AttackCollector, AttackTruth, Columns, TextTruth, is_public_v4};
use crate::{clean, manifest_gen, stores, text};

/// Paths of the logs and the ground truth.
pub mod paths {
    #![allow(missing_docs)]
    pub const MANIFEST: &str = "manifest.yaml";
    pub const ROSTER: &str = "hr/roster.csv";
    pub const GATEWAY_LOG: &str = "logs/gateway/access.jsonl";
    pub const GATEWAY_PARQUET: &str = "logs/gateway/access.parquet";
    pub const AUTH_LOG: &str = "logs/auth/issuance.jsonl";
    pub const TRUTH_SUMMARY: &str = "truth/summary.json";
    pub const TRUTH_COLUMNS: &str = "truth/pii_columns.jsonl";
    pub const TRUTH_TEXT: &str = "truth/pii_text.jsonl";
    pub const TRUTH_ATTACK_EVENTS: &str = "truth/attack_events.jsonl.zst";
    pub const TRUTH_AFFECTED: &str = "truth/affected.jsonl.zst";
    pub const TRUTH_VIOLATIONS: &str = "truth/violations.json";
}

/// What was generated; also written to `truth/summary.json`.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Seed.
    pub seed: u64,
    /// First simulated instant, RFC 3339.
    pub start: String,
    /// End of the simulated window, RFC 3339.
    pub end: String,
    /// Members.
    pub customers: u64,
    /// Members by country.
    pub customers_by_country: BTreeMap<String, u64>,
    /// Distinct third parties in address books.
    pub third_parties: u64,
    /// Address-book entries.
    pub address_book_entries: u64,
    /// Orders.
    pub orders: u64,
    /// Support tickets.
    pub tickets: u64,
    /// Application log lines.
    pub app_log_lines: u64,
    /// Gateway events.
    pub gateway_events: u64,
    /// Auth-service events.
    pub auth_events: u64,
    /// Staff on the roster.
    pub staff: usize,
    /// The real breach's first exploitation (14 April 2025 KST), for comparison.
    pub real_breach_start: &'static str,
    /// Attacks and what they affected.
    pub attacks: BTreeMap<&'static str, AttackTruth>,
}

fn write_jsonl<T: Serialize>(out: &Out, rel: &str, rows: &[T]) -> Result<()> {
    let mut buf = Vec::new();
    for r in rows {
        serde_json::to_writer(&mut buf, r).map_err(|e| SynthError::Serialize {
            path: rel.into(),
            message: e.to_string(),
        })?;
        buf.push(b'\n');
    }
    out.write(rel, &buf)
}

struct Zst {
    path: std::path::PathBuf,
    enc: zstd::Encoder<'static, std::io::BufWriter<std::fs::File>>,
}

impl Zst {
    fn create(out: &Out, rel: &str) -> Result<Self> {
        let path = out.path(rel)?;
        let err = |source| SynthError::Write {
            path: path.clone(),
            source,
        };
        let file = std::fs::File::create(&path).map_err(err)?;
        let enc = zstd::Encoder::new(std::io::BufWriter::new(file), 3).map_err(err)?;
        Ok(Self { path, enc })
    }
    fn write(&mut self, bytes: &[u8]) -> Result<()> {
        self.enc
            .write_all(bytes)
            .map_err(|source| SynthError::Write {
                path: self.path.clone(),
                source,
            })
    }
    fn finish(self) -> Result<()> {
        let path = self.path;
        self.enc
            .finish()
            .and_then(|mut w| w.flush())
            .map_err(|source| SynthError::Write { path, source })
    }
}

/// Generates the platform into `dir`.
///
/// # Errors
/// An invalid configuration, or the first write that failed, naming its file.
pub fn generate(cfg: &Config, dir: &Path, progress: &dyn Progress) -> Result<Summary> {
    cfg.validate()?;
    let out = Out::create(dir)?;
    let seed = cfg.seed;
    let n = cfg.customers;
    let kst = TimeZone::fixed(tz::offset(9));
    let midnight = |d: jiff::civil::Date| {
        kst.to_timestamp(d.to_datetime(jiff::civil::Time::midnight()))
            .map(|t| t.as_millisecond())
    };
    let start_ms = midnight(cfg.start).map_err(|_| SynthError::InvalidConfig {
        field: "--start",
        value: cfg.start.to_string(),
        reason: "is out of range",
    })?;
    let end_ms = start_ms + i64::from(cfg.days) * 24 * HOUR_MS;
    let weekday = cfg.start.weekday().to_monday_zero_offset() as u32;

    let roster = Roster::build(seed, n);
    out.write(paths::ROSTER, roster.to_csv().as_bytes())?;
    let lead = roster
        .employees
        .first()
        .map(|e| e.employee_id.clone())
        .unwrap_or_default();
    let clean = cfg.variant == crate::Variant::Clean;
    let mut manifest =
        manifest_gen::build(paths::ROSTER, &lead, 14).map_err(|e| SynthError::Serialize {
            path: paths::MANIFEST.into(),
            message: e.to_string(),
        })?;
    let as_of = cfg
        .start
        .saturating_add(jiff::Span::new().days(i64::from(cfg.days)));
    if clean {
        crate::violations::make_clean(&mut manifest, cfg.start);
    }
    let yaml = serde_norway::to_string(&manifest).map_err(|e| SynthError::Serialize {
        path: paths::MANIFEST.into(),
        message: e.to_string(),
    })?;
    out.write(
        paths::MANIFEST,
        format!("# Synthetic platform manifest (steward generate, seed {seed})\n{yaml}").as_bytes(),
    )?;

    let mut cols = Columns::default();
    let store_stats =
        stores::write_customer_stores(&out, seed, n, start_ms, end_ms, &mut cols, progress)?;
    let mut text_truth: Vec<TextTruth> = Vec::new();
    let tickets = text::write_tickets(&out, seed, n, start_ms, clean, &mut text_truth)?;
    let app_log_lines =
        text::write_app_log(&out, seed, n, start_ms, cfg.days, clean, &mut text_truth)?;
    text::write_secrets(&out, seed, clean, &mut text_truth)?;
    clean::write_clean(&out, seed, 5_000)?;
    write_jsonl(&out, paths::TRUTH_TEXT, &text_truth)?;

    // Access traffic.
    let replay_start = midnight(jiff::civil::date(2025, 4, 14))
        .ok()
        .map(|t| (t - start_ms) / HOUR_MS)
        .and_then(|h| u32::try_from(h).ok());
    let sizing = crate::traffic::plan_sizing(cfg.target_events(), cfg.replay_fraction);
    let plan = Plan::new(
        seed,
        start_ms,
        weekday,
        cfg.days,
        n,
        roster.clone(),
        &sizing,
        &cfg.attacks,
        replay_start,
    );
    let staff_ids = roster.ids();
    let format = cfg.gateway_format;
    let mut gateway = if format.jsonl() {
        Some(out.file(paths::GATEWAY_LOG)?)
    } else {
        None
    };
    let mut gateway_pq = if format.parquet() {
        Some(GatewayParquet::create(&out.path(paths::GATEWAY_PARQUET)?)?)
    } else {
        None
    };
    let mut auth = out.file(paths::AUTH_LOG)?;
    let mut attack_events = Zst::create(&out, paths::TRUTH_ATTACK_EVENTS)?;
    let mut collector = AttackCollector::default();
    let mut merger = Merger::new();
    let (mut gateway_events, mut auth_events) = (0u64, 0u64);
    let (mut gateway_ips, mut auth_ips) = (0u64, 0u64);
    progress.stage("access logs", u64::from(plan.hours));
    let chunk = 4u32;
    let mut emit = |records: Vec<Vec<Record>>,
                    gateway: &mut Option<crate::output::OutFile>,
                    gateway_pq: &mut Option<GatewayParquet>,
                    auth: &mut crate::output::OutFile,
                    attack_events: &mut Zst,
                    collector: &mut AttackCollector|
     -> Result<()> {
        #[allow(clippy::type_complexity)]
        let encoded: Vec<(Vec<u8>, Vec<u8>, u64, u64, u64, u64)> = records
            .par_iter()
            .map(|slice| {
                let cap = if format.jsonl() { slice.len() * 330 } else { 0 };
                let (mut g, mut a) = (Vec::with_capacity(cap), Vec::new());
                let (mut gn, mut an, mut gp, mut ap) = (0, 0, 0, 0);
                for r in slice {
                    match &r.kind {
                        RecordKind::Gateway(req) => {
                            if format.jsonl() {
                                write_gateway_json(&mut g, r.ts, r.seq, req, &staff_ids);
                            }
                            gn += 1;
                            gp += u64::from(is_public_v4(req.ip));
                        }
                        RecordKind::Issued { ip, .. } | RecordKind::LoginFailed { ip, .. } => {
                            write_auth_json(&mut a, r, &staff_ids);
                            an += 1;
                            ap += u64::from(is_public_v4(*ip));
                        }
                    }
                }
                (g, a, gn, an, gp, ap)
            })
            .collect();
        for ((g, a, gn, an, gp, ap), slice) in encoded.iter().zip(&records) {
            if let Some(gateway) = gateway.as_mut() {
                gateway.write(g)?;
            }
            if let Some(pq) = gateway_pq.as_mut() {
                for r in slice {
                    if let RecordKind::Gateway(req) = &r.kind {
                        pq.push(r.ts, r.seq, req, &staff_ids)?;
                    }
                }
            }
            auth.write(a)?;
            gateway_events += gn;
            auth_events += an;
            gateway_ips += gp;
            auth_ips += ap;
            for r in slice {
                if let Some((_, line)) = collector.observe(r) {
                    attack_events.write(line.as_bytes())?;
                }
            }
        }
        Ok(())
    };
    let mut h = 0;
    while h < plan.hours {
        let end = (h + chunk).min(plan.hours);
        let generated: Vec<Vec<Record>> = (h..end)
            .into_par_iter()
            .map(|hour| generate_slice(&plan, hour))
            .collect();
        let due: Vec<Vec<Record>> = generated
            .into_iter()
            .zip(h..end)
            .map(|(slice, hour)| merger.push(slice, plan.start_ms + i64::from(hour + 1) * HOUR_MS))
            .collect();
        emit(
            due,
            &mut gateway,
            &mut gateway_pq,
            &mut auth,
            &mut attack_events,
            &mut collector,
        )?;
        progress.advance(u64::from(end - h));
        h = end;
    }
    let rest = merger.finish();
    emit(
        vec![rest],
        &mut gateway,
        &mut gateway_pq,
        &mut auth,
        &mut attack_events,
        &mut collector,
    )?;
    if let Some(gateway) = gateway {
        gateway.finish()?;
    }
    if let Some(pq) = gateway_pq {
        pq.finish()?;
    }
    auth.finish()?;
    attack_events.finish()?;
    progress.finish_stage();

    progress.stage("ground truth", 1);
    let staff = roster.employees.len() as u64;
    cols.add(
        "hr.roster",
        paths::ROSTER,
        "name",
        keys::NAME,
        "PERSON_NAME",
        staff,
        staff,
    );
    let gateway_ip_columns = [
        (format.jsonl(), paths::GATEWAY_LOG, "$.client.ip"),
        (format.parquet(), paths::GATEWAY_PARQUET, "client_ip"),
    ];
    for (path, loc) in gateway_ip_columns
        .iter()
        .filter(|c| c.0 && gateway_ips > 0)
        .map(|c| (c.1, c.2))
    {
        cols.add(
            "gateway.access",
            path,
            loc,
            keys::IP_ADDRESS,
            "IP_ADDRESS",
            gateway_ips,
            gateway_events,
        );
    }
    for (dataset, path, loc, values, rows) in [(
        "auth.issuance",
        paths::AUTH_LOG,
        "$.ip",
        auth_ips,
        auth_events,
    )] {
        if values > 0 {
            cols.add(
                dataset,
                path,
                loc,
                keys::IP_ADDRESS,
                "IP_ADDRESS",
                values,
                rows,
            );
        }
    }
    let column_truth = cols.rows();
    write_jsonl(&out, paths::TRUTH_COLUMNS, &column_truth)?;
    let violations = crate::violations::expected(
        &manifest,
        &roster,
        &text_truth,
        &column_truth,
        as_of,
        cfg.variant,
    );
    let json = serde_json::to_vec_pretty(&violations).map_err(|e| SynthError::Serialize {
        path: paths::TRUTH_VIOLATIONS.into(),
        message: e.to_string(),
    })?;
    out.write(paths::TRUTH_VIOLATIONS, &json)?;
    let mut affected = Zst::create(&out, paths::TRUTH_AFFECTED)?;
    let mut failure = None;
    let attacks = collector.finish(seed, n, |line| {
        if failure.is_none() {
            failure = affected.write(line.as_bytes()).err();
        }
    });
    if let Some(e) = failure {
        return Err(e);
    }
    affected.finish()?;
    progress.finish_stage();

    let summary = Summary {
        seed,
        start: steward_model::time::rfc3339_millis(start_ms),
        end: steward_model::time::rfc3339_millis(end_ms),
        customers: n,
        customers_by_country: store_stats.customers_by_country,
        third_parties: store_stats.third_parties,
        address_book_entries: store_stats.book_entries,
        orders: store_stats.orders,
        tickets,
        app_log_lines,
        gateway_events,
        auth_events,
        staff: roster.employees.len(),
        real_breach_start: "2025-04-14T00:00:00+09:00",
        attacks,
    };
    let json = serde_json::to_vec_pretty(&summary).map_err(|e| SynthError::Serialize {
        path: paths::TRUTH_SUMMARY.into(),
        message: e.to_string(),
    })?;
    out.write(paths::TRUTH_SUMMARY, &json)?;
    Ok(summary)
}
