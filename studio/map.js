// The turn graph as SVG: turns and endings as nodes (endings coloured by outcome), branches as
// edges labelled with their condition and mood change; unreachable turns dashed, dead ends
// (no ending reachable) outlined in red. Layers by distance from the start, top to bottom, so
// the map stays narrow enough to sit under the text at 360 px. Clicking a node (or Enter on
// it) calls `go(line)`.
const NS = 'http://www.w3.org/2000/svg';
const W = 120, H = 34, GX = 36, GY = 74;

function s(tag, attrs = {}, ...kids) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v != null) e.setAttribute(k, v);
  e.append(...kids);
  return e;
}
const short = (x, n) => (x.length > n ? `${x.slice(0, n - 1)}…` : x);

export function layout(g) {
  const depth = new Map();
  const out = new Map(g.nodes.map((n) => [n.id, []]));
  for (const e of g.edges) if (out.has(e.from)) out.get(e.from).push(e.to);
  const turns = g.nodes.filter((n) => n.kind === 'turn');
  const q = [g.start];
  depth.set(g.start, 0);
  while (q.length) {
    const id = q.shift();
    for (const to of out.get(id) || []) {
      const n = g.nodes.find((x) => x.id === to);
      if (n && n.kind === 'turn' && !depth.has(to)) { depth.set(to, depth.get(id) + 1); q.push(to); }
    }
  }
  let max = Math.max(0, ...depth.values());
  for (const n of turns) if (!depth.has(n.id)) depth.set(n.id, ++max);
  for (const n of g.nodes) if (n.kind === 'ending') depth.set(n.id, max + 1);
  const rows = [];
  for (const n of g.nodes) (rows[depth.get(n.id)] ||= []).push(n);
  const width = Math.max(...rows.map((r) => (r ? r.length : 0))) * (W + GX) + GX;
  const pos = new Map();
  rows.forEach((r, i) => r && r.forEach((n, j) => {
    const x = (width - r.length * (W + GX) + GX) / 2 + j * (W + GX);
    pos.set(n.id, { x, y: 20 + i * (H + GY) });
  }));
  return { pos, width, height: 20 + rows.length * (H + GY) - GY + 20 };
}

const OUTCOME = { resolved: 'studio.outcome_resolved', escalated: 'studio.outcome_escalated', lost: 'studio.outcome_lost' };

/** Draw `g` in `box`; without a graph, `opts.none` says why. `opts.edgeLabel(edge)` words a
 * branch's condition (the catalogue's), else the checker's `label`. */
export function drawMap(box, g, t, go, opts = {}) {
  if (!g) {
    box.replaceChildren(Object.assign(document.createElement('p'), { className: 'none', textContent: opts.none || t('studio.map_none') }));
    return;
  }
  const outcome = (o) => (o && OUTCOME[o] ? t(OUTCOME[o]) : o);
  const { pos, width, height } = layout(g);
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, width, role: 'group', class: 'studio-graph',
    'aria-label': t('studio.map') });
  svg.append(s('defs', {}, s('marker', { id: 'studio-arrow', viewBox: '0 0 10 10', refX: 9, refY: 5,
    markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, s('path', { d: 'M0 0L10 5L0 10z', class: 'arrowhead' }))));
  const pairs = new Map();
  for (const e of g.edges) {
    const a = pos.get(e.from);
    const b = pos.get(e.to);
    if (!a) continue;
    const k = `${e.from}>${e.to}`;
    const nth = pairs.get(k) || 0;
    pairs.set(k, nth + 1);
    const mood = e.mood > 0 ? `+${e.mood}` : `${e.mood}`;
    const label = `${opts.edgeLabel ? opts.edgeLabel(e) : e.label} (${mood})`;
    const x1 = a.x + W / 2, y1 = a.y + H;
    let d, lx, ly;
    if (!b) {
      d = `M${x1} ${y1} l0 30`; lx = x1 + 4; ly = y1 + 24;
    } else if (b.y > a.y) {
      const x2 = b.x + W / 2, y2 = b.y, bend = nth * 26;
      const cx = (x1 + x2) / 2 + bend, cy = (y1 + y2) / 2;
      d = `M${x1} ${y1} Q${cx} ${cy} ${x2} ${y2}`; lx = (x1 + 2 * cx + x2) / 4; ly = (y1 + 2 * cy + y2) / 4;
    } else {
      // A branch back up (or a loop): around the right side.
      const x2 = b.x + W, y2 = b.y + H / 2, off = 30 + nth * 14;
      d = `M${a.x + W} ${a.y + H / 2} C${a.x + W + off} ${a.y + H / 2} ${x2 + off} ${y2} ${x2} ${y2}`;
      lx = Math.max(a.x, b.x) + W + off / 2; ly = (a.y + b.y + H) / 2;
    }
    const edge = s('g', { class: `edge${e.dangling ? ' dangling' : ''}${e.mood < 0 ? ' down' : e.mood > 0 ? ' up' : ''}`,
      'data-from': e.from, 'data-to': e.to },
    s('title', {}, `${e.from} → ${e.to}: ${label}`),
    s('path', { d, 'marker-end': 'url(#studio-arrow)' }),
    s('text', { x: lx, y: ly, class: 'label' }, short(label, 26)));
    svg.append(edge);
  }
  for (const n of g.nodes) {
    const p = pos.get(n.id);
    const cls = ['node', n.kind, n.outcome, n.reachable ? null : 'unreachable', n.dead_end && n.kind === 'turn' ? 'dead-end' : null,
      n.id === g.start ? 'start' : null].filter(Boolean).join(' ');
    const marks = [!n.reachable && t('studio.unreachable'), n.kind === 'turn' && n.dead_end && t('studio.dead_end')].filter(Boolean);
    const node = s('g', { class: cls, 'data-node': n.id, 'data-line': n.line, tabindex: 0, role: 'button',
      transform: `translate(${p.x} ${p.y})`, 'aria-label': [n.id, outcome(n.outcome), ...marks].filter(Boolean).join(t('studio.list_sep')) },
    s('title', {}, [n.id, outcome(n.outcome), ...marks].filter(Boolean).join(' · ')),
    s('rect', { width: W, height: H, rx: n.kind === 'ending' ? 17 : 5 }),
    s('text', { x: W / 2, y: H / 2 + 5, 'text-anchor': 'middle' }, short(`${marks.length ? '⚠ ' : ''}${n.id}`, 16)));
    node.addEventListener('click', () => go(n.line));
    node.addEventListener('keydown', (ev) => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); go(n.line); } });
    svg.append(node);
  }
  box.replaceChildren(svg);
}
