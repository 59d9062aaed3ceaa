import { h, fill, fmt, badge, assetLink, urnLabel, parseUrn, words } from '../dom.js';
import { api } from '../api.js';
import { assetHealth, HEALTH_WINDOW_MS, edgeHealth } from '../model.js';

const COUNTS = ['spans', 'metrics', 'logs', 'lineage', 'records', 'changes'];

export default {
  nav: 'assets',
  title: (urn) => urnLabel(urn),
  async render(root, { arg: urn }) {
    const host = h('div', { class: 'stack' });
    root.append(host);

    async function load() {
      const [asset, open, recent, findings, graph] = await Promise.all([
        api.asset(urn),
        api.incidents({ status: 'open' }),
        api.findings({ from: Math.floor(Date.now() - HEALTH_WINDOW_MS) }),
        api.findings({ urn }),
        api.graph({ urn, depth: 1 }).catch(() => null),
      ]);
      const parts = parseUrn(urn);
      const health = assetHealth(asset ? [asset] : [], open, recent).get(urn) ?? { health: 'healthy' };
      const mine = open.filter((i) => (i.affectedUrns ?? []).includes(urn));
      const page = h('div', { class: 'stack', 'data-asset': urn });
      page.append(
        h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, h('a', { href: '#/assets' }, 'Assets'), h('span', { 'aria-hidden': 'true' }, ' › '), h('span', { 'aria-current': 'page' }, urnLabel(urn))),
        h('header', { class: 'page-head' },
          h('div', { class: 'title-row' }, h('span', { class: `kind-icon big kind-${parts.kind}`, 'aria-hidden': 'true' }), h('h1', null, urnLabel(urn)), badge(health.health, 'health')),
          h('p', { class: 'mono sub', id: 'asset-urn' }, urn),
          health.why ? h('p', { class: 'notice' }, health.why) : null));
      if (!asset) {
        page.append(h('p', { class: 'notice' }, 'The inventory has not seen this URN (it may appear in findings or the graph only).'));
      } else {
        page.append(h('section', { class: 'card' }, h('h2', null, 'Inventory'),
          h('dl', { class: 'facts' },
            h('div', null, h('dt', null, 'Kind'), h('dd', null, asset.kind)),
            h('div', null, h('dt', null, 'Namespace'), h('dd', null, parts.namespace)),
            h('div', null, h('dt', null, 'First seen'), h('dd', null, fmt.time(asset.firstSeen))),
            h('div', null, h('dt', null, 'Last seen'), h('dd', null, `${fmt.time(asset.lastSeen)} (${fmt.ago(asset.lastSeen)})`))),
          h('ul', { class: 'stats small' }, COUNTS.map((c) => h('li', { class: 'stat' }, h('span', { class: 'stat-value' }, fmt.number(asset[c])), h('span', { class: 'stat-label' }, c))))));
      }
      page.append(h('section', { class: 'card' }, h('h2', null, `Open incidents (${mine.length})`),
        mine.length ? h('ul', { class: 'list' }, mine.map((i) => h('li', null, badge(i.severity), ' ', h('a', { href: '#/incidents/' + encodeURIComponent(i.id), class: 'strong' }, i.id), h('span', { class: 'muted' }, ' · ' + i.summary))))
          : h('p', { class: 'ok-text' }, 'None.')));
      if (graph) {
        const edges = (graph.edges ?? []).filter((e) => e.from === urn || e.to === urn);
        const healthMap = assetHealth((graph.nodes ?? []).map((n) => ({ urn: n.urn })), open, recent);
        const node = (graph.nodes ?? []).find((n) => n.urn === urn);
        const props = Object.entries(node?.properties ?? {});
        const changes = [...(graph.changes ?? [])].sort((a, b) => b.timeUnixNano - a.timeUnixNano).slice(0, 20);
        page.append(h('section', { class: 'card', id: 'asset-graph' }, h('h2', null, `In the asset graph: ${edges.length} relation${edges.length === 1 ? '' : 's'}`),
          props.length ? h('dl', { class: 'props small' }, props.map(([k, v]) => h('div', null, h('dt', null, k), h('dd', { class: 'mono' }, v)))) : null,
          edges.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'table compact' },
            h('thead', null, h('tr', null, ['Relation', 'Asset', 'Requests', 'Errors', 'p95 ms'].map((c) => h('th', { scope: 'col' }, c)))),
            h('tbody', null, edges.map((e) => {
              const other = e.from === urn ? e.to : e.from;
              const rel = e.from === urn ? `${words(e.kind)} →` : `← ${words(e.kind)}`;
              return h('tr', { class: `edge-row edge-${edgeHealth(e, healthMap)}`, 'data-neighbour': other }, h('td', null, rel), h('td', null, assetLink(other, { label: urnLabel(other) })),
                h('td', { class: 'num' }, fmt.number(e.stats?.requests)), h('td', { class: 'num' }, fmt.number(e.stats?.errors)), h('td', { class: 'num' }, fmt.decimal(e.stats?.latencyP95Ms, 1)));
            })))) : h('p', { class: 'hint' }, 'No relations in the graph.'),
          h('h3', null, 'Changes here and next door'),
          changes.length ? h('ul', { class: 'list small changes', id: 'asset-changes' }, changes.map((c) => h('li', { 'data-change-urn': c.urn },
            h('span', { class: 'muted' }, fmt.time(c.timeUnixNano)), ' ', h('strong', null, c.kind), ' ',
            c.urn === urn ? null : [assetLink(c.urn, { label: urnLabel(c.urn) }), ': '], c.description)))
            : h('p', { class: 'hint' }, 'No deploys or schema changes seen.'),
          h('p', { class: 'buttons start' }, h('a', { class: 'button', id: 'asset-graph-link', href: `#/graph?urn=${encodeURIComponent(urn)}&depth=2` }, 'Show the neighbourhood in the graph'))));
      } else {
        page.append(h('section', { class: 'card', id: 'asset-graph' }, h('h2', null, 'In the asset graph'),
          h('p', { class: 'hint' }, 'Not in the asset graph (yet): services join it with their spans, tables and topics with the database and messaging spans that touch them, jobs and datasets with OpenLineage events.')));
      }
      const latest = [...findings].sort((a, b) => b.timeUnixNano - a.timeUnixNano).slice(0, 50);
      page.append(h('section', { class: 'card' }, h('h2', null, `Findings (${findings.length})`),
        latest.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'table compact' },
          h('thead', null, h('tr', null, ['Time', 'Severity', 'Kind', 'Score', 'Summary'].map((c) => h('th', { scope: 'col' }, c)))),
          h('tbody', null, latest.map((f) => h('tr', null, h('td', null, fmt.time(f.timeUnixNano)), h('td', null, badge(f.severity)), h('td', { class: 'mono' }, f.kind),
            h('td', { class: 'num' }, fmt.decimal(f.score, 3)), h('td', null, f.summary))))))
          : h('p', { class: 'ok-text' }, 'No findings.')));
      fill(host, page);
    }

    await load();
    return { refresh: load, refreshOn: ['incident', 'finding', 'reconnect'] };
  },
};
