// tilebench report: the page's script (inlined into report.html after Chart.js).
// It reads the embedded view model (harness/report/model.ts), draws the charts and fills the
// table. Every user-supplied string (ids, labels, reasons, families, verdicts) reaches the page
// through textContent or Chart.js canvas text, never as HTML.
(function () {
  "use strict";

  const dataEl = document.getElementById("tilebench-data");
  const data = JSON.parse(dataEl ? dataEl.textContent || "{}" : "{}");
  /** State exposed for tests and debugging: `globalThis.tilebenchReport`. */
  const state = { data, entries: [], ready: false, readyMs: null, renderAll };
  globalThis.tilebenchReport = state;

  /** Chart.js, inlined before this script; absent only when the renderer could not find it. */
  const ChartJs = globalThis.Chart || null;
  /** The page's colours (CSS variables: light or dark, after prefers-color-scheme). */
  const css = getComputedStyle(document.documentElement);
  const theme = {
    fg: css.getPropertyValue("--fg").trim() || "#1d2329",
    muted: css.getPropertyValue("--muted").trim() || "#5f6b76",
    line: css.getPropertyValue("--line").trim() || "#d9dee3",
  };
  if (ChartJs) {
    ChartJs.defaults.color = theme.muted;
    ChartJs.defaults.borderColor = theme.line;
    ChartJs.defaults.animation = false;
    ChartJs.defaults.maintainAspectRatio = false;
    ChartJs.defaults.font.size = 11;
    ChartJs.defaults.plugins.legend.labels.boxWidth = 10;
  }

  const cases = data.cases || [];
  const groups = data.groups || [];
  const families = data.families || [];
  const ERR_FLOOR = 1e-12;
  /** Many charts are created only when scrolled near (keeps large reports fast to open). */
  const LAZY = groups.length > 24 && "IntersectionObserver" in globalThis;

  // ---------- small helpers ----------

  function el(tag, props, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") e.className = v;
      else if (k === "text") e.textContent = String(v);
      else e.setAttribute(k, String(v));
    }
    for (const c of children) if (c !== null && c !== undefined) e.append(c);
    return e;
  }

  function fmt(v, digits) {
    if (v === null || v === undefined || !Number.isFinite(v)) return "–";
    const d = digits || 3;
    if (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e6)) return v.toExponential(d - 1);
    return String(Number(v.toPrecision(d)));
  }

  function pct(v, signed) {
    if (v === null || v === undefined || !Number.isFinite(v)) return "–";
    return (signed && v > 0 ? "+" : "") + (v * 100).toFixed(1) + "%";
  }

  const colorOf = new Map(families.map((f) => [f.name, f.color]));
  function familyColor(name) {
    return colorOf.get(name) || "#7f7f7f";
  }

  function caseLines(i) {
    const c = cases[i];
    const lines = [
      c.id,
      `${fmt(c.ms)} ms · ${fmt(c.eff)} eff. TFLOP/s · ${fmt(c.speedup)}× dense`,
      `approx. rel. error ${fmt(c.approx, 2)} · FLOPs ÷${fmt(c.flopRed)}`,
    ];
    if (c.pareto) lines.push("on the Pareto front");
    return lines;
  }

  const caseTooltip = {
    callbacks: {
      label(ctx) {
        const raw = ctx.raw || {};
        return typeof raw.c === "number" ? caseLines(raw.c) : `${ctx.dataset.label}`;
      },
    },
  };

  /** Places a chart in `container`; built now, or when scrolled near in lazy mode. */
  function addChart(container, name, build, opts) {
    const box = el("div", { class: "chart" + (opts && opts.wide ? " wide" : "") });
    if (opts && opts.height) box.style.height = `${opts.height}px`;
    const canvas = el("canvas", { "aria-label": name, role: "img" });
    box.append(canvas);
    container.append(box);
    const entry = { name, box, canvas, build, chart: null };
    state.entries.push(entry);
    if (LAZY && opts && opts.lazy) observer.observe(box);
    else createChart(entry);
    return entry;
  }

  function createChart(entry) {
    if (entry.chart) entry.chart.destroy();
    entry.chart = new ChartJs(entry.canvas, entry.build());
  }

  function emptyBox(container, title, message) {
    container.append(
      el("div", { class: "chart empty" }, el("h3", { text: title }), el("div", { text: message })),
    );
  }

  const observer = LAZY
    ? new IntersectionObserver((seen) => {
      for (const s of seen) {
        if (!s.isIntersecting) continue;
        observer.unobserve(s.target);
        const entry = state.entries.find((e) => e.box === s.target);
        if (entry && !entry.chart) createChart(entry);
      }
    }, { rootMargin: "400px" })
    : null;

  /** Creates every chart not created yet (lazy mode); returns how many exist. */
  function renderAll() {
    for (const e of state.entries) {
      if (!e.chart) {
        if (observer) observer.unobserve(e.box);
        createChart(e);
      }
    }
    return state.entries.length;
  }

  function logTick(value, _i, ticks) {
    const vals = ticks.map((t) => t.value).filter((v) => v > 0);
    const span = vals.length ? Math.max(...vals) / Math.min(...vals) : 1;
    const l = Math.log10(value);
    const e = Math.floor(l + 1e-9);
    const mantissa = Math.round(value / Math.pow(10, e) * 1e6) / 1e6;
    const keep = span > 1e3 ? [1] : span > 8 ? [1, 2, 5] : [1, 2, 3, 4, 5, 6, 7, 8, 9];
    if (!keep.includes(mantissa)) return "";
    if (e < -2 || e > 4) return `${mantissa}e${e}`;
    return fmt(value, 2);
  }

  function logAxis(title) {
    return {
      type: "logarithmic",
      title: { display: true, text: title },
      ticks: { callback: logTick, autoSkip: true, maxRotation: 0 },
    };
  }

  function linAxis(title, min) {
    const a = { type: "linear", grace: "8%", title: { display: true, text: title } };
    if (min !== undefined) a.min = min;
    return a;
  }

  function familyDatasets(points, extra) {
    const byFam = new Map();
    for (const p of points) {
      const fam = cases[p.c].family;
      if (!byFam.has(fam)) byFam.set(fam, []);
      byFam.get(fam).push(p);
    }
    return families.filter((f) => byFam.has(f.name)).map((f) =>
      Object.assign({
        type: "scatter",
        label: f.name,
        data: byFam.get(f.name),
        backgroundColor: f.color,
        borderColor: f.color,
        pointRadius: 4,
        pointHoverRadius: 6,
      }, extra || {})
    );
  }

  function lineDataset(label, pts, color, dash) {
    return {
      type: "line",
      label,
      data: pts,
      borderColor: color,
      backgroundColor: color,
      borderDash: dash || [],
      borderWidth: 1.5,
      pointRadius: 0,
      pointHitRadius: 0,
      fill: false,
      tension: 0,
    };
  }

  /**
   * Draws vertical error bars for points that carry `yLo`/`yHi` (the 95% CI of the median time
   * carried over to the plotted figure), in datasets marked `errorBars: true`.
   */
  const errorBarsPlugin = {
    id: "tilebenchErrorBars",
    afterDatasetsDraw(chart) {
      const { ctx } = chart;
      const y = chart.scales.y;
      chart.data.datasets.forEach((ds, di) => {
        if (!ds.errorBars || !chart.isDatasetVisible(di)) return;
        const meta = chart.getDatasetMeta(di);
        ctx.save();
        ctx.strokeStyle = ds.borderColor || theme.muted;
        ctx.lineWidth = 1;
        meta.data.forEach((pt, i) => {
          const raw = ds.data[i];
          if (!raw || raw.yLo === undefined || raw.yHi === undefined) return;
          const top = y.getPixelForValue(raw.yHi);
          const bottom = y.getPixelForValue(raw.yLo);
          if (!Number.isFinite(top) || !Number.isFinite(bottom)) return;
          ctx.beginPath();
          ctx.moveTo(pt.x, top);
          ctx.lineTo(pt.x, bottom);
          ctx.moveTo(pt.x - 3, top);
          ctx.lineTo(pt.x + 3, top);
          ctx.moveTo(pt.x - 3, bottom);
          ctx.lineTo(pt.x + 3, bottom);
          ctx.stroke();
        });
        ctx.restore();
      });
    },
  };

  /** Writes a short label beside each point of datasets marked `pointLabels: true`. */
  const pointLabelsPlugin = {
    id: "tilebenchPointLabels",
    afterDatasetsDraw(chart) {
      const { ctx } = chart;
      chart.data.datasets.forEach((ds, di) => {
        if (!ds.pointLabels || !chart.isDatasetVisible(di)) return;
        const meta = chart.getDatasetMeta(di);
        ctx.save();
        ctx.fillStyle = theme.fg;
        ctx.font = "10px system-ui, sans-serif";
        ctx.textBaseline = "bottom";
        meta.data.forEach((pt, i) => {
          const raw = ds.data[i];
          if (!raw || typeof raw.c !== "number") return;
          const label = shortName(cases[raw.c]);
          const w = ctx.measureText(label).width;
          // Near the right edge the label goes to the left of its point.
          const right = pt.x + 7 + w > chart.chartArea.right;
          ctx.textAlign = right ? "right" : "left";
          ctx.fillText(label, right ? pt.x - 7 : pt.x + 7, pt.y - 4);
        });
        ctx.restore();
      });
    },
  };

  /** The kernel and its parameters as in the case id (`stl(rank=24,tile=4)`), shortened. */
  function shortName(c) {
    const head = c.id.split("/")[0] || c.kernel;
    return head.length > 32 ? head.slice(0, 31) + "…" : head;
  }

  /** `y` and its interval from the case's median CI (a figure inversely proportional to time). */
  function withCi(c, y) {
    const p = { y };
    if (c.ms !== null && c.ciLo !== null && c.ciHi !== null && c.ciLo > 0) {
      p.yLo = y * c.ms / c.ciHi;
      p.yHi = y * c.ms / c.ciLo;
    }
    return p;
  }

  // ---------- speed vs accuracy ----------

  const metricSelect = document.getElementById("headline-metric");
  let metric = "speedup";

  /** A log-axis range with room around the points (at least a decade and a bit). */
  function xRange(pts) {
    if (!pts.length) return {};
    const xs = pts.map((p) => p.x);
    return { min: Math.min(...xs) / 4, max: Math.max(...xs) * 4 };
  }

  function headlineConfig(g) {
    const useSpeedup = metric === "speedup" && g.hasDense;
    const yOf = (c) => (useSpeedup ? c.speedup : c.eff);
    const pts = [];
    for (const i of g.cases) {
      const c = cases[i];
      if (c.ms === null || c.approx === null || yOf(c) === null) continue;
      pts.push(Object.assign(withCi(c, yOf(c)), { x: Math.max(c.approx, ERR_FLOOR), c: i }));
    }
    const datasets = familyDatasets(pts, { errorBars: true });
    const front = g.pareto.filter((i) => yOf(cases[i]) !== null).map((i) => ({
      x: Math.max(cases[i].approx, ERR_FLOOR),
      y: yOf(cases[i]),
      c: i,
    }));
    datasets.push({
      type: "line",
      label: "Pareto front",
      data: front,
      pointLabels: true,
      borderColor: theme.fg,
      borderDash: [5, 4],
      borderWidth: 1.2,
      pointRadius: 8,
      pointHoverRadius: 9,
      pointBackgroundColor: "rgba(0,0,0,0)",
      pointBorderColor: theme.fg,
      pointBorderWidth: 1.5,
      fill: false,
      tension: 0,
      order: -1,
    });
    if (useSpeedup && pts.length) {
      const xs = pts.map((p) => p.x);
      datasets.push(
        lineDataset(
          "dense (1×)",
          [
            { x: Math.min(...xs) / 4, y: 1 },
            { x: Math.max(...xs) * 4, y: 1 },
          ],
          "#9aa5b1",
          [2, 3],
        ),
      );
    }
    return {
      type: "scatter",
      data: { datasets },
      options: {
        parsing: false,
        scales: {
          x: Object.assign(logAxis("approximation rel. error (log)"), xRange(pts)),
          y: useSpeedup ? linAxis("speedup vs dense (×)", 0) : linAxis("effective TFLOP/s", 0),
        },
        plugins: {
          title: { display: true, text: g.title + (g.hasDense ? "" : " (no dense case)") },
          tooltip: caseTooltip,
        },
      },
      plugins: [errorBarsPlugin, pointLabelsPlugin],
    };
  }

  function renderHeadline() {
    const grid = document.getElementById("headline-grid");
    for (const g of groups) {
      const n = g.cases.filter((i) => cases[i].ms !== null && cases[i].approx !== null).length;
      if (n === 0) {
        const bad = g.cases.filter((i) => cases[i].status !== "ok").length;
        emptyBox(grid, g.title, `no ok case to plot (${bad} failed or skipped)`);
        continue;
      }
      addChart(grid, `speed vs accuracy: ${g.title}`, () => headlineConfig(g), { lazy: true });
    }
    metricSelect.addEventListener("change", () => {
      metric = metricSelect.value;
      for (const e of state.entries) {
        if (e.name.startsWith("speed vs accuracy") && e.chart) createChart(e);
      }
    });
  }

  // ---------- FLOP reduction vs speedup ----------

  function renderFlops() {
    const box = document.getElementById("flops-chart");
    const pts = [];
    cases.forEach((c, i) => {
      if (c.speedup !== null && c.flopRed !== null && c.speedup > 0) {
        pts.push(Object.assign(withCi(c, c.speedup), { x: c.flopRed, c: i }));
      }
    });
    if (!pts.length) {
      emptyBox(box, "FLOP reduction vs speedup", "no case with both a speedup and a FLOP count");
      return;
    }
    const vals = pts.flatMap((p) => [p.x, p.y]);
    const lo = Math.min(...vals) / 1.3;
    const hi = Math.max(...vals) * 1.3;
    addChart(box, "FLOP reduction vs speedup", () => ({
      type: "scatter",
      data: {
        datasets: [
          ...familyDatasets(pts, { errorBars: true }),
          lineDataset(
            "ideal (compute-bound): speedup = FLOP reduction",
            [{ x: lo, y: lo }, { x: hi, y: hi }],
            theme.muted,
            [
              6,
              4,
            ],
          ),
        ],
      },
      options: {
        parsing: false,
        scales: {
          x: Object.assign(logAxis("FLOP reduction (2·M·K·N / executed FLOPs, log)"), {
            min: lo,
            max: hi,
          }),
          y: Object.assign(logAxis("measured speedup vs dense (×, log)"), { min: lo, max: hi }),
        },
        plugins: { tooltip: caseTooltip },
      },
      plugins: [errorBarsPlugin],
    }), { wide: true, height: 440 });
  }

  // ---------- throughput ----------

  function renderThroughput() {
    const best = document.getElementById("throughput-best");
    const withOk = groups.filter((g) => g.cases.some((i) => cases[i].eff !== null));
    if (!withOk.length) {
      emptyBox(best, "Throughput", "no ok case");
      document.getElementById("throughput-shape").disabled = true;
      return;
    }
    const labels = withOk.map((g) => g.title);
    const datasets = families.map((f) => ({
      label: f.name,
      backgroundColor: f.color,
      data: withOk.map((g) => {
        let m = null;
        for (const i of g.cases) {
          const c = cases[i];
          if (c.family === f.name && c.eff !== null && (m === null || c.eff > m)) m = c.eff;
        }
        return m;
      }),
    })).filter((d) => d.data.some((v) => v !== null));
    addChart(best, "best effective TFLOP/s per shape", () => ({
      type: "bar",
      data: { labels, datasets },
      options: {
        scales: {
          y: linAxis("best effective TFLOP/s", 0),
          x: { ticks: { autoSkip: true, maxRotation: 60 } },
        },
        plugins: { title: { display: true, text: "best effective TFLOP/s per shape, by family" } },
      },
    }), { wide: true });

    const select = document.getElementById("throughput-shape");
    withOk.forEach((g) => select.append(el("option", { value: groups.indexOf(g), text: g.title })));
    const detail = document.getElementById("throughput-detail");
    let entry = null;
    const detailConfig = () => {
      const g = groups[Number(select.value)];
      const idx = g.cases.filter((i) => cases[i].eff !== null);
      idx.sort((a, b) => cases[b].eff - cases[a].eff);
      const lab = idx.map((i) => {
        const c = cases[i];
        return c.id.length > 70 ? c.id.slice(0, 69) + "…" : c.id;
      });
      return {
        type: "bar",
        data: {
          labels: lab,
          datasets: [
            {
              label: "effective TFLOP/s",
              data: idx.map((i) => cases[i].eff),
              backgroundColor: idx.map((i) => familyColor(cases[i].family)),
              xAxisID: "x",
            },
            {
              label: "executed TFLOP/s",
              data: idx.map((i) => cases[i].exec),
              backgroundColor: "rgba(120,120,120,0.45)",
              xAxisID: "x",
            },
            {
              label: "GB/s (top axis)",
              data: idx.map((i) => cases[i].gbps),
              backgroundColor: "rgba(0,0,0,0)",
              borderColor: "#333",
              borderWidth: 1,
              xAxisID: "x2",
            },
          ],
        },
        options: {
          indexAxis: "y",
          scales: {
            x: linAxis("TFLOP/s", 0),
            x2: Object.assign(linAxis("GB/s", 0), {
              position: "top",
              grid: { drawOnChartArea: false },
            }),
            y: { ticks: { autoSkip: false, font: { size: 10 } } },
          },
          plugins: {
            title: { display: true, text: g.title },
            tooltip: {
              callbacks: {
                title: (items) => (items.length ? cases[idx[items[0].dataIndex]].id : ""),
              },
            },
          },
        },
      };
    };
    const height = () => {
      const g = groups[Number(select.value)];
      return 110 + 26 * g.cases.filter((i) => cases[i].eff !== null).length;
    };
    entry = addChart(detail, "throughput per case", detailConfig, { height: height() });
    select.addEventListener("change", () => {
      entry.box.style.height = `${height()}px`;
      createChart(entry);
    });
  }

  // ---------- roofline ----------

  function renderRoofline() {
    const p = data.peaks;
    if (!p || !(p.fmaTflops > 0) || !(p.copyGbps > 0)) return;
    const section = document.getElementById("roofline");
    section.hidden = false;
    const note = document.getElementById("roofline-note");
    note.textContent =
      `Executed TFLOP/s against arithmetic intensity (executed FLOPs per byte of ` +
      `the minimum traffic model), under the device's measured ceilings: ${fmt(p.fmaTflops)} ` +
      `TFLOP/s f32 FMA${p.fmaF16Tflops ? `, ${fmt(p.fmaF16Tflops)} f16` : ""} and ` +
      `${fmt(p.copyGbps)} GB/s copy bandwidth (${p.method}).`;
    const box = document.getElementById("roofline-chart");
    const pts = [];
    cases.forEach((c, i) => {
      if (c.exec !== null && c.intensity !== null && c.exec > 0 && c.intensity > 0) {
        pts.push({ x: c.intensity, y: c.exec, c: i });
      }
    });
    if (!pts.length) {
      emptyBox(box, "Roofline", "no ok case with an arithmetic intensity");
      return;
    }
    const xs = pts.map((q) => q.x);
    const x0 = Math.min(...xs, 0.5) / 2;
    const x1 = Math.max(...xs, (p.fmaF16Tflops || p.fmaTflops) * 1000 / p.copyGbps) * 2;
    const roof = (peak) => {
      const ridge = peak * 1000 / p.copyGbps;
      return [
        { x: x0, y: x0 * p.copyGbps / 1000 },
        { x: ridge, y: peak },
        { x: x1, y: peak },
      ];
    };
    const datasets = [
      ...familyDatasets(pts),
      lineDataset("f32 FMA roof", roof(p.fmaTflops), "#333"),
    ];
    if (p.fmaF16Tflops) {
      datasets.push(lineDataset("f16 FMA roof", roof(p.fmaF16Tflops), "#888", [6, 4]));
    }
    addChart(box, "roofline", () => ({
      type: "scatter",
      data: { datasets },
      options: {
        parsing: false,
        scales: {
          x: Object.assign(logAxis("arithmetic intensity (FLOP/byte, log)"), { min: x0, max: x1 }),
          y: logAxis("executed TFLOP/s (log)"),
        },
        plugins: { tooltip: caseTooltip },
      },
    }), { wide: true, height: 440 });
  }

  // ---------- baseline ----------

  function renderBaseline() {
    const b = data.baseline;
    if (!b) return;
    document.getElementById("baseline").hidden = false;
    const body = document.getElementById("baseline-body");
    body.append(
      el("p", {
        class: "lead",
        text: b.hasVerdicts
          ? "Verdicts come from the regression gate. Δ time is the change of the median kernel " +
            "time against the baseline case with the same id."
          : `No gate verdicts were given: 'change' is an indication from the medians alone ` +
            `(slower/faster when the medians differ by at least ${pct(b.threshold, false)} and ` +
            `their 95% confidence intervals do not overlap). Run the gate for a verdict.`,
      }),
    );
    if (b.adapterMismatch) {
      body.append(
        el("p", {
          class: "warn",
          text: `Different adapters: ${b.adapterMismatch}. Times are not comparable.`,
        }),
      );
    }
    const chips = el("div", { class: "chips" });
    for (const [k, n] of Object.entries(b.counts).sort((x, y) => y[1] - x[1])) {
      const bad = [
        "slower",
        "accuracy-regressed",
        "failed",
        "newly failed",
        "regressed",
        "regression",
      ];
      chips.append(
        el("span", { class: "chip" + (bad.includes(k) ? " failed" : ""), text: `${k}: ${n}` }),
      );
    }
    body.append(chips);
    const regressed = [];
    cases.forEach((c, i) => {
      if (c.regression) regressed.push(i);
    });
    if (regressed.length) {
      body.append(el("h3", { class: "regression", text: `Regressions (${regressed.length})` }));
      const ul = el("ul", { id: "regressions" });
      for (const i of regressed) {
        const c = cases[i];
        const why = c.verdictReason || c.reason || "";
        ul.append(
          el("li", {
            text: `${c.id} — ${b.hasVerdicts ? c.verdict : c.change}` +
              (c.delta !== null
                ? `, ${pct(c.delta, true)} (${fmt(c.baseMs)} → ${fmt(c.ms)} ms)`
                : "") +
              (why ? ` — ${why}` : ""),
          }),
        );
      }
      body.append(ul);
    }
    const idx = [];
    cases.forEach((c, i) => {
      if (c.delta !== null) idx.push(i);
    });
    idx.sort((x, y) => cases[y].delta - cases[x].delta);
    const box = el("div");
    body.append(box);
    if (idx.length && ChartJs) {
      const colorFor = (c) =>
        c.regression ? "#cf222e" : (c.verdict || c.change) === "faster" ? "#1a7f37" : "#9aa5b1";
      addChart(box, "time change vs baseline", () => ({
        type: "bar",
        data: {
          labels: idx.map((i) => cases[i].id),
          datasets: [{
            label: "median time change vs baseline (%)",
            data: idx.map((i) => cases[i].delta * 100),
            backgroundColor: idx.map((i) => colorFor(cases[i])),
          }],
        },
        options: {
          scales: {
            x: {
              ticks: { display: false },
              title: { display: true, text: "cases, slowest change first" },
            },
            y: linAxis("Δ median time (%)"),
          },
          plugins: {
            legend: { display: false },
            tooltip: {
              callbacks: {
                label: (ctx) => {
                  const c = cases[idx[ctx.dataIndex]];
                  return [
                    `${pct(c.delta, true)} (${fmt(c.baseMs)} → ${fmt(c.ms)} ms)`,
                    `${b.hasVerdicts ? "verdict" : "change"}: ${c.verdict || c.change}`,
                  ];
                },
              },
            },
          },
        },
      }), { wide: true });
    } else if (ChartJs) {
      emptyBox(box, "time change vs baseline", "no case has a time in both runs");
    }
    if (b.missing.length) {
      body.append(el("h3", { text: `In the baseline but not in this run (${b.missing.length})` }));
      const ul = el("ul");
      for (const m of b.missing) {
        ul.append(
          el("li", {
            text:
              `${m.id} — was ${m.status}${m.medianMs !== null ? `, ${fmt(m.medianMs)} ms` : ""}` +
              (m.verdict ? ` — verdict: ${m.verdict}` : ""),
          }),
        );
      }
      body.append(ul);
    }
    if (b.unmatchedVerdicts.length) {
      body.append(
        el("p", {
          class: "warn",
          text: `Verdicts for ids in neither run: ${b.unmatchedVerdicts.join(", ")}`,
        }),
      );
    }
  }

  // ---------- the table ----------

  function renderTable() {
    const b = data.baseline;
    const num = (key, title, f) => ({
      key,
      title,
      num: true,
      value: (c) => c[key],
      show: f || ((v) => fmt(v)),
    });
    const cols = [
      { key: "id", title: "case", value: (c) => c.id, cls: "id" },
      { key: "family", title: "family", value: (c) => c.family },
      { key: "dtype", title: "dtype", value: (c) => c.dtype },
      {
        key: "shape",
        title: "shape",
        value: (c) => c.dims + (c.label ? ` ${c.label}` : ""),
      },
      { key: "status", title: "status", value: (c) => c.status, cls: (c) => `status-${c.status}` },
      { key: "reason", title: "reason", value: (c) => c.reason || "", cls: "reason" },
      num("ms", "median ms"),
      num("noise", "noise", (v) => pct(v, false)),
      num("eff", "eff. TFLOP/s"),
      num("exec", "exec. TFLOP/s"),
      num("gbps", "GB/s"),
      num("speedup", "× dense"),
      num("batchMs", "batch ms"),
      num("batchGbps", "batch GB/s"),
      num("batchPctStream", "batch % stream", (v) => (v === null ? "–" : `${fmt(v, 2)}%`)),
      num("batchSpeedup", "batch × dense"),
      num("vsAnchor", "× torch"),
      num("flopRed", "FLOPs ÷"),
      {
        key: "corr",
        title: "correctness",
        value: (c) => c.corrErr,
        num: true,
        show: (_v, c) =>
          c.corrPassed === null
            ? "–"
            : `${c.corrPassed ? "✓" : "✗"} ${fmt(c.corrErr, 2)} / ${fmt(c.corrTol, 1)}`,
        cls: (c) => (c.corrPassed === false ? "status-failed" : ""),
      },
      num("approx", "approx. rel. err", (v) => fmt(v, 2)),
      { key: "pareto", title: "Pareto", value: (c) => (c.pareto ? "yes" : "") },
    ];
    if (b) {
      cols.push(num("baseMs", "base ms"));
      cols.push({
        key: "delta",
        title: "Δ time",
        num: true,
        value: (c) => c.delta,
        show: (v) => pct(v, true),
        cls: (
          c,
        ) => (c.regression ? "regression" : c.delta !== null && c.delta < 0 ? "improvement" : ""),
      });
      cols.push({
        key: "verdict",
        title: b.hasVerdicts ? "verdict" : "change",
        value: (c) => (b.hasVerdicts ? c.verdict || "" : c.change || ""),
        cls: (c) => (c.regression ? "regression" : ""),
        title2: (c) => c.verdictReason,
      });
    }

    const table = document.getElementById("cases-table");
    const headRow = table.tHead.rows[0];
    const tbody = table.tBodies[0];
    const rows = cases.map((c) => {
      const tr = document.createElement("tr");
      for (const col of cols) {
        const v = col.value(c);
        const td = document.createElement("td");
        td.textContent = col.show ? col.show(v, c) : v === null || v === undefined ? "" : String(v);
        let cls = (typeof col.cls === "function" ? col.cls(c) : col.cls || "") + ` col-${col.key}`;
        if (col.num) cls += " num";
        if (cls.trim()) td.className = cls.trim();
        if (col.title2 && col.title2(c)) td.title = col.title2(c);
        tr.append(td);
      }
      return tr;
    });
    const haystack = cases.map((c) =>
      [c.id, c.family, c.status, c.reason || "", c.verdict || "", c.change || "", c.label || ""]
        .join("\n").toLowerCase()
    );

    const collator = new Intl.Collator(undefined, { numeric: true });
    let order = cases.map((_, i) => i);
    let sortKey = null;
    let sortDir = 1;
    cols.forEach((col, ci) => {
      const th = el("th", { scope: "col", "data-key": col.key, class: `col-${col.key}` });
      const btn = el("button", { type: "button", text: col.title });
      btn.addEventListener("click", () => {
        sortDir = sortKey === col.key ? -sortDir : 1;
        sortKey = col.key;
        const vals = cases.map((c) => col.value(c));
        const isNull = (v) => v === null || v === undefined || v === "";
        order = cases.map((_, i) => i).sort((a, b2) => {
          const va = vals[a];
          const vb = vals[b2];
          if (isNull(va) || isNull(vb)) {
            return isNull(va) === isNull(vb) ? a - b2 : isNull(va) ? 1 : -1;
          }
          const d = col.num ? va - vb : collator.compare(String(va), String(vb));
          return d === 0 ? a - b2 : d * sortDir;
        });
        for (const h of headRow.cells) h.removeAttribute("aria-sort");
        headRow.cells[ci].setAttribute("aria-sort", sortDir > 0 ? "ascending" : "descending");
        draw(true);
      });
      th.append(btn);
      headRow.append(th);
    });

    // The column chooser: columns with no value in this run, and the rarely read ones, start
    // hidden so the table fits a 1400 px window; the case id column stays in view (sticky).
    const rarely = new Set(["exec", "batchGbps", "params"]);
    const hidden = new Set(
      cols.filter((col) =>
        col.key !== "id" &&
        (rarely.has(col.key) || cases.every((c) => {
          const v = col.value(c);
          return v === null || v === undefined || v === "";
        }))
      ).map((col) => col.key),
    );
    const colStyle = el("style", { id: "column-style" });
    document.head.append(colStyle);
    const applyColumns = () => {
      colStyle.textContent = [...hidden].map((k) => `#cases-table .col-${k} { display: none; }`)
        .join("\n");
    };
    const chooser = el("details", { class: "columns", id: "column-chooser" });
    chooser.append(el("summary", { text: "columns" }));
    const boxes = el("div");
    for (const col of cols) {
      if (col.key === "id") continue;
      const cb = el("input", { type: "checkbox", "data-key": col.key });
      cb.checked = !hidden.has(col.key);
      cb.addEventListener("change", () => {
        if (cb.checked) hidden.delete(col.key);
        else hidden.add(col.key);
        applyColumns();
      });
      boxes.append(el("label", {}, cb, ` ${col.title}`));
    }
    chooser.append(boxes);
    applyColumns();

    const text = document.getElementById("case-filter");
    const status = document.getElementById("status-filter");
    const family = document.getElementById("family-filter");
    for (const f of families) family.append(el("option", { value: f.name, text: f.name }));
    const count = document.getElementById("case-count");
    count.parentElement.append(chooser);

    const PAGE = 400;
    let limit = PAGE;
    const more = el("button", { type: "button", id: "show-more" });
    const all = el("button", { type: "button", id: "show-all", text: "show all" });
    count.after(more, all);
    more.addEventListener("click", () => {
      limit += PAGE;
      draw(true);
    });
    all.addEventListener("click", () => {
      limit = Infinity;
      draw(true);
    });

    /** Shows the first `limit` matching rows in the current order (rows not shown are detached,
     * so large runs stay fast to sort and filter). */
    function draw(keepLimit) {
      if (!keepLimit && limit !== Infinity) limit = PAGE;
      const q = text.value.trim().toLowerCase();
      const st = status.value;
      const fam = family.value;
      const shown = [];
      let matching = 0;
      for (const i of order) {
        const c = cases[i];
        if (st && c.status !== st) continue;
        if (fam && c.family !== fam) continue;
        if (q && !haystack[i].includes(q)) continue;
        matching++;
        if (shown.length < limit) shown.push(rows[i]);
      }
      tbody.replaceChildren(...shown);
      count.textContent = `${matching} of ${cases.length} cases match` +
        (shown.length < matching ? ` · first ${shown.length} shown` : "");
      const rest = matching - shown.length;
      more.hidden = rest <= 0;
      all.hidden = rest <= PAGE;
      more.textContent = `show ${Math.min(PAGE, rest)} more`;
    }
    let timer = 0;
    text.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => draw(false), cases.length > 500 ? 150 : 0);
    });
    status.addEventListener("change", () => draw(false));
    family.addEventListener("change", () => draw(false));
    draw(false);
  }

  if (ChartJs) {
    renderHeadline();
    renderFlops();
    renderThroughput();
    renderRoofline();
  } else {
    const note = "Charts are missing: Chart.js was not available when this report was rendered. " +
      "Re-render it with `deno task report results.json` in a tilebench checkout whose npm " +
      "packages are installed (no GPU needed).";
    document.querySelector("main").prepend(el("p", { class: "warn", id: "no-charts", text: note }));
    for (const id of ["headline", "flops", "throughput"]) {
      const section = document.getElementById(id);
      section.replaceChildren(section.querySelector("h2"), el("p", { class: "note", text: note }));
    }
  }
  renderBaseline();
  renderTable();
  state.ready = true;
  state.readyMs = performance.now();
  document.documentElement.dataset.ready = "true";
})();
