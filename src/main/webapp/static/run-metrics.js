// The run page's metrics: loss and accuracy per epoch, the running loss of the epoch in progress, the stats
// under the progress bars and the epochs table.
import { el, fmtDuration, fmtInt, fmtNum, fmtPct, upsertEpoch } from './common.js';
import { LineChart, bindChartControls } from './charts.js';

const $ = id => document.getElementById(id);

export class RunMetrics {
  /** active: the statuses of a run that trains or waits to. */
  constructor(active) {
    this.active = active;
    this.run = {};
    this.epochs = [];
    this.batchEpoch = null;
    this.batchPoints = [];
    this.progress = null;
    this.rows = new Map(); // epoch -> {m, tr}: the epochs table's rows
    this.lossChart = new LineChart($('loss-chart'), {
      xTitle: 'epoch', yTitle: 'cross-entropy', series: [
        { label: 'train', color: '#1f5fd1' },
        { label: 'test', color: '#e0662b' },
      ],
    });
    this.accuracyChart = new LineChart($('accuracy-chart'), {
      xTitle: 'epoch', yTitle: 'accuracy', percent: true, series: [
        { label: 'train', color: '#1f5fd1' },
        { label: 'test', color: '#e0662b' },
      ],
    });
    this.batchChart = new LineChart($('batch-loss-chart'), {
      xTitle: 'batch', yTitle: 'running loss', xMin: 0, series: [
        { label: 'train loss', color: '#2e9d5f' },
      ],
    });
  }

  bind() {
    bindChartControls(this.lossChart, this.accuracyChart);
  }

  /** The summary changed: the best accuracy and the note of the idle batch chart depend on it. */
  setRun(run) {
    this.run = run;
    this.showStats();
    this.updateBatchEmpty();
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
    const pts = key => ms.map(m => ({ x: m.epoch, y: Number.isFinite(m[key]) ? m[key] : null }));
    const pct = key => ms.map(m => ({ x: m.epoch, y: Number.isFinite(m[key]) ? m[key] * 100 : null }));
    this.lossChart.setPoints(0, pts('trainLoss'));
    this.lossChart.setPoints(1, pts('testLoss'));
    this.accuracyChart.setPoints(0, pct('trainAccuracy'));
    this.accuracyChart.setPoints(1, pct('testAccuracy'));
    this.lossChart.render();
    this.accuracyChart.render();
    this.showStats();

    this.renderTable();
    this.updateBatchEmpty();
    const total = ms.reduce((s, m) => s + (Number.isFinite(m.seconds) ? m.seconds : 0), 0);
    $('epochs-note').textContent = ms.length ? `${ms.length} epochs · ${fmtDuration(total)} training` : '';
  }

  /** The epochs table, newest first: rows are added, replaced and removed as the epochs change, not rebuilt. */
  renderTable() {
    const body = $('metrics-body');
    const ms = this.epochs;
    if (ms.length === 0) {
      this.rows.clear();
      body.replaceChildren(el('tr', null, el('td', { colspan: 8, class: 'muted', text: 'No finished epoch yet.' })));
      return;
    }
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
      if (!row || row.m !== m) {
        const tr = epochRow(m);
        if (row) row.tr.replaceWith(tr);
        row = { m, tr };
        this.rows.set(m.epoch, row);
      }
      const expected = previous ? previous.nextElementSibling : body.firstElementChild;
      if (expected !== row.tr) body.insertBefore(row.tr, expected);
      previous = row.tr;
    }
  }

  showStats() {
    const ms = this.epochs;
    const last = ms[ms.length - 1];
    const best = ms.reduce((b, m) => (Number.isFinite(m.testAccuracy) && (b == null || m.testAccuracy > b)
      ? m.testAccuracy : b), this.run.bestTestAccuracy ?? null);
    $('stat-best').textContent = best == null ? '–' : fmtPct(best);
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

function epochRow(m) {
  return el('tr', { dataset: { epoch: m.epoch } },
    el('td', { class: 'num', text: m.epoch }),
    el('td', { class: 'num', text: fmtNum(m.trainLoss) }),
    el('td', { class: 'num', text: fmtPct(m.trainAccuracy) }),
    el('td', { class: 'num', text: fmtNum(m.testLoss) }),
    el('td', { class: 'num', text: fmtPct(m.testAccuracy) }),
    el('td', { class: 'num', text: fmtNum(m.learningRate, 3) }),
    el('td', { class: 'num', text: Number.isFinite(m.seconds) ? m.seconds.toFixed(2) : '–' }),
    el('td', { class: 'num', text: fmtInt(m.samplesPerSecond) }));
}
