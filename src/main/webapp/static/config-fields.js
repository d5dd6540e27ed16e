// The run configuration's field descriptors (page data "fields", made from RunConfig.FIELDS on the server):
// when a field applies, which help it shows, how a value is written, read from the form and shown in a table.
// Pure: no DOM, no network. Nothing here knows a field by name.

/** A value as the text a condition compares: "2d", "64", "" for none. */
export function valueText(v) {
  return v === undefined || v === null ? '' : String(v).trim();
}

/**
 * Whether a condition {field, value} holds for values by field name. A list of values (a swept field in sweep mode)
 * holds it when any of them does: a field that applies at some of a sweep's points is shown and sent.
 */
export function holds(condition, values) {
  const v = values[condition.field];
  return Array.isArray(v) ? v.some(x => valueText(x) === condition.value) : valueText(v) === condition.value;
}

/** Whether a field applies (is shown, sent and listed) for these values: every condition of its "when" holds. */
export function applies(field, values) {
  return (field.when || []).every(c => holds(c, values));
}

/** The chosen choice of a choice field, or undefined. */
export function choiceOf(field, value) {
  return (field.choices || []).find(c => c.id === valueText(value));
}

/** The help a field shows for these values: the chosen choice's, else the first helpWhen that holds, else its own. */
export function helpFor(field, values) {
  const chosen = choiceOf(field, values[field.name]);
  if (chosen && chosen.help) return chosen.help;
  const conditional = (field.helpWhen || []).find(h => holds(h, values));
  return conditional ? conditional.help : field.help || '';
}

/** What the limits allow, in words, with what 0 stands for: "1–4096", "0–256 · 0: all cores". */
export function limitsText(field) {
  const parts = [];
  if (field.limits) parts.push(field.limits);
  if (field.zeroMeans) parts.push(`0: ${field.zeroMeans}`);
  return parts.join(' · ');
}

/** A choice as the form's options and the tables show it: "3d: layers are 28×28 sheets", or just "sin". */
export function choiceText(field, id) {
  const choice = choiceOf(field, id);
  return choice && choice.label ? `${choice.id}: ${choice.label}` : valueText(id);
}

/** A number as a table shows it: whole numbers as they are, others to 8 significant figures. */
export function numberText(v) {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(8)));
}

/**
 * A configuration value as the tables show it: "–" for none, "0 (all cores)" where 0 means something, a choice
 * with its label, a number with its unit ("4 sheets of 28×28").
 */
export function formatValue(field, v) {
  if (v === undefined || v === null || v === '') return '–';
  if (!field) return typeof v === 'number' ? numberText(v) : String(v);
  if (field.zeroMeans && Number(v) === 0) return `0 (${field.zeroMeans})`;
  if (field.kind === 'choice') return choiceText(field, v);
  const text = typeof v === 'number' ? numberText(v) : String(v);
  return field.unit && typeof v === 'number' ? `${text} ${v === 1 ? singular(field.unit) : field.unit}` : text;
}

/** A unit for one: "threads" → "thread", "sheets of 28×28" → "sheet of 28×28". */
export function singular(unit) {
  return unit.replace(/^(\S+?)s(?=\s|$)/, '$1');
}

/**
 * A form input's text as the API's value: a whole number or a number where the text is one (within the safe
 * integer range), else the trimmed text itself, for the server to judge and name in its error.
 */
export function parseInput(field, text) {
  const t = valueText(text);
  if (field.kind === 'integer' && /^-?\d+$/.test(t) && Number.isSafeInteger(Number(t))) return Number(t);
  if (field.kind === 'number' && t !== '' && Number.isFinite(Number(t))) return Number(t);
  return t;
}

/** The fields grouped by section, in order: [{section, title, fields}]. */
export function sections(fields) {
  const out = [];
  for (const f of fields) {
    let s = out.find(x => x.section === f.section);
    if (!s) {
      s = { section: f.section, title: f.sectionTitle || f.section, fields: [] };
      out.push(s);
    }
    s.fields.push(f);
  }
  return out;
}

/**
 * The values a recipe fills in: every field's default overlaid with the recipe's values, keeping the fields the
 * user chose that the recipe says it keeps (recipe.keeps; the server's recipes keep the grid type).
 */
export function recipeValues(fields, recipe, current = {}) {
  const keeps = Array.isArray(recipe.keeps) ? recipe.keeps : [];
  const values = {};
  for (const f of fields) {
    const given = recipe.values && Object.prototype.hasOwnProperty.call(recipe.values, f.name);
    values[f.name] = given ? recipe.values[f.name] : f.default;
    if (keeps.includes(f.name) && current[f.name] !== undefined) values[f.name] = current[f.name];
  }
  return values;
}

/** The id of a recipe's button: the two the page has always had keep theirs, any other is recipe-<id>. */
export function recipeButtonId(recipeId) {
  const kept = { published: 'reset-recipe', 'quick-look': 'quick-look' };
  return Object.prototype.hasOwnProperty.call(kept, recipeId) ? kept[recipeId] : `recipe-${recipeId}`;
}

/**
 * The rows of a configuration table: the described fields that apply, in their order, then any other keys of the
 * configuration. Each row: {name, label, text}.
 */
export function configRows(fields, config) {
  const rows = [];
  const described = new Set(fields.map(f => f.name));
  for (const f of fields) {
    if (!(f.name in config) || !applies(f, config)) continue;
    rows.push({ name: f.name, label: f.label, text: formatValue(f, config[f.name]) });
  }
  for (const [key, v] of Object.entries(config)) {
    if (!described.has(key)) rows.push({ name: key, label: key, text: formatValue(null, v) });
  }
  return rows;
}

/**
 * The rows of a comparison of configurations: per field (described ones first) the value of each configuration,
 * "–" where it is absent or does not apply; rows where every value is "–" are left out. Each row:
 * {name, label, values, differs}.
 */
export function diffRows(fields, configs) {
  const described = new Set(fields.map(f => f.name));
  const extra = [...new Set(configs.flatMap(c => Object.keys(c)))].filter(k => !described.has(k));
  const rows = [];
  for (const [name, field] of [...fields.map(f => [f.name, f]), ...extra.map(k => [k, null])]) {
    const values = configs.map(c => (field && !applies(field, c) ? '–' : formatValue(field, c[name])));
    if (values.every(v => v === '–')) continue;
    rows.push({ name, label: field ? field.label : name, values, differs: new Set(values).size > 1 });
  }
  return rows;
}

/** Bytes as "12.3 MiB", "512 MiB", "1.5 GiB". */
export function fmtBytes(bytes) {
  const mib = bytes / 1048576;
  return mib >= 1024 ? `${(mib / 1024).toFixed(1)} GiB` : `${mib < 10 ? mib.toFixed(1) : Math.round(mib)} MiB`;
}

/**
 * The estimate line of a configuration check ({parameters, estimatedBytes, grid}): "14,122 parameters · about
 * 2.7 MiB while training · 28×28×4 grid"; "" when the server could not read the sizes.
 */
export function estimateText(check) {
  if (!check || !Number.isFinite(check.parameters) || !Number.isFinite(check.estimatedBytes)) return '';
  const grid = check.grid ? ` · ${String(check.grid).replace(/x/g, '×')} grid` : '';
  return `${Math.round(check.parameters).toLocaleString('en-US')} parameters · about `
    + `${fmtBytes(check.estimatedBytes)} while training${grid}`;
}
