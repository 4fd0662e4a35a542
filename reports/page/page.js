(function () {
'use strict';
var D = JSON.parse(document.getElementById('report-data').textContent);
var F = D.fmt, M = D.meta, DIMS = D.dims;
var ZERO = BigInt(0), ONE = BigInt(1), TWO = BigInt(2), TEN = BigInt(10);
var SCALE = TEN ** BigInt(F.digits);
var mode = M.amounts;

// ---------------------------------------------------------------- amounts
function groupDigits(s) {
  var g1 = F.grouping[0], g2 = F.grouping[1];
  if (s.length <= g1) return s;
  var out = s.slice(-g1), rest = s.slice(0, -g1);
  while (rest.length > g2) { out = rest.slice(-g2) + F.group + out; rest = rest.slice(0, -g2); }
  return rest + F.group + out;
}
function exact(minor) {
  var neg = minor < ZERO, a = neg ? -minor : minor, k = F.digits, s = a.toString(), num;
  if (k > 0) {
    s = s.padStart(k + 1, '0');
    num = groupDigits(s.slice(0, -k)) + F.decimal + s.slice(-k);
  } else { num = groupDigits(s); }
  return F.pre[neg ? 1 : 0] + num + F.suf[neg ? 1 : 0];
}
function plainDecimal(a, sep) {            // a >= 0, minor units: "99,999.99", grouped, without trailing zeros
  var k = F.digits, s = a.toString();
  if (k === 0) return groupDigits(s);
  s = s.padStart(k + 1, '0');
  var i = groupDigits(s.slice(0, -k)), f = s.slice(-k).replace(/0+$/, '');
  return f ? i + sep + f : i;
}
function tenths(q, sep) {                  // q tenths -> "1.4" / "12"
  var s = q.toString(), i = s.length > 1 ? s.slice(0, -1) : '0', f = s.slice(-1);
  return f === '0' ? i : i + sep + f;
}
function compact(minor) {
  var neg = minor < ZERO, a = neg ? -minor : minor, lv = F.levels;
  for (var i = 0; i < lv.length; i++) {
    var m = BigInt(lv[i].m);
    if (a < m * SCALE) continue;
    if (lv[i].plain) break;
    var div = BigInt(lv[i].div), num = a * TEN, den = div * SCALE;
    var q = num / den, r = num % den;
    if (TWO * r > den || (TWO * r === den && q % TWO === ONE)) q += ONE;   // half-even
    if (i > 0 && q * div >= BigInt(lv[i - 1].m) * TEN)
      return compact((neg ? -ONE : ONE) * BigInt(lv[i - 1].m) * SCALE);
    var pre = lv[i].pre, suf = lv[i].suf, key = tenths(q, '.');
    for (var j = 0; j < lv[i].forms.length; j++)
      if (lv[i].forms[j].nums.indexOf(key) >= 0) { pre = lv[i].forms[j].pre; suf = lv[i].forms[j].suf; break; }
    return pre[neg ? 1 : 0] + tenths(q, F.decimal) + suf[neg ? 1 : 0];
  }
  var fb = F.fallback || [F.pre, F.suf];
  return fb[0][neg ? 1 : 0] + plainDecimal(a, F.decimal) + fb[1][neg ? 1 : 0];
}
function money(minor) { return mode === 'exact' ? exact(minor) : compact(minor); }
function qualified(text, quals) {
  var qs = [], hasExact = false;
  quals.forEach(function (q) { if (q === 'exact') hasExact = true; else if (qs.indexOf(q) < 0) qs.push(q); });
  if (!qs.length) return text;
  if (qs.length === 1 && !hasExact) return qs[0] + ' ' + text;
  return text + ' (incl. ' + qs.sort().join(', ') + ')';
}
window.ledgerFormat = {exact: exact, compact: compact};   // for tests: same strings as babel

// ---------------------------------------------------------------- elements
function el(tag, attrs, text) {
  var e = document.createElement(tag);
  if (attrs) for (var k in attrs) if (attrs[k] !== null && attrs[k] !== undefined) e.setAttribute(k, attrs[k]);
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}
var SVGNS = 'http://www.w3.org/2000/svg';
function sv(tag, attrs, text) {
  var e = document.createElementNS(SVGNS, tag);
  if (attrs) for (var k in attrs) e.setAttribute(k, attrs[k]);
  if (text !== undefined) e.textContent = String(text);
  return e;
}
function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }

// ---------------------------------------------------------------- cells
function columns(c, n) {
  var rows = [];
  for (var i = 0; i < n; i++) {
    rows.push({f: c.f[i], p: c.p[i], s: c.s[i], q: c.q[i], t: c.t[i], r: c.r[i], a: c.a ? c.a[i] : 0,
               g: c.g ? c.g[i] : c.f[i],   // the funder whose pledge it pays (its own but for a payment)
               y: c.y ? c.y[i] : -1, o: c.o ? c.o[i] : 0, m: BigInt(c.m[i]), e: c.e[i],
               n: c.n ? BigInt(c.n[i]) : undefined});   // own value, where m is paid as pledged
  }
  return rows;
}
var TOTALS = columns(D.cells.total, D.cells.total.m.length);
var YEARS = columns(D.cells.years, D.cells.years.m.length);
// --funder: paid of its funders' pledges by funders it leaves out (role 3: the status table alone)
var OTHERS = D.cells.others ? {t: columns(D.cells.others.total, D.cells.others.total.m.length),
                               y: columns(D.cells.others.years, D.cells.others.years.m.length)} : null;
var AUDIT = M.audit || null;
var FLAGGED = new Set(AUDIT ? AUDIT.flagged : []);
// a cell's e: the entries behind it by their place (ENTRIES: the listed
// ones); with D.groups, those not listed as groups of entries in the same
// cells, D.groups saying how many each holds
var GROUPS = D.groups || null;
function entryCount(groups) {             // the distinct entries of a Set (or an Array of distinct) places or groups
  if (!GROUPS) return groups instanceof Set ? groups.size : new Set(groups).size;
  var n = 0;
  groups.forEach(function (g) { n += g < ENTRIES.length ? 1 : GROUPS[g - ENTRIES.length]; });
  return n;
}
function flaggedIn(cells) {               // the flagged entries behind these cells
  if (!FLAGGED.size) return 0;
  var seen = new Set();
  cells.forEach(function (c) { c.e.forEach(function (i) { if (FLAGGED.has(i)) seen.add(i); }); });
  return entryCount(seen);
}
var PROJECTED = {};
M.projected.forEach(function (y) { PROJECTED[y] = true; });

// account trees: each account and its parents, top first, as the data gives
// them (reports.accounts.parents: the one account tree of every table)
var UP = {};
[['funder', 'funderUp'], ['purpose', 'purposeUp']].forEach(function (d) {
  DIMS[d[0]].forEach(function (name, i) { UP[name] = DIMS[d[1]][i]; });
});
function ancestors(name) {
  return UP[name];
}
function treeNodes(names) {
  var seen = {}, out = [];
  names.forEach(function (n) { ancestors(n).forEach(function (a) { if (!seen[a]) { seen[a] = 1; out.push(a); } }); });
  return out.sort();
}

// ---------------------------------------------------------------- filters
var FILTERS = [
  {key: 'f', label: 'Funder', values: treeNodes(DIMS.funder), tree: true, names: DIMS.funder},
  {key: 'p', label: 'Purpose', values: treeNodes(DIMS.purpose), tree: true, names: DIMS.purpose},
  {key: 'y', label: M.yearWord, values: DIMS.year},
  {key: 's', label: 'Status', values: DIMS.status},
  {key: 'q', label: 'Qualifier', values: DIMS.qualifier},
  {key: 't', label: 'Tag', values: DIMS.tag.concat(['(no tag)'])}
];
var filterBox = document.getElementById('filters');
FILTERS.forEach(function (flt) {
  var lab = el('label', null, flt.label);
  var sel = el('select', {multiple: 'multiple', size: String(Math.min(6, Math.max(3, flt.values.length))),
                          id: 'filter-' + flt.key, 'aria-label': flt.label});
  flt.values.forEach(function (v) {
    var depth = flt.tree ? v.split(':').length - 1 : 0;
    var text = flt.tree ? '\u00a0\u00a0'.repeat(depth) + v.split(':').pop() : v;
    if (flt.key === 'y' && PROJECTED[v]) text += ' (projected)';
    sel.appendChild(el('option', {value: v, title: v}, text));
  });
  sel.addEventListener('change', update);
  flt.select = sel;
  lab.appendChild(sel);
  filterBox.appendChild(lab);
});
var scaleSel = el('select', {id: 'scale', 'aria-label': 'Chart scale'});
[['auto', 'auto'], ['linear', 'linear'], ['log', 'log']].forEach(function (o) {
  scaleSel.appendChild(el('option', {value: o[0]}, o[1]));
});
scaleSel.value = M.scale;
var amountSel = el('select', {id: 'amounts', 'aria-label': 'Amounts'});
[['compact', 'compact (' + compact(BigInt(12500000) * SCALE) + ')'], ['exact', 'exact (' + exact(BigInt(12500000) * SCALE) + ')']].forEach(function (o) {
  amountSel.appendChild(el('option', {value: o[0]}, o[1]));
});
amountSel.value = mode;
[['Chart scale', scaleSel], ['Amounts', amountSel]].forEach(function (p) {
  var lab = el('label', null, p[0]); lab.appendChild(p[1]); filterBox.appendChild(lab);
  p[1].addEventListener('change', function () { mode = amountSel.value; update(); });
});
var clearBtn = el('button', {id: 'clear-filters', type: 'button'}, 'Clear filters');
clearBtn.addEventListener('click', function () {
  FILTERS.forEach(function (f) { Array.prototype.forEach.call(f.select.options, function (o) { o.selected = false; }); });
  update();
});
filterBox.appendChild(clearBtn);
var stateLine = el('p', {id: 'filter-state'});
filterBox.appendChild(stateLine);

function chosen(flt) {
  return Array.prototype.filter.call(flt.select.options, function (o) { return o.selected; })
    .map(function (o) { return o.value; });
}
function allowed(flt, dimValues) {       // index -> bool, or null for "everything"
  var picks = chosen(flt);
  if (!picks.length) return null;
  var set = {}; picks.forEach(function (v) { set[v] = true; });
  return dimValues.map(function (v, i) {
    if (flt.tree) return ancestors(v).some(function (a) { return set[a]; });
    if (flt.key === 't') {
      var tags = DIMS.tagsets[i];
      return tags.length ? tags.some(function (t) { return set[t]; }) : !!set['(no tag)'];
    }
    return !!set[v];
  });
}
var STATE = null;
function readFilters() {
  var st = {};
  st.f = allowed(FILTERS[0], DIMS.funder);
  st.p = allowed(FILTERS[1], DIMS.purpose);
  st.y = allowed(FILTERS[2], DIMS.year);
  st.s = allowed(FILTERS[3], DIMS.status);
  st.q = allowed(FILTERS[4], DIMS.qualifier);
  st.t = allowed(FILTERS[5], DIMS.tagsets);
  st.words = FILTERS.map(function (f) { var c = chosen(f); return c.length ? f.label + ': ' + c.join(', ') : null; })
    .filter(Boolean);
  return st;
}
function passes(c, st, useYear) {
  return (!st.f || st.f[c.f]) && (!st.p || st.p[c.p]) && (!st.s || st.s[c.s]) &&
    (!st.q || st.q[c.q]) && (!st.t || st.t[c.t]) && (!useYear || !st.y || st.y[c.y]);
}
// the cells behind the tables: the year cells when a year is chosen, else the totals
function activeCells(st) {
  return countedAlone(st.y ? YEARS.filter(function (c) { return passes(c, st, true); })
                           : TOTALS.filter(function (c) { return passes(c, st, false); }), st);
}
// a linked entry counts as itself when the status filter leaves out every status its links lead to,
// link after link: statuses alone decide, whatever the other filters (reports/filters.py)
function countedAlone(cells, st) {
  if (!st.s) return cells;
  var bits = 0;
  ['pledged', 'committed', 'disbursed', 'spent'].forEach(function (name, k) {
    var i = DIMS.status.indexOf(name);
    if (i >= 0 && st.s[i]) bits |= 1 << k;
  });
  return cells.map(function (c) {
    if (c.r === 0 || !c.a || (c.a & bits)) return c;
    var own = Object.assign({}, c); own.r = 0;
    if (own.n !== undefined) own.m = own.n;   // counted as itself: its own value, as report --status
    return own;
  });
}

// the status table's rows: per funder its counted cells (p0), its paid (of its own pledges, whoever
// paid: a payment's cell carries its pledge's funder, g) and what it paid of others' pledges; the funder
// filter keeps a payment by its payer or by its pledge's funder (reports.tables.status_table)
function statusRows(st) {
  var fOk = function (i) { return !st.f || st.f[i]; };
  var rows = new Map();
  var row = function (i) {
    var f = DIMS.funder[i], r = rows.get(f);
    if (!r) { r = {p0: [], paid: [], others: [], m: ZERO}; rows.set(f, r); }
    return r;
  };
  activeCells(Object.assign({}, st, {f: null})).forEach(function (c) {
    // a row only for a funder with something counted, paid or paid for others, as
    // status_table: one whose only entry restates another's pledge has none
    var paid = c.r < 2 && (DIMS.status[c.s] === 'disbursed' || DIMS.status[c.s] === 'spent');
    if (c.r === 0) {
      if (!fOk(c.f)) return;
      row(c.f).p0.push(c);
      if (paid) row(c.f).paid.push(c);
    } else if (paid && c.r === 1 && c.g !== -2) {
      // g -1: a pledge of a funder --funder left out, on no row of this page; g -2: such a
      // pledge on its payer's own row (--depth), in neither its paid nor its paid for others
      if (c.g >= 0 && fOk(c.g)) row(c.g).paid.push(c);
      if (fOk(c.f) && (c.g < 0 || !fOk(c.g) || c.g !== c.f)) row(c.f).others.push(c);
    }
  });
  if (OTHERS) {
    var all = Object.assign({}, st, {f: null});
    (st.y ? OTHERS.y : OTHERS.t).forEach(function (c) {
      if (c.g >= 0 && fOk(c.g) && passes(c, all, !!st.y)) row(c.g).paid.push(c);
    });
  }
  return rows;
}

// ---------------------------------------------------------------- aggregation
function group(cells, keyOf) {
  var out = new Map();
  cells.forEach(function (c) {
    var k = keyOf(c);
    if (k === null) return;
    var g = out.get(k);
    if (!g) { g = {m: ZERO, ids: new Set(), q: new Set(), cells: []}; out.set(k, g); }
    g.m += c.m; c.e.forEach(function (i) { g.ids.add(i); }); g.q.add(DIMS.qualifier[c.q]); g.cells.push(c);
  });
  return out;
}
function sum(cells) { return cells.reduce(function (a, c) { return a + c.m; }, ZERO); }
function counted(cells) { return cells.filter(function (c) { return c.r === 0; }); }

// ---------------------------------------------------------------- tables
function amountButton(cells, what, shown) {
  var m = shown === undefined ? sum(cells) : shown, quals = new Set();
  cells.forEach(function (c) { quals.add(DIMS.qualifier[c.q]); });
  var bad = flaggedIn(cells);
  var b = el('button', {type: 'button', 'class': bad ? 'amt flagged' : 'amt', 'data-minor': m.toString(),
                        title: exact(m) + (bad ? ' — includes ' + bad + ' entr' + (bad === 1 ? 'y' : 'ies') +
                          ' whose sources failed the audit' : '') + ' — show the entries behind it'},
             (bad ? '\u26a0 ' : '') + qualified(money(m), Array.from(quals)));
  b.addEventListener('click', function () { showDetail(what, cells); });
  return b;
}
function table(id, headers, rows) {
  var t = el('table', {id: id});
  var tr = el('tr');
  headers.forEach(function (h) { tr.appendChild(el('th', null, h)); });
  t.appendChild(el('thead')).appendChild(tr);
  var body = el('tbody');
  rows.forEach(function (row) {
    var r = el('tr', row.cls ? {'class': row.cls} : null);
    row.cells.forEach(function (c) {
      var td;
      if (c && c.cells) { td = el('td', {'class': 'n'}); td.appendChild(amountButton(c.cells, c.what, c.minor)); }
      else if (c && c.num !== undefined) td = el('td', {'class': 'n'}, c.num);
      else td = el('td', null, c === null || c === undefined ? '' : c);
      r.appendChild(td);
    });
    body.appendChild(r);
  });
  t.appendChild(body);
  return t;
}
function sortedKeys(map, byAmount) {
  var keys = Array.from(map.keys());
  if (byAmount) keys.sort(function (a, b) { var d = map.get(b).m - map.get(a).m; return d > ZERO ? 1 : d < ZERO ? -1 : 0; });
  else keys.sort(function (a, b) { return a < b ? -1 : a > b ? 1 : 0; });
  return keys;
}
function pct(part, total) {
  if (total === ZERO) return (0).toLocaleString(M.lang, {style: 'percent', minimumFractionDigits: 1});
  var tenthsPct = (part * BigInt(1000) * TEN / total + BigInt(5)) / TEN;   // rounded to 0.1 %
  return (Number(tenthsPct) / 1000).toLocaleString(M.lang, {style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1});
}

function render(st) {
  var cells = activeCells(st), prim = counted(cells), total = sum(prim);
  var where = st.words.length ? ' (' + st.words.join('; ') + ')' : '';
  // summary: purpose x funder
  // one pass per grouping (maps), never a filter inside a loop: 100k cells stay fast
  var byPF = group(prim, function (c) { return DIMS.purpose[c.p] + '\u0000' + DIMS.funder[c.f]; });
  var byP = group(prim, function (c) { return DIMS.purpose[c.p]; });
  var byF = group(prim, function (c) { return DIMS.funder[c.f]; });
  var cellsOf = function (map, k) { var g = map.get(k); return g ? g.cells : []; };
  var ps = sortedKeys(byP, false), fs = sortedKeys(byF, false);
  var rows = ps.map(function (p) {
    return {cells: [p].concat(fs.map(function (f) {
      var cc = cellsOf(byPF, p + '\u0000' + f);
      return cc.length ? {cells: cc, what: f + ' → ' + p} : '—';
    }), [{cells: cellsOf(byP, p), what: p}])};
  });
  rows.push({cls: 'total', cells: ['Total'].concat(fs.map(function (f) {
    return {cells: cellsOf(byF, f), what: f};
  }), [{cells: prim, what: 'every counted entry'}])});
  put('t-summary', table('summary-table', ['purpose'].concat(fs, ['Total']), rows));
  // by purpose, by funder
  [['t-purpose', 'by-purpose-table', 'purpose', function (c) { return DIMS.purpose[c.p]; }],
   ['t-funder', 'by-funder-table', 'funder', function (c) { return DIMS.funder[c.f]; }]].forEach(function (spec) {
    var g = group(prim, spec[3]);
    var rs = sortedKeys(g, true).map(function (k) {
      var v = g.get(k);
      return {cells: [k, {cells: v.cells, what: k}, {num: entryCount(v.ids).toLocaleString(M.lang)}, {num: pct(v.m, total)}]};
    });
    var all = new Set(); prim.forEach(function (c) { c.e.forEach(function (i) { all.add(i); }); });
    rs.push({cls: 'total', cells: ['Total', {cells: prim, what: 'every counted entry'}, {num: entryCount(all).toLocaleString(M.lang)}, {num: pct(total, total)}]});
    put(spec[0], table(spec[1], [spec[2], 'amount', 'entries', 'share'], rs));
  });
  // by year (always from the year cells)
  var ycells = counted(countedAlone(YEARS.filter(function (c) { return passes(c, st, true); }), st));
  var byY = group(ycells, function (c) { return DIMS.year[c.y]; });
  var byYF = group(ycells, function (c) { return DIMS.year[c.y] + '\u0000' + DIMS.funder[c.f]; });
  var byYFun = group(ycells, function (c) { return DIMS.funder[c.f]; });
  var ys = sortedKeys(byY, false), yfs = sortedKeys(byYFun, false);
  var yrows = ys.map(function (y) {
    var label = PROJECTED[y] ? y + ' (projected)' : y;
    return {cls: PROJECTED[y] ? 'projected' : null, cells: [label].concat(yfs.map(function (f) {
      var cc = cellsOf(byYF, y + '\u0000' + f);
      return cc.length ? {cells: cc, what: f + ', ' + y} : '—';
    }), [{cells: cellsOf(byY, y), what: y}])};
  });
  yrows.push({cls: 'total', cells: ['Total'].concat(yfs.map(function (f) {
    return {cells: cellsOf(byYFun, f), what: f};
  }), [{cells: ycells, what: 'every year'}])});
  put('t-year', table('by-year-table', [M.yearWord].concat(yfs, ['Total']), yrows));
  // by status
  var sg = statusRows(st);
  var SCOLS = ['pledged', 'committed', 'disbursed', 'spent', 'total', 'paid'];
  var srows = [], stTotals = {pledged: [], committed: [], disbursed: [], spent: [], total: [], paid: [], others: []};
  sortedKeys(sg, false).forEach(function (f) {
    var r = sg.get(f), p0 = r.p0;
    var by = function (s) { return p0.filter(function (c) { return DIMS.status[c.s] === s; }); };
    var parts = {pledged: by('pledged'), committed: by('committed'), disbursed: by('disbursed'), spent: by('spent'), total: p0, paid: r.paid, others: r.others};
    Object.keys(parts).forEach(function (k) { stTotals[k] = stTotals[k].concat(parts[k]); });
    srows.push({cells: [f].concat(SCOLS.map(function (k) {
      return {cells: parts[k], what: f + ', ' + k};
    }), [{cells: p0, what: f + ', outstanding (total − paid)', minor: sum(p0) - sum(r.paid)},
         {cells: r.others, what: f + ', paid for others'}])});
  });
  srows.push({cls: 'total', cells: ['Total'].concat(SCOLS.map(function (k) {
    return {cells: stTotals[k], what: k};
  }), [{cells: stTotals.total, what: 'outstanding (total − paid)', minor: sum(stTotals.total) - sum(stTotals.paid)},
       {cells: stTotals.others, what: 'paid for others'}])});
  put('t-status', table('by-status-table', ['funder'].concat(SCOLS, ['outstanding', 'paid for others']), srows));
  // comparison
  if (M.compare.length) {
    var under = function (f, name) { return f === name || f.indexOf(name + ':') === 0; };
    var crow = ps.map(function (p) {
      var pc = cellsOf(byP, p);
      return {cells: [p].concat(M.compare.map(function (n) {
        var cc = pc.filter(function (c) { return under(DIMS.funder[c.f], n); });
        return cc.length ? {cells: cc, what: n + ' → ' + p} : '—';
      }))};
    });
    crow.push({cls: 'total', cells: ['Total'].concat(M.compare.map(function (n) {
      return {cells: prim.filter(function (c) { return under(DIMS.funder[c.f], n); }), what: n};
    }))});
    put('t-compare', table('comparison-table', ['purpose'].concat(M.compare), crow));
  }
  // account trees: every account and its parents, parents including children
  var treeBox = document.getElementById('t-trees');
  if (treeBox) {
    clear(treeBox);
    [['funder', 'funder-tree-table', function (c) { return DIMS.funder[c.f]; }],
     ['purpose', 'purpose-tree-table', function (c) { return DIMS.purpose[c.p]; }]].forEach(function (spec) {
      var roll = new Map();
      prim.forEach(function (c) {
        ancestors(spec[2](c)).forEach(function (a) {
          var g = roll.get(a); if (!g) { g = []; roll.set(a, g); } g.push(c);
        });
      });
      var rs = sortedKeys(roll, false).map(function (a) {
        var depth = a.split(':').length - 1;
        return {cells: ['\u00a0\u00a0'.repeat(depth) + a.split(':').pop(), {num: String(depth + 1)},
                        {cells: roll.get(a), what: a}], key: a};
      });
      var t = table(spec[1], [spec[0] + ' account', 'level', 'amount'], rs);
      Array.prototype.forEach.call(t.querySelectorAll('tbody tr'), function (tr, i) { tr.setAttribute('data-account', rs[i].key); });
      var wrap = el('div', {'class': 'scroll'}); wrap.appendChild(t); treeBox.appendChild(wrap);
    });
  }
  // charts
  var scale = scaleSel.value;
  var bars = [];
  ps.forEach(function (p) {
    fs.forEach(function (f) {
      var cc = cellsOf(byPF, p + '\u0000' + f);
      if (cc.length) bars.push({label: p, series: f, cells: cc, what: f + ' → ' + p});
    });
  });
  var ptot = {}; bars.forEach(function (b) { b.m = sum(b.cells); ptot[b.label] = (ptot[b.label] || ZERO) + b.m; });
  var cmp = function (x, y) { return x > y ? -1 : x < y ? 1 : 0; };
  bars.sort(function (a, b) { return cmp(ptot[a.label], ptot[b.label]) || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0) || cmp(a.m, b.m); });
  put('c-purpose', barChart('chart-purpose', 'Funding by purpose and funder' + where, bars.slice(0, 40), fs, scale,
      bars.length > 40 ? 'the 40 largest of ' + bars.length + ' bars' : ''));
  var stBars = [];
  sortedKeys(sg, false).forEach(function (f) {
    var p0 = sg.get(f).p0, paid = sg.get(f).paid;
    var further = p0.filter(function (c) { return DIMS.status[c.s] !== 'pledged'; });
    // never less than paid: a payment linked to a pledge shows it reached that stage (charts.status_stages)
    var comm = sum(further) >= sum(paid) ? further : paid;
    stBars.push({label: f, series: 'pledged (every counted entry)', cells: p0, what: f + ', pledged'});
    stBars.push({label: f, series: 'committed or further', cells: comm, what: f + ', committed or further'});
    stBars.push({label: f, series: 'disbursed or spent (paid)', cells: paid, what: f + ', paid'});
  });
  put('c-status', barChart('chart-status', 'From pledge to payment, by funder' + where, stBars,
      ['pledged (every counted entry)', 'committed or further', 'disbursed or spent (paid)'], scale, ''));
  put('c-timeline', timeline('chart-timeline', 'Funding per ' + M.yearWord.toLowerCase() + ' by funder' + where, ys, yfs, byYF, scale));
  // entries list and state line
  var ids = new Set(); cells.forEach(function (c) { c.e.forEach(function (i) { ids.add(i); }); });
  renderEntries(Array.from(ids).sort(function (a, b) { return a - b; }));
  // the count beside the counted total is of the entries it adds up (the by-funder table's);
  // entries linked to others (not counted) are said apart
  var countedIds = new Set(); prim.forEach(function (c) { c.e.forEach(function (i) { countedIds.add(i); }); });
  var n = entryCount(countedIds), linked = entryCount(Array.from(ids).filter(function (i) { return !countedIds.has(i); }));
  stateLine.textContent = (st.words.length ? 'Filtered: ' + st.words.join('; ') + '. ' : 'No filter: everything in the report. ') +
    'Counted total: ' + money(total) + ' in ' + n.toLocaleString(M.lang) + ' entr' + (n === 1 ? 'y' : 'ies') +
    (st.y ? ' (money falling in the chosen years)' : '') +
    (linked ? '; besides, ' + linked.toLocaleString(M.lang) + ' linked entr' + (linked === 1 ? 'y' : 'ies') + ' not counted (each records money of the entry it is linked to).' : '.');
  stateLine.setAttribute('data-total-minor', total.toString());
}
function put(id, node) {
  var box = document.getElementById(id);
  if (!box) return;
  if (node.tagName === 'TABLE') { var wrap = el('div', {'class': 'scroll'}); wrap.appendChild(node); node = wrap; }
  clear(box).appendChild(node);
}

