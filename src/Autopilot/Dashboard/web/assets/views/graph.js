import { h, s, clear, fill, fmt, badge, urnLabel, parseUrn, words, enumName } from '../dom.js';
import { api } from '../api.js';
import { assetHealth, edgeHealth, HEALTH_WINDOW_MS } from '../model.js';
import { layout } from '../force.js';

const WIDTH = 960;
const HEIGHT = 620;
const SHAPES = [
  { kind: 'service', label: 'service' },
  { kind: 'operation', label: 'operation' },
  { kind: 'dataset', label: 'dataset' },
  { kind: 'topic', label: 'topic' },
  { kind: 'job', label: 'job' },
  { kind: 'other', label: 'host, container, …' },
];

/** The node's shape by kind, centred on 0,0: services are circles, datasets cylinders, topics diamonds, jobs hexagons. */
function shape(kind) {
  switch (kind) {
    case 'service': return s('circle', { r: 16, class: 'shape' });
    case 'operation': return s('circle', { r: 9, class: 'shape' });
    case 'dataset': return s('path', { class: 'shape', d: 'M-15,-11 a15,5 0 0,1 30,0 v22 a15,5 0 0,1 -30,0 z M-15,-11 a15,5 0 0,0 30,0' });
    case 'topic': return s('path', { class: 'shape', d: 'M0,-17 L17,0 L0,17 L-17,0 Z' });
    case 'job': return s('path', { class: 'shape', d: 'M-8,-15 L8,-15 L16,0 L8,15 L-8,15 L-16,0 Z' });
    default: return s('rect', { x: -12, y: -12, width: 24, height: 24, rx: 4, class: 'shape' });
  }
}

function legend() {
  const item = (kind, label) => h('li', null, s('svg', { viewBox: '-20 -20 40 40', width: 22, height: 22, 'aria-hidden': 'true', class: 'legend-shape' }, shape(kind)), label);
  return h('div', { class: 'graph-legend' },
    h('ul', { class: 'legend' }, SHAPES.map((x) => item(x.kind, x.label))),
    h('ul', { class: 'legend' },
      h('li', null, h('span', { class: 'swatch line critical', 'aria-hidden': 'true' }), 'failing (≥ 5 % errors or a critical end)'),
      h('li', null, h('span', { class: 'swatch line warning', 'aria-hidden': 'true' }), 'degraded (≥ 1 % or a warning)'),
      h('li', null, h('span', { class: 'swatch line healthy', 'aria-hidden': 'true' }), 'healthy')));
}

