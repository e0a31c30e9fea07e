import { CHECK_NAMES, REASONS } from '../report/reasons.js';
import { VERDICTS } from '../report/report.js';
import { CONNECTIONS_MARKUP, CONNECTIONS_SCRIPT, CONNECTIONS_STYLE } from './connections.js';
import { EXPLAIN_MARKUP, EXPLAIN_SCRIPT, EXPLAIN_STYLE } from './explain.js';
import { FRONT_DOORS_SCRIPT, FRONT_DOORS_STYLE } from './front-doors.js';
import { VIEWER_SCRIPT } from './script.js';
import { VIEWER_STYLE } from './style.js';
import { VIEWS_MARKUP, VIEWS_SCRIPT, VIEWS_STYLE } from './views.js';

/**
 * The viewer: one HTML page, no build step, no framework. The page itself holds no data (only the
 * reason catalog of src/report/reasons.ts), so it is served without a key and can explain a
 * missing or wrong key in words; the calls come from /api/reports with the key it was opened with
 * (./script.ts). A strict Content-Security-Policy allows only this page's own script and style
 * (by nonce) and calls to this origin.
 */
export function viewerPage(nonce: string): string {
  // JSON in a script element: "<" is escaped so no value can close the element.
  const catalog = JSON.stringify({ reasons: REASONS, checks: CHECK_NAMES }).replace(/</g, '\\u003c');
  const verdicts = VERDICTS.map((v) => `<option value="${v}">${v}</option>`).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>token-echo viewer</title>
<style nonce="${nonce}">${VIEWER_STYLE}${VIEWS_STYLE}${CONNECTIONS_STYLE}${EXPLAIN_STYLE}${FRONT_DOORS_STYLE}</style>
</head>
<body>
<header>
  <h1>token-echo <span>calls</span></h1>
  ${VIEWS_MARKUP}
  <div id="filters" role="search">
    <input id="f-text" type="search" placeholder="Search: path, query, body, aud, client, code" aria-label="Search the calls" autocomplete="off" spellcheck="false">
    <select id="f-verdict" aria-label="Verdict"><option value="">every verdict</option>${verdicts}</select>
    <select id="f-code" aria-label="Reason code"><option value="">every reason</option></select>
  </div>
  <span id="status" role="status">connecting…</span>
</header>
<div id="gate" hidden>
  <h2 id="gate-title"></h2>
  <p id="gate-why"></p>
  <p>Open the viewer with the key in the address: <code>/api/viewer?code=&lt;function key&gt;</code>. The key is a secret of the function app: keep the address to yourself.</p>
  <ul>
    <li><strong>On your machine</strong> (<code>npm start</code>): the start message prints the viewer's address with its key. With <code>TOKEN_ECHO_LOCAL_KEY</code> set, that value is the key.</li>
    <li><strong>In Azure</strong>: the portal's function app, <em>Functions</em> then <em>App keys</em> (the <code>default</code> host key), or <code>az functionapp keys list -g &lt;group&gt; -n &lt;app&gt;</code>.</li>
  </ul>
</div>
<main id="main">
  <div id="list-pane">
    <table id="calls">
      <thead><tr><th class="c-time">time</th><th class="c-call">call</th><th class="c-caller">caller</th><th class="c-verdict">verdict</th><th class="c-problem">first problem</th><th class="c-aud">aud</th><th class="c-client">client</th></tr></thead>
      <tbody></tbody>
    </table>
    <p id="none" class="empty" hidden>No calls yet. Call /api/echo and they appear here within 2 seconds.</p>
    <p id="filtered-out" class="empty" hidden>No call matches these filters.</p>
  </div>
  <aside id="detail" aria-label="The selected call's report" hidden></aside>
</main>
${CONNECTIONS_MARKUP}
${EXPLAIN_MARKUP}
<script type="application/json" id="catalog" nonce="${nonce}">${catalog}</script>
<script nonce="${nonce}">${FRONT_DOORS_SCRIPT}</script>
<script nonce="${nonce}">${VIEWER_SCRIPT}</script>
<script nonce="${nonce}">${VIEWS_SCRIPT}</script>
<script nonce="${nonce}">${CONNECTIONS_SCRIPT}</script>
<script nonce="${nonce}">${EXPLAIN_SCRIPT}</script>
</body>
</html>
`;
}
