// Tooltips are drawn by echarts inside the chart (renderMode "richText"):
// its HTML tooltips carry style attributes, which the page's
// Content-Security-Policy refuses.

// Draws the home page's bar chart of staff by stationed department.
(function () {
  const el = document.getElementById("dept-chart");
  const data = document.getElementById("dept-chart-data");
  if (!el || !data || typeof echarts === "undefined") return;
  const d = JSON.parse(data.textContent);
  const chart = echarts.init(el, null, { renderer: "svg" });
  chart.setOption({
    grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: d.labels },
    series: [{ type: "bar", data: d.values, itemStyle: { color: "#0d6efd" }, label: { show: true, position: "right" } }],
    tooltip: { renderMode: "richText", trigger: "axis" },
  });
  window.addEventListener("resize", () => chart.resize());
})();

// Line charts declared in markup (data-chart="line"), also when htmx brings
// them in later, e.g. a unit's score history.
(function () {
  function draw(root) {
    if (typeof echarts === "undefined") return;
    root.querySelectorAll("[data-chart=line]:not([data-drawn])").forEach((el) => {
      el.setAttribute("data-drawn", "1");
      const chart = echarts.init(el, null, { renderer: "svg" });
      chart.setOption({
        grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
        xAxis: { type: "category", data: el.dataset.chartX.split(",") },
        yAxis: { type: "value", scale: true, max: 100 },
        series: [{
          name: el.dataset.chartName, type: "line", smooth: true,
          data: el.dataset.chartY.split(",").map(Number), label: { show: true },
        }],
        tooltip: { renderMode: "richText", trigger: "axis" },
      });
      window.addEventListener("resize", () => chart.resize());
    });
  }
  draw(document);
  document.body.addEventListener("htmx:afterSettle", (event) => draw(event.target));
})();

// The rectification dashboard: problems raised and closed by month, and the
// share closed on time.
(function () {
  const el = document.getElementById("closure-chart");
  const data = document.getElementById("closure-chart-data");
  if (!el || !data || typeof echarts === "undefined") return;
  const d = JSON.parse(data.textContent);
  const chart = echarts.init(el, null, { renderer: "svg" });
  chart.setOption({
    grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true },
    legend: { top: 0 },
    xAxis: { type: "category", data: d.labels },
    yAxis: [{ type: "value", minInterval: 1 }, { type: "value", max: 100, show: false }],
    series: [
      { name: el.dataset.raised, type: "bar", data: d.raised, itemStyle: { color: "#dc3545" } },
      { name: el.dataset.closed, type: "bar", data: d.closed, itemStyle: { color: "#198754" } },
      { name: el.dataset.onTime, type: "line", yAxisIndex: 1, smooth: true, data: d.on_time_rate },
    ],
    tooltip: { renderMode: "richText", trigger: "axis" },
  });
  window.addEventListener("resize", () => chart.resize());
})();

// The service dashboard: average wait and satisfaction by window.
(function () {
  const el = document.getElementById("window-chart");
  const data = document.getElementById("window-chart-data");
  if (!el || !data || typeof echarts === "undefined") return;
  const d = JSON.parse(data.textContent);
  const chart = echarts.init(el, null, { renderer: "svg" });
  chart.setOption({
    grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true },
    legend: { top: 0 },
    xAxis: { type: "category", data: d.labels },
    yAxis: [{ type: "value" }, { type: "value", max: 100, show: false }],
    series: [
      { name: el.dataset.wait, type: "bar", data: d.wait, itemStyle: { color: "#0d6efd" } },
      { name: el.dataset.satisfaction, type: "line", yAxisIndex: 1, data: d.satisfaction, itemStyle: { color: "#198754" } },
    ],
    tooltip: { renderMode: "richText", trigger: "axis" },
  });
  window.addEventListener("resize", () => chart.resize());
})();

// The service dashboard: mean wait by weekday and hour.
(function () {
  const el = document.getElementById("wait-heatmap");
  const data = document.getElementById("wait-heatmap-data");
  if (!el || !data || typeof echarts === "undefined") return;
  const d = JSON.parse(data.textContent);
  const days = el.dataset.days.split(",");
  const max = Math.max(1, ...d.data.map((c) => c[2]));
  const chart = echarts.init(el, null, { renderer: "svg" });
  chart.setOption({
    grid: { left: 8, right: 8, top: 8, bottom: 48, containLabel: true },
    xAxis: { type: "category", data: d.hours, splitArea: { show: true } },
    yAxis: { type: "category", data: days, inverse: true, splitArea: { show: true } },
    visualMap: { min: 0, max: max, calculable: true, orient: "horizontal", left: "center", bottom: 0, inRange: { color: ["#e8f5e9", "#ffeb3b", "#d32f2f"] } },
    series: [{ type: "heatmap", data: d.data, label: { show: true, fontSize: 10 } }],
    tooltip: { renderMode: "richText", position: "top" },
  });
  window.addEventListener("resize", () => chart.resize());
})();

// The before/after report: each window's OSM score change against its
// service change, with the robust (Theil–Sen) line across the windows.
(function () {
  if (typeof echarts === "undefined") return;
  document.querySelectorAll("[data-chart=evidence]").forEach((el) => {
    const data = document.getElementById(el.dataset.source);
    if (!data) return;
    const d = JSON.parse(data.textContent);
    const chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      grid: { left: 30, right: 16, top: 16, bottom: 28, containLabel: true },
      xAxis: { type: "value", name: d.x_name, nameLocation: "middle", nameGap: 24, scale: true },
      yAxis: { type: "value", name: d.y_name, nameLocation: "middle", nameGap: 36, scale: true },
      series: [
        {
          type: "scatter", data: d.points, symbolSize: 7, itemStyle: { color: "#0d6efd", opacity: 0.75 },
          encode: { x: 0, y: 1, tooltip: [2, 0, 1] },
        },
        {
          name: d.line_name, type: "line", data: d.line, showSymbol: false,
          lineStyle: { color: "#dc3545", width: 2 }, tooltip: { show: false },
        },
      ],
      tooltip: { renderMode: "richText", trigger: "item", formatter: (p) => `${p.data[2]}: ${p.data[0]}, ${p.data[1]}` },
    });
    window.addEventListener("resize", () => chart.resize());
  });
})();
