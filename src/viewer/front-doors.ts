/**
 * The viewer's "Front doors" panel, in its own module (and its own script element) so that the
 * call log in ./script.ts only has to call the panels it is given. For the opened report:
 * - one row per validator (Microsoft.Identity.Web, Easy Auth, API Management, the Node libraries)
 *   with its verdict and first refusal, from the report's `validators` section; the snippets,
 *   which the echo answer leaves out, from GET /api/reports/{id}/front-doors;
 * - each snippet in a <pre> as TEXT (textContent; snippets hold claim values, which are
 *   attacker-controlled) with a copy button (the Clipboard API; where it is refused, the text is
 *   selected for Ctrl+C); the copied text is the snippet itself, never markup;
 * - a paste box: the maker's own configuration, judged by POST /api/reports/{id}/front-doors
 *   (src/handlers/front-doors.ts) with the page's key, the answer shown as text.
 * Written without template literals so that it can sit in a TypeScript template string.
 */
export const FRONT_DOORS_SCRIPT = String.raw`
"use strict";
(() => {
  const MAX_CONFIG_BYTES = 256 * 1024;
  const own = (obj, name) => obj != null && Object.prototype.hasOwnProperty.call(obj, name);
  const el = (tag, props, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (k === "className") node.className = v; else node.setAttribute(k, v);
    }
    for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(child == null ? "" : String(child)));
    return node;
  };
  const VERDICT = { accept: "accepts", refuse: "refuses", unknown: "unknown" };
  const verdictBadge = (v) => el("span", { className: "fd-verdict fd-" + (own(VERDICT, v) ? v : "unknown") }, own(VERDICT, v) ? VERDICT[v] : String(v));

  function refusalText(r) {
    if (!r) return [""];
    const parts = [el("span", { className: "mono" }, r.rule + ": expected " + r.expected + "; found " + r.found)];
    if (r.setting) parts.push(el("span", { className: "desc" }, "Change: ", el("code", {}, r.setting)));
    parts.push(el("span", { className: "desc" }, "Source: " + r.source + " (docs/front-doors.md)"));
    return parts;
  }

  async function copy(button, pre) {
    const value = pre.textContent;
    try {
      await navigator.clipboard.writeText(value);
      button.textContent = "Copied";
      button.dataset.copied = "clipboard";
    } catch (e) {
      // No clipboard permission (an http page, a browser policy): the text is selected for Ctrl+C.
      const range = document.createRange();
      range.selectNodeContents(pre);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      button.textContent = "Selected: press Ctrl+C";
      button.dataset.copied = "selection";
    }
    setTimeout(() => { button.textContent = "Copy"; }, 2000);
  }

  function snippet(title, text, id) {
    const pre = el("pre", { className: "mono fd-snippet", id }, text);
    const button = el("button", { type: "button", className: "fd-copy", "aria-label": "Copy: " + title }, "Copy");
    button.addEventListener("click", () => copy(button, pre));
    return el("div", { className: "fd-snippet-box" }, el("div", { className: "fd-snippet-title" }, el("span", {}, title), button), pre);
  }

  /** The snippets of one validator, into its (collapsed) details row. */
  function fillSnippets(box, v) {
    const parts = [];
    if (typeof v.snippet === "string") parts.push(snippet(v.verdict === "accept" ? "Configuration that accepts this token" : "Configuration that would accept this token", v.snippet, "fd-snippet-" + v.profile));
    else if (v.snippetNote) parts.push(el("p", { className: "desc" }, "No configuration with the settings' intent accepts this token: " + v.snippetNote));
    if (typeof v.snippetForSettings === "string") parts.push(snippet("Configuration for the TOKEN_ECHO_* settings", v.snippetForSettings, "fd-settings-" + v.profile));
    box.replaceChildren(...parts);
  }

  function row(v, boxes) {
    const tr = el("tr", { "data-profile": v.profile },
      el("td", {}, v.name),
      el("td", {}, verdictBadge(v.verdict)),
      el("td", {}, ...refusalText(v.firstRefusal)));
    const box = el("div", { className: "fd-snippets" }, el("p", { className: "desc" }, "Loading the configuration…"));
    boxes.set(v.profile, box);
    const details = el("tr", { className: "fd-details" }, el("td", { colspan: "3" }, el("details", {}, el("summary", {}, "Configuration"), box)));
    return [tr, details];
  }

  function table(list, boxes) {
    const tbody = el("tbody");
    for (const v of list) tbody.append(...row(v, boxes));
    return el("table", { id: "fd-table" }, el("thead", {}, el("tr", {}, el("th", {}, "validator"), el("th", {}, "verdict"), el("th", {}, "first refusal"))), tbody);
  }

  /**
   * The echo answer and the history carry the verdicts without their snippets (they would triple
   * every answer); the snippets come from GET /api/reports/{id}/front-doors when a report is opened.
   */
  async function loadSnippets(report, ctx, holder, boxes) {
    let body = null;
    let problem = "";
    try {
      const res = await fetch(ctx.api + "/" + encodeURIComponent(report.id) + "/front-doors", { headers: { "x-functions-key": ctx.key }, cache: "no-store" });
      body = await res.json().catch(() => null);
      if (!res.ok) problem = (body && body.message) || ("error " + res.status);
    } catch (e) {
      problem = e.message;
    }
    const list = body && Array.isArray(body.validators) ? body.validators : [];
    if (problem || !list.length) {
      for (const box of boxes.values()) box.replaceChildren(el("p", { className: "fd-error" }, "The configuration could not be loaded: " + (problem || "no verdicts")));
      return;
    }
    if (!boxes.size) holder.replaceChildren(table(list, boxes));
    for (const v of list) if (boxes.has(v.profile)) fillSnippets(boxes.get(v.profile), v);
  }

  function judgeBox(report, ctx) {
    const area = el("textarea", { id: "fd-config", rows: "6", spellcheck: "false", "aria-label": "Your configuration",
      placeholder: "Paste your configuration: az webapp auth show (authsettingsV2 JSON), an API Management policy (XML), or appsettings.json" });
    const kind = el("select", { id: "fd-kind", "aria-label": "Kind of configuration" },
      el("option", { value: "" }, "detect the kind"), el("option", { value: "authsettingsV2" }, "authsettingsV2 (Easy Auth)"),
      el("option", { value: "apim-policy" }, "API Management policy"), el("option", { value: "appsettings" }, "appsettings.json"));
    const button = el("button", { type: "button", id: "fd-judge" }, "Judge this call's token");
    const result = el("div", { id: "fd-result", role: "status" });
    button.addEventListener("click", async () => {
      const text = area.value;
      result.replaceChildren();
      if (!text.trim()) { result.append(el("p", { className: "fd-error" }, "Paste a configuration first.")); return; }
      if (new TextEncoder().encode(text).length > MAX_CONFIG_BYTES) { result.append(el("p", { className: "fd-error" }, "The configuration is larger than 256 KiB: paste only the authentication part.")); return; }
      result.append(el("p", { className: "desc" }, "Judging…"));
      let status = 0;
      let body = null;
      try {
        const url = ctx.api + "/" + encodeURIComponent(report.id) + "/front-doors" + (kind.value ? "?kind=" + encodeURIComponent(kind.value) : "");
        const res = await fetch(url, { method: "POST", headers: { "x-functions-key": ctx.key, "content-type": "text/plain; charset=utf-8" }, body: text, cache: "no-store" });
        status = res.status;
        body = await res.json().catch(() => null);
      } catch (e) {
        result.replaceChildren(el("p", { className: "fd-error" }, "Could not reach the app: " + e.message));
        return;
      }
      result.replaceChildren();
      if (status !== 200 || !body) {
        result.append(el("p", { className: "fd-error" }, (body && body.message) || ("Error " + status + ".")));
        if (body && Array.isArray(body.problems)) result.append(el("ul", { className: "fd-problems" }, ...body.problems.map((p) => el("li", {}, String(p)))));
        return;
      }
      result.append(el("p", {}, el("strong", {}, body.name), " (" + body.kind + ") ", verdictBadge(body.verdict), " this call's token."));
      if (body.firstRefusal) result.append(el("div", { className: "fd-refusal" }, ...refusalText(body.firstRefusal)));
      if (body.verdict !== "accept" && typeof body.snippet === "string") result.append(snippet("Your configuration, changed to accept it", body.snippet, "fd-judged-snippet"));
      else if (body.verdict !== "accept" && body.snippetNote) result.append(el("p", { className: "desc" }, "No configuration with the same intent accepts it: " + body.snippetNote));
    });
    return el("div", { id: "fd-judge-box" }, el("h3", {}, "Your configuration"), area, el("div", { className: "fd-actions" }, kind, button), result);
  }

  function panel(report, ctx) {
    if (!report.token || !report.token.claims) return null;
    const list = Array.isArray(report.validators) ? report.validators : [];
    const boxes = new Map();
    const holder = el("div", { id: "fd-list" }, list.length ? table(list, boxes) : el("p", { className: "desc" }, "Loading…"));
    loadSnippets(report, ctx, holder, boxes);
    return el("section", { id: "front-doors" }, el("h2", {}, "Front doors"),
      el("p", { className: "desc" }, "Would each validator in front of your API accept this token? Each row gives the first rule that refuses it and, under Configuration, a configuration that accepts it with the same intent."),
      holder, judgeBox(report, ctx));
  }

  window.tokenEchoPanels = (window.tokenEchoPanels || []).concat([panel]);
})();
`;

