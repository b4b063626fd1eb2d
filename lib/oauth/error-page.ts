import type { PageErrorDetails } from "./page-error";

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** A refused value is echoed, but a page need not repeat kilobytes of it. */
const MAX_SHOWN = 300;
const shown = (value: string) => escapeHtml(value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value);

/** Who is looking: the owner also sees what the app registered, and a link to fix it. */
export interface ErrorPageViewer {
  owner: boolean;
}

// The site's look (app/layout.tsx and the Card component) in plain CSS: this page is served without Next's stylesheet.
const STYLE = `:root{color-scheme:light dark;--bg:#f8fafc;--surface:#fff;--text:#0f172a;--muted:#475569;--line:#e2e8f0;--strong-line:#cbd5e1;--code:#f1f5f9;--link:#324bb8}
@media (prefers-color-scheme:dark){:root{--bg:#020617;--surface:#0f172a;--text:#f1f5f9;--muted:#94a3b8;--line:#1e293b;--strong-line:#334155;--code:#1e293b;--link:#91a7ff}}
*{box-sizing:border-box}body{margin:0;font-family:ui-sans-serif,system-ui,sans-serif;background:var(--bg);color:var(--text);line-height:1.5;-webkit-font-smoothing:antialiased}
a{color:var(--link)}.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:var(--surface);padding:.5rem 1rem;border-radius:.5rem;z-index:10}
header{background:var(--surface);border-bottom:1px solid var(--line)}nav{max-width:64rem;margin:0 auto;display:flex;justify-content:space-between;align-items:center;padding:.75rem 1rem}
nav a{text-decoration:none;color:var(--muted);font-size:.875rem}nav a:first-child{color:var(--text);font-weight:600;font-size:1rem}
main{max-width:64rem;margin:0 auto;padding:2rem 1rem}section{max-width:28rem;margin:0 auto;background:var(--surface);border:1px solid var(--line);border-radius:.75rem;padding:1.25rem 1.5rem;box-shadow:0 1px 2px rgb(0 0 0/.05)}
h1{font-size:1.125rem;font-weight:600;margin:0 0 .5rem}p{margin:0 0 1rem;color:var(--muted);font-size:.875rem}
dl{margin:0 0 1rem;font-size:.875rem}dt{font-weight:500;margin-top:.75rem}dd{margin:.25rem 0 0}ul{margin:.25rem 0 0;padding-left:1.25rem}
code{font-family:ui-monospace,monospace;font-size:.8125rem;background:var(--code);border-radius:.25rem;padding:.0625rem .25rem;overflow-wrap:anywhere}
.actions{display:flex;flex-wrap:wrap;gap:.75rem;margin:1rem 0 0}.button{display:inline-block;border:1px solid var(--strong-line);background:var(--surface);color:var(--text);border-radius:.5rem;padding:.5rem 1rem;font:inherit;font-size:.875rem;font-weight:500;text-decoration:none;cursor:pointer}`;

function detailsHtml(details: PageErrorDetails, viewer: ErrorPageViewer): string {
  const rows: string[] = [];
  if (details.app) rows.push(`<dt>App</dt><dd>${escapeHtml(details.app.name)} <code>${shown(details.app.clientId)}</code></dd>`);
  if (details.refused) rows.push(`<dt>Refused <code>${escapeHtml(details.refused.parameter)}</code></dt><dd><code data-testid="refused-value">${shown(details.refused.value)}</code></dd>`);
  if (details.registered && viewer.owner) {
    const items = details.registered.values.map((v) => `<li><code>${shown(v)}</code></li>`).join("");
    rows.push(`<dt>${escapeHtml(details.registered.label)}</dt><dd>${items ? `<ul data-testid="registered-values">${items}</ul>` : "none"}</dd>`);
  } else if (details.registered) {
    rows.push(`<dt>${escapeHtml(details.registered.label)}</dt><dd>Only the app's developer and this server's owner can see them.</dd>`);
  }
  return rows.length ? `<dl>${rows.join("")}</dl>` : "";
}

/**
 * The page shown for errors that must not be redirected (unknown client,
 * unregistered redirect URI, expired request), in the site's layout: what
 * was refused, and a way back.
 */
export function errorPage(title: string, description: string, details: PageErrorDetails = {}, viewer: ErrorPageViewer = { owner: false }): Response {
  const fix = viewer.owner && details.app ? `<a class="button" href="/dashboard/apps/${encodeURIComponent(details.app.clientId)}">Open the app's settings</a>` : "";
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Connected Apps</title><link rel="icon" href="/favicon.ico" sizes="any"><style>${STYLE}</style>
</head><body><a class="skip" href="#main">Skip to content</a><header><nav aria-label="Main"><a href="/">Connected Apps</a><a href="/account">Account</a></nav></header>
<main id="main"><section role="alert"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(description)}</p>${detailsHtml(details, viewer)}
<div class="actions"><button type="button" class="button" onclick="history.back()">Go back</button>${fix}</div></section></main></body></html>`;
  return new Response(html, {
    status: 400,
    headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" },
  });
}
