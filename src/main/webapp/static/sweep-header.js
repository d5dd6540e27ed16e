// The sweep page's header: name, status, what is swept, the counts per status, the progress bar, the actions
// (cancel the rest, resume) and the exports, all drawn from the sweep's reply.
import { api, el, fmtTime, notice, setBar, statusBadge } from './common.js';
import { countIn, countList, sweptText } from './sweep-points.js';

const $ = id => document.getElementById(id);

export class SweepHeader {
  /** statuses: the server's status sets (active: can be cancelled; resumable: can be resumed). */
  constructor(sweepId, statuses) {
    this.sweepId = sweepId;
    this.statuses = statuses;
    const path = `/api/sweeps/${encodeURIComponent(sweepId)}/export`;
    for (const format of ['json', 'csv']) {
      const link = $(`download-${format}`);
      link.href = `${path}?format=${format}`;
      link.setAttribute('download', `neuralgrid-sweep-${sweepId}.${format}`);
    }
  }

  /** Draws what the sweep (readSweep) says. */
  show(s) {
    const name = s.name || this.sweepId;
    document.title = `${name} · sweep · NeuralGrid`;
    setText($('sweep-name'), name);
    const badge = Object.assign(statusBadge(s.status), { id: 'sweep-status' });
    if ($('sweep-status').className !== badge.className) $('sweep-status').replaceWith(badge);
    setText($('meta-fields'), sweptText(s.spec, s.fields).join(' · ') || '–');
    setText($('meta-seeds'), s.seeds == null ? '–' : String(s.seeds));
    setText($('meta-mode'), s.mode || '–');
    setText($('meta-created'), fmtTime(s.created));

    const bar = $('sweep-bar');
    setBar(bar, s.progress);
    bar.className = `bar big bar-${s.status || 'none'}`;
    const done = s.counts.completed || 0;
    setText($('sweep-progress-label'), `Progress ${typeof s.progress === 'number'
      ? `${(s.progress * 100).toFixed(1)}%` : '–'} of all the runs' epochs`);
    setText($('sweep-done'), `${done} of ${s.total} run${s.total === 1 ? '' : 's'} completed`);
    const counts = countList(s.counts);
    const key = JSON.stringify(counts);
    const box = $('sweep-counts');
    if (box.dataset.key !== key) {
      box.dataset.key = key;
      box.replaceChildren(...counts.map(c => el('span', { class: 'count', dataset: { status: c.status } },
        el('b', { class: 'num', text: c.n }), ' ', statusBadge(c.status))));
    }

    const active = countIn(s.counts, this.statuses.active);
    const stopped = countIn(s.counts, this.statuses.resumable);
    setAction($('cancel-sweep'), active > 0, `cancel the ${active} queued or running run${active === 1 ? '' : 's'}`,
      'no run of this sweep is queued or running');
    setAction($('resume-sweep'), stopped > 0, `queue the ${stopped} stopped run${stopped === 1 ? '' : 's'} again`
      + ' (from their checkpoints where they have one)', 'no run of this sweep was stopped');
  }
}

function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

function setAction(button, enabled, title, why) {
  button.disabled = !enabled;
  button.title = enabled ? title : why;
}

/**
 * Binds cancel and resume (each posts to the sweep's API; onSummary(summary) gets the sweep summary it answers,
 * then the page asks for the whole sweep again) and delete (after a confirmation; then back to the runs page).
 */
export function bindActions(sweepId, onSummary) {
  const path = `/api/sweeps/${encodeURIComponent(sweepId)}`;
  const post = async (button, action) => {
    button.disabled = true;
    try {
      onSummary(await api('POST', `${path}/${action}`));
    } catch (e) {
      notice(e.message);
      onSummary(null);
    }
  };
  $('cancel-sweep').addEventListener('click', e => post(e.currentTarget, 'cancel'));
  $('resume-sweep').addEventListener('click', e => post(e.currentTarget, 'resume'));
  $('delete-sweep').addEventListener('click', async () => {
    const name = $('sweep-name').textContent || sweepId;
    if (!window.confirm(`Delete sweep "${name}" and all its runs, with their weights, metrics and heatmaps?`)) return;
    try {
      await api('DELETE', path);
      window.location.href = '/';
    } catch (e) {
      notice(e.message);
    }
  });
}