export default {
  nav: 'graph',
  title: () => 'Graph',
  async render(root, { params, setParams }) {
    const state = { q: params.get('q') ?? params.get('focus') ?? '' };
    const notice = h('div');
    const canvas = h('div', { class: 'graph-canvas' });
    const panel = h('aside', { class: 'card graph-panel', 'aria-live': 'polite' }, h('p', { class: 'hint' }, 'Select a node (click, or Tab then Enter) for its details.'));
    const search = h('input', { id: 'graph-search', type: 'search', placeholder: 'highlight URNs containing…', value: state.q, autocomplete: 'off',
      oninput: (e) => { state.q = e.target.value.trim(); setParams({ q: state.q }); highlight(); } });
    root.append(
      h('header', { class: 'page-head' }, h('h1', null, 'Asset graph'), h('p', { class: 'sub', id: 'graph-summary' })),
      h('form', { class: 'filters', role: 'search', onsubmit: (e) => e.preventDefault() }, h('label', { class: 'field grow', for: 'graph-search' }, h('span', null, 'Highlight'), search)),
      notice,
      h('div', { class: 'graph-layout' }, h('section', { class: 'card graph-card', 'aria-label': 'Graph' }, canvas, legend()), panel));

    let positions = null;
    let nodeEls = new Map();

    function highlight() {
      const q = state.q.toLowerCase();
      for (const [urn, el] of nodeEls) el.classList.toggle('dim', !!q && !urn.toLowerCase().includes(q));
    }

    function select(node, info, edges) {
      const parts = parseUrn(node.urn);
      const mine = edges.filter((e) => e.from === node.urn || e.to === node.urn);
      fill(panel, 
        h('h2', null, urnLabel(node.urn)),
        h('p', null, badge(info.health, 'health'), ' ', h('span', { class: 'muted' }, parts.kind)),
        h('p', { class: 'mono small' }, node.urn),
        info.why ? h('p', { class: 'notice' }, info.why) : null,
        mine.length ? h('ul', { class: 'list small' }, mine.map((e) => {
          const out = e.from === node.urn;
          const st = e.stats ?? {};
          return h('li', { class: `edge-${e.health}` }, out ? `${words(e.kind)} → ` : `← ${words(e.kind)} `, urnLabel(out ? e.to : e.from),
            st.requests ? h('span', { class: 'muted' }, ` · ${fmt.number(st.requests)} req, ${fmt.percent(st.errors / st.requests)} errors, p95 ${fmt.decimal(st.latencyP95Ms, 1)} ms`) : null);
        })) : null,
        h('p', null, h('a', { href: '#/assets/' + encodeURIComponent(node.urn), class: 'button' }, 'Open asset page')));
    }

    async function load() {
      const [view, open, recent] = await Promise.all([
        api.graph({ limit: 500 }),
        api.incidents({ status: 'open' }),
        api.findings({ from: Math.floor(Date.now() - HEALTH_WINDOW_MS) }),
      ]);
      let nodes;
      let edges;
      if (view) {
        nodes = (view.nodes ?? []).map((n) => ({ urn: n.urn, kind: enumName(n.kind) || parseUrn(n.urn).kind, properties: n.properties ?? {} }));
        edges = (view.edges ?? []).map((e) => ({ ...e, kind: enumName(e.kind) }));
        clear(notice);
      } else {
        // No graph endpoint on this server: the inventory's assets, without relations.
        nodes = (await api.assets()).map((a) => ({ urn: a.urn, kind: a.kind || parseUrn(a.urn).kind, properties: {} }));
        edges = [];
        fill(notice, h('p', { class: 'notice', id: 'graph-fallback' }, 'This server has no asset-graph endpoint (/api/graph) yet: showing the inventory\'s assets by health, without relations.'));
      }
      const health = assetHealth(nodes, open, recent);
      for (const e of edges) e.health = edgeHealth(e, health);
      document.getElementById('graph-summary').textContent = `${nodes.length} assets, ${edges.length} relations; ${edges.filter((e) => e.health === 'critical').length} failing.`;
      positions = layout(nodes.map((n) => ({ id: n.urn })), edges.map((e) => ({ source: e.from, target: e.to })), { width: WIDTH, height: HEIGHT, previous: positions });

      const svg = s('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: 'graph', role: 'group', 'aria-label': `Asset graph: ${nodes.length} assets, ${edges.length} relations` },
        s('defs', null, ['critical', 'warning', 'healthy'].map((c) => s('marker', { id: `arrow-${c}`, viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 9, markerHeight: 9, markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse', class: `arrow ${c}` }, s('path', { d: 'M0,0 L10,5 L0,10 z' })))));
      const edgeLayer = s('g', { class: 'edges' });
      for (const e of edges) {
        const a = positions.get(e.from);
        const b = positions.get(e.to);
        if (!a || !b) continue;
        const dx = b.x - a.x;
        const dy = b.y - a.y;
        const d = Math.hypot(dx, dy) || 1;
        const pad = 20;
        const st = e.stats ?? {};
        const width = st.requests ? Math.min(6, 1.2 + Math.log10(1 + st.requests)) : 1.5;
        const line = s('line', { x1: a.x + (dx / d) * pad, y1: a.y + (dy / d) * pad, x2: b.x - (dx / d) * pad, y2: b.y - (dy / d) * pad,
          class: `edge ${e.health}`, 'stroke-width': width.toFixed(1), 'marker-end': `url(#arrow-${e.health})`, 'data-from': e.from, 'data-to': e.to });
        line.append(s('title', null, `${urnLabel(e.from)} ${words(e.kind)} ${urnLabel(e.to)}` + (st.requests ? `: ${st.requests} requests, ${st.errors} errors, p95 ${fmt.decimal(st.latencyP95Ms, 1)} ms` : '')));
        edgeLayer.append(line);
      }
      const nodeLayer = s('g', { class: 'nodes' });
      nodeEls = new Map();
      for (const n of nodes) {
        const p = positions.get(n.urn);
        const info = health.get(n.urn) ?? { health: 'healthy' };
        const kindClass = SHAPES.some((x) => x.kind === n.kind) ? n.kind : 'other';
        const g = s('g', { class: `node kind-${kindClass} ${info.health}`, transform: `translate(${p.x.toFixed(1)},${p.y.toFixed(1)})`, tabindex: '0', role: 'link',
          'aria-label': `${n.kind} ${urnLabel(n.urn)}, ${info.health}`, 'data-urn': n.urn });
        g.append(shape(kindClass), s('text', { y: 30, 'text-anchor': 'middle', class: 'node-label' }, urnLabel(n.urn)));
        const open = () => { location.hash = '#/assets/' + encodeURIComponent(n.urn); };
        g.addEventListener('click', open);
        g.addEventListener('keydown', (ev) => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); open(); } });
        g.addEventListener('focus', () => select(n, info, edges));
        g.addEventListener('mouseenter', () => select(n, info, edges));
        nodeEls.set(n.urn, g);
        nodeLayer.append(g);
      }
      svg.append(edgeLayer, nodeLayer);
      fill(canvas, nodes.length ? svg : h('p', { class: 'empty' }, 'No assets yet.'));
      highlight();
    }

    await load();
    return { refresh: load, refreshOn: ['incident', 'finding', 'reconnect'] };
  },
};
