import { h, fill, fmt, badge, assetLink, enumName, urnLabel, parseUrn, words } from '../dom.js';
import { api as serverApi } from '../api.js';
import { incidentContent } from '../model.js';

function section(id, title, ...children) {
  return h('section', { class: 'card', id, 'aria-labelledby': id + '-title' }, h('h2', { id: id + '-title' }, title), ...children);
}

const EVIDENCE_SHOWN = 6;

function evidenceRows(evidence) {
  return evidence.map((e) => h('tr', null,
    h('td', null, words(e.type)),
    h('td', { class: 'mono' }, e.reference ?? ''),
    h('td', { class: 'num' }, fmt.decimal(e.observed, 4)),
    h('td', { class: 'num' }, fmt.decimal(e.expected, 4)),
    h('td', null, e.detail ?? '')));
}

/** The evidence behind a root cause: the first few rows, the rest behind a disclosure. */
function evidenceTable(evidence, shown = EVIDENCE_SHOWN) {
  if (!evidence?.length) return null;
  const head = () => h('thead', null, h('tr', null, ['Evidence', 'Reference', 'Observed', 'Expected', 'Detail'].map((c) => h('th', { scope: 'col' }, c))));
  const first = h('div', { class: 'table-wrap' }, h('table', { class: 'table compact evidence' }, head(), h('tbody', null, evidenceRows(evidence.slice(0, shown)))));
  if (evidence.length <= shown) return first;
  return h('div', null, first, h('details', { class: 'more' }, h('summary', null, `${evidence.length - shown} more pieces of evidence`),
    h('div', { class: 'table-wrap' }, h('table', { class: 'table compact evidence' }, head(), h('tbody', null, evidenceRows(evidence.slice(shown)))))));
}

/** A root cause's score (a confidence in [0, 1]) as a percentage and a bar. */
function confidence(score, urn) {
  const value = Math.max(0, Math.min(1, Number(score) || 0));
  const pct = Math.round(value * 100);
  return h('div', { class: 'confidence', role: 'meter', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(pct), 'aria-label': `confidence in ${urn}` },
    h('span', { class: 'confidence-value', 'data-score': String(score) }, `${pct} %`),
    h('span', { class: 'confidence-bar', 'aria-hidden': 'true' }, h('span', { class: 'fill', style: { width: pct + '%' } })));
}

const graphHref = (urn) => `#/graph?urn=${encodeURIComponent(urn)}&depth=2`;

function kindIcon(urn) {
  return h('span', { class: `kind-icon kind-${parseUrn(urn).kind}`, 'aria-hidden': 'true' });
}

function rootItem(r, i) {
  const links = h('p', { class: 'root-links small' },
    h('a', { href: '#/assets/' + encodeURIComponent(r.urn) }, 'Asset page'), ' · ',
    h('a', { href: graphHref(r.urn), class: 'graph-link' }, 'Graph neighbourhood'), ' · ',
    h('code', null, `autopilot triage --urn ${r.urn}`));
  const head = h('div', { class: 'root-head' }, h('span', { class: 'rank' }, `#${i + 1}`), kindIcon(r.urn), assetLink(r.urn, { label: urnLabel(r.urn) }), confidence(r.score, r.urn));
  const reasons = r.reasons?.length ? h('ul', { class: 'reasons' }, r.reasons.map((x) => h('li', null, x))) : null;
  if (i === 0) {
    return h('li', { class: 'root first', 'data-root-urn': r.urn }, h('p', { class: 'eyebrow' }, 'Most likely root cause'), head, h('p', { class: 'mono small muted urn' }, r.urn), reasons, evidenceTable(r.evidence, 3), links);
  }
  const more = (r.reasons?.length ?? 0) > 1 || r.evidence?.length;
  return h('li', { class: 'root', 'data-root-urn': r.urn }, head,
    r.reasons?.length ? h('p', { class: 'first-reason' }, r.reasons[0]) : null,
    more ? h('details', { class: 'more' }, h('summary', null, 'Reasons and evidence'), reasons, evidenceTable(r.evidence), links) : links);
}

async function copy(text, button) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // No clipboard permission (or an insecure context): fall back to a hidden textarea.
    const area = h('textarea', { class: 'visually-hidden' });
    area.value = text;
    document.body.append(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
  button.textContent = 'Copied';
  button.dataset.copied = 'true';
  setTimeout(() => { button.textContent = 'Copy'; }, 2000);
}

