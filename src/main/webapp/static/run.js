// One run: header and actions, progress, live charts, the per-class heatmaps with an epoch slider, the
// configuration and the epochs table. Live data comes over the WebSocket /ws/runs/{id}.
import {
  ACTIVE, RESUMABLE, api, classNamesOf, el, fmtDuration, fmtInt, fmtNum, fmtPct, fmtTime, fmtTimeAfter, getJson, notice,
  pageData, setBar, statusBadge,
} from './common.js';
import { LineChart, bindChartControls } from './charts.js';
import { Filmstrip, FrameCache, HeatmapSet, createLegend, decodeFrame, isSheetFrame } from './heatmap.js';

const data = pageData();
const runId = String(data.id || (data.run && data.run.id) || location.pathname.split('/').filter(Boolean).pop());
const classNames = classNamesOf(data);
const CONFIG_FIELDS = [
  ['gridType', 'grid type'], ['height', 'grid height H'], ['width', 'grid width W'], ['layers', 'layers L'],
  ['kernel', 'kernel k'], ['activation', 'activation'],
  ['gain', 'init gain'], ['batch', 'batch'], ['lr', 'learning rate'], ['lrStep', 'LR step (epochs)'],
  ['lrGamma', 'LR factor γ'], ['epochs', 'epochs'], ['seed', 'seed'], ['dataset', 'dataset'],
  ['samples', 'training samples'], ['testSamples', 'test samples'], ['backend', 'backend'],
  ['threads', 'CPU threads'], ['checkpointEvery', 'checkpoint every'],
];

const state = {
  run: data.run && typeof data.run === 'object' ? data.run : { id: runId },
  metrics: [],
  progress: null,
  batchEpoch: null,
  batchPoints: [],
};

const $ = id => document.getElementById(id);

// ---------------------------------------------------------------- header, actions, progress

function applySummary(summary) {
  if (!summary || typeof summary !== 'object') return;
  const before = state.run.status;
  state.run = { ...state.run, ...summary };
  if (summary.config) state.run.config = summary.config;
  const r = state.run;
  document.title = `${r.name || r.id} · NeuralGrid`;
  $('run-name').textContent = r.name || r.id || runId;
  $('run-id').textContent = r.id || runId;
  $('run-status').replaceWith(Object.assign(statusBadge(r.status), { id: 'run-status' }));
  $('meta-grid').textContent = r.grid || gridOf(r.config) || '–';
  $('meta-backend').textContent = r.backend || (r.config && r.config.backend) || '–';
  $('meta-device').textContent = r.device || '–';
  $('meta-created').textContent = fmtTime(r.created);
  $('meta-created-item').hidden = Boolean(r.started);
  $('meta-started').textContent = fmtTime(r.started);
  $('meta-finished').textContent = fmtTimeAfter(r.finished, r.started);
  $('meta-finished').title = r.finished || '';
  $('cancel-run').hidden = !ACTIVE.has(r.status);
  updateBatchEmpty();
  $('resume-run').hidden = !RESUMABLE.has(r.status);
  $('failure').hidden = !(r.status === 'failed' || (r.status === 'interrupted' && r.message));
  $('failure').querySelector('strong').textContent = r.status === 'failed' ? 'Run failed.' : 'Run interrupted.';
  $('failure-message').textContent = r.message || (r.status === 'failed' ? 'No message was recorded.' : '');
  updateDownloads();
  if (r.config) renderConfig(r.config);
  if (r.bestTestAccuracy != null) $('stat-best').textContent = fmtPct(r.bestTestAccuracy);
  updateProgress();
  if (before && before !== r.status && !ACTIVE.has(r.status)) {
    state.progress = null;
    updateProgress();
  }
  if (ACTIVE.has(r.status)) ensureSocket();
  if (socket.ws && socket.ws.readyState === WebSocket.OPEN) setConn('live', ACTIVE.has(r.status) ? 'live' : 'connected');
}

function gridOf(config) {
  if (config && config.gridType === '3d' && config.layers) return `28x28x${config.layers}`;
  return config && config.height ? `${config.height}x${config.width}` : null;
}

