/**
 * The viewer's script, sent as it is written here (no build step). It reads reports from
 * /api/reports with the key the page was opened with and keeps a call log:
 * - rows are made once per report and then only moved, filtered or removed: a refresh never
 *   rebuilds the list, so a text selection, the keyboard focus and the scroll position survive it;
 * - everything from a report goes into the page as text (textContent, title), never as markup:
 *   claims, headers, query and body are attacker-controlled;
 * - objects from a report are read with own-property lookups only (a claim named "constructor" is a
 *   claim, not Object.prototype.constructor).
 * Written without template literals so that it can sit in a TypeScript template string.
 */
export const VIEWER_SCRIPT = String.raw`
"use strict";
(() => {
  const catalog = JSON.parse(document.getElementById("catalog").textContent);
  const key = new URLSearchParams(location.search).get("code") || "";
  const api = location.pathname.replace(/\/viewer\/?$/, "/reports");
  const own = (obj, name) => obj != null && Object.prototype.hasOwnProperty.call(obj, name);
  const get = (obj, name) => (own(obj, name) ? obj[name] : undefined);
  const $ = (id) => document.getElementById(id);
  const tbody = document.querySelector("#calls tbody");
  const listPane = $("list-pane");
  const detail = $("detail");
  const main = $("main");
  /** id -> { report, tr }: a row is made once per report. */
  const rows = new Map();
  let selected = null;
  let everLoaded = false;

  const el = (tag, props, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (k === "className") node.className = v; else if (k === "dataset") Object.assign(node.dataset, v); else node.setAttribute(k, v);
    }
    for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(child == null ? "" : String(child)));
    return node;
  };
  const text = (v) => (typeof v === "string" ? v : v == null ? "" : JSON.stringify(v));
  const duration = (s) => {
    const a = Math.abs(Math.round(s));
    return a < 60 ? a + " s" : a < 3600 ? Math.floor(a / 60) + " min" : a < 86400 ? Math.floor(a / 3600) + " h " + Math.floor((a % 3600) / 60) + " min" : Math.floor(a / 86400) + " d";
  };
  const clock = (iso) => {
    const d = new Date(iso);
    return isNaN(d) ? "" : d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });
  };
  const claimsOf = (report) => (report.token && report.token.claims) || {};
  /** The first problem: info notices (OBO_HEADER_ABSENT, NOT_CONFIGURED) are not problems. */
  const firstProblem = (report) => report.reasons.find((r) => r.severity !== "info");
  const queryText = (query) => {
    const parts = [];
    for (const name of Object.keys(query || {})) parts.push(name + "=" + query[name]);
    return parts.length ? "?" + parts.join("&") : "";
  };
  // MCP calls (/api/mcp) carry the JSON-RPC method and tool: "POST /api/mcp · tools/call token_report".
  const mcpLabel = (report) => {
    const mcp = own(report, "mcp") ? report.mcp : null;
    if (!mcp) return "";
    return " \u00b7 " + (mcp.method || mcp.endpoint) + (mcp.tool ? " " + mcp.tool : "") + (mcp.status >= 400 ? " (" + mcp.status + ")" : "");
  };
  const callText = (report) => report.request.method + " " + report.request.path + mcpLabel(report) + queryText(report.request.query);
  /** A list cell: one line, cut with an ellipsis by CSS; the whole value stays in its text (copy) and title (hover). */
  const cell = (className, value, ...children) => el("td", { className, title: value }, ...(children.length ? children : [value]));

  function makeRow(report) {
    const claims = claimsOf(report);
    const problem = firstProblem(report);
    const call = callText(report);
    const body = typeof report.request.bodyPreview === "string" ? report.request.bodyPreview : "";
    const aud = text(get(claims, "aud"));
    const client = (report.token && report.token.client) || "";
    const tr = el("tr", { dataset: { id: report.id }, tabindex: "-1", "aria-selected": "false" },
      cell("c-time", clock(report.receivedAt)),
      cell("c-call mono", body ? call + "  " + body : call, el("span", { className: "method" }, report.request.method), " " + report.request.path + mcpLabel(report),
        el("span", { className: "query" }, queryText(report.request.query)), body ? el("span", { className: "body" }, "  " + body) : ""),
      cell("c-caller", report.connector.caller),
      el("td", { className: "c-verdict" }, el("span", { className: "badge " + report.verdict }, report.verdict)),
      cell("c-problem mono" + (problem ? "" : " none"), problem ? problem.code : "-"),
      cell("c-aud mono", aud),
      cell("c-client mono", client));
    tr.cells[0].title = report.receivedAt;
    tr.addEventListener("click", () => open(report.id, false));
    tr.addEventListener("focus", () => rove(tr));
    return tr;
  }

  // Filters: verdict, reason code (any reason, problem or note), and text anywhere in the row's values.
  function matches(report) {
    const verdict = $("f-verdict").value;
    const code = $("f-code").value;
    const words = $("f-text").value.trim().toLowerCase();
    if (verdict && report.verdict !== verdict) return false;
    if (code && !report.reasons.some((r) => r.code === code)) return false;
    if (!words) return true;
    const claims = claimsOf(report);
    const hay = [callText(report), report.request.bodyPreview || "", report.connector.caller, report.verdict, report.id, report.summary,
      text(get(claims, "aud")), (report.token && report.token.client) || "", text(get(claims, "scp")), text(get(claims, "roles")),
      ...report.reasons.map((r) => r.code)].join("\n").toLowerCase();
    return words.split(/\s+/).every((w) => hay.includes(w));
  }
  function applyFilters() {
    let shown = 0;
    for (const { report, tr } of rows.values()) {
      tr.hidden = !matches(report);
      if (!tr.hidden) shown++;
    }
    $("none").hidden = rows.size > 0;
    $("filtered-out").hidden = rows.size === 0 || shown > 0;
    return shown;
  }
  for (const id of ["f-verdict", "f-code", "f-text"]) $(id).addEventListener("input", applyFilters);

  // Keyboard: one tab stop in the list (the current row); arrows, Home and End move, Enter opens, Escape closes.
  function rove(tr) {
    for (const other of tbody.querySelectorAll('tr[tabindex="0"]')) if (other !== tr) other.setAttribute("tabindex", "-1");
    tr.setAttribute("tabindex", "0");
  }
  const visibleRows = () => [...tbody.rows].filter((r) => !r.hidden);
  tbody.addEventListener("keydown", (e) => {
    const tr = e.target.closest("tr");
    if (!tr) return;
    const list = visibleRows();
    const at = list.indexOf(tr);
    let next = null;
    if (e.key === "ArrowDown") next = list[Math.min(at + 1, list.length - 1)];
    else if (e.key === "ArrowUp") next = list[Math.max(at - 1, 0)];
    else if (e.key === "Home") next = list[0];
    else if (e.key === "End") next = list[list.length - 1];
    else if (e.key === "Enter" || e.key === " ") { e.preventDefault(); open(tr.dataset.id, true); return; }
    else return;
    e.preventDefault();
    if (!next) return;
    rove(next);
    next.focus();
    // As in a mail client: with a report open, moving opens the next one.
    if (selected) open(next.dataset.id, false);
  });
  document.addEventListener("keydown", (e) => {
    if (e.key !== "Escape" || !selected || e.target.closest("#filters")) return;
    const entry = rows.get(selected);
    close();
    if (entry) { rove(entry.tr); entry.tr.focus(); }
  });

  function close() {
    selected = null;
    for (const tr of tbody.querySelectorAll("tr.selected")) { tr.classList.remove("selected"); tr.setAttribute("aria-selected", "false"); }
    detail.replaceChildren();
    detail.hidden = true;
    main.classList.remove("open");
  }

  function section(id, title, ...children) {
    return el("section", id ? { id } : {}, el("h2", {}, title), ...children);
  }
  function pairs(id, entries, className) {
    const list = el("dl", id ? { id, className: "pairs" } : { className: "pairs" });
    for (const [name, value, note] of entries) {
      list.append(el("dt", { className: "mono" }, name), el("dd", {}, el("span", { className: "mono " + (className || "") }, value), note ? el("span", { className: "desc" }, note) : ""));
    }
    return list;
  }

  function open(id, focusDetail) {
    const entry = rows.get(id);
    if (!entry) return;
    const report = entry.report;
    if (selected !== id) {
      selected = id;
      for (const tr of tbody.querySelectorAll("tr.selected")) { tr.classList.remove("selected"); tr.setAttribute("aria-selected", "false"); }
      entry.tr.classList.add("selected");
      entry.tr.setAttribute("aria-selected", "true");
      rove(entry.tr);
      render(report);
    }
    main.classList.add("open");
    detail.hidden = false;
    detail.scrollTop = 0;
    // The row stays visible beside its report (the list pane scrolls, not the page).
    entry.tr.scrollIntoView({ block: "nearest" });
    if (focusDetail) $("close").focus();
  }

  function render(report) {
    detail.replaceChildren();
    const problem = firstProblem(report);
    detail.append(el("div", { id: "overview" },
      el("div", { className: "title" },
        el("span", { className: "badge " + report.verdict }, report.verdict),
        problem ? el("span", { className: "mono code" }, problem.code) : "",
        el("span", { className: "when", title: report.receivedAt }, clock(report.receivedAt)),
        el("button", { id: "close", type: "button", title: "Close (Esc)", "aria-label": "Close the report" }, "\u00d7")),
      el("p", { id: "summary" }, report.summary),
      el("p", { className: "mono sub" }, callText(report))));
    $("close").addEventListener("click", () => {
      const entry = rows.get(selected);
      close();
      if (entry) entry.tr.focus();
    });

    const problems = report.reasons.filter((r) => r.severity !== "info");
    const notes = report.reasons.filter((r) => r.severity === "info");
    const reasonList = (list) => list.map((r) => el("div", { className: "reason " + r.severity },
      el("p", {}, el("strong", { className: "mono" }, r.code), " ", el("span", { className: "sev" }, r.severity)),
      el("p", {}, r.message),
      el("p", { className: "fix" }, el("strong", {}, "Fix: "), r.fix),
      el("p", { className: "desc" }, (get(catalog.reasons, r.code) || {}).meaning || "")));
    if (problems.length) detail.append(section("reasons", "Problems", ...reasonList(problems)));
    if (notes.length) detail.append(section(problems.length ? "notes" : "reasons", "Notes", ...reasonList(notes)));

    const checks = el("tbody");
    for (const c of report.checks) {
      checks.append(el("tr", {}, el("td", {}, c.name), el("td", { className: "status-" + c.status }, c.status),
        el("td", { className: "mono" }, c.expected || ""), el("td", { className: "mono" }, c.found || ""), el("td", {}, c.detail || "")));
    }
    detail.append(section("checks", "Checks",
      el("table", {}, el("thead", {}, el("tr", {}, el("th", {}, "check"), el("th", {}, "status"), el("th", {}, "expected"), el("th", {}, "found"), el("th", {}, "detail"))), checks)));
    // Panels from their own modules (./front-doors.ts), given the report and what they need to call the app.
    for (const panel of window.tokenEchoPanels || []) {
      const node = panel(report, { key, api });
      if (node) detail.append(node);
    }

    const token = report.token;
    if (token && token.claims) {
      const now = Date.now() / 1000;
      const entries = Object.keys(token.claims).map((name) => {
        const time = get(token.times, name);
        let shown = text(token.claims[name]);
        if (time && typeof time.epoch === "number") {
          const future = time.epoch >= now;
          shown = time.iso + " (" + (name === "exp" ? (future ? "expires in " : "expired ") + duration(time.epoch - now) + (future ? "" : " ago") : duration(now - time.epoch) + (future ? " from now" : " ago")) + ")";
        }
        const description = get(token.claimDescriptions, name);
        return [name, shown, typeof description === "string" ? description : ""];
      });
      detail.append(section("token", "Claims (v" + (token.version || "?") + ", " + (token.kind || "unknown") + ")", pairs("claims", entries, "claim-value"),
        el("p", { className: "mono sub" }, token.fingerprint)));
    }

    const request = report.request;
    const parts = [el("p", { className: "mono" }, request.method + " " + request.path + mcpLabel(report))];
    const query = Object.keys(request.query || {});
    if (query.length) parts.push(el("h3", {}, "Query"), pairs("query", query.map((n) => [n, request.query[n]])));
    if (own(request, "bodyPreview")) {
      const about = request.bodySize + " bytes" + (request.contentType ? ", " + request.contentType : "");
      parts.push(el("h3", {}, "Body (" + about + ")"),
        request.bodyPreview === null ? el("p", { className: "desc" }, "Not text: not shown.") : el("pre", { id: "body", className: "mono" }, request.bodyPreview));
    }
    parts.push(el("h3", {}, "Headers"), pairs("headers", Object.keys(request.headers).map((n) => [n, request.headers[n]])));
    detail.append(section("request", "Request", ...parts));
  }

  function gate(title, why) {
    $("status").textContent = "";
    $("gate-title").textContent = title;
    $("gate-why").textContent = why;
    $("gate").hidden = false;
    main.hidden = true;
    $("filters").hidden = true;
    document.title = title + " - token-echo viewer";
  }

  async function refresh() {
    const status = $("status");
    if (!key) {
      gate("This viewer needs the function key", "The address has no ?code=. The list of calls comes from /api/reports, which only answers with the function app's key.");
      return false;
    }
    try {
      const res = await fetch(api + "?limit=200", { headers: { "x-functions-key": key }, cache: "no-store" });
      if (res.status === 401 || res.status === 403) {
        gate("401: this key was not accepted", "The ?code= in the address is not a key of this function app, so /api/reports refused it (HTTP " + res.status + ").");
        return false;
      }
      if (!res.ok) { status.textContent = "error " + res.status + " from /api/reports"; return true; }
      const body = await res.json();
      update(body.reports);
      everLoaded = true;
      status.textContent = body.count + " calls (" + body.history + " history) \u00b7 updated " + clock(new Date().toISOString());
    } catch (e) {
      status.textContent = (everLoaded ? "offline, retrying: " : "cannot reach the app: ") + e.message;
    }
    return true;
  }

  /** Adds new rows at their place and drops old ones; existing rows are left alone. */
  function update(reports) {
    const before = listPane.scrollHeight;
    const keepScroll = listPane.scrollTop > 0;
    const seen = new Set();
    let previous = null;
    for (const report of reports) {
      seen.add(report.id);
      let entry = rows.get(report.id);
      if (!entry) {
        entry = { report, tr: makeRow(report) };
        rows.set(report.id, entry);
      }
      const wanted = previous ? previous.nextSibling : tbody.firstChild;
      if (wanted !== entry.tr) tbody.insertBefore(entry.tr, wanted);
      previous = entry.tr;
    }
    for (const [id, entry] of rows) {
      if (seen.has(id) || id === selected) continue;
      entry.tr.remove();
      rows.delete(id);
    }
    if (!tbody.querySelector('tr[tabindex="0"]') && tbody.rows.length) tbody.rows[0].setAttribute("tabindex", "0");
    applyFilters();
    // Rows added above keep what the reader is looking at in place (the pane has overflow-anchor: none,
    // so that browsers with scroll anchoring do not move it twice).
    if (keepScroll) listPane.scrollTop += listPane.scrollHeight - before;
  }

  const codes = $("f-code");
  for (const code of Object.keys(catalog.reasons)) codes.append(el("option", { value: code }, code));
  // Every 2 seconds while the page is visible; at once when it becomes visible again.
  refresh().then((go) => {
    if (!go) return;
    setInterval(() => { if (!document.hidden) refresh(); }, 2000);
    document.addEventListener("visibilitychange", () => { if (!document.hidden) refresh(); });
  });
})();
`;
