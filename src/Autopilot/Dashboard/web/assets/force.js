// A small force-directed layout: springs along edges, repulsion between all nodes, a pull to the centre.
// Start positions come from a hash of each URN, so the same graph is laid out the same way every time.

// Room for a node's label at the edges of the box.
const MARGIN = 70;

function hash(text) {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

/**
 * Lays out nodes ({ id }) joined by edges ({ source, target } ids) in a width × height box.
 * Returns Map id → { x, y }. O(n²) per iteration: meant for the few hundred nodes a view shows.
 */
export function layout(nodes, edges, { width = 900, height = 600, iterations, previous } = {}) {
  const n = nodes.length;
  // Each iteration is O(n²): big graphs get fewer, and a refresh that knows most positions only settles.
  const known = previous ? nodes.filter((node) => previous.has(node.id)).length : 0;
  iterations ??= known > n * 0.8 ? 60 : n <= 100 ? 300 : Math.max(60, Math.round(30000 / n));
  const pos = nodes.map((node) => {
    const old = previous?.get(node.id);
    if (old) return { x: old.x, y: old.y, vx: 0, vy: 0 };
    const h = hash(node.id);
    const angle = ((h & 0xffff) / 0xffff) * Math.PI * 2;
    const radius = 0.15 + (((h >>> 16) & 0xffff) / 0xffff) * 0.3;
    return { x: width / 2 + Math.cos(angle) * radius * width, y: height / 2 + Math.sin(angle) * radius * height, vx: 0, vy: 0 };
  });
  const index = new Map(nodes.map((node, i) => [node.id, i]));
  const links = edges.map((e) => [index.get(e.source), index.get(e.target)]).filter(([a, b]) => a !== undefined && b !== undefined && a !== b);
  const ideal = Math.max(60, Math.min(160, Math.sqrt((width * height) / Math.max(1, n)) * 0.9));
  const repulsion = ideal * ideal;
  let temperature = Math.min(width, height) / 8;
  const cooling = temperature / (iterations + 1);
  for (let it = 0; it < iterations; it++) {
    for (const p of pos) { p.vx = 0; p.vy = 0; }
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        let dx = pos[i].x - pos[j].x;
        let dy = pos[i].y - pos[j].y;
        let d2 = dx * dx + dy * dy;
        if (d2 < 0.01) { dx = (i - j) * 0.1; dy = 0.1; d2 = dx * dx + dy * dy; }
        const f = repulsion / d2;
        pos[i].vx += dx * f; pos[i].vy += dy * f;
        pos[j].vx -= dx * f; pos[j].vy -= dy * f;
      }
    }
    for (const [a, b] of links) {
      const dx = pos[a].x - pos[b].x;
      const dy = pos[a].y - pos[b].y;
      const d = Math.sqrt(dx * dx + dy * dy) || 0.01;
      const f = (d * d) / ideal / d;
      pos[a].vx -= dx * f; pos[a].vy -= dy * f;
      pos[b].vx += dx * f; pos[b].vy += dy * f;
    }
    for (const p of pos) {
      // Gravity keeps unconnected nodes (and separate components) from drifting to the corners.
      const gx = width / 2 - p.x;
      const gy = height / 2 - p.y;
      const gd = Math.sqrt(gx * gx + gy * gy) || 1;
      p.vx += (gx / gd) * gd * gd / ideal * 1.0;
      p.vy += (gy / gd) * gd * gd / ideal * 1.0;
      const v = Math.sqrt(p.vx * p.vx + p.vy * p.vy) || 1;
      const step = Math.min(v, temperature);
      p.x = Math.min(width - MARGIN, Math.max(MARGIN, p.x + (p.vx / v) * step));
      p.y = Math.min(height - MARGIN, Math.max(MARGIN, p.y + (p.vy / v) * step));
    }
    temperature = Math.max(0.5, temperature - cooling);
  }
  return new Map(nodes.map((node, i) => [node.id, { x: pos[i].x, y: pos[i].y }]));
}
