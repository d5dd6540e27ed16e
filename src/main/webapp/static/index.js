// The runs page: live runs table, the new-run form, devices and the Fashion-MNIST status.
import {
  ACTIVE, ApiError, api, el, fmtInt, fmtPct, fmtTime, getJson, notice, pageData, progressBar, statusBadge,
} from './common.js';

const data = pageData();
const FIELDS = ['gridType', 'height', 'width', 'layers', 'kernel', 'activation', 'gain', 'batch', 'lr', 'lrStep',
  'lrGamma', 'epochs', 'seed', 'dataset', 'samples', 'testSamples', 'backend', 'threads', 'checkpointEvery'];
// fields that only one grid type uses: the other's are hidden and not sent
const ONLY_2D = new Set(['height', 'width']);
const ONLY_3D = new Set(['layers']);
const SHEET = 28; // a 3D grid's sheets are the images: 28 x 28
// The published recipe, used when the page was rendered without its defaults.
const RECIPE = {
  height: 64, width: 64, kernel: 3, activation: 'sin', gain: Math.SQRT2, batch: 256, lr: 1e-4, lrStep: 100,
  lrGamma: 0.1, epochs: 300, seed: 42, dataset: 'fashion-mnist', samples: 60000, testSamples: 10000,
  backend: 'auto', threads: 0, checkpointEvery: 10, gridType: '2d', layers: 64,
};
const QUICK_LOOK = {
  name: 'quick look', height: 32, width: 16, kernel: 3, activation: 'sin', gain: Math.SQRT2, batch: 64, lr: 1e-3,
  lrStep: 100, lrGamma: 0.1, epochs: 5, seed: 42, dataset: 'synthetic', samples: 2048, testSamples: 512,
  backend: 'auto', threads: 0, checkpointEvery: 0, layers: 8,
};
const defaults = { ...RECIPE, ...(data.defaults && typeof data.defaults === 'object' ? data.defaults : {}) };

const form = document.getElementById('run-form');
const selected = new Set();
let runs = Array.isArray(data.runs) ? data.runs : null;

// ---------------------------------------------------------------- runs table

const rows = new Map(); // run id -> {row, check, key}: rows are updated in place, so a click never hits a stale one

function renderRuns() {
  const body = document.getElementById('runs-body');
  if (!runs) {
    body.replaceChildren(el('tr', { class: 'empty' }, el('td', { colspan: 9, text: 'Loading runs…' })));
    return;
  }
  const known = new Set(runs.map(r => r.id));
  for (const id of [...selected]) if (!known.has(id)) selected.delete(id);
  for (const [id, entry] of rows) {
    if (!known.has(id)) {
      entry.row.remove();
      rows.delete(id);
    }
  }
  body.querySelectorAll('tr.empty').forEach(n => n.remove());
  if (runs.length === 0) {
    body.append(el('tr', { class: 'empty' },
      el('td', { colspan: 9, text: 'No runs yet. Start one with the form, or try "Quick look".' })));
  }
  let previous = null;
  for (const r of runs) {
    const entry = rows.get(r.id) || createRow(r.id);
    const key = JSON.stringify(r);
    if (entry.key !== key) {
      entry.key = key;
      fillRow(entry, r);
    }
    entry.row.classList.toggle('selected', selected.has(r.id));
    entry.check.checked = selected.has(r.id);
    // keep the table's order (newest first) without moving rows that are already in place
    const expected = previous ? previous.nextElementSibling : body.firstElementChild;
    if (expected !== entry.row) body.insertBefore(entry.row, expected);
    previous = entry.row;
  }
  const active = runs.filter(r => ACTIVE.has(r.status)).length;
  document.getElementById('runs-count').textContent = runs.length === 0 ? ''
    : `${runs.length} run${runs.length === 1 ? '' : 's'}${active ? `, ${active} active` : ''}`;
  updateCompare();
}

function createRow(id) {
  const check = el('input', { type: 'checkbox', class: 'run-select', value: id });
  const row = el('tr', { dataset: { id } }, el('td', { class: 'check' }, check));
  check.addEventListener('change', () => {
    if (check.checked) selected.add(id); else selected.delete(id);
    row.classList.toggle('selected', check.checked);
    updateCompare();
  });
  const entry = { row, check, key: null };
  rows.set(id, entry);
  return entry;
}

