import { h, s, fill, fmt, badge, urnLabel, parseUrn, words, enumName } from '../dom.js';
import { api } from '../api.js';
import { assetHealth, edgeHealth, openAt, HEALTH_WINDOW_MS } from '../model.js';
import { layered } from '../layout.js';

const LIMIT = 500;
const SHAPES = [
  { kind: 'service', label: 'service' },
  { kind: 'dataset', label: 'dataset' },
  { kind: 'topic', label: 'topic' },
  { kind: 'job', label: 'job' },
  { kind: 'operation', label: 'operation' },
  { kind: 'other', label: 'host, container, …' },
];
const R = 18; // node radius: where edges end
const LABEL_BOTTOM = R + 32; // below the two label lines: where edges leave a node

/** The node's shape by kind, centred on 0,0: services are circles, datasets cylinders, topics diamonds, jobs hexagons. */
function shape(kind) {
  switch (kind) {
    case 'service': return s('circle', { r: R, class: 'shape' });
    case 'operation': return s('circle', { r: 10, class: 'shape' });
    case 'dataset': return s('path', { class: 'shape', d: 'M-16,-12 a16,5 0 0,1 32,0 v24 a16,5 0 0,1 -32,0 z M-16,-12 a16,5 0 0,0 32,0' });
    case 'topic': return s('path', { class: 'shape', d: 'M0,-19 L19,0 L0,19 L-19,0 Z' });
    case 'job': return s('path', { class: 'shape', d: 'M-9,-17 L9,-17 L18,0 L9,17 L-9,17 L-18,0 Z' });
    default: return s('rect', { x: -13, y: -13, width: 26, height: 26, rx: 4, class: 'shape' });
  }
}

function legend() {
  const item = (kind, label) => h('li', null, s('svg', { viewBox: '-21 -21 42 42', width: 20, height: 20, 'aria-hidden': 'true', class: 'legend-shape' }, shape(kind)), label);
  return h('div', { class: 'graph-legend' },
    h('ul', { class: 'legend' }, SHAPES.slice(0, 4).map((x) => item(x.kind, x.label)),
      h('li', null, h('span', { class: 'change-dot', 'aria-hidden': 'true' }), 'changed in the hour before')),
    h('ul', { class: 'legend' },
      h('li', null, h('span', { class: 'swatch line critical', 'aria-hidden': 'true' }), 'failing: ≥ 5 % errors, or what it depends on is critical'),
      h('li', null, h('span', { class: 'swatch line warning', 'aria-hidden': 'true' }), 'degraded: ≥ 1 %, or a warning'),
      h('li', null, h('span', { class: 'swatch line healthy', 'aria-hidden': 'true' }), 'healthy')));
}

/** Cuts a label to max characters (the full URN is in the node's title). */
function cut(text, max = 22) {
  return text.length <= max ? text : text.slice(0, max - 1) + '…';
}

/** An edge as a curve from under the upper node's label to the top of the lower node (or an arc within a row). */
function edgePath(a, b) {
  if (Math.abs(a.y - b.y) < 1) {
    const lift = Math.min(90, 26 + Math.abs(b.x - a.x) / 4);
    return `M${a.x},${a.y - R} C${a.x},${a.y - R - lift} ${b.x},${b.y - R - lift} ${b.x},${b.y - R - 4}`;
  }
  const down = b.y > a.y;
  const y1 = down ? a.y + LABEL_BOTTOM : a.y - R;
  const y2 = down ? b.y - R - 4 : b.y + LABEL_BOTTOM + 4;
  const mid = (y2 - y1) / 2;
  return `M${a.x},${y1} C${a.x},${y1 + mid} ${b.x},${y2 - mid} ${b.x},${y2}`;
}

/** datetime-local value (UTC, as every time on the page) ⇄ Unix ms. */
const toLocalInput = (ms) => new Date(ms).toISOString().slice(0, 16);
const fromLocalInput = (text) => (text ? Date.parse(text + ':00Z') : NaN);