const shortTime = new Intl.DateTimeFormat(undefined, { month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false, timeZone: 'UTC' });

export default {
  nav: 'incidents',
  title: (id) => `Incident ${id}`,
  /** ctx.api: the API to read (the server's by default). */
  async render(root, { arg: id, api = serverApi }) {
    const host = h('div', { class: 'stack' });
    root.append(host);

    async function load() {
      let explainError = null;
      const [incident, explain] = await Promise.all([api.incident(id), api.explain(id).catch((e) => { explainError = e; return null; })]);
      if (!incident) {
        fill(host, h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, h('a', { href: '#/incidents' }, 'Incidents')),
          h('section', { class: 'empty' }, h('h1', null, `No incident ${id}`), h('p', null, 'It may have been removed, or the link is wrong. ', h('a', { href: '#/incidents' }, 'All incidents'), '.')));
        return;
      }
      // A long incident comes with its latest finding ids and timeline entries only: its findings are read from the
      // first of those entries on, not from its start (a chronic failure's first weeks).
      const totalFindings = Number(incident.findingCount ?? (incident.findingIds ?? []).length);
      const cut = totalFindings > (incident.findingIds ?? []).length;
      const since = cut && incident.timeline?.length ? Number(incident.timeline[0].timeUnixNano) : Number(incident.openedUnixNano);
      const findings = await api.findings({
        from: Math.floor(since / 1e6) - 60e3,
        to: Math.ceil(Number(incident.resolvedUnixNano ?? incident.updatedUnixNano) / 1e6) + 60e3,
      }).catch(() => []);
      const ids = new Set(incident.findingIds ?? []);
      const own = findings.filter((f) => ids.has(f.id));
      const c = incidentContent(incident, explain, own);
      const explained = c.source === 'explain';
      const opened = Number(incident.openedUnixNano);
      const until = Number(incident.resolvedUnixNano ?? incident.updatedUnixNano);
      const why = explainError ? `RCA explain failed: ${explainError.message}` : 'RCA explain had no answer for this incident';

      const page = h('div', { class: 'stack', 'data-incident': incident.id, 'data-source': c.source },
        h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, h('a', { href: '#/incidents' }, 'Incidents'), h('span', { 'aria-hidden': 'true' }, ' › '), h('span', { 'aria-current': 'page' }, incident.id)),
        h('header', { class: 'page-head incident-head' },
          h('div', { class: 'title-row' }, badge(incident.severity), badge(incident.status, 'status'), h('h1', { id: 'incident-id' }, incident.id)),
          h('p', { class: 'lead', id: 'incident-summary' }, c.summary),
          h('dl', { class: 'facts' },
            h('div', null, h('dt', null, 'Opened'), h('dd', null, fmt.time(opened))),
            h('div', null, h('dt', null, incident.resolvedUnixNano ? 'Resolved' : 'Last change'), h('dd', null, fmt.time(until))),
            h('div', null, h('dt', null, 'Duration'), h('dd', null, fmt.span(Math.max(0, (until - opened) / 1e9)))),
            h('div', null, h('dt', null, 'Findings'), h('dd', { id: 'finding-count' }, String(totalFindings))),
            h('div', null, h('dt', null, 'Explained by'), h('dd', { id: 'explainer' }, explained ? c.explainer : `correlator (${why})`)))),
        explained ? null : h('p', { class: 'notice', id: 'explain-unavailable' }, `${why}. Shown instead: the incident correlator's suspected roots (ranked by onset order and strength) with the evidence of the incident's findings, its timeline and affected assets, and a draft written from the incident record.`),
        c.explainerFallback ? h('p', { class: 'notice', id: 'explainer-fallback' }, `The LLM explainer was asked but did not answer usefully, so the rules explainer wrote this: ${c.explainerFallback}`) : null,
        c.notes.length ? h('ul', { class: 'hint notes', id: 'rca-notes' }, c.notes.map((n) => h('li', null, n))) : null);

      const roots = section('root-causes', 'Root causes',
        c.roots.length
          ? h('ol', { class: 'roots' }, c.roots.map(rootItem))
          : h('p', { class: 'empty' }, 'No root cause ranked yet.'));

      const topUrn = c.roots[0]?.urn;
      const actions = section('actions', 'Recommended actions',
        c.actions.length
          ? h('ul', { class: 'actions' }, c.actions.map((a) => h('li', { class: 'action', 'data-action': enumName(a.action), 'data-target': a.target },
            h('div', { class: 'action-head' }, h('strong', null, words(a.action).toUpperCase()), ' ', badge(a.risk, 'risk'), h('span', { class: 'visually-hidden' }, ' risk')),
            h('p', { class: 'action-target' }, assetLink(a.target, { label: urnLabel(a.target) })),
            h('p', null, a.rationale))))
          : h('p', { class: 'hint' }, explained ? 'No action recommended.' : 'Recommended actions come from RCA explain, which did not answer.'),
        c.nextChecks.length ? h('div', { id: 'next-checks' }, h('h3', null, 'Next checks'), h('ul', { class: 'checks' }, c.nextChecks.map((x) => h('li', null, x)))) : null);

      const blast = section('blast-radius', explained ? 'Blast radius' : 'Affected assets',
        h('p', { class: 'hint' }, explained
          ? (c.blast.length ? `Downstream of ${topUrn ? urnLabel(topUrn) : 'the top cause'} in the asset graph: what may be affected next.` : 'Nothing downstream of the top cause in the asset graph (as of the onset).')
          : 'The assets of the incident\'s findings.'),
        c.blast.length ? h('ul', { class: 'chips' }, c.blast.map((u) => h('li', null, assetLink(u, { label: urnLabel(u) })))) : null,
        topUrn ? h('p', { class: 'small' }, h('a', { href: graphHref(topUrn), id: 'blast-graph-link' }, `Show ${urnLabel(topUrn)}'s neighbourhood in the graph`)) : null);

      page.append(h('div', { class: 'incident-grid' }, roots, h('div', { class: 'stack' }, actions, blast)));

      const timelineTotal = Number(incident.timelineCount ?? c.timeline.length);
      page.append(section('timeline', !explained && timelineTotal > c.timeline.length ? `Timeline (latest ${c.timeline.length} of ${timelineTotal})` : `Timeline (${c.timeline.length})`,
        c.timeline.length
          ? h('ol', { class: 'timeline' }, c.timeline.map((t) => {
            const kind = enumName(t.kind);
            return h('li', { class: ['tl', `tl-${kind.split('.')[0]}`, `tl-${kind.replaceAll('.', '-')}`] },
              h('time', { class: 'tl-time', title: fmt.time(t.timeUnixNano) }, shortTime.format(new Date(Number(t.timeUnixNano) / 1e6))),
              h('span', { class: 'tl-kind' }, t.kind),
              h('span', { class: 'tl-asset' }, assetLink(t.urn, { label: urnLabel(t.urn) })),
              h('span', { class: 'tl-summary' }, t.summary));
          }))
          : h('p', { class: 'empty' }, 'Nothing on the timeline.')));

      const copyButton = h('button', { type: 'button', class: 'secondary', id: 'copy-update', onclick: (e) => copy(c.stakeholder, e.currentTarget) }, 'Copy');
      page.append(section('stakeholder', 'Stakeholder update',
        h('p', { class: 'hint' }, explained ? `Drafted by the ${c.explainer} explainer; check it before sending.` : 'Drafted by the dashboard from the incident record; check it before sending.'),
        h('pre', { class: 'draft', id: 'stakeholder-draft' }, c.stakeholder),
        h('div', { class: 'buttons' }, copyButton)));

      if (own.length) {
        page.append(section('findings', cut ? `Findings (latest ${own.length} of ${totalFindings})` : `Findings (${own.length})`, h('div', { class: 'table-wrap' }, h('table', { class: 'table compact' },
          h('thead', null, h('tr', null, ['Time', 'Severity', 'Kind', 'Asset', 'Score', 'Summary'].map((x) => h('th', { scope: 'col' }, x)))),
          h('tbody', null, own.map((f) => h('tr', null,
            h('td', null, fmt.time(f.timeUnixNano)), h('td', null, badge(f.severity)), h('td', { class: 'mono' }, f.kind),
            h('td', null, assetLink(f.urn, { label: urnLabel(f.urn) })), h('td', { class: 'num' }, fmt.decimal(f.score, 3)), h('td', null, f.summary))))))));
      }

      fill(host, page);
    }

    await load();
    return { refresh: load, refreshOn: ['incident', 'reconnect'] };
  },
};
