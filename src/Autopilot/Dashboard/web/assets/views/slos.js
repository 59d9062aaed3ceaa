import { h, fill, fmt, badge, assetLink, urnLabel } from '../dom.js';
import { api } from '../api.js';
import { burnDown, BURN_THRESHOLDS } from '../model.js';
import { thresholdBars, burnDownChart } from '../charts.js';

const ORDER = ['5m', '30m', '1h', '6h', '3d'];

function burnClass(rate) {
  return rate > 14.4 ? 'critical' : rate > 1 ? 'warning' : 'healthy';
}

function card(slo) {
  const windows = [...(slo.windows ?? [])].sort((a, b) => ORDER.indexOf(a.window) - ORDER.indexOf(b.window));
  const remaining = 1 - Number(slo.budgetConsumed3d ?? 0);
  const points = burnDown(slo);
  const firing = slo.firing ?? [];
  const hourly = windows.find((w) => w.window === '1h');
  let exhaustion = null;
  if (hourly && hourly.burnRate > 0 && slo.budgetConsumed3d > 0 && remaining > 0) {
    // At the last hour's burn rate, the 3-day spend says how long what is left lasts.
    const total = windows.find((w) => w.window === '3d');
    if (total && total.burnRate > 0) {
      const perMinuteAt1x = slo.budgetConsumed3d / (total.burnRate * 4320);
      exhaustion = remaining / (perMinuteAt1x * hourly.burnRate) * 60;
    }
  }
  return h('article', { class: 'card slo', 'data-slo': slo.slo, 'data-urn': slo.urn },
    h('div', { class: 'card-head' },
      h('h2', null, slo.slo === slo.urn ? urnLabel(slo.urn) : slo.slo),
      h('div', { class: 'badges' }, firing.length
        ? firing.map((p) => h('span', { class: `badge ${p.startsWith('3d') ? 'sev-warning' : 'sev-critical'}`, 'data-firing': p }, `firing ${p}`))
        : h('span', { class: 'badge health-healthy' }, 'no policy firing'))),
    h('p', { class: 'sub' }, assetLink(slo.urn), ` · objective ${fmt.percent(slo.objective, 2)} · as of ${fmt.time(slo.asOfUnixNano)}`),
    h('div', { class: 'slo-grid' },
      h('div', null,
        h('p', { class: 'big-number' }, h('span', { class: `value ${remaining < 0.25 ? 'critical' : remaining < 0.5 ? 'warning' : 'healthy'}`, 'data-budget-remaining': remaining.toFixed(4) }, fmt.percent(remaining)), h('span', { class: 'stat-label' }, ' of the error budget left after 3 days')),
        exhaustion !== null ? h('p', { class: 'hint' }, `At the last hour's burn rate (${fmt.decimal(hourly.burnRate)}×) it lasts ${fmt.span(exhaustion)}.`) : null,
        burnDownChart({ points, title: `Error budget burn-down of ${slo.slo}`, description: points.map((p) => `${p.label}: ${fmt.percent(p.remaining)}`).join('; ') })),
      h('div', null,
        h('h3', null, 'Burn rate by window'),
        thresholdBars({
          rows: windows.map((w) => ({ label: w.window, value: w.burnRate, cls: burnClass(w.burnRate), note: `${fmt.decimal(w.burnRate)}×` })),
          thresholds: BURN_THRESHOLDS.map((t) => ({ value: t.factor, label: t.label, short: `${t.factor}×` })),
          title: `Burn rates of ${slo.slo}`,
          description: windows.map((w) => `${w.window}: ${fmt.decimal(w.burnRate)}× (${w.bad} bad of ${w.total})`).join('; '),
        }),
        h('table', { class: 'table compact' },
          h('thead', null, h('tr', null, ['Window', 'Bad', 'Total', 'Error rate', 'Burn rate'].map((c) => h('th', { scope: 'col' }, c)))),
          h('tbody', null, windows.map((w) => h('tr', null, h('td', null, w.window), h('td', { class: 'num' }, fmt.number(w.bad)), h('td', { class: 'num' }, fmt.number(w.total)),
            h('td', { class: 'num' }, w.total ? fmt.percent(w.bad / w.total, 2) : '–'), h('td', { class: 'num' }, `${fmt.decimal(w.burnRate)}×`))))))));
}

export default {
  nav: 'slos',
  title: () => 'SLOs',
  async render(root) {
    const host = h('div', { class: 'stack' });
    root.append(h('header', { class: 'page-head' }, h('h1', null, 'Service level objectives'),
      h('p', { class: 'sub' }, 'Error budget burn-down over the last 3 days and burn rates per window (SRE workbook thresholds 14.4×, 6×, 1×).')), host);

    async function load() {
      const slos = await api.slo();
      if (slos === null || slos.length === 0) {
        fill(host, h('section', { class: 'card empty' }, h('h2', null, 'No SLO reported yet'),
          h('p', null, 'Start the server with an SLO, e.g. ', h('code', null, "autopilot serve --slo 'urn:autopilot:service:prod:checkout=0.995'"),
            '; its status appears once the first event-time minute of its spans has closed.')));
        return;
      }
      fill(host, ...slos.map(card));
    }

    await load();
    // SLO status moves every closed event-time minute, with or without findings: poll gently too.
    const timer = setInterval(() => load().catch(() => {}), 30_000);
    return { refresh: load, refreshOn: ['finding', 'reconnect'], dispose: () => clearInterval(timer) };
  },
};
