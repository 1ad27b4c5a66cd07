//! The detection pipeline: events in, alert changes out. The same code runs
//! under `hunt` (a batch replay) and `watch` (a stream with checkpoints), so
//! the same events give the same alerts.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use steward_detect::{Detection, Detector, EventRole};
use steward_model::alert::Severity;
use steward_model::event::{AccessEvent, PrincipalKind};
use steward_sigma::{EngineConfig, RuleSet, SigmaEngine, SigmaMatch, SigmaState};

use crate::alert::{Alert, Origin, Status, alert_id};
use crate::book::{AlertBook, AlertChange, Change};
use crate::error::HuntError;
use crate::incidents::{Incident, IncidentBook};

/// Version of [`PipelineState`]; a checkpoint of another version is refused.
pub const PIPELINE_STATE_VERSION: u32 = 1;

/// Evidence event ids kept per alert.
const SAMPLES: usize = 5;

/// How the pipeline groups and times things.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PipelineConfig {
    /// Disorder allowed after the merge, ms: the watermark is the newest
    /// event time minus this. The merge already orders events within its
    /// slack, so 0 suits files and streams merged by steward.
    pub lateness_ms: i64,
    /// An alert closes after this long without new evidence, ms.
    pub alert_idle_gap_ms: i64,
    /// Alerts sharing an actor join an incident active within this, ms.
    pub incident_gap_ms: i64,
    /// Detectors are told of the watermark when it has moved this much, ms.
    pub advance_every_ms: i64,
}

impl Default for PipelineConfig {
    fn default() -> Self {
        Self {
            lateness_ms: 0,
            alert_idle_gap_ms: 3_600_000,
            incident_gap_ms: 86_400_000,
            advance_every_ms: 1_000,
        }
    }
}

/// What the pipeline counted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PipelineCounters {
    /// Access events.
    pub access_events: u64,
    /// Issuance events.
    pub issuance_events: u64,
    /// Alerts opened, by rule id.
    pub alerts_by_rule: BTreeMap<String, u64>,
}

/// Everything the pipeline keeps between events, for checkpoints.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PipelineState {
    /// [`PIPELINE_STATE_VERSION`].
    pub version: u32,
    /// Newest event time seen.
    pub max_time_ms: Option<i64>,
    /// Watermark last given to the detectors.
    pub advanced_to_ms: Option<i64>,
    /// Sigma engine state.
    pub sigma: Option<SigmaState>,
    /// Native detector states by id.
    pub detectors: BTreeMap<String, serde_json::Value>,
    /// Open alerts.
    pub alerts: AlertBook,
    /// Live incidents.
    pub incidents: IncidentBook,
    /// Counters.
    pub counters: PipelineCounters,
}

/// The pipeline.
pub struct Pipeline {
    rules: Option<Arc<RuleSet>>,
    sigma: Option<SigmaEngine>,
    detectors: Vec<Box<dyn Detector>>,
    roles: Vec<EventRole>,
    config: PipelineConfig,
    max_time_ms: Option<i64>,
    advanced_to_ms: Option<i64>,
    alerts: AlertBook,
    incidents: IncidentBook,
    counters: PipelineCounters,
    matches: Vec<SigmaMatch>,
    detections: Vec<Detection>,
    closed: Vec<Alert>,
}

