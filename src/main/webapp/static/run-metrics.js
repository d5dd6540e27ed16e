// The run page's metrics: loss and accuracy per epoch (train, validation where the run holds a validation set out,
// test; the best epoch marked), the running loss of the epoch in progress, the stats under the progress bars and
// the epochs table.
import { el, fmtDuration, fmtInt, fmtNum, fmtPct, upsertEpoch } from './common.js';
import { LineChart, bindChartControls } from './charts.js';
import { bestEpochOf, bestText, hasValidation, selectionWords } from './best-epoch.js';

const $ = id => document.getElementById(id);
const BEST_COLOUR = '#177245';

/** The curves of the loss and accuracy charts: key suffix, label, colour, dash; validation only with its set. */
const CURVES = [
  { prefix: 'train', label: 'train', color: '#1f5fd1' },
  { prefix: 'validation', label: 'validation', color: '#2e9d5f', dash: [2, 3], validation: true },
  { prefix: 'test', label: 'test', color: '#e0662b' },
];

const num = x => fmtNum(x);
const seconds = x => (Number.isFinite(x) ? x.toFixed(2) : '–');

/** The epochs table's columns (the validation ones only for a run with a validation set). */
const COLUMNS = [
  { key: 'epoch', label: 'Epoch' },
  { key: 'trainLoss', label: 'Train loss', format: num },
  { key: 'trainAccuracy', label: 'Train acc.', format: fmtPct },
  { key: 'validationLoss', label: 'Val. loss', format: num, validation: true },
  { key: 'validationAccuracy', label: 'Val. acc.', format: fmtPct, validation: true },
  { key: 'testLoss', label: 'Test loss', format: num },
  { key: 'testAccuracy', label: 'Test acc.', format: fmtPct },
  { key: 'learningRate', label: 'LR', format: x => fmtNum(x, 3) },
  { key: 'seconds', label: 'Seconds', format: seconds },
  { key: 'samplesPerSecond', label: 'Samples/s', format: fmtInt },
];

export class RunMetrics {
  /** active: the statuses of a run that trains or waits to. */
  constructor(active) {
    this.active = active;
    this.run = {};
    this.epochs = [];
    this.batchEpoch = null;
    this.batchPoints = [];
    this.progress = null;
    this.rows = new Map(); // epoch -> {m, best, tr}: the epochs table's rows
    // what the table's columns and the charts' series were drawn for: {validation, best}
    this.drawn = {};
    this.lossChart = new LineChart($('loss-chart'), { xTitle: 'epoch', yTitle: 'cross-entropy', series: [] });
    this.accuracyChart = new LineChart($('accuracy-chart'), { xTitle: 'epoch', yTitle: 'accuracy', percent: true,
      series: [] });
    this.batchChart = new LineChart($('batch-loss-chart'), {
      xTitle: 'batch', yTitle: 'running loss', xMin: 0, series: [
        { label: 'train loss', color: '#2e9d5f' },
      ],
    });
  }

  bind() {
    bindChartControls(this.lossChart, this.accuracyChart);
  }

  /**
   * The summary changed: the best epoch (marked in the charts and the table), whether there is a validation set,
   * the stats and the note of the idle batch chart depend on it.
   */
  setRun(run) {
    this.run = run;
    const d = this.drawn;
    if (d.best !== this.bestEpoch() || d.validation !== hasValidation(run, this.epochs)) {
      this.render();
      return;
    }
    this.showStats();
    this.updateBatchEmpty();
  }

  bestEpoch() {
    return bestEpochOf(this.run, this.epochs);
  }

  /** Adds or replaces one epoch's metrics (kept in epoch order). */
  upsert(m) {
    upsertEpoch(this.epochs, m);
  }

  /** The run went back to a checkpoint: the epochs after it are forgotten. */
  rewind(epoch) {
    this.epochs = this.epochs.filter(m => m.epoch <= epoch);
  }

  /** Replaces every epoch (the WebSocket's state). */
  reset(epochs) {
    this.epochs = [];
    epochs.forEach(m => this.upsert(m));
  }

  /** Mean seconds of the last five epochs, else the epoch in progress's elapsed + ETA; null when unknown. */
  secondsPerEpoch(progress) {
    const recent = this.epochs.slice(-5).map(m => m.seconds).filter(s => Number.isFinite(s) && s > 0);
    if (recent.length) return recent.reduce((a, b) => a + b, 0) / recent.length;
    const p = progress;
    return p && Number.isFinite(p.elapsed) && Number.isFinite(p.eta) ? p.elapsed + p.eta : null;
  }

  render() {
    const ms = this.epochs;
    const validation = hasValidation(this.run, ms);
    const best = this.bestEpoch();
    this.drawn = { validation, best };
    const markers = best == null ? [] : [{ x: best, label: 'best', color: BEST_COLOUR }];
    for (const [chart, key, scale] of [[this.lossChart, 'Loss', 1], [this.accuracyChart, 'Accuracy', 100]]) {
      chart.setSeries(CURVES.filter(c => validation || !c.validation).map(c => ({
        label: c.label, color: c.color, dash: c.dash,
        points: ms.map(m => ({ x: m.epoch, y: Number.isFinite(m[c.prefix + key]) ? m[c.prefix + key] * scale : null })),
      })));
      chart.setMarkers(markers);
      chart.render();
    }
    this.showStats();

    this.renderTable(validation, best);
    this.updateBatchEmpty();
    const total = ms.reduce((s, m) => s + (Number.isFinite(m.seconds) ? m.seconds : 0), 0);
    $('epochs-note').textContent = ms.length ? `${ms.length} epochs · ${fmtDuration(total)} training` : '';
  }

