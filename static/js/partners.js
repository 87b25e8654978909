// Maps and charts of the partners pages (a partner's place, a unit's portfolio), drawn with ECharts.
// Data comes from json_script elements and the world map from the vendored world-atlas TopoJSON, fetched
// from this server: the Content Security Policy forbids inline scripts, and nothing loads from outside.
(function () {
  "use strict";

  const MAP_NAME = "world";
  const ANTARCTICA = "010"; // takes a fifth of the height and holds no partner
  const instances = [];
  let atlas = null;

  function readData(id) {
    const element = id ? document.getElementById(id) : null;
    return element ? JSON.parse(element.textContent) : null;
  }

  function escapeHtml(text) {
    return echarts.format.encodeHTML(String(text == null ? "" : text));
  }

  // world-atlas ids are ISO 3166-1 numeric codes as zero-padded strings ("704"); a few areas have none.
  function featureKey(feature) {
    return feature.id ? String(feature.id) : "x-" + ((feature.properties && feature.properties.name) || "");
  }

  // A few rings (Fiji, Chukotka) cross the antimeridian: drawn on a flat map they would streak across
  // the world. Their points on the far side are moved onto the 180th meridian of the side they belong to.
  function unwrapAntimeridian(geometry) {
    if (!geometry) { return; }
    const polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.type === "MultiPolygon" ? geometry.coordinates : [];
    polygons.forEach((polygon) => polygon.forEach((ring) => {
      const xs = ring.map((point) => point[0]);
      if (Math.max(...xs) - Math.min(...xs) <= 180) { return; }
      const east = xs.filter((x) => x > 0).length >= xs.length / 2;
      ring.forEach((point) => {
        if (east && point[0] < 0) { point[0] = 180; }
        if (!east && point[0] > 0) { point[0] = -180; }
      });
    }));
  }

  function loadAtlas(url) {
    if (!atlas) {
      atlas = fetch(url, { credentials: "same-origin" })
        .then((response) => {
          if (!response.ok) { throw new Error("world map: HTTP " + response.status); }
          return response.json();
        })
        .then((world) => {
          const geo = topojson.feature(world, world.objects.countries);
          geo.features = geo.features.filter((feature) => feature.id !== ANTARCTICA);
          geo.features.forEach((feature) => {
            feature.properties = Object.assign({}, feature.properties, { numeric: featureKey(feature) });
            unwrapAntimeridian(feature.geometry);
          });
          echarts.registerMap(MAP_NAME, geo);
          return geo;
        });
    }
    return atlas;
  }

  function start(element) {
    const chart = echarts.init(element, null, { renderer: "canvas" });
    instances.push(chart);
    return chart;
  }

  // Countries are named from the product's country table (Vietnamese names), never from the atlas's
  // English names; an area without an ISO code stays unnamed.
  function areaName(names, key) {
    const code = String(key || "");
    return names[code] || (code.startsWith("x-") ? "" : code);
  }

  // The extent of a country's largest polygon, to centre the map on it (whole multipolygons such as
  // the United States with the Aleutians cross the antimeridian and would span the world).
  function extent(feature) {
    const polygons = feature.geometry.type === "Polygon" ? [feature.geometry.coordinates] : feature.geometry.coordinates;
    let best = null;
    polygons.forEach((polygon) => {
      const xs = polygon[0].map((point) => point[0]);
      const ys = polygon[0].map((point) => point[1]);
      const box = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
      const area = (box[2] - box[0]) * (box[3] - box[1]);
      if (!best || area > best.area) { best = { box: box, area: area }; }
    });
    return best ? best.box : null;
  }

  // The same colours as the status badges of static/css/app.css.
  const STATUS_COLOURS = {
    exploring: "#6f42c1",
    goodwill_exchanged: "#0dcaf0",
    negotiating: "#fd7e14",
    established: "#0d6efd",
    active: "#198754",
    dormant: "#6c757d",
    ended: "#212529",
    postponed: "#ffc107",
  };

  const BASE_AREA = { areaColor: "#e9ecef", borderColor: "#adb5bd", borderWidth: 0.5 };

  // The world map's options shared by the partner's map (a geo component) and the portfolio's (a map
  // series): the margin on either side and the colour of the area under the pointer differ.
  function worldMap(sideMargin, highlight) {
    return {
      map: MAP_NAME,
      nameProperty: "numeric",
      roam: true,
      left: sideMargin,
      right: sideMargin,
      top: 4,
      bottom: 4,
      scaleLimit: { min: 1, max: 40 },
      itemStyle: BASE_AREA,
      emphasis: { label: { show: false }, itemStyle: { areaColor: highlight } },
      select: { disabled: true },
    };
  }

  function drawPartnerMap(element, data, geo) {
    const chart = start(element);
    const feature = geo.features.find((item) => item.properties.numeric === data.country);
    const option = {
      tooltip: {
        trigger: "item",
        formatter: (params) => escapeHtml(params.seriesType === "scatter" ? params.name : areaName(data.names, params.name)),
      },
      geo: {
        ...worldMap(4, "#cfe2ff"),
        regions: data.country ? [{ name: data.country, itemStyle: { areaColor: "#0d6efd", borderColor: "#084298" } }] : [],
      },
      series: [
        {
          type: "scatter",
          coordinateSystem: "geo",
          symbolSize: 10,
          itemStyle: { color: "#dc3545", borderColor: "#fff", borderWidth: 1 },
          data: data.point ? [{ name: data.point.name, value: [data.point.lon, data.point.lat] }] : [],
        },
      ],
    };
    const box = feature ? extent(feature) : null;
    if (box) {
      const width = Math.max(box[2] - box[0], 1);
      const height = Math.max(box[3] - box[1], 1);
      option.geo.zoom = Math.min(Math.max(Math.min(300 / width, 120 / height) * 0.35, 1), 12);
      option.geo.center = [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2];
    }
    if (data.point) {
      option.geo.center = [data.point.lon, data.point.lat];
      option.geo.zoom = Math.max(option.geo.zoom || 1, 3);
    }
    chart.setOption(option);
  }

  function drawPortfolioMap(element, data) {
    const chart = start(element);
    const labels = data.labels;
    const most = data.countries.reduce((max, item) => Math.max(max, item.value), 1);
    chart.setOption({
      tooltip: {
        trigger: "item",
        formatter: (params) => {
          const count = typeof params.value === "number" && !Number.isNaN(params.value)
            ? params.value + " " + labels.partners : labels.noData;
          return [areaName(data.names, params.name), count].filter(Boolean).map(escapeHtml).join("<br>");
        },
      },
      visualMap: {
        type: "continuous",
        min: 0,
        max: most,
        left: 8,
        bottom: 8,
        itemHeight: 90,
        itemWidth: 12,
        calculable: false,
        precision: 0,
        text: [String(most), "0"],
        textGap: 6,
        inRange: { color: ["#9ec5fe", "#0a58ca", "#052c65"] },
      },
      series: [
        {
          type: "map",
          ...worldMap(8, "#ffc107"),
          data: data.countries,
        },
      ],
    });
  }

  function drawStatuses(element, data) {
    const chart = start(element);
    chart.setOption({
      tooltip: { trigger: "item", formatter: (params) => escapeHtml(params.name + ": " + params.value + " (" + params.percent + "%)") },
      series: [
        {
          type: "pie",
          radius: ["38%", "68%"],
          center: ["50%", "52%"],
          avoidLabelOverlap: true,
          label: { formatter: "{b}: {c}", fontSize: 11 },
          data: data.statuses.map((item) => Object.assign({ itemStyle: { color: STATUS_COLOURS[item.status] || "#6c757d" } }, item)),
        },
      ],
    });
  }

  function drawFields(element, data) {
    if (!data.fields.length) {
      element.classList.add("portfolio-chart-empty");
      element.textContent = data.labels.none;
      return;
    }
    // One bar per field, the largest on top; the chart grows with the number of fields.
    element.style.height = Math.max(140, data.fields.length * 26 + 40) + "px";
    const rows = data.fields.slice().reverse();
    const chart = start(element);
    chart.setOption({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, formatter: (params) => escapeHtml(params[0].name + ": " + params[0].value + " " + data.labels.relationships) },
      grid: { left: 8, right: 24, top: 8, bottom: 24, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: rows.map((row) => row[0]), axisLabel: { width: 180, overflow: "truncate", fontSize: 11 } },
      series: [{ type: "bar", data: rows.map((row) => row[1]), itemStyle: { color: "#0d6efd" }, barMaxWidth: 18, label: { show: true, position: "right", fontSize: 11 } }],
    });
  }

  function showFailure(element, error) {
    element.classList.add("portfolio-chart-empty");
    element.textContent = element.dataset.failure || String(error);
  }

  document.addEventListener("DOMContentLoaded", () => {
    if (typeof echarts === "undefined") { return; }
    document.querySelectorAll(".js-chart").forEach((element) => {
      const data = readData(element.dataset.source);
      if (!data) { return; }
      if (element.dataset.chart === "statuses") { drawStatuses(element, data); }
      if (element.dataset.chart === "fields") { drawFields(element, data); }
    });
    document.querySelectorAll(".js-world-map").forEach((element) => {
      const data = readData(element.dataset.source);
      if (!data || typeof topojson === "undefined") { return; }
      loadAtlas(element.dataset.atlas)
        .then((geo) => {
          if (element.dataset.mode === "partner") { drawPartnerMap(element, data, geo); } else { drawPortfolioMap(element, data); }
        })
        .catch((error) => showFailure(element, error));
    });
    const resize = () => instances.forEach((chart) => chart.resize());
    window.addEventListener("resize", resize);
    // Printing lays the page out again (narrower, charts stacked): redraw the charts to their new boxes.
    window.addEventListener("beforeprint", resize);
    window.addEventListener("afterprint", resize);
    if (window.matchMedia) { window.matchMedia("print").addEventListener("change", resize); }
  });
})();
