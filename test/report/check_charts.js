// Injected by test/report/run.sh into a copy of the report page, before </body>: checks in the rendered page that
// every chart drew, and writes one verdict line per check into <pre id="loyalty-check">, which headless Chromium's
// --dump-dom prints. A line starts with "ok" or "FAIL". It logs nothing: any console message is the page's.
(function () {
  const charts = ['cohort_retention', 'p_alive_matrix', 'calibration_holdout', 'clv_by_segment', 'nps_over_time'];
  const lines = [];
  const area = (element) => {
    const box = element.getBBox();
    return box.width > 0 && box.height > 0;
  };
  try {
    for (const name of charts) {
      const svg = document.querySelector(`svg.chart[data-chart="${name}"]`);
      if (!svg) {
        lines.push(`FAIL ${name}: no <svg class="chart"> element`);
        continue;
      }
      const shown = svg.getBoundingClientRect();
      const viewWidth = svg.viewBox.baseVal.width;
      // Drawn shapes of non-zero size: gnuplot draws lines, boxes, image pixels and points as these.
      const shapes = [...svg.querySelectorAll('path, rect, polygon, polyline, circle, use')].filter(area).length;
      const texts = [...svg.querySelectorAll('text')].filter((t) => t.textContent.trim() !== '' && area(t)).length;
      // gnuplot puts each plotted series in a group "..gnuplot_plot_N": its data must span a good part of the
      // width (a key sample alone would not).
      const plots = [...svg.querySelectorAll('g[id*="gnuplot_plot_"]')];
      const narrow = plots.filter((g) => g.getBBox().width < 0.25 * viewWidth).map((g) => g.id);
      const caption = svg.closest('figure')?.querySelector('figcaption')?.textContent.trim() ?? '';
      const problems = [];
      if (!(shown.width > 100 && shown.height > 100)) problems.push(`shown at ${shown.width}x${shown.height} px`);
      if (shapes < 10) problems.push(`${shapes} shapes`);
      if (texts < 8) problems.push(`${texts} texts (axes unlabelled?)`);
      if (plots.length === 0) problems.push('no plotted series');
      if (narrow.length > 0) problems.push(`series drawing almost nothing: ${narrow.join(', ')}`);
      if (caption.length < 40) problems.push('no caption');
      lines.push(`${problems.length ? 'FAIL' : 'ok'} ${name}: ${Math.round(shown.width)}x${Math.round(shown.height)} px, ` +
                 `${shapes} shapes, ${texts} texts, ${plots.length} series${problems.length ? ': ' + problems.join('; ') : ''}`);
    }
    const seen = new Set();
    const duplicates = new Set();
    for (const element of document.querySelectorAll('[id]')) {
      if (seen.has(element.id)) duplicates.add(element.id);
      seen.add(element.id);
    }
    lines.push(duplicates.size ? `FAIL unique ids: ${[...duplicates].slice(0, 5).join(', ')} repeated`
                               : `ok unique ids: ${seen.size} ids`);
    lines.push(`height ${Math.ceil(document.documentElement.scrollHeight)}`);
  } catch (error) {
    lines.push(`FAIL check script: ${error}`);
  }
  const out = document.createElement('pre');
  out.id = 'loyalty-check';
  out.textContent = lines.join('\n');
  document.body.appendChild(out);
})();
