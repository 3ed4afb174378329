/**
 * Styles live only inside the shadow root. `:host` resets everything the page could inherit into it, with
 * !important, which inside a shadow tree beats even the page's own !important rules for the host element.
 */
export const OVERLAY_CSS = `
:host { all: initial !important; position: fixed !important; inset: 0 auto auto 0 !important; width: 0 !important;
  height: 0 !important; z-index: 2147483646 !important; display: block !important; contain: none !important; }
* { box-sizing: border-box; }
.root { font: 12px/1.45 ui-sans-serif, system-ui, -apple-system, "Segoe UI", sans-serif; color: #e6e8ee; }
.trigger { position: fixed; width: 40px; height: 40px; border-radius: 20px; border: 1px solid #3b4252;
  background: #1c2230; color: #fff; cursor: grab; display: grid; place-items: center; padding: 0;
  box-shadow: 0 4px 14px rgba(0,0,0,.35); font: 600 15px/1 ui-sans-serif, system-ui, sans-serif; touch-action: none;
  user-select: none; }
.trigger:focus-visible { outline: 2px solid #7aa2ff; outline-offset: 2px; }
.trigger[data-dragging] { cursor: grabbing; }
.badge { position: absolute; top: -2px; right: -2px; width: 12px; height: 12px; border-radius: 6px;
  border: 2px solid #1c2230; display: none; }
.badge[data-worst=error] { display: block; background: #f26b6b; }
.badge[data-worst=warning] { display: block; background: #f2b84b; }
.panel { position: fixed; width: min(460px, calc(100vw - 24px)); max-height: min(72vh, 680px); overflow: auto;
  background: #151a24; border: 1px solid #2c3444; border-radius: 10px; box-shadow: 0 12px 40px rgba(0,0,0,.45);
  padding: 0 0 8px; }
.panel[hidden] { display: none; }
header { display: flex; align-items: center; gap: 8px; padding: 10px 12px; border-bottom: 1px solid #2c3444;
  position: sticky; top: 0; background: #151a24; }
header h1 { font-size: 13px; margin: 0; flex: 1; font-weight: 600; }
button.close { background: none; border: 0; color: #9aa3b5; font-size: 16px; cursor: pointer; }
section { padding: 8px 12px; border-bottom: 1px solid #222937; }
section:last-child { border-bottom: 0; }
h2 { font-size: 11px; text-transform: uppercase; letter-spacing: .06em; color: #8f99ad; margin: 0 0 6px; }
.muted { color: #8f99ad; }
.mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 11px; word-break: break-all; }
.pill { display: inline-block; padding: 1px 7px; border-radius: 9px; background: #263047; font-size: 11px; }
.pill.ok { background: #1d3b2d; color: #8fe0b0; }
.pill.error { background: #47222a; color: #ffb3b8; }
.pill.warning { background: #45381c; color: #ffd98a; }
.pill.info { background: #1f3048; color: #a8c8ff; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 10px; margin: 0; }
dt { color: #8f99ad; }
dd { margin: 0; }
table { width: 100%; border-collapse: collapse; }
td, th { text-align: left; vertical-align: top; padding: 3px 4px; border-top: 1px solid #222937; }
th { color: #8f99ad; font-weight: 500; }
tr[data-status=mismatch] td { background: rgba(242,107,107,.08); }
.finding { margin: 4px 0; }
a { color: #8fb3ff; }
ul { margin: 0; padding: 0 0 0 16px; }
.headline { font-size: 13px; font-weight: 600; margin: 0 0 4px; }
.headline.ok { color: #8fe0b0; }
.headline.info { color: #ffd98a; }
.evidence { margin: 4px 0; font-size: 11px; }
tr[data-status=stale] td { background: rgba(242,184,75,.08); }
`;
