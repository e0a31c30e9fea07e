/**
 * The viewer's views: the call log (the page's main view), the connections timeline
 * (./connections.ts) and the error explainer (./explain.ts), switched by tabs in the header. Each view
 * module owns its markup, style and script; this one only shows one view and tells the others
 * (a `token-echo:view` event on document) which one is shown, so they load only when looked at.
 */
export const VIEWS_MARKUP = `<nav id="views" role="tablist" aria-label="Views">
    <button type="button" role="tab" data-view="calls" aria-selected="true">Calls</button>
    <button type="button" role="tab" data-view="connections" aria-selected="false">Connections</button>
    <button type="button" role="tab" data-view="explain" aria-selected="false">Explain an error</button>
  </nav>`;

export const VIEWS_STYLE = `
#views { display: flex; gap: 4px; }
#views button { font: inherit; font-size: 13px; color: #c9d1d9; background: transparent; border: 1px solid transparent; border-radius: 6px; padding: 3px 10px; cursor: pointer; white-space: nowrap; }
#views button[aria-selected="true"] { color: #fff; border-color: #57606a; background: #32383f; }
.view { flex: 1; min-height: 0; overflow: auto; padding: 12px 16px 24px; }
`;

export const VIEWS_SCRIPT = String.raw`
"use strict";
(() => {
  const views = { calls: ["main", "filters"], connections: ["connections-view"], explain: ["explain-view"] };
  const buttons = [...document.querySelectorAll("#views button")];
  function show(name) {
    // Without a key the page shows how to get one instead of the call log.
    const gated = !document.getElementById("gate").hidden;
    for (const [view, ids] of Object.entries(views)) {
      for (const id of ids) {
        const node = document.getElementById(id);
        if (node) node.hidden = view !== name || (gated && view === "calls");
      }
    }
    for (const b of buttons) b.setAttribute("aria-selected", String(b.dataset.view === name));
    document.dispatchEvent(new CustomEvent("token-echo:view", { detail: name }));
  }
  for (const b of buttons) b.addEventListener("click", () => show(b.dataset.view));
})();
`;
