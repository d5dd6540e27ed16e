// Several runs side by side: curves overlaid (one colour per run), heatmaps at a common epoch, configurations.
import {
  ACTIVE, classNamesOf, el, fmtNum, fmtPct, fmtTime, getJson, notice, pageData, statusBadge,
} from './common.js';
import { LineChart, PALETTE, bindChartControls } from './charts.js';
import { FrameCache, HeatmapSet, createLegend, isSheetFrame } from './heatmap.js';

const data = pageData();
const classNames = classNamesOf(data);
const ids = (Array.isArray(data.ids) && data.ids.length ? data.ids
  : (new URLSearchParams(location.search).get('ids') || '').split(',')).map(s => String(s).trim()).filter(Boolean);
const given = new Map((Array.isArray(data.runs) ? data.runs : []).filter(r => r && r.id).map(r => [r.id, r]));
const runs = ids.map((id, i) => ({
  id, color: PALETTE[i % PALETTE.length], summary: given.get(id) || { id }, metrics: [], frames: new FrameCache(id),
  set: null, legend: null,
}));
const $ = id => document.getElementById(id);
const nameOf = r => r.summary.name || r.id;
/** '2d' or '3d' from the run's configuration; null while unknown (then its frames decide). */
const gridTypeOf = r => (r.summary.config ? r.summary.config.gridType || '2d' : null);

// ---------------------------------------------------------------- summary table

function renderTable() {
  const body = $('compare-runs-body');
  body.textContent = '';
  for (const r of runs) {
    const s = r.summary;
    const last = r.metrics[r.metrics.length - 1];
    body.append(el('tr', { dataset: { id: r.id } },
      el('td', null, el('span', { class: 'swatch-inline', style: { background: r.color } }),
        el('a', { href: `/runs/${encodeURIComponent(r.id)}`, text: nameOf(r) })),
      el('td', null, statusBadge(s.status)),
      el('td', { class: 'num', text: `${s.epoch ?? 0} / ${s.epochs ?? '?'}` }),
      el('td', { class: 'num', text: s.bestTestAccuracy == null ? '–' : fmtPct(s.bestTestAccuracy) }),
      el('td', { class: 'num', text: last ? fmtPct(last.testAccuracy) : '–' }),
      el('td', { class: 'num', text: last ? fmtNum(last.testLoss) : '–' }),
      el('td', { class: 'mono', text: s.grid || '–' }),
      el('td', { title: s.device || '', text: s.backend || '–' }),
      el('td', { class: 'num', text: fmtTime(s.started) })));
  }
  if (runs.length === 0) body.append(el('tr', null, el('td', { colspan: 9, class: 'muted',
    text: 'No runs named: open this page from the runs table with two or more runs selected.' })));
  $('compare-note').textContent = `${runs.length} run${runs.length === 1 ? '' : 's'}`;
}

// ---------------------------------------------------------------- charts

function seriesFor(key, percent) {
  const out = [];
  runs.forEach((r, i) => {
    const pts = k => r.metrics.map(m => ({ x: m.epoch, y: Number.isFinite(m[k]) ? (percent ? m[k] * 100 : m[k]) : null }));
    out.push({ label: nameOf(r), color: r.color, group: i, points: pts(`test${key}`) });
    out.push({ label: `${nameOf(r)} (train)`, color: r.color, group: i, dash: [5, 4], legend: false,
      points: pts(`train${key}`) });
  });
  return out;
}

const lossChart = new LineChart($('loss-chart'), { xTitle: 'epoch', yTitle: 'cross-entropy', series: [] });
const accuracyChart = new LineChart($('accuracy-chart'), { xTitle: 'epoch', yTitle: 'accuracy', percent: true,
  series: [] });

function renderCharts() {
  const hidden = chart => new Set(chart.series.filter(s => s.hidden).map(s => s.group));
  for (const [chart, key, pct] of [[lossChart, 'Loss', false], [accuracyChart, 'Accuracy', true]]) {
    const off = hidden(chart);
    chart.setSeries(seriesFor(key, pct).map(s => ({ ...s, hidden: off.has(s.group) })));
    chart.render();
  }
}

bindChartControls(lossChart, accuracyChart);

// ---------------------------------------------------------------- heatmaps

const slider = $('epoch-slider');
const sharedLegend = createLegend('mean activation, all runs');
sharedLegend.element.hidden = true;
$('legend-slot').append(sharedLegend.element);
const layerSlider = $('layer-slider');
const hm = { common: -1, request: 0, playing: false, timer: null, layer: 0 };

