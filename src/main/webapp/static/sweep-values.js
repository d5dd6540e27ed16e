// One field's values in sweep mode, as the user gives them: "3,5,7" lists values, "1e-4..1e-2" is a range (random
// mode draws from it), ticked boxes list a choice's values, and one value is no sweep at all. Pure: no DOM, no
// network. Nothing is judged here: numbers are typed as the single-run form types them (parseInput) and the
// server names whatever is wrong, so that no rule is kept twice.
import { parseInput, valueText } from './config-fields.js';

/** Between a range's ends, as the server's SweepSpecJson reads it. */
export const TO = '..';

/** The kinds sweep mode offers a list for; a backend says where runs compute, not what they learn. */
const SWEPT_KINDS = new Set(['integer', 'number', 'choice']);

/** Whether sweep mode offers a list for a field: numbers and choices, but none the server refuses to sweep. */
export function sweepable(field, notSwept = {}) {
  return SWEPT_KINDS.has(field.kind) && !Object.prototype.hasOwnProperty.call(notSwept || {}, field.name);
}

/** Whether a field takes a range lo..hi (in random mode): the numbers. */
export function takesRange(field) {
  return field.kind === 'integer' || field.kind === 'number';
}

/**
 * A number field's text in sweep mode: {single: value} for one value, {list: [values]} for "3, 5, 7", {range:
 * "lo..hi"} for a range (its ends trimmed, left as text for the server to read as it reads the command line's).
 * Empty entries ("3,5," while the user types on) are skipped, and a list of one is one value: it sweeps nothing.
 */
export function parseSweepText(field, text) {
  const t = valueText(text);
  if (t.includes(TO)) return { range: t.split(TO).map(s => s.trim()).join(TO) };
  const parts = t.split(',').map(s => s.trim()).filter(s => s !== '');
  if (parts.length > 1) return { list: parts.map(p => parseInput(field, p)) };
  return { single: parseInput(field, parts.length === 1 ? parts[0] : t) };
}

/**
 * A choice's ticked ids in sweep mode: {single: id} for one, else {list: ids} in the order of the field's choices
 * (an empty list too: the server says that a swept field needs a value).
 */
export function parseTicked(field, ticked) {
  const chosen = new Set((ticked || []).map(valueText));
  const ids = (field.choices || []).map(c => c.id).filter(id => chosen.has(id));
  for (const id of chosen) if (!ids.includes(id)) ids.push(id); // a value no choice names, as the select keeps it
  return ids.length === 1 ? { single: ids[0] } : { list: ids };
}

/** A field's value in sweep mode: the ticked ids of a choice (an array), else the text of its input. */
export function parseSweepValue(field, value) {
  return Array.isArray(value) ? parseTicked(field, value) : parseSweepText(field, value);
}

/**
 * The value a condition compares for a field in sweep mode: the texts of a list (so that a field applies where any
 * of them makes it), else the text itself.
 */
export function conditionValue(field, value) {
  const parsed = parseSweepValue(field, value);
  return parsed.list ? parsed.list.map(valueText) : Array.isArray(value) ? valueText(parsed.single) : valueText(value);
}

/**
 * The one value a field keeps when the form goes back to one run: the first of a list, the start of a range, the
 * value itself; as the input's text.
 */
export function firstValueText(field, value) {
  const parsed = parseSweepValue(field, value);
  if (parsed.list) return parsed.list.length ? valueText(parsed.list[0]) : '';
  if (parsed.range !== undefined) return parsed.range.split(TO)[0].trim();
  return valueText(parsed.single);
}
