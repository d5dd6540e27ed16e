// The run page's header (name, status, grid, backend, device and the cluster node it trains on, times, its sweep),
// its actions and downloads, the failure box, the progress bars and the configuration table: everything drawn from
// the run's summary.
import { api, fmtDuration, fmtInt, fmtTime, fmtTimeAfter, notice, setBar, statusBadge } from './common.js';
import { renderConfigTable } from './config-table.js';
import { selectionWords } from './best-epoch.js';
import { trainedOnText } from './node-text.js';
import { pointText } from './sweep-points.js';

const $ = id => document.getElementById(id);

/** What the epoch bar says while no epoch is in progress. */
const IDLE_LABELS = {
  queued: 'Waiting for a free training slot',
  running: 'Starting…',
  completed: 'Training finished',
  failed: 'Training stopped with an error',
  cancelled: 'Cancelled',
  interrupted: 'Interrupted (the server stopped); resume continues from the last checkpoint',
};

export class RunHeader {
  /** statuses: the server's status sets; fields: the configuration's field descriptors. */
  constructor(runId, statuses, fields) {
    this.runId = runId;
    this.statuses = statuses;
    this.fields = fields;
    this.configKey = null;
  }

  /** Draws everything the summary says. */
  show(r) {
    const id = r.id || this.runId;
    document.title = `${r.name || id} · NeuralGrid`;
    $('run-name').textContent = r.name || id;
    $('run-id').textContent = id;
    const badge = Object.assign(statusBadge(r.status), { id: 'run-status' });
    if ($('run-status').className !== badge.className) $('run-status').replaceWith(badge);
    $('meta-grid').textContent = r.grid || '–';
    $('meta-backend').textContent = r.backend || (r.config && r.config.backend) || '–';
    $('meta-device').textContent = r.device || '–';
    this.showNode(r);
    $('meta-created').textContent = fmtTime(r.created);
    $('meta-created-item').hidden = Boolean(r.started);
    $('meta-started').textContent = fmtTime(r.started);
    $('meta-finished').textContent = fmtTimeAfter(r.finished, r.started);
    $('meta-finished').title = r.finished || '';
    this.showSweep(r);
    this.showSharing(r);
    $('cancel-run').hidden = !this.statuses.active.has(r.status);
    $('resume-run').hidden = !this.statuses.resumable.has(r.status);
    $('failure').hidden = !(r.status === 'failed' || (r.status === 'interrupted' && r.message));
    $('failure').querySelector('strong').textContent = r.status === 'failed' ? 'Run failed.' : 'Run interrupted.';
    $('failure-message').textContent = r.message || (r.status === 'failed' ? 'No message was recorded.' : '');
    this.showDownloads(r);
    const key = r.config ? JSON.stringify(r.config) : null;
    if (key && key !== this.configKey) {
      this.configKey = key;
      renderConfigTable($('config-table'), this.fields, r.config);
    }
  }

  /** The cluster node the run trains (or trained) on, when the summary names one: "trained on node HOST (id8)". */
  showNode(r) {
    const where = trainedOnText(r.node);
    $('meta-node-item').hidden = !where;
    $('meta-node').textContent = where;
    $('meta-node').title = where && r.node && typeof r.node.id === 'string' ? r.node.id : '';
  }

  /** A run of a sweep links to the sweep's page, with its point beside it. */
  showSweep(r) {
    const sweep = typeof r.sweep === 'string' && r.sweep ? r.sweep : null;
    $('meta-sweep-item').hidden = !sweep;
    if (!sweep) return;
    $('meta-sweep').href = `/sweeps/${encodeURIComponent(sweep)}`;
    $('meta-sweep').textContent = sweep;
    $('meta-point').textContent = r.point ? `(${pointText(r.point)})` : '';
  }

  /**
   * The runs training on the same device now (the run's details carry them; a status event does not, and a run that
   * stops training shares nothing).
   */
  showSharing(r) {
    const item = $('meta-sharing-item');
    if (r.status !== 'running') {
      item.hidden = true;
      return;
    }
    if (!Array.isArray(r.sharedWith)) return;
    item.hidden = r.sharedWith.length === 0;
    const list = $('meta-sharing');
    list.replaceChildren(...r.sharedWith.flatMap((other, i) => {
      const a = Object.assign(document.createElement('a'), { href: `/runs/${encodeURIComponent(other)}`,
        textContent: other, className: 'mono' });
      return i === 0 ? [a] : [', ', a];
    }));
    $('meta-sharing-count').textContent = r.sharedWith.length === 1 ? '1 other run' : `${r.sharedWith.length} other runs`;
  }