function fillRow(entry, r) {
  const { row, check } = entry;
  check.setAttribute('aria-label', `select ${r.name || r.id}`);
  row.dataset.status = r.status || '';
  row.title = r.status === 'failed' && r.message ? r.message : '';
  const pct = typeof r.progress === 'number' ? `${Math.round(r.progress * 100)}%` : '';
  row.replaceChildren(check.parentElement,
    el('td', { class: 'name' },
      el('a', { href: `/runs/${encodeURIComponent(r.id)}`, text: r.name || r.id, title: r.name || r.id }),
      r.name ? el('span', { class: 'id', text: r.id }) : null),
    el('td', null, statusBadge(r.status)),
    el('td', { class: 'progress' }, el('div', { class: 'progress-cell' }, progressBar(r.progress, r.status),
      el('span', { class: 'pct', text: pct }))),
    el('td', { class: 'num', text: `${r.epoch ?? 0} / ${r.epochs ?? '?'}` }),
    el('td', { class: 'num', text: r.bestTestAccuracy == null ? '–' : fmtPct(r.bestTestAccuracy) }),
    el('td', { class: 'mono', text: r.grid || '–' }),
    el('td', { title: r.device || '', text: r.backend || '–' }),
    el('td', { class: 'num', title: r.started || r.created || '', text: fmtTime(r.started || r.created) }),
  );
}

function updateCompare() {
  const button = document.getElementById('compare-button');
  button.disabled = selected.size < 2;
  button.textContent = selected.size >= 2 ? `Compare ${selected.size} runs` : 'Compare selected';
  const all = document.getElementById('select-all');
  all.checked = runs && runs.length > 0 && selected.size === runs.length;
  all.indeterminate = selected.size > 0 && runs && selected.size < runs.length;
}

document.getElementById('select-all').addEventListener('change', e => {
  selected.clear();
  if (e.target.checked && runs) runs.forEach(r => selected.add(r.id));
  renderRuns();
});

document.getElementById('compare-button').addEventListener('click', () => {
  if (selected.size < 2 || !runs) return;
  // keep the table's order (newest first)
  const ids = runs.map(r => r.id).filter(id => selected.has(id));
  window.location.href = `/compare?ids=${ids.map(encodeURIComponent).join(',')}`;
});

// Polls GET /api/runs: every 2 s while a run is queued or running, every 15 s otherwise; paused while hidden.
let pollTimer = null;
let pollFailures = 0;

async function pollRuns() {
  clearTimeout(pollTimer);
  try {
    const list = await getJson('/api/runs');
    runs = Array.isArray(list?.runs) ? list.runs : Array.isArray(list) ? list : [];
    pollFailures = 0;
    renderRuns();
    setPollState('');
  } catch (e) {
    pollFailures++;
    setPollState(`cannot reach the server (${e.message})`);
  }
  schedulePoll();
}

function schedulePoll() {
  clearTimeout(pollTimer);
  if (document.hidden) return;
  const active = runs && runs.some(r => ACTIVE.has(r.status));
  const delay = pollFailures > 0 ? Math.min(30000, 2000 * 2 ** Math.min(pollFailures, 4)) : active ? 2000 : 15000;
  pollTimer = setTimeout(pollRuns, delay);
}

function setPollState(text) {
  const node = document.getElementById('poll-state');
  node.textContent = '';
  if (text) node.append(el('span', { class: 'dot offline' }), ` ${text}`);
}

document.addEventListener('visibilitychange', () => {
  if (!document.hidden) pollRuns();
  else clearTimeout(pollTimer);
});

// ---------------------------------------------------------------- devices and data

function renderDevices(devices) {
  const list = document.getElementById('device-list');
  list.textContent = '';
  if (!Array.isArray(devices) || devices.length === 0) {
    list.append(el('li', { class: 'muted', text: 'No devices reported.' }));
  } else {
    for (const d of devices) {
      list.append(el('li', null,
        el('span', { class: d.available ? 'ok' : 'no', text: d.available ? '✓' : '–',
          title: d.available ? 'available' : 'not available' }),
        el('span', { class: 'backend', text: d.backend || '?' }),
        el('span', { class: 'name', text: d.name || '' }),
        d.note ? el('span', { class: 'note', text: d.note }) : null));
    }
  }
  // the backend select: auto, java, then every device the server reported
  const select = document.getElementById('f-backend');
  const current = select.value || defaults.backend || 'auto';
  select.textContent = '';
  const seen = new Set();
  const add = (value, label, disabled, title) => {
    if (seen.has(value)) return;
    seen.add(value);
    select.append(el('option', { value, text: label, disabled: disabled || null, title: title || null }));
  };
  add('auto', 'auto (best available)');
  for (const d of Array.isArray(devices) ? devices : []) {
    if (!d.backend) continue;
    add(String(d.backend), `${d.backend}${d.name ? ` · ${d.name}` : ''}${d.available ? '' : ' (unavailable)'}`,
      !d.available, d.note);
  }
  add('java', 'java (CPU)');
  if (!seen.has(current)) add(current, current);
  select.value = current;
}

