"""Documentation pages read as their readers see them: code without its line numbers, line
by line, and the parts of a manual that readability misjudges (a list of links under its own
heading, a section whose slug holds a word it distrusts, the later sections of a long page).

WCXB dev's documentation pages are where these came from: twilio's quickstart read
"3from twilio.rest", a Hugo blog read a block "1 2 3 ... 26" before its code, Python's
logging HOWTO lost its last five sections, the kernel's patch guide "Respond to review
comments", and a course index its lists of topics."""

from __future__ import annotations

from helpers.pages import block_texts, page_text

URL = "https://docs.example.org/guide/start"

INTRO = (
    "<p>This guide walks you through sending your first message with the client library, "
    "from installing it to reading the reply that comes back from the service.</p>"
    "<p>Each step shows the code to paste into a new file, and what it prints when it runs "
    "on your own computer with the key from your account settings.</p>"
)
AFTER = (
    "<p>Save the file and run it from the directory that holds it. After a few moments the "
    "message arrives, and the program prints the identifier the service gave it.</p>"
)


def _page(body: str) -> str:
    return (
        "<html><head><title>Send a message</title></head><body>"
        '<nav><a href="/">Home</a> <a href="/docs">Docs</a></nav>'
        f"<main><h1>Send a message</h1>{INTRO}{body}{AFTER}</main>"
        "<footer><p>Copyright Example Corp.</p></footer></body></html>"
    )


def _main_text(html: str) -> str:
    """The text of readability's candidate, as our rules rebuild and clean it."""
    from reader.extract.content import main_content
    from reader.extract.tree import text_of
    from reader.model import Page

    return text_of(main_content(Page(text=html, url=URL)).root)


def _code_blocks(html: str) -> list[str]:
    from reader.extract import extract
    from reader.model import Page

    article = extract(Page(text=html, url=URL))
    return [b.text for s in article.sections for b in s.blocks if b.kind == "code"]


CODE_LINES = [
    "import os",
    "from client import Client",
    "",
    "key = os.environ['KEY']",
    "client = Client(key)",
    "message = client.send('Hello')",
    "print(message.id)",
]
CODE_KEPT = [line for line in CODE_LINES if line]


# ---------------------------------------------------------------- line numbers


def test_unnamed_numbers_opening_each_line_are_left_out() -> None:
    # twilio: each line a <div>, opened by a <span> holding its number, no class that says so
    lines = "".join(
        f'<div class="css-a1"><span class="css-b2">{n}</span>'
        f'<div class="css-c3"><div><span>{line}</span>\n</div></div></div>'
        for n, line in enumerate(CODE_LINES, start=1)
    )
    blocks = _code_blocks(_page(f'<pre class="css-p"><div>{lines}</div></pre>'))
    assert blocks == ["\n".join(CODE_KEPT)]


def test_a_gutter_cell_beside_the_code_is_left_out() -> None:
    # Pygments' "table" line numbers: a cell of numbers, then the cell of code
    numbers = "\n".join(str(n) for n in range(1, len(CODE_LINES) + 1))
    code = "\n".join(CODE_LINES)
    table = (
        '<table class="highlighttable"><tr>'
        f'<td class="linenos"><div class="linenodiv"><pre>{numbers}</pre></div></td>'
        f'<td class="code"><div class="highlight"><pre>{code}</pre></div></td>'
        "</tr></table>"
    )
    html = _page(table)
    assert _code_blocks(html) == ["\n".join(CODE_KEPT)]
    texts = block_texts(html, URL)
    assert not any(text.startswith(("1 2 3", "1\n2")) for text in texts)


