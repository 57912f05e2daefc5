extension HTMLReport {
    /// The page's only style sheet: readable at 1280 px, narrower screens stack, and print keeps colours.
    static let styleSheet: Markup = """

        :root { --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa; --accent: #0969da;
          --pass: #1a7f37; --pass-bg: #dafbe1; --fail: #cf222e; --fail-bg: #ffebe9; --inc: #9a6700; --inc-bg: #fff8c5; --threshold: #8250df; }
        *, *::before, *::after { box-sizing: border-box; }
        [hidden] { display: none !important; }
        html { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "Liberation Sans", "DejaVu Sans", Arial, sans-serif; color: var(--fg); background: #fff; }
        body { margin: 0; }
        main { max-width: 1240px; margin: 0 auto; padding: 0 24px 24px; }
        a { color: var(--accent); }
        code { font: 13px/1.4 ui-monospace, "DejaVu Sans Mono", "Liberation Mono", Menlo, monospace; overflow-wrap: anywhere; }
        pre { font: 12.5px/1.45 ui-monospace, "DejaVu Sans Mono", "Liberation Mono", Menlo, monospace; white-space: pre-wrap; overflow-wrap: anywhere;
          background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: 6px 10px; margin: 4px 0; max-height: 22em; overflow: auto; }
        td, dd, pre, li, .tag { unicode-bidi: isolate; }
        h1 { font-size: 28px; line-height: 1.25; margin: 4px 0 12px; overflow-wrap: anywhere; }
        h2 { font-size: 20px; margin: 0 0 12px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
        h3 { font-size: 15px; margin: 18px 0 8px; }
        h4 { font-size: 11px; margin: 2px 0 4px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
        section { margin: 32px 0; }
        .muted { color: var(--muted); font-weight: normal; }
        .cut { color: var(--muted); font-style: italic; }
        .count { display: inline-block; min-width: 1.6em; padding: 0 6px; border-radius: 999px; background: var(--soft); border: 1px solid var(--line); font-size: 12px; text-align: center; }
        .skip { position: absolute; left: -9999px; }
        .skip:focus { left: 8px; top: 8px; background: #fff; padding: 4px 8px; z-index: 3; }

        .masthead { --verdict: var(--muted); border-top: 8px solid var(--verdict); background: var(--soft); border-bottom: 1px solid var(--line); }
        .masthead .wrap { max-width: 1240px; margin: 0 auto; padding: 0 24px; }
        .masthead .eyebrow { margin: 0; padding-top: 16px; font-size: 12px; text-transform: uppercase; letter-spacing: .08em; color: var(--muted); }
        .verdict-pass { --verdict: var(--pass); } .verdict-fail { --verdict: var(--fail); } .verdict-inconclusive { --verdict: var(--inc); }
        .verdict-badge { display: inline-block; padding: 2px 12px; border-radius: 6px; background: var(--verdict); color: #fff; font-size: 20px; letter-spacing: .05em; vertical-align: 3px; }
        .agent { font-weight: 700; } .version { font-weight: 400; color: var(--muted); }
        .facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(210px, 1fr)); gap: 8px 24px; margin: 0 0 16px; padding-bottom: 8px; }
        .facts.compact { grid-template-columns: repeat(auto-fill, minmax(180px, 1fr)); }
        .facts dt { font-size: 11px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
        .facts dd { margin: 0; overflow-wrap: anywhere; }

        .alert { border: 1px solid; border-left-width: 6px; border-radius: 6px; padding: 10px 14px; margin: 16px 0; }
        .alert-danger { background: var(--fail-bg); border-color: var(--fail); font-size: 16px; }
        .alert-warning { background: var(--inc-bg); border-color: #d4a72c; font-size: 16px; }
        .alert-info { background: #ddf4ff; border-color: #54aeff; }
        .card { border: 1px solid var(--line); border-radius: 8px; padding: 14px 20px 6px; margin: 20px 0; }
        .recommendation { border-left: 8px solid var(--accent); }
        .recommendation h2 { border: 0; margin-bottom: 4px; }
        .recommendation .lead { font-size: 17px; margin: 4px 0 12px; }
        .action-promote, .action-keep { border-left-color: var(--pass); } .action-promote .action, .action-keep .action { color: var(--pass); }
        .action-block, .action-rollback, .action-escalate { border-left-color: var(--fail); }
        .action-block .action, .action-rollback .action, .action-escalate .action { color: var(--fail); }
        .action-rerun { border-left-color: var(--inc); } .action-rerun .action { color: var(--inc); }
        .evidence { margin: 0 0 8px; padding-left: 20px; }

        .tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 12px; margin: 20px 0; }
        .tile { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
        .tile-label { font-size: 11px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
        .tile-value { font-size: 22px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; font-weight: 650; font-variant-numeric: tabular-nums; line-height: 1.3; }
        .tile-note { font-size: 12px; color: var(--muted); }
        .tone-pass .tile-value { color: var(--pass); } .tone-fail .tile-value { color: var(--fail); } .tone-inconclusive .tile-value { color: var(--inc); }
        .toc { position: sticky; top: 0; z-index: 2; display: flex; gap: 20px; padding: 8px 0; background: rgba(255, 255, 255, .96); border-bottom: 1px solid var(--line); }
        .toc a { text-decoration: none; font-weight: 600; }

        table { border-collapse: collapse; width: 100%; font-size: 14px; }
        th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--line); }
        thead th { background: var(--soft); font-size: 11px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
        th.num { text-align: right; }
        th .unit { text-transform: none; letter-spacing: 0; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        table.gates { table-layout: fixed; }
        .gates .g-name { width: 24%; } .gates .g-outcome { width: 11%; } .gates .g-measured { width: 17%; } .gates .g-threshold { width: 12%; }
        .gates td { overflow-wrap: anywhere; }
        .gates tr.outcome-fail td:first-child { box-shadow: inset 4px 0 var(--fail); }
        .gates tr.outcome-inconclusive td:first-child { box-shadow: inset 4px 0 var(--inc); }
        .pill { display: inline-block; padding: 0 8px; border-radius: 999px; font-size: 12px; font-weight: 600; line-height: 1.6; white-space: nowrap; border: 1px solid transparent; }
        .pill.outcome-pass, .pill.status-passed { background: var(--pass-bg); color: var(--pass); border-color: #4ac26b; }
        .pill.outcome-fail, .pill.status-failed { background: var(--fail-bg); color: var(--fail); border-color: #ff8182; }
        .pill.outcome-inconclusive, .pill.status-error { background: var(--inc-bg); color: var(--inc); border-color: #d4a72c; }
        .pill.critical { background: #fff; color: var(--fail); border-color: var(--fail); }
        .pill.review, .pill.flaky { background: #fbefff; color: #8250df; border-color: #d8b9ff; }
        .tag { display: inline-block; background: #ddf4ff; color: #0a3069; border-radius: 4px; padding: 0 6px; font-size: 12px; margin: 1px 0; overflow-wrap: anywhere; }
        .ids { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: 6px; }
        .ids code { background: var(--soft); border: 1px solid var(--line); border-radius: 4px; padding: 0 6px; }
        .columns { display: grid; grid-template-columns: 1fr 1fr; gap: 24px; }
        .empty-state { color: var(--muted); font-style: italic; padding: 18px; border: 1px dashed var(--line); border-radius: 8px; text-align: center; }
        .tag-table { margin-top: 16px; }
        details > summary { cursor: pointer; color: var(--accent); }

        .figure { margin: 0 0 28px; }
        .figure h3 { margin-top: 8px; }
        .chart-pair { display: grid; grid-template-columns: 1fr 1fr; gap: 24px; }
        svg.chart { display: block; width: 100%; max-width: 100%; height: auto; }
        .chart text { font-family: system-ui, "Liberation Sans", "DejaVu Sans", Arial, sans-serif; }
        .chart .grid { stroke: #eaeef2; stroke-width: 1; }
        .chart .axis { stroke: #8c959f; stroke-width: 1; }
        .chart .separator { stroke: var(--line); stroke-width: 1; }
        .chart .axis-label { fill: var(--muted); font-size: 11px; }
        .chart .axis-title { fill: var(--muted); font-size: 12px; }
        .chart .chart-title { fill: var(--fg); font-size: 13px; font-weight: 600; }
        .chart .row-label { fill: var(--fg); font-size: 12.5px; }
        .chart .strong { font-weight: 700; fill: var(--fg); }
        .chart .value-label { fill: var(--fg); font-size: 12px; font-variant-numeric: tabular-nums; }
        .chart .bar.outcome-pass { fill: #4ac26b; } .chart .bar.outcome-fail { fill: #ff8182; }
        .chart .bar.outcome-inconclusive { fill: #eac54f; } .chart .bar.outcome-none { fill: #afb8c1; }
        .chart .hist-bar { fill: #54aeff; }
        .chart .bin:hover .hist-bar, .chart .row:hover .bar { opacity: .8; }
        .chart .ci { stroke: #1f2328; stroke-width: 1.5; }
        .chart .threshold { stroke: var(--threshold); stroke-width: 3; stroke-dasharray: 5 3; }
        .chart .threshold-label { fill: var(--threshold); font-size: 11px; font-weight: 600; }
        .chart .marker { stroke: #57606a; stroke-width: 1.5; stroke-dasharray: 3 3; }
        .chart .marker-p95 { stroke: #bc4c00; } .chart .marker-p99 { stroke: var(--fail); }
        .chart .marker-label { fill: var(--fg); font-size: 11px; font-weight: 600; }
        .chart .trend-line { fill: none; stroke: var(--accent); stroke-width: 2; }
        .chart .point { stroke: #fff; stroke-width: 1.5; }
        .chart .point.verdict-pass { fill: var(--pass); } .chart .point.verdict-fail { fill: var(--fail); } .chart .point.verdict-inconclusive { fill: #bf8700; }
        .chart .point.current { stroke: #1f2328; stroke-width: 2; }
        .legend { font-size: 12px; color: var(--muted); margin: 4px 0 0; }
        .legend .key { display: inline-block; vertical-align: middle; margin: 0 4px 0 10px; }
        .legend .key:first-child { margin-left: 0; }
        .key-bar { width: 18px; height: 10px; background: #afb8c1; } .key-ci { width: 18px; height: 2px; background: #1f2328; }
        .key-threshold { width: 3px; height: 14px; background: var(--threshold); }
        .chart .estimate { fill: none; stroke: var(--accent); stroke-width: 2; }
        .chart .boundary { fill: none; stroke-width: 2; stroke-dasharray: 6 3; }
        .chart .boundary-pass { stroke: var(--pass); } .chart .boundary-fail { stroke: var(--fail); }
        .chart .crossing-mark { stroke: #1f2328; stroke-width: 2; } .chart .crossing-pass .crossing-mark { fill: var(--pass); }
        .chart .crossing-fail .crossing-mark { fill: var(--fail); }
        .key-estimate { width: 18px; height: 2px; background: var(--accent); }
        .key-boundary-pass { width: 18px; height: 0; border-top: 2px dashed var(--pass); }
        .key-boundary-fail { width: 18px; height: 0; border-top: 2px dashed var(--fail); }

        .filters { display: flex; flex-wrap: wrap; gap: 16px; align-items: center; padding: 10px 12px; margin: 12px 0; background: var(--soft); border: 1px solid var(--line); border-radius: 8px; }
        .filters input, .filters select { font: inherit; padding: 3px 6px; margin-left: 4px; }
        .filters input { width: 300px; }
        .filters select { max-width: 280px; }
        #filter-count { color: var(--muted); }
        table.cases { table-layout: fixed; }
        .c-id { width: 13%; } .c-status { width: 9%; } .c-tags { width: 9%; } .c-score { width: 5%; } .c-input { width: 15%; } .c-answer { width: 16%; }
        .c-why { width: 14%; } .c-attempts { width: 5%; } .c-latency { width: 7%; } .c-cost { width: 7%; }
        tbody.case { border-top: 2px solid var(--line); }
        tbody.case > tr > * { border-bottom: 0; overflow-wrap: anywhere; }
        tbody.case.status-failed .case-id { box-shadow: inset 4px 0 var(--fail); }
        tbody.case.status-error .case-id { box-shadow: inset 4px 0 #d4a72c; }
        .case-id code { font-weight: 600; }
        .case-row td.text { font-size: 13px; }
        .details-row > td { padding-top: 0; }
        .details-row summary { font-size: 12.5px; }
        .detail-grid { display: grid; grid-template-columns: 1fr 1fr; gap: 10px 20px; padding: 8px 0 4px; }
        .detail.wide { grid-column: 1 / -1; }
        .detail .sub { font-size: 11px; color: var(--muted); margin: 6px 0 0; }
        .scorers { font-size: 13px; }
        .scorers .reason { width: 55%; }
        .messages, .steps { margin: 0; padding-left: 20px; }
        .messages .role { font-size: 11px; text-transform: uppercase; color: var(--muted); }
        .call { border-left: 3px solid #d8b9ff; padding-left: 10px; margin: 6px 0; }
        .call p { margin: 0; }
        .call-io { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
        ul.plain { list-style: none; padding: 0; margin: 0; }
        footer { margin: 40px 0 0; font-size: 13px; }

        @media (max-width: 860px) {
          .chart-pair, .detail-grid, .columns, .call-io { grid-template-columns: 1fr; }
          table.cases { table-layout: auto; }
        }
        @media print {
          * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
          html { font-size: 10.5pt; }
          main, .masthead .wrap { max-width: none; padding: 0; }
          .toc, .filters, .skip, noscript { display: none !important; }
          pre { max-height: none; overflow: visible; }
          .card, .alert, .tile, figure, .gates tr, .case-row, .call { break-inside: avoid; }
          h2, h3 { break-after: avoid; }
          a { color: inherit; text-decoration: none; }
        }

        """

    /// The page's only script. It sets a marker (tests check scripts run at all), filters case rows by
    /// text, status and tag from `data-*` attributes, and opens the details of failing cases for print.
    /// It never writes markup: only `hidden`, `open` and a counter's `textContent`.
    static let script: Markup = """

        (function () {
          "use strict";
          var root = document.documentElement;
          root.dataset.rendered = "yes";
          var filters = document.getElementById("filters");
          var table = document.getElementById("case-table");
          if (filters && table) {
            var text = document.getElementById("filter-text");
            var status = document.getElementById("filter-status");
            var tag = document.getElementById("filter-tag");
            var count = document.getElementById("filter-count");
            var cases = Array.prototype.slice.call(table.tBodies);
            var words = new WeakMap();
            var apply = function () {
              var query = text.value.trim().toLowerCase();
              var wanted = status.value;
              var wantedTag = tag.value;
              var shown = 0;
              cases.forEach(function (body) {
                var visible = (!wanted || body.dataset.status === wanted) &&
                  (!wantedTag || (body.dataset.tags || "").split("\\n").indexOf(wantedTag) >= 0);
                if (visible && query) {
                  var haystack = words.get(body);
                  if (haystack === undefined) {
                    haystack = body.textContent.toLowerCase();
                    words.set(body, haystack);
                  }
                  visible = haystack.indexOf(query) >= 0;
                }
                body.hidden = !visible;
                if (visible) { shown += 1; }
              });
              count.textContent = shown + " of " + cases.length + " listed cases shown";
            };
            text.addEventListener("input", apply);
            status.addEventListener("change", apply);
            tag.addEventListener("change", apply);
            filters.hidden = false;
            apply();
          }
          var opened = [];
          window.addEventListener("beforeprint", function () {
            document.querySelectorAll("tbody.case:not(.status-passed) details:not([open])").forEach(function (details) {
              details.open = true;
              opened.push(details);
            });
          });
          window.addEventListener("afterprint", function () {
            opened.forEach(function (details) { details.open = false; });
            opened = [];
          });
        })();

        """
}