function buildRows() {
  const box = $('compare-heatmaps');
  box.textContent = '';
  for (const r of runs) {
    const grid = el('div', { class: 'heatmap-row' });
    r.legend = createLegend('');
    r.swatch = el('span', { class: 'swatch' });
    r.swatch.style.background = r.color;
    r.label = el('a', { href: `/runs/${encodeURIComponent(r.id)}`, text: nameOf(r) });
    r.info = el('span', { class: 'muted small' });
    box.append(el('div', { class: 'compare-row', dataset: { run: r.id } },
      el('div', { class: 'who' }, el('span', null, r.swatch, r.label), r.info, r.legend.element),
      grid));
    r.set = new HeatmapSet(grid, classNames, { readout: $('readout') });
  }
}

/** The newest epoch every run has maps for (epoch 0 exists once a run started). */
function commonEpoch() {
  let common = Infinity;
  for (const r of runs) {
    const s = r.summary;
    const has = s.started || (s.epoch || 0) > 0 ? (s.epoch || 0) : -1;
    common = Math.min(common, has);
  }
  return runs.length && Number.isFinite(common) ? common : -1;
}

function updateSlider() {
  const common = commonEpoch();
  const atEnd = Number(slider.value) >= hm.common;
  if (common === hm.common) return false;
  hm.common = common;
  slider.disabled = common < 0;
  slider.max = String(Math.max(0, common));
  if (atEnd || Number(slider.value) > common) slider.value = String(Math.max(0, common));
  return true;
}

function scaleMode() {
  return document.querySelector('input[name="scale"]:checked')?.value || 'run';
}

async function showEpoch() {
  const request = ++hm.request;
  const epoch = Number(slider.value);
  $('epoch-label').textContent = hm.common < 0 ? 'no common epoch'
    : `epoch ${epoch}${epoch === 0 ? ' (init)' : ''} / ${hm.common}`;
  if (hm.common < 0) return;
  const results = await Promise.allSettled(runs.map(r => r.frames.get(epoch)));
  if (request !== hm.request) return;
  const frames = results.map(x => (x.status === 'fulfilled' ? x.value : null));
  const shared = scaleMode() === 'shared';
  const ok = frames.filter(Boolean);
  const scale = shared && ok.length
    ? { min: Math.min(...ok.map(f => f.min)), max: Math.max(...ok.map(f => f.max)) } : null;
  sharedLegend.element.hidden = !shared;
  if (scale) sharedLegend.set(scale.min, scale.max, 'one scale for every run and class');
  const sheetCounts = [];
  runs.forEach((r, i) => {
    const f = frames[i];
    r.legend.element.hidden = shared;
    if (!f) {
      r.info.textContent = `no maps for epoch ${epoch}`;
      return;
    }
    const sheets = isSheetFrame(f, gridTypeOf(r));
    // a 3D run with fewer layers than the slider reaches shows its last one
    const layer = sheets ? Math.min(hm.layer, f.layers - 1) : 0;
    if (sheets) sheetCounts.push(f.layers);
    r.set.draw(f, { ...(scale ? { scale } : {}), layer, sheets });
    r.legend.set(f.min, f.max, '');
    r.info.textContent = sheets ? `${f.rows}×${f.cols}×${f.layers} grid · layer ${layer + 1} of ${f.layers}`
      : `${f.gridRows}×${f.gridCols} grid${f.blockRows > 1 || f.blockCols > 1 ? ' (block means)' : ''}`;
  });
  updateLayerControl(sheetCounts);
}

/** The layer slider applies to the 3D runs: it reaches the deepest one's last layer. */
function updateLayerControl(sheetCounts) {
  const any = sheetCounts.length > 0;
  $('layer-control').hidden = !any;
  const twoD = runs.length - sheetCounts.length;
  $('axis-note').textContent = !any
    ? 'rows: cells of a layer · columns: grid layers, input on the left → output on the right'
    : twoD > 0
      ? '2D runs: rows are cells of a layer, columns grid layers (input on the left) · '
        + '3D runs: one 28×28 sheet of the chosen layer, laid out like the image'
      : 'each map: one 28×28 sheet of the chosen layer, laid out like the image';
  if (!any) return;
  const deepest = Math.max(...sheetCounts);
  layerSlider.max = String(deepest - 1);
  layerSlider.disabled = deepest <= 1;
  hm.layer = Math.min(hm.layer, deepest - 1);
  layerSlider.value = String(hm.layer);
  const same = sheetCounts.every(n => n === deepest);
  $('layer-label').textContent = same ? `layer ${hm.layer + 1} of ${deepest}` : `layer ${hm.layer + 1}`;
}