def test_a_gutter_pre_without_a_name_is_left_out() -> None:
    # Hugo's chroma: <td class="lntd"><pre><span class="lnt">1\n</span>...</pre></td>
    numbers = "".join(f'<span class="lnt">{n}\n</span>' for n in range(1, len(CODE_LINES) + 1))
    code = "".join(f'<span class="line"><span class="cl">{s}\n</span></span>' for s in CODE_LINES)
    table = (
        '<div class="highlight"><div class="chroma"><table class="lntable"><tr>'
        f'<td class="lntd"><pre tabindex="0" class="chroma"><code>{numbers}</code></pre></td>'
        f'<td class="lntd"><pre tabindex="0" class="chroma"><code>{code}</code></pre></td>'
        "</tr></table></div></div>"
    )
    assert _code_blocks(_page(table)) == ["\n".join(CODE_KEPT)]


def test_named_line_number_spans_inside_the_code_are_left_out() -> None:
    # Pygments' "inline" line numbers, and highlight.js's table of rows drawn by CSS
    inline = "".join(
        f'<span class="linenos">{n}</span>{line}\n' for n, line in enumerate(CODE_LINES, start=1)
    )
    assert _code_blocks(_page(f'<div class="highlight"><pre>{inline}</pre></div>')) == [
        "\n".join(CODE_KEPT)
    ]
    rows = "".join(
        f'<tr><td class="hljs-ln-line hljs-ln-numbers">'
        f'<div class="hljs-ln-n" data-line-number="{n}"></div></td>'
        f'<td class="hljs-ln-line hljs-ln-code">{line}</td></tr>'
        for n, line in enumerate(CODE_LINES, start=1)
    )
    table = f'<table class="hljs-ln"><tbody>{rows}</tbody></table>'
    hljs = f'<pre><code class="hljs">{table}</code></pre>'
    assert _code_blocks(_page(hljs)) == ["\n".join(CODE_KEPT)]


def test_numbers_that_are_the_code_stay() -> None:
    # BASIC's own line numbers count in tens; a number literal inside a line is the code's
    basic = "".join(f"<span>{n}</span> PRINT {n}\n" for n in (10, 20, 30, 40))
    colour = "".join(f'x = <span class="mi">{n}</span>\n' for n in (1, 2, 3, 4))
    blocks = _code_blocks(_page(f"<pre>{basic}</pre><p>And:</p><pre>{colour}</pre>"))
    assert blocks == [
        "10 PRINT 10\n20 PRINT 20\n30 PRINT 30\n40 PRINT 40",
        "x = 1\nx = 2\nx = 3\nx = 4",
    ]


# ---------------------------------------------------------------- a manual's own parts

SENTENCES = (
    "The library reads its settings from the environment when the client is made, so a "
    "change takes effect the next time the program starts. ",
    "Every call returns an object that holds what the service said, and raises an error "
    "with the service's own message when the request was refused. ",
    "Long-running calls can be given a deadline; past it the call is abandoned and the "
    "error says how long it waited before giving up. ",
)


def _prose(paragraphs: int) -> str:
    return "".join(f"<p>{SENTENCES[n % 3]}{SENTENCES[(n + 1) % 3]}</p>" for n in range(paragraphs))


def _sphinx(sections: str) -> str:
    """A page as Sphinx writes it: the document a <section>, its parts <section>s with ids."""
    return (
        "<html><head><title>Client guide</title></head><body>"
        '<div class="sphinxsidebar"><ul><li><a href="/">Contents</a></li></ul></div>'
        '<div class="body" role="main"><section id="client-guide"><h1>Client guide</h1>'
        f"{_prose(1)}{sections}</section></div></body></html>"
    )


def test_a_section_named_after_its_heading_is_kept_whatever_its_name_says() -> None:
    # readability distrusts "comment" in a class or id; here it is the heading's slug
    html = _sphinx(
        f'<section id="making-a-client"><h2>Making a client</h2>{_prose(4)}</section>'
        '<section id="respond-to-review-comments">\n<h2>Respond to review comments</h2>\n'
        "<p>Reviewers answer by email; reply to each point they raise, and say in the next "
        "version what changed since the last one, so they need not look for it.</p></section>"
        f'<section id="errors"><h2>Errors</h2>{_prose(4)}</section>'
    )
    assert "reply to each point they raise" in page_text(html, URL)


