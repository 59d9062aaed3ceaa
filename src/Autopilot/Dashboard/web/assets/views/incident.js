import { h, fill, fmt, badge, assetLink, enumName, urnLabel, words } from '../dom.js';
import { api } from '../api.js';
import { scoreBar } from '../charts.js';

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
function evidenceTable(evidence) {
  if (!evidence?.length) return null;
  const head = () => h('thead', null, h('tr', null, ['Evidence', 'Reference', 'Observed', 'Expected', 'Detail'].map((c) => h('th', { scope: 'col' }, c))));
  const first = h('div', { class: 'table-wrap' }, h('table', { class: 'table compact evidence' }, head(), h('tbody', null, evidenceRows(evidence.slice(0, EVIDENCE_SHOWN)))));
  if (evidence.length <= EVIDENCE_SHOWN) return first;
  return h('div', null, first, h('details', { class: 'more' }, h('summary', null, `${evidence.length - EVIDENCE_SHOWN} more pieces of evidence`),
    h('div', { class: 'table-wrap' }, h('table', { class: 'table compact evidence' }, head(), h('tbody', null, evidenceRows(evidence.slice(EVIDENCE_SHOWN)))))));
}

/** A stakeholder update from the incident record alone, for servers without the RCA explain endpoint. */
function draftUpdate(incident, roots) {
  const status = enumName(incident.status);
  const assets = (incident.affectedUrns ?? []).map(urnLabel);
  const top = roots[0];
  const lines = [
    `[${enumName(incident.severity).toUpperCase()}] Incident ${incident.id}: ${status === 'resolved' ? 'resolved' : 'under investigation'}.`,
    `Impact: ${assets.length} asset${assets.length === 1 ? '' : 's'} affected (${assets.slice(0, 5).join(', ')}${assets.length > 5 ? ', …' : ''}).`,
    `Started ${fmt.time(incident.openedUnixNano)}; last change ${fmt.time(incident.updatedUnixNano)}.`,
  ];
  if (top) lines.push(`Most likely origin so far: ${urnLabel(top.urn)} (${(top.reasons ?? [])[0] ?? 'earliest signal'}).`);
  const first = (incident.timeline ?? [])[0];
  if (first) lines.push(`First signal: ${first.summary}`);
  lines.push(status === 'resolved' ? 'No further updates planned.' : 'Next update in 30 minutes or when something changes.');
  return lines.join('\n');
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

export default {
  nav: 'incidents',
  title: (id) => `Incident ${id}`,
  async render(root, { arg: id }) {
    const host = h('div', { class: 'stack' });
    root.append(host);

    async function load() {
      const [incident, explain] = await Promise.all([api.incident(id), api.explain(id).catch(() => null)]);
      if (!incident) {
        fill(host, h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, h('a', { href: '#/incidents' }, 'Incidents')),
          h('section', { class: 'empty' }, h('h1', null, `No incident ${id}`), h('p', null, 'It may have been removed, or the link is wrong.')));
        return;
      }
      const findings = await api.findings({
        from: Math.floor(Number(incident.openedUnixNano) / 1e6) - 60e3,
        to: Math.ceil(Number(incident.resolvedUnixNano ?? incident.updatedUnixNano) / 1e6) + 60e3,
      }).catch(() => []);
      const ids = new Set(incident.findingIds ?? []);
      const own = findings.filter((f) => ids.has(f.id));

      // Root causes: the RCA answer when the server has one, otherwise the correlator's suspected roots
      // with the evidence of the incident's findings on each asset.
      const roots = explain?.rootCauses?.length
        ? explain.rootCauses
        : (incident.suspectedRoots ?? []).map((r) => ({ ...r, evidence: own.filter((f) => f.urn === r.urn).flatMap((f) => f.evidence ?? []) }));
      const timeline = explain?.timeline?.length ? explain.timeline : incident.timeline ?? [];
      const blast = explain?.blastRadius ?? null;
      const stakeholder = explain?.stakeholderUpdate || draftUpdate(incident, roots);
      const opened = Number(incident.openedUnixNano);
      const until = Number(incident.resolvedUnixNano ?? incident.updatedUnixNano);

      const page = h('div', { class: 'stack', 'data-incident': incident.id });
      page.append(
        h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, h('a', { href: '#/incidents' }, 'Incidents'), h('span', { 'aria-hidden': 'true' }, ' › '), h('span', { 'aria-current': 'page' }, incident.id)),
        h('header', { class: 'page-head incident-head' },
          h('div', { class: 'title-row' }, badge(incident.severity), badge(incident.status, 'status'), h('h1', { id: 'incident-id' }, incident.id)),
          h('p', { class: 'lead', id: 'incident-summary' }, explain?.summary || incident.summary),
          h('dl', { class: 'facts' },
            h('div', null, h('dt', null, 'Opened'), h('dd', null, fmt.time(opened))),
            h('div', null, h('dt', null, incident.resolvedUnixNano ? 'Resolved' : 'Last change'), h('dd', null, fmt.time(until))),
            h('div', null, h('dt', null, 'Duration'), h('dd', null, fmt.span(Math.max(0, (until - opened) / 1e9)))),
            h('div', null, h('dt', null, 'Findings'), h('dd', null, String((incident.findingIds ?? []).length))),
            h('div', null, h('dt', null, 'Explained by'), h('dd', { id: 'explainer' }, explain ? explain.explainer : 'correlator (RCA explain not available)')))),
      );

      page.append(section('root-causes', 'Root causes',
        explain ? null : h('p', { class: 'notice' }, 'This server has no RCA explain endpoint yet: these are the incident correlator\'s suspected roots, ranked by onset order and strength, with the evidence of the incident\'s findings.'),
        roots.length
          ? h('ol', { class: 'roots' }, roots.map((r, i) => h('li', { class: 'root', 'data-root-urn': r.urn },
            h('div', { class: 'root-head' }, h('span', { class: 'rank' }, `#${i + 1}`), assetLink(r.urn), scoreBar(r.score, `score of ${r.urn}`)),
            r.reasons?.length ? h('ul', { class: 'reasons' }, r.reasons.map((x) => h('li', null, x))) : null,
            evidenceTable(r.evidence))))
          : h('p', { class: 'empty' }, 'No suspected root yet.')));

      page.append(h('div', { class: 'columns' },
        section('timeline', 'Timeline',
          timeline.length
            ? h('ol', { class: 'timeline' }, timeline.map((t) => h('li', { class: `tl tl-${enumName(t.kind).replaceAll('.', '-')}` },
              h('time', { class: 'tl-time' }, fmt.time(t.timeUnixNano)),
              h('div', { class: 'tl-body' }, h('span', { class: 'tl-kind' }, t.kind), ' ', assetLink(t.urn, { label: urnLabel(t.urn) }), h('p', null, t.summary)))))
            : h('p', { class: 'empty' }, 'Nothing on the timeline.')),
        h('div', { class: 'stack' },
          section('blast-radius', blast ? 'Blast radius' : 'Affected assets',
            blast ? null : h('p', { class: 'hint' }, 'The assets of the incident\'s findings (the blast radius downstream comes with RCA explain).'),
            h('ul', { class: 'chips' }, (blast ?? incident.affectedUrns ?? []).map((u) => h('li', null, assetLink(u, { label: urnLabel(u) }))))),
          section('actions', 'Recommended actions',
            explain?.actions?.length
              ? h('ul', { class: 'actions' }, explain.actions.map((a) => h('li', { class: 'action' },
                h('div', { class: 'action-head' }, h('strong', null, words(a.action).toUpperCase()), ' ', assetLink(a.target, { label: urnLabel(a.target) }), ' ', badge(a.risk, 'risk'), h('span', { class: 'visually-hidden' }, ' risk')),
                h('p', null, a.rationale))))
              : h('p', { class: 'hint' }, explain ? 'No action recommended.' : 'Recommended actions (restart, scale out, roll back…) come from RCA explain, which this server does not have yet.'),
            explain?.nextChecks?.length ? h('div', null, h('h3', null, 'Next checks'), h('ul', null, explain.nextChecks.map((c) => h('li', null, c)))) : null))));

      const copyButton = h('button', { type: 'button', class: 'secondary', id: 'copy-update', onclick: (e) => copy(stakeholder, e.currentTarget) }, 'Copy');
      page.append(section('stakeholder', 'Stakeholder update',
        h('p', { class: 'hint' }, explain ? `Drafted by ${explain.explainer}; check it before sending.` : 'Drafted by the dashboard from the incident record; check it before sending.'),
        h('pre', { class: 'draft', id: 'stakeholder-draft' }, stakeholder),
        h('div', { class: 'buttons' }, copyButton)));

      if (own.length) {
        page.append(section('findings', `Findings (${own.length})`, h('div', { class: 'table-wrap' }, h('table', { class: 'table compact' },
          h('thead', null, h('tr', null, ['Time', 'Severity', 'Kind', 'Asset', 'Score', 'Summary'].map((c) => h('th', { scope: 'col' }, c)))),
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