let datasetTimer = null;

function renderDataset(ds) {
  clearTimeout(datasetTimer);
  const box = document.getElementById('dataset-status');
  box.textContent = '';
  const d = ds && ds.fashionMnist ? ds.fashionMnist : ds;
  if (!d || typeof d !== 'object') {
    box.append(el('span', { class: 'muted', text: 'Status unknown.' }));
    return;
  }
  if (d.fetching) {
    const fraction = typeof d.fraction === 'number' ? d.fraction : 0;
    box.append(
      el('div', null, el('span', { class: 'badge badge-running', text: 'fetching' }), ' ',
        el('span', { text: d.message || 'downloading…' })),
      el('div', { class: 'progress-cell' }, progressBar(fraction, 'running'),
        el('span', { class: 'pct', text: `${Math.round(fraction * 100)}%` })));
    datasetTimer = setTimeout(pollDataset, 1000);
  } else if (d.present) {
    box.append(el('div', null, el('span', { class: 'badge badge-completed', text: 'present' }), ' ',
      el('span', { class: 'muted', text: d.message || 'in the data folder' })));
  } else {
    box.append(el('div', null, el('span', { class: 'badge badge-queued', text: 'not present' }), ' ',
      el('span', { class: 'muted', text: d.message || 'fetched when the first Fashion-MNIST run starts' })));
  }
}

async function pollDataset() {
  try {
    renderDataset(await getJson('/api/datasets'));
  } catch (e) {
    datasetTimer = setTimeout(pollDataset, 5000);
  }
}

// ---------------------------------------------------------------- the form

function input(name) {
  return form.elements.namedItem(name);
}

function fill(values) {
  for (const name of FIELDS) {
    const node = input(name);
    if (!node || values[name] === undefined || values[name] === null) continue;
    const v = values[name];
    if (node.tagName === 'SELECT' && ![...node.options].some(o => o.value === String(v))) {
      node.append(el('option', { value: String(v), text: String(v) }));
    }
    node.value = String(v);
  }
  if (values.name !== undefined) input('name').value = values.name || '';
  syncGridType();
  syncDataset();
  updateEstimate();
  clearErrors();
}

function syncDataset() {
  const synthetic = input('dataset').value === 'synthetic';
  form.querySelectorAll('.synthetic-only').forEach(n => { n.hidden = !synthetic; });
  document.getElementById('dataset-help').textContent = synthetic
    ? 'Generated class-dependent images; trains in seconds, good for a first look.'
    : 'Fashion-MNIST is fetched once into the data folder.';
}

function is3d() {
  return input('gridType').value === '3d';
}

/** Shows the fields of the chosen grid type, and help texts that speak of its windows. */
function syncGridType() {
  const three = is3d();
  form.querySelectorAll('.grid-2d-only').forEach(n => { n.hidden = three; });
  form.querySelectorAll('.grid-3d-only').forEach(n => { n.hidden = !three; });
  document.getElementById('gridType-help').textContent = three
    ? `3D: the image is the input sheet; each of the L grid layers is a ${SHEET}×${SHEET} sheet whose cells sum a `
      + 'k×k window of the previous sheet. No dense layer in front; the last sheet feeds the output.'
    : '2D: a dense layer maps the image onto H cells; W grid layers follow, each cell summing a window of k cells '
      + 'of the previous layer (the published default).';
  document.getElementById('kernel-help').textContent = three
    ? `k×k window over the previous sheet: odd, 3–${2 * SHEET - 1}.`
    : 'Window over the previous layer: odd, 3–63, at most 2H−1.';
  document.getElementById('gain-help').textContent = three
    ? 'Grid weights uniform in ±gain·√(6/2k²).'
    : 'Grid weights uniform in ±gain·√(6/2k).';
}

/** The parameter count and a rough memory estimate, as RunConfig computes them. */
function updateEstimate() {
  const b = Number(input('batch').value);
  const node = document.getElementById('estimate');
  let params, cells, depth;
  if (is3d()) {
    const layers = Number(input('layers').value);
    if (!(Number.isInteger(layers) && layers > 0)) { node.textContent = ''; return; }
    cells = SHEET * SHEET;
    depth = layers;
    params = 2 * layers * cells + 10 * cells + 10;
  } else {
    const h = Number(input('height').value), w = Number(input('width').value);
    if (!(h > 0 && w > 0)) { node.textContent = ''; return; }
    cells = h;
    depth = w;
    params = h * 784 + h + 2 * w * h + 10 * h + 10;
  }
  const synthetic = input('dataset').value === 'synthetic';
  const images = synthetic ? Number(input('samples').value) + Number(input('testSamples').value) : 70000;
  const bytes = 16 * params + (b > 0 ? 8 * b * (depth + 1) * cells : 0) + (images || 0) * 785;
  node.textContent = `${fmtInt(params)} parameters · about ${fmtMiB(bytes)} while training`
    + (is3d() ? ` · ${SHEET}×${SHEET}×${depth} grid` : '');
}

