/**
 * The console's one stylesheet, served as /console/style.css (the CSP allows styles from the
 * console itself only, no inline style). Colours keep at least 4.5:1 contrast; states are
 * said in words as well, never by colour alone.
 */
export const STYLESHEET = `
:root { color-scheme: light; --fg: #1b1b1b; --muted: #4a4a4a; --link: #0b4f9c; --line: #c9c9c9; --risk: #fff1c2; --breach: #fde2e2; --focus: #1a5fb4; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: #fff; }
a { color: var(--link); }
a:focus, button:focus, input:focus, select:focus { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: #fff; padding: .5rem; }
.skip:focus { left: .5rem; }
header.top { display: flex; flex-wrap: wrap; gap: 1rem 2rem; align-items: center; padding: .75rem 1.5rem; border-bottom: 1px solid var(--line); }
.brand { margin: 0; font-weight: 700; }
.brand a { color: var(--fg); text-decoration: none; }
nav ul { list-style: none; display: flex; gap: 1rem; margin: 0; padding: 0; }
nav [aria-current] { font-weight: 700; }
.who { display: flex; gap: .75rem; align-items: center; margin-left: auto; }
.who form { margin: 0; }
main { padding: 1rem 1.5rem 3rem; max-width: 80rem; }
h1 { font-size: 1.6rem; margin: .5rem 0 1rem; }
h2 { font-size: 1.25rem; margin: 1.5rem 0 .5rem; }
form.filters { display: flex; flex-wrap: wrap; gap: .75rem 1.25rem; align-items: flex-end; margin-bottom: 1rem; }
form.filters fieldset { display: contents; }
label { display: block; font-weight: 600; }
select, input[type=password], input[type=text] { font: inherit; padding: .3rem .4rem; border: 1px solid #767676; border-radius: 3px; min-width: 10rem; }
button { font: inherit; padding: .35rem .9rem; border: 1px solid #0b4f9c; background: #0b4f9c; color: #fff; border-radius: 3px; cursor: pointer; }
.who button { background: #fff; color: #0b4f9c; }
table { border-collapse: collapse; width: 100%; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { text-align: left; vertical-align: top; padding: .4rem .6rem; border-bottom: 1px solid var(--line); }
thead th { border-bottom: 2px solid var(--fg); }
tr.at-risk { background: var(--risk); }
tr.breached { background: var(--breach); }
.state { font-weight: 700; }
.muted { color: var(--muted); }
.notice { border-left: 4px solid #2e7d32; padding: .5rem .75rem; background: #eef7ee; }
.message { font-size: 1.1rem; }
dl.details { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
dl.details dt { font-weight: 600; }
dl.details dd { margin: 0; }
.description { white-space: pre-wrap; }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
td.actions form { display: inline-flex; gap: .35rem; align-items: center; margin: 0 .5rem .25rem 0; }
td.actions select { min-width: 5rem; }
pre.json { white-space: pre-wrap; word-break: break-word; margin: 0; font-size: .85rem; background: #f6f6f6; padding: .35rem .5rem; }
figure.chart { margin: 1rem 0; overflow-x: auto; }
figure.chart svg { max-width: 100%; height: auto; }
form.filters input[type=search], textarea { font: inherit; padding: .3rem .4rem; border: 1px solid #767676; border-radius: 3px; min-width: 14rem; }
.ticket-actions { display: flex; flex-direction: column; gap: .75rem; }
form.action { display: flex; flex-wrap: wrap; gap: .35rem .75rem; align-items: flex-end; margin: 0; }
form.action textarea { width: min(40rem, 100%); }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
ol.history { margin: 0; padding-left: 1.2rem; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(20rem, 1fr)); gap: 1rem; }
article.card { border: 1px solid var(--line); border-radius: 4px; padding: .75rem 1rem; }
article.card h3 { font-size: 1.05rem; margin: 0 0 .5rem; }
section[data-environment] table { margin-bottom: 1rem; }
nav.pager { display: flex; flex-wrap: wrap; gap: 1rem; margin: 1rem 0; }
form.filters input[type=date] { font: inherit; padding: .3rem .4rem; border: 1px solid #767676; border-radius: 3px; }
`;
