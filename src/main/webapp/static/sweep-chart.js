// The sweep page's chart of test accuracy against one swept field, on Chart.js (window.Chart, as charts.js loads
// it): each point at its mean over the seeds with an error bar of ± one standard deviation, one series per
// combination of the other swept fields. The x axis is the field's own (sweep-axes.js): linear, log10 for lr and
// weight decay, or categories, with the ticks at the axis's values. On the canvas data-points="N" once it shows N.
import { PALETTE, readyChartLibrary } from './charts.js';
import { axisText } from './sweep-axes.js';
import { meanStdText } from './sweep-points.js';

/** How far apart the series of one category are drawn (in categories), so that their bars do not cover each other. */
const DODGE = 0.36;

/**
 * The chart's series: points with a mean of the metric ('best' or 'final'), grouped by the values of the other
 * swept fields (in the order the sweep first lists them) and sorted along the axis. axes: Map field → axis. Each
 * series {label, points: [{x, y, lo, hi, label, text}]} in percent; a category axis spreads the series of one
 * category over ±DODGE / 2 around it.
 */
export function accuracySeries(points, field, metric, axes) {
  const axis = axes.get(field);
  if (!axis) return [];
  const others = [...axes.keys()].filter(f => f !== field);
  const groups = new Map();
  for (const p of points) {
    const mean = metric === 'final' ? p.finalTestMean : p.bestTestMean;
    const std = metric === 'final' ? p.finalTestStd : p.bestTestStd;
    const values = p.point || {};
    const x = axis.position(values[field]);
    if (!(typeof mean === 'number' && Number.isFinite(mean)) || x === null) continue;
    const key = others.map(f => `${f} ${axisText(values[f])}`).join(' · ');
    if (!groups.has(key)) groups.set(key, []);
    const spread = typeof std === 'number' && Number.isFinite(std) ? std : 0;
    groups.get(key).push({ x, y: mean * 100, lo: (mean - spread) * 100, hi: (mean + spread) * 100,
      label: p.label || key, text: meanStdText(mean, std) });
  }
  const n = groups.size;
  return [...groups].map(([key, pts], g) => {
    const shift = axis.kind === 'category' && n > 1 ? (g / (n - 1) - 0.5) * DODGE : 0;
    return {
      label: key || 'mean ± std over the seeds',
      points: pts.map(q => ({ ...q, x: q.x + shift })).sort((a, b) => a.x - b.x),
    };
  });
}

/** The x range the chart shows: the axis's with room for the outer points (half a category, or 5 %). */
export function xRange(axis) {
  if (axis.kind === 'category') return { min: axis.min - 0.5, max: axis.max + 0.5 };
  const span = axis.max - axis.min;
  const pad = span > 0 ? span * 0.06 : axis.kind === 'log' ? 0.5 : Math.max(Math.abs(axis.max) * 0.1, 0.5);
  return { min: axis.min - pad, max: axis.max + pad };
}

/** Draws each point's error bar (its data's lo..hi) as a vertical line with caps, in its series' colour. */
const ERROR_BARS = Object.freeze({
  id: 'errorBars',
  afterDatasetsDraw(chart) {
    const { ctx } = chart;
    const y = chart.scales.y;
    chart.data.datasets.forEach((ds, i) => {
      if (!chart.isDatasetVisible(i)) return;
      chart.getDatasetMeta(i).data.forEach((element, j) => {
        const d = ds.data[j];
        if (!d || !(d.hi > d.lo)) return;
        const top = y.getPixelForValue(d.hi), bottom = y.getPixelForValue(d.lo);
        ctx.save();
        ctx.strokeStyle = ds.borderColor;
        ctx.lineWidth = 1.4;
        ctx.beginPath();
        ctx.moveTo(element.x, top);
        ctx.lineTo(element.x, bottom);
        ctx.moveTo(element.x - 4, top);
        ctx.lineTo(element.x + 4, top);
        ctx.moveTo(element.x - 4, bottom);
        ctx.lineTo(element.x + 4, bottom);
        ctx.stroke();
        ctx.restore();
      });
    });
  },
});

export class SweepChart {
  constructor(canvas) {
    this.canvas = canvas;
    this.empty = canvas.parentElement.querySelector('.chart-empty');
    this.chart = null;
    this.axis = null;
    const Chart = readyChartLibrary(this.empty);
    if (!Chart) return;
    this.chart = new Chart(canvas, {
      type: 'scatter',
      data: { datasets: [] },
      plugins: [ERROR_BARS],
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        parsing: false,
        layout: { padding: { top: 4, right: 8 } },
        scales: {
          x: {
            type: 'linear',
            title: { display: true, text: '' },
            grid: { color: '#eef0f3' },
            // the axis's own ticks (its values, decades or categories) instead of Chart.js's round numbers
            afterBuildTicks: scale => {
              if (this.axis) scale.ticks = this.axis.ticks.map(t => ({ value: t.at }));
            },
            ticks: { autoSkip: true, maxRotation: 0, callback: v => this.tickLabel(v) },
          },
          y: {
            type: 'linear',
            title: { display: true, text: 'test accuracy' },
            ticks: { maxTicksLimit: 6, callback: v => `${Number(v.toFixed(2))}%` },
            grid: { color: '#eef0f3' },
          },
        },
        plugins: {
          legend: { position: 'top', align: 'end', labels: { boxWidth: 12, boxHeight: 2, padding: 10 } },
          tooltip: {
            callbacks: {
              label: item => `${item.raw.label}: ${item.raw.text}`,
            },
          },
        },
      },
    });
  }

  tickLabel(v) {
    const tick = this.axis && this.axis.ticks.find(t => Math.abs(t.at - v) < 1e-9);
    return tick ? tick.label : '';
  }

  /** Shows the series of accuracySeries on the field's axis; metricLabel names the metric on the y axis. */
  show(axis, series, metricLabel) {
    const n = series.reduce((k, s) => k + s.points.length, 0);
    if (n > 0) this.canvas.dataset.points = String(n);
    else delete this.canvas.dataset.points;
    if (this.empty) this.empty.hidden = n > 0 || !this.chart;
    if (!this.chart) return;
    this.axis = axis;
    const o = this.chart.options;
    const range = xRange(axis);
    o.scales.x.min = range.min;
    o.scales.x.max = range.max;
    o.scales.x.title.text = axis.kind === 'log' ? `${axis.label} (log scale)` : axis.label;
    o.scales.y.title.text = metricLabel;
    const all = series.flatMap(s => s.points);
    o.scales.y.suggestedMin = n ? Math.min(...all.map(p => p.lo)) : undefined;
    o.scales.y.suggestedMax = n ? Math.max(...all.map(p => p.hi)) : undefined;
    for (const key of ['x', 'y']) o.scales[key].display = n > 0;
    o.plugins.legend.display = n > 0 && series.length > 1;
    this.chart.data.datasets = series.map((s, i) => {
      const colour = PALETTE[i % PALETTE.length];
      return {
        label: s.label, data: s.points, borderColor: colour, backgroundColor: colour,
        showLine: axis.kind !== 'category', borderWidth: 1.5, pointRadius: 3.5, pointHoverRadius: 5,
      };
    });
    this.chart.update('none');
  }
}
