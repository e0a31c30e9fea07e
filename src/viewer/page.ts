import { CHECK_NAMES, REASONS } from '../report/reasons.js';

/**
 * The viewer: one HTML page, no build step, no framework. It polls /api/reports with the key it
 * was opened with, lists the latest calls and opens one to its full report. Everything shown is
 * put on the page with textContent: claims and headers are attacker-controlled text. The reason
 * catalog it shows comes from src/report/reasons.ts. A strict Content-Security-Policy allows only
 * this page's own script and style (by nonce) and calls to this origin.
 */
export function viewerPage(nonce: string): string {
  // JSON in a script element: "<" is escaped so no value can close the element.
  const catalog = JSON.stringify({ reasons: REASONS, checks: CHECK_NAMES }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>token-echo viewer</title>
<style nonce="${nonce}">
  :root { font: 14px/1.45 system-ui, sans-serif; color: #1b1f24; background: #f6f8fa; }
  body { margin: 0; }
  header { background: #24292f; color: #fff; padding: 10px 16px; display: flex; gap: 16px; align-items: baseline; }
  header h1 { font-size: 16px; margin: 0; }
  header #status { color: #c9d1d9; font-size: 12px; }
  main { display: grid; grid-template-columns: minmax(420px, 45%) 1fr; gap: 12px; padding: 12px; }
  table { border-collapse: collapse; width: 100%; background: #fff; }
  th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid #d0d7de; vertical-align: top; }
  th { font-size: 12px; color: #57606a; font-weight: 600; }
  #calls tbody tr { cursor: pointer; }
  #calls tbody tr:hover, #calls tbody tr.selected { background: #ddf4ff; }
  td.mono, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; overflow-wrap: anywhere; }
  .badge { display: inline-block; padding: 1px 7px; border-radius: 10px; font-size: 12px; font-weight: 600; color: #fff; }
  .badge.valid { background: #1a7f37; } .badge.invalid, .badge.no_token { background: #cf222e; } .badge.unverified { background: #9a6700; }
  .status-pass { color: #1a7f37; font-weight: 600; } .status-fail { color: #cf222e; font-weight: 600; } .status-skip { color: #6e7781; }
  section { background: #fff; border: 1px solid #d0d7de; border-radius: 6px; padding: 10px 14px; margin-bottom: 12px; }
  section h2 { font-size: 14px; margin: 0 0 8px; }
  #summary { font-size: 15px; margin: 6px 0 0; }
  .fix { color: #57606a; }
  .empty { color: #6e7781; padding: 16px; }
  dt { font-weight: 600; font-family: ui-monospace, monospace; font-size: 12px; }
  dd { margin: 0 0 8px 0; }
  dd .desc { color: #57606a; font-size: 12px; }
</style>
</head>
<body>
<header><h1>token-echo viewer</h1><span id="status">connecting…</span></header>
<main>
  <div>
    <table id="calls">
      <thead><tr><th>time</th><th>call</th><th>caller</th><th>verdict</th><th>first reason</th><th>aud</th><th>client</th></tr></thead>
      <tbody></tbody>
    </table>
    <p id="none" class="empty" hidden>No calls yet. Call /api/echo and they appear here.</p>
  </div>
  <div id="detail"><p class="empty">Select a call to see its report.</p></div>
</main>
<script type="application/json" id="catalog" nonce="${nonce}">${catalog}</script>
<script nonce="${nonce}">
"use strict";
(() => {
  const catalog = JSON.parse(document.getElementById("catalog").textContent);
  const key = new URLSearchParams(location.search).get("code") || "";
  const api = location.pathname.replace(/\\/viewer\\/?$/, "/reports");
  const byId = new Map();
  let selected = null;

  const el = (tag, props, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (k === "className") node.className = v; else if (k === "dataset") Object.assign(node.dataset, v); else node.setAttribute(k, v);
    }
    for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(child == null ? "" : String(child)));
    return node;
  };
  const text = (v) => (typeof v === "string" ? v : v == null ? "" : JSON.stringify(v));
  const ago = (iso) => {
    const s = Math.round((Date.now() - Date.parse(iso)) / 1000);
    return s < 60 ? s + " s ago" : s < 3600 ? Math.floor(s / 60) + " min ago" : Math.floor(s / 3600) + " h ago";
  };
  const duration = (s) => {
    const a = Math.abs(Math.round(s));
    return a < 60 ? a + " s" : a < 3600 ? Math.floor(a / 60) + " min" : a < 86400 ? Math.floor(a / 3600) + " h " + Math.floor((a % 3600) / 60) + " min" : Math.floor(a / 86400) + " d";
  };

  function row(report) {
    const claims = (report.token && report.token.claims) || {};
    const first = report.reasons.find((r) => r.severity !== "info") || report.reasons[0];
    const tr = el("tr", { dataset: { id: report.id } },
      el("td", { title: report.receivedAt }, ago(report.receivedAt)),
      el("td", { className: "mono" }, report.request.method + " " + report.request.path + mcpLabel(report)),
      el("td", {}, report.connector.caller),
      el("td", {}, el("span", { className: "badge " + report.verdict }, report.verdict)),
      el("td", { className: "mono" }, first ? first.code : ""),
      el("td", { className: "mono" }, text(claims.aud)),
      el("td", { className: "mono" }, (report.token && report.token.client) || ""));
    if (report.id === selected) tr.classList.add("selected");
    tr.addEventListener("click", () => show(report.id));
    return tr;
  }

  function show(id) {
    selected = id;
    const report = byId.get(id);
    for (const tr of document.querySelectorAll("#calls tbody tr")) tr.classList.toggle("selected", tr.dataset.id === id);
    const detail = document.getElementById("detail");
    detail.replaceChildren();
    if (!report) return;
    detail.append(el("section", { id: "overview" },
      el("h2", {}, "Report ", el("span", { className: "mono" }, report.id)),
      el("span", { className: "badge " + report.verdict }, report.verdict),
      el("p", { id: "summary" }, report.summary)));

    const checks = el("tbody");
    for (const c of report.checks) {
      checks.append(el("tr", {}, el("td", {}, c.name), el("td", { className: "status-" + c.status }, c.status),
        el("td", { className: "mono" }, c.expected || ""), el("td", { className: "mono" }, c.found || ""), el("td", {}, c.detail || "")));
    }
    detail.append(el("section", { id: "checks" }, el("h2", {}, "Checks"),
      el("table", {}, el("thead", {}, el("tr", {}, el("th", {}, "check"), el("th", {}, "status"), el("th", {}, "expected"), el("th", {}, "found"), el("th", {}, "detail"))), checks)));

    const reasons = el("div");
    for (const r of report.reasons) {
      const meaning = (catalog.reasons[r.code] || {}).meaning || "";
      reasons.append(el("p", { className: "reason" }, el("strong", { className: "mono" }, r.code), " (" + r.severity + "): ", r.message,
        el("br"), el("span", { className: "fix" }, "Fix: " + r.fix), el("br"), el("span", { className: "fix" }, meaning)));
    }
    detail.append(el("section", { id: "reasons" }, el("h2", {}, "Reasons"), reasons));

    if (report.token && report.token.claims) {
      const list = el("dl", { id: "claims" });
      const now = Date.now() / 1000;
      for (const [name, value] of Object.entries(report.token.claims)) {
        const time = report.token.times[name];
        let shown = text(value);
        if (time) shown = time.iso + " (" + (name === "exp" ? (time.epoch >= now ? "expires in " : "expired ") + duration(time.epoch - now) + (time.epoch >= now ? "" : " ago") : duration(now - time.epoch) + " ago") + ")";
        const description = Object.prototype.hasOwnProperty.call(report.token.claimDescriptions, name) ? report.token.claimDescriptions[name] : "";
        list.append(el("dt", {}, name), el("dd", {}, el("span", { className: "mono claim-value" }, shown), el("br"), el("span", { className: "desc" }, description)));
      }
      detail.append(el("section", {}, el("h2", {}, "Claims (v" + (report.token.version || "?") + ", " + (report.token.kind || "unknown") + ")"), list,
        el("p", { className: "mono" }, report.token.fingerprint)));
    }

    const headers = el("dl");
    for (const [name, value] of Object.entries(report.request.headers)) headers.append(el("dt", {}, name), el("dd", { className: "mono" }, value));
    detail.append(el("section", {}, el("h2", {}, "Request: " + report.request.method + " " + report.request.path + mcpLabel(report)), headers));
  }

  // MCP calls (/api/mcp) carry the JSON-RPC method and tool: "POST /api/mcp · tools/call token_report".
  function mcpLabel(report) {
    if (!report.mcp) return "";
    return " \u00b7 " + (report.mcp.method || report.mcp.endpoint) + (report.mcp.tool ? " " + report.mcp.tool : "") + (report.mcp.status >= 400 ? " (" + report.mcp.status + ")" : "");
  }

  async function refresh() {
    const status = document.getElementById("status");
    try {
      const res = await fetch(api + "?limit=100", { headers: { "x-functions-key": key }, cache: "no-store" });
      if (res.status === 401) { status.textContent = "401: open this page with ?code=<function key>"; return; }
      if (!res.ok) { status.textContent = "error " + res.status; return; }
      const body = await res.json();
      const tbody = document.querySelector("#calls tbody");
      tbody.replaceChildren(...body.reports.map(row));
      byId.clear();
      for (const r of body.reports) byId.set(r.id, r);
      document.getElementById("none").hidden = body.reports.length > 0;
      status.textContent = body.count + " calls (" + body.history + " history), updated " + new Date().toLocaleTimeString();
      if (selected && !document.getElementById("overview")) show(selected);
    } catch (e) {
      status.textContent = "offline: " + e.message;
    }
  }
  refresh();
  setInterval(refresh, 2000);
})();
</script>
</body>
</html>
`;
}
