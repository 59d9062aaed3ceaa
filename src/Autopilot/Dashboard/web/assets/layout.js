// A layered ("Sugiyama"-style) layout for the asset graph: callers above what they call, writers above what they
// write, inputs above their jobs, so a request or a pipeline reads from top to bottom. Deterministic (the same graph
// is laid out the same way every time) and cheap: O((nodes + edges) × sweeps), fine for thousands of nodes.

/**
 * Lays out nodes ({ id }) joined by edges ({ source, target } ids) in rows.
 * Returns { positions: Map id → { x, y, row }, width, height }.
 * - Cycles are broken by a depth-first search (the edges it meets going back are laid out as if reversed).
 * - A node's row is the longest path to it from a node without predecessors; a source is then pulled down to just
 *   above its highest successor, so a lone caller of a deep service does not sit at the top.
 * - Within rows, nodes are ordered by the mean position of their neighbours (barycenter sweeps down and up) to
 *   reduce crossings; rows wider than maxPerRow wrap onto extra lines.
 * - Nodes without any edge go to the last line(s), apart from the rest.
 */
export function layered(nodes, edges, { colGap = 150, rowGap = 104, maxPerRow = 10, marginX = 80, marginTop = 40, marginBottom = 56 } = {}) {
  const ids = nodes.map((n) => n.id).sort();
  const index = new Map(ids.map((id, i) => [id, i]));
  const n = ids.length;
  const out = Array.from({ length: n }, () => new Set());
  const inc = Array.from({ length: n }, () => new Set());
  for (const e of edges) {
    const a = index.get(e.source);
    const b = index.get(e.target);
    if (a === undefined || b === undefined || a === b) continue;
    out[a].add(b);
    inc[b].add(a);
  }

  // Break cycles: a DFS from every node without predecessors first (then the rest, in id order) marks back edges.
  const state = new Uint8Array(n); // 0 new, 1 on the stack, 2 done
  const succ = Array.from({ length: n }, () => []);
  const roots = [...Array(n).keys()].sort((a, b) => (inc[a].size === 0 ? 0 : 1) - (inc[b].size === 0 ? 0 : 1) || a - b);
  for (const root of roots) {
    if (state[root]) continue;
    const stack = [[root, [...out[root]].sort((x, y) => x - y), 0]];
    state[root] = 1;
    while (stack.length) {
      const top = stack[stack.length - 1];
      const [v, next] = top;
      if (top[2] >= next.length) { state[v] = 2; stack.pop(); continue; }
      const w = next[top[2]++];
      if (state[w] === 1) { succ[w].push(v); continue; } // back edge: reversed
      succ[v].push(w);
      if (state[w] === 0) { state[w] = 1; stack.push([w, [...out[w]].sort((x, y) => x - y), 0]); }
    }
  }
  const pred = Array.from({ length: n }, () => []);
  for (let v = 0; v < n; v++) for (const w of succ[v]) pred[w].push(v);

  // Rows: longest path (Kahn's order over the acyclic edges).
  const row = new Int32Array(n);
  const indegree = pred.map((p) => p.length);
  const queue = [];
  for (let v = 0; v < n; v++) if (indegree[v] === 0) queue.push(v);
  const order = [];
  for (let i = 0; i < queue.length; i++) {
    const v = queue[i];
    order.push(v);
    for (const w of succ[v]) {
      row[w] = Math.max(row[w], row[v] + 1);
      if (--indegree[w] === 0) queue.push(w);
    }
  }
  for (const v of order) {
    if (pred[v].length === 0 && succ[v].length > 0) row[v] = Math.max(0, Math.min(...succ[v].map((w) => row[w])) - 1);
  }

  const isolated = [];
  const rows = [];
  for (let v = 0; v < n; v++) {
    if (out[v].size === 0 && inc[v].size === 0) { isolated.push(v); continue; }
    (rows[row[v]] ??= []).push(v);
  }
  const layers = rows.filter(Boolean);

  // Order within rows: barycenters of the neighbours in the rows already placed, sweeping down then up.
  const pos = new Float64Array(n);
  layers.forEach((layer) => layer.forEach((v, i) => { pos[v] = i; }));
  const neighbours = (v) => [...out[v], ...inc[v]];
  const sweep = (layer, rowOf) => {
    const keyed = layer.map((v) => {
      const ns = neighbours(v).filter((w) => rowOf(w));
      return { v, key: ns.length ? ns.reduce((sum, w) => sum + pos[w], 0) / ns.length : pos[v] };
    });
    keyed.sort((a, b) => a.key - b.key || a.v - b.v);
    keyed.forEach((k, i) => { pos[k.v] = i; });
    return keyed.map((k) => k.v);
  };
  for (let pass = 0; pass < 6; pass++) {
    for (let r = 1; r < layers.length; r++) layers[r] = sweep(layers[r], (w) => row[w] < row[layers[r][0]]);
    for (let r = layers.length - 2; r >= 0; r--) layers[r] = sweep(layers[r], (w) => row[w] > row[layers[r][0]]);
  }

  // Lines: each row, wrapped at maxPerRow; the unconnected nodes last.
  const lines = [];
  for (const layer of layers) for (let i = 0; i < layer.length; i += maxPerRow) lines.push(layer.slice(i, i + maxPerRow));
  for (let i = 0; i < isolated.length; i += maxPerRow) lines.push(isolated.slice(i, i + maxPerRow));
  const widest = Math.max(1, ...lines.map((l) => l.length));
  const width = marginX * 2 + (widest - 1) * colGap;
  const height = marginTop + marginBottom + Math.max(0, lines.length - 1) * rowGap;
  const positions = new Map();
  lines.forEach((line, r) => {
    const left = marginX + ((widest - line.length) * colGap) / 2;
    line.forEach((v, i) => positions.set(ids[v], { x: left + i * colGap, y: marginTop + r * rowGap, row: r }));
  });
  return { positions, width, height };
}