layerSlider.addEventListener('input', () => {
  hm.layer = Number(layerSlider.value) || 0;
  showEpoch();
});

slider.addEventListener('input', () => { stopPlay(); showEpoch(); });
document.querySelectorAll('input[name="scale"]').forEach(n => n.addEventListener('change', showEpoch));

function stopPlay() {
  hm.playing = false;
  clearTimeout(hm.timer);
  $('play').textContent = '▶';
}

$('play').addEventListener('click', () => {
  if (hm.playing) { stopPlay(); return; }
  if (hm.common < 1) return;
  hm.playing = true;
  $('play').textContent = '❚❚';
  if (Number(slider.value) >= hm.common) slider.value = '0';
  const delay = Math.max(150, Math.min(600, 6000 / (hm.common + 1)));
  const step = async () => {
    if (!hm.playing) return;
    await showEpoch();
    if (Number(slider.value) >= hm.common) { stopPlay(); return; }
    slider.value = String(Number(slider.value) + 1);
    hm.timer = setTimeout(step, delay);
  };
  step();
});

// ---------------------------------------------------------------- configurations

const FIELD_ORDER = ['gridType', 'height', 'width', 'layers', 'kernel', 'activation', 'gain', 'batch', 'lr', 'lrStep',
  'lrGamma', 'epochs', 'seed', 'dataset', 'samples', 'testSamples', 'backend', 'threads', 'checkpointEvery'];

/** A field the run's grid type does not use: a 3D grid's height and width, a 2D grid's layers. */
function unused(config, key) {
  const three = config.gridType === '3d';
  return three ? key === 'height' || key === 'width' : key === 'layers';
}

function renderDiff() {
  const table = $('config-diff');
  table.textContent = '';
  const only = $('only-diff').checked;
  const configs = runs.map(r => r.summary.config || {});
  const keys = [...FIELD_ORDER, ...new Set(configs.flatMap(c => Object.keys(c)).filter(k => !FIELD_ORDER.includes(k)))];
  const head = el('tr', null, el('th', { text: 'field' }), runs.map(r => el('th', null,
    el('span', { class: 'swatch-inline', style: { background: r.color } }), nameOf(r))));
  const body = el('tbody');
  for (const k of keys) {
    const values = configs.map(c => (c[k] === undefined || c[k] === null || unused(c, k) ? '–'
      : typeof c[k] === 'number' && !Number.isInteger(c[k]) ? String(Number(c[k].toPrecision(8))) : String(c[k])));
    if (values.every(v => v === '–')) continue;
    const differs = new Set(values).size > 1;
    if (only && !differs) continue;
    body.append(el('tr', null, el('th', { scope: 'row', text: k }),
      values.map(v => el('td', { class: differs ? 'differs' : '', text: v }))));
  }
  table.append(el('thead', null, head), body);
}
$('only-diff').addEventListener('change', renderDiff);

// ---------------------------------------------------------------- loading and refreshing

let refreshTimer = null;

async function refresh() {
  clearTimeout(refreshTimer);
  await Promise.all(runs.map(async r => {
    try {
      const [summary, metrics] = await Promise.all([
        getJson(`/api/runs/${encodeURIComponent(r.id)}`),
        getJson(`/api/runs/${encodeURIComponent(r.id)}/metrics`),
      ]);
      r.summary = summary || r.summary;
      r.metrics = (metrics && Array.isArray(metrics.epochs) ? metrics.epochs : []).slice()
        .sort((a, b) => a.epoch - b.epoch);
      r.label.textContent = nameOf(r);
    } catch (e) {
      r.error = e.message;
      notice(`run ${r.id}: ${e.message}`);
    }
  }));
  renderTable();
  renderCharts();
  renderDiff();
  if (updateSlider()) showEpoch();
  const active = runs.some(r => ACTIVE.has(r.summary.status));
  $('refresh-state').textContent = active ? 'refreshing every 5 s while a run trains' : '';
  if (active && !document.hidden) refreshTimer = setTimeout(refresh, 5000);
}

document.addEventListener('visibilitychange', () => { if (!document.hidden) refresh(); });

buildRows();
renderTable();
renderDiff();
if (updateSlider()) showEpoch();
refresh();
