// The body of POST /api/sweeps and /api/sweeps/check made from the sweep form's state, and the server's errors
// placed back on the form's fields. Pure: no DOM, no network. The shape is the server's (RunBus "Sweeps",
// SweepSpecJson): {"name", "base": {fields not swept}, "sweep": {field: [values] | "lo..hi"}, "seeds", "mode",
// "points"}.
import { applies, parseInput } from './config-fields.js';
import { conditionValue, parseSweepValue, sweepable } from './sweep-values.js';

/** How a count the user types is sent: a whole number where the text is one, else the text for the server to name. */
const COUNT = { kind: 'integer' };

/**
 * The values the fields' conditions compare in sweep mode, by name: a swept choice as the list of its values, so
 * that a field applies (is shown and sent) where it applies at some point of the sweep; the server names a swept
 * field that does not apply at some point.
 */
export function conditionValues(fields, values) {
  const out = {};
  for (const f of fields) out[f.name] = conditionValue(f, values[f.name] ?? '');
  return out;
}

/**
 * The request body. state: {fields (the descriptors), values ({name: the input's text, or the ticked ids of a
 * choice}), name, seeds, mode ("grid" | "random"), points (random mode's), notSwept ({field: why})}. A field that
 * applies goes to "sweep" when it lists more than one value or a range, else to "base" as a single run's config
 * has it; fields the server never sweeps always go to "base". An empty name is left out (the server names the
 * sweep), points are sent in random mode only.
 */
export function sweepBody({ fields, values, name, seeds, mode, points, notSwept }) {
  const conditions = conditionValues(fields, values);
  const base = {};
  const sweep = {};
  for (const f of fields) {
    if (!applies(f, conditions)) continue;
    const value = values[f.name] ?? '';
    if (!sweepable(f, notSwept)) {
      base[f.name] = parseInput(f, Array.isArray(value) ? value[0] : value);
      continue;
    }
    const parsed = parseSweepValue(f, value);
    if (parsed.list) sweep[f.name] = parsed.list;
    else if (parsed.range !== undefined) sweep[f.name] = parsed.range;
    else base[f.name] = parsed.single;
  }
  const body = {};
  const trimmed = String(name ?? '').trim();
  if (trimmed) body.name = trimmed;
  Object.assign(body, { base, sweep, seeds: parseInput(COUNT, seeds), mode: mode || 'grid' });
  if (body.mode === 'random') body.points = parseInput(COUNT, points);
  return body;
}

/**
 * The server's errors with the field each belongs to on the form: a base field's ("base.kernel") is the field's
 * own ("kernel"); the sweep's own keys (name, seeds, mode, points, sweep) stay as they are.
 */
export function formErrors(errors) {
  return (Array.isArray(errors) ? errors : []).map(e => {
    const field = typeof e.field === 'string' && e.field.startsWith('base.') ? e.field.slice('base.'.length)
      : e.field;
    return { ...e, field };
  });
}
