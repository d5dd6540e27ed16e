// Sweep mode of the new-run form. A toggle ("One run" / "Sweep") switches how the ConfigForm's fields are read: in
// sweep mode a number field the server sweeps takes a list "3,5,7" (or a range "1e-4..1e-2" in random mode), such
// a choice becomes boxes to tick, and the sweep's own controls appear (seeds per point, grid or random, how many
// points). While the user types the server checks the sweep (POST /api/sweeps/check, the latest answer winning)
// and the form says how many runs it makes and how long they would take, with the server's errors next to their
// fields. One-run mode is the form as it always was: nothing here runs until the toggle is used.
import { el } from './common.js';
import { choiceText, valueText } from './config-fields.js';
import { LatestCall } from './latest-call.js';
import { conditionValues, formErrors, sweepBody } from './sweep-request.js';
import { checkText } from './sweep-text.js';
import { firstValueText, sweepable, takesRange } from './sweep-values.js';

const DEFAULT_POINTS = 10;

export class SweepForm {
  /**
   * configForm: the form's ConfigForm; toggle and controls: where the mode toggle and the sweep's own controls go;
   * estimate: where the counts and the time go; nameInput and nameLabel: the run name, which names the sweep;
   * rules: the page data's sweepRules ({notSwept, maxSeeds, maxRuns, modes}); check(body): a promise of the
   * server's answer to POST /api/sweeps/check.
   */
  constructor(configForm, { toggle, controls, estimate, nameInput, nameLabel, rules, check }) {
    this.configForm = configForm;
    this.controls = controls;
    this.estimate = estimate;
    this.nameInput = nameInput;
    this.nameLabel = nameLabel;
    this.rules = rules || {};
    this.notSwept = this.rules.notSwept || {};
    this.active = false;
    this.boxes = new Map(); // choice field name -> the <div> of its boxes, made the first time sweep mode shows it
    this.checks = new LatestCall(body => check(body).then(answer => ({ answer, body })), {
      onAnswer: ({ answer, body }) => this.showCheck(answer, body),
      onError: error => this.showCheckFailure(error),
    });
    this.buildToggle(toggle);
    this.buildControls();
    // the name names the sweep, and the server judges it too
    nameInput.addEventListener('input', () => this.requestCheck());
  }

  buildToggle(toggle) {
    const option = (value, text, checked) => el('label', null,
      el('input', { type: 'radio', name: 'form-mode', id: `mode-${value}`, value, checked: checked || null }), text);
    toggle.replaceChildren(el('span', { class: 'view-choice', role: 'radiogroup', 'aria-label': 'what to start' },
      option('one', 'One run', true), option('sweep', 'Sweep', false)));
    toggle.addEventListener('change', e => {
      if (e.target.name === 'form-mode') this.setActive(e.target.value === 'sweep');
    });
  }

  /** Seeds per point, the mode and random mode's number of points, each with its error slot. */
  buildControls() {
    const rules = this.rules;
    const modes = Array.isArray(rules.modes) && rules.modes.length ? rules.modes
      : [{ id: 'grid', label: 'every combination' }, { id: 'random', label: 'points drawn at random' }];
    const field = (name, label, input, help, wide) => el('div', { class: wide ? 'field wide' : 'field',
      dataset: { sweep: name } },
    el('label', { for: input.id }, label), input, el('div', { class: 'help', text: help }),
    el('div', { class: 'field-error', dataset: { field: name } }));
    this.seeds = el('input', { id: 'f-seeds', name: 'seeds', type: 'number', inputmode: 'numeric', step: 1, min: 1,
      max: rules.maxSeeds ?? null, value: 1 });
    this.mode = el('select', { id: 'f-mode', name: 'mode' },
      modes.map(m => el('option', { value: m.id, text: m.label ? `${m.id}: ${m.label}` : m.id, title: m.help || null })));
    this.points = el('input', { id: 'f-points', name: 'points', type: 'number', inputmode: 'numeric', step: 1, min: 1,
      max: rules.maxRuns ?? null, value: DEFAULT_POINTS });
    this.pointsField = field('points', 'Points', this.points, 'How many points to draw from the lists and ranges.');
    this.controls.replaceChildren(el('fieldset', { class: 'sweep-controls' },
      el('legend', { text: 'Sweep' }),
      el('p', { class: 'help sweep-hint', text: 'Give a field several values to sweep it: a list such as 3,5,7 in a'
        + ' number field, several ticked choices; in random mode a range such as 1e-4..1e-2 too.' }),
      el('div', { class: 'fields' },
        field('seeds', 'Seeds per point', this.seeds,
          `Each point runs with the seeds seed, seed + 1, …${rules.maxSeeds ? ` (at most ${rules.maxSeeds})` : ''}.`),
        field('mode', 'Mode', this.mode, 'grid runs every combination; random draws points.'),
        this.pointsField),
      el('div', { class: 'field-error', dataset: { field: 'sweep' } })));
    this.controls.addEventListener('input', e => this.controlChanged(e));
    this.controls.addEventListener('change', e => this.controlChanged(e));
  }

  controlChanged(e) {
    if (!['seeds', 'mode', 'points'].includes(e.target.name)) return;
    this.configForm.clearError(e.target);
    this.syncMode();
    this.requestCheck();
  }

  /** Random mode's controls and hints: the number of points, ranges in the number fields. */
  syncMode() {
    const random = this.mode.value === 'random';
    this.pointsField.hidden = !random;
    for (const p of this.configForm.parts.values()) {
      if (!this.active || !sweepable(p.field, this.notSwept) || p.field.kind === 'choice') continue;
      p.input.placeholder = random && takesRange(p.field) ? 'e.g. 3,5,7 or 1e-4..1e-2' : 'e.g. 3,5,7';
    }
  }

