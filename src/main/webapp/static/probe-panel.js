// The run page's probe panel: pick an image (a test image, a drawing or a picture file), and see what the run's model
// makes of it (POST /api/runs/{id}/probe): the probabilities, the activation grid, and the paths traced back from a
// class. Which parameters are used (live, final or best) can be chosen; the view exports as PNG and JSON. The
// newest pick always wins: an older answer that arrives late is dropped (LatestCall).
import { ApiError, api, el } from './common.js';
import { COLOUR_MAPS, colourMap } from './colours.js';
import { LatestCall } from './latest-call.js';
import { ProbePicker } from './probe-picker.js';
import { downloadJson, downloadProbePicture } from './probe-export.js';
import { ProbeView } from './probe-view.js';
import {
  WHICH, availableWhich, parameterLabel, pictureQuery, probeBody, probeFileName, sourceLabel,
} from './probe.js';

/** How long a drawing rests before it is probed (a new stroke within it replaces the request). */
const DRAW_PAUSE_MS = 200;

const WHICH_TITLES = {
  live: 'the parameters as they are now, taken between two training steps (while the run trains)',
  final: 'the weights saved after the last epoch (or the newest checkpoint)',
  best: 'the weights of the best epoch',
};

/** POSTs a picture file as the body; the answer's JSON, or an ApiError with the server's reason. */
async function postPicture(url, file) {
  const res = await fetch(url, { method: 'POST', credentials: 'same-origin', body: file,
    headers: { Accept: 'application/json', 'Content-Type': file.type || 'application/octet-stream' } });
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
  if (!res.ok) throw new ApiError(res.status, json, text);
  return json;
}

export class ProbePanel {
  /** panel: the section to fill; active: the statuses of a run that trains (live parameters exist only then). */
  constructor(panel, runId, classNames, active) {
    this.panel = panel;
    this.runId = runId;
    this.classNames = classNames;
    this.active = active;
    this.run = {};
    this.source = null;     // the image picked last
    this.shown = null;      // {answer, source} shown
    this.traced = null;     // the class traced, or null for the predicted one (reset by each new image)
    this.which = null;      // the parameters chosen, or null for the server's default
    this.answers = 0;
    this.colourSelect = document.getElementById('colour-scale');
    this.calls = new LatestCall(req => this.send(req), {
      delayMs: DRAW_PAUSE_MS,
      onAnswer: reply => this.onAnswer(reply),
      onError: e => this.onError(e),
    });

    this.sourceText = el('span', { class: 'probe-source', id: 'probe-source', text: 'no image picked yet' });
    this.paramsText = el('span', { class: 'probe-params', id: 'probe-params' });
    this.whichInputs = {};
    const whichChoice = el('div', { class: 'view-choice', id: 'probe-which', role: 'radiogroup',
      'aria-label': 'parameters probed' }, WHICH.map(w => {
      const input = el('input', { type: 'radio', name: 'probe-which', value: w,
        onchange: () => this.choose(w) });
      this.whichInputs[w] = input;
      return el('label', { title: WHICH_TITLES[w] }, input, ` ${w}`);
    }));
    this.pngButton = el('button', { type: 'button', class: 'button', id: 'probe-png', text: '↓ PNG', disabled: true,
      title: 'download the probe view (image, probabilities, grids) as a PNG picture',
      onclick: () => this.exportPng() });
    this.jsonButton = el('button', { type: 'button', class: 'button', id: 'probe-json', text: '↓ JSON',
      disabled: true, title: 'download the probe\'s answer (every number shown) as JSON',
      onclick: () => this.exportJson() });
    this.message = el('p', { class: 'probe-error', id: 'probe-error', role: 'alert', hidden: true });
    const picker = el('div', { class: 'probe-picker', id: 'probe-picker' });
    this.result = el('div', { class: 'probe-result', id: 'probe-result', hidden: true });
    this.empty = el('p', { class: 'heatmap-empty', id: 'probe-empty',
      text: 'Pick a test image, draw one or drop a picture to see what the model makes of it.' });
    panel.append(
      el('div', { class: 'probe-toolbar' }, el('span', { class: 'probe-status' }, this.sourceText, this.paramsText),
        whichChoice, el('span', { class: 'action-group', role: 'group', 'aria-label': 'export the probe' },
          this.pngButton, this.jsonButton)),
      this.message, picker, this.empty, this.result);
    this.picker = new ProbePicker(picker, runId, classNames, { onPick: s => this.pick(s) });
    this.view = new ProbeView(this.result, classNames, {
      onTrace: cls => this.trace(cls),
      colours: () => (this.colourSelect ? colourMap(this.colourSelect.value) : COLOUR_MAPS.viridis),
    });
    this.updateWhich();
  }

