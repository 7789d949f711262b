// kprof report page: lays out the data blob (#kprof-data, made by reports/html/src/page_data.cpp)
// as sections of tables and declarative Vega-Lite charts. It computes nothing the blob already
// holds; it formats, filters and declares. Every chart's view is kept in window.kprofViews under
// its name; body[data-kprof-ready] is set (to the time in ms) once the charts of the first screen
// are drawn, and body[data-kprof-state] becomes "done" (or "failed") once every chart has rendered,
// which is what the browser test (tests/html/) waits for.
(function () {
  'use strict';

  const views = (window.kprofViews = {});
  const renders = [];

  // ---- small DOM helpers -------------------------------------------------------------------
  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null) continue;
      if (name === 'text') node.textContent = value;
      else node.setAttribute(name, value);
    }
    for (const child of [].concat(children || [])) {
      if (child === null || child === undefined) continue;
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return node;
  }

  // A visible note; `error` for what went wrong, otherwise what is missing and how to get it.
  function note(parent, parts, error) {
    const p = el('p', {class: 'kprof-note' + (error ? ' kprof-error' : '')});
    for (const part of [].concat(parts)) p.appendChild(typeof part === 'string' ? document.createTextNode(part) : part);
    parent.appendChild(p);
    return p;
  }

  const code = (text) => el('code', {text: text});

  // toLocaleString('en-US') builds a number format on every call (a third of the page's table
  // building); one format made once gives the same text.
  const EN_US = new Intl.NumberFormat('en-US');

  function fmt(value, digits) {
    if (value === null || value === undefined || !isFinite(value)) return '–';
    const abs = Math.abs(value);
    if (abs !== 0 && (abs >= 1e6 || abs < 1e-3)) return value.toExponential(2);
    return EN_US.format(Number(value.toPrecision(digits || 3)));
  }

  function fmtNs(ns) {
    if (!(ns > 0)) return '–';
    const units = [[1e9, 's'], [1e6, 'ms'], [1e3, 'µs'], [1, 'ns']];
    for (const [scale, unit] of units) if (ns >= scale) return fmt(ns / scale) + ' ' + unit;
    return fmt(ns) + ' ns';
  }

  function table(header, rows, options) {
    const numeric = (options && options.numeric) || [];
    const head = el('tr', {}, header.map((h, i) => el('th', {class: numeric.includes(i) ? 'num' : null, text: h})));
    const body = rows.map((row) =>
      el('tr', {class: row.className || null},
         row.cells.map((cell, i) => el('td', {class: numeric.includes(i) ? 'num' : null},
                                       typeof cell === 'string' ? [cell] : [cell]))));
    return el('table', {class: options && options.className}, [el('thead', {}, head), el('tbody', {}, body)]);
  }

  function section(id, title, lead) {
    const s = el('section', {id: id}, [el('h2', {text: title})]);
    if (lead) s.appendChild(el('p', {class: 'kprof-lead', text: lead}));
    document.getElementById('kprof-main').appendChild(s);
    document.getElementById('kprof-nav').appendChild(el('a', {href: '#' + id, text: title}));
    return s;
  }

  // Renders a Vega-Lite (or Vega, mode 'vega') spec into `parent`; its view is kept under `name`.
  // Drawing is what makes a page slow to open (every chart drawn at once took ~1.7 s of the main
  // job's 2.6 s), so a chart is drawn when it is near the window, and the others one after another
  // once the first screen is drawn (scheduleCharts); a chart asked for later (a new flame graph
  // chosen) is drawn at once.
  function chart(parent, name, spec, mode) {
    const holder = el('div', {class: 'kprof-chart', 'data-chart': name});
    parent.appendChild(holder);
    const options = {
      mode: mode || 'vega-lite',
      renderer: 'svg',
      // Export as PNG/SVG works offline; the "open in the editor" action would go to the network.
      actions: {export: true, source: false, compiled: false, editor: false},
    };
    // The space the chart will take, kept before it is drawn, so that "near the window" means the
    // same before and after drawing.
    holder.style.minHeight = expectedHeight(spec) + 'px';
    let start;
    const rendered = new Promise((resolve) => { start = resolve; })
      .then(() => vegaEmbed(holder, spec, options))
      .then((result) => { views[name] = result.view; })
      .catch((error) => {
        console.error('kprof report: chart ' + name + ' failed:', error);
        note(holder, 'This chart could not be drawn: ' + error, true);
        throw error;
      });
    renders.push(rendered);
    if (scheduled) start();
    else waiting.push({holder, start, rendered});
    return rendered;
  }

  // A chart's height from its spec: a fixed height, or for a faceted bar chart one 20 px step per
  // bar and a header per facet; the legend, axes and title add about 60 px.
  function expectedHeight(spec) {
    if (typeof spec.height === 'number') return spec.height + 60;
    const values = spec.data && spec.data.values;
    if (spec.facet && values) {
      const field = spec.facet.row.field;
      return values.length * 20 + new Set(values.map((v) => v[field])).size * 40 + 60;
    }
    return 300;
  }

  let scheduled = false;
  const waiting = [];

  function nearWindow(holder) {
    const box = holder.getBoundingClientRect();
    return box.bottom > -200 && box.top < window.innerHeight + 200 && box.height >= 0 && holder.offsetParent !== null;
  }

  // The charts on the first screen first (the page is "ready" once they are drawn), then the rest in
  // page order, one at a time so that the page answers scrolling in between; a chart scrolled to is
  // drawn at once.
  function scheduleCharts() {
    scheduled = true;
    const first = waiting.filter((w) => nearWindow(w.holder));
    const rest = waiting.filter((w) => !first.includes(w));
    const observer = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        const w = rest.find((r) => r.holder === entry.target);
        if (entry.isIntersecting && w) w.start();
      }
    }, {rootMargin: '200px'});
    for (const w of rest) observer.observe(w.holder);
    for (const w of first) w.start();
    const ready = Promise.allSettled(first.map((w) => w.rendered)).then(() => {
      document.body.dataset.kprofReady = String(Math.round(performance.now()));
    });
    rest.reduce((previous, w) => previous.then(() => new Promise((resolve) => setTimeout(resolve, 0)))
      .then(() => { w.start(); return w.rendered.catch(() => {}); }), ready)
      .then(() => observer.disconnect());
  }

  // ---- header, notes, machine ----------------------------------------------------------------
  function header(data) {
    const h = document.getElementById('kprof-header');
    const main = data.documents.find((d) => d.results > 0) || data.documents[0];
    if (main) {
      h.appendChild(el('p', {}, ['made by ', code(main.command), ' at ' + main.created_utc +
                                 (main.git_commit ? ', commit ' + main.git_commit.slice(0, 12) : '')]));
    }
    h.appendChild(el('p', {text: data.documents.length + ' kprof documents in ' + data.folder +
                                 '/ · kprof ' + data.kprof_version}));
    h.after(el('nav', {id: 'kprof-nav'}));
  }

  function leftOut(data) {
    if (!data.notes.length) return;
    const s = section('left-out', 'Documents left out', 'These files look like kprof documents but could not be read; the page shows everything else.');
    s.appendChild(el('ul', {}, data.notes.map((n) => el('li', {text: n}))));
  }

  function machine(data) {
    const s = section('machine', 'Machine', 'Where these figures were measured: every figure on this page carries this context.');
    const env = data.environment;
    if (!env) { note(s, 'No document in this folder describes its machine.'); return; }
    const peak = data.peak || {};
    const rows = [
      ['CPU', env.cpu_model + ' · ' + env.logical_cpus + ' logical CPUs · widest ISA ' + env.widest_isa],
      ['measured peak (one core)', 'f64 ' + fmt(peak.f64_gflops) + ' GFLOP/s · f32 ' + fmt(peak.f32_gflops) +
                                   ' GFLOP/s (FMA, ' + (peak.isa || '?') + ') · STREAM triad ' + fmt(peak.triad_gbps) + ' GB/s'],
      ['build', env.compiler + ' · ' + env.build_type],
      ['BLAS', env.blas + ' · core ' + env.blas_core],
      ['threads', String(env.threads)],
      ['OS', env.os + (env.hypervisor ? ' · virtual machine' : '') + (env.governor ? ' · governor ' + env.governor : '')],
      ['fingerprint', env.fingerprint],
    ];
    s.appendChild(table(['', ''], rows.map((r) => ({cells: r})), {className: 'kprof-env'}));
    for (const w of env.warnings || []) note(s, 'Warning: ' + w);
  }

  // ---- variants side by side -------------------------------------------------------------------
  function statusLabel(r) {
    return r.status + (r.reason ? ': ' + r.reason : '');
  }

  function okLabel(r) {
    let text = fmt(r.value) + ' ' + r.metric;
    // The roof that bounds it: the FMA peak, or the STREAM bandwidth (its bytes fit in cache: * ).
    const roof = r.bound === 'memory' ? 'bandwidth' : r.bound === 'cache' ? 'bandwidth*' : 'peak';
    if (r.pct_peak > 0) text += ' · ' + fmt(r.pct_peak, 2) + '% of ' + roof;
    if (r.speedup !== null) text += ' · ×' + fmt(r.speedup, 2);
    if (figuresText(r)) text += ' · ' + figuresText(r);
    return text;
  }

  // Every family's chart colours a kind the same way.
  const KIND_COLORS = {domain: ['scalar', 'simd', 'blas', 'eigen', 'other'],
                       range: ['#9e9e9e', '#1f77b4', '#2ca02c', '#ff7f0e', '#9467bd']};

  // One data source for every layer (per-layer filters would make Vega-Lite union the facets'
  // independent scales across forks of the data): a variant that was not timed has no value, so it
  // draws no bar and no spread, only its status label at zero.
  function variantsSpec(rows, metric) {
    const tooltip = [
      {field: 'variant'}, {field: 'case', title: 'size · dtype'}, {field: 'value', title: metric, format: '.3~g'},
      {field: 'pct_peak', title: '% of peak', format: '.2~f'}, {field: 'median_ns', title: 'median ns', format: '.4~g'},
      {field: 'code_path', title: 'code path'}, {field: 'bound'}, {field: 'status'}, {field: 'reason'},
    ];
    return {
      data: {values: rows},
      facet: {row: {field: 'case', type: 'nominal', sort: null, title: null,
                    header: {labelAngle: 0, labelOrient: 'top', labelAnchor: 'start', labelFontWeight: 'bold', labelFontSize: 12}}},
      resolve: {scale: {x: 'independent'}},
      spacing: 12,
      spec: {
        width: 560,
        height: {step: 20},
        encoding: {y: {field: 'variant', type: 'nominal', title: null, sort: null}, tooltip: tooltip},
        layer: [
          {name: 'bars', mark: {type: 'bar', height: {band: 0.7}},
           encoding: {x: {field: 'bar', type: 'quantitative', title: metric},
                      color: {field: 'kind', type: 'nominal', title: 'kind', scale: KIND_COLORS}}},
          {name: 'spread', mark: {type: 'rule', color: '#333'},
           encoding: {x: {field: 'lo', type: 'quantitative'}, x2: {field: 'hi'}}},
          {name: 'labels', mark: {type: 'text', align: 'left', dx: 5, fontSize: 11, limit: 640},
           encoding: {x: {field: 'label_at', type: 'quantitative'}, text: {field: 'label'},
                      color: {condition: {test: "datum.status !== 'ok'", value: '#b00020'}, value: '#222'}}},
        ],
      },
    };
  }

  // "accuracy 0.944": what a family reports besides the time (the figures section), or ''.
  function figuresText(r) {
    return Object.entries(r.figures || {}).map(([name, value]) => name + ' ' + fmt(value, 4)).join(', ');
  }

  function variantsTable(rows) {
    // A figures column only for families that report figures (forest_fit's held-out accuracy).
    const figures = rows.some((r) => figuresText(r) !== '');
    return table(
      ['size · dtype', 'variant', 'status', 'throughput', 'spread (q1–q3)', '% of peak', 'vs scalar', 'median']
        .concat(figures ? ['figures'] : []).concat(['code path / reason']),
      rows.map((r) => ({
        className: 'status-' + r.status,
        cells: [r.case, r.variant, r.status,
                r.status === 'ok' ? fmt(r.value) + ' ' + r.metric : '–',
                r.status === 'ok' ? fmt(r.lo) + ' – ' + fmt(r.hi) : '–',
                r.status === 'ok' ? fmt(r.pct_peak, 2) : '–',
                r.speedup !== null ? '×' + fmt(r.speedup, 2) : '–',
                r.status === 'ok' ? fmtNs(r.median_ns) : '–']
          .concat(figures ? [figuresText(r) || '–'] : [])
          .concat([r.status === 'ok' ? r.code_path : statusLabel(r) + (r.code_path ? ' (' + r.code_path + ')' : '')]),
      })),
      {numeric: [3, 4, 5, 6, 7]});
  }

  function variants(data) {
    const s = section('variants', 'Variants side by side',
      'Each family\'s variants per size and element type: throughput (bar) with the spread of the timing rounds ' +
      '(line: slow to fast quartile), the share of this machine\'s roofline bound, and the speed-up over scalar. ' +
      'Variants that were wrong, failed or skipped are listed in red with the reason; they were not timed. ' +
      '"bandwidth*": memory-bound, but the bytes of a call fit in the last-level cache, so more than 100% of the ' +
      'DRAM bandwidth is expected.');
    if (!data.results.length) {
      note(s, ['No timing results in this folder: ', code('kprof run --out DIR'), ' writes run.json.']);
      return;
    }
    const families = [...new Set(data.results.map((r) => r.family))];
    for (const family of families) {
      const rows = data.results.filter((r) => r.family === family)
        .map((r) => Object.assign({}, r, r.status === 'ok'
          ? {label: okLabel(r), bar: r.value, label_at: r.hi}
          : {label: statusLabel(r), bar: null, lo: null, hi: null, label_at: 0}));
      s.appendChild(el('h3', {id: 'variants-' + family, text: family}));
      // A (size, dtype) where no variant was timed has nothing to scale a chart by: it is said in words.
      const timed = new Set(rows.filter((r) => r.status === 'ok').map((r) => r.case));
      const charted = rows.filter((r) => timed.has(r.case));
      if (charted.length) chart(s, 'variants-' + family, variantsSpec(charted, rows[0].metric));
      for (const c of [...new Set(rows.filter((r) => !timed.has(r.case)).map((r) => r.case))]) {
        note(s, c + ': no variant was timed. ' +
                rows.filter((r) => r.case === c).map((r) => r.variant + ' ' + statusLabel(r)).join('; '));
      }
      s.appendChild(el('details', {}, [el('summary', {text: 'every variant of ' + family + ' in a table'}), variantsTable(rows)]));
    }
  }

  // ---- roofline --------------------------------------------------------------------------------
  function rooflineSpec(points, roofs, labels, domain) {
    const x = {field: 'intensity', type: 'quantitative', title: 'arithmetic intensity (FLOP per byte)',
               scale: {type: 'log', domain: domain.x}};
    const y = {field: 'gflops', type: 'quantitative', title: 'GFLOP/s', scale: {type: 'log', domain: domain.y}};
    const label = (align, dy) => ({
      data: {values: labels.filter((l) => l.align === align)},
      mark: {type: 'text', align: align, dy: dy, color: '#555', fontSize: 11},
      encoding: {x: x, y: y, text: {field: 'label'}},
    });
    return {
      width: 720,
      height: 420,
      layer: [
        {name: 'roofs', data: {values: roofs}, mark: {type: 'line', clip: true, color: '#777'},
         encoding: {x: x, y: y, strokeDash: {field: 'roof', type: 'nominal', title: 'ceiling'}}},
        Object.assign({name: 'ceiling_labels'}, label('right', -7)),
        Object.assign({name: 'bandwidth_label'}, label('left', -9)),
        {name: 'points', data: {values: points}, mark: {type: 'point', filled: true, size: 70, opacity: 0.85},
         encoding: {x: x, y: y, color: {field: 'family', type: 'nominal'}, shape: {field: 'dtype', type: 'nominal'},
                    tooltip: [{field: 'family'}, {field: 'variant'}, {field: 'case', title: 'size · dtype'},
                              {field: 'intensity', title: 'FLOP/byte', format: '.3~g'},
                              {field: 'gflops', title: 'GFLOP/s', format: '.3~g'},
                              {field: 'pct_peak', title: '% of peak', format: '.2~f'}, {field: 'bound'}]}},
      ],
    };
  }

  function logDomain(values, margin) {
    return [Math.min(...values) / margin, Math.max(...values) * margin];
  }

  function roofline(data) {
    const s = section('roofline', 'Roofline',
      'Every timed variant and size at its arithmetic intensity (FLOPs per byte moved). The ceilings are this machine\'s ' +
      'measured single-core FMA peaks (f64, f32) and its STREAM triad bandwidth: a point far below its ceiling has headroom.');
    const points = data.results.filter((r) => r.status === 'ok' && r.intensity > 0 && r.gflops > 0);
    if (!points.length) {
      note(s, ['No timed result with both a FLOP and a byte count: ', code('kprof run --out DIR'), ' writes them.']);
      return;
    }
    const roofs = data.roofs || [];
    const peak = data.peak || {};
    const peaks = [peak.f64_gflops, peak.f32_gflops].filter((p) => p > 0);
    if (!roofs.length) note(s, 'This run has no measured peak or bandwidth, so the chart has no ceilings.');
    const ridges = roofs.length ? peaks.map((p) => p / peak.triad_gbps) : [];
    const domain = {
      x: logDomain(points.map((p) => p.intensity).concat(ridges), 4),
      y: logDomain(points.map((p) => p.gflops).concat(roofs.length ? peaks : []), 2),
    };
    const labels = [...new Set(roofs.map((r) => r.roof))].map((roof) => {
      const top = Math.max(...roofs.filter((r) => r.roof === roof).map((r) => r.gflops));
      return {intensity: domain.x[1], gflops: top, label: roof + ' ' + fmt(top) + ' GFLOP/s', align: 'right'};
    });
    if (roofs.length) {
      // The bandwidth roof named just after it enters the chart.
      const at = Math.max(domain.x[0], domain.y[0] / peak.triad_gbps) * 1.5;
      labels.push({intensity: at, gflops: peak.triad_gbps * at, label: 'STREAM triad ' + fmt(peak.triad_gbps) + ' GB/s',
                   align: 'left'});
    }
    chart(s, 'roofline', rooflineSpec(points, roofs, labels, domain));
    const unplaced = data.results.filter((r) => r.status === 'ok' && !(r.intensity > 0));
    if (unplaced.length) {
      note(s, 'Not on the roofline (no FLOP count): ' +
              [...new Set(unplaced.map((r) => r.family + '/' + r.variant))].join(', ') + '.');
    }
  }

  // ---- flame graphs (Vega partition: the library lays the frames out) -------------------------
  const FLAME_ROW = 17;

  // How frames are coloured: by module (one profile), or by the change of their inclusive cost from
  // a base profile (differential: red grew, blue shrank, as in Brendan Gregg's differential graphs).
  function moduleColours(graph) {
    return {
      scales: [{name: 'module', type: 'ordinal', domain: {data: 'frames', field: 'module', sort: true},
                range: {scheme: 'tableau20'}}],
      legends: [{fill: 'module', title: 'module', orient: 'bottom', direction: 'horizontal', columns: 4}],
      fill: {scale: 'module', field: 'module'},
      tooltip: "{title: datum.name, module: datum.module, inclusive: format(datum.value, ',.0f') + ' " + graph.event +
               "', share: format(datum.value / total, '.1%'), self: format(datum.self, ',.0f')}",
    };
  }

  function changeColours(graph) {
    const change = 'datum.base > 0 ? (datum.now - datum.base) / datum.base : 1';
    return {
      scales: [{name: 'change', type: 'linear', domain: [-1, 1], clamp: true, range: {scheme: 'redblue'},
                reverse: true}],
      legends: [{fill: 'change', title: 'inclusive ' + graph.event + ' per call, change from the base',
                 orient: 'bottom', direction: 'horizontal', format: '+.0%', gradientLength: 300}],
      fill: {scale: 'change', signal: change},
      tooltip: "{title: datum.name, module: datum.module, base: format(datum.base, ',.1f') + ' " + graph.event +
               "', now: format(datum.now, ',.1f') + ' " + graph.event + "', change: datum.base > 0 ? " +
               "format((datum.now - datum.base) / datum.base, '+.1%') : 'new'}",
    };
  }

  function flameSpec(graph, width, colours) {
    const depth = [];
    for (const f of graph.frames) depth[f.id] = f.parent === null ? 0 : depth[f.parent] + 1;
    const rows = Math.max(...depth) + 1;
    const style = (colours || moduleColours)(graph);
    return {
      width: width,
      height: rows * FLAME_ROW,
      padding: 4,
      signals: [{name: 'total', value: graph.total}],
      data: [{
        name: 'frames',
        values: graph.frames,
        transform: [
          {type: 'stratify', key: 'id', parentKey: 'parent'},
          {type: 'partition', field: 'self', sort: {field: 'value', order: 'descending'},
           size: [{signal: 'width'}, {signal: 'height'}]},
        ],
      }],
      scales: style.scales,
      legends: style.legends,
      marks: [
        {type: 'rect', name: 'flame_frames', from: {data: 'frames'},
         encode: {enter: {
           x: {field: 'x0'}, x2: {field: 'x1'},
           y: {signal: 'height - datum.y1'}, y2: {signal: 'height - datum.y0'},  // the root at the bottom
           fill: style.fill, stroke: {value: '#fff'}, strokeWidth: {value: 0.5},
           tooltip: {signal: style.tooltip},
         }}},
        {type: 'text', name: 'flame_labels', from: {data: 'frames'}, interactive: false,
         encode: {enter: {
           x: {signal: 'datum.x0 + 3'}, y: {signal: 'height - (datum.y0 + datum.y1) / 2'},
           baseline: {value: 'middle'}, fontSize: {value: 10}, fill: {value: '#111'},
           text: {signal: "datum.x1 - datum.x0 > 30 ? datum.name : ''"},
           limit: {signal: 'max(0, datum.x1 - datum.x0 - 6)'},
         }}},
      ],
    };
  }

  // What a differential graph cannot draw: the frames the base had and the current profile lost.
  function goneNote(holder, graph) {
    if (!graph.gone || !graph.gone.length) return;
    note(holder, ['Only in ' + graph.base_label + ' (not drawn): ' +
                  graph.gone.map((g) => g.name + ' ' + fmt(g.base) + ' ' + graph.event).join('; ')]);
  }

  // One chart per kind of profile, with a choice of the profile it shows (one drawn at a time keeps
  // the page light whatever the number of profiles).
  function flameGroup(s, name, title, graphs, explain, colours) {
    s.appendChild(el('h3', {id: name, text: title}));
    s.appendChild(el('p', {class: 'kprof-lead', text: explain}));
    const select = el('select', {'data-flame-select': name},
                      graphs.map((g, i) => el('option', {value: String(i), text: g.label})));
    s.appendChild(el('label', {}, ['profile: ', select]));
    const holder = el('div');
    s.appendChild(holder);
    const draw = (i) => {
      holder.textContent = '';
      goneNote(holder, graphs[i]);
      return chart(holder, name, flameSpec(graphs[i], 1100, colours), 'vega');
    };
    select.addEventListener('change', () => draw(Number(select.value)));
    draw(0);
  }

  const CALL_GRAPH_NOTE = 'Built from the profile\'s call graph (callers and callees with inclusive costs): where a ' +
    'function is called from several places, its callees\' cost is shared among them in proportion.';

  function flames(data) {
    const s = section('flames', 'Flame graphs',
      'Where the kernel region spends its cost, callers below callees; a frame\'s width is its inclusive cost. ' +
      'kprof\'s own driver frames are hidden, so the graphs start at your code. Hover a frame for its figures.');
    const groups = [
      ['flame-cpu', 'CPU samples (kprof cpu)', data.flames_cpu,
       ['No CPU profile in this folder: ', code('kprof cpu TARGET --out DIR/cpu/NAME'), ' makes one.'], CALL_GRAPH_NOTE],
      ['flame-callgrind', 'Instructions, inclusive (kprof callgrind)', data.flames_callgrind,
       ['No callgrind profile in this folder: ', code('kprof callgrind FAMILY --compare --out DIR/callgrind/NAME'),
        ' makes them.'], CALL_GRAPH_NOTE],
      ['flame-allocations', 'Bytes allocated, by call stack (kprof mem)', data.flames_allocations,
       ['No allocation profile in this folder: ', code('kprof mem TARGET -o DIR/memory'), ' makes one.'],
       'Every allocating stack of the region, from its call site (your line) outwards; a frame\'s width is the bytes ' +
       'allocated below it. malloc and the runtime inside the call site are left out.'],
      ['flame-differential', 'Differential: the gate\'s baseline against its current build, one variant against another',
       data.flames_differential,
       ['No two profiles to compare here: ', code('kprof callgrind FAMILY --compare --out DIR/callgrind/NAME'),
        ' profiles every variant; ', code('kprof regress ... --json DIR/regress/regress.json'),
        ' compares a baseline with the current build.'],
       'The second profile\'s instructions per call (the current build\'s, or the second variant\'s) laid out as a ' +
       'flame graph, each frame coloured by the change of its inclusive cost from the first (matched by the functions ' +
       'on its path): red grew, blue shrank, full red is new. Frames only the first profile has are listed above the ' +
       'graph.', changeColours],
    ];
    for (const [name, title, graphs, missing, explain, colours] of groups) {
      if (!graphs || !graphs.length) { s.appendChild(el('h3', {text: title})); note(s, missing); continue; }
      flameGroup(s, name, title, graphs, explain, colours);
    }
  }

  // ---- regressions (kprof regress --json) --------------------------------------------------------
  function signedPct(value) {
    return (value > 0 ? '+' : '') + fmt(value, 3) + '%';
  }

  function findingRows(comparison) {
    const rows = [];
    for (const b of comparison.benchmarks)
      for (const f of b.findings || []) {
        if (f.verdict === 'unchanged') continue;
        const what = el('div', {}, [f.explanation]);
        if (f.details && f.details.length) what.appendChild(el('ul', {}, f.details.map((d) => el('li', {text: d}))));
        rows.push({className: 'verdict-' + f.verdict,
                   cells: [b.key, f.metric, f.verdict, fmt(f.baseline), fmt(f.current), signedPct(f.change_pct),
                           fmt(f.threshold_pct, 3) + '% (' + f.threshold_source + ')', what]});
      }
    return rows;
  }

  function regressions(data) {
    const s = section('regressions', 'Regressions',
      'The regression gate\'s verdicts (kprof regress --json): every finding that is not "unchanged", with what ' +
      'grew; the differential flame graphs below show a compared build\'s instructions frame by frame.');
    const comparisons = data.regressions || [];
    if (!comparisons.length) {
      note(s, ['No gate comparison in this folder: ',
               code('kprof regress --baseline BASE.json --current RUN.json --json DIR/regress/regress.json'),
               ' makes one.']);
      return;
    }
    for (const {file, comparison: c} of comparisons) {
      s.appendChild(el('h3', {text: file}));
      const verdict = c.regressions ? c.regressions + ' regression' + (c.regressions > 1 ? 's' : '') : 'no regression';
      s.appendChild(el('p', {'data-regressions': String(c.regressions), class: c.regressions ? 'kprof-bad' : null,
                             text: verdict + ', ' + c.improvements + ' improvement' + (c.improvements === 1 ? '' : 's') +
                                   ' · baseline ' + c.baseline + (c.baseline_commit ? ' (' + c.baseline_commit + ')' : '') +
                                   ' → current ' + c.current + (c.current_commit ? ' (' + c.current_commit + ')' : '')}));
      for (const w of c.warnings || []) note(s, w);
      const rows = findingRows(c);
      const compared = c.benchmarks.reduce((n, b) => n + (b.findings || []).length, 0);
      if (rows.length)
        s.appendChild(table(['benchmark', 'metric', 'verdict', 'baseline', 'current', 'change', 'threshold', 'why'], rows,
                            {numeric: [3, 4, 5], className: 'kprof-regress'}));
      s.appendChild(el('p', {class: 'kprof-lead',
                             text: (compared - rows.length) + ' of ' + compared + ' findings unchanged (within their threshold).'}));
    }
  }

  // ---- history (kprof history show --json) ---------------------------------------------------------
  // One benchmark's metric over its recorded runs, a dashed rule at each detected step.
  function historySpec(series, metric) {
    const points = series.points.map((p, i) => ({run: i + 1, value: p.value, commit: p.commit.slice(0, 10),
                                                 created: p.created_utc, run_id: p.run_id}));
    const steps = series.steps.map((st) => ({run: st.index + 1, label: signedPct(st.change_pct) +
      (st.fingerprint_changed ? ' (machine changed)' : st.machine_wide ? ' (machine-wide)' : '')}));
    const x = {field: 'run', type: 'quantitative', title: 'recorded run (oldest first)', axis: {tickMinStep: 1}};
    return {
      width: 560, height: 200,
      layer: [
        {data: {values: points}, name: 'lines', mark: {type: 'line'},
         encoding: {x: x, y: {field: 'value', type: 'quantitative', title: metric, scale: {zero: false}}}},
        {data: {values: points}, name: 'points', mark: {type: 'point', filled: true},
         encoding: {x: x, y: {field: 'value', type: 'quantitative'},
                    tooltip: [{field: 'commit'}, {field: 'created'}, {field: 'value', title: metric, format: ',.6~g'}]}},
        {data: {values: steps}, name: 'steps', mark: {type: 'rule', strokeDash: [4, 3], color: '#b00020'},
         encoding: {x: x, tooltip: [{field: 'label', title: 'step'}]}},
        {data: {values: steps}, name: 'step_labels',
         mark: {type: 'text', align: 'left', baseline: 'top', dx: 3, y: 2, fontSize: 10, color: '#b00020'},
         encoding: {x: x, text: {field: 'label'}}},
      ],
    };
  }

  const MAX_HISTORY_CHARTS = 12;

  function histories(data) {
    const s = section('history', 'History',
      'Each benchmark\'s figure over the runs recorded in the history database (kprof history show --json), with ' +
      'the step changes kprof detected: a step where the machine fingerprint changed, or most of the run moved ' +
      'alike, is labelled as the machine\'s, not the code\'s.');
    const docs = data.histories || [];
    if (!docs.length) {
      note(s, ['No history in this folder: ', code('kprof history show --metric instructions --json DIR/history/history.json'),
               ' writes one from the database that ', code('kprof history record'), ' fills.']);
      return;
    }
    for (const {file, history: h} of docs) {
      s.appendChild(el('h3', {text: file + ' · ' + h.metric + (h.branch ? ' · branch ' + h.branch : '')}));
      const shown = h.series.filter((x) => x.points.length >= 2)
        .sort((a, b) => b.steps.length - a.steps.length).slice(0, MAX_HISTORY_CHARTS);
      if (h.series.length > shown.length)
        note(s, (h.series.length - shown.length) + ' more series (fewer than two points, or beyond the first ' +
                MAX_HISTORY_CHARTS + ', those with steps first) are in ' + file + '.');
      for (const series of shown) {
        s.appendChild(el('h4', {text: series.key}));
        s.appendChild(el('ul', {}, series.steps.length
          ? series.steps.map((st) => el('li', {'data-step': series.key, text: 'step ' + signedPct(st.change_pct) + ' (' +
              fmt(st.before, 6) + ' → ' + fmt(st.after, 6) + ') at run ' + st.run_id + ', commit ' + st.commit +
              (st.fingerprint_changed ? ': the machine fingerprint changed here' :
               st.machine_wide ? ': most of the run moved alike (the machine)' : '')}))
          : [el('li', {text: 'no step'})]));
        chart(s, 'history-' + series.key, historySpec(series, h.metric));
      }
    }
  }

  // ---- sweeps ------------------------------------------------------------------------------------
  // Throughput against size, one line per variant, the sizes in the order the sweep grows; a rule
  // where the fastest variant changes.
  function sweepSpec(sweep, rows, metric) {
    const crossings = sweep.crossovers.map((c) => ({size: c.size, label: c.to + ' overtakes ' + c.from}));
    const x = {field: 'size', type: 'ordinal', sort: sweep.sizes, title: 'size (in the order of work per call)',
               axis: {labelAngle: -30}};
    return {
      width: 620, height: 260,
      layer: [
        {data: {values: rows}, name: 'lines', mark: {type: 'line'},
         encoding: {x: x, y: {field: 'value', type: 'quantitative', title: metric},
                    color: {field: 'variant', type: 'nominal'}}},
        {data: {values: rows}, name: 'points', mark: {type: 'point', filled: true},
         encoding: {x: x, y: {field: 'value', type: 'quantitative'}, color: {field: 'variant', type: 'nominal'},
                    tooltip: [{field: 'variant'}, {field: 'size'}, {field: 'value', title: metric, format: '.3~g'},
                              {field: 'median_ns', title: 'median ns', format: '.4~g'}]}},
        {data: {values: crossings}, name: 'crossovers', mark: {type: 'rule', strokeDash: [4, 3], color: '#444'},
         encoding: {x: x, tooltip: [{field: 'label', title: 'crossover'}]}},
        {data: {values: crossings}, name: 'crossover_labels',
         mark: {type: 'text', align: 'left', baseline: 'top', dx: 3, y: 2, fontSize: 10, color: '#444'},
         encoding: {x: x, text: {field: 'label'}}},
      ],
    };
  }

  // A size sweep's chart name: one per family and dtype, and per thread count when the run swept both.
  function sizeSweepName(sweep) {
    const threads = sweep.threads !== 1 || sweep.blas_threads !== 1 ? '-t' + sweep.threads + 'b' + sweep.blas_threads : '';
    return 'sweep-' + sweep.family + '-' + sweep.dtype + threads;
  }

  function sizeSweeps(s, data, list) {
    for (const sweep of list) {
      const rows = (data.results || []).filter((r) => r.family === sweep.family && r.dtype === sweep.dtype &&
        r.status === 'ok' && r.threads === sweep.threads && r.blas_threads === sweep.blas_threads &&
        sweep.sizes.includes(r.size));
      if (!rows.length) continue;
      const threads = sweep.threads !== 1 || sweep.blas_threads !== 1
        ? ' · ' + sweep.threads + ' thread(s), BLAS ' + sweep.blas_threads : '';
      s.appendChild(el('h3', {text: sweep.family + ' · ' + sweep.dtype + threads}));
      if (sweep.crossovers.length)
        s.appendChild(el('ul', {}, sweep.crossovers.map((c) => el('li', {'data-crossover': c.size,
          text: c.to + ' overtakes ' + c.from + ' from ' + c.size + ' (' + c.from + ' fastest at ' + c.previous + ')'}))));
      else s.appendChild(el('p', {class: 'kprof-lead', text: 'The same variant is fastest at every size.'}));
      chart(s, sizeSweepName(sweep), sweepSpec(sweep, rows, rows[0].metric));
    }
  }

  // Speed-up against threads, one line per variant, and the ideal line (speed-up = threads).
  function threadSpec(points, ideal) {
    const x = {field: 'threads', type: 'quantitative', title: 'threads', axis: {tickMinStep: 1}};
    return {
      width: 520, height: 260,
      layer: [
        {data: {values: ideal}, name: 'ideal', mark: {type: 'line', strokeDash: [4, 3], color: '#888'},
         encoding: {x: x, y: {field: 'speedup', type: 'quantitative'}}},
        {data: {values: points}, name: 'lines', mark: {type: 'line'},
         encoding: {x: x, y: {field: 'speedup', type: 'quantitative', title: 'speed-up over the fewest threads'},
                    color: {field: 'variant', type: 'nominal'}}},
        {data: {values: points}, name: 'points', mark: {type: 'point', filled: true},
         encoding: {x: x, y: {field: 'speedup', type: 'quantitative'}, color: {field: 'variant', type: 'nominal'},
                    tooltip: [{field: 'variant'}, {field: 'threads'}, {field: 'speedup', format: '.2f'},
                              {field: 'efficiency', format: '.0%'}, {field: 'ms', title: 'median ms', format: '.4~g'}]}},
      ],
    };
  }

  function threadSweeps(s, list) {
    const groups = new Map();
    for (const t of list) {
      const key = t.family + '-' + t.dtype + '-' + t.size;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(t);
    }
    for (const [key, group] of groups) {
      const first = group[0];
      s.appendChild(el('h3', {text: first.family + ' · ' + first.dtype + ' · ' + first.size + ': speed-up against threads'}));
      s.appendChild(el('ul', {}, group.map((t) => el('li', {text: t.variant + ': fastest at ' + t.best_threads +
        ' thread(s)' + (t.stops_paying_at === null ? '' : '; adding threads stops paying after ' + t.stops_paying_at)}))));
      const points = group.flatMap((t) => t.steps.map((p) => ({variant: t.variant, threads: p.threads,
        speedup: p.speedup, efficiency: p.efficiency, ms: p.seconds * 1e3})));
      const counts = points.map((p) => p.threads);
      const ideal = [Math.min(...counts), Math.max(...counts)].map((n) => ({threads: n, speedup: n}));
      chart(s, 'threads-' + key, threadSpec(points, ideal));
    }
  }

  function threadGrids(s, list) {
    for (const g of list) {
      s.appendChild(el('h3', {text: g.family + '/' + g.variant + ' · ' + g.dtype + ' · ' + g.size +
                                    ': job threads × BLAS threads on ' + g.logical_cpus + ' logical CPUs'}));
      const best = Math.min(...g.cells.map((c) => c.seconds));
      s.appendChild(table(['job threads', 'BLAS threads', 'total', 'median', 'vs fastest'], g.cells.map((c) => ({
        className: c.threads * c.blas_threads > g.logical_cpus ? 'verdict-regression' : null,
        cells: [String(c.threads), String(c.blas_threads),
                String(c.threads * c.blas_threads) + (c.threads * c.blas_threads > g.logical_cpus ? ' > CPUs' : ''),
                fmtNs(c.seconds * 1e9), fmt(c.seconds / best, 3) + 'x']})), {numeric: [0, 1, 3, 4]}));
      for (const w of g.warnings) note(s, w);
    }
  }

  // Time against one chunk's working set (log scale), the caches drawn as rules.
  function chunkSpec(rows, caches) {
    const x = {field: 'working_set', type: 'quantitative', scale: {type: 'log'}, title: 'working set of one chunk (bytes)'};
    return {
      width: 620, height: 260,
      layer: [
        {data: {values: rows}, name: 'lines', mark: {type: 'line'},
         encoding: {x: x, y: {field: 'ms', type: 'quantitative', title: 'median ms per call'},
                    color: {field: 'variant', type: 'nominal'}}},
        {data: {values: rows}, name: 'points', mark: {type: 'point', filled: true},
         encoding: {x: x, y: {field: 'ms', type: 'quantitative'}, color: {field: 'variant', type: 'nominal'},
                    tooltip: [{field: 'variant'}, {field: 'size'}, {field: 'working_set', format: ',.0f'},
                              {field: 'ms', title: 'median ms', format: '.4~g'}]}},
        {data: {values: caches}, name: 'caches', mark: {type: 'rule', strokeDash: [4, 3], color: '#444'},
         encoding: {x: {field: 'bytes', type: 'quantitative'}, tooltip: [{field: 'name'}, {field: 'bytes', format: ','}]}},
        {data: {values: caches}, name: 'cache_labels',
         mark: {type: 'text', align: 'left', baseline: 'top', dx: 3, y: 2, fontSize: 10, color: '#444'},
         encoding: {x: {field: 'bytes', type: 'quantitative'}, text: {field: 'name'}}},
      ],
    };
  }

  function chunkSweeps(s, data, list) {
    for (const sweep of list) {
      const rows = (data.results || []).filter((r) => r.family === sweep.family && r.dtype === sweep.dtype &&
        r.status === 'ok' && r.threads === sweep.threads && r.blas_threads === sweep.blas_threads &&
        sweep.sizes.includes(r.size)).map((r) => Object.assign({}, r, {ms: r.median_ns / 1e6}));
      if (!rows.length) continue;
      s.appendChild(el('h3', {text: sweep.family + ' · ' + sweep.dtype + ' · ' + sweep.threads +
                                    ' thread(s): time against ' + sweep.swept + ', the working set against the caches'}));
      s.appendChild(el('ul', {}, sweep.knees.map((k) => el('li', {'data-knee': k.variant, text: k.variant + ': best at ' +
        k.best + ' (' + fmtNs(k.best_seconds * 1e9) + ')' + k.leaves.map((e) => '; leaves ' + e.level + ' at ' + e.at +
        ' (' + fmtBytes(e.working_set) + ')').join('')}))));
      if (!sweep.caches.length) note(s, 'The cache sizes of this machine are unknown (no sysfs entry, no CPUID leaf): ' +
                                        'the working sets are drawn without them.');
      chart(s, 'chunks-' + sweep.family + '-' + sweep.dtype + '-t' + sweep.threads, chunkSpec(rows, sweep.caches));
    }
  }

  function sweeps(data) {
    const sizes = data.sweeps || [], threads = data.thread_sweeps || [], grids = data.thread_grids || [];
    const chunks = data.chunk_sweeps || [];
    if (!sizes.length && !threads.length && !grids.length && !chunks.length) return;  // nothing was swept
    const s = section('sweeps', 'Sweeps',
      'What the run swept: throughput against size per variant with the crossovers (dashed: from this size on the ' +
      'named variant is fastest); speed-up against threads with the ideal line; the job threads × BLAS threads grid; ' +
      'time against a chunk size with the working set placed against the caches.');
    sizeSweeps(s, data, sizes);
    threadSweeps(s, threads);
    threadGrids(s, grids);
    chunkSweeps(s, data, chunks);
  }

  // ---- annotated source ------------------------------------------------------------------------
  // One figure of a column, as its kind reads best.
  function fmtFigure(kind, value) {
    if (value === null || value === undefined) return '';
    if (kind === 'ns') return fmtNs(value);
    if (kind === 'bytes') return fmtBytes(value);
    return fmt(value);
  }

  function shortPath(file) {
    const parts = file.split('/');
    return parts.slice(Math.max(0, parts.length - 3)).join('/');
  }

  // The lines of one function with every column's figure, the hottest first (a button puts them in
  // source order), each cell shaded by its share of the column's largest figure in the function
  // (KCachegrind's source view), the hottest line of each column named.
  function sourceView(s, view, open) {
    const d = el('details', {class: 'kprof-source', 'data-function': view.function, 'data-file': view.file});
    if (open) d.setAttribute('open', '');
    d.appendChild(el('summary', {}, [code(view.function), ' · ' + shortPath(view.file) + ' · ' + view.columns.length + ' profile(s)']));
    const hottest = el('ul', {class: 'kprof-hottest'});
    for (const h of view.hottest) {
      const c = view.columns[h.column];
      const row = view.lines.find((l) => l.line === h.line);
      const share = c.total > 0 && c.kind !== 'hits' ? ' (' + fmt(100 * row.values[h.column] / c.total) + '% of the region)' : '';
      hottest.appendChild(el('li', {'data-hottest-kind': c.kind, 'data-column': String(h.column), 'data-line': String(h.line)},
                             [c.label + ': line ' + h.line + share + ' ', code(row.text.trim())]));
    }
    d.appendChild(el('p', {class: 'kprof-lead', text: 'Hottest line of each profile:'}));
    d.appendChild(hottest);
    const maxima = view.columns.map((c, i) => Math.max(0, ...view.lines.map((l) => l.values[i] || 0)));
    const head = el('tr', {}, [el('th', {class: 'num', text: 'line'})]
      .concat(view.columns.map((c) => el('th', {class: 'num', title: c.document, text: c.label})))
      .concat([el('th', {text: 'source'})]));
    const rows = view.lines.map((l) => el('tr', {'data-line': String(l.line)},
      [el('td', {class: 'num', text: String(l.line)})]
        .concat(l.values.map((v, i) => el('td', {
          class: 'num',
          style: v > 0 && maxima[i] > 0 ? 'background: rgba(230, 81, 0, ' + (0.08 + 0.6 * v / maxima[i]).toFixed(2) + ')' : null,
          text: fmtFigure(view.columns[i].kind, v)})))
        .concat([el('td', {}, [el('code', {class: 'kprof-code', text: l.text})])])));
    const body = el('tbody', {}, rows);
    const inSourceOrder = rows.slice().sort((a, b) => Number(a.dataset.line) - Number(b.dataset.line));
    const order = el('button', {type: 'button', class: 'kprof-order', text: 'source order'});
    order.addEventListener('click', () => {
      const bySource = order.textContent === 'source order';
      body.replaceChildren(...(bySource ? inSourceOrder : rows));
      order.textContent = bySource ? 'hottest first' : 'source order';
    });
    d.appendChild(el('p', {}, ['Lines with a figure, the hottest first: ', order]));
    d.appendChild(el('table', {class: 'kprof-source-table'}, [el('thead', {}, head), body]));
    s.appendChild(d);
  }

  function sources(data) {
    const s = section('source', 'Annotated source',
      'Every per-line figure kprof has, side by side: line-timer time and hits (kprof lines), instructions ' +
      '(kprof callgrind), CPU samples (kprof cpu) and bytes allocated (kprof mem), one column per profiled kernel. ' +
      'A line timer\'s time includes the calls the line makes; instructions and samples are the line\'s own. ' +
      'One view per function, its lines the hottest first; only the lines some profile charged, a cell shaded by its ' +
      'share of the column\'s largest figure in the function. The functions with the hottest lines come first. ' +
      'Callgrind names the function code was compiled into; its lines inlined into kprof\'s driver are given to the ' +
      'function the other profiles name for them, or whose body they are in.');
    const views = data.sources || [];
    if (!views.length) {
      note(s, ['No per-line profile of a readable source file in this folder: ', code('kprof lines TARGET --out DIR/lines/NAME'),
               ', ', code('kprof callgrind'), ', ', code('kprof cpu'), ' or ', code('kprof mem'), ' make them.']);
      return;
    }
    views.forEach((view, i) => sourceView(s, view, i < 3));
  }

  // ---- memory ----------------------------------------------------------------------------------
  function fmtBytes(bytes) {
    if (!(bytes > 0)) return '0 B';
    const units = [[2 ** 30, 'GiB'], [2 ** 20, 'MiB'], [2 ** 10, 'KiB']];
    for (const [scale, unit] of units) if (bytes >= scale) return fmt(bytes / scale) + ' ' + unit;
    return fmt(bytes) + ' B';
  }

  function memoryTable(entries) {
    return table(
      ['variant', 'size · dtype', 'peak', 'allocated / call', 'allocations / call', 'temporaries / call', 'leaked', 'top call site'],
      entries.map((e) => ({cells: [e.variant, e.label.split(' ').slice(1).join(' '), fmtBytes(e.peak_bytes),
                                   fmtBytes(e.per_call.bytes_allocated), fmt(e.per_call.allocations),
                                   fmt(e.per_call.temporary_allocations), fmtBytes(e.leaked_bytes),
                                   e.sites.length ? e.sites[0].function + ' (' + fmtBytes(e.sites[0].bytes) + ')' : '–']})),
      {numeric: [2, 3, 4, 5, 6]});
  }

  // The heap against the bytes allocated so far (kprof mem's clock), one line per variant, its peak marked.
  function memoryTimelineSpec(entries) {
    const rows = entries.flatMap((e) => e.timeline.map(([t, heap]) => ({variant: e.variant, label: e.label, t: t, heap: heap})));
    return {
      data: {values: rows},
      width: 620, height: 220,
      encoding: {x: {field: 't', type: 'quantitative', title: 'bytes allocated so far'},
                 y: {field: 'heap', type: 'quantitative', title: 'heap (bytes)'},
                 color: {field: 'variant', type: 'nominal'}},
      layer: [
        {name: 'heap', mark: {type: 'line', interpolate: 'step-after'},
         encoding: {tooltip: [{field: 'label'}, {field: 'heap', title: 'heap', format: ','}]}},
        {name: 'peaks', transform: [{joinaggregate: [{op: 'max', field: 'heap', as: 'peak'}], groupby: ['label']},
                                    {filter: 'datum.heap === datum.peak && datum.peak > 0'},
                                    {aggregate: [{op: 'min', field: 't', as: 't'}, {op: 'max', field: 'heap', as: 'heap'}],
                                     groupby: ['label', 'variant']}],
         mark: {type: 'point', filled: true, size: 60},
         encoding: {tooltip: [{field: 'label'}, {field: 'heap', title: 'peak', format: ','}]}},
      ],
    };
  }

  function memory(data) {
    const s = section('memory', 'Memory',
      'What each variant\'s region allocates (kprof mem): the peak heap, bytes, allocations and temporaries per call, ' +
      'and the heap over the region with its peak marked.');
    const entries = data.memory || [];
    if (!entries.length) {
      note(s, ['No memory profile in this folder: ', code('kprof mem FAMILY --out DIR/memory/NAME'), ' makes one.']);
      return;
    }
    for (const family of [...new Set(entries.map((e) => e.family || e.variant))]) {
      const group = entries.filter((e) => (e.family || e.variant) === family);
      s.appendChild(el('h3', {id: 'memory-' + family, text: family}));
      s.appendChild(memoryTable(group));
      if (group.some((e) => e.timeline.length > 1)) chart(s, 'memory-timeline-' + family, memoryTimelineSpec(group));
      else note(s, 'No variant of ' + family + ' allocated in its region: nothing to draw over time.');
    }
  }

  function footer(data) {
    const f = el('footer', {}, [
      el('p', {text: 'Documents: ' + data.documents.map((d) => d.file).join(', ')}),
      el('p', {text: 'Made by kprof report ' + data.kprof_version + ' with Vega ' + vega.version + ', Vega-Lite ' +
                     vegaLite.version + ' and vega-embed ' + vegaEmbed.version + ', inlined with their licences.'}),
    ]);
    document.body.appendChild(f);
  }

  // ---- the page ------------------------------------------------------------------------------
  function build() {
    const data = JSON.parse(document.getElementById('kprof-data').textContent);
    header(data);
    leftOut(data);
    for (const part of [variants, roofline, sweeps, regressions, histories, flames, sources, memory, machine]) {
      try {
        part(data);
      } catch (error) {
        console.error('kprof report: a part of the page failed:', error);
        note(document.getElementById('kprof-main'), 'Part of this page could not be made: ' + error, true);
        renders.push(Promise.reject(error));
      }
    }
    footer(data);
  }

  build();
  scheduleCharts();
  Promise.allSettled(renders).then((outcomes) => {
    document.body.dataset.kprofState = outcomes.every((o) => o.status === 'fulfilled') ? 'done' : 'failed';
  });
})();
