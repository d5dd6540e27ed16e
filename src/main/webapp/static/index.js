// The runs page: the live sweeps list and runs table (polled together), the cluster's nodes (polled on their own),
// the new-run form (built from the server's field descriptors; one run or a sweep), the compute devices and the
// Fashion-MNIST status. start() wires it;
// importing this module does nothing.
import { ApiError, api, el, getJson, pageData, progressBar, statusSets } from './common.js';
import { ConfigForm } from './config-form.js';
import { recipeButtonId, recipeValues } from './config-fields.js';
import { NodesPanel } from './nodes-panel.js';
import { Poller } from './poller.js';
import { RunsTable } from './runs-table.js';
import { SweepForm } from './sweep-form.js';
import { SweepsList } from './sweeps-list.js';

function renderDevices(devices) {
  const list = document.getElementById('device-list');
  list.textContent = '';
  if (!Array.isArray(devices) || devices.length === 0) {
    list.append(el('li', { class: 'muted', text: 'No devices reported.' }));
    return;
  }
  for (const d of devices) {
    list.append(el('li', null,
      el('span', { class: d.available ? 'ok' : 'no', text: d.available ? '✓' : '–',
        title: d.available ? 'available' : 'not available' }),
      el('span', { class: 'backend', text: d.backend || '?' }),
      el('span', { class: 'name', text: d.name || '' }),
      d.note ? el('span', { class: 'note', text: d.note }) : null));
  }
}

/** The Fashion-MNIST panel; while the set is being fetched it asks again every second. */
class DatasetStatus {
  constructor(box) {
    this.box = box;
    this.timer = null;
  }

  render(ds) {
    clearTimeout(this.timer);
    const box = this.box;
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
      this.timer = setTimeout(() => this.poll(), 1000);
    } else if (d.present) {
      box.append(el('div', null, el('span', { class: 'badge badge-completed', text: 'present' }), ' ',
        el('span', { class: 'muted', text: d.message || 'in the data folder' })));
    } else {
      box.append(el('div', null, el('span', { class: 'badge badge-queued', text: 'not present' }), ' ',
        el('span', { class: 'muted', text: d.message || 'fetched when the first Fashion-MNIST run starts' })));
    }
  }

  async poll() {
    try {
      this.render(await getJson('/api/datasets'));
    } catch (e) {
      this.timer = setTimeout(() => this.poll(), 5000);
    }
  }
}

/**
 * One button per recipe of the page data, in its order, with the recipe's help as its title. A recipe that sets
 * nothing over the defaults clears the run's name; another names the run after itself.
 */
function renderRecipes(recipes, form, nameInput) {
  const slot = document.getElementById('recipes');
  slot.replaceChildren(...recipes.filter(r => r && r.id).map(r => el('button', {
    type: 'button', id: recipeButtonId(r.id), dataset: { recipe: r.id }, title: r.help || null,
    text: r.label || r.id,
    onclick: () => {
      form.fill(recipeValues(form.fields, r, form.values()));
      const changes = r.values && Object.keys(r.values).length > 0;
      nameInput.value = changes ? (r.label || r.id).toLowerCase() : '';
    },
  })));
}

async function submit(form, nameInput) {
  const button = document.getElementById('submit-run');
  const state = document.getElementById('submit-state');
  button.disabled = true;
  state.textContent = 'Starting…';
  const body = { config: form.config() };
  const name = nameInput.value.trim();
  if (name) body.name = name;
  try {
    const reply = await api('POST', '/api/runs', body);
    state.textContent = 'Started.';
    window.location.href = `/runs/${encodeURIComponent(reply.id)}`;
  } catch (err) {
    button.disabled = false;
    state.textContent = '';
    if (err instanceof ApiError && err.body && Array.isArray(err.body.errors)) {
      form.showErrors(err.body.errors);
    } else {
      form.showErrors([{ field: 'body', message: err.message }]);
    }
  }
}

