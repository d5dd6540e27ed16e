// The probe panel's answer: the image as the model sees it, the ten class probabilities, the image's activation
// grid on the page's colour scale (a 3D grid one sheet at a time), and "trace the paths": the saliency of a chosen
// class per cell and per pixel on the blue-white-red scale, side by side with the image. Drawn with heatmap.js.
import { el, fmtPct } from './common.js';
import { COLOUR_MAPS, fmtValue } from './colours.js';
import { createLegend, drawClass } from './heatmap.js';
import { GREY, IMAGE_SIDE, answerMaps } from './probe.js';

function figure(id, caption, describe) {
  const canvas = el('canvas', { class: 'heatmap probe-map', id, role: 'img', 'aria-label': describe,
    width: 1, height: 1 });
  return { canvas, element: el('figure', { class: 'probe-figure' }, canvas,
    el('figcaption', { class: 'heatmap-label', text: caption })) };
}

export class ProbeView {
  /**
   * container: the element to fill; classNames in label order; on: {trace(cls)} when another class is to be
   * traced. colours() answers the page's colour map for the activations.
   */
  constructor(container, classNames, { onTrace = () => {}, colours = () => COLOUR_MAPS.viridis } = {}) {
    this.classNames = classNames;
    this.colours = colours;
    this.answer = null;
    this.maps = null;
    this.layer = 0;
    this.image = figure('probe-image', 'as the model sees it', 'the image as the model sees it, 28 by 28 pixels');
    this.probs = el('ol', { class: 'probe-probs', id: 'probe-probs', 'aria-label': 'class probabilities' });
    this.activations = figure('probe-activations', 'activations', 'the image\'s activation of every grid cell');
    this.activationLegend = createLegend('activation');
    this.layerSlider = el('input', { type: 'range', id: 'probe-layer', min: '0', max: '0', step: '1', value: '0',
      'aria-label': 'layer of the grid shown', oninput: () => this.setLayer(Number(this.layerSlider.value)) });
    this.layerLabel = el('span', { class: 'layer-label', id: 'probe-layer-label' });
    this.layerControl = el('label', { class: 'control probe-layer-control', hidden: true }, 'layer ',
      this.layerSlider, this.layerLabel);
    this.traceSelect = el('select', { id: 'probe-trace-class', 'aria-label': 'class whose paths are traced',
      onchange: () => onTrace(Number(this.traceSelect.value)) },
    classNames.map((name, c) => el('option', { value: String(c), text: name })));
    this.traceImage = figure('probe-trace-image', 'image', 'the image, beside its saliency');
    this.pixelSaliency = figure('probe-pixel-saliency', 'per pixel',
      'how much each pixel raises (red) or lowers (blue) the traced class\'s score');
    this.cellSaliency = figure('probe-cell-saliency', 'per cell',
      'how much each grid cell\'s activation raises (red) or lowers (blue) the traced class\'s score');
    this.pixelLegend = createLegend('saliency per pixel');
    this.cellLegend = createLegend('saliency per cell');
    this.readout = el('span', { class: 'readout', id: 'probe-readout' });
    this.activations.canvas.addEventListener('mousemove', e => this.hover(e, 'activations'));
    this.cellSaliency.canvas.addEventListener('mousemove', e => this.hover(e, 'cellSaliency'));
    this.pixelSaliency.canvas.addEventListener('mousemove', e => this.hover(e, 'pixelSaliency'));
    for (const f of [this.activations, this.cellSaliency, this.pixelSaliency]) {
      f.canvas.addEventListener('mouseleave', () => { this.readout.textContent = ''; });
    }
    container.append(
      el('div', { class: 'probe-answer' },
        el('div', { class: 'probe-block' }, el('h3', { text: 'Image' }), this.image.element),
        el('div', { class: 'probe-block probe-probs-block' }, el('h3', { text: 'Class probabilities' }), this.probs),
        el('div', { class: 'probe-block' }, el('h3', { text: 'Activation grid' }), this.activations.element,
          this.activationLegend.element)),
      el('div', { class: 'probe-trace', id: 'probe-trace' },
        el('div', { class: 'probe-trace-head' }, el('h3', { text: 'Trace the paths' }),
          el('label', { class: 'control', title: 'the class whose score the saliency is taken of' }, 'of class ',
            this.traceSelect),
          this.layerControl),
        el('div', { class: 'probe-trace-maps' }, this.traceImage.element, this.pixelSaliency.element,
          this.cellSaliency.element, el('div', { class: 'probe-legends' }, this.pixelLegend.element,
            this.cellLegend.element))),
      el('div', { class: 'heatmap-foot' }, el('span', { class: 'axis-note', id: 'probe-axis-note' }), this.readout));
    this.axisNote = container.querySelector('#probe-axis-note');
  }

