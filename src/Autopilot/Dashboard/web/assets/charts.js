// Charts as inline SVG, drawn from data. Every chart has a title and a text description for screen readers.
import { s, h, fmt } from './dom.js';

function niceMax(value) {
  if (value <= 0) return 1;
  const exp = Math.pow(10, Math.floor(Math.log10(value)));
  for (const m of [1, 2, 2.5, 5, 10]) if (value <= m * exp) return m * exp;
  return 10 * exp;
}

/**
 * Stacked bars: one bar per bucket, one segment per series. series: [{ key, label, cls }].
 * Returns a <figure> with the SVG and a legend.
 */
export function stackedBars({ buckets, series, title, description, xLabel = (b) => fmt.clock(b.startMs), height = 230 }) {
  const width = 1100;
  const pad = { top: 12, right: 12, bottom: 28, left: 40 };
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const totals = buckets.map((b) => series.reduce((sum, x) => sum + (b[x.key] ?? 0), 0));
  // Counts: at least 4 so that the four grid lines fall on whole numbers.
  const max = Math.max(4, niceMax(Math.max(0, ...totals)));
  const step = innerW / Math.max(1, buckets.length);
  const barW = Math.max(1, step * 0.72);
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img' });
  const id = 'c' + Math.random().toString(36).slice(2, 8);
  svg.setAttribute('aria-labelledby', `${id}-t ${id}-d`);
  svg.append(s('title', { id: `${id}-t` }, title), s('desc', { id: `${id}-d` }, description));
  const grid = s('g', { class: 'grid' });
  for (let i = 0; i <= 4; i++) {
    const y = pad.top + innerH - (innerH * i) / 4;
    grid.append(s('line', { x1: pad.left, x2: width - pad.right, y1: y, y2: y }));
    grid.append(s('text', { x: pad.left - 6, y: y + 4, 'text-anchor': 'end', class: 'axis' }, fmt.decimal((max * i) / 4, 0)));
  }
  svg.append(grid);
  const bars = s('g', { class: 'bars' });
  buckets.forEach((b, i) => {
    let y = pad.top + innerH;
    const x = pad.left + i * step + (step - barW) / 2;
    const parts = [];
    for (const x2 of series) {
      const v = b[x2.key] ?? 0;
      if (!v) continue;
      const hgt = (v / max) * innerH;
      y -= hgt;
      bars.append(s('rect', { x, y, width: barW, height: Math.max(0.5, hgt), class: x2.cls, rx: 1.5 }));
      parts.push(`${v} ${x2.label}`);
    }
    const hit = s('rect', { x: pad.left + i * step, y: pad.top, width: step, height: innerH, class: 'hit' });
    hit.append(s('title', null, `${xLabel(b)}: ${parts.length ? parts.join(', ') : 'none'}`));
    bars.append(hit);
  });
  svg.append(bars);
  const labels = s('g', { class: 'axis' });
  const every = Math.max(1, Math.ceil(buckets.length / 8));
  buckets.forEach((b, i) => {
    if (i % every) return;
    labels.append(s('text', { x: pad.left + i * step + step / 2, y: height - 8, 'text-anchor': 'middle' }, xLabel(b)));
  });
  svg.append(labels);
  const legend = h('ul', { class: 'legend' }, series.map((x) => h('li', null, h('span', { class: `swatch ${x.cls}`, 'aria-hidden': 'true' }), x.label)));
  return h('figure', { class: 'chart-figure' }, svg, legend);
}

