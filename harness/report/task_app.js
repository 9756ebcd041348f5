// Draws the task report from the JSON in #task-data: accuracy against speedup per model and
// latency batch (with the Pareto front), and loss curves per model and experiment.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("task-data").textContent);
  const ChartJs = globalThis.Chart || null;
  const COLORS = [
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
  ];
  const charts = document.getElementById("task-charts");
  function box(title) {
    const div = document.createElement("div");
    div.className = "chart";
    const h = document.createElement("h3");
    h.textContent = title;
    const canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", title);
    div.append(h, canvas);
    charts.append(div);
    return canvas;
  }
  if (!ChartJs) {
    charts.textContent = "Chart.js was not available when this page was written: no charts.";
    document.documentElement.dataset.ready = "true";
    return;
  }
  for (const s of data.scatter) {
    const byExp = new Map();
    for (const p of s.points) {
      if (!byExp.has(p.experiment)) byExp.set(p.experiment, []);
      byExp.get(p.experiment).push(p);
    }
    const datasets = [...byExp.entries()].map(([exp, pts], i) => ({
      label: exp,
      data: pts.map((p) => ({ x: p.speedup, y: p.top1, label: p.variant, std: p.std })),
      backgroundColor: COLORS[i % COLORS.length],
      pointStyle: i === 0 ? "circle" : "triangle",
      pointRadius: 6,
    }));
    datasets.push({
      label: "Pareto front",
      type: "line",
      data: s.front.map((p) => ({ x: p.speedup, y: p.top1, label: p.variant })),
      borderColor: "#5f6b76",
      borderDash: [6, 4],
      pointRadius: 0,
      fill: false,
    });
    const metric = s.metric ?? "top-1 (%)";
    const speed = s.speed ?? "speedup";
    new ChartJs(box(`${s.model}: ${metric} (${s.source}) vs ${speed} at batch ${s.batch}`), {
      type: "scatter",
      data: { datasets },
      options: {
        animation: false,
        scales: {
          x: {
            type: "logarithmic",
            title: {
              display: true,
              text: speed === "speedup"
                ? "forward speedup vs dense (×)"
                : "decode tokens/s vs dense (×)",
            },
          },
          y: { title: { display: true, text: metric } },
        },
        plugins: {
          tooltip: {
            callbacks: {
              label: (c) =>
                `${c.raw.label}: ${c.raw.y.toFixed(2)}${metric === "perplexity" ? "" : "%"}` +
                (c.raw.std ? ` ± ${c.raw.std.toFixed(2)}` : "") + `, ${c.raw.x.toFixed(2)}×`,
            },
          },
        },
      },
    });
  }
  for (const l of data.loss) {
    new ChartJs(box(`${l.model} · ${l.experiment}: training loss`), {
      type: "line",
      data: {
        datasets: l.series.map((s, i) => ({
          label: s.variant,
          data: s.curve.map((y, j) => ({ x: (j + 1) * s.every, y })),
          borderColor: COLORS[i % COLORS.length],
          pointRadius: 0,
          fill: false,
        })),
      },
      options: {
        animation: false,
        parsing: false,
        scales: {
          x: { type: "linear", title: { display: true, text: "step" } },
          y: { type: "logarithmic", title: { display: true, text: "loss (window mean)" } },
        },
      },
    });
  }
  // Screenshots (deno task report --screenshot) wait for this.
  document.documentElement.dataset.ready = "true";
})();
