"""Score main-content extraction on two corpora, three extractors in one run.

Usage: python benchmarks/extraction.py [--corpus scrapinghub|wcxb|both] [--limit N]
       [--types TYPE ...] [--show-worst K] [--only NAME ...] [--save FILE]

Scrapinghub (../shared/corpora/scrapinghub, relative to the repository root):
html/<id>.html.gz and ground-truth.json (field "articleBody"), 181 news articles. The
metric is that benchmark's own: tokens are \\w+ matches, each text is a multiset of 4-token
shingles, per page TP/FP/FN are normalised to sum 1, precision and recall are means over
pages (pages with nothing predicted do not count for precision; pages with nothing true do
not count for recall), and F1 is their harmonic mean.

WCXB dev (../shared/corpora/wcxb-dev): html/<id>.html.gz and ground-truth/<id>.json,
1 497 pages of 7 types. Its metric: lowercase \\w+ tokens as bags of words, per page
precision, recall and F1 (an empty prediction scores 0), the score being the mean F1 over
pages, overall and per page type. `--limit N` takes the first N pages of each type (by
id), so a quick run stays stratified.

Three extractors run on the same pages: ours (reader's pipeline), plain readability-lxml
(its summary text) and trafilatura (`trafilatura.extract` with default settings). Besides
the scores each row gives the median milliseconds per page (wall and CPU time) and how
many pages whose true text has at least 50 words came out empty.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from reader.extract.content import main_content  # noqa: E402
from reader.extract.parse import parse_html  # noqa: E402
from reader.extract.tree import text_of  # noqa: E402
from reader.model import Page  # noqa: E402

# ../shared/corpora beside the repository; from a git worktree, the nearest one above it.
CORPORA = next(
    (d / "shared" / "corpora" for d in REPO.parents if (d / "shared" / "corpora").is_dir()),
    REPO.parent / "shared" / "corpora",
)
CORPUS = CORPORA / "scrapinghub"
WCXB = CORPORA / "wcxb-dev"
WCXB_TYPES = ("article", "documentation", "forum", "service", "product", "collection", "listing")
EMPTY_MIN_WORDS = 50  # a page with this much true text must never come out empty
TOKEN = re.compile(r"\w+", re.UNICODE)
SHINGLE = 4


# ---------------------------------------------------------------- the benchmark's metric


def shingles(text: str) -> Counter:
    tokens = TOKEN.findall(text or "")
    count = max(1, len(tokens) - SHINGLE + 1)
    return Counter(tuple(tokens[i : i + SHINGLE]) for i in range(count) if tokens[i : i + SHINGLE])


def tp_fp_fn(true: str, pred: str) -> tuple[float, float, float]:
    want, got = shingles(true), shingles(pred)
    tp = sum((want & got).values())
    fp = sum((got - want).values())
    fn = sum((want - got).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fp == 0 else tp / (tp + fp)


def recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fn == 0 else tp / (tp + fn)


def scores(counts: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    """(F1, precision, recall) exactly as the benchmark's evaluate.py computes them."""
    p = statistics.mean([precision(*c) for c in counts if c[0] + c[1] > 0] or [0.0])
    r = statistics.mean([recall(*c) for c in counts if c[0] + c[2] > 0] or [0.0])
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return f1, p, r


def bag_f1(true: str, pred: str) -> tuple[float, float, float]:
    """WCXB's per-page (F1, precision, recall) on lowercase word bags; empty scores 0."""
    want = Counter(TOKEN.findall((true or "").lower()))
    got = Counter(TOKEN.findall((pred or "").lower()))
    overlap = sum((want & got).values())
    if not overlap:
        return 0.0, 0.0, 0.0
    p, r = overlap / sum(got.values()), overlap / sum(want.values())
    return 2 * p * r / (p + r), p, r


# ---------------------------------------------------------------- extractors


def ours(html: str, url: str) -> str:
    """The article as reader reads it: section titles and block texts, one per line."""
    page = Page(text=html, url=url)
    extract = _pipeline()
    if extract is None:
        return text_of(main_content(page).root)
    from reader.errors import NoArticleError

    try:
        article = extract(page)
    except NoArticleError:
        return ""
    lines: list[str] = []
    for section in article.sections:
        if section.kind != "intro":
            lines.append(section.title)
        lines.extend(block.text for block in section.blocks)
    return "\n".join(lines)


def _pipeline() -> Callable | None:
    try:
        from reader.extract import extract
    except ImportError:
        return None
    return extract


def plain_readability(html: str, url: str) -> str:
    from readability import Document

    summary = Document(html).summary(html_partial=True)
    return text_of(parse_html(summary))


