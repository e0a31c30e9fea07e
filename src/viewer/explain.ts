/**
 * The explain view: a paste box for an Entra sign-in error (AADSTS...). The text goes to
 * POST /api/explain (src/handlers/explain.ts, the same explainer as `token-echo explain`) and the
 * explanation comes back as JSON; everything is shown as text. The box takes at most 64 KiB.
 * Written without template literals so that it can sit in a TypeScript template string.
 */
export const EXPLAIN_MARKUP = `<div id="explain-view" class="view" hidden>
  <section>
    <h2>Explain a sign-in error</h2>
    <p class="desc">Paste the error a flow, an app, Copilot Studio or the sign-in page showed (it starts with AADSTS and a number). Nothing is kept.</p>
    <textarea id="explain-input" rows="7" maxlength="65536" spellcheck="false" aria-label="The error text" placeholder="AADSTS50011: The redirect URI ... specified in the request does not match ..."></textarea>
    <p class="toolbar"><button type="button" id="explain-go">Explain</button> <span id="explain-status" role="status"></span></p>
  </section>
  <div id="explain-result"></div>
</div>`;

export const EXPLAIN_STYLE = `
#explain-input { width: 100%; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; border: 1px solid #d0d7de; border-radius: 6px; padding: 8px; resize: vertical; }
#explain-result p { margin: 4px 0; }
`;

export const EXPLAIN_SCRIPT = String.raw`
"use strict";
(() => {
  const key = new URLSearchParams(location.search).get("code") || "";
  const api = location.pathname.replace(/\/viewer\/?$/, "/explain");
  const $ = (id) => document.getElementById(id);
  const el = (tag, props, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) { if (k === "className") node.className = v; else node.setAttribute(k, v); }
    for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(child == null ? "" : String(child)));
    return node;
  };
  const LABELS = { codes: "codes", error: "OAuth error", appId: "app ID", redirectUri: "redirect URI", resource: "resource", tenant: "tenant", traceId: "trace ID", correlationId: "correlation ID", timestamp: "timestamp" };

  function render(x) {
    const out = $("explain-result");
    out.replaceChildren();
    const head = el("section", { id: "explain-summary" }, el("h2", {}, x.code === null ? "No AADSTS code" : "AADSTS" + x.code), el("p", { id: "explain-text" }, x.summary));
    out.append(head);
    if (x.entry) {
      out.append(el("section", { id: "explain-entry" }, el("h2", {}, x.entry.name),
        el("p", {}, el("strong", {}, "Cause: "), x.entry.cause), el("p", { className: "fix" }, el("strong", {}, "Fix: "), x.entry.fix),
        el("p", { className: "desc" }, "Sources: " + x.entry.sources.join(" \u00b7 "))));
    }
    const facts = el("dl", { className: "pairs", id: "explain-facts" });
    for (const name of Object.keys(LABELS)) {
      const v = Object.prototype.hasOwnProperty.call(x.extracted, name) ? x.extracted[name] : undefined;
      if (v === undefined || (Array.isArray(v) && v.length === 0)) continue;
      facts.append(el("dt", { className: "mono" }, LABELS[name]), el("dd", { className: "mono" }, Array.isArray(v) ? v.map((c) => "AADSTS" + c).join(", ") : String(v)));
    }
    if (x.extracted.message) facts.append(el("dt", { className: "mono" }, "message"), el("dd", {}, x.extracted.message));
    if (facts.childNodes.length) out.append(el("section", {}, el("h2", {}, "What the message names"), facts));
    if (x.notes.length) out.append(el("section", { id: "explain-notes" }, el("h2", {}, "Notes"), ...x.notes.map((n) => el("p", {}, n))));
  }

  async function go() {
    const status = $("explain-status");
    const text = $("explain-input").value;
    if (!text.trim()) { status.textContent = "Paste an error first."; return; }
    if (!key) { status.textContent = "Open the viewer with ?code=<function key> to use the explainer."; return; }
    status.textContent = "explaining\u2026";
    try {
      const res = await fetch(api, { method: "POST", headers: { "x-functions-key": key, "content-type": "text/plain; charset=utf-8" }, body: text, cache: "no-store" });
      const body = await res.json();
      if (!res.ok) { status.textContent = body.message || "HTTP " + res.status; return; }
      status.textContent = body.truncated ? "only the beginning was read" : "";
      render(body);
    } catch (e) {
      status.textContent = "cannot reach the app: " + e.message;
    }
  }
  $("explain-go").addEventListener("click", go);
  $("explain-input").addEventListener("keydown", (e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) go(); });
})();
`;