/** Starts a sweep (every run queued at once) and opens its page; a refusal names its fields and points. */
async function submitSweep(sweepForm) {
  const button = document.getElementById('submit-run');
  const state = document.getElementById('submit-state');
  button.disabled = true;
  state.textContent = 'Starting…';
  try {
    const reply = await sweepForm.submit(body => api('POST', '/api/sweeps', body));
    state.textContent = reply.runs ? `Started ${reply.runs} runs.` : 'Started.';
    window.location.href = `/sweeps/${encodeURIComponent(reply.id)}`;
  } catch (err) {
    button.disabled = false;
    state.textContent = '';
    if (err instanceof ApiError && err.body && Array.isArray(err.body.errors)) {
      sweepForm.showErrors(err.body.errors);
    } else {
      sweepForm.showErrors([{ field: 'body', message: err.message }]);
    }
  }
}

/** The connection's state in the top bar ("" when the server answers). */
function showPollState(text) {
  const node = document.getElementById('poll-state');
  node.textContent = '';
  if (text) node.append(el('span', { class: 'dot offline' }), ` ${text}`);
}

export function start() {
  const data = pageData();
  const fields = Array.isArray(data.fields) ? data.fields : [];
  const formNode = document.getElementById('run-form');
  const nameInput = document.getElementById('f-name');
  const form = new ConfigForm(formNode, document.getElementById('config-fields'), fields,
    { check: config => api('POST', '/api/config/check', { config }) });
  form.bind();
  form.setDevices(data.devices);
  form.fill(Object.fromEntries(fields.map(f => [f.name, f.default])));
  renderRecipes(Array.isArray(data.recipes) ? data.recipes : [], form, nameInput);
  const sweepForm = new SweepForm(form, {
    toggle: document.getElementById('form-mode'), controls: document.getElementById('sweep-controls'),
    estimate: document.getElementById('sweep-estimate'), nameInput, nameLabel: document.getElementById('name-label'),
    rules: data.sweepRules, check: body => api('POST', '/api/sweeps/check', body),
  });
  formNode.addEventListener('submit', e => {
    e.preventDefault();
    if (sweepForm.active) submitSweep(sweepForm);
    else submit(form, nameInput);
  });

  renderDevices(data.devices);
  if (!Array.isArray(data.devices)) {
    getJson('/api/devices').then(d => {
      renderDevices(d?.devices);
      form.setDevices(d?.devices);
    }).catch(() => {});
  }
  const dataset = new DatasetStatus(document.getElementById('dataset-status'));
  if (data.dataset) dataset.render(data.dataset);
  else dataset.poll();
  const sets = statusSets(data);
  const sweeps = new SweepsList(document.getElementById('sweeps-panel'), sets);
  const runs = new RunsTable(data.runs, sets);
  const nameSweeps = () => runs.setSweepNames(new Map(sweeps.sweeps.map(s => [s.id, s.name || s.id])));
  if (Array.isArray(data.sweeps)) {
    sweeps.update(data.sweeps);
    nameSweeps();
  }
  runs.start();
  // the runs and the sweeps together, so that they never disagree for long: every 2 s while something is queued or
  // training and the page is seen, every 15 s otherwise; a sweeps list that fails leaves the panel as it was
  const poller = new Poller(
    () => Promise.all([getJson('/api/runs'), getJson('/api/sweeps').catch(() => null)]), {
      isActive: () => runs.isActive() || sweeps.isActive(),
      onAnswer: ([runList, sweepList]) => {
        if (sweepList) {
          sweeps.update(sweepList);
          nameSweeps();
        }
        runs.update(runList);
        showPollState('');
      },
      onError: e => showPollState(`cannot reach the server (${e.message})`),
      activeMs: 2000,
      idleMs: 15000,
    });
  // the cluster's nodes: every 2 s while the page is seen (a heartbeat comes every 2 s), and at once after a drain
  const nodes = new NodesPanel(document.getElementById('nodes-panel'), { onChange: () => nodePoller.poll() });
  const nodePoller = new Poller(() => getJson('/api/nodes'), {
    isActive: () => true,
    onAnswer: answer => nodes.update(answer),
    onError: e => nodes.failed(e.message),
    activeMs: 2000,
    idleMs: 15000,
  });
  document.addEventListener('visibilitychange', () => {
    if (document.hidden) return;
    poller.poll();
    nodePoller.poll();
  });
  poller.poll();
  nodePoller.poll();
}
