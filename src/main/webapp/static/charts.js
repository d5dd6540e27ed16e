// Line charts on Chart.js (the UMD build from the WebJar, loaded as a classic script: window.Chart), with EMA
// smoothing of the displayed curves, vertical markers at chosen x values, and on the canvas data-points="N" (the
// longest series) and data-series="N" (the series with data) once it has data, data-markers="x,..." with markers.

export const PALETTE = ['#1f5fd1', '#e0662b', '#2e9d5f', '#c23b8b', '#8c6bd1', '#b8860b', '#1b9aaa', '#d1453b',
  '#5b6b7f', '#6aa84f', '#a0522d', '#3f51b5'];

export function chartLibrary() {
  return typeof window.Chart === 'function' ? window.Chart : null;
}

/**
 * Chart.js with the page's defaults, or null after saying so in `empty` (a chart's placeholder) when it did not
 * load: what every chart of the pages starts with.
 */
export function readyChartLibrary(empty) {
  const Chart = chartLibrary();
  if (!Chart) {
    if (empty) empty.textContent = 'Charts unavailable: Chart.js did not load.';
    return null;
  }
  configure(Chart);
  return Chart;
}

/** The page's chart defaults (the same values each time: setting them again changes nothing). */
export function configure(Chart) {
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.font.size = 12;
  Chart.defaults.color = '#596273';
  Chart.defaults.borderColor = '#e6e9ee';
  Chart.defaults.animation = false;
}

/**
 * Debiased exponential moving average (as TensorBoard's smoothing): s_t = a s_(t-1) + (1-a) x_t, divided by
 * 1 - a^t. Points with a missing y pass through as gaps.
 */
export function ema(points, alpha) {
  if (!(alpha > 0)) return points;
  let s = 0, n = 0;
  return points.map(p => {
    if (p.y === null || p.y === undefined || !Number.isFinite(p.y)) return { x: p.x, y: null };
    s = alpha * s + (1 - alpha) * p.y;
    n++;
    return { x: p.x, y: s / (1 - alpha ** n) };
  });
}

/**
 * Axis ticks with as many decimals as their spacing needs, without floating-point noise
 * (2.4000000000000004 → 2.4; 2.3045 and 2.305 stay apart).
 */
function tick(v, ticks, percent) {
  const n = Number(v);
  if (!Number.isFinite(n)) return v;
  const step = ticks && ticks.length > 1 ? Math.abs(ticks[1].value - ticks[0].value) : 0;
  let text;
  if (n === 0) text = '0';
  else if (Math.abs(n) >= 1e6 || (step > 0 && step < 1e-6)) text = n.toExponential(2);
  else {
    const decimals = step > 0 ? Math.min(8, Math.max(0, Math.ceil(-Math.log10(step) - 1e-9))) : 3;
    text = String(Number(n.toFixed(decimals)));
  }
  return percent ? `${text}%` : text;
}

/** x ticks: whole numbers; a bound squeezed in after the last regular tick gets no label. */
function xTick(v, i, ticks) {
  if (i === ticks.length - 1 && ticks.length > 2) {
    const step = ticks[1].value - ticks[0].value;
    if (v - ticks[i - 1].value < 0.6 * step) return '';
  }
  return String(Math.round(Number(v) * 1000) / 1000);
}

