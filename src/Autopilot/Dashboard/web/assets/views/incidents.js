import { h, fill, fmt, badge, enumName, urnLabel, severityRank, debounce } from '../dom.js';
import { api } from '../api.js';

const STATUSES = ['', 'open', 'acknowledged', 'resolved'];
const SEVERITIES = ['', 'critical', 'warning', 'info'];

function select(id, label, options, value, onchange) {
  return h('label', { class: 'field', for: id }, h('span', null, label),
    h('select', { id, onchange }, options.map((o) => h('option', { value: o, selected: o === value }, o || 'any'))));
}

export default {
  nav: 'incidents',
  title: () => 'Incidents',
  async render(root, { params, setParams }) {
    const state = { status: params.get('status') ?? '', severity: params.get('severity') ?? '', q: params.get('q') ?? '' };
    const summary = h('p', { class: 'sub', id: 'incident-count', role: 'status' });
    const tableHost = h('div', { class: 'table-wrap' });
    let all = [];

    const sync = () => setParams({ status: state.status, severity: state.severity, q: state.q });
    const search = h('input', { id: 'incident-search', type: 'search', placeholder: 'id, asset or text', value: state.q, autocomplete: 'off',
      oninput: debounce((e) => { state.q = e.target.value.trim(); sync(); draw(); }, 120) });
    root.append(
      h('header', { class: 'page-head' }, h('h1', null, 'Incidents'), summary),
      h('form', { class: 'filters', role: 'search', onsubmit: (e) => e.preventDefault() },
        select('incident-status', 'Status', STATUSES, state.status, (e) => { state.status = e.target.value; sync(); draw(); }),
        select('incident-severity', 'Severity', SEVERITIES, state.severity, (e) => { state.severity = e.target.value; sync(); draw(); }),
        h('label', { class: 'field grow', for: 'incident-search' }, h('span', null, 'Search'), search)),
      tableHost);

    function matches(i) {
      if (state.status && enumName(i.status) !== state.status) return false;
      if (state.severity && enumName(i.severity) !== state.severity) return false;
      if (state.q) {
        const q = state.q.toLowerCase();
        const text = [i.id, i.summary, ...(i.affectedUrns ?? [])].join(' ').toLowerCase();
        if (!text.includes(q)) return false;
      }
      return true;
    }

    function draw() {
      const shown = all.filter(matches).sort((a, b) =>
        (enumName(a.status) === 'open' ? 0 : 1) - (enumName(b.status) === 'open' ? 0 : 1) || severityRank(a.severity) - severityRank(b.severity) || b.updatedUnixNano - a.updatedUnixNano);
      summary.textContent = `${shown.length} of ${all.length} incidents` + (all.length ? `, ${all.filter((i) => enumName(i.status) === 'open').length} open` : '');
      if (!shown.length) {
        fill(tableHost, h('p', { class: 'empty' }, all.length ? 'No incident matches these filters.' : 'No incidents yet: Autopilot opens one when an engine finds something wrong.'));
        return;
      }
      const rows = shown.map((i) => {
        const top = i.suspectedRoots?.[0];
        const duration = (Number(i.resolvedUnixNano ?? i.updatedUnixNano) - Number(i.openedUnixNano)) / 1e9;
        return h('tr', { 'data-incident-id': i.id, class: `row sev-row-${enumName(i.severity)}` },
          h('td', null, badge(i.severity)),
          h('th', { scope: 'row' }, h('a', { href: '#/incidents/' + encodeURIComponent(i.id), class: 'strong incident-link' }, i.id)),
          h('td', null, badge(i.status, 'status')),
          h('td', { class: 'summary' }, i.summary),
          h('td', null, top ? h('span', { title: top.urn }, urnLabel(top.urn)) : '–', h('span', { class: 'muted' }, ` (${(i.affectedUrns ?? []).length} asset${(i.affectedUrns ?? []).length === 1 ? '' : 's'})`)),
          h('td', null, h('time', { title: fmt.time(i.openedUnixNano) }, fmt.ago(i.openedUnixNano))),
          h('td', null, fmt.span(Math.max(0, duration))));
      });
      fill(tableHost, h('table', { class: 'table', id: 'incident-table' },
        h('caption', { class: 'visually-hidden' }, 'Incidents, open first, then by severity and last update'),
        h('thead', null, h('tr', null, ['Severity', 'Incident', 'Status', 'Summary', 'Suspect (correlator)', 'Opened', 'Duration'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', null, rows)));
    }

    async function load() {
      all = await api.incidents();
      draw();
    }

    await load();
    return { refresh: load, refreshOn: ['incident', 'reconnect'] };
  },
};