def test_the_later_sections_of_a_manual_are_kept_with_the_first() -> None:
    # Sphinx names each section after its heading; readability kept the long ones and
    # dropped the short ones after them (a list of links, one sentence)
    handlers = "".join(
        f'<li><p><a href="/api#{n}">{n}Handler</a> instances send messages to {n}.</p></li>'
        for n in ("Stream", "File", "Socket", "Datagram", "SMTP", "Memory")
    )
    html = _sphinx(
        f'<section id="basics"><h2>Basics</h2>{_prose(8)}</section>'
        f'<section id="advanced-use"><h2>Advanced use</h2>{_prose(8)}</section>'
        '<section id="useful-handlers"><h2>Useful handlers</h2>'
        f'<p>Many useful handlers are provided:</p><ol class="simple">{handlers}</ol></section>'
        '<section id="optimization"><h2>Optimization</h2>'
        "<p>Formatting is deferred until it cannot be "
        "avoided.</p></section>"
    )
    text = page_text(html, URL)
    assert "Many useful handlers are provided:" in text
    assert "SMTPHandler instances send messages to SMTP." in text
    assert "Formatting is deferred until it cannot be avoided." in text
    assert "Contents" not in text  # the sidebar is still not the document


def _part(title: str, paragraphs: int) -> str:
    """A chapter of a manual: a heading, then two headed sections of prose."""
    return (
        f"<section><h2>{title}</h2><section><h3>{title}: first steps</h3>{_prose(paragraphs)}"
        f"</section><section><h3>{title}: next steps</h3>{_prose(paragraphs)}</section></section>"
    )


def test_readability_s_choice_of_chapters_grows_to_the_whole_manual() -> None:
    # readability kept the longest chapter's sections; the document is all the chapters
    html = _sphinx(
        _part("Basics", 4)
        + _part("Advanced use", 6)
        + "<section><h2>Optimization</h2><p>Formatting is deferred until it cannot be "
        "avoided.</p></section>"
    )
    text = _main_text(html)
    assert "Basics: first steps" in text
    assert "Formatting is deferred until it cannot be avoided." in text
    assert "Contents" not in text


def _course(topics: str) -> str:
    return (
        "<html><head><title>Machine learning course</title></head><body>"
        '<div class="header"><a href="/">Home</a> <a href="/courses">Courses</a></div>'
        f'<article><div class="text"><h1>Machine learning course</h1>{_prose(4)}'
        f"<h2>Module 1: Models</h2><p>This module covers the models most used in practice.</p>"
        f"{topics}{_prose(3)}</div></article></body></html>"
    )


def test_a_list_of_links_under_its_own_heading_and_lead_is_kept() -> None:
    # a course index: each topic a heading, a sentence, then its lessons as links
    names = ("Introduction to Naive Bayes", "Gaussian Naive Bayes", "Bernoulli Naive Bayes")
    lessons = "".join(f'<li><a href="/ml/{n}">{name}</a></li>' for n, name in enumerate(names))
    html = _course(
        "<h3>6. Naive Bayes</h3><p>A quick way to classify things based on probability.</p>"
        f"<ul>{lessons}</ul>"
    )
    text = page_text(html, "https://learn.example.org/ml/")
    assert "Gaussian Naive Bayes" in text


def test_a_list_of_links_after_a_paragraph_is_still_dropped() -> None:
    # no heading over it: "See also" links at the end of a paragraph are a link list
    links = "".join(f'<li><a href="/ml/{n}">Related story number {n}</a></li>' for n in range(5))
    html = _course(f"<p>Read more of our stories on the subject.</p><ul>{links}</ul>")
    text = page_text(html, "https://learn.example.org/ml/")
    assert "Related story number 3" not in text