export default {
  nav: 'graph',
  title: () => 'Graph',
  async render(root, { params, setParams }) {
    const state = {
      q: params.get('q') ?? '',
      urn: params.get('urn') ?? '',
      depth: Math.min(5, Math.max(0, Number.parseInt(params.get('depth') ?? '2', 10) || 2)),
      at: Number.parseInt(params.get('at') ?? '', 10) || null,
    };
    const save = () => setParams({ urn: state.urn, depth: state.urn ? String(state.depth) : '', at: state.at ? String(state.at) : '', q: state.q });

    const head = h('header', { class: 'page-head' });
    const notice = h('div');
    const canvas = h('div', { class: 'graph-canvas' });
    const panel = h('aside', { class: 'card graph-panel', 'aria-live': 'polite' });
    const changesCard = h('section', { class: 'card', id: 'graph-changes', 'aria-labelledby': 'graph-changes-title' });
    const search = h('input', { id: 'graph-search', type: 'search', placeholder: 'part of a URN', value: state.q, autocomplete: 'off',
      oninput: (e) => { state.q = e.target.value.trim(); save(); highlight(); } });
    const atInput = h('input', { id: 'graph-at', type: 'datetime-local', step: '60', value: state.at ? toLocalInput(state.at) : '',
      onchange: (e) => { const ms = fromLocalInput(e.target.value); state.at = Number.isFinite(ms) ? ms : null; save(); load(); } });
    const shift = (minutes) => { state.at = (state.at ?? Date.now()) + minutes * 60e3; if (state.at >= Date.now()) state.at = null; save(); load(); };
    const depthSelect = h('select', { id: 'graph-depth', onchange: (e) => { state.depth = Number(e.target.value); save(); load(); } },
      [1, 2, 3, 4, 5].map((d) => h('option', { value: String(d), selected: d === state.depth }, `${d} hop${d > 1 ? 's' : ''}`)));
    root.append(
      head,
      h('form', { class: 'filters', role: 'search', onsubmit: (e) => e.preventDefault() },
        h('label', { class: 'field grow', for: 'graph-search' }, h('span', null, 'Highlight'), search),
        state.urn ? h('label', { class: 'field', for: 'graph-depth' }, h('span', null, 'Neighbourhood'), depthSelect) : null,
        h('label', { class: 'field', for: 'graph-at' }, h('span', null, 'As of (UTC)'), atInput),
        h('div', { class: 'segmented', role: 'group', 'aria-label': 'Move in time' },
          h('button', { type: 'button', id: 'graph-back-hour', onclick: () => shift(-60) }, '−1 h'),
          h('button', { type: 'button', id: 'graph-back', onclick: () => shift(-15) }, '−15 min'),
          h('button', { type: 'button', id: 'graph-forward', onclick: () => shift(15) }, '+15 min'),
          h('button', { type: 'button', id: 'graph-now', onclick: () => { state.at = null; save(); load(); } }, 'Now'))),
      notice,
      h('div', { class: 'graph-layout' }, h('section', { class: 'card graph-card', 'aria-label': 'Graph' }, canvas, legend()), h('div', { class: 'stack' }, panel, changesCard)));

    let nodeEls = new Map();

    function highlight() {
      const q = state.q.toLowerCase();
      for (const [urn, el] of nodeEls) el.classList.toggle('dim', !!q && !urn.toLowerCase().includes(q));
    }

    const neighbourhoodLink = (urn, text = 'Neighbourhood (2 hops)') => h('a', { href: `#/graph?urn=${encodeURIComponent(urn)}&depth=2`, class: 'button' }, text);

    function select(node, info, edges, changes) {
      const mine = edges.filter((e) => e.from === node.urn || e.to === node.urn);
      const props = Object.entries(node.properties ?? {});
      const changed = changes.filter((c) => c.urn === node.urn).slice(-3).reverse();
      fill(panel,
        h('h2', null, urnLabel(node.urn)),
        h('p', null, badge(info.health, 'health'), ' ', h('span', { class: 'muted' }, node.kind)),
        h('p', { class: 'mono small urn' }, node.urn),
        info.why ? h('p', { class: 'notice small' }, info.why) : null,
        props.length ? h('dl', { class: 'props small' }, props.map(([k, v]) => h('div', null, h('dt', null, k), h('dd', { class: 'mono' }, v)))) : null,
        changed.length ? h('ul', { class: 'list small' }, changed.map((c) => h('li', null, h('strong', null, c.kind), ` ${fmt.time(c.timeUnixNano)}: ${c.description}`))) : null,
        mine.length ? h('ul', { class: 'list small' }, mine.map((e) => {
          const out = e.from === node.urn;
          const st = e.stats ?? {};
          return h('li', { class: `edge-${e.health}` }, out ? `${words(e.kind)} → ` : `← ${words(e.kind)} `, urnLabel(out ? e.to : e.from),
            st.requests ? h('span', { class: 'muted' }, ` · ${fmt.number(st.requests)} req, ${fmt.percent(st.errors / st.requests)} errors, p95 ${fmt.decimal(st.latencyP95Ms, 1)} ms`) : null);
        })) : h('p', { class: 'hint' }, 'No relations.'),
        h('p', { class: 'buttons start' }, h('a', { href: '#/assets/' + encodeURIComponent(node.urn), class: 'button' }, 'Asset page'), neighbourhoodLink(node.urn)));
    }

    function heading(view) {
      const when = state.at ? `as of ${fmt.time(state.at * 1e6)}` : 'now';
      fill(head,
        state.urn ? h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, h('a', { href: '#/graph' }, 'Asset graph'), h('span', { 'aria-hidden': 'true' }, ' › '), h('span', { 'aria-current': 'page' }, urnLabel(state.urn))) : null,
        h('h1', null, state.urn ? `Around ${urnLabel(state.urn)}` : 'Asset graph'),
        h('p', { class: 'sub', id: 'graph-summary' }, view
          ? `${view.nodes.length} assets, ${view.edges.length} relations, ${view.edges.filter((e) => e.health === 'critical').length} failing; ${when}.`
          : when));
    }

    async function load() {
      atInput.value = state.at ? toLocalInput(state.at) : '';
      const at = state.at ?? Date.now();
      const [graph, incidents, recent] = await Promise.all([
        api.graph(state.urn ? { urn: state.urn, depth: state.depth, at: state.at ?? undefined } : { limit: LIMIT, at: state.at ?? undefined }),
        state.at ? api.incidents() : api.incidents({ status: 'open' }),
        api.findings({ from: Math.floor(at - HEALTH_WINDOW_MS), to: state.at ? Math.ceil(at) : undefined }),
      ]);
      if (!graph) {
        heading(null);
        fill(notice);
        fill(canvas, h('div', { class: 'empty', id: 'graph-empty' }, h('h2', null, `${urnLabel(state.urn)} is not in the graph`),
          h('p', null, 'The graph has never had this URN (', h('code', null, state.urn), '). Assets join it when their spans, messages or lineage events arrive. ',
            h('a', { href: '#/graph' }, 'Show the whole graph'), ' or ', h('a', { href: '#/assets/' + encodeURIComponent(state.urn) }, 'its asset page'), '.')));
        fill(panel, h('p', { class: 'hint' }, 'Nothing selected.'));
        fill(changesCard, h('h2', { id: 'graph-changes-title' }, 'Changes'), h('p', { class: 'hint' }, 'None.'));
        return;
      }
      // Health as of the time shown: incidents open then and the findings of the hour before (now: as `autopilot health`).
      const open = state.at ? openAt(incidents, at) : incidents;
      const nodes = (graph.nodes ?? []).map((n) => ({ urn: n.urn, kind: enumName(n.kind) || parseUrn(n.urn).kind, properties: n.properties ?? {} }));
      const edges = (graph.edges ?? []).map((e) => ({ ...e, kind: enumName(e.kind) }));
      const changes = [...(graph.changes ?? [])].sort((a, b) => a.timeUnixNano - b.timeUnixNano);
      const health = assetHealth(nodes, open, recent);
      for (const e of edges) e.health = edgeHealth(e, health);
      heading({ nodes, edges });
      fill(notice, graph.truncated ? h('p', { class: 'notice', id: 'graph-truncated' }, `The graph has more than ${LIMIT} assets: showing the first ${LIMIT} by URN. Open an asset's neighbourhood to see all of its relations.`) : null);

      const recentChange = new Set(changes.filter((c) => c.timeUnixNano >= (at - HEALTH_WINDOW_MS) * 1e6).map((c) => c.urn));
      const { positions, width, height } = layered(nodes.map((n) => ({ id: n.urn })), edges.map((e) => ({ source: e.from, target: e.to })));
      const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, class: 'graph', role: 'group', 'aria-label': `Asset graph: ${nodes.length} assets, ${edges.length} relations` },
        s('defs', null, ['critical', 'warning', 'healthy'].map((c) => s('marker', { id: `arrow-${c}`, viewBox: '0 0 10 10', refX: 6, refY: 5, markerWidth: 10, markerHeight: 10, markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse', class: `arrow ${c}` }, s('path', { d: 'M0,0 L10,5 L0,10 z' })))));
      // Natural size, scaled down at most to 80 % (beyond that the labels are too small: the canvas scrolls instead) and up to 130 %.
      svg.style.setProperty('min-width', `${Math.round(width * 0.8)}px`);
      svg.style.setProperty('max-width', `${Math.round(width * 1.3)}px`);
      const edgeLayer = s('g', { class: 'edges' });
      for (const e of edges) {
        const a = positions.get(e.from);
        const b = positions.get(e.to);
        if (!a || !b) continue;
        const st = e.stats ?? {};
        const widthPx = st.requests ? Math.min(5, 1.2 + Math.log10(1 + st.requests) * 0.8) : 1.4;
        const path = s('path', { d: edgePath(a, b), class: `edge ${e.health}`, 'stroke-width': widthPx.toFixed(1), 'marker-end': `url(#arrow-${e.health})`,
          'data-from': e.from, 'data-to': e.to, 'data-kind': e.kind });
        path.append(s('title', null, `${urnLabel(e.from)} ${words(e.kind)} ${urnLabel(e.to)}` + (st.requests ? `: ${fmt.number(st.requests)} requests, ${fmt.number(st.errors)} errors, p95 ${fmt.decimal(st.latencyP95Ms, 1)} ms` : '')));
        edgeLayer.append(path);
      }
      const nodeLayer = s('g', { class: 'nodes' });
      nodeEls = new Map();
      for (const n of nodes) {
        const p = positions.get(n.urn);
        const info = health.get(n.urn) ?? { health: 'healthy' };
        const kindClass = SHAPES.some((x) => x.kind === n.kind) ? n.kind : 'other';
        const { name, namespace } = parseUrn(n.urn);
        const g = s('g', { class: ['node', `kind-${kindClass}`, info.health, n.urn === state.urn ? 'focus' : null, recentChange.has(n.urn) ? 'changed' : null],
          transform: `translate(${p.x.toFixed(1)},${p.y.toFixed(1)})`, tabindex: '0', role: 'link',
          'aria-label': `${n.kind} ${urnLabel(n.urn)}, ${info.health}${recentChange.has(n.urn) ? ', changed recently' : ''}`, 'data-urn': n.urn, 'data-kind': n.kind });
        g.append(s('title', null, n.urn));
        if (n.urn === state.urn) g.append(s('circle', { r: R + 7, class: 'focus-ring' }));
        g.append(shape(kindClass),
          s('text', { y: R + 15, 'text-anchor': 'middle', class: 'node-label' }, cut(name)),
          s('text', { y: R + 28, 'text-anchor': 'middle', class: 'node-ns' }, cut(namespace, 26)));
        if (recentChange.has(n.urn)) g.append(s('circle', { cx: R - 2, cy: -R + 2, r: 5, class: 'change-dot' }));
        const open = () => { location.hash = '#/assets/' + encodeURIComponent(n.urn); };
        g.addEventListener('click', open);
        g.addEventListener('keydown', (ev) => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); open(); } });
        g.addEventListener('focus', () => select(n, info, edges, changes));
        g.addEventListener('mouseenter', () => select(n, info, edges, changes));
        nodeEls.set(n.urn, g);
        nodeLayer.append(g);
      }
      svg.append(edgeLayer, nodeLayer);
      fill(canvas, nodes.length ? svg : h('div', { class: 'empty', id: 'graph-empty' }, h('h2', null, state.at ? 'The graph was empty then' : 'The graph is empty'),
        h('p', null, 'Assets appear as their telemetry arrives: a service with its first span, a relation once a client span and the server span it called are paired (up to 15 s of event time later), tables and topics from database and messaging spans, jobs and datasets from OpenLineage events.')));
      const focus = state.urn ? nodes.find((n) => n.urn === state.urn) : null;
      if (focus) select(focus, health.get(focus.urn) ?? { health: 'healthy' }, edges, changes);
      else fill(panel, h('p', { class: 'hint' }, nodes.length ? 'Point at a node (or Tab to it) for its details; click it (or Enter) for its asset page.' : 'Nothing to select.'));

      const latest = changes.slice(-12).reverse();
      fill(changesCard, h('h2', { id: 'graph-changes-title' }, `Changes (${changes.length})`),
        latest.length ? h('ol', { class: 'list small changes' }, latest.map((c) => h('li', { 'data-change-urn': c.urn, 'data-change-kind': c.kind },
          h('span', { class: 'muted' }, fmt.time(c.timeUnixNano)), h('br'), h('strong', null, c.kind), ' ',
          h('a', { href: '#/assets/' + encodeURIComponent(c.urn) }, urnLabel(c.urn)), ': ', c.description)))
          : h('p', { class: 'hint' }, state.at ? 'No deploys or schema changes up to then.' : 'No deploys or schema changes seen.'));
      highlight();
    }

    await load();
    return { refresh: load, refreshOn: ['incident', 'finding', 'reconnect'] };
  },
};
