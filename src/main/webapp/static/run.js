// One run: header and actions, progress, live charts, the per-class heatmaps, the probe panel, the configuration and
// the epochs table. Everything after the first drawing comes over the WebSocket /ws/runs/{id}: the state, then
// status and summary events (the header), progress and epoch events, and heatmap frames. start() wires the page;
// importing this module does nothing.
import { classNamesOf, getJson, notice, pageData, perFrame, statusSets } from './common.js';
import { LiveSocket, runSocketUrl } from './live-socket.js';
import { ProbePanel } from './probe-panel.js';
import { RunHeader, bindActions } from './run-header.js';
import { RunMaps } from './run-maps.js';
import { RunMetrics } from './run-metrics.js';

export function start() {
  const data = pageData();
  const runId = String(data.id || (data.run && data.run.id) || location.pathname.split('/').filter(Boolean).pop());
  const statuses = statusSets(data);
  const header = new RunHeader(runId, statuses, Array.isArray(data.fields) ? data.fields : []);
  const metrics = new RunMetrics(statuses.active);
  const maps = new RunMaps(runId, classNamesOf(data), statuses.active);
  const probe = new ProbePanel(document.getElementById('probe-panel'), runId, classNamesOf(data), statuses.active);
  let run = data.run && typeof data.run === 'object' ? data.run : { id: runId };
  let progress = null;
  const isActive = () => statuses.active.has(run.status);

  const showProgress = () => header.showProgress(run, progress, metrics.secondsPerEpoch(progress));
  // what the stream changes is drawn once per screen refresh, however fast the events come
  const renderMetrics = perFrame(() => {
    metrics.render();
    showProgress();
    header.showDownloads(run);
  });
  const renderProgress = perFrame(() => {
    metrics.renderBatch();
    showProgress();
  });
  const socket = new LiveSocket(runSocketUrl(runId), {
    isActive,
    onMessage: msg => receive(msg),
    onFrame: frame => maps.onFrame(frame),
    onStatus: (kind, text) => {
      document.getElementById('conn-dot').className = `dot ${kind}`;
      document.getElementById('conn-text').textContent = text;
    },
    onNotice: text => notice(text),
    refresh: async () => applySummary(await getJson(`/api/runs/${encodeURIComponent(runId)}`)),
  });

  /** A new summary replaces the one shown (the configuration stays when it does not come along). */
  function applySummary(summary) {
    if (!summary || typeof summary !== 'object') return;
    const before = run.status;
    run = { ...summary, config: summary.config || run.config };
    if (before && before !== run.status && !isActive()) progress = null;
    header.show(run);
    metrics.setRun(run);
    maps.setRun(run);
    probe.setRun(run);
    showProgress();
    if (isActive()) socket.ensure();
    socket.announce();
  }

  function receive(msg) {
    const { type, ...body } = msg;
    switch (type) {
      case 'state':
        applySummary(msg.run);
        if (Array.isArray(msg.epochs)) {
          metrics.reset(msg.epochs);
          metrics.render();
        }
        if (msg.run && msg.run.started) maps.setMaxEpoch(msg.run.epoch || 0);
        break;
      case 'status':
      case 'summary':
        if (Number.isFinite(body.epoch) && body.epoch < (run.epoch || 0)) {
          // back to a checkpoint: what came after it is gone
          metrics.rewind(body.epoch);
          metrics.render();
          maps.rewind(body.epoch);
        }
        applySummary(body);
        break;
      case 'progress':
        progress = body;
        metrics.onProgress(body);
        renderProgress();
        break;
      case 'epoch':
        metrics.upsert(body);
        run = { ...run, epoch: Math.max(run.epoch || 0, body.epoch) };
        renderMetrics();
        break;
      case 'error':
        notice(msg.message || 'the server could not read this run');
        break;
      default:
        break;
    }
  }

  metrics.bind();
  maps.bind();
  probe.bind();
  bindActions(runId, {
    onSummary: summary => applySummary(summary),
    onDeleted: () => socket.close(),
    nameOf: () => run.name || runId,
  });
  applySummary(run);
  metrics.render();
  metrics.renderBatch();
  getJson(`/api/runs/${encodeURIComponent(runId)}/metrics`).then(m => {
    if (m && Array.isArray(m.epochs)) {
      m.epochs.forEach(e => metrics.upsert(e));
      metrics.render();
    }
  }).catch(() => {});
  // the newest heatmap of a run that is not training (the WebSocket sends it too). While a run is active only the
  // WebSocket brings them: a run that has just started may not have its epoch-0 maps yet.
  if (!isActive() && (run.started || (run.epoch || 0) > 0)) maps.showNewest(run.epoch || 0);
  socket.ensure();
}