  /** Switches between one run (false) and a sweep (true); the values the user gave carry over as far as they can. */
  setActive(on) {
    if (on === this.active) return;
    this.active = on;
    for (const p of this.configForm.parts.values()) {
      if (sweepable(p.field, this.notSwept)) {
        if (p.field.kind === 'choice') this.showBoxes(p, on);
        else this.takeLists(p, on);
      } else {
        p.wrapper.classList.toggle('not-swept', on);
        p.wrapper.title = on ? `not swept: it ${this.notSwept[p.field.name] || 'cannot be'}` : '';
      }
    }
    this.controls.hidden = !on;
    this.estimate.hidden = !on;
    this.estimate.textContent = '';
    this.nameLabel.textContent = on ? 'Sweep name' : 'Run name';
    this.nameInput.placeholder = on ? 'e.g. kernels 3-7' : 'e.g. 64x64 sine, lr 1e-4';
    const button = this.configForm.form.querySelector('button[type="submit"]');
    if (button) button.textContent = on ? 'Start sweep' : 'Start run';
    this.syncMode();
    if (!on) this.checks.cancel();
    this.configForm.clearErrors();
    this.configForm.setSweep(on ? this : null);
  }

  /**
   * A number field in sweep mode is text, so that it takes "3,5,7" (a number input refuses the comma); back in
   * one-run mode it keeps the list's first value.
   */
  takeLists(p, on) {
    if (on) {
      p.numberType = p.input.type;
      p.input.type = 'text';
      p.input.spellcheck = false;
      return;
    }
    const first = firstValueText(p.field, p.input.value);
    if (p.numberType) p.input.type = p.numberType;
    p.input.value = first;
    p.input.placeholder = '';
  }

  /** A choice in sweep mode is a box per choice, the select's value ticked; back in one-run mode the first ticked. */
  showBoxes(p, on) {
    let boxes = this.boxes.get(p.field.name);
    if (!boxes && on) {
      boxes = el('div', { class: 'sweep-choices', role: 'group', 'aria-label': `${p.field.label} values` },
        (p.field.choices || []).map(c => el('label', { title: c.help || choiceText(p.field, c.id) },
          el('input', { type: 'checkbox', id: `f-${p.field.name}-${c.id}`, name: p.field.name, value: c.id }), c.id)));
      boxes.addEventListener('change', () => this.mirrorBoxes(p));
      p.input.after(boxes);
      this.boxes.set(p.field.name, boxes);
    }
    if (!boxes) return;
    if (on) this.tick(p, [p.input.value]);
    else this.mirrorBoxes(p);
    boxes.hidden = !on;
    p.input.hidden = on;
  }

  /** Ticks exactly the given values of a choice's boxes. */
  tick(p, values) {
    const wanted = new Set(values.map(valueText));
    for (const box of this.boxes.get(p.field.name).querySelectorAll('input')) box.checked = wanted.has(box.value);
  }

  /** The select follows the first ticked box, so that the one-run view of the values stays sensible. */
  mirrorBoxes(p) {
    const first = this.ticked(p)[0];
    if (first !== undefined) p.input.value = first;
  }

  ticked(p) {
    const boxes = this.boxes.get(p.field.name);
    return boxes ? [...boxes.querySelectorAll('input:checked')].map(b => b.value) : [];
  }

  /** After a recipe filled the form: each choice's boxes tick the value it set. */
  filled() {
    for (const p of this.configForm.parts.values()) {
      if (this.boxes.has(p.field.name) && this.active) this.tick(p, [p.input.value]);
    }
  }

  /** Every field's value in sweep mode: a swept choice's ticked ids, else the input's text. */
  values() {
    const values = {};
    for (const [name, p] of this.configForm.parts) {
      values[name] = this.active && this.boxes.has(name) && !this.boxes.get(name).hidden ? this.ticked(p)
        : p.input.value;
    }
    return values;
  }

  /** What the fields' conditions compare: a list's values each (ConfigForm.sync shows what applies somewhere). */
  conditionValues() {
    return conditionValues(this.configForm.fields, this.values());
  }

  /** The body of POST /api/sweeps for the form as it is. */
  body() {
    return sweepBody({ fields: this.configForm.fields, values: this.values(), name: this.nameInput.value,
      seeds: this.seeds.value, mode: this.mode.value, points: this.points.value, notSwept: this.notSwept });
  }

  requestCheck(now = false) {
    if (this.active) this.checks.request(this.body(), now);
  }

  /** The counts and the time, and the errors next to their fields (quietly: the user is still typing). */
  showCheck(answer, body) {
    this.estimate.textContent = checkText(answer, body.seeds);
    const errors = formErrors(answer && answer.errors);
    if (errors.length) this.configForm.showErrors(errors, { quiet: true });
    else this.configForm.clearErrors();
  }

  /** A check the server refused as a whole (a 400 with errors) shows them; any other failure shows nothing. */
  showCheckFailure(error) {
    this.estimate.textContent = '';
    const errors = formErrors(error && error.body && error.body.errors);
    if (errors.length) this.configForm.showErrors(errors, { quiet: true });
  }

  /** start(body): a promise of the server's answer to POST /api/sweeps; no check answers after it. */
  submit(start) {
    this.checks.cancel();
    return start(this.body());
  }

  /** The server's refusal of a start, placed on the form (a base field's errors on that field). */
  showErrors(errors) {
    this.configForm.showErrors(formErrors(errors));
  }
}
