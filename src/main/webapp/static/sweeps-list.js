// The runs page's list of sweeps (GET /api/sweeps): each links to its page, with its status, progress and run
// counts; rows are updated in place as the page's poller brings new summaries. The panel stays hidden while the
// server has no sweep, so that a server used for single runs shows its page as it always did.
import { el, fmtTime, progressBar, statusBadge } from './common.js';
import { countsText } from './sweep-text.js';

export class SweepsList {
  /** panel: the section (hidden while there is no sweep); active: the statuses that are live. */
  constructor(panel, { active }) {
    this.panel = panel;
    this.body = panel.querySelector('tbody');
    this.count = panel.querySelector('.panel-note');
    this.active = active;
    this.sweeps = [];
    this.rows = new Map(); // sweep id -> {row, key}
  }

  /** The sweeps as GET /api/sweeps answered them ({"sweeps": [...]}, newest first). */
  update(list) {
    this.sweeps = Array.isArray(list?.sweeps) ? list.sweeps : Array.isArray(list) ? list : [];
    this.render();
  }

  /** Whether a sweep has runs queued or training: the page asks again sooner. */
  isActive() {
    return this.sweeps.some(s => this.active.has(s.status));
  }

  render() {
    const known = new Set(this.sweeps.map(s => s.id));
    for (const [id, entry] of this.rows) {
      if (!known.has(id)) {
        entry.row.remove();
        this.rows.delete(id);
      }
    }
    let previous = null;
    for (const s of this.sweeps) {
      let entry = this.rows.get(s.id);
      if (!entry) {
        entry = { row: el('tr', { dataset: { id: s.id } }), key: null };
        this.rows.set(s.id, entry);
      }
      const key = JSON.stringify(s);
      if (entry.key !== key) {
        entry.key = key;
        fillRow(entry.row, s);
      }
      // newest first, without moving rows already in place
      const expected = previous ? previous.nextElementSibling : this.body.firstElementChild;
      if (expected !== entry.row) this.body.insertBefore(entry.row, expected);
      previous = entry.row;
    }
    this.panel.hidden = this.sweeps.length === 0;
    const active = this.sweeps.filter(s => this.active.has(s.status)).length;
    this.count.textContent = this.sweeps.length === 0 ? ''
      : `${this.sweeps.length} sweep${this.sweeps.length === 1 ? '' : 's'}${active ? `, ${active} active` : ''}`;
  }
}

/** "kernel × activation · grid": what a sweep varies and how it picks its points. */
export function sweptText(s) {
  const fields = Array.isArray(s.fields) && s.fields.length ? s.fields.join(' × ') : 'nothing swept';
  return s.mode ? `${fields} · ${s.mode}` : fields;
}

function fillRow(row, s) {
  const href = `/sweeps/${encodeURIComponent(s.id)}`;
  const pct = typeof s.progress === 'number' ? `${Math.round(s.progress * 100)}%` : '';
  row.dataset.status = s.status || '';
  row.replaceChildren(
    el('td', { class: 'name' },
      el('a', { href, text: s.name || s.id, title: s.name || s.id }),
      s.name ? el('span', { class: 'id', text: s.id }) : null),
    el('td', null, statusBadge(s.status)),
    el('td', { class: 'progress' }, el('div', { class: 'progress-cell' }, progressBar(s.progress, s.status),
      el('span', { class: 'pct', text: pct }))),
    el('td', { class: 'runs' }, el('span', { class: 'num', text: s.runs === 1 ? '1 run' : `${s.runs ?? '?'} runs` }),
      el('span', { class: 'counts', text: countsText(s.counts) })),
    el('td', { class: 'swept', text: sweptText(s) }),
    el('td', { class: 'num', text: s.seeds ?? '–' }),
    el('td', { class: 'num', title: s.created || '', text: fmtTime(s.created) }),
  );
}
