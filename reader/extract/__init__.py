"""From a fetched page to a sectioned Article, one module a stage.

HTML pages (`article.extract` drives them, `content.main_content` finds the article):

    parse        untrusted HTML into an lxml document, deep nesting flattened
    metadata     the page's language and title
    semantics    ARIA headings as h1-h6, formulas as their text, heading anchors gone
    footnotes    markers out of sentences, the notes gathered in a last section
    threads      a forum thread's posts, each titled by author and date
    boilerplate  scripts, furniture tags, hidden and furniture-named blocks go
                 (accordions: toggles kept as text, panels opened; names: the name rules;
                 telltales: furniture told by its text)
    codelines    code blocks line by line, without their line-number gutters
    readable     readability-lxml's choice, rebuilt from the original nodes
                 (rescue: the prose its cleaning dropped from inside that choice;
                 listicles: the whole article when it took one in pieces;
                 docsections: a document's parts it misjudged, kept)
    cleanup      what readability let through, on the small article tree
                 (credits: picture credits, twice-given captions, a publication's appeals
                 and staff lines; popups: hover cards inside a sentence)
    sections     the tree as navigable sections: `walk` (tree -> items), `assemble`
                 (items -> sections), `items` and `markup` (what both read)
    candidates   trafilatura's choice or a thread's posts, when they hold clearly more
    prose        is it an article: prose, not menus; words, not binary junk

Plain text pages: `plain`. Rules about how markup looks (bold, hidden, useless alt text):
`html_rules`; small facts about a tree: `tree`.
"""

from reader.extract.article import extract, load_article
from reader.extract.jsonld import faq_questions
from reader.extract.prose import NO_ARTICLE

__all__ = ["NO_ARTICLE", "extract", "faq_questions", "load_article"]
