"""What an open article says, apart from where reading is in it: its utterances in reading
order (flat: one index over all sections), what to show for each, each section's first one,
titles and labels, and finding words. ReadingSession (session.py) adds the place being read
and the speaking; this part never changes once the article is open."""

from __future__ import annotations

from collections.abc import Sequence

from reader.model import Article
from reader.reading.elements import ElementIndex
from reader.reading.types import UtteranceLike


class ArticleText:
    def __init__(
        self,
        article: Article,
        utterances: Sequence[Sequence[UtteranceLike]],
        shown: Sequence[Sequence[str]] | None = None,
    ) -> None:
        self.article = article
        self._flat: list[UtteranceLike] = [u for section in utterances for u in section]
        # What to show for each utterance (the page's words; see display_texts).
        self._shown = [t for section in shown for t in section] if shown is not None else []
        if len(self._shown) != len(self._flat):
            self._shown = [u.text for u in self._flat]
        self._index: dict[tuple[int, int], int] = {
            (u.section, u.sentence): i for i, u in enumerate(self._flat)
        }
        self._section_first = self._first_utterance_per_section(len(article.sections))
        self._elements: ElementIndex | None = None  # built at the first element key

    @property
    def total(self) -> int:
        return len(self._flat)

    @property
    def section_count(self) -> int:
        return len(self.article.sections)

    @property
    def last_position(self) -> tuple[int, int]:
        """(section, sentence) of the article's last utterance."""
        if not self._flat:
            return (0, 0)
        u = self._flat[-1]
        return (u.section, u.sentence)

    def utterance(self, index: int) -> UtteranceLike:
        return self._flat[index]

    @property
    def elements(self) -> ElementIndex:
        """The article's headings, lists, paragraphs, tables and links (built on first use)."""
        if self._elements is None:
            self._elements = ElementIndex(self.article, self._flat)
        return self._elements

    def utterances_of(self, section: int) -> list[UtteranceLike]:
        return [u for u in self._flat if u.section == section]

    def shown_of(self, section: int) -> list[str]:
        """The texts to show for `section`'s utterances, in order."""
        return [t for u, t in zip(self._flat, self._shown, strict=True) if u.section == section]

    def sentence_count(self, section: int) -> int:
        """Sentences after the title in `section`."""
        return sum(1 for u in self._flat if u.section == section and u.sentence > 0)

    def section_title(self, section: int) -> str:
        title = self.article.sections[section].title.strip() if self.section_count else ""
        if title:
            return title
        if section == 0:
            return self.article.title.strip() or "Introduction"
        return "Untitled section"

    def spoken_title(self, section: int) -> str:
        """The title as the ear needs it (pronunciations applied): its title utterance."""
        first = self._section_first[section] if self._flat else 0
        if self._flat and self._flat[first].section == section and self._flat[first].sentence == 0:
            return self._flat[first].text
        return self.section_title(section)

    def section_label(self, section: int, spoken: bool = True) -> str:
        """'Section 4 of 8: Title' — spoken form by default, shown form with spoken=False."""
        title = self.spoken_title(section) if spoken else self.section_title(section)
        return f"Section {section + 1} of {self.section_count}: {title}"

    def index_of(self, section: int, sentence: int) -> int:
        """The flat index of (section, sentence); one not there: its section's first one."""
        index = self._index.get((section, sentence))
        if index is None:
            index = self._section_first[min(max(section, 0), len(self._section_first) - 1)]
        return index

    def find_after(self, index: int, words: str) -> int | None:
        """The first utterance after flat `index` whose shown or spoken text has `words` (any
        case, any spacing), wrapping round to the start; None when none has them."""
        needle = _folded(words)
        if not needle or not self._flat:
            return None
        for step in range(1, self.total + 1):
            found = (index + step) % self.total
            if needle in _folded(self._shown[found]) or needle in _folded(self._flat[found].text):
                return found
        return None

    def _first_utterance_per_section(self, sections: int) -> list[int]:
        """Flat index of each section's first utterance (a section with none: the next one's)."""
        firsts: list[int] = [self.total] * max(sections, 1)
        for i, u in enumerate(self._flat):
            if 0 <= u.section < len(firsts) and firsts[u.section] == self.total:
                firsts[u.section] = i
        for s in range(len(firsts) - 2, -1, -1):
            if firsts[s] == self.total:
                firsts[s] = firsts[s + 1]
        return [min(f, max(self.total - 1, 0)) for f in firsts]


def _folded(text: str) -> str:
    """For finding: case and runs of spaces do not matter; curly quotes match straight ones."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"')
    return " ".join(text.replace("\u201d", '"').split()).casefold()
