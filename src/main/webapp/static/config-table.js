// Configurations as tables, from the server's field descriptors: one run's (the run page) and several side by
// side with their differences marked (the comparison page).
import { el } from './common.js';
import { configRows, diffRows } from './config-fields.js';

/** Fills a table with one run's configuration: the fields that apply, labelled, with units and choice labels. */
export function renderConfigTable(table, fields, config) {
  const body = el('tbody', null, configRows(fields, config).map(row => el('tr', { dataset: { field: row.name } },
    el('th', { scope: 'row', title: row.name, text: row.label }), el('td', { text: row.text }))));
  table.replaceChildren(body);
}

/**
 * Fills a table with several configurations side by side. columns: [{name, color, config}]; onlyDiff: only the
 * fields whose values differ.
 */
export function renderConfigDiff(table, fields, columns, onlyDiff) {
  const head = el('tr', null, el('th', { text: 'field' }), columns.map(c => el('th', null,
    el('span', { class: 'swatch-inline', style: { background: c.color } }), c.name)));
  const body = el('tbody');
  for (const row of diffRows(fields, columns.map(c => c.config || {}))) {
    if (onlyDiff && !row.differs) continue;
    body.append(el('tr', { dataset: { field: row.name } }, el('th', { scope: 'row', title: row.name, text: row.label }),
      row.values.map(v => el('td', { class: row.differs ? 'differs' : '', text: v }))));
  }
  table.replaceChildren(el('thead', null, head), body);
}