export const FRONT_DOORS_STYLE = `
#fd-table td:first-child { white-space: nowrap; }
.fd-verdict { display: inline-block; padding: 0 8px; border-radius: 10px; font-size: 12px; font-weight: 600; line-height: 20px; color: #fff; }
.fd-accept { background: #1a7f37; } .fd-refuse { background: #cf222e; } .fd-unknown { background: #9a6700; }
tr.fd-details td { border-bottom: 1px solid #d0d7de; padding-top: 0; }
tr.fd-details summary { cursor: pointer; color: #0969da; font-size: 12px; }
.fd-snippet-box { margin: 6px 0; }
.fd-snippet-title { display: flex; align-items: center; gap: 8px; font-size: 12px; color: #57606a; }
.fd-copy, #fd-judge { font: inherit; font-size: 12px; border: 1px solid #d0d7de; border-radius: 6px; background: #f6f8fa; padding: 2px 10px; cursor: pointer; }
pre.fd-snippet { margin: 4px 0 0; padding: 8px; background: #f6f8fa; border-radius: 6px; white-space: pre; overflow: auto; max-height: 320px; }
#fd-config { width: 100%; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; border: 1px solid #d0d7de; border-radius: 6px; padding: 6px; }
.fd-actions { display: flex; gap: 8px; margin: 6px 0; }
.fd-error { color: #cf222e; margin: 4px 0; }
.fd-problems { margin: 0; padding-left: 20px; color: #cf222e; }
`;
