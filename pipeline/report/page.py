"""What every HTML report page shares: escaping, the package's asset files, the page shell.

A report page is one self-contained file.  It makes no request: styles and
the script (if any) are inline, images are ``data:`` URIs or inline SVG, and
a Content-Security-Policy says so to the browser — nothing may be fetched,
only data: images are shown, and the only script that may run is the one
whose hash the policy names (``script-src 'none'`` for pages without one).

Document text is untrusted: it reaches the page only through ``esc``.
"""

from __future__ import annotations

import base64
import hashlib
import html
import os
import re
from functools import cache
from importlib import resources
from pathlib import Path

#: control and bidi-override characters never reach the page
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def plain(value) -> str:
    """Untrusted text without control and bidi-override characters (``None`` is empty)."""
    if value is None:
        return ""
    return _CONTROL.sub("", str(value))


def esc(value) -> str:
    """Untrusted text made safe for HTML element content and quoted attributes."""
    return html.escape(plain(value), quote=True)


@cache
def asset(name: str) -> str:
    """The text of a file shipped in this package (``report.css``, ``report.js``, ...)."""
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def script_source(script: str) -> str:
    """The CSP source that lets exactly this script text run: ``'sha256-…'``."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def content_security_policy(script: str | None) -> str:
    """A policy that fetches nothing, shows data: images and runs only ``script`` (or none)."""
    scripts = script_source(script) if script else "'none'"
    return f"default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src {scripts}; base-uri 'none'; form-action 'none'"


def html_page(title: str, css: str, body: str, script: str | None = None) -> str:
    """A whole HTML document: the policy, the escaped ``title``, ``css``, ``body`` (already
    HTML) and ``script`` (a trusted package file, never document text) at the end."""
    script = script.strip() if script else None
    tail = f"<script>{script}</script>" if script else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="da"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{content_security_policy(script)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title>"
        f"<style>{css}</style></head><body>{body}{tail}</body></html>\n"
    )


def write_page(text: str, out_path: Path | str) -> Path:
    """Write a page as UTF-8, creating its folder; returns the path.

    The page appears whole or not at all (written beside it, then renamed):
    an interrupted run never leaves half a report over a good one.
    """
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return out