impl std::fmt::Debug for Pipeline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pipeline")
            .field("detectors", &self.detectors.len())
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Pipeline {
    /// A pipeline over Sigma `rules` (if any) and native `detectors`;
    /// `roles[i]` is the role of events from source `i` (access when
    /// missing).
    #[must_use]
    pub fn new(
        rules: Option<Arc<RuleSet>>,
        detectors: Vec<Box<dyn Detector>>,
        roles: Vec<EventRole>,
        config: PipelineConfig,
    ) -> Self {
        let sigma = rules.as_ref().map(|r| {
            SigmaEngine::new(
                Arc::clone(r),
                EngineConfig {
                    allowed_lateness_ms: config.lateness_ms,
                    ..EngineConfig::default()
                },
            )
        });
        Self {
            rules,
            sigma,
            detectors,
            roles,
            config,
            max_time_ms: None,
            advanced_to_ms: None,
            alerts: AlertBook::new(config.alert_idle_gap_ms),
            incidents: IncidentBook::new(config.incident_gap_ms),
            counters: PipelineCounters::default(),
            matches: Vec::new(),
            detections: Vec::new(),
            closed: Vec::new(),
        }
    }

    /// Counters so far.
    #[must_use]
    pub const fn counters(&self) -> &PipelineCounters {
        &self.counters
    }

    /// The native detectors (for their stats).
    pub fn detectors(&self) -> impl Iterator<Item = &dyn Detector> {
        self.detectors.iter().map(AsRef::as_ref)
    }

    /// The Sigma engine, when rules were given.
    #[must_use]
    pub const fn sigma(&self) -> Option<&SigmaEngine> {
        self.sigma.as_ref()
    }

    /// Newest event time seen.
    #[must_use]
    pub const fn now_ms(&self) -> Option<i64> {
        self.max_time_ms
    }

    /// Feeds one event from source `source`; alert changes go to `out`.
    pub fn process(&mut self, event: &AccessEvent, source: usize, out: &mut Vec<AlertChange>) {
        let role = self.roles.get(source).copied().unwrap_or_default();
        let now = self
            .max_time_ms
            .map_or(event.time_ms, |m| m.max(event.time_ms));
        self.max_time_ms = Some(now);
        match role {
            EventRole::Access => self.counters.access_events += 1,
            EventRole::Issuance => self.counters.issuance_events += 1,
        }
        if role == EventRole::Access
            && let Some(sigma) = self.sigma.as_mut()
        {
            let mut matches = std::mem::take(&mut self.matches);
            matches.clear();
            sigma.process(event, &mut matches);
            for m in matches.drain(..) {
                self.sigma_match(m, Some(event), now, out);
            }
            self.matches = matches;
        }
        let mut detections = std::mem::take(&mut self.detections);
        for d in &mut self.detectors {
            d.observe(event, role, &mut detections);
        }
        let watermark = now.saturating_sub(self.config.lateness_ms.max(0));
        if self
            .advanced_to_ms
            .is_none_or(|a| watermark >= a.saturating_add(self.config.advance_every_ms))
        {
            self.advanced_to_ms = Some(watermark);
            for d in &mut self.detectors {
                d.advance(watermark, &mut detections);
            }
            self.native(&mut detections, now, out);
            self.close(Some(watermark), out);
        } else {
            self.native(&mut detections, now, out);
        }
        self.detections = detections;
    }

    /// The input ended: settles every detector and closes every alert.
    pub fn finish(&mut self, out: &mut Vec<AlertChange>) {
        let now = self.max_time_ms.unwrap_or(0);
        if let Some(sigma) = self.sigma.as_mut() {
            let mut matches = Vec::new();
            sigma.finish(&mut matches);
            for m in matches {
                self.sigma_match(m, None, now, out);
            }
        }
        let mut detections = std::mem::take(&mut self.detections);
        for d in &mut self.detectors {
            d.finish(&mut detections);
        }
        self.native(&mut detections, now, out);
        self.detections = detections;
        self.close(None, out);
        self.incidents.expire(None);
    }

    /// Incidents changed since the last call.
    pub fn take_incidents(&mut self) -> Vec<Incident> {
        self.incidents.take_changed()
    }

    /// Alerts still open (current evidence).
    #[must_use]
    pub fn open_alerts(&self) -> Vec<Alert> {
        self.alerts
            .open_alerts()
            .map(|a| {
                let mut a = a.clone();
                a.incident_id = a
                    .incident_id
                    .as_deref()
                    .map(|i| self.incidents.resolve(i).to_owned());
                a
            })
            .collect()
    }

    fn close(&mut self, watermark: Option<i64>, out: &mut Vec<AlertChange>) {
        let mut closed = std::mem::take(&mut self.closed);
        self.alerts.close(watermark, &mut closed);
        for mut alert in closed.drain(..) {
            alert.incident_id = alert
                .incident_id
                .as_deref()
                .map(|i| self.incidents.resolve(i).to_owned());
            out.push(AlertChange {
                change: Change::Closed,
                alert,
            });
        }
        self.closed = closed;
        if let Some(w) = watermark {
            self.incidents.expire(Some(w));
        }
    }

    fn native(&mut self, detections: &mut Vec<Detection>, now: i64, out: &mut Vec<AlertChange>) {
        for d in detections.drain(..) {
            let alert = Alert::from_detection(d, now);
            self.upsert(alert, out);
        }
    }

    fn upsert(&mut self, mut alert: Alert, out: &mut Vec<AlertChange>) {
        if let Some(known) = self.alerts.get_mut(&alert.id) {
            known.absorb(alert);
            self.incidents.extend(known);
            return;
        }
        self.incidents.assign(&mut alert);
        *self
            .counters
            .alerts_by_rule
            .entry(alert.rule_id.clone())
            .or_default() += 1;
        out.push(AlertChange {
            change: Change::Opened,
            alert: alert.clone(),
        });
        self.alerts.upsert(alert);
    }

    fn sigma_match(
        &mut self,
        m: SigmaMatch,
        event: Option<&AccessEvent>,
        now: i64,
        out: &mut Vec<AlertChange>,
    ) {
        let severity = m.level.unwrap_or(Severity::Medium);
        let rule_id = m.rule_id.to_string();
        match (&m.correlation, event) {
            (Some(detail), _) => {
                let key = if m.group.is_empty() {
                    "all".to_owned()
                } else {
                    m.group
                        .iter()
                        .map(|(k, v)| format!("{k}={v}"))
                        .collect::<Vec<_>>()
                        .join(";")
                };
                let actors = m
                    .group
                    .iter()
                    .filter_map(|(k, v)| actor_of_field(k, v))
                    .collect();
                let principal = m.group_value("principal.id").unwrap_or_default().to_owned();
                let mut facts = serde_json::Map::new();
                facts.insert("correlation".into(), serde_json::json!(detail.kind));
                facts.insert("value".into(), serde_json::json!(detail.value));
                facts.insert("approximate".into(), serde_json::json!(detail.approximate));
                let alert = Alert {
                    id: alert_id(&rule_id, &key, detail.window_start_ms),
                    rule_id,
                    origin: Origin::Sigma,
                    title: m.title.to_string(),
                    severity,
                    key,
                    principal,
                    actors,
                    window_start_ms: detail.window_start_ms,
                    window_end_ms: m.time_ms,
                    events: detail.value.max(0.0).round() as u64,
                    first_event_ms: detail.window_start_ms,
                    last_event_ms: m.time_ms,
                    detected_at_ms: now,
                    sample_event_ids: m.event_ids,
                    facts,
                    incident_id: None,
                    status: Status::Open,
                };
                self.upsert(alert, out);
            }
            (None, Some(event)) => {
                let (key, actors) = event_actor(event);
                if let Some(id) = self.alerts.episode(&rule_id, &key).map(str::to_owned)
                    && let Some(known) = self.alerts.get_mut(&id)
                {
                    known.events += 1;
                    known.last_event_ms = known.last_event_ms.max(event.time_ms);
                    known.window_end_ms = known.last_event_ms;
                    if known.sample_event_ids.len() < SAMPLES {
                        known.sample_event_ids.push(event.event_id.clone());
                    }
                    let snapshot = known.clone();
                    self.incidents.extend(&snapshot);
                    return;
                }
                let alert = Alert {
                    id: alert_id(&rule_id, &key, event.time_ms),
                    rule_id,
                    origin: Origin::Sigma,
                    title: m.title.to_string(),
                    severity,
                    principal: event.principal.id.clone(),
                    key,
                    actors,
                    window_start_ms: event.time_ms,
                    window_end_ms: event.time_ms,
                    events: 1,
                    first_event_ms: event.time_ms,
                    last_event_ms: event.time_ms,
                    detected_at_ms: now,
                    sample_event_ids: vec![event.event_id.clone()],
                    facts: serde_json::Map::new(),
                    incident_id: None,
                    status: Status::Open,
                };
                self.upsert(alert, out);
            }
            (None, None) => {}
        }
    }

    /// The state, for a checkpoint.
    ///
    /// # Errors
    /// A detector's state could not be serialised.
    pub fn save(&self) -> Result<PipelineState, HuntError> {
        let mut detectors = BTreeMap::new();
        for d in &self.detectors {
            detectors.insert(d.id().to_owned(), d.save()?);
        }
        Ok(PipelineState {
            version: PIPELINE_STATE_VERSION,
            max_time_ms: self.max_time_ms,
            advanced_to_ms: self.advanced_to_ms,
            sigma: self.sigma.as_ref().map(|s| s.state().clone()),
            detectors,
            alerts: self.alerts.clone(),
            incidents: self.incidents.clone(),
            counters: self.counters.clone(),
        })
    }

    /// Continues from a saved state.
    ///
    /// # Errors
    /// The state is of another version, or does not fit the rules or the
    /// detectors.
    pub fn restore(&mut self, state: PipelineState) -> Result<(), HuntError> {
        if state.version != PIPELINE_STATE_VERSION {
            return Err(HuntError::State(format!(
                "checkpoint version {} is not {PIPELINE_STATE_VERSION}",
                state.version
            )));
        }
        if let (Some(sigma), Some(rules), Some(saved)) =
            (self.sigma.as_mut(), self.rules.as_ref(), state.sigma)
        {
            *sigma = SigmaEngine::restore(
                Arc::clone(rules),
                EngineConfig {
                    allowed_lateness_ms: self.config.lateness_ms,
                    ..EngineConfig::default()
                },
                saved,
            )
            .map_err(|e| HuntError::State(e.to_string()))?;
        }
        let mut saved = state.detectors;
        for d in &mut self.detectors {
            if let Some(s) = saved.remove(d.id()) {
                d.restore(s)?;
            }
        }
        self.max_time_ms = state.max_time_ms;
        self.advanced_to_ms = state.advanced_to_ms;
        self.alerts = state.alerts;
        self.incidents = state.incidents;
        self.counters = state.counters;
        Ok(())
    }
}