def test_a_list_a_sentence_leads_into_is_kept() -> None:
    # readability drops a list with a link in each item; the sentence before says it is text
    topics = (
        ("Creating and publishing modules", "shows how to collect resources into modules."),
        ("Refactoring and renaming modules", "shows how to move and rename modules."),
        ("Removing a resource from state", "shows how to forget a resource, and keep it."),
    )
    items = "".join(
        f'<li><a href="/t/{n}">{name}</a> {says}</li>' for n, (name, says) in enumerate(topics)
    )
    html = _page(
        "<h2>Manage resources</h2><p>Resources are the most important element of the language.</p>"
        "<p>As your needs change, you may want to add or remove resources, refactor them into "
        "modules, or retire them. Refer to the following topics for more information:</p>"
        f"<ul>{items}</ul>"
    )
    said = "Refactoring and renaming modules shows how to move and rename modules."
    assert said in _main_text(html)  # readability's candidate, before trafilatura's is weighed
    assert said in page_text(html, URL)


def test_a_utility_css_variant_naming_a_sidebar_does_not_make_code_furniture() -> None:
    # GitBook: `[html.theme-bold.sidebar-filled_&]:bg-tint-base` styles the code block for
    # pages whose sidebar is filled; the block is no sidebar
    tailwind = (
        "relative overflow-auto border p-2 [grid-area:2/1] "
        "[html.theme-bold.sidebar-filled_&]:bg-tint-base rounded-md shadow-xs"
    )
    html = _page(f'<pre class="{tailwind}"><code>nvm install 20.2.0\nnvm use 20.2.0</code></pre>')
    assert _code_blocks(html) == ["nvm install 20.2.0\nnvm use 20.2.0"]
    sidebar = '<div class="sidebar lg:w-64"><a href="/a">Chapter one</a> <a href="/b">Two</a></div>'
    assert "Chapter one" not in page_text(_page(sidebar), URL)  # a real one still goes


def test_a_directory_of_links_under_a_heading_is_not_the_document() -> None:
    # "Movers in nearby cities": hundreds of links under a heading are the site's index
    cities = "".join(f'<li><a href="/movers/{n}">Town {n} movers</a></li>' for n in range(60))
    html = _course(f"<h3>Movers in nearby cities</h3><ul>{cities}</ul>")
    assert "Town 42 movers" not in _main_text(html)


def test_the_page_s_own_table_of_contents_is_kept() -> None:
    # react.dev: the outline of the page, links to its sections, at the top of the document
    places = ("Reference", "Usage", "Adding state to a component", "Troubleshooting")
    outline = "".join(f'<li><a href="#{p.lower().replace(" ", "-")}">{p}</a></li>' for p in places)
    html = _page(f"<ul>{outline}</ul><h2>Reference</h2>{_prose(3)}<h2>Usage</h2>{_prose(3)}")
    assert "Adding state to a component" in _main_text(html)
    assert "Adding state to a component" in page_text(html, URL)


def _tab_panel(language: str, inside: str) -> str:
    return (
        f'<div role="tabpanel" hidden="" style="display:none" aria-label="{language}">'
        f"{inside}</div>"
    )


def test_a_hidden_code_tab_with_a_version_picker_is_opened() -> None:
    # twilio: each language's steps in a hidden tab, the code sample under a <select>
    picker = "<select><option>SDK 9.x</option><option>SDK 8.x</option></select>"
    steps = (
        "<ol><li><p>Create and open a new file called send_sms.rb anywhere on your machine "
        "and paste in the following code:</p>"
        f"{picker}<pre>require 'twilio-ruby'\nclient = Twilio::REST::Client.new</pre></li>"
        "<li><p>Save the file and run it from the directory that holds it.</p></li></ol>"
    )
    tabs = (
        '<div role="tablist"><span role="tab">Python</span><span role="tab">Ruby</span></div>'
        '<div role="tabpanel"><p>Create and open a new file called send_sms.py anywhere on '
        "your machine and paste in the following code.</p></div>" + _tab_panel("Ruby", steps)
    )
    text = page_text(_page(tabs), URL)
    assert "Create and open a new file called send_sms.rb" in text
    assert "client = Twilio::REST::Client.new" in text


