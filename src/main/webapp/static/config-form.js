// The new-run form's configuration fields, built from the server's field descriptors: one fieldset per section,
// an input per field kind, help and limits, fields shown and sent only where they apply, the server's errors next
// to their fields, and the size estimate the server computes. Sweep mode (sweep-form.js) reads the same fields its
// own way and asks the server its own question.
import { el } from './common.js';
import {
  applies, choiceText, estimateText, helpFor, limitsText, parseInput, sections, valueText,
} from './config-fields.js';
import { LatestCall } from './latest-call.js';

/** The input of a field descriptor: a select for choices and backends, else a text or number input. */
function inputFor(field) {
  const id = `f-${field.name}`;
  if (field.kind === 'choice') {
    return el('select', { id, name: field.name, dataset: { kind: field.kind } },
      (field.choices || []).map(c => el('option',
        { value: c.id, text: choiceText(field, c.id), title: c.help || null })));
  }
  if (field.kind === 'backend') return el('select', { id, name: field.name, dataset: { kind: field.kind } });
  if (field.kind === 'integer') {
    return el('input', { id, name: field.name, type: 'number', inputmode: 'numeric', step: field.odd ? 2 : 1,
      min: field.min, max: field.max, dataset: { kind: field.kind } });
  }
  // a number as text, so that 1e-4 reads as the user wrote it
  return el('input', { id, name: field.name, type: 'text', inputmode: 'decimal', spellcheck: 'false',
    dataset: { kind: field.kind } });
}

/** A choice with described options, and the backend's device list, take the form's whole width. */
function isWide(field) {
  return field.kind === 'backend' || (field.kind === 'choice' && (field.choices || []).some(c => c.label));
}

/**
 * Fills a backend select: auto, every device the server reported (unavailable ones disabled), java; a current
 * value no device names stays as an option of its own.
 */
export function fillBackendSelect(select, devices, fallback) {
  const current = select.value || fallback || 'auto';
  select.textContent = '';
  const seen = new Set();
  const add = (value, label, disabled, title) => {
    if (seen.has(value)) return;
    seen.add(value);
    select.append(el('option', { value, text: label, disabled: disabled || null, title: title || null }));
  };
  add('auto', 'auto (best available)');
  for (const d of Array.isArray(devices) ? devices : []) {
    if (!d.backend) continue;
    add(String(d.backend), `${d.backend}${d.name ? ` · ${d.name}` : ''}${d.available ? '' : ' (unavailable)'}`,
      !d.available, d.note);
  }
  add('java', 'java (CPU)');
  if (!seen.has(current)) add(current, current);
  select.value = current;
}

export class ConfigForm {
  /**
   * form: the <form>; container: where the fieldsets go; fields: the descriptors; check(config): a promise of
   * the server's check of a configuration ({errors, grid, parameters, estimatedBytes}).
   */
  constructor(form, container, fields, { check } = {}) {
    this.form = form;
    this.fields = fields;
    this.parts = new Map(); // name -> {field, wrapper, input, help}
    this.sweep = null; // sweep mode's reader of the fields (a SweepForm), or null for one run
    this.estimate = el('div', { class: 'estimate', id: 'estimate', 'aria-live': 'polite' });
    this.checks = new LatestCall(config => check(config), {
      onAnswer: answer => { this.estimate.textContent = estimateText(answer); },
      onError: () => { this.estimate.textContent = ''; },
    });
    container.replaceChildren(...sections(fields).map((s, i) => el('fieldset', { dataset: { section: s.section } },
      el('legend', { text: s.title }),
      el('div', { class: 'fields' }, s.fields.map(f => this.buildField(f))),
      i === 0 ? this.estimate : null)));
  }

  buildField(field) {
    const input = inputFor(field);
    const help = el('div', { class: 'help', id: `${field.name}-help` });
    const wrapper = el('div', { class: isWide(field) ? 'field wide' : 'field', dataset: { name: field.name } },
      el('label', { for: input.id }, field.label, ' ',
        el('span', { class: 'key', text: field.name, title: field.option })),
      input, help, el('div', { class: 'field-error', dataset: { field: field.name } }));
    this.parts.set(field.name, { field, wrapper, input, help });
    return wrapper;
  }

