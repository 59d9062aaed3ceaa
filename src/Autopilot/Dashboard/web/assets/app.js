// The dashboard shell: hash routing, the live event stream, toasts and sign-in.
import { h, clear, enumName, urnLabel } from './dom.js';
import { api, eventsUrl, setToken, token, ApiError } from './api.js';
import overview from './views/overview.js';
import graph from './views/graph.js';
import incidents from './views/incidents.js';
import incident from './views/incident.js';
import slos from './views/slos.js';
import assets from './views/assets.js';
import asset from './views/asset.js';

const main = document.getElementById('view');
const liveStatus = document.getElementById('live');
const toasts = document.getElementById('toasts');

/** #/incidents/inc-1?status=open → { path: ['incidents', 'inc-1'], params }. */
export function parseHash(hash = location.hash) {
  const text = hash.replace(/^#\/?/, '');
  const q = text.indexOf('?');
  const path = (q < 0 ? text : text.slice(0, q)).split('/').filter(Boolean).map((p) => { try { return decodeURIComponent(p); } catch { return p; } });
  const params = new URLSearchParams(q < 0 ? '' : text.slice(q + 1));
  return { path, params };
}

/** Rewrites the query part of the current hash without adding a history entry (filters, search). */
export function setParams(params) {
  const { path } = parseHash();
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const text = q.toString();
  history.replaceState(null, '', '#/' + path.map(encodeURIComponent).join('/') + (text ? '?' + text : ''));
}

function route({ path }) {
  const [first, ...rest] = path;
  switch (first) {
    case undefined:
    case 'overview': return { view: overview, arg: null };
    case 'graph': return { view: graph, arg: null };
    case 'incidents': return rest.length ? { view: incident, arg: rest.join('/') } : { view: incidents, arg: null };
    case 'slos': return { view: slos, arg: null };
    case 'assets': return rest.length ? { view: asset, arg: rest.join('/') } : { view: assets, arg: null };
    default: return null;
  }
}

let current = null;
let generation = 0;

async function show() {
  const parsed = parseHash();
  const target = route(parsed);
  current?.dispose?.();
  current = null;
  const mine = ++generation;
  clear(main);
  main.setAttribute('aria-busy', 'true');
  document.querySelectorAll('[data-nav]').forEach((a) => {
    const active = target && a.dataset.nav === target.view.nav;
    if (active) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
  if (!target) {
    main.append(h('section', { class: 'empty' }, h('h1', null, 'Not found'), h('p', null, 'No view at ', h('code', null, location.hash), '. ', h('a', { href: '#/overview' }, 'Go to the overview'), '.')));
    main.setAttribute('aria-busy', 'false');
    return;
  }
  document.title = `${target.view.title(target.arg)} · Autopilot`;
  try {
    const handle = await target.view.render(main, { arg: target.arg, params: parsed.params, setParams });
    if (mine !== generation) { handle?.dispose?.(); return; }
    current = handle ?? {};
  } catch (e) {
    if (mine !== generation) return;
    showError(e);
  } finally {
    if (mine === generation) main.setAttribute('aria-busy', 'false');
  }
}

function showError(e) {
  clear(main);
  const message = e instanceof ApiError ? `${e.message} (${e.path})` : String(e?.message ?? e);
  main.append(h('section', { class: 'error-panel', role: 'alert' }, h('h1', null, 'Could not load this view'), h('p', null, message),
    h('button', { type: 'button', onclick: () => show() }, 'Try again')));
}

// Live updates ----------------------------------------------------------------------------------

let source = null;
let pendingKinds = new Set();
let refreshTimer = 0;
let liveEventCount = 0;

function setLive(state, label) {
  liveStatus.dataset.state = state;
  liveStatus.querySelector('.label').textContent = label;
}

function scheduleRefresh(kind) {
  pendingKinds.add(kind);
  clearTimeout(refreshTimer);
  // Bursts of events (an incident update per finding) become one refresh.
  refreshTimer = setTimeout(async () => {
    const kinds = pendingKinds;
    pendingKinds = new Set();
    updateNavCount();
    if (current?.refresh && [...kinds].some((k) => current.refreshOn?.includes(k) ?? true)) {
      try { await current.refresh(kinds); } catch (e) { console.warn('refresh failed', e); }
    }
  }, 300);
}

function toast(text, href, severity) {
  const item = h('div', { class: `toast sev-${enumName(severity) || 'info'}` }, href ? h('a', { href }, text) : text);
  toasts.append(item);
  while (toasts.children.length > 4) toasts.firstChild.remove();
  setTimeout(() => item.remove(), 8000);
}

function onEvent(name, e) {
  let event;
  try { event = JSON.parse(e.data); } catch { return; }
  liveEventCount += 1;
  document.body.dataset.liveEvents = String(liveEventCount);
  const data = event.data ?? {};
  if (name.startsWith('incident.')) {
    const verb = name.slice('incident.'.length);
    if (verb !== 'updated') toast(`Incident ${verb}: ${data.id} (${(data.affectedUrns ?? []).map(urnLabel).slice(0, 3).join(', ')})`, '#/incidents/' + encodeURIComponent(data.id), data.severity);
    scheduleRefresh('incident');
  } else if (name === 'finding') {
    scheduleRefresh('finding');
  }
}

function connect() {
  source?.close();
  setLive('connecting', 'Connecting…');
  source = new EventSource(eventsUrl());
  let opened = false;
  source.addEventListener('open', () => {
    setLive('live', 'Live');
    // After a reconnect, events may have been missed: refetch what is on screen.
    if (opened) scheduleRefresh('reconnect');
    opened = true;
  });
  source.addEventListener('error', () => {
    if (source.readyState === EventSource.CLOSED) {
      setLive('offline', 'Offline');
      setTimeout(connect, 5000);
    } else {
      setLive('connecting', 'Reconnecting…');
    }
  });
  for (const name of ['incident.opened', 'incident.updated', 'incident.resolved', 'finding']) {
    source.addEventListener(name, (e) => onEvent(name, e));
  }
  source.addEventListener('overflow', () => {
    // This tab fell behind and the server dropped it: reconnect and refetch.
    source.close();
    setTimeout(() => { connect(); scheduleRefresh('reconnect'); }, 1000);
  });
}

async function updateNavCount() {
  const badge = document.getElementById('nav-open-incidents');
  try {
    const open = await api.incidents({ status: 'open' });
    badge.textContent = String(open.length);
    badge.hidden = open.length === 0;
    badge.setAttribute('aria-label', `${open.length} open`);
  } catch { badge.hidden = true; }
}

// Sign-in ---------------------------------------------------------------------------------------

const dialog = document.getElementById('token-dialog');
window.addEventListener('autopilot:auth-required', () => {
  if (dialog.open) return;
  document.getElementById('token-error').hidden = !token();
  document.getElementById('token-error').textContent = token() ? 'That token was refused.' : '';
  setLive('offline', 'Signed out');
  dialog.showModal();
});
document.getElementById('token-form').addEventListener('submit', () => {
  setToken(document.getElementById('token-input').value.trim());
  document.getElementById('token-input').value = '';
  connect();
  show();
  updateNavCount();
});

window.addEventListener('hashchange', () => { show(); main.focus({ preventScroll: true }); });
if (!location.hash) history.replaceState(null, '', '#/overview');
show();
connect();
updateNavCount();