function fmtMiB(bytes) {
  const mib = bytes / 1048576;
  return mib >= 1024 ? `${(mib / 1024).toFixed(1)} GiB` : `${mib < 10 ? mib.toFixed(1) : Math.round(mib)} MiB`;
}

/** Form values as the API's config: numbers where the text is a plain number, else the text (the server judges). */
function collect() {
  const config = {};
  const synthetic = input('dataset').value === 'synthetic';
  const three = is3d();
  for (const name of FIELDS) {
    if (!synthetic && (name === 'samples' || name === 'testSamples')) continue;
    if ((three && ONLY_2D.has(name)) || (!three && ONLY_3D.has(name))) continue;
    const node = input(name);
    const text = String(node.value ?? '').trim();
    const kind = node.dataset.kind;
    if (kind === 'int' && /^-?\d+$/.test(text) && Number.isSafeInteger(Number(text))) config[name] = Number(text);
    else if (kind === 'number' && text !== '' && Number.isFinite(Number(text))) config[name] = Number(text);
    else config[name] = text;
  }
  return config;
}

function clearErrors() {
  form.querySelectorAll('.field-error').forEach(n => { n.textContent = ''; });
  form.querySelectorAll('.field.invalid').forEach(n => n.classList.remove('invalid'));
  const box = document.getElementById('form-errors');
  box.hidden = true;
  box.textContent = '';
}

function showErrors(errors) {
  clearErrors();
  const unplaced = [];
  for (const e of errors) {
    const field = e.field || 'body';
    const slot = form.querySelector(`.field-error[data-field="${CSS.escape(field)}"]`);
    if (slot && !slot.closest('[hidden]')) {
      slot.textContent = slot.textContent ? `${slot.textContent}; ${e.message}` : e.message;
      slot.closest('.field')?.classList.add('invalid');
    } else {
      unplaced.push(`${field}: ${e.message}`);
    }
  }
  const box = document.getElementById('form-errors');
  const count = errors.length;
  box.textContent = unplaced.length ? unplaced.join('\n')
    : `The server refused ${count === 1 ? 'one field' : `${count} fields`}; see below.`;
  box.style.whiteSpace = 'pre-line';
  box.hidden = false;
  const first = form.querySelector('.field.invalid input, .field.invalid select');
  if (first) first.focus({ preventScroll: false });
}

form.addEventListener('submit', async e => {
  e.preventDefault();
  const button = document.getElementById('submit-run');
  const state = document.getElementById('submit-state');
  button.disabled = true;
  state.textContent = 'Starting…';
  const body = { config: collect() };
  const name = input('name').value.trim();
  if (name) body.name = name;
  try {
    const reply = await api('POST', '/api/runs', body);
    state.textContent = 'Started.';
    window.location.href = `/runs/${encodeURIComponent(reply.id)}`;
  } catch (err) {
    button.disabled = false;
    state.textContent = '';
    if (err instanceof ApiError && err.body && Array.isArray(err.body.errors)) {
      showErrors(err.body.errors);
    } else {
      showErrors([{ field: 'body', message: err.message }]);
    }
  }
});

form.addEventListener('input', e => {
  const field = e.target.closest('.field');
  if (field && field.classList.contains('invalid')) {
    field.classList.remove('invalid');
    const slot = field.querySelector('.field-error');
    if (slot) slot.textContent = '';
  }
  updateEstimate();
});
input('dataset').addEventListener('change', () => { syncDataset(); updateEstimate(); });
input('gridType').addEventListener('change', () => { syncGridType(); updateEstimate(); });
// a quick look keeps the chosen grid type
document.getElementById('quick-look').addEventListener('click', () => fill({ ...QUICK_LOOK, gridType: input('gridType').value }));
document.getElementById('reset-recipe').addEventListener('click', () => fill({ ...defaults, name: '' }));

// ---------------------------------------------------------------- start

if (Array.isArray(data.activations) && data.activations.length) {
  const select = input('activation');
  select.textContent = '';
  for (const a of data.activations) select.append(el('option', { value: a, text: a }));
}
renderDevices(data.devices);
fill(defaults);
renderRuns();
renderDataset(data.dataset);
if (!Array.isArray(data.devices)) getJson('/api/devices').then(d => renderDevices(d?.devices ?? d)).catch(() => {});
if (!data.dataset) pollDataset();
pollRuns();
