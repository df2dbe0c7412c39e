"""HTML reports: self-contained pages that open from disk without a server or network.

* ``pipeline.report.inspect``: one parsed document drawn with boxes over what
  was read where (``referat inspect``).
"""
