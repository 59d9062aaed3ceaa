import { h, fill, fmt, badge, assetLink, enumName, urnLabel, severityRank } from '../dom.js';
import { api } from '../api.js';
import { assetHealth, findingBuckets, chartEnd, HEALTH_WINDOW_MS, countBy } from '../model.js';
import { stackedBars, segments } from '../charts.js';

const RANGES = [
  { key: '1h', label: '1 h', ms: 3600e3 },
  { key: '6h', label: '6 h', ms: 6 * 3600e3 },
  { key: '24h', label: '24 h', ms: 24 * 3600e3 },
];

function stat(id, label, value, cls, href) {
  const body = [h('span', { class: 'stat-value', 'data-stat': id }, fmt.number(value)), h('span', { class: 'stat-label' }, label)];
  return h('li', { class: ['stat', cls] }, href ? h('a', { href }, body) : body);
}

export default {
  nav: 'overview',
  title: () => 'Overview',
  async render(root, { params, setParams }) {
    let range = RANGES.find((r) => r.key === params.get('range')) ?? RANGES[1];
    const content = h('div', { class: 'stack' });
    root.append(
      h('header', { class: 'page-head' }, h('h1', null, 'Overview'), h('p', { class: 'sub' }, 'Health of everything Autopilot watches, updated live.')),
      content,
    );

    async function load() {
      const now = Date.now();
      const [assets, incidents, recent] = await Promise.all([
        api.assets(),
        api.incidents(),
        api.findings({ from: Math.floor(now - HEALTH_WINDOW_MS) }),
      ]);
      const open = incidents.filter((i) => enumName(i.status) === 'open');
      const health = assetHealth(assets, open, recent);
      const healthCounts = countBy([...health.values()], 'health');
      const bySeverity = countBy(open, (i) => enumName(i.severity));
      const end = chartEnd(incidents.map((i) => ({ timeUnixNano: i.updatedUnixNano })), range.ms, now);
      const chartFindings = await api.findings({ from: Math.floor(end - range.ms - 300e3), to: Math.ceil(end + 300e3) });
      const buckets = findingBuckets(chartFindings, end, range.ms);
      const inChart = buckets.reduce((sum, b) => sum + b.critical + b.warning + b.info, 0);

      const body = h('div', { class: 'stack' });
      if (!assets.length && !incidents.length) {
        // A new server: say how to feed it rather than show a wall of zeros only.
        const base = location.origin;
        body.append(h('section', { class: 'card getting-started', id: 'getting-started', 'aria-labelledby': 'start-title' },
          h('h2', { id: 'start-title' }, 'Nothing has arrived yet'),
          h('p', null, 'Autopilot shows what it receives. Point your telemetry at this server:'),
          h('ul', null,
            h('li', null, 'OpenTelemetry SDKs and Collectors: ', h('code', null, `OTEL_EXPORTER_OTLP_ENDPOINT=${base}`), ' (OTLP/HTTP), or OTLP/gRPC on the gRPC port (4317 by default)'),
            h('li', null, 'OpenLineage (Airflow, Spark, dbt, Marquez clients): ', h('code', null, `${base}/api/v1/lineage`)),
            h('li', null, 'Prometheus: ', h('code', null, `remote_write: [{ url: ${base}/api/v1/write }]`))),
          h('p', { class: 'hint' }, 'Services, tables, topics and jobs appear under Assets and in the Graph as their signals arrive; incidents open when an engine finds something wrong.')));
      }
      body.append(h('section', { class: 'cards', 'aria-label': 'Summary' },
        h('article', { class: 'card' },
          h('h2', null, 'Open incidents'),
          h('ul', { class: 'stats' },
            stat('open-incidents', 'open', open.length, open.length ? 'attention' : 'ok', '#/incidents?status=open'),
            stat('open-critical', 'critical', bySeverity.get('critical') ?? 0, 'sev-critical', '#/incidents?status=open&severity=critical'),
            stat('open-warning', 'warning', bySeverity.get('warning') ?? 0, 'sev-warning', '#/incidents?status=open&severity=warning'),
            stat('open-info', 'info', bySeverity.get('info') ?? 0, 'sev-info', '#/incidents?status=open&severity=info')),
          segments([
            { label: 'critical', value: bySeverity.get('critical') ?? 0, cls: 'critical' },
            { label: 'warning', value: bySeverity.get('warning') ?? 0, cls: 'warning' },
            { label: 'info', value: bySeverity.get('info') ?? 0, cls: 'info' },
          ], 'Open incidents by severity')),
        h('article', { class: 'card' },
          h('h2', null, 'Assets by health'),
          h('ul', { class: 'stats' },
            stat('assets', 'assets', health.size, '', '#/assets'),
            stat('assets-critical', 'critical', healthCounts.get('critical') ?? 0, 'sev-critical', '#/assets?health=critical'),
            stat('assets-warning', 'warning', healthCounts.get('warning') ?? 0, 'sev-warning', '#/assets?health=warning'),
            stat('assets-healthy', 'healthy', healthCounts.get('healthy') ?? 0, 'ok', '#/assets?health=healthy')),
          segments([
            { label: 'critical', value: healthCounts.get('critical') ?? 0, cls: 'critical' },
            { label: 'warning', value: healthCounts.get('warning') ?? 0, cls: 'warning' },
            { label: 'healthy', value: healthCounts.get('healthy') ?? 0, cls: 'healthy' },
          ], 'Assets by health'),
          h('p', { class: 'hint' }, 'From open incidents and the findings of the last hour, as ', h('code', null, 'autopilot health'), ' computes it.'))));

      const rangeButtons = h('div', { class: 'segmented', role: 'group', 'aria-label': 'Time range' }, RANGES.map((r) =>
        h('button', { type: 'button', 'aria-pressed': String(r === range), onclick: () => { range = r; setParams({ range: r.key }); load(); } }, r.label)));
      body.append(h('section', { class: 'card', 'aria-labelledby': 'findings-title' },
        h('div', { class: 'card-head' }, h('h2', { id: 'findings-title' }, 'Findings over time'), rangeButtons),
        h('p', { class: 'sub' }, `${fmt.number(inChart)} findings in the ${range.label} up to ${fmt.time(end * 1e6)}, per 5 minutes of event time.`),
        stackedBars({
          buckets,
          series: [
            { key: 'critical', label: 'critical', cls: 'critical' },
            { key: 'warning', label: 'warning', cls: 'warning' },
            { key: 'info', label: 'info', cls: 'info' },
          ],
          title: 'Findings per 5 minutes by severity',
          description: `${inChart} findings between ${fmt.time((end - range.ms) * 1e6)} and ${fmt.time(end * 1e6)}.`,
        })));

      const topOpen = [...open].sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || b.updatedUnixNano - a.updatedUnixNano).slice(0, 6);
      const unhealthy = [...health.entries()].filter(([, v]) => v.health !== 'healthy')
        .sort((a, b) => severityRank(a[1].health) - severityRank(b[1].health) || a[0].localeCompare(b[0])).slice(0, 8);
      body.append(h('div', { class: 'columns' },
        h('section', { class: 'card', 'aria-labelledby': 'open-title' },
          h('h2', { id: 'open-title' }, 'Open incidents'),
          topOpen.length
            ? h('ul', { class: 'list' }, topOpen.map((i) => h('li', null,
              badge(i.severity), ' ', h('a', { href: '#/incidents/' + encodeURIComponent(i.id), class: 'strong' }, i.id),
              h('span', { class: 'muted' }, ` · ${(i.affectedUrns ?? []).map(urnLabel).slice(0, 3).join(', ')} · opened ${fmt.ago(i.openedUnixNano)}`))))
            : h('p', { class: 'ok-text' }, 'No open incidents.'),
          open.length > topOpen.length ? h('p', null, h('a', { href: '#/incidents?status=open' }, `All ${open.length} open incidents`)) : null),
        h('section', { class: 'card', 'aria-labelledby': 'unhealthy-title' },
          h('h2', { id: 'unhealthy-title' }, 'Assets needing attention'),
          unhealthy.length
            ? h('ul', { class: 'list' }, unhealthy.map(([urn, v]) => h('li', null, badge(v.health, 'health'), ' ', assetLink(urn, { label: urnLabel(urn) }), h('span', { class: 'muted' }, ' · ' + (v.why ?? '')))))
            : assets.length ? h('p', { class: 'ok-text' }, 'Every asset is healthy.') : h('p', { class: 'hint' }, 'No assets yet.'))));
      fill(content, body);
    }

    await load();
    return { refresh: load, refreshOn: ['incident', 'finding', 'reconnect'] };
  },
};
