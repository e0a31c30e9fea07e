/**
 * The connections view: GET /api/connections (src/connections/timeline.ts) shown as one card per
 * connection, newest activity first: who and what (connection reference or user, app, audience), its
 * findings with their fixes, and its tokens over time (fingerprint, iat, exp, calls, verdicts).
 * Everything from the answer goes into the page as text (textContent), never as markup.
 * Written without template literals so that it can sit in a TypeScript template string.
 */
export const CONNECTIONS_MARKUP = `<div id="connections-view" class="view" hidden>
  <p class="toolbar"><button type="button" id="connections-refresh">Refresh</button> <span id="connections-status" role="status"></span></p>
  <div id="connections-list"></div>
</div>`;

export const CONNECTIONS_STYLE = `
.toolbar { margin: 0 0 12px; display: flex; gap: 10px; align-items: center; }
.toolbar button, #explain-go { font: inherit; font-size: 13px; border: 1px solid #d0d7de; border-radius: 6px; background: #fff; padding: 3px 12px; cursor: pointer; }
.connection h2 { display: flex; gap: 10px; align-items: baseline; flex-wrap: wrap; }
.connection h2 .sub { font-weight: 400; font-size: 12px; }
.connection table { table-layout: auto; }
.connection td.mono { white-space: nowrap; }
`;

export const CONNECTIONS_SCRIPT = String.raw`
"use strict";
(() => {
  const key = new URLSearchParams(location.search).get("code") || "";
  const api = location.pathname.replace(/\/viewer\/?$/, "/connections");
  const $ = (id) => document.getElementById(id);
  const el = (tag, props, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) { if (k === "className") node.className = v; else node.setAttribute(k, v); }
    for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(child == null ? "" : String(child)));
    return node;
  };
  const when = (iso) => (iso ? iso.replace("T", " ").replace(/\.\d+Z$/, "Z") : "-");
  const verdicts = (v) => Object.keys(v || {}).map((k) => k + " " + v[k]).join(", ");

  function card(c) {
    const title = c.groupedBy === "x-ms-apim-referrer" ? "connection " + c.connection : (c.userName || c.user || "no user") + " \u2192 " + (c.audiences[0] || "no aud");
    const who = [c.connector ? "connector " + c.connector : "", c.userName || c.user ? "user " + (c.userName || c.user) : "",
      c.client ? "app " + c.client + (c.clientName ? " (" + c.clientName + ")" : "") : "", c.audiences.length ? "aud " + c.audiences.map((a, i) => a + (c.audienceNames[i] ? " (" + c.audienceNames[i] + ")" : "")).join(", ") : ""].filter(Boolean).join(" \u00b7 ");
    const node = el("section", { className: "connection", "data-key": c.key },
      el("h2", {}, title, el("span", { className: "sub" }, c.calls + " calls \u00b7 " + c.caller + " \u00b7 " + when(c.firstSeen) + " \u2192 " + when(c.lastSeen))),
      el("p", { className: "sub mono" }, who));
    for (const f of c.findings) {
      node.append(el("div", { className: "reason " + f.severity, "data-code": f.code },
        el("p", {}, el("strong", { className: "mono" }, f.code), " ", el("span", { className: "sev" }, f.severity)),
        el("p", {}, f.message), el("p", { className: "fix" }, el("strong", {}, "Fix: "), f.fix)));
    }
    const rows = el("tbody");
    for (const t of c.tokens) {
      rows.append(el("tr", {}, el("td", { className: "mono", title: t.fingerprint }, t.fingerprint.slice(0, 19) + "\u2026"),
        el("td", { className: "mono" }, when(t.iat)), el("td", { className: "mono" }, when(t.exp)), el("td", { className: "mono" }, when(t.firstSeen)),
        el("td", { className: "mono" }, when(t.lastSeen)), el("td", {}, String(t.calls)), el("td", {}, verdicts(t.verdicts) + (t.callsAfterExpiry ? " \u00b7 " + t.callsAfterExpiry + " after exp" : ""))));
    }
    node.append(el("h3", {}, "Tokens" + (c.tokensLeftOut ? " (newest " + c.tokens.length + "; " + c.tokensLeftOut + " older left out)" : "")),
      el("table", { className: "tokens" }, el("thead", {}, el("tr", {}, ...["token", "iat", "exp", "first call", "last call", "calls", "verdicts"].map((h) => el("th", {}, h)))), rows));
    return node;
  }

  async function load() {
    const status = $("connections-status");
    if (!key) { status.textContent = "Open the viewer with ?code=<function key> to see the connections."; return; }
    status.textContent = "loading\u2026";
    try {
      const res = await fetch(api, { headers: { "x-functions-key": key }, cache: "no-store" });
      if (!res.ok) { status.textContent = "HTTP " + res.status + " from /api/connections"; return; }
      const body = await res.json();
      const list = $("connections-list");
      list.replaceChildren(...body.connections.map(card));
      if (!body.connections.length) list.append(el("p", { className: "empty" }, "No connection yet: calls with a token (or a connector's X-MS-APIM-Referrer) appear here."));
      status.textContent = body.connections.length + " connections from the newest " + body.reportsRead + " calls (" + body.history + " history)" + (body.connectionsLeftOut ? "; " + body.connectionsLeftOut + " older connections left out" : "");
    } catch (e) {
      status.textContent = "cannot reach the app: " + e.message;
    }
  }
  $("connections-refresh").addEventListener("click", load);
  document.addEventListener("token-echo:view", (e) => { if (e.detail === "connections") load(); });
})();
`;