/** '2d' or '3d' once the configuration is known, else null (then the frames decide). */
function gridType() {
  const c = state.run.config;
  return c && typeof c.gridType === 'string' ? c.gridType : c ? '2d' : null;
}

function updateDownloads() {
  const r = state.run;
  const id = encodeURIComponent(r.id || runId);
  const weights = $('download-weights');
  weights.href = `/api/runs/${id}/weights`;
  // weights are written at the end and at every checkpointEvery-th epoch
  const every = r.config && Number.isFinite(r.config.checkpointEvery) ? r.config.checkpointEvery : 0;
  const hasWeights = r.status === 'completed' || (every > 0 && (r.epoch || 0) >= every);
  weights.classList.toggle('disabled', !hasWeights);
  weights.setAttribute('aria-disabled', String(!hasWeights));
  weights.title = hasWeights ? 'the parameters of the newest checkpoint (safetensors, F32)'
    : 'no checkpoint written yet';
  $('download-metrics').href = `/api/runs/${id}/metrics?format=csv`;
  $('download-metrics').setAttribute('download', `neuralgrid-${r.id || runId}-metrics.csv`);
  $('download-config').href = `/api/runs/${id}/config`;
  $('download-config').setAttribute('download', `neuralgrid-${r.id || runId}-config.json`);
}

function secondsPerEpoch() {
  const recent = state.metrics.slice(-5).map(m => m.seconds).filter(s => Number.isFinite(s) && s > 0);
  if (recent.length) return recent.reduce((a, b) => a + b, 0) / recent.length;
  const p = state.progress;
  return p && Number.isFinite(p.elapsed) && Number.isFinite(p.eta) ? p.elapsed + p.eta : null;
}

function updateProgress() {
  const r = state.run;
  const p = state.progress;
  const epochs = r.epochs || (r.config && r.config.epochs) || 0;
  if (p && ACTIVE.has(r.status)) {
    const f = p.batches > 0 ? p.batch / p.batches : 0;
    setBar($('epoch-bar'), f);
    $('epoch-progress-label').textContent = `Epoch ${p.epoch} of ${p.epochs || epochs} · batch ${fmtInt(p.batch)} / ${fmtInt(p.batches)}`;
    $('epoch-eta').textContent = `${fmtDuration(p.elapsed)} elapsed · ETA ${fmtDuration(p.eta)}`;
    const total = p.epochs || epochs;
    const overall = total > 0 ? (p.epoch - 1 + f) / total : 0;
    setBar($('run-bar'), overall);
    const per = secondsPerEpoch();
    const remaining = per == null ? null : p.eta + Math.max(0, total - p.epoch) * per;
    $('run-progress-label').textContent = `Overall ${(overall * 100).toFixed(1)}% · epoch ${p.epoch} / ${total}`;
    $('run-eta').textContent = remaining == null ? '' : `ETA ${fmtDuration(remaining)}`;
  } else {
    const overall = typeof r.progress === 'number' ? r.progress : epochs ? (r.epoch || 0) / epochs : 0;
    setBar($('run-bar'), overall);
    $('run-progress-label').textContent = `Overall ${(overall * 100).toFixed(1)}% · epoch ${r.epoch ?? 0} / ${epochs || '?'}`;
    const done = r.status === 'completed';
    setBar($('epoch-bar'), done ? 1 : 0);
    const labels = {
      queued: 'Waiting for a free training slot',
      running: 'Starting…',
      completed: 'Training finished',
      failed: 'Training stopped with an error',
      cancelled: 'Cancelled',
      interrupted: 'Interrupted (the server stopped); resume continues from the last checkpoint',
    };
    $('epoch-progress-label').textContent = labels[r.status] || 'Current epoch';
    const took = r.started && r.finished ? (new Date(r.finished) - new Date(r.started)) / 1000 : null;
    $('epoch-eta').textContent = took != null && Number.isFinite(took) ? `took ${fmtDuration(took)}` : '';
    $('run-eta').textContent = '';
  }
  for (const id of ['epoch-bar', 'run-bar']) {
    $(id).className = `bar big bar-${r.status || 'none'}`;
  }
}

