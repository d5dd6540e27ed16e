// Shared helpers for the NeuralGrid pages: page data, the JSON API, formatting, small DOM builders.

/**
 * Model data the server rendered into <script type="application/json" id="page-data">. Vert.x JsonObject /
 * JsonArray values serialised as beans ({"map": ..}, {"list": ..}) are unwrapped, so either form works.
 */
export function pageData() {
  const node = document.getElementById('page-data');
  if (!node) return {};
  try {
    const data = unwrap(JSON.parse(node.textContent || '{}'));
    return data && typeof data === 'object' ? data : {};
  } catch (e) {
    console.warn('page data is not valid JSON', e);
    return {};
  }
}

export function unwrap(v) {
  if (Array.isArray(v)) return v.map(unwrap);
  if (v && typeof v === 'object') {
    const keys = Object.keys(v);
    if (keys.length === 2 && 'empty' in v && ('map' in v || 'list' in v)) return unwrap(v.map ?? v.list);
    const out = {};
    for (const k of keys) out[k] = unwrap(v[k]);
    return out;
  }
  return v;
}

/** An error from the API, with the HTTP status and the parsed body (when JSON). */
export class ApiError extends Error {
  constructor(status, body, text) {
    super(apiMessage(status, body, text));
    this.status = status;
    this.body = body;
  }
}

function apiMessage(status, body, text) {
  if (body && Array.isArray(body.errors)) return body.errors.map(e => `${e.field}: ${e.message}`).join('; ');
  if (body && typeof body.message === 'string') return body.message;
  if (body && typeof body.error === 'string') return body.error;
  return (text && text.length < 300 ? text : '') || `HTTP ${status}`;
}

/** fetch + JSON both ways; throws ApiError on a non-2xx status. */
export async function api(method, url, body) {
  const init = { method, headers: { Accept: 'application/json' }, credentials: 'same-origin' };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(url, init);
  const text = await res.text();
  let json = null;
  if (text) {
    try { json = JSON.parse(text); } catch (e) { json = null; }
  }
  if (!res.ok) throw new ApiError(res.status, json, text);
  return json;
}

export const getJson = url => api('GET', url);

/** Builds an element: el('td', {class: 'num', text: '3'}, child, ...). */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'text') node.textContent = String(v);
      else if (k === 'class') node.className = v;
      else if (k === 'dataset') Object.assign(node.dataset, v);
      else if (k === 'style' && typeof v === 'object') Object.assign(node.style, v);
      else if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? '' : String(v));
    }
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

/**
 * The server's sets of statuses (page data "statuses": active, resumable, finished) as Sets: whether a run can be
 * cancelled and its page is live, whether it can be resumed, whether it is over.
 */
export function statusSets(data) {
  const s = (data && data.statuses) || {};
  const set = key => new Set(Array.isArray(s[key]) ? s[key].map(String) : []);
  return { active: set('active'), resumable: set('resumable'), finished: set('finished') };
}

export function statusBadge(status) {
  const s = status || 'unknown';
  return el('span', { class: `badge badge-${s}`, text: s });
}

export function fmtPct(x, digits = 2) {
  return typeof x === 'number' && Number.isFinite(x) ? `${(x * 100).toFixed(digits)} %` : '–';
}

export function fmtNum(x, digits = 4) {
  if (typeof x !== 'number' || !Number.isFinite(x)) return '–';
  if (x !== 0 && (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e6)) return x.toExponential(2);
  return Number(x.toPrecision(digits)).toString();
}

export function fmtInt(x) {
  return typeof x === 'number' && Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '–';
}

/** Seconds as "1 h 02 min", "3 min 07 s", "12.3 s". */
export function fmtDuration(sec) {
  if (typeof sec !== 'number' || !Number.isFinite(sec) || sec < 0) return '–';
  if (sec < 10) return `${sec.toFixed(1)} s`;
  const s = Math.round(sec);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min`;
  if (m > 0) return `${m} min ${String(r).padStart(2, '0')} s`;
  return `${r} s`;
}

/** ISO-8601 as a compact local date and time ("2025-03-04 14:05"); "–" when missing. */
export function fmtTime(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const p = n => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** Like fmtTime, but only the time of day when the date is that of {@code reference}. */
export function fmtTimeAfter(iso, reference) {
  const full = fmtTime(iso);
  const ref = fmtTime(reference);
  return full.length === 16 && ref.length === 16 && full.slice(0, 10) === ref.slice(0, 10) ? full.slice(11) : full;
}

/** A progress bar element: <div class="bar"><div class="bar-fill"></div></div>, fraction 0..1. */
export function progressBar(fraction, status) {
  const f = Math.max(0, Math.min(1, Number(fraction) || 0));
  const fill = el('div', { class: 'bar-fill' });
  fill.style.width = `${(f * 100).toFixed(1)}%`;
  return el('div', { class: `bar bar-${status || 'none'}`, role: 'progressbar', 'aria-valuemin': '0',
    'aria-valuemax': '100', 'aria-valuenow': (f * 100).toFixed(0) }, fill);
}

export function setBar(bar, fraction) {
  const f = Math.max(0, Math.min(1, Number(fraction) || 0));
  bar.querySelector('.bar-fill').style.width = `${(f * 100).toFixed(1)}%`;
  bar.setAttribute('aria-valuenow', (f * 100).toFixed(0));
}

/** Adds or replaces one epoch's metrics in a list kept in epoch order. */
export function upsertEpoch(epochs, m) {
  if (!m || typeof m.epoch !== 'number') return;
  const i = epochs.findIndex(x => x.epoch === m.epoch);
  if (i >= 0) epochs[i] = m;
  else {
    epochs.push(m);
    epochs.sort((a, b) => a.epoch - b.epoch);
  }
}

/**
 * fn at most once per animation frame however often it is asked for: what a page draws from a stream of events
 * (a fast run sends dozens a second) is drawn once per screen refresh.
 */
export function perFrame(fn) {
  let asked = false;
  return () => {
    if (asked) return;
    asked = true;
    requestAnimationFrame(() => {
      asked = false;
      fn();
    });
  };
}

/** The class names of the page data, in label order. */
export function classNamesOf(data) {
  const n = data && data.classNames;
  return Array.isArray(n) ? n.map(String) : [];
}

/** Shows a transient message in the page's #notice element. */
export function notice(message, kind = 'error') {
  const box = document.getElementById('notice');
  if (!box) { console.warn(message); return; }
  box.textContent = message;
  box.className = `notice notice-${kind}`;
  box.hidden = false;
  clearTimeout(Number(box.dataset.timer));
  box.dataset.timer = String(setTimeout(() => { box.hidden = true; }, kind === 'error' ? 10000 : 4000));
}
