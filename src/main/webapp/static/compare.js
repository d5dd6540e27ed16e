// Several runs side by side: a summary table, the curves overlaid (one colour per run), heatmaps at a common
// epoch and the configurations. Each run has its own WebSocket: its state, then its events and heatmap frames
// keep the page live. start() wires the page; importing this module does nothing.
import {
  classNamesOf, el, fmtNum, fmtPct, fmtTime, getJson, notice, pageData, perFrame, statusBadge, statusSets,
  upsertEpoch,
} from './common.js';
import { LineChart, PALETTE, bindChartControls } from './charts.js';
import { renderConfigDiff } from './config-table.js';
import { CompareMaps } from './compare-maps.js';
import { FrameCache } from './frame-cache.js';
import { LiveSocket, runSocketUrl } from './live-socket.js';
import { bestEpochOf, bestTitle, hasValidation } from './best-epoch.js';

const $ = id => document.getElementById(id);
const nameOf = r => r.summary.name || r.id;
/** '2d' or '3d' from the run's configuration; null while unknown (then its frames decide). */
const gridTypeOf = r => (r.summary.config ? r.summary.config.gridType || '2d' : null);

/** The summary table: one row per run, built once and updated in place (a click never meets a replaced row). */
class CompareTable {
  constructor(runs) {
    this.runs = runs;
    // run id -> {status, epoch, best, bestEpoch, lastAcc, lastLoss, grid, backend, started, name}
    this.cells = new Map();
    const body = $('compare-runs-body');
    body.textContent = '';
    for (const r of runs) {
      const c = {
        name: el('a', { href: `/runs/${encodeURIComponent(r.id)}` }),
        status: el('td'),
        epoch: el('td', { class: 'num epoch' }),
        best: el('td', { class: 'num' }),
        bestEpoch: el('td', { class: 'num best-epoch' }),
        lastAcc: el('td', { class: 'num' }),
        lastLoss: el('td', { class: 'num' }),
        grid: el('td', { class: 'mono' }),
        backend: el('td'),
        started: el('td', { class: 'num' }),
      };
      this.cells.set(r.id, c);
      body.append(el('tr', { dataset: { id: r.id } },
        el('td', null, el('span', { class: 'swatch-inline', style: { background: r.color } }), c.name),
        c.status, c.epoch, c.best, c.bestEpoch, c.lastAcc, c.lastLoss, c.grid, c.backend, c.started));
    }
    if (runs.length === 0) {
      body.append(el('tr', null, el('td', { colspan: 10, class: 'muted',
        text: 'No runs named: open this page from the runs table with two or more runs selected.' })));
    }
    $('compare-note').textContent = `${runs.length} run${runs.length === 1 ? '' : 's'}`;
  }

  render() {
    const set = (node, text) => { if (node.textContent !== text) node.textContent = text; };
    for (const r of this.runs) {
      const c = this.cells.get(r.id);
      const s = r.summary;
      const last = r.metrics[r.metrics.length - 1];
      set(c.name, nameOf(r));
      if (c.status.dataset.status !== String(s.status)) {
        c.status.dataset.status = String(s.status);
        c.status.replaceChildren(statusBadge(s.status));
      }
      set(c.epoch, `${s.epoch ?? 0} / ${s.epochs ?? '?'}`);
      set(c.best, s.bestTestAccuracy == null ? '–' : fmtPct(s.bestTestAccuracy));
      const best = bestEpochOf(s, r.metrics);
      set(c.bestEpoch, best == null ? '–' : String(best));
      const title = bestTitle(s, r.metrics);
      if (c.best.title !== title) {
        c.best.title = title;
        c.bestEpoch.title = title;
      }
      set(c.lastAcc, last ? fmtPct(last.testAccuracy) : '–');
      set(c.lastLoss, last ? fmtNum(last.testLoss) : '–');
      set(c.grid, s.grid || '–');
      set(c.backend, s.backend || '–');
      c.backend.title = s.device || '';
      set(c.started, fmtTime(s.started));
    }
  }
}

/**
 * The loss and accuracy charts: per run a test curve (solid), a train curve (dashed) and, for a run with a
 * validation set, a validation curve (dotted) in its colour.
 */
class CompareCharts {
  constructor(runs) {
    this.runs = runs;
    this.loss = new LineChart($('loss-chart'), { xTitle: 'epoch', yTitle: 'cross-entropy', series: [] });
    this.accuracy = new LineChart($('accuracy-chart'), { xTitle: 'epoch', yTitle: 'accuracy', percent: true,
      series: [] });
  }

  bind() {
    bindChartControls(this.loss, this.accuracy);
  }

