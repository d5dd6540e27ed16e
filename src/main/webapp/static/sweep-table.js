// The sweep page's tables: the points (one row per point, sortable by any column, a checkbox each and "Compare
// selected") and the runs. Rows are made once and updated in place, so that a poll's answer keeps the selection,
// the sort and what the pointer is on.
import { el, fmtPct, statusBadge } from './common.js';
import { bestTitle } from './best-epoch.js';
import {
  comparison, compareUrl, nextSort, pointCells, pointColumns, pointKey, pointText, sharingText, sortPoints,
} from './sweep-points.js';

const $ = id => document.getElementById(id);

/** Moves the rows into this order, leaving alone those already in place. */
function arrange(body, rows) {
  let previous = null;
  for (const row of rows) {
    const expected = previous ? previous.nextElementSibling : body.firstElementChild;
    if (expected !== row) body.insertBefore(row, expected);
    previous = row;
  }
}

function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

export class PointsTable {
  /** descriptors: the configuration's field descriptors (labels); maxCompare: runs the comparison page takes. */
  constructor(descriptors, maxCompare) {
    this.descriptors = descriptors;
    this.maxCompare = maxCompare;
    this.head = $('points-head');
    this.body = $('points-body');
    this.button = $('compare-points');
    this.note = $('compare-note');
    this.columns = [];
    this.columnsKey = null;
    this.points = [];
    this.rows = new Map(); // point key -> {row, check, cells}
    this.selected = new Set();
    this.sort = null;
    this.button.addEventListener('click', () => {
      const c = comparison(this.ordered(), this.selected, this.maxCompare);
      if (c.enabled) window.location.href = compareUrl(c.ids);
    });
  }

  ordered() {
    return sortPoints(this.points, this.sort);
  }

  /** Shows the sweep's points (fields: its swept fields, the first columns). */
  show(fields, points) {
    const key = JSON.stringify(fields);
    if (key !== this.columnsKey) {
      this.columnsKey = key;
      this.columns = pointColumns(fields, this.descriptors);
      this.drawHead();
      for (const entry of this.rows.values()) entry.row.remove();
      this.rows.clear();
    }
    this.points = points;
    const known = new Set(points.map(pointKey));
    for (const k of [...this.selected]) if (!known.has(k)) this.selected.delete(k);
    for (const [k, entry] of this.rows) {
      if (!known.has(k)) {
        entry.row.remove();
        this.rows.delete(k);
      }
    }
    this.body.querySelectorAll('tr.empty').forEach(n => n.remove());
    if (points.length === 0) {
      this.body.append(el('tr', { class: 'empty' },
        el('td', { colspan: this.columns.length + 1, class: 'muted', text: 'This sweep has no points.' })));
    }
    for (const p of points) {
      const entry = this.rows.get(pointKey(p)) || this.createRow(pointKey(p));
      pointCells(p, this.columns).forEach((text, i) => setText(entry.cells[i], text));
      entry.row.dataset.finished = String(Array.isArray(p.runs) && p.runs.length > 0 && p.finished >= p.runs.length);
    }
    this.arrange();
    this.updateCompare();
  }

  drawHead() {
    this.head.replaceChildren(el('th', { class: 'check' }), ...this.columns.map(c => {
      const th = el('th', { class: c.numeric ? 'num sortable' : 'sortable', title: c.title, scope: 'col',
        dataset: { col: c.id } }, el('button', { type: 'button', class: 'sort', text: c.label }));
      th.querySelector('button').addEventListener('click', () => {
        this.sort = nextSort(this.sort, c.id);
        this.arrange();
        this.updateCompare();
      });
      return th;
    }));
  }

  createRow(key) {
    const check = el('input', { type: 'checkbox', class: 'point-select', 'aria-label': `select ${key}` });
    const cells = this.columns.map(c => el('td', { class: c.numeric ? 'num' : '', dataset: { col: c.id } }));
    const row = el('tr', { dataset: { key } }, el('td', { class: 'check' }, check), ...cells);
    check.addEventListener('change', () => {
      if (check.checked) this.selected.add(key); else this.selected.delete(key);
      row.classList.toggle('selected', check.checked);
      this.updateCompare();
    });
    const entry = { row, check, cells };
    this.rows.set(key, entry);
    return entry;
  }

  /** The rows in the sort order, the header saying which column sorts and which way. */
  arrange() {
    arrange(this.body, this.ordered().map(p => this.rows.get(pointKey(p)).row));
    for (const th of this.head.querySelectorAll('th[data-col]')) {
      const on = this.sort && this.sort.column === th.dataset.col;
      if (on) th.setAttribute('aria-sort', this.sort.dir === 'asc' ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    }
  }

  updateCompare() {
    const c = comparison(this.ordered(), this.selected, this.maxCompare);
    this.button.disabled = !c.enabled;
    this.button.title = c.reason;
    this.button.textContent = c.enabled ? `Compare ${c.ids.length} runs` : 'Compare selected';
    // why the button cannot, when points are selected (the title says it too)
    setText(this.note, c.enabled || this.selected.size === 0 ? '' : c.reason);
  }
}

/** The sweep's runs, one row each, in the sweep's order. */
export class SweepRunsTable {
  constructor() {
    this.body = $('sweep-runs-body');
    this.note = $('sweep-runs-note');
    this.rows = new Map(); // run id -> {row, key}
  }

  show(runs) {
    const known = new Set(runs.map(r => r.id));
    for (const [id, entry] of this.rows) {
      if (!known.has(id)) {
        entry.row.remove();
        this.rows.delete(id);
      }
    }
    for (const r of runs) {
      let entry = this.rows.get(r.id);
      if (!entry) {
        entry = { row: el('tr', { dataset: { id: r.id } }), key: null };
        this.rows.set(r.id, entry);
      }
      const key = JSON.stringify(r);
      if (entry.key !== key) {
        entry.key = key;
        fillRunRow(entry.row, r);
      }
    }
    arrange(this.body, runs.map(r => this.rows.get(r.id).row));
    setText(this.note, `${runs.length} run${runs.length === 1 ? '' : 's'}`);
  }
}

function fillRunRow(row, r) {
  row.dataset.status = r.status || '';
  row.title = r.status === 'failed' && r.message ? r.message : '';
  const sharing = sharingText(r.sharing);
  row.replaceChildren(
    el('td', { class: 'name' }, el('a', { href: `/runs/${encodeURIComponent(r.id)}`, text: r.name || r.id,
      title: r.name || r.id }), r.name ? el('span', { class: 'id', text: r.id }) : null),
    el('td', { class: 'point', text: pointText(r.point) }),
    el('td', { class: 'num', text: r.seed ?? '–' }),
    el('td', null, statusBadge(r.status)),
    el('td', { class: 'num', text: `${r.epoch ?? 0} / ${r.epochs ?? '?'}` }),
    el('td', { class: 'num best', text: fmtPct(r.bestTestAccuracy), title: bestTitle(r) || null }),
    el('td', { class: 'device' }, el('span', { text: r.device || r.backend || '–', title: r.backend || '' }),
      sharing ? el('span', { class: 'sharing', text: sharing }) : null),
  );
}