def trafilatura_text(html: str, url: str) -> str:
    import trafilatura

    return trafilatura.extract(html) or ""


EXTRACTORS: dict[str, Callable[[str, str], str]] = {
    "reader": ours,
    "readability-lxml": plain_readability,
    "trafilatura": trafilatura_text,
}


# ---------------------------------------------------------------- running


@dataclass(frozen=True)
class Item:
    key: str
    url: str
    html: str
    true: str
    kind: str  # the WCXB page type; "article" for every Scrapinghub page


@dataclass
class Result:
    name: str
    items: list[Item]
    texts: list[str] = field(default_factory=list)
    millis: list[float] = field(default_factory=list)
    # CPU time as well: on a machine shared with other work, wall time says more about
    # the neighbours than about the extractor.
    cpu: list[float] = field(default_factory=list)


def load_scrapinghub(limit: int | None) -> list[Item]:
    """Each page of the Scrapinghub corpus, in a stable order."""
    truth = json.loads((CORPUS / "ground-truth.json").read_text(encoding="utf-8"))
    items = []
    for key in sorted(truth)[:limit]:
        with gzip.open(CORPUS / "html" / f"{key}.html.gz", "rt", encoding="utf-8") as f:
            html = f.read()
        items.append(
            Item(key, truth[key].get("url", ""), html, truth[key].get("articleBody", ""), "article")
        )
    return items


def load_wcxb(limit: int | None, types: list[str]) -> list[Item]:
    """WCXB dev pages of the given types; with `limit`, the first N of each type by id."""
    per_type: dict[str, list[Item]] = {kind: [] for kind in types}
    paths = sorted((WCXB / "ground-truth").glob("*.json"), key=lambda p: (len(p.stem), p.stem))
    for path in paths:
        data = json.loads(path.read_text(encoding="utf-8"))
        kind = data.get("_internal", {}).get("page_type", {}).get("primary", "")
        kind = "collection" if kind == "category" else kind
        if kind not in per_type or (limit is not None and len(per_type[kind]) >= limit):
            continue
        page = WCXB / "html" / f"{path.stem}.html.gz"
        with gzip.open(page, "rb") as f:
            html = f.read().decode("utf-8", errors="replace")
        true = data.get("ground_truth", {}).get("main_content", "")
        per_type[kind].append(Item(path.stem, data.get("url", ""), html, true, kind))
    return [item for kind in types for item in per_type[kind]]


def run(names: list[str], items: list[Item]) -> list[Result]:
    """Every extractor on each page in turn, so a machine busy with other work slows all
    of them alike and the median times stay comparable."""
    results = [Result(name, items) for name in names]
    for item in items:
        for result in results:
            start, start_cpu = time.perf_counter(), time.process_time()
            try:
                text = EXTRACTORS[result.name](item.html, item.url)
            except Exception as error:  # a crash is a miss, not the end of the benchmark
                print(f"{result.name} failed on {item.key}: {error!r}", file=sys.stderr)
                text = ""
            result.millis.append((time.perf_counter() - start) * 1000)
            result.cpu.append((time.process_time() - start_cpu) * 1000)
            result.texts.append(text)
    return results


def empties(result: Result) -> int:
    """Pages with at least EMPTY_MIN_WORDS true words that came out with no word at all."""
    return sum(
        1
        for item, text in zip(result.items, result.texts, strict=True)
        if len(TOKEN.findall(item.true)) >= EMPTY_MIN_WORDS and not TOKEN.search(text)
    )


def page_f1(result: Result, index: int, metric: str) -> float:
    item, text = result.items[index], result.texts[index]
    if metric == "shingle":
        return _f1_page(tp_fp_fn(item.true, text))
    return bag_f1(item.true, text)[0]