  series(key, percent) {
    const out = [];
    this.runs.forEach((r, i) => {
      const pts = k => r.metrics.map(m => ({
        x: m.epoch, y: Number.isFinite(m[k]) ? (percent ? m[k] * 100 : m[k]) : null,
      }));
      out.push({ label: nameOf(r), color: r.color, group: i, points: pts(`test${key}`) });
      out.push({ label: `${nameOf(r)} (train)`, color: r.color, group: i, dash: [5, 4], legend: false,
        points: pts(`train${key}`) });
      if (hasValidation(r.summary, r.metrics)) {
        out.push({ label: `${nameOf(r)} (validation)`, color: r.color, group: i, dash: [1.5, 3],
          points: pts(`validation${key}`) });
      }
    });
    return out;
  }

  render() {
    const validation = this.runs.some(r => hasValidation(r.summary, r.metrics));
    $('curves-note').textContent = `solid: test · dashed: train${validation ? ' · dotted: validation' : ''}`
      + ' · click a name to hide a run';
    for (const [chart, key, pct] of [[this.loss, 'Loss', false], [this.accuracy, 'Accuracy', true]]) {
      // a run hidden with a click on its name stays hidden
      const off = new Set(chart.series.filter(s => s.hidden).map(s => s.group));
      chart.setSeries(this.series(key, pct).map(s => ({ ...s, hidden: off.has(s.group) })));
      chart.render();
    }
  }
}

export function start() {
  const data = pageData();
  const { active } = statusSets(data);
  const fields = Array.isArray(data.fields) ? data.fields : [];
  const ids = (Array.isArray(data.ids) && data.ids.length ? data.ids
    : (new URLSearchParams(location.search).get('ids') || '').split(',')).map(s => String(s).trim()).filter(Boolean);
  const given = new Map((Array.isArray(data.runs) ? data.runs : []).filter(r => r && r.id).map(r => [r.id, r]));
  const runs = ids.map((id, i) => ({
    id, color: PALETTE[i % PALETTE.length], summary: given.get(id) || { id }, metrics: [], frames: new FrameCache(id),
    newestMaps: -1, conn: null, socket: null,
  }));
  const table = new CompareTable(runs);
  const charts = new CompareCharts(runs);
  const renderTable = perFrame(() => table.render());
  const renderCharts = perFrame(() => charts.render());
  const maps = new CompareMaps(runs, classNamesOf(data), { nameOf, gridTypeOf });
  const renderDiff = () => renderConfigDiff($('config-diff'), fields,
    runs.map(r => ({ name: nameOf(r), color: r.color, config: r.summary.config })), $('only-diff').checked);

  /** While a run trains: whether every such run's socket is live, else what the first other one says. */
  const showConn = () => {
    const box = $('refresh-state');
    box.textContent = '';
    const training = runs.filter(r => active.has(r.summary.status));
    if (training.length === 0) return;
    const waiting = training.find(r => !r.conn || r.conn.kind !== 'live');
    const conn = !waiting ? { kind: 'live', text: 'live' }
      : waiting.conn || { kind: 'connecting', text: 'connecting…' };
    box.append(el('span', { class: `dot ${conn.kind}` }), ` ${waiting && runs.length > 1 ? `${nameOf(waiting)}: ` : ''}`
      + conn.text);
  };

  const setSummary = (r, summary) => {
    r.summary = { ...summary, config: summary.config || r.summary.config };
    maps.rename(r);
    maps.updateColours();
    renderTable();
    showConn();
    if (active.has(r.summary.status)) r.socket.ensure();
    r.socket.announce();
  };

  const receive = (r, msg) => {
    const { type, ...body } = msg;
    if (type === 'state') {
      r.metrics = [];
      (Array.isArray(msg.epochs) ? msg.epochs : []).forEach(m => upsertEpoch(r.metrics, m));
      setSummary(r, msg.run || {});
      renderCharts();
      renderDiff();
    } else if (type === 'status' || type === 'summary') {
      if (Number.isFinite(body.epoch) && body.epoch < (r.summary.epoch || 0)) {
        // back to a checkpoint: what came after it is gone
        r.metrics = r.metrics.filter(m => m.epoch <= body.epoch);
        maps.rewind(r, body.epoch);
        renderCharts();
      }
      setSummary(r, body);
    } else if (type === 'epoch') {
      upsertEpoch(r.metrics, body);
      r.summary = { ...r.summary, epoch: Math.max(r.summary.epoch || 0, body.epoch) };
      renderTable();
      renderCharts();
    } else if (type === 'error') {
      notice(`run ${r.id}: ${msg.message || 'the server could not read it'}`);
    }
  };

  for (const r of runs) {
    r.socket = new LiveSocket(runSocketUrl(r.id), {
      isActive: () => active.has(r.summary.status),
      onMessage: msg => receive(r, msg),
      onFrame: frame => maps.onFrame(r, frame),
      onStatus: (kind, text) => {
        r.conn = { kind, text };
        showConn();
      },
      onNotice: text => notice(`run ${r.id}: ${text}`),
      refresh: async () => setSummary(r, await getJson(`/api/runs/${encodeURIComponent(r.id)}`)),
    });
  }
  charts.bind();
  maps.bind();
  $('only-diff').addEventListener('change', renderDiff);
  table.render();
  renderDiff();
  runs.forEach(r => r.socket.connect());
}