  /** Binds the form's own listeners: typing clears a field's error and updates what depends on the values. */
  bind() {
    const changed = e => {
      this.clearError(e.target);
      if (this.parts.has(e.target.name)) {
        this.sync();
        this.requestEstimate();
      }
    };
    this.form.addEventListener('input', changed);
    this.form.addEventListener('change', changed);
  }

  /**
   * Sweep mode: sweep reads the values (conditionValues(), filled()) and asks the server (requestCheck(now)) in this
   * form's place; null goes back to one run and this form's own estimate.
   */
  setSweep(sweep) {
    this.sweep = sweep;
    this.checks.cancel();
    this.estimate.textContent = '';
    this.sync();
    this.requestEstimate(true);
  }

  /** Every field's current text, by name: what a single run's conditions compare. */
  values() {
    const values = {};
    for (const [name, p] of this.parts) values[name] = p.input.value;
    return values;
  }

  /** The configuration to send: the fields that apply, numbers where the text is one (the server judges the rest). */
  config() {
    const values = this.values();
    const config = {};
    for (const [name, p] of this.parts) {
      if (applies(p.field, values)) config[name] = parseInput(p.field, p.input.value);
    }
    return config;
  }

  /** Sets the given fields (others keep their values), then shows what applies and asks for the estimate. */
  fill(values) {
    for (const [name, p] of this.parts) {
      if (values[name] === undefined || values[name] === null) continue;
      const text = valueText(values[name]);
      if (p.input.tagName === 'SELECT' && ![...p.input.options].some(o => o.value === text)) {
        p.input.append(el('option', { value: text, text }));
      }
      p.input.value = text;
    }
    if (this.sweep) this.sweep.filled();
    this.sync();
    this.clearErrors();
    this.requestEstimate(true);
  }

  /** Shows the fields that apply and the help each has for the current values (in sweep mode, any of a list's). */
  sync() {
    const values = this.sweep ? this.sweep.conditionValues() : this.values();
    for (const p of this.parts.values()) {
      p.wrapper.hidden = !applies(p.field, values);
      const limits = limitsText(p.field);
      p.help.replaceChildren(helpFor(p.field, values), limits ? el('span', { class: 'limits', text: limits }) : '');
    }
  }

  /** The backend selects offer the devices the server found. */
  setDevices(devices) {
    for (const p of this.parts.values()) {
      if (p.field.kind === 'backend') fillBackendSelect(p.input, devices, valueText(p.field.default));
    }
  }

  requestEstimate(now = false) {
    if (this.sweep) this.sweep.requestCheck(now);
    else this.checks.request(this.config(), now);
  }

  /** Clears the error of the field an input belongs to. */
  clearError(input) {
    const field = input && input.closest ? input.closest('.field') : null;
    if (field && field.classList.contains('invalid')) {
      field.classList.remove('invalid');
      const slot = field.querySelector('.field-error');
      if (slot) slot.textContent = '';
    }
  }

  clearErrors() {
    this.form.querySelectorAll('.field-error').forEach(n => { n.textContent = ''; });
    this.form.querySelectorAll('.field.invalid').forEach(n => n.classList.remove('invalid'));
    const box = this.form.querySelector('.form-errors');
    box.hidden = true;
    box.textContent = '';
  }

  /**
   * The server's errors next to their fields; those of no shown field go to the box at the top. quiet (errors of a
   * check while the user types): the focus stays where it is, and the box opens only for errors no field shows.
   */
  showErrors(errors, { quiet = false } = {}) {
    this.clearErrors();
    const unplaced = [];
    for (const e of errors) {
      const field = e.field || 'body';
      const slot = this.form.querySelector(`.field-error[data-field="${CSS.escape(field)}"]`);
      if (slot && !slot.closest('[hidden]')) {
        slot.textContent = slot.textContent ? `${slot.textContent}; ${e.message}` : e.message;
        slot.closest('.field')?.classList.add('invalid');
      } else {
        unplaced.push(`${field}: ${e.message}`);
      }
    }
    const box = this.form.querySelector('.form-errors');
    const count = errors.length;
    box.textContent = unplaced.length ? unplaced.join('\n')
      : `The server refused ${count === 1 ? 'one field' : `${count} fields`}; see below.`;
    box.style.whiteSpace = 'pre-line';
    box.hidden = quiet && unplaced.length === 0;
    if (quiet) return;
    const first = this.form.querySelector('.field.invalid input, .field.invalid select');
    if (first) first.focus({ preventScroll: false });
  }
}
