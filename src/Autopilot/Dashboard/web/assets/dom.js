// Small DOM helpers: elements from data, never from HTML strings, so API text is always inert.
const SVG_NS = 'http://www.w3.org/2000/svg';

function apply(el, attrs) {
  if (!attrs) return el;
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'text') el.textContent = String(value);
    else if (key === 'class') el.setAttribute('class', Array.isArray(value) ? value.filter(Boolean).join(' ') : value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    // CSSOM, not a style attribute: the Content-Security-Policy allows no inline style attributes.
    else if (key === 'style' && typeof value === 'object') for (const [p, v] of Object.entries(value)) el.style.setProperty(p, v);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** An HTML element: h('a', { href: '#/x', class: 'link' }, 'text', otherNode). */
export function h(tag, attrs, ...children) {
  return append(apply(document.createElement(tag), attrs), children);
}

/** An SVG element. */
export function s(tag, attrs, ...children) {
  return append(apply(document.createElementNS(SVG_NS, tag), attrs), children);
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

/** Replaces the children of el (arrays are flattened, null skipped). */
export function fill(el, ...children) {
  return append(clear(el), children);
}

const NS_PER_MS = 1_000_000;

export function nsToDate(ns) {
  return new Date(Number(ns) / NS_PER_MS);
}

const timeFormat = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false, timeZone: 'UTC' });
const clockFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'UTC' });

export const fmt = {
  /** Absolute UTC time of a Unix-nanosecond or ISO value. */
  time(value) {
    const d = typeof value === 'string' ? new Date(value) : nsToDate(value);
    return Number.isNaN(d.getTime()) ? '–' : timeFormat.format(d) + ' UTC';
  },
  clock(ms) {
    return clockFormat.format(new Date(ms));
  },
  /** "3 min ago" from a Unix-nanosecond or ISO value. */
  ago(value, nowMs = Date.now()) {
    const ms = typeof value === 'string' ? Date.parse(value) : Number(value) / NS_PER_MS;
    if (!Number.isFinite(ms)) return '–';
    const seconds = Math.round((nowMs - ms) / 1000);
    if (seconds < 0) return 'in ' + fmt.span(-seconds);
    if (seconds < 5) return 'just now';
    return fmt.span(seconds) + ' ago';
  },
  /** A length of time given in seconds: "42 s", "5 min", "3 h 10 min", "2 d 4 h". */
  span(seconds) {
    seconds = Math.round(seconds);
    if (seconds < 60) return `${seconds} s`;
    const minutes = Math.floor(seconds / 60);
    if (minutes < 60) return `${minutes} min`;
    const hours = Math.floor(minutes / 60);
    if (hours < 48) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
    const days = Math.floor(hours / 24);
    return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
  },
  number(n) {
    return Number(n ?? 0).toLocaleString('en-US');
  },
  percent(x, digits = 1) {
    return Number.isFinite(x) ? (x * 100).toFixed(digits) + ' %' : '–';
  },
  decimal(x, digits = 2) {
    if (x === undefined || x === null || !Number.isFinite(Number(x))) return '–';
    const n = Number(x);
    return Math.abs(n) >= 1000 ? n.toLocaleString('en-US', { maximumFractionDigits: 0 }) : String(Number(n.toFixed(digits)));
  },
};

/** urn:autopilot:<kind>:<namespace>:<name> → its parts (RFC 8141 percent-encoding decoded). */
export function parseUrn(urn) {
  const parts = String(urn).split(':');
  if (parts.length >= 5 && parts[0] === 'urn' && parts[1] === 'autopilot') {
    const decode = (t) => { try { return decodeURIComponent(t); } catch { return t; } };
    return { kind: parts[2], namespace: decode(parts[3]), name: decode(parts.slice(4).join(':')) };
  }
  return { kind: 'unknown', namespace: '', name: String(urn) };
}

/** A short human label for a URN: "checkout (prod)". */
export function urnLabel(urn) {
  const { namespace, name } = parseUrn(urn);
  return namespace && namespace !== 'default' ? `${name} (${namespace})` : name;
}

/** Enum values as the API spells them (snake_case) whatever the server's casing: ScaleOut → scale_out. */
export function enumName(value) {
  return String(value ?? '').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

export function words(value) {
  return enumName(value).replaceAll('_', ' ');
}

export const SEVERITIES = ['critical', 'warning', 'info'];

export function severityRank(severity) {
  const i = SEVERITIES.indexOf(enumName(severity));
  return i < 0 ? SEVERITIES.length : i;
}

export function badge(value, kind = 'sev') {
  const name = enumName(value);
  return h('span', { class: `badge ${kind}-${name}` }, words(name));
}

/** A link to an asset's page. */
export function assetLink(urn, { label } = {}) {
  return h('a', { href: '#/assets/' + encodeURIComponent(urn), class: 'urn', title: urn, 'data-urn': urn }, label ?? urn);
}

export function debounce(fn, ms) {
  let timer = 0;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