async function action(method, path, confirmText) {
  if (confirmText && !window.confirm(confirmText)) return null;
  try {
    return await api(method, `/api/runs/${encodeURIComponent(runId)}${path}`);
  } catch (e) {
    notice(e.message);
    return null;
  }
}

$('cancel-run').addEventListener('click', async () => {
  const s = await action('POST', '/cancel');
  if (s) applySummary(s);
});
$('resume-run').addEventListener('click', async () => {
  const s = await action('POST', '/resume');
  if (s) {
    applySummary(s);
    ensureSocket();
  }
});
$('delete-run').addEventListener('click', async () => {
  const name = state.run.name || runId;
  if (!window.confirm(`Delete run "${name}" with its weights, metrics and heatmaps?`)) return;
  try {
    await api('DELETE', `/api/runs/${encodeURIComponent(runId)}`);
    socket.closedForGood = true;
    window.location.href = '/';
  } catch (e) {
    notice(e.message);
  }
});
$('download-weights').addEventListener('click', e => {
  if ($('download-weights').classList.contains('disabled')) e.preventDefault();
});

// ---------------------------------------------------------------- charts

const lossChart = new LineChart($('loss-chart'), {
  xTitle: 'epoch', yTitle: 'cross-entropy', series: [
    { label: 'train', color: '#1f5fd1' },
    { label: 'test', color: '#e0662b' },
  ],
});
const accuracyChart = new LineChart($('accuracy-chart'), {
  xTitle: 'epoch', yTitle: 'accuracy', percent: true, series: [
    { label: 'train', color: '#1f5fd1' },
    { label: 'test', color: '#e0662b' },
  ],
});
const batchChart = new LineChart($('batch-loss-chart'), {
  xTitle: 'batch', yTitle: 'running loss', xMin: 0, series: [
    { label: 'train loss', color: '#2e9d5f' },
  ],
});

function upsertMetrics(m) {
  if (!m || typeof m.epoch !== 'number') return;
  const i = state.metrics.findIndex(x => x.epoch === m.epoch);
  if (i >= 0) state.metrics[i] = m;
  else {
    state.metrics.push(m);
    state.metrics.sort((a, b) => a.epoch - b.epoch);
  }
}

function renderMetrics() {
  const ms = state.metrics;
  const pts = key => ms.map(m => ({ x: m.epoch, y: Number.isFinite(m[key]) ? m[key] : null }));
  const pct = key => ms.map(m => ({ x: m.epoch, y: Number.isFinite(m[key]) ? m[key] * 100 : null }));
  lossChart.setPoints(0, pts('trainLoss'));
  lossChart.setPoints(1, pts('testLoss'));
  accuracyChart.setPoints(0, pct('trainAccuracy'));
  accuracyChart.setPoints(1, pct('testAccuracy'));
  lossChart.render();
  accuracyChart.render();

  const last = ms[ms.length - 1];
  const best = ms.reduce((b, m) => (Number.isFinite(m.testAccuracy) && (b == null || m.testAccuracy > b)
    ? m.testAccuracy : b), state.run.bestTestAccuracy ?? null);
  $('stat-best').textContent = best == null ? '–' : fmtPct(best);
  $('stat-test').textContent = last ? fmtPct(last.testAccuracy) : '–';
  $('stat-loss').textContent = last ? fmtNum(last.testLoss) : '–';
  $('stat-speed').textContent = last ? fmtInt(last.samplesPerSecond) : '–';

  const body = $('metrics-body');
  body.textContent = '';
  for (let i = ms.length - 1; i >= 0; i--) {
    const m = ms[i];
    body.append(el('tr', null,
      el('td', { class: 'num', text: m.epoch }),
      el('td', { class: 'num', text: fmtNum(m.trainLoss) }),
      el('td', { class: 'num', text: fmtPct(m.trainAccuracy) }),
      el('td', { class: 'num', text: fmtNum(m.testLoss) }),
      el('td', { class: 'num', text: fmtPct(m.testAccuracy) }),
      el('td', { class: 'num', text: fmtNum(m.learningRate, 3) }),
      el('td', { class: 'num', text: Number.isFinite(m.seconds) ? m.seconds.toFixed(2) : '–' }),
      el('td', { class: 'num', text: fmtInt(m.samplesPerSecond) })));
  }
  if (ms.length === 0) body.append(el('tr', null, el('td', { colspan: 8, class: 'muted', text: 'No finished epoch yet.' })));
  updateBatchEmpty();
  const total = ms.reduce((s, m) => s + (Number.isFinite(m.seconds) ? m.seconds : 0), 0);
  $('epochs-note').textContent = ms.length ? `${ms.length} epochs · ${fmtDuration(total)} training` : '';
}

