"""HTML reports: self-contained pages that open from disk without a server or network.

* ``pipeline.report.inspect``: one parsed document drawn with boxes over what
  was read where (``referat inspect``), styled by ``report.css`` and run by
  ``report.js`` (package files);
* ``pipeline.report.analyst``: a named report of ``pipeline.query`` as a page
  with a chart and the table (``referat report NAME --html``), styled by
  ``analyst.css``, without any script;
* ``pipeline.report.charts``: those charts, drawn with matplotlib as inline SVG;
* ``pipeline.report.page``: what every page shares (escaping, the package's
  asset files, the Content-Security-Policy, writing a page).
"""