/** Horizontal bars with vertical threshold lines: rows [{ label, value, cls, note }], thresholds [{ value, label }]. */
export function thresholdBars({ rows, thresholds = [], title, description, max: fixedMax }) {
  const width = 520;
  const rowH = 26;
  const pad = { top: 20, right: 16, bottom: 8, left: 56 };
  const height = pad.top + rows.length * rowH + pad.bottom;
  const innerW = width - pad.left - pad.right;
  const max = fixedMax ?? niceMax(Math.max(1, ...rows.map((r) => r.value), ...thresholds.map((t) => t.value)) * 1.05);
  const x = (v) => pad.left + Math.min(1, Math.max(0, v / max)) * innerW;
  const id = 'c' + Math.random().toString(36).slice(2, 8);
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart bars-h', role: 'img', 'aria-labelledby': `${id}-t ${id}-d` },
    s('title', { id: `${id}-t` }, title), s('desc', { id: `${id}-d` }, description));
  rows.forEach((r, i) => {
    const y = pad.top + i * rowH;
    svg.append(s('text', { x: pad.left - 8, y: y + rowH / 2 + 4, 'text-anchor': 'end', class: 'axis' }, r.label));
    svg.append(s('rect', { x: pad.left, y: y + 5, width: innerW, height: rowH - 10, class: 'track', rx: 3 }));
    const bar = s('rect', { x: pad.left, y: y + 5, width: Math.max(1, x(r.value) - pad.left), height: rowH - 10, class: r.cls, rx: 3 });
    bar.append(s('title', null, `${r.label}: ${r.note ?? fmt.decimal(r.value)}`));
    svg.append(bar);
    svg.append(s('text', { x: Math.min(width - pad.right - 2, x(r.value) + 6), y: y + rowH / 2 + 4, class: 'value' }, r.note ?? fmt.decimal(r.value)));
  });
  for (const t of thresholds) {
    if (t.value > max) continue;
    svg.append(s('line', { x1: x(t.value), x2: x(t.value), y1: pad.top - 6, y2: height - pad.bottom, class: 'threshold' }));
    svg.append(s('text', { x: x(t.value), y: pad.top - 8, 'text-anchor': 'middle', class: 'threshold-label' }, t.short ?? t.label));
  }
  return svg;
}

/** A line over equally spaced labelled points (the burn-down): points [{ label, remaining }], value in [−∞, 1]. */
export function burnDownChart({ points, title, description }) {
  const width = 520;
  const height = 200;
  const pad = { top: 14, right: 16, bottom: 30, left: 44 };
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const min = Math.min(0, ...points.map((p) => p.remaining));
  const y = (v) => pad.top + ((1 - v) / (1 - min)) * innerH;
  const x = (i) => pad.left + (i * innerW) / Math.max(1, points.length - 1);
  const id = 'c' + Math.random().toString(36).slice(2, 8);
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart burndown', role: 'img', 'aria-labelledby': `${id}-t ${id}-d` },
    s('title', { id: `${id}-t` }, title), s('desc', { id: `${id}-d` }, description));
  for (const v of [1, 0.75, 0.5, 0.25, 0]) {
    svg.append(s('line', { x1: pad.left, x2: width - pad.right, y1: y(v), y2: y(v), class: v === 0 ? 'zero' : 'gridline' }));
    svg.append(s('text', { x: pad.left - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'axis' }, `${Math.round(v * 100)}%`));
  }
  const last = points[points.length - 1]?.remaining ?? 1;
  const cls = last < 0.25 ? 'critical' : last < 0.5 ? 'warning' : 'healthy';
  const line = points.map((p, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(p.remaining).toFixed(1)}`).join(' ');
  const area = `${line} L${x(points.length - 1).toFixed(1)},${y(min).toFixed(1)} L${x(0).toFixed(1)},${y(min).toFixed(1)} Z`;
  svg.append(s('path', { d: area, class: `area ${cls}` }), s('path', { d: line, class: `line ${cls}` }));
  points.forEach((p, i) => {
    const dot = s('circle', { cx: x(i), cy: y(p.remaining), r: 3.5, class: `dot ${cls}` });
    dot.append(s('title', null, `${p.label}: ${fmt.percent(p.remaining)} of the budget left`));
    svg.append(dot, s('text', { x: x(i), y: height - 10, 'text-anchor': 'middle', class: 'axis' }, p.label));
  });
  return svg;
}

/** A segmented bar of counts: parts [{ label, value, cls }]. */
export function segments(parts, label) {
  const total = parts.reduce((sum, p) => sum + p.value, 0);
  const bar = h('div', { class: 'segments', role: 'img', 'aria-label': `${label}: ${parts.map((p) => `${p.value} ${p.label}`).join(', ')}` });
  for (const p of parts) {
    if (!p.value) continue;
    bar.append(h('span', { class: `segment ${p.cls}`, title: `${p.value} ${p.label}`, style: { 'flex-grow': String(p.value) } }));
  }
  if (!total) bar.append(h('span', { class: 'segment empty', style: { 'flex-grow': '1' } }));
  return bar;
}