// ---------------------------------------------------------------- charts
// grey last: the timeline keeps the first nine for its largest funders, grey being its "(other)"'s
var PALETTE = ['#3a78c2', '#e07b39', '#4a9e5c', '#b8486b', '#7c5fb0', '#8c6d46', '#d4a017', '#2a9d9d', '#c23a3a', '#666666'];
function colour(series, all) { var i = all.indexOf(series); return PALETTE[(i < 0 ? 0 : i) % PALETTE.length]; }
function useLog(values, scale) {
  if (scale === 'log') return true;
  if (scale === 'linear') return false;
  if (values.some(function (v) { return v < 0; })) return false;   // a log axis hides negatives
  var pos = values.filter(function (v) { return v > 0; });
  if (pos.length < 2) return false;
  return Math.max.apply(null, pos) / Math.min.apply(null, pos) >= M.logRatio;
}
function axis(values, log) {
  var pos = values.filter(function (v) { return v > 0; });
  var max = pos.length ? Math.max.apply(null, pos) : 1, min = pos.length ? Math.min.apply(null, pos) : 1;
  if (log) {
    // a decade of room below the smallest bar, so that it stays readable
    var lo = Math.pow(10, Math.floor(Math.log10(min)) - 1), hi = Math.pow(10, Math.ceil(Math.log10(max)));
    if (hi <= lo) hi = lo * 10;
    var ticks = []; for (var t = lo; t <= hi * 1.0001; t *= 10) ticks.push(t);
    return {pos: function (v) { return v <= 0 ? 0 : Math.max(0, (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))); }, ticks: ticks};
  }
  var step = Math.pow(10, Math.floor(Math.log10(max || 1)));
  if (max / step < 2) step /= 5; else if (max / step < 5) step /= 2;
  var top = Math.ceil(max / step) * step, tk = [];
  for (var x = 0; x <= top * 1.0001; x += step) tk.push(x);
  return {pos: function (v) { return Math.max(0, v / top); }, ticks: tk};
}
function unitsToMinor(v) { return BigInt(Math.round(v)) * SCALE; }
// Charts are drawn at the width of their box (never scaled down), so their
// text stays at its font size (12 px or more) on a 390-pixel phone too.
var FONT = 12;
function boxWidth(id) {
  var box = document.getElementById(id);
  var w = box ? box.clientWidth : 0;
  return Math.max(320, Math.min(990, w || 990));
}
function wrapWords(text, sep, perLine, most) {
  var words = String(text).split(sep), line = '', lines = [];
  words.forEach(function (wd) { var next = line ? line + sep + wd : wd; if (next.length > perLine && line) { lines.push(line); line = wd; } else line = next; });
  if (line) lines.push(line);
  if (lines.length <= most) return lines;
  var last = lines[most - 1];      // words dropped: the cut says so
  return lines.slice(0, most - 1).concat([(last.length >= perLine ? last.slice(0, perLine - 1) : last) + '…']);
}
function chartHead(title, subtitle, w) {
  var t = wrapWords(title, ' ', Math.floor(w / 9.5), 3), sub = wrapWords(subtitle, ' ', Math.floor(w / 7.2), 5);
  return {title: t, sub: sub, h: 12 + 20 * t.length + 16 * sub.length};
}
function chartFrame(id, title, head, w, h) {
  var s = sv('svg', {id: id, viewBox: '0 0 ' + w + ' ' + h, width: w, height: h, role: 'img'});
  s.appendChild(sv('title', {}, title));
  head.title.forEach(function (l, i) { s.appendChild(sv('text', {x: 8, y: 22 + 20 * i, 'font-size': 15, 'font-weight': 'bold'}, l)); });
  head.sub.forEach(function (l, i) { s.appendChild(sv('text', {x: 8, y: 18 + 20 * head.title.length + 16 * i, 'font-size': FONT, fill: '#444', 'class': 'subtitle'}, l)); });
  return s;
}
function legendLayout(names, x0, w) {      // legend items wrapped into lines
  var at = [], x = x0, line = 0;
  names.forEach(function (n) {
    var wd = 24 + 7.2 * Math.min(40, String(n).length);
    if (x + wd > w - 4 && x > x0) { x = x0; line++; }
    at.push({name: n, x: x, line: line}); x += wd;
  });
  return {items: at, lines: line + 1};
}
function scaleWords(log) { return log ? 'log scale: each gridline is ten times the one before' : 'linear scale'; }
function barChart(id, title, bars, series, scale, cut) {
  var values = bars.map(function (b) { return Number(sum(b.cells)) / Number(SCALE); });
  var log = useLog(values, scale), ax = axis(values, log);
  var w = boxWidth('c-' + id.replace('chart-', '')), narrow = w < 640;
  // narrow: each bar's label on its own line above the bar
  var labelW = narrow ? 0 : Math.min(300, Math.round(w * 0.3)), valueW = narrow ? 120 : 170;
  var plotW = w - labelW - valueW - 8, rowH = narrow ? 40 : 24;
  var head = chartHead(title, M.basisText + '; ' + scaleWords(log) + (cut ? '; ' + cut : ''), w);
  var legend = legendLayout(series.map(function (n) { return short(n, 40); }), narrow ? 8 : labelW, w);
  var top = head.h + 14, bottom = 34 + 18 * legend.lines;
  var h = top + Math.max(1, bars.length) * rowH + bottom;
  var s = chartFrame(id, title, head, w, h);
  var every = narrow && ax.ticks.length > 4 ? 2 : 1;
  ax.ticks.forEach(function (t, k) {
    var x = labelW + ax.pos(t) * plotW;
    s.appendChild(sv('line', {x1: x, x2: x, y1: top - 4, y2: h - bottom, stroke: '#dde', 'stroke-width': 1}));
    if (k % every === 0)
      s.appendChild(sv('text', {x: Math.max(x, 2), y: h - bottom + 16, 'font-size': FONT, fill: '#333',
                                'text-anchor': x < 30 ? 'start' : 'middle'}, compact(unitsToMinor(t))));
  });
  var prev = null;
  bars.forEach(function (b, i) {
    var y = top + i * rowH, v = values[i], bw = ax.pos(v) * plotW, by = narrow ? y + 18 : y + 3;
    if (narrow) {
      if (b.label !== prev) s.appendChild(sv('text', {x: 4, y: y + 14, 'font-size': FONT}, short(b.label, Math.floor(w / 7.2))));
    } else {
      s.appendChild(sv('text', {x: labelW - 8, y: y + 16, 'font-size': FONT, 'text-anchor': 'end',
                                fill: b.label === prev ? '#777' : '#000'}, short(b.label, Math.floor(labelW / 7))));
    }
    prev = b.label;
    var bad = flaggedIn(b.cells);
    var rect = sv('rect', {x: labelW, y: by, width: Math.max(bw, v > 0 ? 2 : 0), height: narrow ? 16 : rowH - 6,
                           fill: colour(b.series, series), 'class': bad ? 'bar flagged' : 'bar', 'data-minor': sum(b.cells).toString()});
    if (bad) { rect.setAttribute('stroke', '#b00020'); rect.setAttribute('stroke-width', 2); }
    rect.appendChild(sv('title', {}, b.what + ': ' + exact(sum(b.cells))));
    rect.addEventListener('click', function () { showDetail(b.what, b.cells); });
    rect.style.cursor = 'pointer';
    s.appendChild(rect);
    var quals = new Set(); b.cells.forEach(function (c) { quals.add(DIMS.qualifier[c.q]); });
    s.appendChild(sv('text', {x: labelW + Math.max(bw, 2) + 5, y: by + (narrow ? 13 : 13), 'font-size': FONT, 'class': bad ? 'value flagged' : 'value',
                              fill: bad ? '#b00020' : '#000'},
                     (bad ? '\u26a0 ' : '') + (b.cells.length ? qualified(money(sum(b.cells)), Array.from(quals)) : 'none')));
  });
  legend.items.forEach(function (it, k) {
    var y = h - bottom + 30 + 18 * it.line;
    s.appendChild(sv('rect', {x: it.x, y: y - 10, width: 10, height: 10, fill: colour(series[k], series)}));
    s.appendChild(sv('text', {x: it.x + 14, y: y, 'font-size': FONT}, it.name));
  });
  return s;
}
function timeline(id, title, years, allFunders, byYF, scale) {
  var cellsAt = function (y, f) { var g = byYF.get(y + '\u0000' + f); return g ? g.cells : []; };
  // more funders than colours: the largest apiece, the others summed as one series (its bars
  // hold their cells, so every year's bars still add up to its total)
  var funders = allFunders, rest = [], other = null;
  if (allFunders.length > PALETTE.length) {
    var tot = new Map();
    allFunders.forEach(function (f) { tot.set(f, years.reduce(function (a, y) { return a + sum(cellsAt(y, f)); }, ZERO)); });
    var keep = new Set(allFunders.slice().sort(function (a, b) {
      var d = tot.get(b) - tot.get(a); return d > ZERO ? 1 : d < ZERO ? -1 : a < b ? -1 : a > b ? 1 : 0;
    }).slice(0, PALETTE.length - 1));
    funders = allFunders.filter(function (f) { return keep.has(f); });
    rest = allFunders.filter(function (f) { return !keep.has(f); });
    other = '(other: ' + rest.length.toLocaleString(M.lang) + ' funders)';
    funders = funders.concat([other]);
  }
  var fillOf = function (f) { return f === other ? '#a0a0a0' : colour(f, funders); };
  var vals = [], grid = {};
  years.forEach(function (y) { funders.forEach(function (f) {
    var cc = f === other ? [].concat.apply([], rest.map(function (r) { return cellsAt(y, r); })) : cellsAt(y, f);
    grid[y + '|' + f] = cc; vals.push(Number(sum(cc)) / Number(SCALE));
  }); });
  var log = useLog(vals, scale), ax = axis(vals, log);
  var avail = boxWidth('c-timeline'), left = 74;
  // at least 14px a bar: room for its upright value label
  var colW = Math.max(60, 12 + 14 * funders.length, Math.min(140, (avail - left - 20) / Math.max(1, years.length)));
  var w = Math.max(avail, left + colW * years.length + 20);     // wider than its box: the box scrolls
  var horizon = M.horizon ? '; open-ended pledges counted to ' + (M.horizonSaid || M.horizon) : '';
  // first, where the subtitle's line cap cannot drop it (a phone wraps it into many lines)
  var cut = other ? 'the ' + (funders.length - 1) + ' largest of ' + allFunders.length.toLocaleString(M.lang) + ' funders apiece, the others as one; ' : '';
  var head = chartHead(title, cut + M.currency + ', amounts spread over their years, ' + M.valuationText + horizon + '; ' + scaleWords(log), w);
  var names = funders.map(function (f) { return short(f, 30); }).concat(['hatched: open-ended "a year" pledges']);
  var legend = legendLayout(names, 8, w);
  var plotH = 300, top = head.h + 74, h = top + plotH + 30 + 18 * legend.lines + 10;
  var s = chartFrame(id, title, head, w, h);
  var defs = sv('defs');
  var pat = sv('pattern', {id: id + '-hatch', patternUnits: 'userSpaceOnUse', width: 6, height: 6, patternTransform: 'rotate(45)'});
  pat.appendChild(sv('rect', {width: 6, height: 6, fill: '#fff', 'fill-opacity': 0.15}));
  pat.appendChild(sv('line', {x1: 0, y1: 0, x2: 0, y2: 6, stroke: '#fff', 'stroke-width': 3}));
  defs.appendChild(pat); s.appendChild(defs);
  ax.ticks.forEach(function (t) {
    var y = top + plotH - ax.pos(t) * plotH;
    s.appendChild(sv('line', {x1: left, x2: w - 10, y1: y, y2: y, stroke: '#dde'}));
    s.appendChild(sv('text', {x: left - 6, y: y + 4, 'font-size': FONT, 'text-anchor': 'end'}, compact(unitsToMinor(t))));
  });
  var bw = (colW - 12) / Math.max(1, funders.length);
  years.forEach(function (y, i) {
    var x0 = left + i * colW;
    if (PROJECTED[y]) {
      s.appendChild(sv('rect', {x: x0, y: top, width: colW, height: plotH, fill: '#efe9f8', 'class': 'projected'}));
      s.appendChild(sv('text', {x: x0 + colW / 2, y: top + plotH - 6, 'font-size': FONT, 'text-anchor': 'middle', fill: '#5b3f8c'}, 'projected'));
    }
    s.appendChild(sv('text', {x: x0 + colW / 2, y: top + plotH + 18, 'font-size': FONT, 'text-anchor': 'middle'}, y));
    funders.forEach(function (f, k) {
      var cc = grid[y + '|' + f], v = Number(sum(cc)) / Number(SCALE);
      if (!cc.length || v <= 0) return;
      var open = Number(sum(cc.filter(function (c) { return c.o; }))) / Number(SCALE);
      var hgt = ax.pos(v) * plotH, x = x0 + 6 + k * bw, yTop = top + plotH - hgt;
      var bad = flaggedIn(cc);
      var r = sv('rect', {x: x, y: yTop, width: bw - 2, height: Math.max(hgt, 2), fill: fillOf(f), 'class': bad ? 'bar flagged' : 'bar',
                          'data-minor': sum(cc).toString()});
      if (bad) { r.setAttribute('stroke', '#b00020'); r.setAttribute('stroke-width', 2); }
      r.appendChild(sv('title', {}, f + ', ' + y + ': ' + exact(sum(cc)) + (open ? ' (open-ended pledges: ' + exact(sum(cc.filter(function (c) { return c.o; }))) + ')' : '')));
      r.addEventListener('click', function () { showDetail(f + ', ' + y, cc); });
      s.appendChild(r);
      if (open > 0) {
        var ho = hgt * Math.min(1, open / v);
        s.appendChild(sv('rect', {x: x, y: yTop, width: bw - 2, height: Math.max(ho, 2), fill: 'url(#' + id + '-hatch)', 'pointer-events': 'none'}));
      }
      // upright above its bar: the label never spills onto the next bar
      var lx = x + (bw - 2) / 2 + 4, ly = yTop - 4;
      s.appendChild(sv('text', {x: lx, y: ly, 'font-size': FONT, 'class': bad ? 'value flagged' : 'value',
                                transform: 'rotate(-90 ' + lx + ' ' + ly + ')', fill: bad ? '#b00020' : '#000'},
                       (bad ? '\u26a0 ' : '') + money(sum(cc))));
    });
  });
  legend.items.forEach(function (it, k) {
    var y = top + plotH + 44 + 18 * it.line;
    var fill = k < funders.length ? fillOf(funders[k]) : '#777';
    s.appendChild(sv('rect', {x: it.x, y: y - 10, width: 10, height: 10, fill: fill}));
    if (k >= funders.length) s.appendChild(sv('rect', {x: it.x, y: y - 10, width: 10, height: 10, fill: 'url(#' + id + '-hatch)'}));
    s.appendChild(sv('text', {x: it.x + 14, y: y, 'font-size': FONT}, it.name));
  });
  return s;
}
function short(t, n) { t = String(t); return t.length > n ? t.slice(0, n - 1) + '…' : t; }

