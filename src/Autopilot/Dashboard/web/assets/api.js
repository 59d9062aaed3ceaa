// The JSON API, one place. Reads of one thing (an asset, an incident, its RCA answer, an asset's graph
// neighbourhood) answer null on 404 so the views can say so instead of failing.
const TOKEN_KEY = 'autopilot.token';

export class ApiError extends Error {
  constructor(status, message, path) {
    super(message);
    this.status = status;
    this.path = path;
  }
}

export function token() {
  try { return sessionStorage.getItem(TOKEN_KEY) || ''; } catch { return ''; }
}

export function setToken(value) {
  try {
    if (value) sessionStorage.setItem(TOKEN_KEY, value);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch { /* storage disabled: the token lasts until reload */ }
}

async function get(path, { optional = false, signal } = {}) {
  const headers = { Accept: 'application/json' };
  const t = token();
  if (t) headers.Authorization = 'Bearer ' + t;
  let response;
  try {
    response = await fetch(path, { headers, signal, cache: 'no-store' });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, `the server did not answer (${e.message})`, path);
  }
  if (response.status === 401) {
    window.dispatchEvent(new CustomEvent('autopilot:auth-required'));
    throw new ApiError(401, 'this server needs a bearer token', path);
  }
  if (optional && (response.status === 404 || response.status === 501)) return null;
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      const body = await response.json();
      if (body && body.message) message = body.message;
    } catch { /* not JSON */ }
    throw new ApiError(response.status, message, path);
  }
  return response.json();
}

/** How many items a list reads at most across its pages. */
export const MAX_LISTED = 100000;

/** Every page of a list (the server's `next` continued with `after`), up to MAX_LISTED items. */
async function list(path, params, property) {
  const items = [];
  let after;
  do {
    const page = await get(path + query({ ...params, after }));
    items.push(...(page[property] ?? []));
    after = page.next;
  } while (after && items.length < MAX_LISTED);
  return items;
}

function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const text = q.toString();
  return text ? '?' + text : '';
}

// URNs carry their own percent-encoding inside parts; the server takes a URN encoded whole and decodes it once.
const urnPath = (urn) => encodeURIComponent(urn);

/** How many of an incident's latest finding ids and timeline entries its page reads. */
export const INCIDENT_ITEMS = 200;

export const api = {
  assets: (params = {}) => list('/api/assets', { limit: 10000, ...params }, 'assets'),
  asset: (urn) => get('/api/assets/' + urnPath(urn), { optional: true }),
  findings: (params = {}) => list('/api/findings', { limit: 10000, ...params }, 'findings'),
  // Lists show no finding ids or timeline, the incident page the latest INCIDENT_ITEMS of each (with findingCount and
  // timelineCount): a chronic failure's incident has tens of thousands (5 MB at two weeks).
  incidents: (params = {}) => list('/api/incidents', { limit: 1000, items: 0, ...params }, 'incidents'),
  incident: (id) => get('/api/incidents/' + encodeURIComponent(id) + query({ items: INCIDENT_ITEMS }), { optional: true }),
  /** The RCA answer (RcaAnswer) for an incident, or null when the server has none (404). */
  explain: (id) => get('/api/incidents/' + encodeURIComponent(id) + '/explain', { optional: true }),
  /** The asset graph (params: urn, depth, at, limit), or null when urn is not in the graph (404). */
  graph: (params = {}) => get('/api/graph' + query(params), { optional: true }),
  /** SLO status, or null when no SLO is configured on the server. */
  slo: () => get('/api/slo', { optional: true }).then((r) => (r ? r.slos ?? [] : null)),
};

export function eventsUrl() {
  const t = token();
  return '/api/events' + (t ? '?access_token=' + encodeURIComponent(t) : '');
}