/// The actor attribute a Sigma `group-by` field names, if any.
fn actor_of_field(field: &str, value: &str) -> Option<String> {
    let kind = match field {
        "principal.id" => "principal",
        "source.ip" => "ip",
        "credential.key_id" => "key",
        "credential.api_key_id" => "api_key",
        _ => return None,
    };
    Some(format!("{kind}:{value}"))
}

/// What a single-event alert is keyed by, and the event's actor attributes.
/// Staff, services and API keys are actors by identity; a customer (or an
/// unknown principal) is keyed by source IP, because a forged customer
/// token makes the customer a victim, not the actor.
fn event_actor(event: &AccessEvent) -> (String, Vec<String>) {
    let mut actors = Vec::new();
    let by_identity = matches!(
        event.principal.kind,
        PrincipalKind::Staff | PrincipalKind::Service | PrincipalKind::ApiKey
    ) && !event.principal.id.is_empty();
    if by_identity {
        actors.push(format!("principal:{}", event.principal.id));
    }
    if let Some(k) = &event.credential.api_key_id {
        actors.push(format!("api_key:{k}"));
    }
    let ip = event.source.ip.map(|ip: IpAddr| format!("ip:{ip}"));
    if let Some(ip) = &ip {
        actors.push(ip.clone());
    }
    let key = if by_identity {
        format!("principal:{}", event.principal.id)
    } else {
        ip.unwrap_or_else(|| format!("principal:{}", event.principal.id))
    };
    (key, actors)
}
