// What the views compute from the API, in one place so every view (and the tests) agree.
import { enumName, severityRank, parseUrn } from './dom.js';

export const HEALTH_WINDOW_MS = 60 * 60 * 1000;
export const HEALTHS = ['critical', 'warning', 'healthy'];

/**
 * Health of every asset, as `autopilot health` computes it: the worst of the open incidents that
 * touch it and of its findings of the last hour; healthy otherwise. Returns Map urn → { health, why }.
 */
export function assetHealth(assets, openIncidents, recentFindings) {
  const worst = new Map();
  const note = (urn, severity, why) => {
    const sev = enumName(severity);
    const current = worst.get(urn);
    if (!current || severityRank(sev) < severityRank(current.severity)) worst.set(urn, { severity: sev, why });
  };
  for (const f of recentFindings) note(f.urn, f.severity, `${f.kind}: ${f.summary}`);
  for (const i of openIncidents) for (const urn of i.affectedUrns ?? []) note(urn, i.severity, `open incident ${i.id}`);
  const result = new Map();
  const urns = new Set([...assets.map((a) => a.urn), ...worst.keys()]);
  for (const urn of urns) {
    const w = worst.get(urn);
    const health = !w ? 'healthy' : w.severity === 'critical' ? 'critical' : w.severity === 'warning' ? 'warning' : 'healthy';
    result.set(urn, { health, why: w && health !== 'healthy' ? w.why : null });
  }
  return result;
}

