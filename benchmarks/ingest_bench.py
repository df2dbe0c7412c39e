#!/usr/bin/env python3
"""Ingest benchmark: throughput, parallel efficiency, memory, no-op re-run, NLP share.

Prints figures; it is not a test and asserts nothing except that the runs it
starts succeed.  See docs/performance.md for what each figure means.

    .venv/bin/python benchmarks/ingest_bench.py [--docs 200] [--big-pages 300] [--workdir DIR] [--quick]

Every measured run is a fresh subprocess started through a small wrapper that
reports wall time, CPU time and the peak RSS of the run's process tree
(``getrusage(RUSAGE_CHILDREN).ru_maxrss`` in the wrapper: the largest single
process, workers included once they are reaped).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
VENV_PY = REPO / ".venv" / "bin" / "python"
PY = str(VENV_PY if VENV_PY.exists() else Path(sys.executable))

# targets (see the task that introduced this benchmark)
TARGET_RATIO_1W = 0.8  # referat ingest, 1 worker, pages/s >= 0.8 x bare pdfplumber pages/s
TARGET_RSS_MB = 400.0  # peak RSS of one worker on the big document
TARGET_NOOP = 0.05  # second run over an ingested corpus < 5 % of the first
TARGET_SPEEDUP_2W = 1.7  # 2 workers give at least 1.7 x the throughput of 1

WRAPPER = r"""
import json, resource, subprocess, sys, time
t0 = time.perf_counter()
p = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
wall = time.perf_counter() - t0
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
json.dump({"wall": wall, "user": ru.ru_utime, "sys": ru.ru_stime, "maxrss_kb": ru.ru_maxrss, "rc": p.returncode,
           "stdout": p.stdout.decode("utf-8", "replace"), "stderr": p.stderr.decode("utf-8", "replace")}, sys.stdout)
