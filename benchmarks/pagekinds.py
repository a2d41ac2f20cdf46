"""The kind of page the reader says (`Article.kind`) against WCXB dev's labelled page types.

Usage: python benchmarks/pagekinds.py [--limit N]

Each kind other than "article" is said to the listener, so what matters most is that a kind
said is right (its row holds few pages of other types); a page none of the rules fits is
called an article. Prints a Markdown table: one row per kind said, one column per labelled
type; "no article" counts the pages the reader refuses. Without the corpus (see
extraction.py) it says so and exits 0.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from extraction import WCXB, WCXB_TYPES, load_wcxb  # noqa: E402

from reader.errors import NoArticleError  # noqa: E402
from reader.extract import extract  # noqa: E402
from reader.model import PAGE_KINDS, Page  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="the first N pages of each type")
    args = parser.parse_args(argv)
    if not (WCXB / "ground-truth").is_dir():
        print(f"The WCXB corpus is not available at {WCXB}, so page kinds are not scored.")
        return 0
    items = load_wcxb(args.limit, list(WCXB_TYPES))
    said: dict[str, Counter[str]] = {kind: Counter() for kind in (*PAGE_KINDS, "no article")}
    for item in items:
        try:
            kind: str = extract(Page(item.html, item.url)).kind
        except NoArticleError:
            kind = "no article"
        said[kind][item.kind] += 1
    print(f"WCXB dev, {len(items)} pages: the kind said (rows) against the labelled type\n")
    print("| said \\ labelled | " + " | ".join(WCXB_TYPES) + " |")
    print("|---" * (len(WCXB_TYPES) + 1) + "|")
    for kind, counts in said.items():
        cells = [str(counts[t]) if counts[t] else "" for t in WCXB_TYPES]
        print(f"| {kind} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
