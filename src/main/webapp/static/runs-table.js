// The runs page's table of runs: rows updated in place, a selection for the comparison, and a link from each run
// of a sweep to its sweep. The page's poller (index.js) brings the runs.
import { el, fmtPct, fmtTime, progressBar, statusBadge } from './common.js';
import { bestTitle } from './best-epoch.js';
import { pointLabel } from './sweep-text.js';

export class RunsTable {
  /** runs: the runs the page was rendered with (null: not known yet); active: the statuses that are live. */
  constructor(runs, { active }) {
    this.runs = Array.isArray(runs) ? runs : null;
    this.active = active;
    this.selected = new Set();
    this.rows = new Map(); // run id -> {row, check, key}: rows are updated in place, so a click never hits a stale one
    this.body = document.getElementById('runs-body');
    this.selectAll = document.getElementById('select-all');
    this.compareButton = document.getElementById('compare-button');
    this.sweepNames = new Map(); // sweep id -> its name, for the link from each of its runs
  }

  /** Binds the selection and compare controls and draws the rows. */
  start() {
    this.selectAll.addEventListener('change', e => {
      this.selected.clear();
      if (e.target.checked && this.runs) this.runs.forEach(r => this.selected.add(r.id));
      this.render();
    });
    this.compareButton.addEventListener('click', () => {
      if (this.selected.size < 2 || !this.runs) return;
      // keep the table's order (newest first)
      const ids = this.runs.map(r => r.id).filter(id => this.selected.has(id));
      window.location.href = `/compare?ids=${ids.map(encodeURIComponent).join(',')}`;
    });
    this.render();
  }

  /** The sweeps' names by id (from GET /api/sweeps): a sweep's runs name it in their link to it. */
  setSweepNames(names) {
    this.sweepNames = names;
  }

  /** The runs as GET /api/runs answered them ({"runs": [...]}, or the list itself). */
  update(list) {
    this.runs = Array.isArray(list?.runs) ? list.runs : Array.isArray(list) ? list : [];
    this.render();
  }

  /** Whether a run is queued or training: the page asks again sooner. */
  isActive() {
    return Boolean(this.runs && this.runs.some(r => this.active.has(r.status)));
  }

  render() {
    const body = this.body;
    const runs = this.runs;
    if (!runs) {
      body.replaceChildren(el('tr', { class: 'empty' }, el('td', { colspan: 9, text: 'Loading runs…' })));
      return;
    }
    const known = new Set(runs.map(r => r.id));
    for (const id of [...this.selected]) if (!known.has(id)) this.selected.delete(id);
    for (const [id, entry] of this.rows) {
      if (!known.has(id)) {
        entry.row.remove();
        this.rows.delete(id);
      }
    }
    body.querySelectorAll('tr.empty').forEach(n => n.remove());
    if (runs.length === 0) {
      body.append(el('tr', { class: 'empty' },
        el('td', { colspan: 9, text: 'No runs yet. Start one with the form, or try "Quick look".' })));
    }
    let previous = null;
    for (const r of runs) {
      const entry = this.rows.get(r.id) || this.createRow(r.id);
      const sweepName = r.sweep ? this.sweepNames.get(r.sweep) || '' : '';
      const key = JSON.stringify(r) + sweepName;
      if (entry.key !== key) {
        entry.key = key;
        fillRow(entry, r, sweepName);
      }
      entry.row.classList.toggle('selected', this.selected.has(r.id));
      entry.check.checked = this.selected.has(r.id);
      // keep the table's order (newest first) without moving rows that are already in place
      const expected = previous ? previous.nextElementSibling : body.firstElementChild;
      if (expected !== entry.row) body.insertBefore(entry.row, expected);
      previous = entry.row;
    }
    const active = runs.filter(r => this.active.has(r.status)).length;
    document.getElementById('runs-count').textContent = runs.length === 0 ? ''
      : `${runs.length} run${runs.length === 1 ? '' : 's'}${active ? `, ${active} active` : ''}`;
    this.updateCompare();
  }

  createRow(id) {
    const check = el('input', { type: 'checkbox', class: 'run-select', value: id });
    const row = el('tr', { dataset: { id } }, el('td', { class: 'check' }, check));
    check.addEventListener('change', () => {
      if (check.checked) this.selected.add(id); else this.selected.delete(id);
      row.classList.toggle('selected', check.checked);
      this.updateCompare();
    });
    const entry = { row, check, key: null };
    this.rows.set(id, entry);
    return entry;
  }

  updateCompare() {
    const n = this.selected.size;
    this.compareButton.disabled = n < 2;
    this.compareButton.textContent = n >= 2 ? `Compare ${n} runs` : 'Compare selected';
    this.selectAll.checked = Boolean(this.runs && this.runs.length > 0 && n === this.runs.length);
    this.selectAll.indeterminate = Boolean(n > 0 && this.runs && n < this.runs.length);
  }
}

function fillRow(entry, r, sweepName) {
  const { row, check } = entry;
  check.setAttribute('aria-label', `select ${r.name || r.id}`);
  row.dataset.status = r.status || '';
  row.title = r.status === 'failed' && r.message ? r.message : '';
  const pct = typeof r.progress === 'number' ? `${Math.round(r.progress * 100)}%` : '';
  row.replaceChildren(check.parentElement,
    el('td', { class: 'name' },
      el('a', { href: `/runs/${encodeURIComponent(r.id)}`, text: r.name || r.id, title: r.name || r.id }),
      r.name ? el('span', { class: 'id', text: r.id }) : null,
      r.sweep ? sweepLink(r, sweepName) : null),
    el('td', null, statusBadge(r.status)),
    el('td', { class: 'progress' }, el('div', { class: 'progress-cell' }, progressBar(r.progress, r.status),
      el('span', { class: 'pct', text: pct }))),
    el('td', { class: 'num', text: `${r.epoch ?? 0} / ${r.epochs ?? '?'}` }),
    el('td', { class: 'num best', text: r.bestTestAccuracy == null ? '–' : fmtPct(r.bestTestAccuracy),
      title: bestTitle(r) || null }),
    el('td', { class: 'mono', text: r.grid || '–' }),
    el('td', { title: r.device || '', text: r.backend || '–' }),
    el('td', { class: 'num', title: r.started || r.created || '', text: fmtTime(r.started || r.created) }),
  );
}

/**
 * A run of a sweep links to its sweep: "sweep kernels", or just "sweep" before the sweeps list has named it. The
 * point it runs is in its title (the server's names of a sweep's runs hold it already).
 */
function sweepLink(r, sweepName) {
  const point = pointLabel(r.point);
  return el('span', { class: 'sweep-of' }, 'sweep ',
    el('a', { class: 'sweep-link', href: `/sweeps/${encodeURIComponent(r.sweep)}`, text: sweepName || r.sweep,
      title: `part of sweep ${sweepName || r.sweep}${point ? ` at ${point}` : ''}` }));
}