export function countBy(items, key) {
  const counts = new Map();
  for (const item of items) {
    const k = typeof key === 'function' ? key(item) : item[key];
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
}

export const BUCKET_MS = 5 * 60 * 1000;

/**
 * Findings per 5-minute bucket and severity, over `rangeMs` ending at the end of the bucket holding
 * `endMs`. Returns [{ startMs, critical, warning, info }] oldest first.
 */
export function findingBuckets(findings, endMs, rangeMs) {
  const end = Math.floor(endMs / BUCKET_MS) * BUCKET_MS + BUCKET_MS;
  const start = end - rangeMs;
  const buckets = [];
  for (let t = start; t < end; t += BUCKET_MS) buckets.push({ startMs: t, critical: 0, warning: 0, info: 0 });
  for (const f of findings) {
    const ms = Number(f.timeUnixNano) / 1e6;
    if (ms < start || ms >= end) continue;
    const b = buckets[Math.floor((ms - start) / BUCKET_MS)];
    const sev = enumName(f.severity);
    b[sev in b ? sev : 'info'] += 1;
  }
  return buckets;
}

/**
 * Where the findings chart ends: now when there are findings in the range before now, otherwise at the
 * latest finding (recorded or replayed data lives on its own event time, which may be far from now).
 */
export function chartEnd(findings, rangeMs, nowMs = Date.now()) {
  let latest = -Infinity;
  for (const f of findings) latest = Math.max(latest, Number(f.timeUnixNano) / 1e6);
  if (!Number.isFinite(latest) || (latest <= nowMs && latest >= nowMs - rangeMs)) return nowMs;
  return latest;
}

/**
 * The end of an edge a fault comes from (as the server's GraphEdges.Upstream): the callee of a call and the dataset a
 * service reads; for every other kind (writes, produces, consumes, input_of, outputs, derives_from) the edge's source.
 */
export function faultSource(edge) {
  const kind = enumName(edge.kind);
  return kind === 'calls' || kind === 'reads' ? edge.to : edge.from;
}

/**
 * Edge health: red when ≥ 5 % of its requests fail or the end a fault comes from (see faultSource) is critical,
 * amber from 1 % or when that end has a warning, green otherwise. So a failing service colours the edges of the
 * callers and readers that depend on it, not the healthy services it calls itself.
 */
export function edgeHealth(edge, health) {
  const stats = edge.stats ?? {};
  const ratio = stats.requests > 0 ? stats.errors / stats.requests : 0;
  const source = health.get(faultSource(edge))?.health;
  if (ratio >= 0.05 || source === 'critical') return 'critical';
  if (ratio >= 0.01 || source === 'warning') return 'warning';
  return 'healthy';
}

/** Incidents open at a time (Unix ms): opened by then and not resolved by then. */
export function openAt(incidents, atMs) {
  const at = atMs * 1e6;
  return incidents.filter((i) => Number(i.openedUnixNano) <= at && (i.resolvedUnixNano == null || Number(i.resolvedUnixNano) > at));
}

/**
 * What the incident page shows, from the RCA answer when the server gave one (explain), otherwise from the incident
 * record: the correlator's suspected roots with the evidence of the incident's own findings on each, its timeline
 * and affected assets, and a stakeholder draft written here.
 */
export function incidentContent(incident, explain, ownFindings) {
  if (explain) {
    return {
      source: 'explain',
      summary: explain.summary || incident.summary,
      roots: explain.rootCauses ?? [],
      timeline: explain.timeline ?? [],
      blast: explain.blastRadius ?? [],
      actions: explain.actions ?? [],
      nextChecks: explain.nextChecks ?? [],
      stakeholder: explain.stakeholderUpdate ?? '',
      explainer: explain.explainer,
      explainerFallback: explain.explainerFallback ?? null,
      notes: explain.notes ?? [],
    };
  }
  const roots = (incident.suspectedRoots ?? []).map((r) => ({ ...r, evidence: ownFindings.filter((f) => f.urn === r.urn).flatMap((f) => f.evidence ?? []) }));
  return {
    source: 'correlator',
    summary: incident.summary,
    roots,
    timeline: incident.timeline ?? [],
    blast: incident.affectedUrns ?? [],
    actions: [],
    nextChecks: [],
    stakeholder: draftUpdate(incident, roots),
    explainer: 'correlator',
    explainerFallback: null,
    notes: [],
  };
}

const draftTime = (ns) => new Date(Number(ns) / 1e6).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A stakeholder update from the incident record alone, for when RCA explain did not answer. */
export function draftUpdate(incident, roots) {
  const status = enumName(incident.status);
  const assets = (incident.affectedUrns ?? []).map((u) => parseUrn(u).name);
  const top = roots[0];
  const lines = [
    `[${enumName(incident.severity).toUpperCase()}] Incident ${incident.id}: ${status === 'resolved' ? 'resolved' : 'under investigation'}.`,
    `Impact: ${assets.length} asset${assets.length === 1 ? '' : 's'} affected (${assets.slice(0, 5).join(', ')}${assets.length > 5 ? ', …' : ''}).`,
    `Started ${draftTime(incident.openedUnixNano)}; last change ${draftTime(incident.updatedUnixNano)}.`,
  ];
  if (top) lines.push(`Most likely origin so far: ${parseUrn(top.urn).name} (${(top.reasons ?? [])[0] ?? 'earliest signal'}).`);
  // The incident page reads a long incident's latest timeline entries only: its first signal is then not among them.
  const timeline = incident.timeline ?? [];
  if (timeline.length && Number(incident.timelineCount ?? timeline.length) > timeline.length) lines.push(`Latest signal: ${timeline[timeline.length - 1].summary}`);
  else if (timeline.length) lines.push(`First signal: ${timeline[0].summary}`);
  lines.push(status === 'resolved' ? 'No further updates planned.' : 'Next update in 30 minutes or when something changes.');
  return lines.join('\n');
}

export function kindOf(asset) {
  return asset.kind || parseUrn(asset.urn).kind;
}

/**
 * Error-budget burn-down over the last 3 days from one SLO status: the budget left 3d, 6h, 1h, 30m and 5m
 * ago and now, assuming a full budget 3 days ago. The budget is spent by bad events, so the share of the
 * 3-day spend that falls inside the last w is bad(w) / bad(3d); the total is the server's budgetConsumed3d.
 */
export function burnDown(slo) {
  const minutes = { '5m': 5, '30m': 30, '1h': 60, '6h': 360, '3d': 4320 };
  const windows = (slo.windows ?? []).filter((w) => w.window in minutes);
  const bad3d = Number(windows.find((w) => w.window === '3d')?.bad ?? 0);
  const consumed3d = Math.max(0, Number(slo.budgetConsumed3d ?? 0));
  const spentIn = (w) => (bad3d > 0 ? consumed3d * Math.min(1, Number(w.bad) / bad3d) : 0);
  const points = [{ label: '3d ago', minutesAgo: 4320, remaining: 1 }];
  for (const w of windows.filter((x) => x.window !== '3d').sort((a, b) => minutes[b.window] - minutes[a.window])) {
    points.push({ label: `${w.window} ago`, minutesAgo: minutes[w.window], remaining: 1 - (consumed3d - spentIn(w)) });
  }
  points.push({ label: 'now', minutesAgo: 0, remaining: 1 - consumed3d });
  return points;
}

/** The standard burn-rate thresholds per window (SRE workbook): the factor a window must exceed in some policy. */
export const BURN_THRESHOLDS = [
  { factor: 14.4, label: '14.4× (1h & 5m: page)' },
  { factor: 6, label: '6× (6h & 30m: page)' },
  { factor: 1, label: '1× (3d & 6h: ticket)' },
];