// ---------------------------------------------------------------- entries
var ENTRIES = D.entries, DOCS = D.docs;
function entryCard(e) {
  var bad = FLAGGED.has(e.i);
  var box = el('div', {'class': bad ? 'entry flagged' : 'entry', id: 'entry-' + e.i});
  var h = el('h3');
  if (bad) h.appendChild(el('span', {'class': 'bad'}, '\u26a0 The audit does not confirm this figure. '));
  h.appendChild(el('span', null, e.said));
  h.appendChild(el('span', {'class': 'muted'}, ' — ' + e.id));
  box.appendChild(h);
  var facts = [['date', e.date], ['funder', e.funder], ['purpose', e.rows.map(function (r) { return r.purpose + ': ' + money(BigInt(r.minor)); }).join('; ')],
               ['as written', e.written], ['status', e.status], ['counted in totals', e.counted ? 'yes' : 'no (linked to another entry)'],
               ['exchange rate', e.rate], ['tags', e.tags.join(', ')], ['links', e.links], ['location', e.location], ['notes', e.notes]];
  var dl = el('table', {'class': 'facts'});
  facts.forEach(function (f) {
    if (!f[1]) return;
    var tr = el('tr'); tr.appendChild(el('th', null, f[0])); tr.appendChild(el('td', null, f[1])); dl.appendChild(tr);
  });
  box.appendChild(dl);
  if (!e.cites.length) box.appendChild(el('p', {'class': 'bad'}, 'No source: this figure cannot be traced to a document.'));
  e.cites.forEach(function (c) {
    var cb = el('div', {'class': 'cite'});
    var doc = DOCS[c.doc] || {};
    var head = el('p');
    head.appendChild(el('strong', null, doc.title || c.doc));
    var about = [doc.publisher, doc.published].filter(Boolean).join(', ');
    if (about) head.appendChild(el('span', null, ' — ' + about));
    cb.appendChild(head);
    var ctx = el('p', {'class': 'context'});
    ctx.appendChild(document.createTextNode(c.before ? '…' + c.before : ''));
    ctx.appendChild(el('mark', null, c.match || c.quote));
    ctx.appendChild(document.createTextNode(c.after ? c.after + '…' : ''));
    cb.appendChild(ctx);
    if (doc.href) {                 // the archived copy shipped beside this page
      var open = el('p', {'class': 'archived'});
      open.appendChild(el('a', {href: hrefOf(doc.href), 'class': 'archived-copy', target: '_blank', rel: 'noopener noreferrer'},
                          'Open the archived copy of the document (' + doc.href + ')'));
      cb.appendChild(open);
    }
    var v = el('p');
    v.appendChild(el('span', {'class': c.verdict === 'verified' ? 'ok' : c.verdict === 'not audited' ? 'na' : 'bad'}, 'Audit: ' + c.verdict));
    if (c.where) v.appendChild(el('span', {'class': 'muted'}, ' at ' + c.where));
    if (c.verdict === 'not audited')
      v.appendChild(el('span', {'class': 'muted'}, ' (ledger-tool report --sources DIR checks each quote against its archived document and shows it in its context)'));
    cb.appendChild(v);
    if (c.findings.length) {
      var ul = el('ul'); c.findings.forEach(function (f) { ul.appendChild(el('li', null, f)); }); cb.appendChild(ul);
    }
    var arch = el('p', {'class': 'muted'});
    arch.appendChild(document.createTextNode('Archived document: ' + c.doc + (doc.path ? ' (' + doc.path + ')' : '') +
      (doc.sha256 ? ', sha256 ' + doc.sha256.slice(0, 16) + '…' : '') + (doc.state ? ', ' + doc.state : '') + '. '));
    if (doc.url && /^https?:\/\//i.test(doc.url)) {
      arch.appendChild(el('a', {href: doc.url, rel: 'noopener noreferrer nofollow', target: '_blank'}, doc.url));
    } else if (doc.url) arch.appendChild(document.createTextNode(doc.url));
    cb.appendChild(arch);
    box.appendChild(cb);
  });
  return box;
}
function hrefOf(path) {             // a relative path, each part URL-encoded
  return path.split('/').map(encodeURIComponent).join('/');
}
var DETAIL = null;                   // the open drill-down: {what, cells}
function showDetail(what, cells, quiet) {
  DETAIL = {what: what, cells: cells};
  var ids = new Set(); cells.forEach(function (c) { c.e.forEach(function (i) { ids.add(i); }); });
  var list = Array.from(ids).sort(function (a, b) { return a - b; }), n = entryCount(ids);
  var here = list.filter(function (i) { return i < ENTRIES.length; });
  var box = clear(document.getElementById('detail-body'));
  var quals = new Set(); cells.forEach(function (c) { quals.add(DIMS.qualifier[c.q]); });
  var head = el('p', {id: 'detail-head'});
  head.textContent = what + ': ' + qualified(money(sum(counted(cells))), Array.from(quals)) + ' (' + exact(sum(counted(cells))) + ') from ' +
    n + ' entr' + (n === 1 ? 'y' : 'ies') + '.';
  box.appendChild(head);
  if (here.length < n) box.appendChild(el('p', {'class': 'cut'}, 'This page carries ' + here.length + ' of these ' + n +
    ' entries (the largest ' + ENTRIES.length.toLocaleString(M.lang) + ' of the report); ' + (M.fullList ? 'the full list: ' + M.fullList : 'every entry is in entries.csv beside this page') + '.'));
  here.slice(0, 200).forEach(function (i) { box.appendChild(entryCard(ENTRIES[i])); });
  if (here.length > 200) box.appendChild(el('p', {'class': 'muted'}, 'First 200 shown.'));
  document.getElementById('detail').hidden = false;
  document.getElementById('detail').scrollIntoView();
  if (!quiet) saveView();
}
var ENTRY_COLUMNS = [
  {name: 'id', key: function (e) { return e.id; }},
  {name: 'date', key: function (e) { return e.date; }},
  {name: 'funder', key: function (e) { return e.funder; }},
  {name: 'purpose', key: function (e) { return e.rows.map(function (r) { return r.purpose; }).join('; '); }},
  {name: 'amount as said', key: function (e) { return e.said; }},
  {name: M.currency, key: function (e) { return entryMinor(e); }, money: true},
  {name: 'status', key: function (e) { return e.status; }},
  {name: 'counted', key: function (e) { return e.counted ? 'yes' : 'no'; }}
];
var SORT = {col: 5, dir: -1};        // largest first, as the report
var SEARCH = '';
var entryIds = [];
var ENTRY_ROWS = 500;                // rows in the entries table at once: the browser stays quick
function entryMinor(e) { return e.rows.reduce(function (a, r) { return a + BigInt(r.minor); }, ZERO); }
function entryText(e) {
  return [e.id, e.date, e.funder, e.said, e.written, e.status, e.tags.join(' '), e.notes, e.location]
    .concat(e.rows.map(function (r) { return r.purpose; })).join('\n').toLowerCase();
}
var searchBox = el('input', {type: 'search', id: 'entry-search', placeholder: 'Search the entries (id, funder, purpose, amount, status, tags, notes)',
                             'aria-label': 'Search the entries'});