def test_a_hidden_tab_of_filters_stays_hidden() -> None:
    picker = "<select><option>Newest</option><option>Oldest</option></select>"
    filters = _tab_panel("Sort", f"<p>Sort by</p>{picker}<p>Show only</p><p>Open issues</p>")
    tabs = '<div role="tablist"><span role="tab">Text</span><span role="tab">Sort</span></div>'
    text = page_text(_page(tabs + filters), URL)
    assert "Sort by" not in text


def test_a_section_whose_heading_carries_its_slug_is_kept() -> None:
    # Google's docs: one <section> per role, the id on its heading, its guidance a box of
    # linked tasks that readability drops
    def role(name: str, tasks: tuple[str, ...]) -> str:
        slug = name.lower().replace(" ", "-")
        box = "".join(
            f'<div><a href="/docs/{n}">{task}</a> with the console.</div>'
            for n, task in enumerate(tasks)
        )
        return f'<section><h3 id="{slug}">{name}</h3><div class="tasks">{box}</div></section>'

    html = _page(
        f"<h2>Explore by role</h2>{_prose(3)}"
        + role("Data analyst", ("Query data", "Visualize the results"))
        + role("Data scientist", ("Train a model", "Evaluate a trained model"))
        + _prose(3)
    )
    text = _main_text(html)
    assert "Evaluate a trained model with the console." in text
    assert "Data scientist" in text


def test_a_course_page_of_headed_parts_is_read_whole() -> None:
    # readability keeps the lectures' table; the course's details and news are as much its text
    rows = "".join(
        f"<tr><td>Sep {n}</td><td>Lecture {n}: tensors, sums of squares, robust statistics, "
        f"and the methods, proofs, and examples that go with them</td>"
        f'<td><a href="/notes/{n}.pdf">notes</a>, <a href="/slides/{n}.pdf">slides</a></td></tr>'
        for n in range(1, 25)
    )
    html = (
        "<html><head><title>CS 224 Fall 23</title></head><body><div id='content'>"
        "<div id='pagetitle'><img src='logo.png'><h3>Algorithms for Data Science</h3></div>"
        "<div><h4>Course Details</h4><p>This is a graduate-level topics class on algorithmic "
        "challenges arising in modern machine learning and data science.</p>"
        "<p><b>Time/Location:</b> MW 2:15-3:30</p></div><hr>"
        "<div><h4>Announcements</h4><ul><li>10/24: Pset 4 is out, see below.</li>"
        "<li>10/10: Pset 3 is out, see below.</li></ul></div><hr>"
        f"<div><h4>Lectures</h4><table>{rows}</table></div>"
        "</div></body></html>"
    )
    text = _main_text(html)
    assert "Lecture 12: tensors" in text
    assert "This is a graduate-level topics class" in text
    assert "Pset 4 is out" in text


def test_the_head_of_a_document_beside_its_body_is_kept() -> None:
    # MDN: the <h1> and the lead paragraphs in a box of their own, the sections after it
    sections = "".join(
        f'<section><h2 id="part-{n}">Part {n}</h2>{_prose(4)}</section>' for n in range(1, 4)
    )
    html = (
        "<html><head><title>Using the Fetch API</title></head><body><main>"
        "<div class='layout__header'><h1>Using the Fetch API</h1><section><p>The Fetch API "
        "provides a JavaScript interface for making HTTP requests and processing the "
        "responses.</p><p>Fetch is the modern replacement for XMLHttpRequest.</p></section></div>"
        '<aside class="sidebar"><a href="/a">Guides</a></aside>'
        f"<div class='layout__body'>{sections}</div></main></body></html>"
    )
    text = _main_text(html)
    assert "Fetch is the modern replacement for XMLHttpRequest." in text
    assert "Guides" not in text
