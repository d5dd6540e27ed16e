// One sweep: header and actions, the points table, the chart of accuracy against a swept field, the parallel
// coordinates and the runs. The page data holds the sweep as the page was made; after that everything comes from
// GET /api/sweeps/{id}, asked every 1.5 s while the sweep has queued or running runs and the tab is seen, every
// 10 s otherwise (poller.js). start() wires the page; importing this module does nothing.
import { el, getJson, notice, pageData, perFrame, statusSets } from './common.js';
import { accuracyAxis, ParallelCoords } from './parallel-coords.js';
import { sweptAxis } from './sweep-axes.js';
import { accuracySeries, SweepChart } from './sweep-chart.js';
import { SweepHeader, bindActions } from './sweep-header.js';
import { countIn, pointKey, readSweep } from './sweep-points.js';
import { PointsTable, SweepRunsTable } from './sweep-table.js';
import { Poller } from './poller.js';

const $ = id => document.getElementById(id);

/** The axis of each swept field over the values of the points: Map field → axis (sweep-axes.js). */
export function sweptAxes(fields, points, descriptors) {
  const byName = new Map(descriptors.map(d => [d.name, d]));
  return new Map(fields.map(f => [f, sweptAxis(f, byName.get(f), points.map(p => (p.point || {})[f]))]));
}

/** The chart and the parallel coordinates, drawn again only when the points changed or a control did. */
class SweepViews {
  constructor(descriptors) {
    this.descriptors = descriptors;
    this.chart = new SweepChart($('sweep-chart'));
    this.parallel = new ParallelCoords($('parallel-canvas'));
    this.fieldChoice = $('chart-field');
    this.metricChoice = $('chart-metric');
    this.fields = [];
    this.points = [];
    this.key = null;
    for (const control of [this.fieldChoice, this.metricChoice]) control.addEventListener('change', () => this.draw());
  }

  show(fields, points) {
    const key = JSON.stringify([fields, points]);
    if (key === this.key) return;
    this.key = key;
    if (JSON.stringify(fields) !== JSON.stringify(this.fields)) {
      const chosen = this.fieldChoice.value;
      const labels = new Map(this.descriptors.map(d => [d.name, d.label]));
      this.fieldChoice.replaceChildren(...fields.map(f => el('option', { value: f, text: labels.get(f) || f })));
      if (fields.includes(chosen)) this.fieldChoice.value = chosen;
      this.fieldChoice.disabled = fields.length < 2;
    }
    this.fields = fields;
    this.points = points;
    this.draw();
  }

  draw() {
    const axes = sweptAxes(this.fields, this.points, this.descriptors);
    const field = this.fieldChoice.value || this.fields[0];
    const metric = this.metricChoice.value === 'final' ? 'final' : 'best';
    const label = metric === 'final' ? 'final test accuracy' : 'best test accuracy';
    if (axes.has(field)) this.chart.show(axes.get(field), accuracySeries(this.points, field, metric, axes), label);
    else this.chart.show({ kind: 'linear', min: 0, max: 1, ticks: [], label: '' }, [], label);
    const accuracy = accuracyAxis(this.points.map(p => p.bestTestMean));
    const all = [...axes.values(), accuracy];
    this.parallel.show(all, this.points.map(p => ({
      key: pointKey(p), values: [...this.fields.map(f => (p.point || {})[f]), p.bestTestMean],
    })));
  }
}

export function start() {
  const data = pageData();
  const sweepId = String(data.id || location.pathname.split('/').filter(Boolean).pop());
  const statuses = statusSets(data);
  const descriptors = Array.isArray(data.fields) ? data.fields : [];
  const maxCompare = Number.isFinite(data.maxCompare) ? data.maxCompare : 12;
  const header = new SweepHeader(sweepId, statuses);
  const points = new PointsTable(descriptors, maxCompare);
  const runs = new SweepRunsTable();
  const views = new SweepViews(descriptors);
  let sweep = null;

  const draw = perFrame(() => {
    header.show(sweep);
    points.show(sweep.fields, sweep.points);
    runs.show(sweep.runs);
    views.show(sweep.fields, sweep.points);
  });
  const pollState = text => {
    const box = $('poll-state');
    box.textContent = '';
    if (text) box.append(el('span', { class: 'dot offline' }), ` ${text}`);
  };
  const poller = new Poller(() => getJson(`/api/sweeps/${encodeURIComponent(sweepId)}`), {
    isActive: () => sweep !== null && countIn(sweep.counts, statuses.active) > 0,
    onAnswer: reply => {
      sweep = readSweep(reply);
      pollState('');
      draw();
    },
    onError: e => {
      if (e.status === 404) {
        notice(e.message);
        pollState('');
        $('points-body').replaceChildren(el('tr', { class: 'empty' },
          el('td', { colspan: 6, class: 'muted', text: `There is no sweep ${sweepId}.` })));
      } else {
        pollState(`cannot reach the server (${e.message})`);
      }
    },
    stopOn: e => e.status === 404,
  });
  bindActions(sweepId, summary => {
    if (summary) notice(`sweep ${summary.status || 'updated'}`, 'info');
    poller.poll();
  });
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) poller.poll();
  });
  if (data.sweep && typeof data.sweep === 'object') {
    sweep = readSweep(data.sweep);
    draw();
  }
  poller.poll();
}