function updateBatchEmpty() {
  if (state.batchPoints.length) return;
  const last = state.metrics[state.metrics.length - 1];
  $('batch-empty').textContent = ACTIVE.has(state.run.status) ? 'Waiting for the first batches…'
    : `Not training now: this chart follows the epoch in progress.${last && Number.isFinite(last.trainLoss)
      ? ` Epoch ${last.epoch} ended at a mean training loss of ${fmtNum(last.trainLoss)}.` : ''}`;
}

function onProgress(p) {
  state.progress = p;
  if (p.epoch !== state.batchEpoch) {
    state.batchEpoch = p.epoch;
    state.batchPoints = [];
  }
  const pts = state.batchPoints;
  const last = pts[pts.length - 1];
  if (last && p.batch <= last.x) pts.splice(pts.findIndex(q => q.x >= p.batch));
  if (Number.isFinite(p.loss)) pts.push({ x: p.batch, y: p.loss });
  batchChart.setPoints(0, pts.slice());
  if (batchChart.chart) batchChart.chart.options.scales.x.max = p.batches || undefined;
  batchChart.render();
  $('batch-chart-note').textContent = `epoch ${p.epoch}, running mean`
    + (Number.isFinite(p.accuracy) ? ` · acc. ${fmtPct(p.accuracy, 1)}` : '');
  updateProgress();
}

bindChartControls(lossChart, accuracyChart);

// ---------------------------------------------------------------- heatmaps

const frames = new FrameCache(runId);
const heatmaps = new HeatmapSet($('heatmaps'), classNames, { readout: $('readout') });
const filmstrip = new Filmstrip($('filmstrip'), classNames, { readout: $('readout'), onPick: l => setLayer(l) });
const legend = createLegend('mean activation, all 10 classes');
$('legend-slot').append(legend.element);
const slider = $('epoch-slider');
const layerSlider = $('layer-slider');
const hm = {
  max: -1, shown: null, following: true, playing: false, playTimer: null, request: 0,
  // 3D: the layer shown (0-based), the frame's number of layers, the view, the layer sweep
  layer: 0, layers: 1, sheets: false, view: 'layer', sweeping: false, sweepTimer: null,
};

function setMaxEpoch(epoch) {
  if (epoch <= hm.max) return;
  hm.max = epoch;
  slider.max = String(epoch);
  slider.disabled = false;
  if (hm.following && !hm.playing) slider.value = String(epoch);
  updateEpochLabel();
}

function updateEpochLabel() {
  const e = Number(slider.value);
  $('epoch-label').textContent = hm.max < 0 ? 'no maps yet'
    : `epoch ${e}${e === 0 ? ' (init)' : ''} / ${hm.max}`;
  $('live-tag').hidden = !(hm.following && ACTIVE.has(state.run.status));
}

/** 10 maps in a row when each cell still gets 3 screen pixels, else 5 (or what the user chose). */
function layoutTiles(frame) {
  const grid = $('heatmaps');
  const choice = $('tiles-per-row').value;
  let ten = choice === '10';
  if (choice === 'auto' && frame) {
    const tile = (grid.clientWidth - 9 * 10) / 10;
    ten = Math.min(tile / frame.cols, 300 / frame.rows) >= 3;
  }
  grid.classList.toggle('per-row-10', ten);
}

$('tiles-per-row').addEventListener('change', () => layoutTiles(frames.frames.get(hm.shown)));
window.addEventListener('resize', () => {
  const f = frames.frames.get(hm.shown);
  layoutTiles(f);
  if (f && hm.sheets && hm.view === 'filmstrip') filmstrip.draw(f, { layer: hm.layer });
});