  /** Shows an answer (throws when its arrays do not fit its grid: the caller says so in the panel). */
  show(answer) {
    const maps = answerMaps(answer);
    this.answer = answer;
    this.maps = maps;
    this.layer = Math.min(this.layer, maps.grid.layers - 1);
    drawClass(this.image.canvas, maps.image, 0, { colours: GREY });
    drawClass(this.traceImage.canvas, maps.image, 0, { colours: GREY });
    this.showProbabilities(answer);
    this.traceSelect.value = String(answer.class);
    const { sheets, layers, rows, cols } = maps.grid;
    this.layerControl.hidden = !sheets;
    this.layerSlider.max = String(layers - 1);
    this.axisNote.textContent = sheets
      ? `grid maps: one ${rows}×${cols} sheet of cells at a time, laid out like the image`
      : `grid maps: ${rows} rows = cells of a layer · ${cols} columns = grid layers, input on the left → output`
        + ' on the right';
    this.drawGrids();
  }

  /** The activation and cell saliency maps of the layer shown; their legends. */
  drawGrids() {
    const m = this.maps;
    if (!m) return;
    const { sheets, layers } = m.grid;
    const colours = this.colours();
    const layer = this.layer;
    drawClass(this.activations.canvas, m.activations, 0, { layer, sheets, colours });
    drawClass(this.cellSaliency.canvas, m.cellSaliency, 0, { layer, sheets, colours: COLOUR_MAPS.diverging });
    drawClass(this.pixelSaliency.canvas, m.pixelSaliency, 0, { colours: COLOUR_MAPS.diverging });
    const cls = String(this.answer.class);
    for (const f of [this.cellSaliency, this.pixelSaliency]) f.canvas.dataset.class = cls;
    this.activationLegend.set(m.activations.min, m.activations.max, sheets ? 'over every layer' : '', colours);
    // d score / d pixel and d score / d activation are not on one scale: each map spans its own ±max
    this.pixelLegend.set(m.pixelSaliency.min, m.pixelSaliency.max, '', COLOUR_MAPS.diverging);
    this.cellLegend.set(m.cellSaliency.min, m.cellSaliency.max, '', COLOUR_MAPS.diverging);
    this.layerSlider.value = String(layer);
    const text = `${layer + 1} of ${layers}`;
    this.layerLabel.textContent = text;
    this.layerSlider.setAttribute('aria-valuetext', `layer ${text}`);
  }

  setLayer(layer) {
    if (!this.maps) return;
    this.layer = Math.max(0, Math.min(layer | 0, this.maps.grid.layers - 1));
    this.drawGrids();
  }

  /** Ten labelled bars; the predicted class and the true label (when known) marked. */
  showProbabilities(answer) {
    const p = answer.probabilities || [];
    this.probs.textContent = '';
    this.probs.dataset.predicted = String(answer.predicted);
    this.classNames.forEach((name, c) => {
      const v = Number(p[c]) || 0;
      const marks = [c === answer.predicted ? 'predicted' : '', c === answer.label ? 'true label' : '']
        .filter(Boolean);
      const fill = el('span', { class: 'probe-bar-fill' });
      fill.style.width = `${(Math.max(0, Math.min(1, v)) * 100).toFixed(1)}%`;
      this.probs.append(el('li', {
        class: ['probe-prob', c === answer.predicted ? 'predicted' : '', c === answer.label ? 'truth' : '']
          .filter(Boolean).join(' '),
        dataset: { class: String(c), value: String(v) },
        'aria-label': `${name}: ${fmtPct(v, 1)}${marks.length ? ` (${marks.join(', ')})` : ''}`,
      }, el('span', { class: 'probe-prob-name', text: name, title: `class ${c}: ${name}` }),
      el('span', { class: 'probe-bar', 'aria-hidden': 'true' }, fill),
      el('span', { class: 'probe-prob-value num', text: fmtPct(v, 1) }),
      el('span', { class: 'probe-prob-marks', text: marks.join(' · ') })));
    });
  }

  /** The cell or pixel under the pointer and its exact value. */
  hover(event, key) {
    const a = this.answer, m = this.maps;
    if (!a || !m) return;
    const side = key === 'pixelSaliency' ? { rows: IMAGE_SIDE, cols: IMAGE_SIDE, layers: 1 } : m.grid;
    const rect = event.currentTarget.getBoundingClientRect();
    const s = Math.min(rect.width / side.cols, rect.height / side.rows);
    const x0 = (rect.width - s * side.cols) / 2;
    const col = Math.floor((event.clientX - rect.left - x0) / s);
    const row = Math.floor((event.clientY - rect.top) / s);
    if (col < 0 || row < 0 || col >= side.cols || row >= side.rows) {
      this.readout.textContent = '';
      return;
    }
    const layer = key === 'pixelSaliency' ? 0 : this.layer;
    const v = a[key][(layer * side.rows + row) * side.cols + col];
    const what = key === 'activations' ? 'activation' : `saliency of ${this.classNames[a.class]}`;
    const where = key === 'pixelSaliency' ? `pixel (${row}, ${col})`
      : m.grid.sheets ? `layer ${layer + 1}, row ${row}, column ${col}` : `cell ${row} of layer ${col + 1}`;
    this.readout.textContent = `${where} · ${what} ${fmtValue(v)}`;
  }
}