  /**
   * The epochs table, newest first, with validation columns when the run has a validation set and the best epoch's
   * row marked: rows are added, replaced and removed as the epochs change, not rebuilt.
   */
  renderTable(validation, best) {
    const body = $('metrics-body');
    const ms = this.epochs;
    const columns = COLUMNS.filter(c => validation || !c.validation);
    const table = $('metrics-table');
    if (table.dataset.validation !== String(validation)) {
      table.dataset.validation = String(validation);
      table.tHead.replaceChildren(el('tr', null, columns.map(c => el('th', { class: 'num', text: c.label }))));
      this.rows.clear();
      body.replaceChildren();
    }
    if (ms.length === 0) {
      this.rows.clear();
      body.replaceChildren(el('tr', null, el('td', { colspan: columns.length, class: 'muted',
        text: 'No finished epoch yet.' })));
      return;
    }
    const why = selectionWords(this.run.selectedBy);
    const known = new Set(ms.map(m => m.epoch));
    for (const node of [...body.children]) {
      const epoch = Number(node.dataset.epoch);
      if (!node.dataset.epoch || !known.has(epoch)) {
        node.remove();
        this.rows.delete(epoch);
      }
    }
    let previous = null;
    for (let i = ms.length - 1; i >= 0; i--) {
      const m = ms[i];
      let row = this.rows.get(m.epoch);
      const isBest = m.epoch === best;
      if (!row || row.m !== m || row.best !== isBest) {
        const tr = epochRow(m, columns, isBest, why);
        if (row) row.tr.replaceWith(tr);
        row = { m, best: isBest, tr };
        this.rows.set(m.epoch, row);
      }
      const expected = previous ? previous.nextElementSibling : body.firstElementChild;
      if (expected !== row.tr) body.insertBefore(row.tr, expected);
      previous = row.tr;
    }
  }

  /** The stats: the best epoch's test accuracy (with the epoch and what chose it), the last epoch's. */
  showStats() {
    const ms = this.epochs;
    const last = ms[ms.length - 1];
    const best = this.bestEpoch();
    const acc = this.run.bestTestAccuracy;
    const why = selectionWords(this.run.selectedBy);
    $('stat-best').textContent = best == null || !Number.isFinite(acc) ? '–' : fmtPct(acc);
    $('stat-best-key').textContent = best == null ? 'best epoch' : `best epoch ${best} · test acc.`;
    $('stat-best-item').title = best == null ? '' : `${bestText(this.run, ms)}: ${why}`;
    $('best-note').textContent = best == null || !why ? '' : `${why[0].toUpperCase()}${why.slice(1)}.`;
    $('best-note').dataset.selectedBy = this.run.selectedBy || '';
    $('stat-test').textContent = last ? fmtPct(last.testAccuracy) : '–';
    $('stat-loss').textContent = last ? fmtNum(last.testLoss) : '–';
    $('stat-speed').textContent = last ? fmtInt(last.samplesPerSecond) : '–';
  }

  updateBatchEmpty() {
    if (this.batchPoints.length) return;
    const last = this.epochs[this.epochs.length - 1];
    $('batch-empty').textContent = this.active.has(this.run.status) ? 'Waiting for the first batches…'
      : `Not training now: this chart follows the epoch in progress.${last && Number.isFinite(last.trainLoss)
        ? ` Epoch ${last.epoch} ended at a mean training loss of ${fmtNum(last.trainLoss)}.` : ''}`;
  }

  /** A progress event: the running loss of the epoch in progress (drawn by renderBatch). */
  onProgress(p) {
    if (p.epoch !== this.batchEpoch) {
      this.batchEpoch = p.epoch;
      this.batchPoints = [];
    }
    const pts = this.batchPoints;
    const last = pts[pts.length - 1];
    if (last && p.batch <= last.x) pts.splice(pts.findIndex(q => q.x >= p.batch));
    if (Number.isFinite(p.loss)) pts.push({ x: p.batch, y: p.loss });
    this.progress = p;
  }

  /** The running loss chart of the epoch in progress and its note. */
  renderBatch() {
    const p = this.progress;
    const chart = this.batchChart;
    if (!p) {
      chart.render(); // empty: its note says why
      return;
    }
    chart.setPoints(0, this.batchPoints.slice());
    if (chart.chart) chart.chart.options.scales.x.max = p.batches || undefined;
    chart.render();
    $('batch-chart-note').textContent = `epoch ${p.epoch}, running mean`
      + (Number.isFinite(p.accuracy) ? ` · acc. ${fmtPct(p.accuracy, 1)}` : '');
  }
}

/** One epoch's row; the best epoch's has class "best", a badge and a title that says what chose it. */
function epochRow(m, columns, best, why) {
  return el('tr', { dataset: { epoch: m.epoch }, class: best ? 'best' : null, title: best && why ? why : null },
    columns.map(c => (c.format ? el('td', { class: 'num', text: c.format(m[c.key]) })
      : el('td', { class: 'num' }, best ? el('span', { class: 'badge badge-best', text: 'best' }) : null,
        String(m.epoch)))));
}