function withAlpha(hex, a) {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${a})`;
}

/**
 * A Chart.js plugin that draws the chart's markers (options.plugins.markers.lines: [{x, label, color}]) as dashed
 * vertical lines across the plot, each with its label at the top.
 */
const MARKERS = Object.freeze({
  id: 'markers',
  afterDatasetsDraw(chart, args, options) {
    const lines = options && Array.isArray(options.lines) ? options.lines : [];
    const { ctx, chartArea: area } = chart;
    const scale = chart.scales.x;
    if (!area || !scale) return;
    for (const m of lines) {
      const x = scale.getPixelForValue(m.x);
      if (!Number.isFinite(x) || x < area.left - 0.5 || x > area.right + 0.5) continue;
      const colour = m.color || '#596273';
      ctx.save();
      ctx.strokeStyle = colour;
      ctx.lineWidth = 1.2;
      ctx.setLineDash([4, 3]);
      ctx.beginPath();
      ctx.moveTo(x, area.top);
      ctx.lineTo(x, area.bottom);
      ctx.stroke();
      if (m.label) {
        const right = x > (area.left + area.right) / 2;
        ctx.fillStyle = colour;
        ctx.font = `600 11px ${getComputedStyle(chart.canvas).fontFamily}`;
        ctx.textAlign = right ? 'right' : 'left';
        ctx.textBaseline = 'top';
        ctx.fillText(m.label, x + (right ? -4 : 4), area.top + 2);
      }
      ctx.restore();
    }
  },
});

/**
 * A line chart of several series, each drawn as a faint raw curve and a smoothed curve (the raw one is hidden
 * while smoothing is 0). series: [{label, color, dash, group}] — series with the same group toggle together
 * and only the first of a group appears in the legend (used for train/test pairs of one run).
 */
export class LineChart {
  constructor(canvas, options) {
    this.canvas = canvas;
    this.options = options;
    this.series = options.series.map(s => ({ ...s, points: [] }));
    this.alpha = 0;
    this.markers = [];
    this.empty = canvas.parentElement.querySelector('.chart-empty');
    this.chart = null;
    const Chart = readyChartLibrary(this.empty);
    if (!Chart) return;
    this.chart = new Chart(canvas, {
      type: 'line',
      data: { datasets: this.datasets() },
      plugins: [MARKERS],
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        normalized: true,
        parsing: false,
        spanGaps: true,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        layout: { padding: { top: 2, right: 6 } },
        scales: {
          x: {
            type: 'linear',
            title: { display: Boolean(options.xTitle), text: options.xTitle },
            ticks: { precision: 0, maxTicksLimit: 8, callback: (v, i, ticks) => xTick(v, i, ticks) },
            min: options.xMin,
            bounds: 'data',
            grid: { color: '#eef0f3' },
          },
          y: {
            type: 'linear',
            title: { display: Boolean(options.yTitle), text: options.yTitle },
            ticks: { maxTicksLimit: 6, callback: (v, i, ticks) => tick(v, ticks, options.percent) },
            grid: { color: '#eef0f3' },
          },
        },
        plugins: {
          legend: {
            position: 'top',
            align: 'end',
            labels: {
              boxWidth: 18, boxHeight: 2, padding: 10,
              filter: (item, chartData) => {
                const ds = chartData.datasets[item.datasetIndex];
                return !ds.raw && ds.legend !== false;
              },
            },
            onClick: (e, item, legend) => this.toggle(legend.chart.data.datasets[item.datasetIndex].seriesIndex),
          },
          tooltip: {
            filter: item => !item.dataset.raw,
            callbacks: {
              title: items => items.length ? `${options.xTitle || 'x'} ${items[0].parsed.x}` : '',
              label: item => `${item.dataset.label}: ${this.format(item.parsed.y)}`,
            },
          },
          decimation: { enabled: true, algorithm: 'lttb', samples: 600 },
          markers: { lines: [] },
        },
      },
    });
  }

  format(y) {
    if (y === null || !Number.isFinite(y)) return '–';
    if (this.options.percent) return `${y.toFixed(2)} %`;
    return Math.abs(y) >= 1e-3 && Math.abs(y) < 1e5 ? y.toPrecision(4) : y.toExponential(3);
  }

  datasets() {
    const out = [];
    const marked = new Set(this.markers.map(m => m.x));
    this.series.forEach((s, i) => {
      const raw = this.alpha > 0;
      const many = s.points.length > 40;
      const radius = many ? 0 : 2.2;
      const base = { seriesIndex: i, borderDash: s.dash || [], hidden: Boolean(s.hidden), legend: s.legend };
      out.push({
        ...base, raw: true, label: `${s.label} (raw)`, data: s.points,
        borderColor: withAlpha(s.color, 0.28), backgroundColor: withAlpha(s.color, 0.28),
        borderWidth: 1, pointRadius: 0, hidden: !raw || Boolean(s.hidden),
      });
      out.push({
        ...base, raw: false, label: s.label, data: ema(s.points, this.alpha),
        borderColor: s.color, backgroundColor: s.color, borderWidth: 1.8,
        // a marked x value's points stand out
        pointRadius: marked.size ? c => (c.raw && marked.has(c.raw.x) ? 4.5 : radius) : radius,
        pointHoverRadius: 4, tension: 0,
      });
    });
    return out;
  }

  toggle(i) {
    const s = this.series[i];
    if (!s) return;
    const group = s.group ?? i;
    const hide = !s.hidden;
    this.series.forEach((t, j) => { if ((t.group ?? j) === group) t.hidden = hide; });
    this.render();
  }

  setPoints(i, points) {
    this.series[i].points = points;
  }

  setSmoothing(alpha) {
    this.alpha = alpha;
  }

  setLogScale(log) {
    if (this.chart) this.chart.options.scales.y.type = log ? 'logarithmic' : 'linear';
  }

  /**
   * Replaces the series; one that does not say whether it is hidden stays as the series of the same label was (a
   * click on the legend survives new data).
   */
  setSeries(series) {
    const hidden = new Map(this.series.map(s => [s.label, Boolean(s.hidden)]));
    this.series = series.map(s => ({ ...s, hidden: s.hidden ?? hidden.get(s.label) ?? false, points: s.points || [] }));
  }

  /** Vertical markers at x values: [{x, label, color}] (drawn at the next render). */
  setMarkers(markers) {
    this.markers = (markers || []).filter(m => m && Number.isFinite(m.x));
  }

  render() {
    const n = Math.max(0, ...this.series.map(s => s.points.length));
    const withData = this.series.filter(s => s.points.some(p => p.y !== null && Number.isFinite(p.y))).length;
    if (n > 0) this.canvas.dataset.points = String(n);
    else delete this.canvas.dataset.points;
    if (withData > 0) this.canvas.dataset.series = String(withData);
    else delete this.canvas.dataset.series;
    if (this.markers.length) this.canvas.dataset.markers = this.markers.map(m => m.x).join(',');
    else delete this.canvas.dataset.markers;
    if (this.empty) this.empty.hidden = n > 0 || !this.chart;
    if (!this.chart) return;
    // an empty chart shows its message, not a frame of meaningless axes
    const o = this.chart.options;
    o.scales.x.display = n > 0;
    o.scales.y.display = n > 0;
    o.plugins.legend.display = n > 0;
    o.plugins.markers.lines = n > 0 ? this.markers : [];
    this.chart.data.datasets = this.datasets();
    this.chart.update('none');
  }
}

/**
 * Wires the page's chart controls (#smoothing with its #smoothing-value readout, #log-loss) to the loss and
 * accuracy charts: the run and compare pages share them.
 */
export function bindChartControls(lossChart, accuracyChart) {
  const smoothing = document.getElementById('smoothing');
  smoothing.addEventListener('input', () => {
    const a = Number(smoothing.value);
    document.getElementById('smoothing-value').textContent = a.toFixed(2);
    for (const chart of [lossChart, accuracyChart]) {
      chart.setSmoothing(a);
      chart.render();
    }
  });
  document.getElementById('log-loss').addEventListener('change', e => {
    lossChart.setLogScale(e.target.checked);
    lossChart.render();
  });
}