def scrapinghub_table(results: list[Result]) -> str:
    lines = [
        "| Extractor | F1 | Precision | Recall | Median ms/page | Median CPU ms/page | Empty |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        counts = [tp_fp_fn(i.true, t) for i, t in zip(r.items, r.texts, strict=True)]
        f1, p, rec = scores(counts)
        ms = statistics.median(r.millis)
        cpu = statistics.median(r.cpu)
        lines.append(
            f"| {r.name} | {f1:.3f} | {p:.3f} | {rec:.3f} | {ms:.1f} | {cpu:.1f} | {empties(r)} |"
        )
    return "\n".join(lines)


def wcxb_table(results: list[Result]) -> str:
    """Mean word-bag F1 per extractor: overall, per page type, then time and empties."""
    kinds = [k for k in WCXB_TYPES if any(i.kind == k for i in results[0].items)]
    counts = {k: sum(1 for i in results[0].items if i.kind == k) for k in kinds}
    header = ["Extractor", f"all ({len(results[0].items)})"]
    header += [f"{k} ({counts[k]})" for k in kinds]
    header += ["Median ms/page", "Median CPU ms/page", "Empty"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for r in results:
        f1s = [bag_f1(i.true, t)[0] for i, t in zip(r.items, r.texts, strict=True)]
        cells = [r.name, f"{statistics.mean(f1s):.3f}"]
        for k in kinds:
            kind_f1s = [f for f, i in zip(f1s, r.items, strict=True) if i.kind == k]
            cells.append(f"{statistics.mean(kind_f1s):.3f}")
        cells += [f"{statistics.median(r.millis):.1f}", f"{statistics.median(r.cpu):.1f}"]
        cells.append(str(empties(r)))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def show_worst(result: Result, k: int, metric: str) -> None:
    ranked = sorted(range(len(result.items)), key=lambda i: page_f1(result, i, metric))
    print(f"\nWorst {k} pages for {result.name}:")
    for i in ranked[:k]:
        item = result.items[i]
        print(f"\n{item.key[:12]} {item.kind} F1={page_f1(result, i, metric):.3f} {item.url}")
        missing, extra = _diff_lines(item.true, result.texts[i])
        for line in missing[:4]:
            print(f"  - missing: {line[:150]}")
        for line in extra[:4]:
            print(f"  + extra:   {line[:150]}")


def _f1_page(count: tuple[float, float, float]) -> float:
    p, r = precision(*count), recall(*count)
    return 2 * p * r / (p + r) if p + r else 0.0


def _diff_lines(true: str, pred: str) -> tuple[list[str], list[str]]:
    """Lines of each text with no 4-token shingle in the other text."""

    def lonely(text: str, other: str) -> list[str]:
        theirs = shingles(other)
        return [
            line.strip()
            for line in text.splitlines()
            if len(TOKEN.findall(line)) >= SHINGLE and not (shingles(line) & theirs)
        ]

    return lonely(true, pred), lonely(pred, true)


def save(path: Path, runs: dict[str, list[Result]]) -> None:
    """Per-page F1 of every extractor, to compare two runs page by page."""
    data = {
        corpus: {
            r.name: {
                i.key: round(page_f1(r, n, "shingle" if corpus == "scrapinghub" else "bag"), 4)
                for n, i in enumerate(r.items)
            }
            for r in results
        }
        for corpus, results in runs.items()
    }
    path.write_text(json.dumps(data, indent=0), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=("scrapinghub", "wcxb", "both"), default="both")
    parser.add_argument(
        "--limit",
        type=int,
        default=None,
        help="Scrapinghub: the first N pages; WCXB: the first N pages of each type",
    )
    parser.add_argument("--types", nargs="+", choices=WCXB_TYPES, default=list(WCXB_TYPES))
    parser.add_argument(
        "--show-worst",
        type=int,
        default=0,
        metavar="K",
        help="print the K worst pages of the first extractor with what differs",
    )
    parser.add_argument(
        "--only",
        nargs="+",
        choices=list(EXTRACTORS),
        default=list(EXTRACTORS),
        help="run only these extractors",
    )
    parser.add_argument("--save", type=Path, help="write every page's F1 to this JSON file")
    args = parser.parse_args(argv)
    runs: dict[str, list[Result]] = {}
    if args.corpus in ("scrapinghub", "both"):
        if (CORPUS / "ground-truth.json").is_file():
            items = load_scrapinghub(args.limit)
            runs["scrapinghub"] = run(args.only, items)
            print(f"Scrapinghub article-extraction-benchmark, {len(items)} pages (shingle F1)\n")
            print(scrapinghub_table(runs["scrapinghub"]))
            if args.show_worst:
                show_worst(runs["scrapinghub"][0], args.show_worst, "shingle")
        else:
            print(f"The Scrapinghub corpus is not available at {CORPUS}, so it is not scored.")
    if args.corpus in ("wcxb", "both"):
        if (WCXB / "ground-truth").is_dir():
            items = load_wcxb(args.limit, args.types)
            runs["wcxb"] = run(args.only, items)
            print(f"\nWCXB dev, {len(items)} pages (mean word-bag F1, overall and per type)\n")
            print(wcxb_table(runs["wcxb"]))
            if args.show_worst:
                show_worst(runs["wcxb"][0], args.show_worst, "bag")
        else:
            print(f"The WCXB corpus is not available at {WCXB}, so it is not scored.")
    if args.save:
        save(args.save, runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