"""


def measured(cmd: list[str], cwd: Path = REPO) -> dict:
    """Run ``cmd`` in a fresh process tree; wall, CPU and peak RSS of the tree."""
    load_before = os.getloadavg()[0]
    out = subprocess.run([PY, "-c", WRAPPER, *cmd], cwd=cwd, stdout=subprocess.PIPE, check=True)
    res = json.loads(out.stdout)
    res["maxrss_mb"] = res["maxrss_kb"] / 1024
    res["load"] = (load_before, os.getloadavg()[0])
    return res


def child(kind: str, *args: str) -> dict:
    """A measurement implemented in this file (``--child KIND``), as a fresh process."""
    res = measured([PY, str(Path(__file__).resolve()), "--child", kind, *args])
    if res["rc"] != 0:
        raise RuntimeError(f"child {kind} failed (rc {res['rc']}):\n{res['stderr'][-3000:]}")
    res["data"] = json.loads(res["stdout"].strip().splitlines()[-1])
    return res


# ============================================================================
# Children: run in their own process, print one JSON line
# ============================================================================
def _files(listfile: str) -> list[str]:
    return [ln for ln in Path(listfile).read_text().splitlines() if ln]


def child_text(listfile: str) -> dict:
    """Bare pdfplumber: page.extract_text() over every page."""
    t0 = time.perf_counter()
    import pdfplumber

    t_import = time.perf_counter() - t0
    pages = 0
    t1 = time.perf_counter()
    for f in _files(listfile):
        with pdfplumber.open(f) as pdf:
            for page in pdf.pages:
                page.extract_text()
                pages += 1
    return {"pages": pages, "loop_s": time.perf_counter() - t1, "import_s": t_import}


def child_words(listfile: str) -> dict:
    """pdfplumber words as pipeline.load asks for them (extra_attrs, flush_cache per page)."""
    import pdfplumber

    pages = 0
    t1 = time.perf_counter()
    for f in _files(listfile):
        with pdfplumber.open(f) as pdf:
            for page in pdf.pages:
                page.extract_words(extra_attrs=["fontname", "size"], keep_blank_chars=False)
                page.flush_cache()
                pages += 1
    return {"pages": pages, "loop_s": time.perf_counter() - t1}


def child_load(listfile: str) -> dict:
    """The load stage only: pipeline.load.load (pdfplumber words, ruled tables, lines)."""
    sys.path.insert(0, str(REPO))
    from pipeline.load import load

    pages = lines = 0
    t1 = time.perf_counter()
    for f in _files(listfile):
        loaded = load(Path(f))
        pages += loaded.pages
        lines += len(loaded.lines)
    return {"pages": pages, "lines": lines, "loop_s": time.perf_counter() - t1}


class _Timers:
    def __init__(self):
        self.t: dict[str, float] = {}
        self.n: dict[str, int] = {}

    def wrap(self, name: str, fn):
        def timed(*a, **k):
            t0 = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                self.t[name] = self.t.get(name, 0.0) + time.perf_counter() - t0
                self.n[name] = self.n.get(name, 0) + 1

        timed.__wrapped__ = fn
        return timed

    def add(self, name: str, dt_: float) -> None:
        self.t[name] = self.t.get(name, 0.0) + dt_


def _patch_spacy_pipe(timers: _Timers, counts: dict) -> None:
    """Time every iteration of ``Language.pipe`` and count the words fed to it.

    ``Language.pipe(..., as_tuples=True)`` calls ``self.pipe`` again from inside
    its own iteration; such nested calls are passed through untimed and
    uncounted so nothing is counted twice."""
    from spacy.language import Language

    orig = Language.pipe
    state = {"active": False}

    def pipe(self, texts, *a, **k):
        if state["active"]:
            return orig(self, texts, *a, **k)

        def counting(it):
            for x in it:
                text = x[0] if isinstance(x, tuple) else x
                text = text if isinstance(text, str) else getattr(text, "text", "")  # a Doc may be passed in
                counts["texts"] += 1
                counts["words"] += len(text.split())
                yield x

        gen = orig(self, counting(texts), *a, **k)

        def timed():
            while True:
                state["active"] = True
                t0 = time.perf_counter()
                try:
                    item = next(gen)
                except StopIteration:
                    return
                finally:
                    timers.add("spacy: Language.pipe", time.perf_counter() - t0)
                    state["active"] = False
                doc = item[0] if isinstance(item, tuple) else item
                counts["tokens"] += len(doc)
                yield item

        return timed()

    Language.pipe = pipe


def child_stages(model: str, listfile: str) -> dict:
    """parse_document per file, then store.write_batch of them all, every stage timed (no profiler)."""
    sys.path.insert(0, str(REPO))
    t0 = time.perf_counter()
    import pdfplumber.page

    import pipeline.extract.mentions as mentions
    import pipeline.load.pdf as L
    import pipeline.load.tables as LT
    import pipeline.nlp as nlp
    import pipeline.parse as P
    from pipeline.store import write_batch

    t_import = time.perf_counter() - t0
    tm = _Timers()
    counts = {"texts": 0, "words": 0, "tokens": 0}
    files = _files(listfile)
    t0 = time.perf_counter()
    nlp.load_backend(None if model == "default" else model)
    t_backend = time.perf_counter() - t0
    # warm-up (untimed): lexicons, rule files and caches that load on first use
    t0 = time.perf_counter()
    P.parse_document(files[0], model=None if model == "default" else model)
    t_warm = time.perf_counter() - t0
    _patch_spacy_pipe(tm, counts)
    # stage functions as parse.py / load/pdf.py look them up (module globals)
    for name, label in [
        ("load", "load (PDF -> lines)"), ("detect", "profile detection"), ("clean", "clean"), ("segment", "segment"),
        ("parse_groups", "attendance"), ("assign_keys", "attendance"), ("extract_meeting", "header"),
        ("extract_item", "agenda items"), ("decide", "decisions (incl. spaCy lemmas)"), ("extract_amounts", "amounts"),
    ]:
        if hasattr(P, name):  # the pipeline is edited concurrently: skip what is gone
            setattr(P, name, tm.wrap(label, getattr(P, name)))
    nlp.lemma_docs = tm.wrap("  of which nlp.lemma_docs", nlp.lemma_docs)
    nlp.load_backend = tm.wrap("nlp backend lookup", nlp.load_backend)
    mentions.extract_mentions = tm.wrap("mentions (incl. spaCy pipe)", mentions.extract_mentions)
    pdfplumber.page.Page.extract_words = tm.wrap("  of which pdfplumber Page.extract_words", pdfplumber.page.Page.extract_words)
    pdfplumber.page.Page.find_tables = tm.wrap("  of which pdfplumber Page.find_tables", pdfplumber.page.Page.find_tables)
    L.words_to_lines = LT.words_to_lines = tm.wrap("  of which load.words_to_lines", L.words_to_lines)
    out = Path(tempfile.mkdtemp(prefix="referat-bench-stages-"))
    per_doc = []
    batch: list[dict] = []
    parse_total = store_total = 0.0
    pages = 0
    statuses: dict[str, int] = {}
    try:
        for f in files:
            t0 = time.perf_counter()
            parsed = P.parse_document(f, model=None if model == "default" else model)
            t1 = time.perf_counter()
            batch.append(parsed.rows)
            parse_total += t1 - t0
            doc = parsed.rows["documents"][0]
            pages += doc.get("pages") or 0
            statuses[doc["status"]] = statuses.get(doc["status"], 0) + 1
            per_doc.append({"file": Path(f).name, "pages": doc.get("pages"), "parse_s": t1 - t0})
        t0 = time.perf_counter()
        write_batch(out, batch)  # as ingest does: one batch, one file per table
        store_total = time.perf_counter() - t0
    finally:
        shutil.rmtree(out, ignore_errors=True)
    return {
        "import_s": t_import, "backend_s": t_backend, "warmup_s": t_warm, "parse_s": parse_total, "store_s": store_total, "pages": pages,
        "docs": len(per_doc), "statuses": statuses, "stages": tm.t, "calls": tm.n, "nlp": counts, "per_doc": per_doc,
    }


def _group(filename: str) -> str | None:
    f = filename.replace("\\", "/")
    if f == "~":
        return None
    if f.startswith(str(REPO / "pipeline") + "/"):  # not "spacy/pipeline/pipe.pyx"
        return "referat pipeline/"
    for key, name in (("pdfplumber/", "pdfplumber"), ("pdfminer/", "pdfminer"), ("spacy/", "spaCy/thinc"),
                      ("thinc/", "spaCy/thinc"), ("srsly/", "spaCy/thinc"), ("preshed", "spaCy/thinc")):
        if f.startswith(key) or f"/{key}" in f:
            return name
    if "/site-packages/" in f:
        return "other libraries"
    return "stdlib"


def entry_time(st, pred) -> float:
    """Cumulative time spent in functions matching ``pred`` when called from ones that do not."""
    t = 0.0
    for func, (cc, nc, tt, ct, callers) in st.stats.items():
        if not pred(func):
            continue
        for c, v in callers.items():
            if not pred(c):
                t += v[3]
    return t


def label(func) -> str:
    fn, line, name = func
    if fn == "~":
        return name
    short = fn.replace(str(REPO) + "/", "")
    if "site-packages/" in short:
        short = short.split("site-packages/", 1)[1]
    return f"{short}:{line}({name})"


def summarize_noop_profile(path: Path, top: int = 12) -> dict:
    import pstats

    st = pstats.Stats(str(path))
    # start-up imports: running pipeline/__main__.py minus the CLI call it ends with
    main_ct = next((v[3] for f, v in st.stats.items() if f[0].endswith("pipeline/__main__.py") and f[2] == "<module>"), None)
    run_ct = next((v[3] for f, v in st.stats.items() if f[0].endswith("pipeline/cli.py") and f[2] == "run"), None)
    imports = main_ct - run_ct if main_ct is not None and run_ct is not None else None
    ours = [(f, v) for f, v in st.stats.items() if _group(f[0]) == "referat pipeline/" and f[2] != "<module>"]
    ours.sort(key=lambda kv: kv[1][3], reverse=True)
    return {"total_s": st.total_tt, "imports_s": imports,
            "top": [{"func": label(f), "ncalls": v[1], "tottime": v[2], "cumtime": v[3]} for f, v in ours[:top]]}


def child_profile(model: str, listfile: str, top: str) -> dict:
    """cProfile of parse_document over the files (after one warm-up document)."""
    import cProfile
    import pstats

    sys.path.insert(0, str(REPO))
    from pipeline.nlp import load_backend
    from pipeline.parse import parse_document

    files = _files(listfile)
    m = None if model == "default" else model
    load_backend(m)
    parse_document(files[0], model=m)  # warm-up: lexicons, rule files, matcher caches
    prof = cProfile.Profile()
    pages = 0
    prof.enable()
    for f in files:
        pages += parse_document(f, model=m).rows["documents"][0].get("pages") or 0
    prof.disable()
    st = pstats.Stats(prof)
    total = st.total_tt
    # self time by package; a built-in (C) function's time goes to whoever called it
    groups: dict[str, float] = {}
    for func, (cc, nc, tt, ct, callers) in st.stats.items():
        g = _group(func[0])
        if g is not None:
            groups[g] = groups.get(g, 0.0) + tt
            continue
        edge_tt = {c: v[2] for c, v in callers.items()}
        s = sum(edge_tt.values())
        if not s:
            groups["stdlib"] = groups.get("stdlib", 0.0) + tt
            continue
        for c, v in edge_tt.items():
            cg = _group(c[0]) or "stdlib"
            groups[cg] = groups.get(cg, 0.0) + tt * v / s

    def is_spacy(func) -> bool:
        return _group(func[0]) == "spaCy/thinc" or (func[0] == "~" and ("spacy." in func[2] or "thinc." in func[2]))

    def is_pdf(func) -> bool:
        return _group(func[0]) in ("pdfplumber", "pdfminer")

    rows = sorted(st.stats.items(), key=lambda kv: kv[1][2], reverse=True)[: int(top)]
    top_self = [{"func": label(f), "ncalls": v[1], "tottime": v[2], "cumtime": v[3]} for f, v in rows]
    ours = [(f, v) for f, v in st.stats.items() if _group(f[0]) == "referat pipeline/"]
    ours.sort(key=lambda kv: kv[1][3], reverse=True)
    top_cum = [{"func": label(f), "ncalls": v[1], "tottime": v[2], "cumtime": v[3]} for f, v in ours[: int(top)]]
    return {"total_s": total, "pages": pages, "docs": len(files), "groups": groups,
            "spacy_entry_s": entry_time(st, is_spacy), "pdf_entry_s": entry_time(st, is_pdf),
            "top_self": top_self, "top_cum_ours": top_cum}


CHILDREN = {"text": child_text, "words": child_words, "load": child_load, "stages": child_stages, "profile": child_profile}


# ============================================================================
# Corpus
# ============================================================================
def _corpus_module():
    spec = importlib.util.spec_from_file_location("referat_bench_corpus", HERE / "corpus.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


def build_corpus(work: Path, n_docs: int, big_pages: int, max_pages: int) -> tuple[list[dict], dict]:
    corpus = _corpus_module()
    key = {"docs": n_docs, "big_pages": big_pages, "max_pages": max_pages, "generator": corpus.GENERATOR_VERSION,
           "script_mtime": int((REPO / "scripts" / "make_sample_pdfs.py").stat().st_mtime),
           "samples": sorted(p.name for p in (REPO / "data" / "raw").glob("*.pdf"))}
    mf = work / "manifest.json"
    if mf.exists():
        saved = json.loads(mf.read_text())
        if saved.get("key") == key and all(Path(d["path"]).exists() for d in saved["docs"] + [saved["big"]]):
            return saved["docs"], saved["big"] | {"cached": True}
    for sub in ("corpus", "big"):
        shutil.rmtree(work / sub, ignore_errors=True)
    cdir = work / "corpus"
    cdir.mkdir(parents=True)
    import pdfplumber

    docs = []
    samples = sorted((REPO / "data" / "raw").glob("*.pdf"))[: max(0, min(2, n_docs))]
    for p in samples:  # the two samples themselves, byte for byte
        dest = cdir / f"sample_{p.name}"
        shutil.copyfile(p, dest)
        with pdfplumber.open(dest) as pdf:
            docs.append({"path": str(dest), "pages": len(pdf.pages), "family": "sample", "bytes": dest.stat().st_size})
    t0 = time.perf_counter()
    docs += corpus.build(corpus.corpus_specs(n_docs - len(samples), max_pages=max_pages), cdir)
    big = corpus.build([corpus.big_spec(big_pages)], work / "big")[0]
    big["gen_s"] = time.perf_counter() - t0
    mf.write_text(json.dumps({"key": key, "docs": docs, "big": big}, indent=1))
    return docs, big


# ============================================================================
# Report helpers
# ============================================================================
def read_documents(out: Path) -> list[dict]:
    import pyarrow.parquet as pq

    rows = []
    for p in sorted((out / "documents").glob("*.parquet")):
        rows += pq.read_table(p).to_pylist()
    return rows


def fmt_table(headers: list[str], rows: list[list], align: str | None = None) -> str:
    cells = [[str(c) for c in r] for r in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)]
    align = align or "l" + "r" * (len(headers) - 1)

    def line(vals):
        return "  ".join(v.ljust(w) if a == "l" else v.rjust(w) for v, w, a in zip(vals, widths, align))

    return "\n".join([line(headers), line(["-" * w for w in widths])] + [line(r) for r in cells])


def f1(x: float | None, nd: int = 1) -> str:
    return "–" if x is None else f"{x:.{nd}f}"


def ingest_cmd(paths: list[str], out: Path, workers: int, model: str | None = None) -> list[str]:
    cmd = [PY, "-m", "pipeline", "ingest", *paths, "--out", str(out), "--workers", str(workers), "-q"]
    if model:
        cmd += ["--model", model]
    return cmd


def run_ingest(label: str, paths: list[str], out: Path, workers: int, model: str | None = None, fresh: bool = True) -> dict:
    if fresh:
        shutil.rmtree(out, ignore_errors=True)
    cmd = ingest_cmd(paths, out, workers, model)
    print(f"  [{label}] {' '.join(_short(c) for c in cmd)}", flush=True)
    res = measured(cmd)
    res["cmd"] = cmd
    docs = read_documents(out) if (out / "documents").exists() else []
    res["docs_out"] = docs
    res["statuses"] = {}
    for d in docs:
        res["statuses"][d["status"]] = res["statuses"].get(d["status"], 0) + 1
    if res["rc"] != 0 or res["stderr"].strip():
        print(f"    exit code {res['rc']}; stderr:\n    " + "\n    ".join(res["stderr"].strip().splitlines()[:20]))
    return res


def _short(s: str) -> str:
    s = s.replace(str(REPO) + "/", "")
    return s


def machine_lines() -> list[str]:
    import pdfplumber  # noqa: F401 - version only

    ver = subprocess.run([PY, "-c", "import pdfplumber, pdfminer, spacy, sys; print(pdfplumber.__version__, "
                          "pdfminer.__version__, spacy.__version__, sys.version.split()[0])"],
                         capture_output=True, text=True).stdout.split()
    cpu = "?"
    try:
        for ln in Path("/proc/cpuinfo").read_text().splitlines():
            if ln.startswith("model name"):
                cpu = ln.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        kb = int(next(ln for ln in Path("/proc/meminfo").read_text().splitlines() if ln.startswith("MemTotal")).split()[1])
        mem = f"{kb / 1024 / 1024:.1f} GB"
    except (OSError, StopIteration):
        pass
    git = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "pipeline"], capture_output=True, text=True).stdout.strip()
    trained = subprocess.run([PY, "-c", "import importlib.util as u; print(bool(u.find_spec('da_core_news_sm')))"],
                             capture_output=True, text=True).stdout.strip()
    pdftotext = shutil.which("pdftotext")
    ptver = ""
    if pdftotext:
        ptver = (subprocess.run([pdftotext, "-v"], capture_output=True, text=True).stderr.splitlines() or [""])[0]
    return [
        f"date        {dt.datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"machine     {os.cpu_count()} cores ({cpu}), {mem} RAM, {platform.system()} {platform.release()}",
        f"python      {ver[3] if len(ver) > 3 else '?'} ({PY})",
        f"libraries   pdfplumber {ver[0] if ver else '?'}, pdfminer.six {ver[1] if len(ver) > 1 else '?'}, "
        f"spaCy {ver[2] if len(ver) > 2 else '?'}; pdftotext: {ptver or 'not installed'}",
        f"referat     git {git}{' + uncommitted changes in pipeline/' if dirty else ''}; "
        f"da_core_news_sm installed: {trained}; REFERAT_SPACY_MODEL={os.environ.get('REFERAT_SPACY_MODEL', '(unset)')}",
        f"load avg    {' '.join(f'{x:.2f}' for x in os.getloadavg())} at start (other processes on the machine make figures noisy)",
    ]


# ============================================================================
# Main
# ============================================================================
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Benchmark referat ingest (prints figures).")
    ap.add_argument("--docs", type=int, default=None, help="documents in the corpus (default 200; 20 with --quick)")
    ap.add_argument("--big-pages", type=int, default=None, help="pages of the big document (default 300; 60 with --quick)")
    ap.add_argument("--workdir", type=Path, default=None,
                    help="keep corpus and outputs here (a corpus with the same parameters is reused); default: a temp dir, removed")
    ap.add_argument("--quick", action="store_true",
                    help="smoke run: 20 docs of 1-4 pages, 60-page big document, fewer extra measurements")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(CHILDREN[args.child[0]](*args.child[1:])))
        return 0
    n_docs = args.docs or (20 if args.quick else 200)
    big_pages = args.big_pages or (60 if args.quick else 300)
    if n_docs < 1 or big_pages < 1:
        ap.error("--docs and --big-pages must be positive")
    started = time.perf_counter()
    temp = args.workdir is None
    work = Path(tempfile.mkdtemp(prefix="referat-bench-")) if temp else args.workdir.resolve()
    work.mkdir(parents=True, exist_ok=True)
    try:
        return bench(work, n_docs, big_pages, args.quick, started)
    finally:
        if temp:
            shutil.rmtree(work, ignore_errors=True)


def bench(work: Path, n_docs: int, big_pages: int, quick: bool, started: float) -> int:
    print("referat ingest benchmark" + (" (--quick)" if quick else ""))
    print("=" * 78)
    for ln in machine_lines():
        print(ln)
    print(f"workdir     {work}")
    print()

    # --- corpus --------------------------------------------------------------
    t0 = time.perf_counter()
    max_pages = 4 if quick else 10
    docs, big = build_corpus(work, n_docs, big_pages, max_pages)
    pages = sum(d["pages"] for d in docs)
    n = len(docs)
    hist: dict[int, int] = {}
    for d in docs:
        hist[d["pages"]] = hist.get(d["pages"], 0) + 1
    print(f"corpus      {n} PDFs, {pages} pages ({pages / n:.1f}/doc), {sum(d['bytes'] for d in docs) / 1e6:.1f} MB; "
          f"{'reused' if big.get('cached') else f'generated in {time.perf_counter() - t0:.1f} s'}")
    print(f"            pages per doc (generated: 1–{max_pages}): " + ", ".join(f"{k}p×{v}" for k, v in sorted(hist.items())))
    print("            families: " + ", ".join(f"{fam} {sum(1 for d in docs if d['family'] == fam)}"
                                                for fam in ("sample", "politisk", "styregruppe")))
    print(f"big doc     {Path(big['path']).name}: {big['pages']} pages, {big['bytes'] / 1e6:.2f} MB")
    print()
    cdir = str(work / "corpus")
    listfile = work / "files.txt"
    listfile.write_text("\n".join(d["path"] for d in docs) + "\n")
    bigfile = work / "big.txt"
    bigfile.write_text(big["path"] + "\n")

    print("running (each line is a fresh process):", flush=True)
    R: dict[str, dict] = {}

    # --- bare extractors ------------------------------------------------------
    print("  [pdfplumber extract_text] corpus", flush=True)
    R["text"] = child("text", str(listfile))
    if not quick:
        print("  [pdfplumber extract_words + flush_cache, as pipeline.load] corpus", flush=True)
        R["words"] = child("words", str(listfile))
        print("  [pipeline.load.load only] corpus", flush=True)
        R["load"] = child("load", str(listfile))
    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        print("  [pdftotext] corpus, one process per file", flush=True)
        import resource

        ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        la = os.getloadavg()[0]
        for d in docs:
            subprocess.run([pdftotext, "-q", d["path"], "-"], stdout=subprocess.DEVNULL, check=False)
        ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        R["pdftotext"] = {"wall": time.perf_counter() - t0, "load": (la, os.getloadavg()[0]),
                          "user": ru1.ru_utime - ru0.ru_utime, "sys": ru1.ru_stime - ru0.ru_stime}
    else:
        print("  pdftotext not installed (apt-get install -y poppler-utils): skipped", flush=True)

    # --- referat ingest --------------------------------------------------------
    out1, out2, outb, outbig = work / "out_w1", work / "out_w2", work / "out_blank", work / "out_big"
    R["w1"] = run_ingest("ingest, 1 worker", [cdir], out1, 1)
    before = {p.name: p.stat().st_mtime_ns for p in (out1 / "documents").glob("*.parquet")}
    R["noop"] = run_ingest("no-op re-run, same --out", [cdir], out1, 1, fresh=False)
    after = {p.name: p.stat().st_mtime_ns for p in (out1 / "documents").glob("*.parquet")}
    R["noop"]["rewritten"] = sum(1 for k, v in after.items() if before.get(k) != v)
    R["version"] = measured([PY, "-m", "pipeline", "--version"])
    prof = work / "noop.prof"
    print("  [no-op re-run under cProfile]", flush=True)
    subprocess.run([PY, "-m", "cProfile", "-o", str(prof), *ingest_cmd([cdir], out1, 1)[1:]], cwd=REPO,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if prof.exists():
        R["noop_prof"] = summarize_noop_profile(prof)
    R["w2"] = run_ingest("ingest, 2 workers", [cdir], out2, 2)
    trained = subprocess.run([PY, "-c", "import importlib.util as u; print(bool(u.find_spec('da_core_news_sm')))"],
                             capture_output=True, text=True).stdout.strip() == "True"
    if not quick or trained:
        R["blank"] = run_ingest("ingest, 1 worker, --model blank", [cdir], outb, 1, model="blank")
    R["big"] = run_ingest(f"ingest big doc ({big['pages']} p), 1 worker", [big["path"]], outbig, 1)
    if not quick:
        print("  [pipeline.load.load only] big doc", flush=True)
        R["big_load"] = child("load", str(bigfile))
    if not quick:
        R["backend_rss"] = measured([PY, "-c", "from pipeline.nlp import load_backend; load_backend('blank')"])

    # --- stages and profile ------------------------------------------------------
    k_stage = 2 if quick else 40
    k_prof = 2 if quick else 10
    by_size = sorted(docs, key=lambda d: (d["pages"], d["path"]))
    stage_docs = [by_size[i * len(by_size) // min(k_stage, n)] for i in range(min(k_stage, n))]
    prof_docs = [by_size[i * len(by_size) // min(k_prof, n)] for i in range(min(k_prof, n))]
    (work / "stage_files.txt").write_text("\n".join(d["path"] for d in stage_docs) + "\n")
    (work / "prof_files.txt").write_text("\n".join(d["path"] for d in prof_docs) + "\n")
    print(f"  [stage timers, --model blank] {len(stage_docs)} corpus docs", flush=True)
    R["stages"] = child("stages", "blank", str(work / "stage_files.txt"))
    if not quick:
        print("  [stage timers, --model blank] big doc", flush=True)
        R["stages_big"] = child("stages", "blank", str(bigfile))
    print(f"  [cProfile parse_document, --model blank] {len(prof_docs)} corpus docs", flush=True)
    R["profile"] = child("profile", "blank", str(work / "prof_files.txt"), "25")
    print()

    report(R, docs, big, n, pages, quick)
    print(f"\nbenchmark took {time.perf_counter() - started:.0f} s; load avg at end "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


def report(R: dict, docs: list[dict], big: dict, n: int, pages: int, quick: bool) -> None:
    def row(label, r, pg=pages, nd=n, wall=None, rss=True, cpu=True):
        w = wall if wall is not None else r["wall"]
        load = r.get("load")
        c = (r["user"] + r["sys"]) if cpu and "user" in r else None
        return [label, f1(w, 2), f1(pg / w), f1(nd / w, 2), f1(c, 1), f1(pg / c) if c else "–",
                f1(r["maxrss_mb"], 0) if rss and "maxrss_mb" in r else "–",
                f"{load[0]:.1f}→{load[1]:.1f}" if load else "–"]

    HEAD = ["run", "wall s", "pages/s", "docs/s", "CPU s", "pages/CPU-s", "RSS MB", "load"]

    print("FIGURES")
    print("=" * 78)
    print(f"Throughput over the corpus ({n} docs, {pages} pages). wall = whole process incl. interpreter start and imports;")
    print("CPU s = user+sys of the whole process tree; RSS = peak of the largest process; load = 1-min load average")
    print("before→after (2 cores: a load above ~2 means other processes competed for the CPU).\n")
    rows = []
    t = R["text"]
    rows.append(row("pdfplumber extract_text (bare)", t))
    rows.append(row("  same, inside the loop only", t, wall=t["data"]["loop_s"], rss=False, cpu=False))
    if "words" in R:
        rows.append(row("pdfplumber extract_words(+attrs), flush", R["words"]))
    if "load" in R:
        rows.append(row("pipeline.load.load only (stage 1)", R["load"]))
    if "pdftotext" in R:
        rows.append(row("pdftotext (poppler), 1 proc per file", R["pdftotext"]))
    else:
        rows.append(["pdftotext", "not installed", "", "", "", "", "", ""])
    rows.append(row("referat ingest --workers 1", R["w1"]))
    rows.append(row("referat ingest --workers 2", R["w2"]))
    if "blank" in R:
        rows.append(row("referat ingest --workers 1 --model blank", R["blank"]))
    rows.append(row("no-op re-run (same --out), 1 worker", R["noop"]))
    print(fmt_table(HEAD, rows))

    w1, w2, noop = R["w1"], R["w2"], R["noop"]
    tp1 = pages / w1["wall"]
    tp2 = pages / w2["wall"]
    bare = pages / t["wall"]
    bare_loop = pages / t["data"]["loop_s"]
    eff = tp2 / (2 * tp1)
    ratio = tp1 / bare
    noop_share = noop["wall"] / w1["wall"]
    print()
    print(f"parallel efficiency  throughput(2) / (2 × throughput(1)) = {tp2:.2f} / (2 × {tp1:.2f}) = {eff:.2f}")
    cpu_ratio = (t["user"] + t["sys"]) / (w1["user"] + w1["sys"])
    print(f"ratio to pdfplumber  ingest 1 worker / bare extract_text = {tp1:.2f} / {bare:.2f} pages/s = {ratio:.2f} "
          f"(vs the loop-only figure {bare_loop:.2f} pages/s: {tp1 / bare_loop:.2f}; per CPU-second: {cpu_ratio:.2f})")
    v = R["version"]["wall"]
    print(f"no-op re-run         {noop['wall']:.2f} s = {100 * noop_share:.1f} % of the first run; "
          f"{noop['rewritten']} of {n} documents files rewritten; `referat --version` alone takes {v:.2f} s")
    for key in ("w1", "w2", "blank", "noop", "big"):
        r = R.get(key)
        if r is None:
            continue
        bad = {k: c for k, c in r["statuses"].items() if k != "ok"}
        if r["rc"] != 0 or bad:
            print(f"  note: run {key}: exit code {r['rc']}, statuses {r['statuses']}")
    if "noop_prof" in R:
        np_ = R["noop_prof"]
        print(f"  no-op under cProfile: {np_['total_s']:.2f} s, of which importing the CLI and its modules "
              f"{f1(np_['imports_s'], 2)} s; referat functions by cumulative time:")
        print("    " + fmt_table(["function", "ncalls", "tottime", "cumtime"],
                                 [[_trim(x["func"]), x["ncalls"], f1(x["tottime"], 3), f1(x["cumtime"], 3)]
                                  for x in np_["top"]]).replace("\n", "\n    "))
    durs = [d["duration_s"] for d in w1["docs_out"] if d.get("duration_s") is not None]
    if durs:
        q = statistics.quantiles(durs, n=10) if len(durs) > 1 else durs * 9
        per_page = [d["duration_s"] / d["pages"] for d in w1["docs_out"] if d.get("pages")]
        print(f"per document (documents.duration_s, 1-worker run): mean {statistics.mean(durs):.2f} s, median "
              f"{statistics.median(durs):.2f} s, p90 {q[8]:.2f} s, max {max(durs):.2f} s; per page median "
              f"{statistics.median(per_page):.3f} s; sum {sum(durs):.1f} s of {w1['wall']:.1f} s wall")

    # --- big document ------------------------------------------------------------
    print()
    b = R["big"]
    bp = big["pages"]
    print(f"Big document ({bp} pages, 1 worker)")
    brow = [row("referat ingest BIG --workers 1", b, pg=bp, nd=1)]
    if "big_load" in R:
        brow.append(row("pipeline.load.load only", R["big_load"], pg=bp, nd=1))
    if "backend_rss" in R:
        br = R["backend_rss"]
        brow.append(["python -c load_backend('blank') only", f1(br["wall"], 2), "–", "–",
                     f1(br["user"] + br["sys"], 1), "–", f1(br["maxrss_mb"], 0), "–"])
    print(fmt_table(HEAD, brow))
    print(f"pages/s on the big doc vs the corpus (1 worker): {bp / b['wall']:.2f} vs {tp1:.2f}")

    # --- stages --------------------------------------------------------------------
    s = R["stages"]["data"]
    print()
    print(f"Where the time goes: stage timers (no profiler) over {s['docs']} corpus docs, {s['pages']} pages, --model blank")
    _stage_table(s)
    if "stages_big" in R:
        sb = R["stages_big"]["data"]
        print()
        print(f"Stage timers on the big document ({sb['pages']} pages)")
        _stage_table(sb)

    # --- NLP share ------------------------------------------------------------------
    nl = s["nlp"]
    spacy_t = s["stages"].get("spacy: Language.pipe", 0.0)
    p = R["profile"]["data"]
    print()
    print("NLP share (spaCy, --model blank)")
    print(f"  spaCy backend load, once per process (import + blank('da') + lookup tables): {s['backend_s']:.2f} s")
    print(f"  time inside Language.pipe: {spacy_t:.3f} s of {s['parse_s']:.2f} s parse_document = "
          f"{100 * spacy_t / s['parse_s']:.1f} %  ({1000 * spacy_t / s['docs']:.1f} ms/doc)")
    if spacy_t:
        print(f"  NLP layer throughput: {nl['words'] / spacy_t:,.0f} words/s ({nl['tokens'] / spacy_t:,.0f} tokens/s; "
              f"{nl['words']} words, {nl['tokens']} tokens in {nl['texts']} texts)")
    nlp_layer = s["stages"].get("mentions (incl. spaCy pipe)", 0) + s["stages"].get("  of which nlp.lemma_docs", 0)
    print(f"  our NLP layer (extract_mentions + lemma_docs, incl. their Python): {nlp_layer:.3f} s = "
          f"{100 * nlp_layer / s['parse_s']:.1f} %")
    print(f"  cProfile ({p['docs']} docs): calls into spaCy from our code {p['spacy_entry_s']:.3f} s of {p['total_s']:.2f} s = "
          f"{100 * p['spacy_entry_s'] / p['total_s']:.1f} %; into pdfplumber/pdfminer {p['pdf_entry_s']:.2f} s = "
          f"{100 * p['pdf_entry_s'] / p['total_s']:.1f} %  (profiler overhead inflates Python-heavy code)")

    # --- profile ---------------------------------------------------------------------
    print()
    print(f"cProfile of parse_document over {p['docs']} corpus docs ({p['pages']} pages), after one warm-up document")
    print("self time by package (a C builtin's time is charged to its caller's package):")
    tot = sum(p["groups"].values())
    print(fmt_table(["package", "self s", "%"], [[g, f1(v, 2), f1(100 * v / tot)] for g, v in
                                                  sorted(p["groups"].items(), key=lambda kv: -kv[1])]))
    print("\ntop functions by self time:")
    print(fmt_table(["function", "ncalls", "tottime", "cumtime"],
                    [[_trim(x["func"]), x["ncalls"], f1(x["tottime"], 3), f1(x["cumtime"], 3)] for x in p["top_self"][:20]]))
    print("\nreferat functions by cumulative time:")
    print(fmt_table(["function", "ncalls", "tottime", "cumtime"],
                    [[_trim(x["func"]), x["ncalls"], f1(x["tottime"], 3), f1(x["cumtime"], 3)] for x in p["top_cum_ours"][:15]]))

    # --- targets --------------------------------------------------------------------------
    print()
    print("TARGETS")
    print("=" * 78)
    checks = [
        (f"ingest 1 worker ≥ {TARGET_RATIO_1W} × bare pdfplumber pages/s", ratio >= TARGET_RATIO_1W, f"{ratio:.2f}"),
        (f"peak RSS on the {bp}-page doc < {TARGET_RSS_MB:.0f} MB", b["maxrss_mb"] < TARGET_RSS_MB, f"{b['maxrss_mb']:.0f} MB"),
        (f"no-op re-run < {100 * TARGET_NOOP:.0f} % of the first run", noop_share < TARGET_NOOP, f"{100 * noop_share:.1f} %"),
        (f"2 workers ≥ {TARGET_SPEEDUP_2W} × the throughput of 1", 2 * eff >= TARGET_SPEEDUP_2W, f"{2 * eff:.2f} × (efficiency {eff:.2f})"),
    ]
    for label, ok, val in checks:
        print(f"  {'PASS' if ok else 'MISS'}  {label}: {val}")


def _trim(s: str, n: int = 88) -> str:
    return s if len(s) <= n else "…" + s[-(n - 1):]


def _stage_table(s: dict) -> None:
    st = s["stages"]
    total = s["parse_s"] + s["store_s"]
    order = [
        "load (PDF -> lines)", "  of which pdfplumber Page.extract_words", "  of which pdfplumber Page.find_tables",
        "  of which load.words_to_lines", "profile detection", "clean", "segment", "attendance", "header",
        "nlp backend lookup", "agenda items", "decisions (incl. spaCy lemmas)", "  of which nlp.lemma_docs", "amounts",
        "mentions (incl. spaCy pipe)", "spacy: Language.pipe",
    ]
    top_level = [k for k in order if not k.startswith("  ") and k != "spacy: Language.pipe"]
    rows = []
    for k in order:
        if k in st:
            rows.append([k, f1(st[k], 3), f1(1000 * st[k] / max(s["docs"], 1), 1), f1(100 * st[k] / total)])
    other = s["parse_s"] - sum(st.get(k, 0.0) for k in top_level)
    rows.append(["other in parse_document (digest, rows, …)", f1(other, 3), f1(1000 * other / max(s["docs"], 1), 1), f1(100 * other / total)])
    rows.append(["store.write_batch (Parquet, fsync)", f1(s["store_s"], 3), f1(1000 * s["store_s"] / max(s["docs"], 1), 1), f1(100 * s["store_s"] / total)])
    rows.append(["total parse + store", f1(total, 3), f1(1000 * total / max(s["docs"], 1), 1), "100.0"])
    print(fmt_table(["stage (inclusive; indented = part of the line above)", "s", "ms/doc", "%"], rows))
    print(f"  ({s['pages'] / total:.2f} pages/s in-process; statuses {s['statuses']}; not included: imports "
          f"{s['import_s']:.2f} s, backend load {s['backend_s']:.2f} s, warm-up parse of the first doc {s['warmup_s']:.2f} s)")


if __name__ == "__main__":
    sys.exit(main())
