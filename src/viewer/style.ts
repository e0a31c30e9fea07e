/**
 * The viewer's style. The page is an app layout: the header stays, the list and the opened report
 * scroll in their own panes, so the report is always in view beside its row. List cells are one
 * line each, cut with an ellipsis (the whole value is in the cell's text and title): a GUID, a path
 * or a reason code is never broken across lines.
 */
export const VIEWER_STYLE = `
:root { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328; background: #f6f8fa; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
html, body { height: 100%; }
body { margin: 0; display: flex; flex-direction: column; overflow: hidden; }
.mono, code, pre { font-family: ui-monospace, SFMono-Regular, "Cascadia Mono", Menlo, Consolas, monospace; font-size: 12.5px; }
header { flex: none; display: flex; align-items: center; gap: 16px; padding: 8px 16px; background: #24292f; color: #fff; }
header h1 { font-size: 16px; margin: 0; white-space: nowrap; }
header h1 span { font-weight: 400; color: #9da7b3; }
#filters { display: flex; gap: 8px; flex: 1; min-width: 0; }
#filters input, #filters select { font: inherit; font-size: 13px; border: 1px solid #57606a; border-radius: 6px; background: #32383f; color: #fff; padding: 4px 8px; }
#filters input { flex: 1; min-width: 120px; max-width: 420px; }
#filters input::placeholder { color: #9da7b3; }
#status { color: #c9d1d9; font-size: 12px; white-space: nowrap; }
main { flex: 1; min-height: 0; display: flex; }
#list-pane { flex: 1 1 auto; min-width: 0; overflow: auto; overflow-anchor: none; background: #fff; }
main.open #list-pane { flex: 0 0 44%; min-width: 380px; max-width: 640px; border-right: 1px solid #d0d7de; }
#detail { flex: 1 1 0; min-width: 0; overflow: auto; padding: 0 16px 24px; }
table { border-collapse: collapse; width: 100%; }
#calls { table-layout: fixed; }
#calls th { position: sticky; top: 0; z-index: 1; background: #f6f8fa; font-size: 12px; color: #57606a; font-weight: 600; text-align: left; padding: 6px 8px; border-bottom: 1px solid #d0d7de; white-space: nowrap; }
#calls td { padding: 6px 8px; border-bottom: 1px solid #eaeef2; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
#calls tbody tr { cursor: pointer; }
#calls tbody tr:hover { background: #f3f8ff; }
#calls tbody tr.selected { background: #ddf4ff; box-shadow: inset 3px 0 #0969da; }
#calls tbody tr:focus { outline: 2px solid #0969da; outline-offset: -2px; }
.c-time { width: 84px; color: #57606a; font-variant-numeric: tabular-nums; }
.c-caller { width: 132px; }
.c-verdict { width: 96px; }
.c-problem { width: 176px; }
.c-aud { width: 23%; }
.c-client { width: 21%; }
td.none { color: #8c959f; }
.method { font-weight: 600; }
.query { color: #0550ae; }
.body { color: #6e7781; }
main.open .c-caller, main.open .c-aud, main.open .c-client { display: none; }
main.open .c-problem { width: 150px; }
main.open .c-time { width: 80px; }
@media (max-width: 1200px) { main:not(.open) .c-client, main.open .c-time { display: none; } }
main.open .c-verdict { width: 90px; }
.badge { display: inline-block; padding: 0 8px; border-radius: 10px; font-size: 12px; font-weight: 600; line-height: 20px; color: #fff; }
.badge.valid { background: #1a7f37; } .badge.invalid, .badge.no_token { background: #cf222e; } .badge.unverified { background: #9a6700; }
.empty { color: #6e7781; padding: 16px; margin: 0; }
#overview { position: sticky; top: 0; z-index: 1; background: #f6f8fa; padding: 12px 0 8px; border-bottom: 1px solid #d0d7de; margin-bottom: 12px; }
#overview .title { display: flex; align-items: center; gap: 10px; }
#overview .code { font-weight: 600; }
#overview .when { color: #57606a; font-size: 12px; margin-left: auto; }
#close { font: inherit; font-size: 18px; line-height: 1; border: 1px solid #d0d7de; border-radius: 6px; background: #fff; padding: 2px 8px; cursor: pointer; }
#summary { font-size: 15px; font-weight: 500; margin: 8px 0 4px; }
.sub { color: #57606a; margin: 0; overflow-wrap: anywhere; }
section { background: #fff; border: 1px solid #d0d7de; border-radius: 6px; padding: 10px 14px; margin-bottom: 12px; }
section h2 { font-size: 14px; margin: 0 0 8px; }
section h3 { font-size: 12px; color: #57606a; margin: 12px 0 4px; text-transform: uppercase; letter-spacing: .04em; }
section td, section th { text-align: left; padding: 4px 6px; border-bottom: 1px solid #eaeef2; vertical-align: top; }
section th { font-size: 12px; color: #57606a; }
section td.mono { overflow-wrap: anywhere; }
.status-pass { color: #1a7f37; font-weight: 600; } .status-fail { color: #cf222e; font-weight: 600; } .status-skip { color: #6e7781; }
.reason { border-left: 3px solid #cf222e; padding: 2px 10px; margin: 0 0 10px; }
.reason.warning { border-color: #9a6700; } .reason.info { border-color: #8c959f; }
.reason p { margin: 2px 0; }
.sev { font-size: 11px; color: #57606a; text-transform: uppercase; }
.fix { color: #1f2328; }
.desc { display: block; color: #57606a; font-size: 12px; }
dl.pairs { display: grid; grid-template-columns: minmax(90px, max-content) 1fr; gap: 4px 14px; margin: 0; }
dl.pairs dt { font-weight: 600; color: #57606a; overflow-wrap: anywhere; }
dl.pairs dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }
pre#body { margin: 0; padding: 8px; background: #f6f8fa; border-radius: 6px; white-space: pre-wrap; overflow-wrap: anywhere; max-height: 240px; overflow: auto; }
#gate { max-width: 720px; margin: 48px auto; background: #fff; border: 1px solid #d0d7de; border-radius: 6px; padding: 20px 28px; overflow: auto; }
#gate h2 { margin-top: 0; color: #cf222e; }
#gate code { background: #f6f8fa; padding: 1px 4px; border-radius: 4px; }
`;