function draw(frame) {
  const sheets = isSheetFrame(frame, gridType());
  hm.sheets = sheets;
  hm.layers = sheets ? frame.layers : 1;
  hm.layer = Math.max(0, Math.min(hm.layer, hm.layers - 1));
  const strips = sheets && hm.view === 'filmstrip';
  $('heatmaps').hidden = strips;
  $('filmstrip').hidden = !strips;
  $('tiles-control').hidden = strips;
  // the tiles are drawn in both views, so that they always show the newest frame
  layoutTiles(frame);
  heatmaps.draw(frame, { layer: hm.layer, sheets });
  if (strips) filmstrip.draw(frame, { layer: hm.layer });
  hm.shown = frame.epoch;
  legend.set(frame.min, frame.max, sheets ? 'one scale for all classes and layers' : 'one scale for all classes');
  updateLayerControl();
}

/** The layer slider, its "layer l of L" text, the view choice and the note under the maps. */
function updateLayerControl() {
  $('layer-control').hidden = !hm.sheets;
  $('view-choice').hidden = !hm.sheets;
  const note = $('axis-note');
  const f = frames.frames.get(hm.shown);
  if (!hm.sheets) {
    if (f) {
      const blocks = f.blockRows > 1 || f.blockCols > 1
        ? ` · each pixel the mean of ${f.blockRows}×${f.blockCols} cells of the ${f.gridRows}×${f.gridCols} grid`
        : '';
      note.textContent = `${f.rows} rows: cells of a layer · ${f.cols} columns: grid layers, `
        + `input on the left → output on the right${blocks}`;
    }
    return;
  }
  layerSlider.max = String(hm.layers - 1);
  layerSlider.value = String(hm.layer);
  layerSlider.disabled = hm.layers <= 1;
  $('play-layers').disabled = hm.layers <= 1;
  const text = `layer ${hm.layer + 1} of ${hm.layers}`;
  $('layer-label').textContent = text;
  layerSlider.setAttribute('aria-valuetext', text);
  const where = hm.layer === 0 ? ' (reads the image)' : hm.layer === hm.layers - 1 ? ' (feeds the output)' : '';
  const side = f ? `${f.rows}×${f.cols}` : '28×28';
  note.textContent = hm.view === 'filmstrip'
    ? `each row: one class's ${hm.layers} sheets of ${side} cells, layer 1 (reads the image) on the left → `
      + `layer ${hm.layers} (feeds the output) on the right · outlined: ${text} · click a sheet to show its layer`
    : `each map: a ${side} sheet of cells, laid out like the image · ${text}${where}`;
}

/** Shows another layer of the frame on screen (no fetch: a frame holds every layer). */
function setLayer(layer) {
  hm.layer = Math.max(0, Math.min(Number(layer) || 0, hm.layers - 1));
  const f = frames.frames.get(hm.shown);
  if (!f) return;
  heatmaps.draw(f, { layer: hm.layer, sheets: hm.sheets });
  if (hm.sheets && hm.view === 'filmstrip') filmstrip.setLayer(hm.layer);
  updateLayerControl();
}

async function show(epoch) {
  const request = ++hm.request;
  updateEpochLabel();
  try {
    const frame = await frames.get(epoch);
    if (request === hm.request) draw(frame);
  } catch (e) {
    if (request === hm.request) $('readout').textContent = `no heatmap for epoch ${epoch}`;
  }
}

function onFrame(frame) {
  frames.put(frame);
  setMaxEpoch(frame.epoch);
  if (hm.playing) return;
  if ((hm.following && frame.epoch >= hm.max) || frame.epoch === hm.shown) {
    slider.value = String(frame.epoch);
    updateEpochLabel();
    draw(frame);
  }
}

slider.addEventListener('input', () => {
  stopPlay();
  const e = Number(slider.value);
  hm.following = e >= hm.max;
  show(e);
});

layerSlider.addEventListener('input', () => {
  stopSweep();
  setLayer(Number(layerSlider.value));
});

document.querySelectorAll('input[name="view"]').forEach(n => n.addEventListener('change', () => {
  hm.view = document.querySelector('input[name="view"]:checked')?.value === 'filmstrip' ? 'filmstrip' : 'layer';
  const f = frames.frames.get(hm.shown);
  if (f) draw(f);
}));

