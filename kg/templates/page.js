/* Page script of the knowledge-graph view written by kg/html.py.
 *
 * Every string in DATA comes from the input reports, so it reaches the DOM only through
 * textContent, new Option(text) and vis tooltips built as DOM elements: never innerHTML.
 * The layout was computed in Python; vis physics only polishes it, then is switched off so
 * the picture stays still. Filters work on vis DataViews over the node and edge DataSets.
 */
(function () {
  "use strict";

  var scriptStart = performance.now();
  var DATA = JSON.parse(document.getElementById("kg-data").textContent);
  var INFO = DATA.info;
  var LABEL = {};
  var CLASS = {};
  var REL = {};
  var SUB = DATA.style.subclasses;
  var RELATION_CLASSES = { Partnership: true, Achievement: true };
  DATA.nodes.forEach(function (n) { LABEL[n.id] = n.full; });
  DATA.style.classes.forEach(function (c) { CLASS[c.key] = c; });
  Object.keys(DATA.style.relations).forEach(function (k) {
    REL[k] = Object.assign({ key: k }, DATA.style.relations[k]);
  });

  function $(id) { return document.getElementById(id); }

  /* A DOM element holding plain text: the one way data text enters the page. */
  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) { e.className = className; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function swatch(shape, color) {
    var s = el("span", "kg-swatch kg-shape-" + shape);
    s.style.backgroundColor = color;
    return s;
  }

  function classLine(info) {
    var c = CLASS[info.cls];
    var text = c.zh + " " + c.key;
    if (info.sub && info.sub !== info.cls) { text += " · " + (SUB[info.sub] ? SUB[info.sub].zh : "") + " " + info.sub; }
    return text;
  }

  /* Details of one node as DOM: used for the hover tooltip and the side panel. */
  function describe(id, compact) {
    var info = INFO[id];
    var box = el("div", compact ? "kg-tip" : "kg-card");
    box.appendChild(el("div", "kg-tip-title", LABEL[id]));
    box.appendChild(el("div", "kg-tip-class", classLine(info)));
    var dl = el("dl", "kg-facts");
    function fact(key, value) {
      dl.appendChild(el("dt", null, key));
      dl.appendChild(el("dd", null, value));
    }
    if (info.aliases.length) { fact("别名 aliases", info.aliases.join("、")); }
    info.facts.forEach(function (f) { fact(f[0] + " " + f[1], f[2]); });
    if (dl.childNodes.length) { box.appendChild(dl); }
    info.evidence.forEach(function (text) { box.appendChild(el("blockquote", "kg-evidence", text)); });
    if (info.docs.length) {
      box.appendChild(el("div", "kg-tip-head", "来源文档 documents (" + info.docs.length + ")"));
      var ul = el("ul", "kg-docs");
      info.docs.slice(0, compact ? 4 : info.docs.length).forEach(function (d) {
        var doc = DATA.docs[d];
        var li = el("li", null, doc.headline);
        li.appendChild(el("span", "kg-file", doc.fileName));
        ul.appendChild(li);
      });
      if (compact && info.docs.length > 4) { ul.appendChild(el("li", "kg-more", "…")); }
      box.appendChild(ul);
    }
    return box;
  }

  function describeEdge(e) {
    var box = el("div", "kg-tip");
    box.appendChild(el("div", "kg-tip-title", REL[e.rel].zh + " · " + e.rel));
    box.appendChild(el("div", "kg-tip-class", LABEL[e.from] + " → " + LABEL[e.to]));
    return box;
  }

  /* ---- network ------------------------------------------------------------------------ */
  var nodes = new vis.DataSet(DATA.nodes.map(function (n) {
    return Object.assign({}, n, { title: describe(n.id, true) });
  }));
  var edges = new vis.DataSet(DATA.edges.map(function (e) {
    return Object.assign({}, e, { title: describeEdge(e) });
  }));
  var state = { classes: {}, doc: "", year: "", hierarchy: true };
  DATA.style.classes.forEach(function (c) { state.classes[c.key] = true; });
  var visible = new Set();
  var neighbours = {};
  DATA.nodes.forEach(function (n) { neighbours[n.id] = []; });
  DATA.edges.forEach(function (e) {
    if (!e.hier) { neighbours[e.from].push(e.to); neighbours[e.to].push(e.from); }
  });

  function selectedDocs() {
    if (!state.doc) { return null; }
    var cut = state.doc.indexOf(":");
    var kind = state.doc.slice(0, cut);
    var iri = state.doc.slice(cut + 1);
    if (kind === "doc") { return new Set([iri]); }
    return new Set(Object.keys(DATA.docs).filter(function (d) {
      return DATA.docs[d].about.indexOf(iri) >= 0;
    }));
  }

  /* Nodes that pass the document/year filters; a Partnership or Achievement that passes
     brings its participants along, since the relation itself was read from that document. */
  function computeVisible() {
    var docs = selectedDocs();
    var base = new Set();
    DATA.nodes.forEach(function (n) {
      var info = INFO[n.id];
      if (docs && !info.docs.some(function (d) { return docs.has(d); })) { return; }
      if (state.year && info.years.indexOf(state.year) < 0) { return; }
      base.add(n.id);
    });
    if (docs || state.year) {
      Array.from(base).forEach(function (id) {
        if (RELATION_CLASSES[INFO[id].cls]) {
          neighbours[id].forEach(function (m) { base.add(m); });
        }
      });
    }
    visible = new Set();
    DATA.nodes.forEach(function (n) {
      if (base.has(n.id) && state.classes[n.cls] && (state.hierarchy || !n.hier)) {
        visible.add(n.id);
      }
    });
  }
  computeVisible();

  var nodesView = new vis.DataView(nodes, { filter: function (n) { return visible.has(n.id); } });
  var edgesView = new vis.DataView(edges, {
    filter: function (e) {
      return visible.has(e.from) && visible.has(e.to) && (state.hierarchy || !e.hier);
    }
  });
  var container = $("kg-network");
  var network = new vis.Network(container, { nodes: nodesView, edges: edgesView }, DATA.options);
  var networkCreated = performance.now();

  /* Keep where physics and dragging put the nodes, so a node a filter brings back returns
     to its place rather than to the precomputed one. */
  function savePositions() {
    var pos = network.getPositions();
    nodes.update(Object.keys(pos).map(function (id) {
      return { id: id, x: Math.round(pos[id].x), y: Math.round(pos[id].y) };
    }));
  }

  function updateStats() {
    $("kg-stats").textContent = "节点 nodes " + nodesView.length + " / " + nodes.length +
      " · 关系 edges " + edgesView.length + " / " + edges.length;
    $("kg-empty").hidden = nodesView.length > 0;
  }

  function applyFilters() {
    if (view.ready) { savePositions(); }
    computeVisible();
    nodesView.refresh();
    edgesView.refresh();
    updateStats();
    if (highlighted && !visible.has(highlighted)) { clearHighlight(false); }
  }

  /* ---- details panel, search, highlight ------------------------------------------------ */
  var highlighted = null;
  var fitScale = 1;

  function showDetails(id) {
    var body = $("kg-details-body");
    body.replaceChildren(describe(id, false));
    $("kg-details").hidden = false;
  }

  function hideDetails() { $("kg-details").hidden = true; }

  function clearHighlight(refit) {
    highlighted = null;
    network.unselectAll();
    hideDetails();
    $("kg-search-status").textContent = "";
    if (refit) { network.fit({ animation: { duration: 300 } }); }
  }

  var searchIndex = DATA.nodes.map(function (n) {
    return {
      id: n.id,
      label: n.full.toLowerCase(),
      aliases: INFO[n.id].aliases.map(function (a) { return a.toLowerCase(); })
    };
  });

  /* Best match for a query: exact name, exact alias, prefix, then substring; visible nodes
     first, shorter names first. */
  function findNode(query) {
    var q = query.trim().toLowerCase();
    if (!q) { return null; }
    var tests = [
      function (s) { return s.label === q; },
      function (s) { return s.aliases.indexOf(q) >= 0; },
      function (s) { return s.label.indexOf(q) === 0; },
      function (s) { return s.aliases.some(function (a) { return a.indexOf(q) === 0; }); },
      function (s) { return s.label.indexOf(q) >= 0; },
      function (s) { return s.aliases.some(function (a) { return a.indexOf(q) >= 0; }); }
    ];
    for (var i = 0; i < tests.length; i++) {
      var hits = searchIndex.filter(tests[i]);
      if (hits.length) {
        hits.sort(function (a, b) {
          return (visible.has(b.id) - visible.has(a.id)) || (a.label.length - b.label.length) ||
            (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
        });
        return hits[0].id;
      }
    }
    return null;
  }

  function highlight(id) {
    var status = $("kg-search-status");
    if (!visible.has(id)) {
      status.textContent = "「" + LABEL[id] + "」已被筛选隐藏 hidden by a filter";
      return false;
    }
    highlighted = id;
    network.selectNodes([id]);
    // close enough to read the neighbours' labels, not so close that the hubs fill the view
    var scale = Math.max(network.getScale(), Math.min(1.0, Math.max(0.6, 3 * fitScale)));
    network.focus(id, { scale: scale, animation: { duration: 400 } });
    showDetails(id);
    status.textContent = "";
    return true;
  }

  function search(query) {
    var id = findNode(query);
    if (id === null) {
      $("kg-search-status").textContent = query.trim() ? "未找到 not found" : "";
      return null;
    }
    highlight(id);
    return id;
  }

  /* ---- controls ------------------------------------------------------------------------ */
  function buildControls() {
    var counts = {};
    DATA.nodes.forEach(function (n) { counts[n.cls] = (counts[n.cls] || 0) + 1; });
    var checks = $("kg-class-filters");
    DATA.style.classes.forEach(function (c) {
      var label = el("label", "kg-check");
      var box = el("input");
      box.type = "checkbox";
      box.checked = true;
      box.value = c.key;
      box.dataset.cls = c.key;
      box.addEventListener("change", function () {
        state.classes[c.key] = box.checked;
        applyFilters();
      });
      label.appendChild(box);
      label.appendChild(swatch(c.shape, c.color));
      label.appendChild(el("span", null, c.zh + " " + c.key));
      label.appendChild(el("span", "kg-count", counts[c.key] || 0));
      checks.appendChild(label);
    });

    var docSelect = $("kg-doc-filter");
    var about = {};
    Object.keys(DATA.docs).forEach(function (d) {
      DATA.docs[d].about.forEach(function (p) { about[p] = (about[p] || 0) + 1; });
    });
    var cities = Object.keys(about).filter(function (p) { return LABEL[p] !== undefined; }).sort();
    if (cities.length) {
      var byCity = el("optgroup");
      byCity.label = "按城市 by city";
      cities.forEach(function (p) {
        byCity.appendChild(new Option(LABEL[p] + "（" + about[p] + " 篇）", "about:" + p));
      });
      docSelect.appendChild(byCity);
    }
    var byDoc = el("optgroup");
    byDoc.label = "按文档 by document";
    Object.keys(DATA.docs).sort().forEach(function (d) {
      var doc = DATA.docs[d];
      byDoc.appendChild(new Option(doc.headline + " · " + doc.fileName, "doc:" + d));
    });
    docSelect.appendChild(byDoc);
    docSelect.addEventListener("change", function () { state.doc = docSelect.value; applyFilters(); });

    var yearSelect = $("kg-year-filter");
    DATA.years.forEach(function (y) { yearSelect.appendChild(new Option(y, y)); });
    yearSelect.addEventListener("change", function () { state.year = yearSelect.value; applyFilters(); });

    var hier = $("kg-hierarchy");
    hier.addEventListener("change", function () { state.hierarchy = hier.checked; applyFilters(); });

    var names = $("kg-names");
    var seen = new Set();
    DATA.nodes.forEach(function (n) {
      [n.full].concat(INFO[n.id].aliases).forEach(function (name) {
        if (!seen.has(name)) { seen.add(name); names.appendChild(new Option(name)); }
      });
    });
    $("kg-search-form").addEventListener("submit", function (ev) {
      ev.preventDefault();
      search($("kg-search").value);
    });
    $("kg-clear").addEventListener("click", function () {
      $("kg-search").value = "";
      clearHighlight(true);
    });
    $("kg-details-close").addEventListener("click", function () { clearHighlight(false); });

    /* one row per class, or per subtype when the subtype has its own colour */
    var rows = {};
    DATA.nodes.forEach(function (n) {
      var sub = INFO[n.id].sub;
      var own = sub && SUB[sub] && SUB[sub].color;
      var key = n.cls + "/" + (own ? sub : "");
      if (!rows[key]) {
        rows[key] = {
          order: DATA.style.classes.indexOf(CLASS[n.cls]), sub: own ? sub : "",
          text: (own ? SUB[sub].zh + " " + sub : CLASS[n.cls].zh + " " + n.cls),
          shape: CLASS[n.cls].shape, color: own ? SUB[sub].color : CLASS[n.cls].color, n: 0
        };
      }
      rows[key].n += 1;
    });
    var legend = $("kg-legend");
    Object.keys(rows).map(function (k) { return rows[k]; }).sort(function (a, b) {
      return (a.order - b.order) || (a.sub < b.sub ? -1 : a.sub > b.sub ? 1 : 0);
    }).forEach(function (row) {
      var li = el("li");
      li.appendChild(swatch(row.shape, row.color));
      li.appendChild(el("span", null, row.text));
      li.appendChild(el("span", "kg-count", row.n));
      legend.appendChild(li);
    });
    var relCounts = {};
    DATA.edges.forEach(function (e) { relCounts[e.rel] = (relCounts[e.rel] || 0) + 1; });
    var rels = $("kg-rel-legend");
    Object.keys(REL).forEach(function (k) {
      var r = REL[k];
      if (!relCounts[r.key]) { return; }
      var li = el("li");
      var line = el("span", "kg-line" + (r.key === "locatedIn" ? " kg-line-dashed" : ""));
      line.style.borderTopColor = r.color;
      li.appendChild(line);
      li.appendChild(el("span", null, r.zh + " " + r.key));
      li.appendChild(el("span", "kg-count", relCounts[r.key]));
      rels.appendChild(li);
    });
  }

  /* ---- life cycle ---------------------------------------------------------------------- */
  var view = {
    network: network,
    nodes: nodes,
    edges: edges,
    nodesView: nodesView,
    edgesView: edgesView,
    ready: false,
    timings: { scriptStart: scriptStart, networkCreated: networkCreated, stabilized: null },
    search: search,
    rescale: rescale,
    clear: function () { clearHighlight(true); },
    visibleNodeIds: function () { return nodesView.getIds(); },
    visibleEdgeIds: function () { return edgesView.getIds(); }
  };
  window.kgView = view;

  /* Semantic zoom: the biggest labels are sized in graph units so hubs stay legible when
     zoomed out, and shrunk back when zoomed in (vis's own scaling.label.maxVisible only
     fades the colour in 9.1.2, it does not cap the size). */
  var scaled = { label: 0, size: 0 };
  function rescale() {
    var s = network.getScale();
    var label = Math.round(Math.min(150, Math.max(18, 18 / s)));
    var size = Math.round(Math.min(80, Math.max(24, 14 / s)));
    if (label === scaled.label && size === scaled.size) { return; }
    scaled = { label: label, size: size };
    network.setOptions({ nodes: { scaling: { max: size, label: { max: label } } } });
    // vis applies value scaling only when data changes: touch one visible node
    var id = nodesView.getIds()[0];
    if (id !== undefined) { nodes.update({ id: id, value: nodes.get(id).value }); }
  }
  var rescaleTimer = null;
  function rescaleSoon() {
    clearTimeout(rescaleTimer);
    rescaleTimer = setTimeout(rescale, 120);
  }

  /* fit() frames the nodes, not their labels: leave room for the labels at the rim. */
  function fitWithMargin() {
    network.fit();
    network.moveTo({ scale: network.getScale() * 0.92 });
    fitScale = network.getScale();
    rescale();
  }

  function settle() {
    if (view.ready) { return; }
    network.setOptions({ physics: { enabled: false } });
    savePositions();
    fitWithMargin();
    $("kg-progress").hidden = true;
    view.ready = true;
    view.timings.stabilized = performance.now();
    document.body.setAttribute("data-kg-ready", "1");
  }

  network.on("stabilizationProgress", function (p) {
    $("kg-progress").textContent = "布局计算中 Layout… " + Math.round(100 * p.iterations / p.total) + "%";
  });
  network.once("stabilizationIterationsDone", settle);
  network.on("selectNode", function (p) {
    if (p.nodes.length === 1) { highlighted = p.nodes[0]; showDetails(p.nodes[0]); }
  });
  network.on("deselectNode", function (p) { if (!p.nodes.length) { highlighted = null; hideDetails(); } });
  network.on("zoom", rescaleSoon);
  network.on("animationFinished", rescale);
  network.on("dragEnd", function (p) { if (p.nodes.length && view.ready) { savePositions(); } });

  buildControls();
  updateStats();
  if (nodes.length === 0) { settle(); }
})();
