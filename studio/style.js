// The studio's styles, injected when it mounts (not in index.html: nothing of the studio is
// in the first load). Colours follow index.html's custom properties where it has them.
export const CSS = `
.studio h1{margin:.2em 0}
.studio-bar{display:flex;flex-wrap:wrap;gap:.5em .8em;align-items:end;margin:.5em 0}
.studio-bar label{display:flex;flex-direction:column;font-size:.85em;gap:.15em}
.studio-bar input[type=text]{min-width:12em}
.studio-status{margin:.4em 0;font-weight:600}
.studio-status[data-state=clean]{color:#1a7f37}
.studio-status[data-state=errors]{color:#c62828}
.studio-status[data-state=warnings]{color:#9a6700}
.studio-notice{background:#fff3cd;color:#5c4400;padding:.5em .8em;border-radius:4px}
.studio-main{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:1em;align-items:start}
.studio-editor .cm-editor{height:min(70vh,640px);border:1px solid #8886;border-radius:4px;font-size:14px}
.studio-editor .cm-editor.cm-focused{outline:2px solid #1565c0}
.studio-side h2,.studio-lists h2{font-size:1em;margin:.2em 0}
.studio-map{overflow:auto;max-height:min(70vh,640px);border:1px solid #8886;border-radius:4px}
.studio-graph{display:block;max-width:100%;height:auto;font:12px system-ui,sans-serif}
.studio-graph .node rect{fill:#e8eef7;stroke:#5b6b82;stroke-width:1.5}
.studio-graph .node.start rect{stroke-width:3}
.studio-graph .node.resolved rect{fill:#d6f0dc;stroke:#1a7f37}
.studio-graph .node.escalated rect{fill:#fde9c8;stroke:#b35900}
.studio-graph .node.lost rect{fill:#f9d6d5;stroke:#c62828}
.studio-graph .node.unreachable rect{stroke-dasharray:5 3;fill:#eee;stroke:#888}
.studio-graph .node.dead-end rect{stroke:#c62828;stroke-width:3}
.studio-graph .node{cursor:pointer}
.studio-graph .node:focus{outline:none}
.studio-graph .node:focus rect,.studio-graph .node:hover rect{stroke:#1565c0;stroke-width:3}
.studio-graph .node text{fill:#111}
.studio-graph .edge path{fill:none;stroke:#66768c;stroke-width:1.3}
.studio-graph .edge.down path{stroke:#c62828}
.studio-graph .edge.up path{stroke:#1a7f37}
.studio-graph .edge.dangling path{stroke-dasharray:3 3}
.studio-graph .arrowhead{fill:#66768c}
.studio-graph .edge.on-path path{stroke:#1565c0;stroke-width:3.5}
.studio-graph .label{font-size:10px;fill:currentColor;paint-order:stroke;stroke:Canvas;stroke-width:3px}
.studio-lists{display:grid;grid-template-columns:1fr 1fr;gap:1em;margin-top:.8em}
.studio-lists ul{list-style:none;padding:0;margin:0}
.studio-lists li{margin:.25em 0}
.studio-lists li button{all:unset;cursor:pointer;display:block;padding:.2em .4em;border-radius:3px;white-space:pre-wrap;word-break:break-word}
.studio-lists li button:focus-visible{outline:2px solid #1565c0}
.studio-lists li.error>button.studio-goto{border-left:3px solid #c62828}
.studio-lists li.warning>button.studio-goto{border-left:3px solid #9a6700}
.studio-lists li button.studio-fix{display:inline-block;margin:.2em .4em;border:1px solid #1565c0;color:#1565c0}
.studio-lists li.pass>button{color:#1a7f37}
.studio-lists li.fail>button{color:#c62828}
.studio-lacks{display:inline-block;margin-left:.8em;padding:0 .4em;border-radius:3px;font:11px system-ui,sans-serif;background:#fde9c8;color:#5c3400;border:1px solid #b35900;vertical-align:middle}
.studio-langs{margin:.2em 0;font-size:.85em;opacity:.9}
.studio-bar input[type=number]{width:5em}
.studio-bar button[data-blocked=true]{opacity:.6}
.studio-path{display:block;font-size:.85em;padding-left:1.6em;opacity:.85}
.studio-map.stale .studio-graph,.studio-lists section.stale li:not(.stale-note),.studio-langs.stale{opacity:.5}
.studio-stale-note,.studio-lists li.stale-note{font-size:.85em;font-style:italic;margin:.3em .5em}
.studio-editor.stale-badges .studio-lacks{opacity:.5;border-style:dashed}
.studio-graph .node.on-path rect{stroke:#1565c0;stroke-width:3.5}
.studio-lists li button.studio-show-path{display:inline-block;margin:.2em .4em;border:1px solid #1565c0;color:#1565c0;font-size:.85em}
.studio-lists li button.studio-show-path[aria-pressed=true]{background:#1565c0;color:#fff}
@media (max-width:720px){.studio-main,.studio-lists{grid-template-columns:minmax(0,1fr)}
.studio-editor .cm-editor{height:55vh}.studio-bar input[type=text]{min-width:0;width:100%}}
`;