  /** The downloads: each weights file enabled exactly when the summary says it exists. */
  showDownloads(r) {
    const id = r.id || this.runId;
    const path = `/api/runs/${encodeURIComponent(id)}`;
    const weights = r.weights && typeof r.weights === 'object' ? r.weights : {};
    const best = Number.isInteger(r.bestEpoch) ? r.bestEpoch : null;
    const why = selectionWords(r.selectedBy);
    setDownload($('download-weights'), `${path}/weights?which=final`, weights.final === true, 'Weights (final)',
      `the weights ${r.status === 'completed' ? 'after the last epoch' : 'of the newest checkpoint'} (safetensors, F32)`,
      'no weights written yet');
    setDownload($('download-best'), `${path}/weights?which=best`, weights.best === true,
      best == null ? 'Weights (best)' : `Weights (best, epoch ${best})`,
      `the weights of the best epoch${best == null ? '' : `, ${best}`}${why ? `: ${why}` : ''} (safetensors, F32)`,
      'no best epoch written yet');
    $('download-metrics').href = `${path}/metrics?format=csv`;
    $('download-metrics').setAttribute('download', `neuralgrid-${id}-metrics.csv`);
    $('download-config').href = `${path}/config`;
    $('download-config').setAttribute('download', `neuralgrid-${id}-config.json`);
  }

  /**
   * The epoch and overall bars: from the latest progress event while the run is active, else from the summary.
   * perEpoch: seconds an epoch takes, for the overall ETA (null when unknown).
   */
  showProgress(r, p, perEpoch) {
    const epochs = r.epochs || (r.config && r.config.epochs) || 0;
    if (p && this.statuses.active.has(r.status)) {
      const f = p.batches > 0 ? p.batch / p.batches : 0;
      const total = p.epochs || epochs;
      setBar($('epoch-bar'), f);
      $('epoch-progress-label').textContent = `Epoch ${p.epoch} of ${total} · batch ${fmtInt(p.batch)} / `
        + `${fmtInt(p.batches)}`;
      $('epoch-eta').textContent = `${fmtDuration(p.elapsed)} elapsed · ETA ${fmtDuration(p.eta)}`;
      const overall = total > 0 ? (p.epoch - 1 + f) / total : 0;
      setBar($('run-bar'), overall);
      const remaining = perEpoch == null ? null : p.eta + Math.max(0, total - p.epoch) * perEpoch;
      $('run-progress-label').textContent = `Overall ${(overall * 100).toFixed(1)}% · epoch ${p.epoch} / ${total}`;
      $('run-eta').textContent = remaining == null ? '' : `ETA ${fmtDuration(remaining)}`;
    } else {
      const overall = typeof r.progress === 'number' ? r.progress : epochs ? (r.epoch || 0) / epochs : 0;
      setBar($('run-bar'), overall);
      $('run-progress-label').textContent = `Overall ${(overall * 100).toFixed(1)}% · epoch ${r.epoch ?? 0} / `
        + `${epochs || '?'}`;
      setBar($('epoch-bar'), r.status === 'completed' ? 1 : 0);
      $('epoch-progress-label').textContent = IDLE_LABELS[r.status] || 'Current epoch';
      const took = r.started && r.finished ? (new Date(r.finished) - new Date(r.started)) / 1000 : null;
      $('epoch-eta').textContent = took != null && Number.isFinite(took) ? `took ${fmtDuration(took)}` : '';
      $('run-eta').textContent = '';
    }
    for (const id of ['epoch-bar', 'run-bar']) $(id).className = `bar big bar-${r.status || 'none'}`;
  }
}

/** A download link: its address, label and title, disabled (no click, aria-disabled) while its file is missing. */
function setDownload(link, href, enabled, label, title, missing) {
  link.href = href;
  link.querySelector('.label').textContent = label;
  link.classList.toggle('disabled', !enabled);
  link.setAttribute('aria-disabled', String(!enabled));
  link.title = enabled ? title : missing;
}

/**
 * Binds cancel, resume, delete and the disabled weights links. onSummary(summary): what an action answered;
 * onDeleted(): before the page leaves; nameOf(): the run's name for the confirmation.
 */
export function bindActions(runId, { onSummary, onDeleted, nameOf }) {
  const path = `/api/runs/${encodeURIComponent(runId)}`;
  const post = async action => {
    try {
      onSummary(await api('POST', `${path}/${action}`));
    } catch (e) {
      notice(e.message);
    }
  };
  $('cancel-run').addEventListener('click', () => post('cancel'));
  $('resume-run').addEventListener('click', () => post('resume'));
  $('delete-run').addEventListener('click', async () => {
    if (!window.confirm(`Delete run "${nameOf()}" with its weights, metrics and heatmaps?`)) return;
    try {
      await api('DELETE', path);
      onDeleted();
      window.location.href = '/';
    } catch (e) {
      notice(e.message);
    }
  });
  for (const id of ['download-weights', 'download-best']) {
    $(id).addEventListener('click', e => {
      if ($(id).classList.contains('disabled')) e.preventDefault();
    });
  }
}