searchBox.addEventListener('input', function () { SEARCH = searchBox.value; renderEntries(entryIds); saveView(); });
function renderEntries(ids) {
  entryIds = ids;
  var here = ids.filter(function (i) { return i < ENTRIES.length; });
  var words = SEARCH.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length) here = here.filter(function (i) { var t = entryText(ENTRIES[i]); return words.every(function (w) { return t.indexOf(w) >= 0; }); });
  var col = ENTRY_COLUMNS[SORT.col];
  here.sort(function (a, b) {
    var x = col.key(ENTRIES[a]), y = col.key(ENTRIES[b]);
    var d = col.money ? (x > y ? 1 : x < y ? -1 : 0) : String(x).localeCompare(String(y), M.lang, {numeric: true});
    return d * SORT.dir || a - b;
  });
  var rows = here.slice(0, ENTRY_ROWS).map(function (i) {
    var e = ENTRIES[i];
    return {cls: FLAGGED.has(i) ? 'flagged' : null,
            cells: [e.id, e.date, e.funder, e.rows.map(function (r) { return r.purpose; }).join('; '), e.said,
                    {cells: [{m: entryMinor(e), q: e.qi, r: e.counted ? 0 : 2, e: [i]}], what: e.id},
                    e.status, e.counted ? 'yes' : 'no']};
  });
  var outer = document.getElementById('t-entries'), box = document.getElementById('entries-found');
  if (!box) {                         // the search box stays put (and keeps the focus) while the rows change
    clear(outer).appendChild(searchBox);
    box = el('div', {id: 'entries-found'});
    outer.appendChild(box);
  }
  clear(box);
  // listed: the entries of this view the page carries; all: every entry of this view
  var listed = ids.filter(function (i) { return i < ENTRIES.length; }).length, all = entryCount(ids);
  var num = function (n) { return n.toLocaleString(M.lang); }, shown = Math.min(here.length, ENTRY_ROWS), cut = [];
  if (words.length) box.appendChild(el('p', {id: 'entry-count', 'class': 'muted'}, num(here.length) + ' of the ' + num(listed) +
    (listed < all ? ' listed' : '') + ' entries match "' + SEARCH + '".'));
  if (here.length > shown)
    cut.push('The table shows the first ' + num(shown) + ' of these ' + num(here.length) + ' entries, in the order chosen; sort or search to see the others.');
  if (listed < all)
    cut.push('This page lists ' + num(listed) + ' of the ' + num(all) + ' entries in this view' + (words.length ? ' (the search looks at those only)' : '') +
      ': it carries the ' + num(ENTRIES.length) + ' largest of the report\'s ' + num(M.entriesTotal) + ' entries, and ' +
      (M.fullList ? 'the full list: ' + M.fullList : 'entries.csv beside it holds every one') + '.');
  if (cut.length)
    box.appendChild(el('p', {id: 'entries-cut', 'class': 'cut', 'data-shown': String(shown), 'data-listed': String(listed), 'data-all': String(all)},
      cut.join(' ') + ' Totals above count every counted entry of this view, listed here or not; an entry linked to another (counted: no) is not added again.'));
  var t = table('entries-table', ENTRY_COLUMNS.map(function (c) { return c.name; }), rows);
  Array.prototype.forEach.call(t.querySelectorAll('thead th'), function (th, k) {
    var name = th.textContent, b = el('button', {type: 'button', 'class': 'sort', 'data-col': String(k)}, name);
    th.textContent = '';
    th.setAttribute('aria-sort', SORT.col === k ? (SORT.dir > 0 ? 'ascending' : 'descending') : 'none');
    if (SORT.col === k) b.appendChild(el('span', {'aria-hidden': 'true'}, SORT.dir > 0 ? ' \u25b2' : ' \u25bc'));
    b.addEventListener('click', function () {
      SORT = SORT.col === k ? {col: k, dir: -SORT.dir} : {col: k, dir: ENTRY_COLUMNS[k].money ? -1 : 1};
      renderEntries(entryIds); saveView();
    });
    th.appendChild(b);
  });
  var wrap = el('div', {'class': 'scroll'}); wrap.appendChild(t); box.appendChild(wrap);
}

