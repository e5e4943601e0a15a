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
    tooltip: { trigger: "axis" },
  });
  window.addEventListener("resize", () => chart.resize());
})();
