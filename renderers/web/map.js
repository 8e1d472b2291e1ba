/* The interactive journey map: renders the JSON in #cjm-data (an exported file) or
   fetched from the bot (the Telegram Mini App, config.mode == "webapp"). Plain script,
   no library; every text of the page comes from #cjm-ui (the bot's catalogs). */
(function () {
  "use strict";
  if (window.performance && performance.mark) performance.mark("cjm-start");
  var $ = function (id) { return document.getElementById(id); };
  var json = function (id) { return JSON.parse($(id).textContent || "null"); };
  var UI = json("cjm-ui"), CONFIG = json("cjm-config") || {};
  var DATA = null, cardEls = [], cardText = [], firstCard = {};
  var state = { dept: "", query: "", lanesOff: {}, zoom: 1 };
  var laneStyle = document.createElement("style");
  document.head.appendChild(laneStyle);

  function tr(key, params) {
    var text = UI[key] || key;
    for (var name in params || {}) text = text.split("{" + name + "}").join(String(params[name]));
    return text;
  }
  function esc(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function fmt(v) {
    var r = Math.round(v * 100) / 100;
    return String(r);
  }

  /* ------------------------------------------------------------ little charts */
  function spark(values, target, colour) {
    if (!values || !values.length) return "";
    var w = 200, h = 30, all = values.slice();
    if (target != null) all.push(target);
    var lo = Math.min.apply(null, all), hi = Math.max.apply(null, all), span = hi - lo || 1;
    var x = function (i) { return values.length === 1 ? w / 2 : 4 + i * (w - 8) / (values.length - 1); };
    var y = function (v) { return h - 4 - (v - lo) / span * (h - 8); };
    var pts = values.map(function (v, i) { return x(i).toFixed(1) + "," + y(v).toFixed(1); }).join(" ");
    var out = '<svg width="' + w + '" height="' + h + '" viewBox="0 0 ' + w + " " + h + '" aria-hidden="true">';
    if (target != null) out += '<line x1="0" x2="' + w + '" y1="' + y(target).toFixed(1) + '" y2="' + y(target).toFixed(1) + '" stroke="#555" stroke-dasharray="3 3" stroke-width="1"/>';
    out += '<polyline fill="none" stroke="' + esc(colour) + '" stroke-width="2" points="' + pts + '"/>';
    var last = values.length - 1;
    out += '<circle cx="' + x(last).toFixed(1) + '" cy="' + y(values[last]).toFixed(1) + '" r="3" fill="' + esc(colour) + '"/></svg>';
    return out;
  }

  function chart(c) {
    var rs = c.readings || [];
    if (!rs.length) return '<p class="muted">' + esc(tr("details.no_readings")) + "</p>";
    var W = 400, H = 200, L = 44, R = 12, T = 14, B = 34;
    var vals = rs.map(function (r) { return r[1]; });
    var all = vals.slice();
    if (c.target != null) all.push(c.target);
    var lo = Math.min.apply(null, all), hi = Math.max.apply(null, all);
    var pad = (hi - lo) * 0.12 || Math.abs(hi) * 0.1 || 1;
    lo -= pad; hi += pad;
    var x = function (i) { return rs.length === 1 ? (L + W - R) / 2 : L + i * (W - L - R) / (rs.length - 1); };
    var y = function (v) { return T + (hi - v) / (hi - lo) * (H - T - B); };
    var s = '<svg class="chart" viewBox="0 0 ' + W + " " + H + '" role="img" aria-label="' + esc(tr("details.readings")) + '">';
    for (var g = 0; g <= 4; g++) {
      var gv = lo + (hi - lo) * g / 4, gy = y(gv).toFixed(1);
      s += '<line x1="' + L + '" x2="' + (W - R) + '" y1="' + gy + '" y2="' + gy + '" stroke="#e4e7eb"/>';
      s += '<text x="' + (L - 4) + '" y="' + gy + '" font-size="10" text-anchor="end" dominant-baseline="middle" fill="#6b7480">' + esc(fmt(gv)) + "</text>";
    }
    if (c.target != null) {
      var ty = y(c.target).toFixed(1);
      s += '<line class="target" x1="' + L + '" x2="' + (W - R) + '" y1="' + ty + '" y2="' + ty + '" stroke="#1f2430" stroke-dasharray="6 4" stroke-width="1.5"/>';
      s += '<text x="' + (W - R) + '" y="' + (ty - 4) + '" font-size="11" text-anchor="end" fill="#1f2430">' + esc(tr("details.target")) + " " + esc(fmt(c.target)) + "</text>";
    }
    var pts = rs.map(function (r, i) { return x(i).toFixed(1) + "," + y(r[1]).toFixed(1); }).join(" ");
    s += '<polyline fill="none" stroke="' + esc(c.colour) + '" stroke-width="2.5" points="' + pts + '"/>';
    var every = Math.max(1, Math.ceil(rs.length / 6));
    rs.forEach(function (r, i) {
      s += '<circle class="reading" data-value="' + esc(r[1]) + '" cx="' + x(i).toFixed(1) + '" cy="' + y(r[1]).toFixed(1) + '" r="4" fill="' + esc(c.colour) + '"><title>' + esc(r[0] + ": " + fmt(r[1]) + " " + (c.unit || "")) + "</title></circle>";
      var anchor = rs.length > 1 && i === rs.length - 1 ? "end" : rs.length > 1 && i === 0 ? "start" : "middle";
      if (i % every === 0 || i === rs.length - 1)
        s += '<text x="' + x(i).toFixed(1) + '" y="' + (H - 12) + '" font-size="10" text-anchor="' + anchor + '" fill="#6b7480">' + esc(r[0]) + "</text>";
    });
    s += "</svg>";
    s += "<table>" + rs.map(function (r) {
      return "<tr><td>" + esc(r[0]) + "</td><td><b>" + esc(fmt(r[1])) + " " + esc(c.unit || "") + "</b></td><td class=muted>" + esc(r[2] || "") + "</td></tr>";
    }).join("") + "</table>";
    return s;
  }

  /* ----------------------------------------------------------------- the map */
  function emotionCell(stage) {
    var e = stage.emo;
    if (!e) return '<div class="emo">' + esc(tr("emotion.none")) + "</div>";
    var mean = e.mean;
    if (state.dept !== "") {
      mean = e.by[state.dept];
      if (mean == null) return '<div class="emo">' + esc(tr("emotion.none")) + "</div>";
    }
    var hue = Math.round((mean + 2) / 4 * 120);
    return '<div class="emo' + (e.flag ? " flag" : "") + '"><span class="dot" style="background:hsl(' + hue + ',55%,45%)">' +
      esc((mean > 0 ? "+" : "") + fmt(mean)) + "</span>" + (e.flag ? "⚠ " : "") +
      esc(tr("emotion.mean", { mean: fmt(mean), count: e.count })) + "</div>";
  }

  function cardHtml(c, i) {
    var p = c.p, body = "<b>" + esc(p[0]) + "</b>";
    for (var k = 1; k < p.length; k++) body += "<span>" + esc(p[k]) + "</span>";
    if (c.g) body += spark(c.g, c.t, DATA.colours[c.c]);
    var C = DATA.colours;
    var style = "--c:" + C[c.c] + ";background:" + C[c.f] + (c.k != null ? ";color:" + C[c.k] : "");
    var note = c.l === "goal" || c.l === "actions" || c.l === "thoughts";
    return '<div class="card' + (c.x ? " dashed" : "") + (note ? " note" : "") + '" tabindex="0" role="button" data-i="' + i + '" data-d="' + c.d + '" style="' + esc(style) + '">' + body + "</div>";
  }

  function unpack(a, lanes, strings) {  // see renderers/html.py _Page.card
    var p = a[6].map(function (x) { return typeof x === "number" ? strings[x] : x; });
    var c = { s: a[0], l: lanes[a[1]][0], d: a[2], c: a[3], f: a[4], p: p };
    if (a[5] >= 0) c.r = a[5];
    var x = a[7];
    if (x) { if (x.k != null) c.k = x.k; if (x.x) c.x = 1; if (x.g) { c.g = x.g; c.t = x.t; } }
    return c;
  }

  var FIRST_COLUMNS = 8, CHUNK = 12, generation = 0;

  function render(data) {
    data.cards = data.cards.map(function (a) { return unpack(a, data.lanes, data.strings || []); });
    DATA = data;
    var mine = ++generation;
    document.title = data.title;
    $("title").textContent = data.title;
    $("subtitle").textContent = data.subtitle;
    $("summary").textContent = data.summary;
    var n = data.stages.length, lanes = data.lanes;
    var grid = $("grid");
    grid.style.setProperty("--cols", n);
    var byCell = {};
    firstCard = {};
    data.cards.forEach(function (c, i) {
      if (c.r != null && firstCard[c.r] == null) firstCard[c.r] = i;
      var key = c.l + ":" + c.s;
      (byCell[key] = byCell[key] || []).push(i);
    });
    var fill = function (key, s) {
      if (key === "emotion") return emotionCell(data.stages[s]);
      return (byCell[key + ":" + s] || []).map(function (i) { return cardHtml(data.cards[i], i); }).join("");
    };
    // the columns in view first; the others right after the first paint, a few at a time
    var first = Math.min(n, Math.max(FIRST_COLUMNS, Math.ceil(window.innerWidth / 180) + 2));
    var html = ['<div class="corner"></div>'];
    data.stages.forEach(function (s) {
      html.push('<div class="stage"><small>' + esc(tr("stage", { number: s.n })) + "</small>" + esc(s.name) + "</div>");
    });
    lanes.forEach(function (lane) {
      var key = lane[0];
      html.push('<div class="lane ln-' + key + '"><span>' + esc(lane[1]) + "</span></div>");
      for (var s = 0; s < n; s++)
        html.push('<div class="cell ln-' + key + '" id="c-' + key + "-" + s + '" data-s="' + s + '">' + (s < first ? fill(key, s) : "") + "</div>");
    });
    grid.innerHTML = html.join("");
    cardEls = new Array(data.cards.length);  // by card index (the page shows them lane by lane)
    var register = function (root) {
      var shown = root.querySelectorAll(".card");
      for (var e = 0; e < shown.length; e++) cardEls[+shown[e].getAttribute("data-i")] = shown[e];
    };
    register(grid);
    cardText = data.cards.map(function (c) { return c.p.join(" ").toLowerCase(); });
    controls(data);
    applyLanes();
    applyFilter(false);
    document.body.classList.add("ready");
    if (window.performance && performance.mark) {
      performance.mark("cjm-rendered");
      // the frame after the one that shows the map: its first paint (bench/html.py)
      requestAnimationFrame(function () { setTimeout(function () { performance.mark("cjm-painted"); }, 0); });
    }
    var done = function () {
      applyFilter(false);
      if (window.performance && performance.mark) performance.mark("cjm-complete");
      document.documentElement.setAttribute("data-ready", "1");
    };
    var next = function (from) {
      if (mine !== generation) return;  // a newer map replaced this one
      if (from >= n) return done();
      for (var s = from; s < Math.min(n, from + CHUNK); s++)
        lanes.forEach(function (lane) {
          var cell = document.getElementById("c-" + lane[0] + "-" + s);
          cell.innerHTML = fill(lane[0], s);
          register(cell);
        });
      if (state.dept !== "" || state.query) applyFilter(false);
      setTimeout(function () { next(from + CHUNK); }, 0);
    };
    if (first >= n) done();
    else requestAnimationFrame(function () { setTimeout(function () { next(first); }, 0); });
  }

  function controls(data) {
    $("search").placeholder = tr("search.placeholder");
    var sel = $("dept");
    sel.setAttribute("aria-label", tr("filter.department"));
    sel.innerHTML = '<option value="">' + esc(tr("filter.all")) + "</option>" + data.depts.map(function (d, i) {
      return '<option value="' + i + '">' + esc(d[0]) + "</option>";
    }).join("");
    sel.value = state.dept;
    $("lanes-label").textContent = tr("filter.lanes");
    $("lanes").innerHTML = data.lanes.map(function (lane) {
      return '<label><input type="checkbox" value="' + esc(lane[0]) + '"' + (state.lanesOff[lane[0]] ? "" : " checked") + "> " + esc(lane[1]) + "</label>";
    }).join("");
    var persona = data.persona || [];
    if (persona.length && persona[0][1] !== "") {
      $("persona-box").hidden = false;
      $("persona-label").textContent = tr("persona") + ": " + persona[0][0];
      $("persona").innerHTML = persona.map(function (row, i) {
        return i === 0 ? "<dt>" + esc(row[0]) + "</dt><dd>" + esc(row[1]) + "</dd>" : "<dt>" + esc(row[0]) + "</dt><dd>" + esc(row[1]) + "</dd>";
      }).join("");
    }
    $("zoom-in").title = tr("zoom.in");
    $("zoom-out").title = tr("zoom.out");
    $("zoom-reset").title = tr("zoom.reset");
  }

  function applyLanes() {
    var rules = [];
    for (var key in state.lanesOff) if (state.lanesOff[key]) rules.push(".ln-" + key + "{display:none!important}");
    laneStyle.textContent = rules.join("\n");
  }

  function applyFilter(scroll) {
    if (!DATA) return;
    var q = state.query.trim().toLowerCase(), dept = state.dept, shown = 0, first = null;
    for (var i = 0; i < cardEls.length; i++) {
      var c = DATA.cards[i], el = cardEls[i];
      if (!el) continue;
      var ok = (dept === "" || String(c.d) === dept) && (!q || cardText[i].indexOf(q) >= 0);
      if (el.hidden === ok) el.hidden = !ok;
      el.classList.toggle("hit", !!q && ok);
      if (ok && !state.lanesOff[c.l]) { shown++; if (!first) first = el; }
    }
    $("found").textContent = q || dept !== "" ? (shown ? tr("search.found", { count: shown }) : tr("search.none")) : "";
    var cells = $("grid").querySelectorAll(".cell.ln-emotion");
    for (var s = 0; s < cells.length; s++) cells[s].innerHTML = emotionCell(DATA.stages[s]);
    if (scroll && q && first) first.scrollIntoView({ block: "nearest", inline: "center" });
  }

  /* --------------------------------------------------------------- details */
  function openCard(i) {
    var c = DATA.cards[i];
    if (c.r != null) return openDetail(c.r);
    var lane = c.l === "discuss" ? tr("kind.flag") : kindOf({ kind: c.l });
    var out = '<div class="kind">' + esc(lane) + "</div><h2>" + esc(c.p.join("\n")) + "</h2>";
    if (c.d >= 0) out += "<dl>" + fact(["dept", c.d]) + "</dl>";
    show(out);
  }

  function kindOf(d) {
    for (var i = 0; i < DATA.lanes.length; i++) if (DATA.lanes[i][0] === d.kind) return DATA.lanes[i][1];
    return tr("kind." + d.kind);
  }
  function titleOf(r) {
    var d = DATA.details[r] || {};
    if (d.title != null) return d.title;
    var c = DATA.cards[firstCard[r]];
    return c ? c.p[0] : "";
  }
  function fact(f) {
    var key = f[0], label = tr(key.indexOf(".") > 0 ? key : "details." + key), value = f[1];
    if (key === "dept") { label = tr("details.department"); value = (DATA.depts[value] || ["—"])[0]; }
    if (key === "stale") { label = tr("details.staleness"); value = tr(f[2] ? "details.stale_yes" : "details.stale_no", { days: f[1] }); }
    return "<dt>" + esc(label) + "</dt><dd" + (key === "stale" && f[2] ? ' class="stale"' : "") + ">" + esc(value) + "</dd>";
  }

  function openDetail(r) {
    var d = DATA.details[r] || {};
    var out = '<div class="kind">' + esc(kindOf(d)) + "</div><h2>" + esc(titleOf(r)) + "</h2>";
    if (d.facts && d.facts.length) out += "<dl>" + d.facts.map(fact).join("") + "</dl>";
    if (d.evidence) {
      out += "<h3>" + esc(tr("details.evidence")) + "</h3><p>" + esc(d.evidence.kind || "");
      if (d.evidence.text) out += (d.evidence.kind ? ": " : "") + esc(d.evidence.text);
      out += "</p>";
      if (d.evidence.url) out += '<p><a href="' + esc(d.evidence.url) + '" target="_blank" rel="noopener noreferrer">' + esc(tr("details.evidence_link")) + "</a></p>";
    }
    if (d.chart) out += "<h3>" + esc(tr("details.readings")) + "</h3>" + chart(d.chart);
    out += "<h3>" + esc(tr("details.history")) + "</h3>";
    out += d.hist && d.hist.length
      ? "<ul class=history>" + d.hist.map(function (h) { return "<li>" + esc(h[0]) + " · " + esc(h[1]) + (h[2] ? " · " + esc(h[2]) : "") + "</li>"; }).join("") + "</ul>"
      : '<p class="muted">' + esc(tr("details.no_history")) + "</p>";
    if (d.rel && d.rel.length) {
      out += "<h3>" + esc(tr("details.related")) + "</h3><ul>" + d.rel.map(function (k) {
        var o = DATA.details[k] || {};
        return '<li><button type="button" class="rel" data-r="' + k + '">' + esc(kindOf(o)) + ": " + esc(titleOf(k)) + "</button></li>";
      }).join("") + "</ul>";
    }
    show(out);
  }

  function show(html) {
    $("sheet-body").innerHTML = html;
    $("sheet").hidden = false;
    $("backdrop").hidden = false;
    $("sheet").scrollTop = 0;
    $("sheet-close").title = tr("details.close");
    $("sheet-close").focus();
  }
  function closeSheet() { $("sheet").hidden = true; $("backdrop").hidden = true; }

  /* ------------------------------------------------------------------ zoom */
  function setZoom(z) {
    state.zoom = Math.max(0.3, Math.min(2.5, z));
    $("grid").style.zoom = state.zoom;
    $("zoom-reset").textContent = Math.round(state.zoom * 100) + "%";
  }
  function pinch() {
    var sc = $("scroller"), start = 0, base = 1;
    var dist = function (t) { return Math.hypot(t[0].clientX - t[1].clientX, t[0].clientY - t[1].clientY); };
    sc.addEventListener("touchstart", function (e) {
      if (e.touches.length === 2) { start = dist(e.touches); base = state.zoom; }
    }, { passive: true });
    sc.addEventListener("touchmove", function (e) {
      if (e.touches.length === 2 && start) { e.preventDefault(); setZoom(base * dist(e.touches) / start); }
    }, { passive: false });
    sc.addEventListener("touchend", function (e) { if (e.touches.length < 2) start = 0; });
  }

  /* ----------------------------------------------------------------- events */
  function wire() {
    var timer = 0;
    $("search").addEventListener("input", function (e) {
      clearTimeout(timer);
      var value = e.target.value;
      timer = setTimeout(function () { state.query = value; applyFilter(true); }, 120);
    });
    $("search").addEventListener("keydown", function (e) {
      if (e.key === "Enter") { clearTimeout(timer); state.query = e.target.value; applyFilter(true); }
    });
    $("dept").addEventListener("change", function (e) { state.dept = e.target.value; applyFilter(false); });
    $("lanes").addEventListener("change", function (e) {
      state.lanesOff[e.target.value] = !e.target.checked; applyLanes(); applyFilter(false);
    });
    $("grid").addEventListener("click", function (e) {
      var card = e.target.closest(".card");
      if (card) openCard(+card.getAttribute("data-i"));
    });
    $("grid").addEventListener("keydown", function (e) {
      var card = e.target.closest && e.target.closest(".card");
      if (card && (e.key === "Enter" || e.key === " ")) { e.preventDefault(); openCard(+card.getAttribute("data-i")); }
    });
    $("sheet-body").addEventListener("click", function (e) {
      var rel = e.target.closest(".rel");
      if (rel) openDetail(+rel.getAttribute("data-r"));
    });
    $("sheet-close").addEventListener("click", closeSheet);
    $("backdrop").addEventListener("click", closeSheet);
    document.addEventListener("keydown", function (e) { if (e.key === "Escape") closeSheet(); });
    $("zoom-in").addEventListener("click", function () { setZoom(state.zoom * 1.25); });
    $("zoom-out").addEventListener("click", function () { setZoom(state.zoom / 1.25); });
    $("zoom-reset").addEventListener("click", function () { setZoom(1); });
    pinch();
  }

  /* ------------------------------------------------------- the Mini App mode */
  function message(text) {
    var box = $("message");
    box.textContent = text;
    box.hidden = !text;
  }
  function toast(text) {
    var box = $("toast");
    box.textContent = text;
    box.hidden = false;
    setTimeout(function () { box.hidden = true; }, 2500);
  }
  function initData() {
    var tg = window.Telegram && window.Telegram.WebApp;
    if (tg && tg.initData) return tg.initData;
    var hash = new URLSearchParams(location.hash.slice(1));
    return hash.get("tgWebAppData") || "";
  }
  function telegram(event) {
    try {
      if (window.TelegramWebviewProxy) window.TelegramWebviewProxy.postEvent(event, "{}");
      else if (window.parent !== window) window.parent.postMessage(JSON.stringify({ eventType: event, eventData: {} }), "*");
    } catch (e) { /* not inside Telegram */ }
  }
  function webapp() {
    var auth = initData(), rev = null, api = CONFIG.api || "api", w = CONFIG.workshop || "";
    var ask = function (what) {
      return fetch(api + "/" + what + "?w=" + encodeURIComponent(w), {
        headers: { "X-Telegram-Init-Data": auth }, cache: "no-store", credentials: "omit"
      });
    };
    var stopped = false;
    var refused = function (status) {
      stopped = true;
      message(tr(status === 403 ? "error.forbidden" : "error.unauthorized"));
      $("grid").innerHTML = "";
      document.body.classList.remove("ready");
    };
    var load = function (again) {
      return ask("map").then(function (resp) {
        if (resp.status === 401 || resp.status === 403) return refused(resp.status);
        if (!resp.ok) throw new Error(resp.status);
        return resp.json().then(function (body) {
          rev = body.revision;
          message("");
          var scroll = [$("scroller").scrollLeft, $("scroller").scrollTop];
          render(body.map);
          $("scroller").scrollLeft = scroll[0];
          $("scroller").scrollTop = scroll[1];
          if (again) toast(tr("live.updated"));
        });
      }).catch(function () { if (!DATA) message(tr("error.network")); });
    };
    var poll = function () {
      if (stopped) return;
      ask("revision").then(function (resp) {
        if (resp.status === 401 || resp.status === 403) return refused(resp.status);
        return resp.json().then(function (body) { if (rev !== null && body.revision !== rev) return load(true); });
      }).catch(function () { /* the next poll tries again */ }).then(function () {
        if (!stopped) setTimeout(poll, CONFIG.poll_ms || 5000);
      });
    };
    message(tr("loading"));
    telegram("web_app_ready");
    telegram("web_app_expand");
    load(false).then(function () { if (!stopped) setTimeout(poll, CONFIG.poll_ms || 5000); });
  }

  wire();
  var inline = json("cjm-data");
  if (inline) render(inline);
  else if (CONFIG.mode === "webapp") webapp();
})();