// ---------------------------------------------------------------- the view in the URL
// The filters, scale, amounts, search, sort and the open drill-down live in
// the URL's fragment (#f=UK&p=Security&open=T.3.7&what=...): a shared URL
// reopens the same view.  A drill-down is saved as its cells' places in the
// page's own cell lists (T: totals, Y: years, E: one entry).
var MOST_SAVED_CELLS = 400;
function cellRef(cells) {
  if (!cells.length || cells.length > MOST_SAVED_CELLS) return null;
  if (cells.length === 1 && cells[0].k === undefined && cells[0].e.length === 1) return 'E.' + cells[0].e[0];
  var kind = cells[0].kind;
  if (!kind || !cells.every(function (c) { return c.kind === kind; })) return null;
  return kind + '.' + cells.map(function (c) { return c.k; }).join('.');
}
function cellsOfRef(ref) {
  var parts = String(ref).split('.'), kind = parts.shift(), nums = parts.map(Number);
  if (nums.some(function (n) { return !(n >= 0) || Math.floor(n) !== n; })) return null;
  if (kind === 'E') {
    var e = ENTRIES[nums[0]];
    return e ? [{m: entryMinor(e), q: e.qi, r: e.counted ? 0 : 2, e: [nums[0]]}] : null;
  }
  var list = kind === 'T' ? TOTALS : kind === 'Y' ? YEARS : null;
  if (!list || nums.some(function (n) { return n >= list.length; })) return null;
  return nums.map(function (n) { return list[n]; });
}
var restoring = false;
function saveView() {
  if (restoring) return;
  var q = new URLSearchParams();
  FILTERS.forEach(function (f) { chosen(f).forEach(function (v) { q.append(f.key, v); }); });
  if (scaleSel.value !== M.scale) q.set('scale', scaleSel.value);
  if (amountSel.value !== M.amounts) q.set('amounts', amountSel.value);
  if (SEARCH) q.set('search', SEARCH);
  if (SORT.col !== 5 || SORT.dir !== -1) q.set('sort', SORT.col + (SORT.dir > 0 ? 'a' : 'd'));
  if (DETAIL && !document.getElementById('detail').hidden) {
    var ref = cellRef(DETAIL.cells);
    if (ref) { q.set('open', ref); q.set('what', DETAIL.what); }
  }
  var hash = q.toString();
  var url = location.href.split('#')[0] + (hash ? '#' + hash : '');
  try { history.replaceState(null, '', url); } catch (err) { if (hash) location.hash = hash; }
}
function loadView() {
  var raw = location.hash.replace(/^#/, '');
  if (raw.indexOf('=') < 0) return false;            // a section's anchor, not a view
  var q = new URLSearchParams(raw);
  restoring = true;
  FILTERS.forEach(function (f) {
    var want = q.getAll(f.key);
    Array.prototype.forEach.call(f.select.options, function (o) { o.selected = want.indexOf(o.value) >= 0; });
  });
  if (['auto', 'linear', 'log'].indexOf(q.get('scale')) >= 0) scaleSel.value = q.get('scale');
  if (['compact', 'exact'].indexOf(q.get('amounts')) >= 0) { amountSel.value = q.get('amounts'); mode = amountSel.value; }
  SEARCH = q.get('search') || ''; searchBox.value = SEARCH;
  var m = /^(\d+)([ad])$/.exec(q.get('sort') || '');
  if (m && +m[1] < ENTRY_COLUMNS.length) SORT = {col: +m[1], dir: m[2] === 'a' ? 1 : -1};
  update();
  var cells = q.get('open') ? cellsOfRef(q.get('open')) : null;
  if (cells) showDetail(q.get('what') || '', cells, true);
  else { DETAIL = null; document.getElementById('detail').hidden = true; }
  restoring = false;
  return true;
}

function update() { STATE = readFilters(); render(STATE); saveView(); }
TOTALS.forEach(function (c, k) { c.kind = 'T'; c.k = k; });
YEARS.forEach(function (c, k) { c.kind = 'Y'; c.k = k; });
if (!loadView()) update();
window.addEventListener('hashchange', function () { loadView(); });
var resizing = null;                  // charts are drawn to their box's width
window.addEventListener('resize', function () {
  clearTimeout(resizing);
  resizing = setTimeout(function () { restoring = true; render(STATE); restoring = false; }, 150);
});
if (AUDIT && AUDIT.failed && FLAGGED.size) {
  var banner = document.getElementById('audit-banner');
  if (banner) {
    // a dataset's page: its groups of total and year cells are numbered apart
    var bad = AUDIT.count != null ? AUDIT.count : entryCount(FLAGGED);
    var showBad = el('button', {type: 'button', id: 'show-flagged'}, 'Show the ' + bad + ' affected entr' + (bad === 1 ? 'y' : 'ies'));
    showBad.addEventListener('click', function () {
      var here = Array.from(FLAGGED).filter(function (i) { return i < ENTRIES.length; });
      showDetail('Entries the audit does not confirm', here.map(function (i) {
        var e = ENTRIES[i];
        return {m: entryMinor(e), q: e.qi, r: e.counted ? 0 : 2, e: [i]};
      }));
      if (here.length < bad) {   // a dataset's page lists its largest entries only
        var head = document.getElementById('detail-head');
        head.parentNode.insertBefore(el('p', {'class': 'cut', id: 'flagged-cut'}, 'This page carries ' +
          here.length.toLocaleString(M.lang) + ' of the ' + bad.toLocaleString(M.lang) +
          ' entries the audit does not confirm (it lists the largest entries only); every finding is on the Audit sheet of report.xlsx.'),
          head.nextSibling);
      }
    });
    banner.appendChild(showBad);
  }
}
document.documentElement.setAttribute('data-ready', 'yes');
})();
