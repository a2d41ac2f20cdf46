"""Score article extraction on the Scrapinghub article-extraction-benchmark corpus.

Usage: python benchmarks/extraction.py [--limit N] [--show-worst K] [--only NAME ...]

The corpus lives in ../shared/corpora/scrapinghub (relative to the repository root):
html/<id>.html.gz and ground-truth.json (field "articleBody"). The metric is that
benchmark's own: tokens are \\w+ matches, each text is a multiset of 4-token shingles, per
page TP/FP/FN are normalised to sum 1, precision and recall are means over pages (pages
with nothing predicted do not count for precision; pages with nothing true do not count
for recall), and F1 is their harmonic mean.

Three extractors run on the same pages: ours (reader's pipeline), plain readability-lxml
(its summary text) and trafilatura (`trafilatura.extract` with default settings).
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

from reader.content import main_content, parse_html, text_of  # noqa: E402
from reader.model import Page  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpora" / "scrapinghub"
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


@dataclass
class Result:
    name: str
    counts: list[tuple[float, float, float]] = field(default_factory=list)
    millis: list[float] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)


def load_corpus(limit: int | None) -> list[tuple[str, str, str, str]]:
    """(id, url, html, true text) for each page, in a stable order."""
    truth = json.loads((CORPUS / "ground-truth.json").read_text(encoding="utf-8"))
    items = []
    for key in sorted(truth)[:limit]:
        with gzip.open(CORPUS / "html" / f"{key}.html.gz", "rt", encoding="utf-8") as f:
            html = f.read()
        items.append((key, truth[key].get("url", ""), html, truth[key].get("articleBody", "")))
    return items


def run(name: str, extractor: Callable[[str, str], str], corpus: list) -> Result:
    result = Result(name)
    for key, url, html, true in corpus:
        start = time.perf_counter()
        try:
            text = extractor(html, url)
        except Exception as error:  # a crash is a miss, not the end of the benchmark
            print(f"{name} failed on {key}: {error!r}", file=sys.stderr)
            text = ""
        result.millis.append((time.perf_counter() - start) * 1000)
        result.counts.append(tp_fp_fn(true, text))
        result.pages.append(key)
        result.texts.append(text)
    return result


def table(results: list[Result]) -> str:
    lines = [
        "| Extractor | F1 | Precision | Recall | Median ms/page |",
        "|---|---|---|---|---|",
    ]
    for r in results:
        f1, p, rec = scores(r.counts)
        ms = statistics.median(r.millis)
        lines.append(f"| {r.name} | {f1:.3f} | {p:.3f} | {rec:.3f} | {ms:.1f} |")
    return "\n".join(lines)


def show_worst(result: Result, corpus: list, k: int) -> None:
    truths = {key: (url, true) for key, url, _, true in corpus}
    ranked = sorted(
        range(len(result.pages)),
        key=lambda i: _f1_page(result.counts[i]),
    )
    print(f"\nWorst {k} pages for {result.name}:")
    for i in ranked[:k]:
        key = result.pages[i]
        url, true = truths[key]
        tp, fp, fn = result.counts[i]
        print(
            f"\n{key[:12]} F1={_f1_page(result.counts[i]):.3f} P={precision(tp, fp, fn):.3f} "
            f"R={recall(tp, fp, fn):.3f} {url}"
        )
        missing, extra = _diff_lines(true, result.texts[i])
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="score only the first N pages")
    parser.add_argument(
        "--show-worst",
        type=int,
        default=0,
        metavar="K",
        help="print the K worst pages of reader's extractor with what differs",
    )
    parser.add_argument(
        "--only",
        nargs="+",
        choices=list(EXTRACTORS),
        default=list(EXTRACTORS),
        help="run only these extractors",
    )
    args = parser.parse_args(argv)
    if not (CORPUS / "ground-truth.json").is_file():
        print(f"The extraction corpus is not available at {CORPUS}, so there is nothing to score.")
        return 0
    corpus = load_corpus(args.limit)
    results = [run(name, EXTRACTORS[name], corpus) for name in args.only]
    print(f"Scrapinghub article-extraction-benchmark, {len(corpus)} pages\n")
    print(table(results))
    if args.show_worst and results:
        show_worst(results[0], corpus, args.show_worst)
    return 0


if __name__ == "__main__":
    sys.exit(main())
