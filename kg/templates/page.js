/* Page script of the knowledge-graph view written by kg/html.py.
 *
 * DATA holds the whole graph as columns (kg/html.py view_data); the page draws a bounded part
 * of it (DATA.limits.draw nodes at most): the overview (places and the strongest institutions,
 * partnerships aggregated into weighted edges) or the 1/2-hop neighbourhood of a focused node.
 * Layouts need no physics: the overview's was computed in Python, a focus is laid out in rings
 * around its centre, the map puts places at their longitude/latitude.
 *
 * Every string in DATA comes from the input reports, so it reaches the DOM only through
 * textContent and new Option(text): never innerHTML.
 */
(function () {
  "use strict";

  var scriptStart = performance.now();
  var DATA = JSON.parse(document.getElementById("kg-data").textContent);
  var ND = DATA.nodes;
  var N = ND.id.length;
  var LIMIT = Math.min(DATA.limits.draw, DATA.limits.focus);
  var STYLE = DATA.style;
  var CLASSES = STYLE.classes;
  var SUBS = STYLE.subclasses;
  var RELS = STYLE.relations;
  var FACTS = STYLE.facts;
  var CLS = ND.cls.map(function (c) { return CLASSES[c].key; });
  var LABEL = ND.label;
  var REL_INDEX = {};
  RELS.forEach(function (r, i) { REL_INDEX[r.key] = i; });
  var IS_REL = CLS.map(function (c) { return c === "Partnership" || c === "Achievement"; });
  var PARTY = { partner: "合作方", leadPartner: "牵头方", coBuilt: "共建方" };
  /* above this many partnerships a 1-hop focus draws partners with weighted lines instead */
  var MERGE_PARTNERSHIPS = 40;

  function $(id) { return document.getElementById(id); }

  /* A DOM element holding plain text: the one way data text enters the page. */
  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) { e.className = className; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  /* ---- graph structure ---------------------------------------------------------------- */
  var E = DATA.edges.length / 3;
  var eFrom = new Int32Array(E), eTo = new Int32Array(E), eRel = new Int16Array(E);
  var outE = [], inE = [];
  var degree = new Int32Array(N), strength = new Int32Array(N);
  var i, j;
  for (i = 0; i < N; i++) { outE.push([]); inE.push([]); }
  for (i = 0; i < E; i++) {
    var f = DATA.edges[3 * i], t = DATA.edges[3 * i + 1];
    eFrom[i] = f; eTo[i] = t; eRel[i] = DATA.edges[3 * i + 2];
    outE[f].push(i); inE[t].push(i);
    degree[f] += 1; degree[t] += 1;
    if (IS_REL[f] && !IS_REL[t]) { strength[t] += 1; }
  }
  var REL_NODES = [];
  for (i = 0; i < N; i++) { if (IS_REL[i]) { REL_NODES.push(i); } }
  var HIER_ONLY = new Uint8Array(N);
  ND.hier.forEach(function (k) { HIER_ONLY[k] = 1; });
  function relKey(e) { return RELS[eRel[e]].key; }
  function isHierEdge(e) { return relKey(e) === "locatedIn" && CLS[eFrom[e]] === "Place" && CLS[eTo[e]] === "Place"; }

  /* objects of node k by relation key, subjects pointing at k by relation key */
  function out(k, rel) {
    var r = [];
    outE[k].forEach(function (e) { if (!rel || relKey(e) === rel) { r.push(eTo[e]); } });
    return r;
  }
  function into(k, rel) {
    var r = [];
    inE[k].forEach(function (e) { if (!rel || relKey(e) === rel) { r.push(eFrom[e]); } });
    return r;
  }
  var PARTIES = {}, HOLDERS = {}, PARENTS = {};
  function parties(r) {
    if (PARTIES[r]) { return PARTIES[r]; }
    var list = [];
    outE[r].forEach(function (e) { if (PARTY[relKey(e)]) { list.push({ node: eTo[e], role: relKey(e) }); } });
    PARTIES[r] = list;
    return list;
  }
  function holders(r) { return HOLDERS[r] || (HOLDERS[r] = out(r, "achievedBy")); }
  function placeParents(k) {
    return PARENTS[k] || (PARENTS[k] = out(k, "locatedIn").filter(function (p) { return CLS[p] === "Place"; })
      .sort(function (a, b) { return a - b; }));
  }

  function factsOf(k) {
    return (ND.facts[k] || []).map(function (f) { return [FACTS[f[0]][0], FACTS[f[0]][1], f[1]]; });
  }
  function fact(k, en) {
    var hit = factsOf(k).filter(function (f) { return f[1] === en; });
    return hit.length ? hit.map(function (f) { return f[2]; }).join("、") : "";
  }
  var DOCS = DATA.docs.map(function (d) { return { id: d[0], headline: d[1], fileName: d[2], about: d[3], years: d[4] }; });
  var YEARS = [];
  for (i = 0; i < N; i++) {
    var ys = {};
    var date = fact(i, "date").match(/^-?(\d{4})/);
    if (date) { ys[date[1]] = 1; }
    ND.docs[i].forEach(function (d) { DOCS[d].years.forEach(function (y) { ys[y] = 1; }); });
    YEARS.push(ys);
  }
  function classLine(k) {
    var c = CLASSES[ND.cls[k]];
    var text = c.zh + " " + c.key;
    var s = ND.sub[k] >= 0 ? SUBS[ND.sub[k]] : null;
    if (s && s.key !== c.key) { text += " · " + s.zh + " " + s.key; }
    return text;
  }
  function colour(k) {
    var s = ND.sub[k] >= 0 ? SUBS[ND.sub[k]] : null;
    return (s && s.color) || CLASSES[ND.cls[k]].color;
  }
  function short(label) {
    return label.length <= STYLE.labelMax ? label : label.slice(0, STYLE.labelMax - 1) + "…";
  }
  function byStrength(a, b) {
    return (strength[b] - strength[a]) || (degree[b] - degree[a]) || (a - b);
  }

  /* ---- state and filters ---------------------------------------------------------------- */
  var state = {
    classes: CLASSES.map(function () { return true; }),
    doc: "", year: "", hierarchy: true, hops: 1, layout: "graph",
    stack: [{ kind: "overview" }]
  };
  var pass = new Uint8Array(N);  // passes the document and year filters
  var drawn = { nodes: [], edges: [], partnerships: [], achievements: [], pos: {}, key: "" };

  function computePass() {
    var docs = null;
    if (state.doc) {
      var cut = state.doc.indexOf(":");
      var kind = state.doc.slice(0, cut), key = Number(state.doc.slice(cut + 1));
      docs = new Uint8Array(DOCS.length);
      if (kind === "doc") { docs[key] = 1; } else {
        DOCS.forEach(function (d, n) { if (d.about.indexOf(key) >= 0) { docs[n] = 1; } });
      }
    }
    var any = docs || state.year;
    if (!any) { pass.fill(1); return; }
    var year = state.year;
    for (var k = 0; k < N; k++) {
      var ok = true;
      if (docs) {
        var list = ND.docs[k];
        ok = false;
        for (var n = 0; n < list.length && !ok; n++) { ok = docs[list[n]] === 1; }
      }
      if (ok && year) { ok = YEARS[k][year] === 1; }
      pass[k] = ok ? 1 : 0;
    }
    // a relation read from a selected document brings its participants along
    REL_NODES.forEach(function (r) {
      if (pass[r] === 1) { outE[r].forEach(function (e) { if (!pass[eTo[e]]) { pass[eTo[e]] = 2; } }); }
    });
  }
  function shown(k) {
    return pass[k] && state.classes[ND.cls[k]] && (state.hierarchy || !HIER_ONLY[k]);
  }
  function edgeShown(e) { return state.hierarchy || !isHierEdge(e); }

  /* ---- positions ------------------------------------------------------------------------ */
  var OVERVIEW_POS = {};
  for (i = 0; i < DATA.overview.length; i += 3) {
    OVERVIEW_POS[DATA.overview[i]] = [DATA.overview[i + 1], DATA.overview[i + 2]];
  }
  var GOLDEN = 2.399963;
  function around(centre, n, step) {
    var r = step * Math.sqrt(n + 1);
    return [Math.round(centre[0] + r * Math.cos(n * GOLDEN)), Math.round(centre[1] + r * Math.sin(n * GOLDEN))];
  }
  /* nodes without a position are put beside the placed node they hang from, else on a row */
  function placeRest(list, pos, anchorOf, step) {
    var count = {}, loose = [];
    list.forEach(function (k) {
      if (pos[k]) { return; }
      var a = anchorOf(k);
      if (a !== null && pos[a]) {
        count[a] = (count[a] || 0) + 1;
        pos[k] = around(pos[a], count[a], step);
      } else { loose.push(k); }
    });
    if (loose.length) {
      var xs = [], ys = [];
      Object.keys(pos).forEach(function (k) { xs.push(pos[k][0]); ys.push(pos[k][1]); });
      var x0 = xs.length ? Math.min.apply(null, xs) : 0;
      var y0 = ys.length ? Math.max.apply(null, ys) + 4 * step : 0;
      var perRow = Math.max(6, Math.ceil(Math.sqrt(loose.length * 3)));
      loose.forEach(function (k, n) {  // room for a label of a dozen characters
        pos[k] = [x0 + (n % perRow) * 160, y0 + Math.floor(n / perRow) * 60];
      });
    }
    return pos;
  }
  function anchorPlace(k) {
    var seen = 0, cur = k;
    while (seen++ < 6) {
      var up = placeParents(cur);
      if (!up.length) { return null; }
      cur = up[0];
      if (ND.geo[cur] || OVERVIEW_POS[cur]) { return cur; }
    }
    return null;
  }
  function relAnchor(k) {
    var o = out(k);
    return o.length ? o[0] : null;
  }
  function anchorOf(k) {
    if (IS_REL[k]) { return relAnchor(k); }
    if (CLS[k] === "Person") { var a = out(k, "affiliation"); return a.length ? a[0] : null; }
    return anchorPlace(k);
  }
  var MAP_SCALE = 60;
  function lonLat(k) {
    var g = ND.geo[k];
    return [Math.round((g[1] - 105) * MAP_SCALE), Math.round(-(g[0] - 35) * MAP_SCALE * 1.15)];
  }
  /* the nearest place up the locatedIn chain that has coordinates */
  function mapAnchor(k) {
    var cur = k;
    for (var step = 0; step < 6; step++) {
      var up = placeParents(cur);
      if (!up.length) { return null; }
      cur = up[0];
      if (ND.geo[cur]) { return cur; }
    }
    return null;
  }
  /* places at their longitude/latitude, institutions and people around their place, the
     relations beside their first party; the anchors' coordinates count even when not drawn */
  function mapPositions(list) {
    var pos = {}, extra = [];
    list.forEach(function (k) { if (ND.geo[k]) { pos[k] = lonLat(k); } });
    list.forEach(function (k) {
      var a = mapAnchor(k);
      if (a !== null && !pos[a]) { pos[a] = lonLat(a); extra.push(a); }
    });
    placeRest(list.filter(function (k) { return !IS_REL[k] && CLS[k] !== "Person"; }), pos, mapAnchor, 14);
    placeRest(list, pos, anchorOf, 14);
    extra.forEach(function (a) { delete pos[a]; });
    return pos;
  }

  /* rings around the focused node: first hop inside, second hop outside, in hop order */
  function ringPositions(centre, rings) {
    var pos = {};
    pos[centre] = [0, 0];
    var radius = 0;
    rings.forEach(function (ring) {
      var left = ring.slice();
      while (left.length) {
        radius += radius === 0 ? 220 : 170;
        var cap = Math.max(8, Math.floor(2 * Math.PI * radius / 70));
        var part = left.splice(0, cap);
        part.forEach(function (k, n) {
          var a = 2 * Math.PI * n / part.length - Math.PI / 2;
          pos[k] = [Math.round(radius * Math.cos(a)), Math.round(radius * Math.sin(a))];
        });
      }
    });
    return pos;
  }

  /* ---- overview and focus ------------------------------------------------------------- */
  function buildOverview() {
    var places = [], insts = [];
    for (var k = 0; k < N; k++) {
      if (!degree[k] || !shown(k)) { continue; }
      if (CLS[k] === "Place") { places.push(k); } else if (CLS[k] === "Institution") { insts.push(k); }
    }
    places.sort(byStrength);
    insts.sort(byStrength);
    var members = places.slice(0, DATA.limits.places).concat(insts.slice(0, DATA.limits.institutions));
    members.sort(function (a, b) { return a - b; });
    var member = new Uint8Array(N);
    members.forEach(function (m) { member[m] = 1; });
    function rep(k) {
      for (var step = 0; step < 5; step++) {
        if (member[k]) { return k; }
        var up = placeParents(k);
        if (!up.length) { return null; }
        k = up[0];
      }
      return null;
    }
    var weights = {}, pairs = [], partnerships = [], achievements = [];
    var partnershipOn = state.classes[CLASSES.findIndex(function (c) { return c.key === "Partnership"; })];
    for (var nr = 0; nr < REL_NODES.length; nr++) {
      k = REL_NODES[nr];
      if (pass[k] !== 1) { continue; }
      if (CLS[k] === "Achievement") {
        if (holders(k).some(function (h) { return member[h]; })) { achievements.push(k); }
        continue;
      }
      if (!partnershipOn) { continue; }
      var reps = {};
      parties(k).forEach(function (p) { var r = rep(p.node); if (r !== null) { reps[r] = 1; } });
      var list = Object.keys(reps).map(Number).sort(function (a, b) { return a - b; });
      if (list.length > 1) { partnerships.push(k); }
      for (var x = 0; x < list.length; x++) {
        for (var y = x + 1; y < list.length; y++) {
          var key = list[x] + "-" + list[y];
          if (!weights[key]) { weights[key] = { from: list[x], to: list[y], n: 0, rels: [] }; pairs.push(key); }
          weights[key].n += 1;
          weights[key].rels.push(k);
        }
      }
    }
    var edges = pairs.map(function (key) {
      var w = weights[key];
      return {
        id: "w" + key, from: w.from, to: w.to, value: w.n, rels: w.rels, kind: "agg",
        title: tipText(LABEL[w.from] + " — " + LABEL[w.to], w.n + " 项合作 partnerships"),
        color: { color: "#e8862acc" }
      };
    });
    members.forEach(function (m) {
      outE[m].forEach(function (e) {
        var rel = relKey(e);
        if ((rel === "locatedIn" || rel === "parentOrganization") && member[eTo[e]] && edgeShown(e)) {
          edges.push({
            id: e, from: m, to: eTo[e], value: 0.5, kind: "rel", dashes: isHierEdge(e),
            color: { color: "#cbd5e1" }, title: tipText(RELS[eRel[e]].zh, LABEL[m] + " → " + LABEL[eTo[e]])
          });
        }
      });
    });
    var pos;
    if (state.layout === "map") { pos = mapPositions(members); } else {
      pos = {};
      members.forEach(function (m) { if (OVERVIEW_POS[m]) { pos[m] = OVERVIEW_POS[m]; } });
      placeRest(members, pos, anchorOf, 40);
    }
    return { nodes: members, edges: edges, pos: pos, partnerships: partnerships, achievements: achievements, note: "" };
  }

  function buildFocus(centre) {
    var seen = new Uint8Array(N);
    seen[centre] = 1;
    var rings = [], frontier = [centre], count = 1, cut = false;
    var merged = null, mergedRels = [];
    for (var hop = 0; hop < state.hops && !cut; hop++) {
      var next = [];
      frontier.forEach(function (k) {
        outE[k].concat(inE[k]).forEach(function (e) {
          if (!edgeShown(e)) { return; }
          var m = eFrom[e] === k ? eTo[e] : eFrom[e];
          if (!seen[m] && shown(m)) { seen[m] = 1; next.push(m); }
        });
      });
      /* a hub's partnerships are a ring of diamonds nobody can read: at one hop they become
         one weighted line per partner, as in the overview */
      var rels = next.filter(function (k) { return CLS[k] === "Partnership"; });
      if (hop === 0 && state.hops === 1 && rels.length > MERGE_PARTNERSHIPS) {
        merged = {};
        mergedRels = rels;
        next = next.filter(function (k) { return CLS[k] !== "Partnership"; });
        rels.forEach(function (r) {
          parties(r).forEach(function (p) {
            if (p.node === centre || !shown(p.node)) { return; }
            if (!merged[p.node]) { merged[p.node] = []; }
            merged[p.node].push(r);
            if (!seen[p.node]) { seen[p.node] = 1; next.push(p.node); }
          });
        });
      }
      next.sort(function (a, b) { return (ND.cls[a] - ND.cls[b]) || byStrength(a, b); });
      if (count + next.length > LIMIT) { next = next.slice(0, LIMIT - count); cut = true; }
      count += next.length;
      rings.push(next);
      frontier = next;
    }
    var list = [centre];
    rings.forEach(function (r) { list = list.concat(r); });
    var inView = new Uint8Array(N);
    list.forEach(function (k) { inView[k] = 1; });
    var edges = [], done = {};
    list.forEach(function (k) {
      outE[k].forEach(function (e) {
        if (inView[eTo[e]] && edgeShown(e) && !done[e]) {
          done[e] = 1;
          var r = RELS[eRel[e]];
          edges.push({
            id: e, from: k, to: eTo[e], kind: "rel", rel: r.key, dashes: isHierEdge(e), color: { color: r.color },
            title: tipText(r.zh + " · " + r.key, LABEL[k] + " → " + LABEL[eTo[e]])
          });
        }
      });
    });
    var labelled = edges.length <= 400;  // more edge labels than that are noise, and slow
    edges.forEach(function (e) { e.label = labelled ? RELS[REL_INDEX[e.rel]].zh : ""; });
    if (merged) {
      Object.keys(merged).map(Number).filter(function (p) { return inView[p]; }).forEach(function (p) {
        var a = Math.min(centre, p), b = Math.max(centre, p);
        edges.push({
          id: "w" + a + "-" + b, from: centre, to: p, value: merged[p].length, rels: merged[p], kind: "agg",
          label: "", arrows: { to: { enabled: false } }, color: { color: "#e8862acc" },
          title: tipText(LABEL[centre] + " — " + LABEL[p], merged[p].length + " 项合作 partnerships")
        });
      });
    }
    var pos = state.layout === "map" ? mapPositions(list) : ringPositions(centre, rings);
    var notes = [];
    if (merged) { notes.push(mergedRels.length + " 项合作合并为连线 partnerships drawn as lines"); }
    if (cut) { notes.push("只显示前 " + LIMIT + " 个 cut at " + LIMIT + " nodes"); }
    return {
      nodes: list, edges: edges, pos: pos, centre: centre, note: notes.join(" · "),
      partnerships: mergedRels.concat(list.filter(function (k) { return CLS[k] === "Partnership"; })),
      achievements: list.filter(function (k) { return CLS[k] === "Achievement"; })
    };
  }

  /* vis shows a string title through innerText: plain text, and cheaper than an element */
  function tipText(title, line) { return line ? title + "\n" + line : title; }

  /* ---- drawing -------------------------------------------------------------------------- */
  var container = $("kg-network");
  var options = DATA.options;
  var GROUPS = {};
  for (i = 0; i < N; i++) {
    var gkey = "g" + ND.cls[i] + "_" + ND.sub[i];
    if (!GROUPS[gkey]) {
      var gc = colour(i);
      GROUPS[gkey] = { shape: CLASSES[ND.cls[i]].shape, color: { background: gc, highlight: { background: gc }, hover: { background: gc } } };
    }
  }
  options.groups = GROUPS;
  var network = new vis.Network(container, { nodes: [], edges: [] }, options);
  var drawWaiters = [];
  network.on("afterDrawing", function () {
    var waiting = drawWaiters;
    drawWaiters = [];
    waiting.forEach(function (w) { w(performance.now()); });
  });
  function nextDraw() { return new Promise(function (resolve) { drawWaiters.push(resolve); }); }

  /* one vis group per class and subclass colour: nodes then carry only id, place, label */
  function groupOf(k) { return "g" + ND.cls[k] + "_" + ND.sub[k]; }
  function visNode(k, pos, centre) {
    var node = {
      id: k, x: pos[k][0], y: pos[k][1], label: short(LABEL[k]), group: groupOf(k),
      value: Math.sqrt(degree[k] + 1), title: tipText(LABEL[k], classLine(k) + " · 度 degree " + degree[k])
    };
    if (k === centre) {
      node.borderWidth = 3;
      node.value += 2;
      node.color = { border: "#111827", background: colour(k), highlight: { border: "#111827", background: colour(k) } };
    }
    return node;
  }

  /* Sizes in graph units from the zoom that will fit the drawing: at that zoom the labels of
     the best-connected nodes are legible and the others fall under vis's draw threshold
     (they appear as the user zooms in); a small drawing shows every label. */
  function sizeFor(view) {
    var xs = [], ys = [];
    view.nodes.forEach(function (k) { xs.push(view.pos[k][0]); ys.push(view.pos[k][1]); });
    var w = xs.length ? Math.max.apply(null, xs) - Math.min.apply(null, xs) : 0;
    var h = ys.length ? Math.max.apply(null, ys) - Math.min.apply(null, ys) : 0;
    var box = container.getBoundingClientRect();
    var s = Math.min(1.2, (box.width || 1000) / (w + 200), (box.height || 700) / (h + 150)) * 0.92;
    var few = view.nodes.length <= 60;  // more labels than that overlap at the fitting zoom
    var label = { min: Math.min(80, (few ? 11 : 5) / s), max: Math.min(160, 24 / s), maxVisible: 26, drawThreshold: 7 };
    label.max = Math.max(label.max, label.min + 2);
    var size = { min: Math.min(40, 4 / s), max: Math.min(120, 20 / s) };
    network.setOptions({
      nodes: { scaling: { min: size.min, max: Math.max(size.max, size.min + 2), label: label } },
      edges: { arrows: { to: { enabled: view.centre !== undefined, scaleFactor: 0.45 } } }
    });
  }

  function current() { return state.stack[state.stack.length - 1]; }

  var profile = {};
  /* A filter change keeps the view's kind: only the difference goes to vis (DataSet remove,
     add, update), which costs what changed rather than what is drawn. A new view (another
     focus, the map) is one setData. */
  function render() {
    var painted = nextDraw();
    var t0 = performance.now();
    computePass();
    var t1 = performance.now();
    var top = current();
    var view = top.kind === "focus" ? buildFocus(top.node) : buildOverview();
    var centre = top.kind === "focus" ? top.node : -1;
    view.key = top.kind + ":" + centre + ":" + state.layout + ":" + state.hops;
    var prev = drawn;
    drawn = view;
    var t2 = performance.now();
    var diff = prev.key === view.key && prev.nodes.length > 0 && view.nodes.length > 0 &&
      changes(prev, view) < 0.25 * (view.nodes.length + view.edges.length);
    // a new view: empty the network first, so vis applies the new sizes to no bodies (on the
    // old view's bodies setOptions cost as much as the setData that replaces them)
    if (!diff) { network.setData({ nodes: [], edges: [] }); sizeFor(view); }
    var t3 = performance.now();
    var nodes = view.nodes.map(function (k) { return visNode(k, view.pos, centre); });
    if (diff) {
      update(prev, view, nodes);
    } else {
      // one setData, not DataSet.clear/add: vis builds the bodies in one pass (about half the time)
      network.setData({ nodes: nodes, edges: view.edges });
    }
    var t4 = performance.now();
    network.fit({ animation: false });
    network.moveTo({ scale: network.getScale() * 0.92 });
    if (centre >= 0) { network.selectNodes([centre]); }
    updateStats(view);
    renderCrumbs();
    if (!$("kg-table").hidden) { renderTable(); }
    var t5 = performance.now();
    if (!view.nodes.length) { network.redraw(); }  // vis draws on its next frame otherwise
    var t6 = performance.now();
    profile = { filter: t1 - t0, build: t2 - t1, options: t3 - t2, data: t4 - t3, fit: t5 - t4, draw: t6 - t5, diff: diff };
    return painted;
  }
  /* nodes and edges that a diff would remove or add (vis removes edges one by one) */
  function changes(prev, view) {
    var had = {}, n = 0;
    prev.nodes.forEach(function (k) { had[k] = 1; });
    view.nodes.forEach(function (k) { if (had[k]) { n += 1; } });
    var count = prev.nodes.length + view.nodes.length - 2 * n;
    var before = {};
    n = 0;
    prev.edges.forEach(function (e) { before[e.id] = 1; });
    view.edges.forEach(function (e) { if (before[e.id]) { n += 1; } });
    return count + prev.edges.length + view.edges.length - 2 * n;
  }
  function edgeSig(e) { return [e.value, e.label, e.title, e.dashes, e.color && e.color.color].join("|"); }
  function update(prev, view, nodes) {
    var ds = network.body.data.nodes, es = network.body.data.edges;
    var before = {}, after = {};
    prev.edges.forEach(function (e) { before[e.id] = e; });
    view.edges.forEach(function (e) { after[e.id] = e; });
    es.remove(prev.edges.filter(function (e) { return !after[e.id]; }).map(function (e) { return e.id; }));
    var had = new Uint8Array(N), has = new Uint8Array(N);
    prev.nodes.forEach(function (k) { had[k] = 1; });
    view.nodes.forEach(function (k) { has[k] = 1; });
    ds.remove(prev.nodes.filter(function (k) { return !has[k]; }));
    var added = [], moved = [];
    nodes.forEach(function (n) {
      if (!had[n.id]) { added.push(n); return; }
      var old = prev.pos[n.id];
      if (!old || old[0] !== n.x || old[1] !== n.y) { moved.push({ id: n.id, x: n.x, y: n.y }); }
    });
    ds.add(added);
    if (moved.length) { ds.update(moved); }
    es.add(view.edges.filter(function (e) { return !before[e.id]; }));
    var changed = view.edges.filter(function (e) { return before[e.id] && edgeSig(before[e.id]) !== edgeSig(e); });
    if (changed.length) { es.update(changed); }
  }

  function updateStats(view) {
    $("kg-stats").textContent = (current().kind === "focus" ? "邻域 focus" : "总览 overview") +
      " · 显示 " + view.nodes.length + " / " + N + " 节点 nodes · " + view.edges.length + " 连线 edges" +
      (view.note ? " · " + view.note : "");
    $("kg-empty").hidden = view.nodes.length > 0;
  }

  /* ---- navigation ------------------------------------------------------------------------ */
  function focusNode(k) {
    if (k === null || k === undefined || k < 0) { return Promise.resolve(); }
    var top = current();
    if (!(top.kind === "focus" && top.node === k)) { state.stack.push({ kind: "focus", node: k }); }
    $("kg-search-status").textContent = shown(k) ? "" :
      "「" + LABEL[k] + "」被筛选隐藏，已显示 hidden by a filter, shown anyway";
    var p = render();
    showCard(k);
    return p;
  }
  function toLevel(n) {
    state.stack = state.stack.slice(0, n + 1);
    hideCard();
    var top = current();
    var p = render();
    if (top.kind === "focus") { showCard(top.node); }
    return p;
  }
  function renderCrumbs() {
    var nav = $("kg-crumbs");
    nav.replaceChildren();
    var stack = state.stack.slice(Math.max(0, state.stack.length - 6));
    var offset = state.stack.length - stack.length;
    if (offset) { nav.appendChild(el("span", "kg-sep", "…")); }
    stack.forEach(function (s, n) {
      if (n || offset) { nav.appendChild(el("span", "kg-sep", "›")); }
      var b = el("button", null, s.kind === "overview" ? "总览 Overview" : LABEL[s.node]);
      b.type = "button";
      if (n + offset === state.stack.length - 1) { b.setAttribute("aria-current", "page"); }
      b.addEventListener("click", function () { toLevel(n + offset); });
      nav.appendChild(b);
    });
  }

  /* ---- cards -------------------------------------------------------------------------------- */
  function link(k, meta) {
    var li = el("li");
    var b = el("button", "kg-item", LABEL[k]);
    b.type = "button";
    b.dataset.node = ND.id[k];
    b.title = classLine(k);
    b.addEventListener("click", function () { focusNode(k); });
    li.appendChild(b);
    if (meta) { li.appendChild(el("span", "kg-meta", meta)); }
    return li;
  }
  function section(box, title, rows, limit) {
    if (!rows.length) { return; }
    var s = el("div", "kg-section");
    s.dataset.section = title.split(" ").pop();
    s.appendChild(el("h3", null, title + " (" + rows.length + ")"));
    var ul = el("ul", "kg-items");
    rows.slice(0, limit || 60).forEach(function (r) { ul.appendChild(r); });
    if (rows.length > (limit || 60)) { ul.appendChild(el("li", "kg-more", "… +" + (rows.length - (limit || 60)))); }
    s.appendChild(ul);
    box.appendChild(s);
  }
  function uniq(list) {
    var seen = {}, r = [];
    list.forEach(function (k) { if (!seen[k]) { seen[k] = 1; r.push(k); } });
    return r;
  }
  function sortNodes(list) { return uniq(list).sort(byStrength); }
  function partnershipsOf(k) { return into(k).filter(function (r) { return CLS[r] === "Partnership" && parties(r).some(function (p) { return p.node === k; }); }); }
  function achievementsOf(k) { return uniq(into(k, "achievedBy")); }
  function partnerRows(k) {
    var by = {}, order = [];
    partnershipsOf(k).forEach(function (r) {
      parties(r).forEach(function (p) {
        if (p.node === k) { return; }
        if (!by[p.node]) { by[p.node] = { kinds: {}, dates: {}, rels: [] }; order.push(p.node); }
        var b = by[p.node];
        var kind = fact(r, "kind"), d = fact(r, "date");
        if (kind) { kind.split("、").forEach(function (x) { b.kinds[x] = 1; }); }
        if (d) { b.dates[d] = 1; }
        b.rels.push(r);
      });
    });
    order.sort(function (a, b) { return (by[b].rels.length - by[a].rels.length) || byStrength(a, b); });
    return order.map(function (p) {
      var b = by[p];
      var rels = uniq(b.rels), sentences = 0, reports = {};
      rels.forEach(function (r) {
        sentences += (ND.evidence[r] || []).length;
        ND.docs[r].forEach(function (d) { reports[d] = 1; });
      });
      var meta = [Object.keys(b.kinds).sort().join("、"), Object.keys(b.dates).sort().join("、"),
        "证据 " + sentences + " 句 sentences", Object.keys(reports).length + " 篇 reports"].filter(Boolean).join(" · ");
      var li = link(p, meta);
      li.dataset.partner = ND.id[p];
      return li;
    });
  }
  /* the partnership nodes of the same set of parties (one per report) */
  function samePartners(r) {
    var key = parties(r).map(function (p) { return p.node; }).sort().join(",");
    var first = parties(r)[0];
    if (!first) { return []; }
    return partnershipsOf(first.node).filter(function (x) {
      return x !== r && parties(x).map(function (p) { return p.node; }).sort().join(",") === key;
    });
  }
  function achievementRows(list) {
    return sortNodes(list).map(function (a) {
      return link(a, [fact(a, "level"), fact(a, "kind"), fact(a, "date")].filter(Boolean).join(" · "));
    });
  }
  function programsOf(k) {
    var progs = [];
    achievementsOf(k).concat(partnershipsOf(k)).forEach(function (r) { progs = progs.concat(out(r, "program")); });
    return progs.concat(into(k).filter(function (x) { return CLS[x] === "Program"; }));
  }
  /* evidence sentences read from the same document, by offset: what was said around it */
  var BY_DOC = null;
  function context(k, ev) {
    if (!BY_DOC) {
      BY_DOC = {};
      Object.keys(ND.evidence).forEach(function (key) {
        ND.evidence[key].forEach(function (x) {
          if (x[1] < 0) { return; }
          (BY_DOC[x[1]] = BY_DOC[x[1]] || []).push([x[2], Number(key), x[0]]);
        });
      });
      Object.keys(BY_DOC).forEach(function (d) { BY_DOC[d].sort(function (a, b) { return (a[0] - b[0]) || (a[1] - b[1]); }); });
    }
    var list = BY_DOC[ev[1]] || [];
    var at = list.findIndex(function (x) { return x[1] === k && x[0] === ev[2]; });
    if (at < 0) { return []; }
    var r = [];
    [at - 2, at - 1, at + 1, at + 2].forEach(function (n) {
      if (n >= 0 && n < list.length && list[n][2] !== ev[0]) { r.push(list[n]); }
    });
    return r;
  }
  function evidenceBlock(box, k) {
    (ND.evidence[k] || []).forEach(function (ev) {
      box.appendChild(el("blockquote", "kg-evidence", ev[0]));
      if (ev[1] >= 0) {
        var d = DOCS[ev[1]];
        box.appendChild(el("div", "kg-meta", "来源 source: " + d.headline + " · " + d.fileName +
          (d.years.length ? " · " + d.years.join("、") : "") + (ev[2] >= 0 ? " · @" + ev[2] : "")));
        var ctx = context(k, ev);
        if (ctx.length) {
          var s = el("div", "kg-section");
          s.appendChild(el("h3", null, "同文上下文 around it in the same report"));
          var ul = el("ul", "kg-items");
          ctx.forEach(function (c) {
            var li = link(c[1], "@" + c[0]);
            li.appendChild(el("div", "kg-context", c[2]));
            ul.appendChild(li);
          });
          s.appendChild(ul);
          box.appendChild(s);
        }
      }
    });
  }
  function describe(k) {
    var box = el("div", "kg-card");
    box.dataset.node = ND.id[k];
    box.appendChild(el("div", "kg-tip-title", LABEL[k]));
    box.appendChild(el("div", "kg-tip-class", classLine(k) + " · 度 degree " + degree[k]));
    var dl = el("dl", "kg-facts");
    function row(key, value) { dl.appendChild(el("dt", null, key)); dl.appendChild(el("dd", null, value)); }
    if (ND.alias[k]) { row("别名 aliases", ND.alias[k].join("、")); }
    factsOf(k).forEach(function (f) { row(f[0] + " " + f[1], f[2]); });
    if (ND.geo[k]) { row("坐标 lat/long", ND.geo[k].join(", ")); }
    if (dl.childNodes.length) { box.appendChild(dl); }
    var cls = CLS[k];
    if (cls === "Place") {
      section(box, "上级 located in", placeParents(k).map(function (p) { return link(p); }));
      section(box, "机构 institutions", sortNodes(into(k, "locatedIn").filter(function (x) { return CLS[x] === "Institution"; })).map(function (x) { return link(x); }));
      section(box, "合作伙伴 partners", partnerRows(k));
      section(box, "成就荣誉 achievements", achievementRows(achievementsOf(k)));
      section(box, "项目 programs", sortNodes(programsOf(k)).map(function (x) { return link(x); }));
      section(box, "下辖 places within", sortNodes(into(k, "locatedIn").filter(function (x) { return CLS[x] === "Place"; })).map(function (x) { return link(x); }));
    } else if (cls === "Institution") {
      section(box, "所在地 place", placeParents(k).map(function (p) { return link(p); }));
      section(box, "上级机构 parent", out(k, "parentOrganization").map(function (p) { return link(p); }));
      section(box, "下属机构 members", sortNodes(into(k, "parentOrganization")).map(function (p) { return link(p); }));
      section(box, "合作伙伴 partners", partnerRows(k));
      section(box, "成就荣誉 achievements", achievementRows(achievementsOf(k)));
      section(box, "人物 people", sortNodes(into(k, "affiliation")).map(function (p) { return link(p); }));
      section(box, "授予 awarded", achievementRows(into(k, "awardedBy")));
    } else if (cls === "Partnership") {
      section(box, "参与方 parties", parties(k).map(function (p) { return link(p.node, PARTY[p.role] + " " + p.role); }));
      section(box, "项目 programs", out(k, "program").map(function (p) { return link(p); }));
      evidenceBlock(box, k);
      section(box, "其他报道 same partners in other reports", uniq(samePartners(k)).map(function (x) {
        var d = ND.docs[x][0];
        return link(x, [fact(x, "kind"), d === undefined ? "" : DOCS[d].fileName,
          "证据 " + (ND.evidence[x] || []).length + " 句 sentences"].filter(Boolean).join(" · "));
      }));
    } else if (cls === "Achievement") {
      section(box, "获得者 holders", out(k, "achievedBy").map(function (p) { return link(p); }));
      section(box, "授予方 awarded by", out(k, "awardedBy").map(function (p) { return link(p); }));
      section(box, "项目 program", out(k, "program").map(function (p) { return link(p); }));
      evidenceBlock(box, k);
    } else if (cls === "Person") {
      section(box, "任职 affiliation", out(k, "affiliation").map(function (p) { return link(p); }));
    } else {
      section(box, "成就荣誉 achievements", achievementRows(into(k, "program").filter(function (x) { return CLS[x] === "Achievement"; })));
      section(box, "合作关系 partnerships", sortNodes(into(k, "program").filter(function (x) { return CLS[x] === "Partnership"; })).map(function (x) { return link(x); }));
      section(box, "相关 related", sortNodes(out(k)).map(function (x) { return link(x); }));
    }
    var docs = ND.docs[k];
    if (docs.length) {
      box.appendChild(el("div", "kg-tip-head", "来源文档 documents (" + docs.length + ")"));
      var ul = el("ul", "kg-docs");
      docs.slice(0, 20).forEach(function (d) {
        var li = el("li", null, DOCS[d].headline);
        li.appendChild(el("span", "kg-file", DOCS[d].fileName + (DOCS[d].years.length ? " · " + DOCS[d].years.join("、") : "")));
        ul.appendChild(li);
      });
      if (docs.length > 20) { ul.appendChild(el("li", "kg-more", "… +" + (docs.length - 20))); }
      box.appendChild(ul);
    }
    return box;
  }
  function describeAggregate(edge) {
    var box = el("div", "kg-card");
    box.appendChild(el("div", "kg-tip-title", LABEL[edge.from] + " — " + LABEL[edge.to]));
    box.appendChild(el("div", "kg-tip-class", "合作关系（聚合）aggregated partnerships · " + edge.rels.length));
    section(box, "两端 ends", [link(edge.from), link(edge.to)]);
    section(box, "合作关系 partnerships", uniq(edge.rels).map(function (r) {
      return link(r, [fact(r, "kind"), fact(r, "date")].filter(Boolean).join(" · "));
    }), 100);
    return box;
  }
  function showCard(k) {
    $("kg-details-body").replaceChildren(describe(k));
    $("kg-details").hidden = false;
  }
  function hideCard() { $("kg-details").hidden = true; }

  /* ---- search ------------------------------------------------------------------------------ */
  var INDEX = [];
  for (i = 0; i < N; i++) {
    if (LABEL[i].trim().length >= 2) { INDEX.push([LABEL[i].toLowerCase(), i, 0]); }
    (ND.alias[i] || []).forEach(function (a) { if (a.trim().length >= 2) { INDEX.push([a.toLowerCase(), i, 1]); } });
  }
  /* ranked matches: exact name, exact alias, name prefix, alias prefix, then substrings;
     among equals the better-connected node first */
  function matches(query, limit) {
    var q = query.trim().toLowerCase();
    if (!q) { return []; }
    var best = {};
    for (var n = 0; n < INDEX.length; n++) {
      var s = INDEX[n][0], at = s.indexOf(q);
      if (at < 0) { continue; }
      var tier = (s.length === q.length ? 0 : at === 0 ? 2 : 4) + INDEX[n][2];
      var k = INDEX[n][1];
      if (best[k] === undefined || tier < best[k].tier) { best[k] = { tier: tier, text: INDEX[n][0], alias: INDEX[n][2] }; }
    }
    var hits = Object.keys(best).map(Number);
    hits.sort(function (a, b) {
      return (best[a].tier - best[b].tier) || (shown(b) - shown(a)) || byStrength(a, b) ||
        (LABEL[a].length - LABEL[b].length);
    });
    return hits.slice(0, limit || 10).map(function (k) {
      return { node: k, alias: best[k].alias ? (ND.alias[k] || []).find(function (a) { return a.toLowerCase() === best[k].text; }) : null };
    });
  }
  var suggestions = [], active = -1;
  function showSuggestions() {
    var list = $("kg-suggest");
    suggestions = matches($("kg-search").value, 10);
    active = suggestions.length ? 0 : -1;
    list.replaceChildren();
    suggestions.forEach(function (s, n) {
      var li = el("li");
      li.setAttribute("role", "option");
      li.dataset.node = ND.id[s.node];
      li.setAttribute("aria-selected", n === active ? "true" : "false");
      li.appendChild(el("span", "kg-sname", LABEL[s.node]));
      if (s.alias) { li.appendChild(el("span", "kg-salias", "（" + s.alias + "）")); }
      li.appendChild(el("span", "kg-scls", CLASSES[ND.cls[s.node]].zh));
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); pick(s.node); });
      list.appendChild(li);
    });
    list.hidden = !suggestions.length;
    $("kg-search-status").textContent = $("kg-search").value.trim() && !suggestions.length ? "未找到 not found" : "";
  }
  function markActive() {
    Array.prototype.forEach.call($("kg-suggest").children, function (li, n) {
      li.setAttribute("aria-selected", n === active ? "true" : "false");
    });
  }
  function pick(k) {
    $("kg-suggest").hidden = true;
    $("kg-search").value = LABEL[k];
    return focusNode(k);
  }
  function search(query) {
    var hit = matches(query, 1);
    if (!hit.length) {
      $("kg-search-status").textContent = query.trim() ? "未找到 not found" : "";
      return null;
    }
    $("kg-search-status").textContent = "";
    pick(hit[0].node);
    return ND.id[hit[0].node];
  }

  /* ---- table and export --------------------------------------------------------------------- */
  var TABS = [
    { key: "entities", zh: "实体 Entities" },
    { key: "partnerships", zh: "合作 Partnerships" },
    { key: "achievements", zh: "成就 Achievements" }
  ];
  var table = { tab: "entities", sort: 1, dir: 1, rows: [], cols: [] };
  function docOf(k) { var ev = (ND.evidence[k] || [])[0]; return ev && ev[1] >= 0 ? DOCS[ev[1]].fileName : ""; }
  function names(list) { return list.map(function (k) { return LABEL[k]; }).join("；"); }
  function tableData() {
    var cols, rows;
    if (table.tab === "entities") {
      cols = ["id", "名称 name", "类别 class", "子类 subclass", "度 degree", "文档 documents", "年份 years"];
      rows = drawn.nodes.filter(function (k) { return !IS_REL[k]; }).map(function (k) {
        return [ND.id[k], LABEL[k], CLS[k], ND.sub[k] >= 0 ? SUBS[ND.sub[k]].key : "", degree[k],
          ND.docs[k].length, Object.keys(YEARS[k]).sort().join(" ")];
      });
    } else if (table.tab === "partnerships") {
      cols = ["id", "名称 name", "参与方 parties", "类型 kind", "日期 date", "文档 document", "证据 evidence"];
      rows = drawn.partnerships.map(function (k) {
        return [ND.id[k], LABEL[k], names(parties(k).map(function (p) { return p.node; })), fact(k, "kind"),
          fact(k, "date"), docOf(k), (ND.evidence[k] || []).map(function (e) { return e[0]; }).join(" ")];
      });
    } else {
      cols = ["id", "名称 name", "获得者 holders", "授予方 awarded by", "级别 level", "类型 kind", "日期 date", "文档 document", "证据 evidence"];
      rows = drawn.achievements.map(function (k) {
        return [ND.id[k], LABEL[k], names(out(k, "achievedBy")), names(out(k, "awardedBy")), fact(k, "level"),
          fact(k, "kind"), fact(k, "date"), docOf(k), (ND.evidence[k] || []).map(function (e) { return e[0]; }).join(" ")];
      });
    }
    var c = table.sort, d = table.dir;
    rows.sort(function (a, b) {
      var x = a[c], y = b[c];
      var r = typeof x === "number" ? x - y : String(x).localeCompare(String(y), "zh-CN");
      return r * d || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
    });
    table.cols = cols;
    table.rows = rows;
  }
  var TABLE_DOM_ROWS = 1000;
  function renderTable() {
    tableData();
    var tabs = $("kg-table-tabs");
    tabs.replaceChildren();
    TABS.forEach(function (t) {
      var b = el("button", null, t.zh);
      b.type = "button";
      b.dataset.tab = t.key;
      b.setAttribute("role", "tab");
      b.setAttribute("aria-selected", t.key === table.tab ? "true" : "false");
      b.addEventListener("click", function () { table.tab = t.key; table.sort = 1; table.dir = 1; renderTable(); });
      tabs.appendChild(b);
    });
    var head = el("tr");
    table.cols.forEach(function (c, n) {
      var th = el("th", null, c);
      th.dataset.col = String(n);
      if (n === table.sort) { th.setAttribute("aria-sort", table.dir > 0 ? "ascending" : "descending"); }
      th.addEventListener("click", function () {
        if (table.sort === n) { table.dir = -table.dir; } else { table.sort = n; table.dir = 1; }
        renderTable();
      });
      head.appendChild(th);
    });
    var grid = $("kg-table-grid");
    grid.tHead.replaceChildren(head);
    var body = document.createDocumentFragment();
    table.rows.slice(0, TABLE_DOM_ROWS).forEach(function (r) {
      var tr = el("tr");
      tr.dataset.node = r[0];
      r.forEach(function (v, n) {
        var td = el("td", null, v);
        if (n === 1) {
          td.className = "kg-cell-link";
          td.addEventListener("click", function () { focusNode(nodeIndex(r[0])); });
        }
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    grid.tBodies[0].replaceChildren(body);
    $("kg-table-count").textContent = table.rows.length + " 行 rows" +
      (table.rows.length > TABLE_DOM_ROWS ? "（表中显示前 " + TABLE_DOM_ROWS + "，CSV 含全部 CSV has all）" : "");
  }
  function csvCell(v) {
    var s = String(v);
    if (/^[=+\-@\t\r]/.test(s)) { s = "'" + s; }  // a spreadsheet must not run a cell as a formula
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  function tableCSV() {
    tableData();
    return [table.cols].concat(table.rows).map(function (r) { return r.map(csvCell).join(","); }).join("\r\n") + "\r\n";
  }
  function download(blob, name) {
    var a = el("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 2000);
  }
  function exportCSV() {
    download(new Blob(["\ufeff" + tableCSV()], { type: "text/csv;charset=utf-8" }), "kg-" + table.tab + ".csv");
  }
  function exportPNG() {
    var canvas = container.querySelector("canvas");
    var copy = document.createElement("canvas");
    copy.width = canvas.width;
    copy.height = canvas.height;
    var ctx = copy.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, copy.width, copy.height);
    ctx.drawImage(canvas, 0, 0);
    copy.toBlob(function (blob) { download(blob, "kg-graph.png"); }, "image/png");
  }

  /* ---- controls ------------------------------------------------------------------------------ */
  function swatch(shape, color) {
    var s = el("span", "kg-swatch kg-shape-" + shape);
    s.style.backgroundColor = color;
    return s;
  }
  function buildControls() {
    var counts = {};
    CLS.forEach(function (c) { counts[c] = (counts[c] || 0) + 1; });
    var checks = $("kg-class-filters");
    CLASSES.forEach(function (c, n) {
      var label = el("label", "kg-check");
      var box = el("input");
      box.type = "checkbox";
      box.checked = true;
      box.dataset.cls = c.key;
      box.addEventListener("change", function () { state.classes[n] = box.checked; render(); });
      label.appendChild(box);
      label.appendChild(swatch(c.shape, c.color));
      label.appendChild(el("span", null, c.zh + " " + c.key));
      label.appendChild(el("span", "kg-count", counts[c.key] || 0));
      checks.appendChild(label);
    });

    var docSelect = $("kg-doc-filter");
    var about = {};
    DOCS.forEach(function (d) { d.about.forEach(function (p) { about[p] = (about[p] || 0) + 1; }); });
    var cities = Object.keys(about).map(Number).sort(function (a, b) {
      return LABEL[a] < LABEL[b] ? -1 : LABEL[a] > LABEL[b] ? 1 : a - b;
    });
    if (cities.length) {
      var byCity = el("optgroup");
      byCity.label = "按城市 by city";
      cities.forEach(function (p) { byCity.appendChild(new Option(LABEL[p] + "（" + about[p] + " 篇）", "about:" + p)); });
      docSelect.appendChild(byCity);
    }
    var byDoc = el("optgroup");
    byDoc.label = "按文档 by document";
    DOCS.forEach(function (d, n) { byDoc.appendChild(new Option(d.headline + " · " + d.fileName, "doc:" + n)); });
    docSelect.appendChild(byDoc);
    docSelect.addEventListener("change", function () { state.doc = docSelect.value; render(); });

    var yearSelect = $("kg-year-filter");
    DATA.years.forEach(function (y) { yearSelect.appendChild(new Option(y, y)); });
    yearSelect.addEventListener("change", function () { state.year = yearSelect.value; render(); });
    var hier = $("kg-hierarchy");
    hier.addEventListener("change", function () { state.hierarchy = hier.checked; render(); });
    var hops = $("kg-hops");
    hops.addEventListener("change", function () { state.hops = Number(hops.value); if (current().kind === "focus") { render(); } });

    var input = $("kg-search");
    var timer = null;
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(showSuggestions, 60); });
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
        if (!suggestions.length) { return; }
        ev.preventDefault();
        active = (active + (ev.key === "ArrowDown" ? 1 : -1) + suggestions.length) % suggestions.length;
        markActive();
      } else if (ev.key === "Escape") { $("kg-suggest").hidden = true; }
    });
    input.addEventListener("blur", function () { setTimeout(function () { $("kg-suggest").hidden = true; }, 150); });
    $("kg-search-form").addEventListener("submit", function (ev) {
      ev.preventDefault();
      clearTimeout(timer);
      var listShown = !$("kg-suggest").hidden && active >= 0 && suggestions[active];
      if (listShown && suggestions[active]) { pick(suggestions[active].node); } else { search(input.value); }
    });
    $("kg-clear").addEventListener("click", function () {
      input.value = "";
      $("kg-search-status").textContent = "";
      toLevel(0);
    });
    $("kg-details-close").addEventListener("click", hideCard);
    $("kg-layout").addEventListener("click", function () {
      state.layout = state.layout === "map" ? "graph" : "map";
      var b = $("kg-layout");
      b.setAttribute("aria-pressed", state.layout === "map" ? "true" : "false");
      b.textContent = state.layout === "map" ? "关系图 Graph" : "地图 Map";
      render();
    });
    $("kg-table-toggle").addEventListener("click", function () {
      var t = $("kg-table");
      t.hidden = !t.hidden;
      $("kg-table-toggle").setAttribute("aria-pressed", t.hidden ? "false" : "true");
      if (!t.hidden) { renderTable(); }
    });
    $("kg-table-close").addEventListener("click", function () { $("kg-table").hidden = true; $("kg-table-toggle").setAttribute("aria-pressed", "false"); });
    $("kg-csv").addEventListener("click", exportCSV);
    $("kg-png").addEventListener("click", exportPNG);

    var rows = {};
    for (var k = 0; k < N; k++) {
      var s = ND.sub[k] >= 0 ? SUBS[ND.sub[k]] : null;
      var own = s && s.color ? s : null;
      var key = CLS[k] + "/" + (own ? own.key : "");
      if (!rows[key]) {
        rows[key] = {
          order: ND.cls[k], sub: own ? own.key : "",
          text: own ? own.zh + " " + own.key : CLASSES[ND.cls[k]].zh + " " + CLS[k],
          shape: CLASSES[ND.cls[k]].shape, color: own ? own.color : CLASSES[ND.cls[k]].color, n: 0
        };
      }
      rows[key].n += 1;
    }
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
    for (var e = 0; e < E; e++) { relCounts[eRel[e]] = (relCounts[eRel[e]] || 0) + 1; }
    var rels = $("kg-rel-legend");
    var agg = el("li");
    var aggLine = el("span", "kg-line");
    aggLine.style.borderTopColor = "#e8862a";
    aggLine.style.borderTopWidth = "4px";
    agg.appendChild(aggLine);
    agg.appendChild(el("span", null, "合作（总览聚合）partnerships, aggregated"));
    rels.appendChild(agg);
    RELS.forEach(function (r, n) {
      if (!relCounts[n]) { return; }
      var li = el("li");
      var line = el("span", "kg-line" + (r.key === "locatedIn" ? " kg-line-dashed" : ""));
      line.style.borderTopColor = r.color;
      li.appendChild(line);
      li.appendChild(el("span", null, r.zh + " " + r.key));
      li.appendChild(el("span", "kg-count", relCounts[n]));
      rels.appendChild(li);
    });
    $("kg-legend-note").textContent =
      "节点大小 = 度（关系数） node size = degree (number of relations)\n" +
      "总览：地点与最强的机构，每对之间的合作合并为一条线，粗细 = 合作数 overview: places and the strongest institutions; the partnerships between two of them are one line, width = count\n" +
      "点击节点查看其邻域 click a node to focus its neighbourhood";
  }

  function nodeIndex(id) {
    var tail = String(id);
    if (tail.indexOf(DATA.base) === 0) { tail = tail.slice(DATA.base.length); }
    if (!INDEX_BY_ID) { INDEX_BY_ID = {}; ND.id.forEach(function (x, n) { INDEX_BY_ID[x] = n; }); }
    var k = INDEX_BY_ID[tail];
    return k === undefined ? -1 : k;
  }
  var INDEX_BY_ID = null;

  network.on("click", function (p) {
    if (p.nodes.length === 1) { focusNode(p.nodes[0]); return; }
    if (p.edges.length === 1) {
      var edge = network.body.data.edges.get(p.edges[0]);
      if (edge && edge.kind === "agg") {
        $("kg-details-body").replaceChildren(describeAggregate(edge));
        $("kg-details").hidden = false;
      }
    }
  });

  /* ---- life cycle ------------------------------------------------------------------------------ */
  var view = {
    network: network,
    total: N,
    ready: false,
    timings: { scriptStart: scriptStart, parsed: null, firstPaint: null, settled: null },
    nodeIndex: nodeIndex,
    search: search,
    matches: function (q) { return matches(q, 10).map(function (m) { return ND.id[m.node]; }); },
    focus: function (id) { return focusNode(nodeIndex(id)); },
    overview: function () { return toLevel(0); },
    back: function () { return toLevel(Math.max(0, state.stack.length - 2)); },
    mode: function () { return current().kind; },
    centre: function () { return current().kind === "focus" ? ND.id[current().node] : null; },
    layout: function () { return state.layout; },
    nextDraw: nextDraw,
    profile: function () { return profile; },
    render: render,
    visibleNodeIds: function () { return drawn.nodes.map(function (k) { return ND.id[k]; }); },
    visibleEdgeIds: function () { return network.body.data.edges.getIds(); },
    positions: function () {
      var pos = network.getPositions();
      var r = {};
      Object.keys(pos).forEach(function (k) { r[ND.id[k]] = [pos[k].x, pos[k].y]; });
      return r;
    },
    tableRows: function () { tableData(); return table.rows; },
    tableCSV: tableCSV
  };
  /* the DataSets vis made of the last setData: what is drawn */
  Object.defineProperty(view, "nodes", { get: function () { return network.body.data.nodes; } });
  Object.defineProperty(view, "edges", { get: function () { return network.body.data.edges; } });
  window.kgView = view;

  buildControls();
  view.timings.parsed = performance.now();
  render().then(function (t) {
    view.timings.firstPaint = t;
    $("kg-progress").hidden = true;
    requestAnimationFrame(function () {
      view.timings.settled = performance.now();
      view.ready = true;
      document.body.setAttribute("data-kg-ready", "1");
    });
  });
})();