function stopSweep() {
  hm.sweeping = false;
  clearTimeout(hm.sweepTimer);
  $('play-layers').textContent = '▶';
  $('play-layers').setAttribute('aria-label', 'sweep the layers');
}

$('play-layers').addEventListener('click', () => {
  if (hm.sweeping) { stopSweep(); return; }
  if (hm.layers < 2) return;
  hm.sweeping = true;
  $('play-layers').textContent = '❚❚';
  $('play-layers').setAttribute('aria-label', 'stop the sweep');
  let l = hm.layer >= hm.layers - 1 ? 0 : hm.layer;
  const delay = Math.max(40, Math.min(400, 5000 / hm.layers));
  const step = () => {
    if (!hm.sweeping) return;
    setLayer(l);
    if (l >= hm.layers - 1) { stopSweep(); return; }
    l++;
    hm.sweepTimer = setTimeout(step, delay);
  };
  step();
});

function stopPlay() {
  hm.playing = false;
  clearTimeout(hm.playTimer);
  $('play').textContent = '▶';
  $('play').setAttribute('aria-label', 'play');
}

$('play').addEventListener('click', () => {
  if (hm.playing) { stopPlay(); return; }
  if (hm.max < 1) return;
  hm.playing = true;
  $('play').textContent = '❚❚';
  $('play').setAttribute('aria-label', 'pause');
  let e = Number(slider.value) >= hm.max ? 0 : Number(slider.value);
  const delay = Math.max(80, Math.min(500, 6000 / (hm.max + 1)));
  const step = async () => {
    if (!hm.playing) return;
    slider.value = String(e);
    hm.following = e >= hm.max;
    updateEpochLabel();
    try {
      const frame = await frames.get(e);
      if (!hm.playing) return;
      draw(frame);
      frames.get(e + 1 <= hm.max ? e + 1 : e).catch(() => {});
    } catch (err) { /* a missing epoch is skipped */ }
    if (e >= hm.max) { stopPlay(); hm.following = true; updateEpochLabel(); return; }
    e++;
    hm.playTimer = setTimeout(step, delay);
  };
  step();
});

// ---------------------------------------------------------------- config

function renderConfig(config) {
  const table = $('config-table');
  table.textContent = '';
  const body = el('tbody');
  const synthetic = config.dataset === 'synthetic';
  const three = config.gridType === '3d';
  const seen = new Set();
  for (const [key, label] of CONFIG_FIELDS) {
    seen.add(key);
    if (!(key in config)) continue;
    if (!synthetic && (key === 'samples' || key === 'testSamples')) continue;
    // the other grid type's sizes are unused
    if (three ? key === 'height' || key === 'width' : key === 'layers') continue;
    body.append(el('tr', null, el('th', { scope: 'row', title: key, text: label }),
      el('td', { text: fmtConfig(key, config[key]) })));
  }
  for (const [key, value] of Object.entries(config)) {
    if (seen.has(key)) continue;
    body.append(el('tr', null, el('th', { scope: 'row', text: key }), el('td', { text: fmtConfig(key, value) })));
  }
  table.append(body);
}

function fmtConfig(key, v) {
  if (v === null || v === undefined) return '–';
  if (key === 'threads' && v === 0) return '0 (all cores)';
  if (key === 'checkpointEvery' && v === 0) return '0 (at the end)';
  if (key === 'gridType') return v === '3d' ? '3d (28×28 sheets, k×k windows)' : v === '2d' ? '2d (columns of H cells)' : String(v);
  if (key === 'layers') return `${v} (sheets of 28×28)`;
  if (typeof v === 'number' && !Number.isInteger(v)) return String(Number(v.toPrecision(8)));
  return String(v);
}

// ---------------------------------------------------------------- the WebSocket

const socket = { ws: null, backoff: 1000, timer: null, closedForGood: false };

function setConn(kind, text) {
  $('conn-dot').className = `dot ${kind}`;
  $('conn-text').textContent = text;
}