  /** Loads the first thumbnails once the panel comes near the screen (a page seen only at the top asks nothing). */
  bind() {
    if (this.colourSelect) this.colourSelect.addEventListener('change', () => this.view.drawGrids());
    const load = () => this.picker.load(0, 0);
    if (!('IntersectionObserver' in window)) {
      load();
      return;
    }
    const seen = new IntersectionObserver(entries => {
      if (!entries.some(e => e.isIntersecting)) return;
      seen.disconnect();
      load();
    }, { rootMargin: '300px' });
    seen.observe(this.panel);
  }

  /** The summary changed: live parameters exist only while the run trains, saved ones once written. */
  setRun(run) {
    this.run = run;
    if (this.which === 'live' && !this.active.has(run.status)) this.which = null;
    this.updateWhich();
  }

  updateWhich() {
    const can = availableWhich(this.run, this.active.has(this.run.status));
    const shown = this.which || (this.shown && this.shown.answer.which);
    for (const w of WHICH) {
      this.whichInputs[w].disabled = !can[w];
      this.whichInputs[w].checked = w === shown;
    }
  }

  /** A new image: probed at once (a drawing after a short rest), its traced class back to the predicted one. */
  pick(source) {
    this.source = source;
    this.traced = null;
    this.request(source.kind !== 'drawn');
  }

  /** Another class to trace: the same image again. */
  trace(cls) {
    if (!this.source) return;
    this.traced = cls;
    this.request(true);
  }

  choose(which) {
    this.which = which;
    this.updateWhich();
    if (this.source) this.request(true);
  }

  request(now) {
    this.panel.dataset.busy = 'true';
    this.calls.request({ source: this.source, cls: this.traced, which: this.which }, now);
  }

  async send({ source, cls, which }) {
    const url = `/api/runs/${encodeURIComponent(this.runId)}/probe`;
    const answer = source.kind === 'file'
      ? await postPicture(url + pictureQuery({ cls, which }), source.file)
      : await api('POST', url, probeBody(source, { cls, which }));
    return { answer, source };
  }

  onAnswer({ answer, source }) {
    delete this.panel.dataset.busy;
    try {
      this.view.show(answer);
    } catch (e) {
      this.say(`the server's answer cannot be shown: ${e.message}`);
      return;
    }
    this.say('');
    this.shown = { answer, source };
    this.answers += 1;
    this.panel.dataset.answers = String(this.answers);
    this.panel.dataset.source = source.kind;
    this.sourceText.textContent = sourceLabel(source, answer, this.classNames);
    this.paramsText.textContent = parameterLabel(answer);
    this.result.hidden = false;
    this.empty.hidden = true;
    this.pngButton.disabled = false;
    this.jsonButton.disabled = false;
    this.updateWhich();
  }

  /** The server's reason (an ApiError's message: a 400 or 409 says why) in the panel; what was shown stays. */
  onError(e) {
    delete this.panel.dataset.busy;
    this.say(`The probe failed: ${(e && e.message) || e}`);
  }

  say(text) {
    this.message.textContent = text;
    this.message.hidden = !text;
  }

  exportView() {
    const { answer, source } = this.shown;
    return {
      view: {
        answer, maps: this.view.maps, classNames: this.classNames, layer: this.view.layer,
        colours: this.view.colours(),
        title: `NeuralGrid probe · run ${this.runId} · ${sourceLabel(source, answer, this.classNames)}`,
        subtitle: `${parameterLabel(answer)} · predicted ${this.classNames[answer.predicted] ?? answer.predicted}`
          + (Number.isInteger(answer.label) ? ` · true label ${this.classNames[answer.label] ?? answer.label}` : ''),
      },
      name: ext => probeFileName(this.runId, source, answer.class, ext),
    };
  }

  exportPng() {
    if (!this.shown) return;
    const { view, name } = this.exportView();
    downloadProbePicture(view, name('png')).catch(e => this.say(e.message));
  }

  exportJson() {
    if (!this.shown) return;
    downloadJson(this.shown.answer, this.exportView().name('json'));
  }
}
