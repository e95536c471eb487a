// The panel's stylesheet, scoped by its shadow root: nothing here reaches Gmail and
// nothing of Gmail's reaches the panel (`:host { all: initial }` cuts inheritance too).
export const PANEL_CSS = `
:host { all: initial; }
* { box-sizing: border-box; }
/* As big as the viewport, never seen: the size observer's signal that the window resized. */
.viewport-probe { position: fixed; inset: 0; visibility: hidden; pointer-events: none; }
.clip { position: absolute; left: 0; top: 0; overflow: hidden; pointer-events: none; }
.marks { position: absolute; left: 0; top: 0; }
.mark { position: absolute; border-radius: 2px; border-bottom: 2px solid; pointer-events: none; }
.mark.error { background: rgba(217, 48, 37, .14); border-color: #d93025; }
.mark.warning { background: rgba(227, 116, 0, .16); border-color: #e37400; }
.mark.suggestion { background: rgba(26, 115, 232, .10); border-color: #1a73e8; }
.mark.focus { background: rgba(255, 214, 0, .45); }
/* Spelling and grammar: a dotted violet underline and no fill, unlike the advice. */
.grammar-marks .mark { background: none; border-bottom: 2px dotted #8430ce; border-radius: 0; }
.grammar-marks .mark.focus { background: rgba(132, 48, 206, .16); }

.panel {
  /* Its bottom right corner at the host's origin; the layout moves it with a transform. */
  position: absolute; right: 0; bottom: 0; z-index: 1; display: flex; flex-direction: column;
  font: 13px/1.4 "Google Sans Text", Roboto, "Segoe UI", Arial, sans-serif; color: #202124;
  background: #fff; border: 1px solid #dadce0; border-radius: 10px;
  box-shadow: 0 2px 6px rgba(60, 64, 67, .28), 0 1px 2px rgba(60, 64, 67, .2);
  pointer-events: auto; overflow: hidden;
}
.panel[hidden] { display: none; }
.panel.collapsed { width: auto !important; border-radius: 16px; }
.header { display: flex; align-items: center; gap: 8px; padding: 6px 6px 6px 12px; border-bottom: 1px solid #e8eaed; }
.collapsed .header { border-bottom: 0; padding: 2px 4px 2px 10px; }
.title { font-weight: 600; font-size: 13px; white-space: nowrap; }
.counts { display: flex; gap: 8px; flex: 1; min-width: 0; font-size: 12px; color: #5f6368; white-space: nowrap; overflow: hidden; }
.count::before { content: ""; display: inline-block; width: 8px; height: 8px; border-radius: 50%; margin-right: 4px; background: currentColor; }
.count { display: inline-flex; align-items: center; font-weight: 600; }
.count.error { color: #c5221f; } .count.warning { color: #9a4c00; } .count.suggestion { color: #1557b0; }
.body { overflow-y: auto; overscroll-behavior: contain; padding: 4px 0 8px; }
.collapsed .body { display: none; }
.status { margin: 6px 12px; padding: 6px 8px; border-radius: 6px; background: #f1f3f4; color: #3c4043; font-size: 12px; }
.status.error { background: #fce8e6; color: #a50e0e; }
.status.ok { background: #e6f4ea; color: #137333; }
h3 { margin: 8px 12px 4px; font-size: 11px; font-weight: 600; letter-spacing: .04em; text-transform: uppercase; color: #5f6368; }
ul { list-style: none; margin: 0; padding: 0; }
.finding { margin: 0 8px; padding: 8px 8px 8px 12px; border-left: 3px solid; border-radius: 4px; }
.finding + .finding { margin-top: 4px; }
.finding.error { border-color: #d93025; } .finding.warning { border-color: #e37400; } .finding.suggestion { border-color: #1a73e8; }
.finding.grammar { border-left-style: dotted; border-color: #8430ce; }
.finding:hover, .finding:focus-within { background: #f8f9fa; }
.message { margin: 0; font-weight: 500; }
.where { margin: 2px 0 0; color: #5f6368; font-size: 12px; overflow-wrap: anywhere; }
details { margin-top: 4px; font-size: 12px; color: #3c4043; }
summary { cursor: pointer; color: #1557b0; width: max-content; border-radius: 4px; }
details p { margin: 4px 0; }
a { color: #1557b0; }
.actions { display: flex; flex-wrap: wrap; gap: 4px; margin-top: 6px; }
button {
  font: inherit; font-size: 12px; cursor: pointer; border-radius: 14px; padding: 3px 10px;
  border: 1px solid #dadce0; background: #fff; color: #1557b0;
}
button:hover { background: #f1f3f4; }
button.primary { background: #e8f0fe; border-color: #d2e3fc; color: #174ea6; font-weight: 500; }
button.primary:hover { background: #d2e3fc; }
button.icon { border: 0; padding: 2px 8px; color: #5f6368; font-size: 14px; line-height: 1; }
:focus-visible { outline: 2px solid #1557b0; outline-offset: 1px; }
.panel:focus { outline: none; }
.suggestions { margin: 0 12px; }
.suggestions button { display: block; width: 100%; text-align: left; margin-top: 4px; white-space: normal; }
.reason { margin: 2px 0 0; font-size: 12px; color: #5f6368; }
.empty { margin: 8px 12px; color: #137333; }
.stats { margin: 8px 12px 0; font-size: 11px; color: #5f6368; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.suggestions .more summary { margin-top: 6px; font-size: 12px; }
/* "Referred by": one line under the list, outside its scroll area, so it stays in reach. */
.referrer { flex: none; padding: 6px 8px 6px 12px; border-top: 1px solid #e8eaed; font-size: 12px; }
.collapsed .referrer { display: none; }
.referrer-row { display: flex; align-items: center; gap: 6px; min-width: 0; }
.referrer label { flex: none; font-weight: 600; color: #3c4043; white-space: nowrap; }
.referrer-input {
  flex: 1; min-width: 0; width: 0; font: inherit; font-size: 12px; padding: 2px 6px; border-radius: 4px;
  border: 1px solid #80868b; background: #fff; color: #202124;
}
.referrer-input::placeholder { color: #5f6368; opacity: 1; }
.referrer-clear { flex: none; }
.referrer-clear[hidden] { display: none; }
.referrer-foot { display: flex; flex-wrap: wrap; align-items: center; column-gap: 6px; }
.referrer-source { flex: 1 1 8em; min-width: 0; margin: 2px 0 0; font-size: 11px; color: #5f6368; overflow-wrap: anywhere; }
.referrer-auto { flex: none; margin-top: 2px; padding: 1px 8px; font-size: 11px; }
.referrer-auto[hidden] { display: none; }
.pill {
  position: absolute; left: 0; top: 0; display: inline-flex; align-items: center; gap: 6px; width: 120px; height: 28px;
  padding: 0 10px; border-radius: 14px; border: 1px solid #dadce0; background: #fff; color: #202124;
  font: 600 12px/1 "Google Sans Text", Roboto, Arial, sans-serif; pointer-events: auto; overflow: hidden; white-space: nowrap;
  box-shadow: 0 1px 3px rgba(60, 64, 67, .3);
}
.pill[hidden] { display: none; }
.pill .logo { color: #fff; background: #1557b0; border-radius: 8px; padding: 2px 4px; font-size: 10px; }
.pill .counts { color: #3c4043; }
.pill:hover { background: #f1f3f4; }

/* Gmail's dark themes. */
.panel.dark { background: #2d2e30; color: #e8eaed; border-color: #5f6368; }
.dark .header { border-color: #5f6368; }
.dark .counts, .dark h3, .dark .where, .dark .reason, .dark .stats, .dark button.icon { color: #bdc1c6; }
.dark details { color: #e8eaed; }
.dark .count.error { color: #f6aea9; } .dark .count.warning { color: #fdd663; } .dark .count.suggestion { color: #8ab4f8; }
.dark summary, .dark a { color: #8ab4f8; }
.dark .finding:hover, .dark .finding:focus-within { background: #3c4043; }
.dark .finding.error { border-color: #f28b82; } .dark .finding.warning { border-color: #fdd663; } .dark .finding.suggestion { border-color: #8ab4f8; }
.dark .finding.grammar { border-color: #d7aefb; }
.dark .grammar-marks .mark { border-color: #d7aefb; }
.dark button { background: #2d2e30; border-color: #5f6368; color: #8ab4f8; }
.dark button:hover { background: #3c4043; }
.dark button.primary { background: #394457; border-color: #394457; color: #d2e3fc; }
.dark button.primary:hover { background: #44516a; }
.dark .status { background: #3c4043; color: #e8eaed; }
.dark .status.error { background: #5c2b29; color: #fad2cf; }
.dark .empty { color: #81c995; }
.dark :focus-visible { outline-color: #8ab4f8; }
.dark .referrer { border-color: #5f6368; }
.dark .referrer label { color: #e8eaed; }
.dark .referrer-input { background: #202124; border-color: #9aa0a6; color: #e8eaed; }
.dark .referrer-input::placeholder { color: #bdc1c6; }
.dark .referrer-source { color: #bdc1c6; }
.pill.dark { background: #2d2e30; color: #e8eaed; border-color: #5f6368; }
.pill.dark .counts { color: #e8eaed; }
.pill.dark .logo { background: #8ab4f8; color: #202124; }
.pill.dark:hover { background: #3c4043; }
.pill.dark .count.error { color: #f6aea9; } .pill.dark .count.warning { color: #fdd663; } .pill.dark .count.suggestion { color: #8ab4f8; }
`;
