import { h, fill, fmt, badge, assetLink, debounce, severityRank } from '../dom.js';
import { api } from '../api.js';
import { assetHealth, countBy, kindOf, HEALTH_WINDOW_MS, HEALTHS } from '../model.js';

const COUNTS = ['spans', 'metrics', 'logs', 'lineage', 'records'];

export default {
  nav: 'assets',
  title: () => 'Assets',
  async render(root, { params, setParams }) {
    const state = { q: params.get('q') ?? '', kind: params.get('kind') ?? '', health: params.get('health') ?? '' };
    let rows = [];
    const summary = h('p', { class: 'sub', id: 'asset-count', role: 'status' });
    const kinds = h('div', { class: 'chips-row', role: 'group', 'aria-label': 'Kinds' });
    const tableHost = h('div', { class: 'table-wrap' });
    const kindSelect = h('select', { id: 'asset-kind', onchange: (e) => { state.kind = e.target.value; sync(); draw(); } });
    const healthSelect = h('select', { id: 'asset-health', onchange: (e) => { state.health = e.target.value; sync(); draw(); } },
      ['', ...HEALTHS].map((x) => h('option', { value: x, selected: x === state.health }, x || 'any')));
    const search = h('input', { id: 'asset-search', type: 'search', placeholder: 'part of a URN, e.g. checkout', value: state.q, autocomplete: 'off',
      oninput: debounce((e) => { state.q = e.target.value.trim(); sync(); draw(); }, 100) });
    const sync = () => setParams({ q: state.q, kind: state.kind, health: state.health });

    root.append(
      h('header', { class: 'page-head' }, h('h1', null, 'Assets'), summary),
      h('form', { class: 'filters', role: 'search', onsubmit: (e) => e.preventDefault() },
        h('label', { class: 'field grow', for: 'asset-search' }, h('span', null, 'Search'), search),
        h('label', { class: 'field', for: 'asset-kind' }, h('span', null, 'Kind'), kindSelect),
        h('label', { class: 'field', for: 'asset-health' }, h('span', null, 'Health'), healthSelect)),
      kinds,
      tableHost);

    function matches(r) {
      if (state.kind && r.kind !== state.kind) return false;
      if (state.health && r.health !== state.health) return false;
      if (state.q && !r.urn.toLowerCase().includes(state.q.toLowerCase())) return false;
      return true;
    }

    function draw() {
      const shown = rows.filter(matches);
      summary.textContent = `${shown.length} of ${rows.length} assets`;
      const byKind = countBy(rows, 'kind');
      fill(kindSelect, h('option', { value: '' }, `any (${rows.length})`),
        [...byKind.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([k, n]) => h('option', { value: k, selected: k === state.kind }, `${k} (${n})`)));
      fill(kinds, [...byKind.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) =>
        h('button', { type: 'button', class: 'chip', 'aria-pressed': String(state.kind === k), 'data-kind': k, onclick: () => { state.kind = state.kind === k ? '' : k; sync(); draw(); } },
          h('span', { class: `kind-icon kind-${k}`, 'aria-hidden': 'true' }), `${k} `, h('span', { class: 'count' }, String(n)))));
      if (!shown.length) {
        fill(tableHost, h('p', { class: 'empty' }, rows.length ? 'No asset matches.' : 'No assets yet: send telemetry or lineage to this server.'));
        return;
      }
      fill(tableHost, h('table', { class: 'table', id: 'asset-table' },
        h('caption', { class: 'visually-hidden' }, 'Asset inventory'),
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Health'), h('th', { scope: 'col' }, 'URN'), h('th', { scope: 'col' }, 'Kind'), h('th', { scope: 'col' }, 'Last seen'),
          COUNTS.map((c) => h('th', { scope: 'col', class: 'num' }, c)), h('th', { scope: 'col', class: 'num' }, 'total'))),
        h('tbody', null, shown.map((r) => h('tr', { 'data-urn': r.urn },
          h('td', null, badge(r.health, 'health')),
          h('th', { scope: 'row' }, assetLink(r.urn)),
          h('td', null, r.kind),
          h('td', null, r.lastSeen ? h('time', { title: fmt.time(r.lastSeen) }, fmt.ago(r.lastSeen)) : '–'),
          COUNTS.map((c) => h('td', { class: 'num' }, fmt.number(r[c]))),
          h('td', { class: 'num' }, fmt.number(r.total)))))));
    }

    async function load() {
      const [assets, open, recent] = await Promise.all([api.assets(), api.incidents({ status: 'open' }), api.findings({ from: Math.floor(Date.now() - HEALTH_WINDOW_MS) })]);
      const health = assetHealth(assets, open, recent);
      rows = assets.map((a) => ({ ...a, kind: kindOf(a), health: health.get(a.urn)?.health ?? 'healthy', total: a.total ?? COUNTS.reduce((s, c) => s + (a[c] ?? 0), 0) + (a.changes ?? 0) }))
        .sort((a, b) => severityRank(a.health) - severityRank(b.health) || a.urn.localeCompare(b.urn));
      draw();
    }

    await load();
    return { refresh: load, refreshOn: ['incident', 'finding', 'reconnect'] };
  },
};