function ensureSocket() {
  if (socket.closedForGood) return;
  if (socket.ws && (socket.ws.readyState === WebSocket.OPEN || socket.ws.readyState === WebSocket.CONNECTING)) return;
  clearTimeout(socket.timer);
  connect();
}

function connect() {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws/runs/${encodeURIComponent(runId)}`;
  let ws;
  try {
    ws = new WebSocket(url);
  } catch (e) {
    scheduleReconnect();
    return;
  }
  ws.binaryType = 'arraybuffer';
  socket.ws = ws;
  setConn('connecting', 'connecting…');
  ws.addEventListener('open', () => {
    socket.backoff = 1000;
    setConn('live', ACTIVE.has(state.run.status) ? 'live' : 'connected');
  });
  ws.addEventListener('message', e => {
    if (typeof e.data === 'string') onText(e.data);
    else {
      try {
        onFrame(decodeFrame(e.data));
      } catch (err) {
        console.warn('bad heatmap frame', err);
      }
    }
  });
  ws.addEventListener('close', e => {
    if (socket.ws !== ws) return;
    socket.ws = null;
    if (e.code >= 4000 && e.code < 5000) {
      // the server could not read the run (4404: deleted): reconnecting would not help
      socket.closedForGood = e.code === 4404;
      setConn('offline', e.code === 4404 ? 'run gone' : 'offline');
      if (e.reason) notice(e.reason);
      if (!socket.closedForGood) scheduleReconnect();
      return;
    }
    if (ACTIVE.has(state.run.status)) scheduleReconnect();
    else setConn('offline', 'not live (run finished)');
  });
}

function scheduleReconnect() {
  clearTimeout(socket.timer);
  const wait = socket.backoff;
  socket.backoff = Math.min(30000, socket.backoff * 2);
  setConn('connecting', `reconnecting in ${Math.round(wait / 1000)} s…`);
  socket.timer = setTimeout(async () => {
    // the run may have ended while we were away: refresh it first
    try {
      applySummary(await getJson(`/api/runs/${encodeURIComponent(runId)}`));
    } catch (e) {
      if (e.status === 404) {
        socket.closedForGood = true;
        setConn('offline', 'run gone');
        notice('This run no longer exists.');
        return;
      }
    }
    connect();
  }, wait);
}

function onText(text) {
  let msg;
  try {
    msg = JSON.parse(text);
  } catch (e) {
    return;
  }
  switch (msg.type) {
    case 'state':
      applySummary(msg.run);
      if (Array.isArray(msg.epochs)) {
        state.metrics = [];
        msg.epochs.forEach(upsertMetrics);
        renderMetrics();
      }
      if (msg.run && msg.run.started) setMaxEpoch(msg.run.epoch || 0);
      break;
    case 'status': {
      const { type, ...summary } = msg;
      applySummary(summary);
      updateEpochLabel();
      break;
    }
    case 'progress':
      onProgress(msg);
      break;
    case 'epoch': {
      const { type, ...m } = msg;
      upsertMetrics(m);
      state.run.epoch = Math.max(state.run.epoch || 0, m.epoch);
      renderMetrics();
      updateProgress();
      updateDownloads();
      break;
    }
    case 'error':
      notice(msg.message || 'the server could not read this run');
      break;
    default:
      break;
  }
}

// ---------------------------------------------------------------- start

applySummary(state.run);
renderMetrics();
batchChart.render();
updateEpochLabel();
getJson(`/api/runs/${encodeURIComponent(runId)}/metrics`).then(m => {
  if (m && Array.isArray(m.epochs)) {
    m.epochs.forEach(upsertMetrics);
    renderMetrics();
  }
}).catch(() => {});
// the newest heatmap of a finished run (the WebSocket sends it too; the cache makes the second one free). While a
// run is active only the WebSocket brings them: a run that has just started may not have its epoch-0 maps yet.
if (!ACTIVE.has(state.run.status) && (state.run.started || (state.run.epoch || 0) > 0)) {
  const newest = state.run.epoch || 0;
  frames.get(newest).then(f => { setMaxEpoch(f.epoch); if (hm.shown == null || f.epoch >= hm.shown) onFrame(f); })
    .catch(() => {});
}
connect();
