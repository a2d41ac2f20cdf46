"""Structure spoken (issue 12 item 1): the cues, rows as header: value pairs, numbered items,
code with its symbols named, in the article's language, and the setting that turns cues off.
The hand-written pages of tests/fixtures/structure go through the real extraction and speech
text; what the app and `reader text` say is checked in test_structure_app and _cli."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

import pytest

from reader.cues import cue_words
from reader.extract import extract, load_article
from reader.model import Article, Block, Page, Section
from reader.reading.display import display_texts
from reader.settings import Settings, load_settings, save_settings, settings_from_dict
from reader.speech import article_utterances, normalise
from reader.speech.structure import row_in_full
from reader.ui.widgets import paragraph_starts

PAGES = Path(__file__).parent / "fixtures" / "structure"


def page(name: str) -> Article:
    return load_article(str(PAGES / name))


def said(article: Article, title: str, cues: bool = True) -> list[str]:
    """What is said of the section titled `title`, after its title."""
    index = next(i for i, s in enumerate(article.sections) if s.title == title)
    return [u.text for u in article_utterances(article, cues)[index][1:]]


NATALIZUMAB = normalise("Natalizumab")  # respelt for eSpeak ("Natta lizzoomab")


# ------------------------------------------------------------------ tables


def test_dosing_table_is_announced_and_read_as_header_value_pairs() -> None:
    assert said(page("dosing.html"), "Doses at a glance")[2:8] == [
        "Table, 4 rows, 3 columns.",
        "Usual infusion doses",
        f"Drug: {NATALIZUMAB}; Dose: 300 milligrams; How often: every four weeks",
        f"Drug: {normalise('Ocrelizumab')}; Dose: 600 milligrams; How often: every six months",
        f"Drug: {normalise('Alemtuzumab')}; Dose: 12 milligrams; How often: daily for five days",
        "Drug: Rituximab; Dose: 1000 milligrams; How often: every six months",
    ]


def test_a_table_followed_by_text_says_it_is_left_one_at_the_section_end_does_not() -> None:
    article = page("dosing.html")
    glance = said(article, "Doses at a glance")
    assert glance[8:10] == [
        "Out of table.",
        "Ask your nurse if you are not sure which drug you receive.",
    ]
    older = said(article, "Older drugs")
    assert older[-3:] == [
        "Table, 2 rows, 2 columns.",
        "Drug: Cladribine; Dose: 10 milligrams",
        "Drug: Fingolimod; Dose: 0.5 milligrams",
    ]


def test_a_long_table_says_headers_first_then_only_when_they_change() -> None:
    rows = said(page("dosing.html"), "A year of infusions")[1:12]
    nat = NATALIZUMAB
    assert rows == [
        "Table, 9 rows, 3 columns.",
        f"Month: January; Drug: {nat}; Dose: 300 milligrams",  # the first three rows in full
        f"Month: February; Drug: {nat}; Dose: 300 milligrams",
        f"Month: March; Drug: {nat}; Dose: 300 milligrams",
        f"April; {nat}; 300 milligrams",  # then values alone, in column order
        f"May; {nat}; 300 milligrams",
        f"June; {nat}; 300 milligrams",
        f"Month: July; Drug: {nat}; Reduced dose: 150 milligrams",  # a header row changed them
        f"August; {nat}; 150 milligrams",
        "Month: September; Reduced dose: no infusion",  # an empty cell: values no longer line up
        "Out of table.",
    ]


def test_a_row_said_in_full_for_a_listener_who_jumped_in() -> None:
    article = page("dosing.html")
    (year,) = [s for s in article.sections if s.title == "A year of infusions"]
    april = next(b for b in year.blocks if b.text.startswith("April"))
    assert row_in_full(april) == "Month: April; Drug: Natalizumab; Dose: 300 mg"


def test_a_table_of_facts_reads_each_row_header_as_its_label() -> None:
    article = extract(
        Page(
            "<html><body><article><h1>Cane</h1><p>A folding cane with a seat, for walks that "
            "need a rest now and then, light enough to carry all day long.</p><table>"
            "<tr><th>Weight</th><td>1.1 kg</td></tr><tr><th>Height</th><td>84 cm</td></tr>"
            "</table></article></body></html>",
            "file:///cane.html",
        )
    )
    assert [u.text for u in article_utterances(article, True)[0]][-3:] == [
        "Table, 2 rows, 2 columns.",
        "Weight: 1.1 kilograms",
        "Height: 84 centimetres",
    ]


def test_layout_tables_say_no_table_cue() -> None:
    day = said(page("dosing.html"), "On the day")
    assert not any(text.startswith("Table") for text in day)
    assert "Drink a glass of water too." in day


# ------------------------------------------------------------------ lists, quotes, code


def test_nested_ordered_and_unordered_lists() -> None:
    assert said(page("lists.html"), "The day before") == [
        "Start the evening before your appointment.",
        "List, 3 items.",
        "1. Drink plenty of water.",
        "2. Sleep well.",
        "Nested list, 2 items.",
        "Go to bed early.",
        "Leave screens alone.",
        "List level 3, 1 item.",
        "Phones too.",
        "Out of nested list.",
        "3. Pack a bag.",
        "Put a snack in it.",
        "Out of list.",
        "Then set an alarm, so you are not late.",
    ]


def test_numbers_follow_the_page_and_two_lists_are_two() -> None:
    assert said(page("lists.html"), "At the clinic")[1:] == [
        "List, 2 items.",
        "4. Check in at the desk.",
        "5. Wait to be called.",
        "Out of list.",
        "List, 1 item.",
        "Bring your insurance card.",
    ]


def test_quote_and_end_of_quote() -> None:
    assert said(page("lists.html"), "What patients say") == [
        "We asked readers how their first infusion went.",
        "Quote.",
        "It changed my life.",
        "I feel better every month.",
        "End of quote.",
        "Most readers said the first one was the hardest.",
    ]


def test_code_is_announced_with_its_lines_and_read_with_symbols_named() -> None:
    assert said(page("lists.html"), "For developers")[1:4] == [
        "Code, 2 lines.",
        "def dose left paren weight right paren colon",
        "return weight star 2 dot 5",
    ]


def test_footnotes_section_is_a_numbered_list() -> None:
    assert said(page("lists.html"), "Footnotes") == [
        "List, 1 item.",
        "1. Rounding down keeps every dose on the safe side.",
    ]


def test_a_french_article_hears_its_cues_in_french() -> None:
    article = page("french.html")
    assert said(article, "Les doses")[1:5] == [
        "Tableau, 2 lignes, 3 colonnes.",
        f"Médicament: {NATALIZUMAB}; Dose: 300 milligrams; Fréquence: toutes les quatre semaines",
        "Médicament: Ocrélizumab; Dose: 600 milligrams; Fréquence: tous les six mois",
        "Fin du tableau.",
    ]
    assert said(article, "La veille") == [
        "Quelques conseils de patients pour bien se préparer.",
        "Liste, 2 éléments.",
        "1. Buvez de l'eau.",
        "Sous-liste, 2 éléments.",
        "Un demi-litre.",
        "Pas de café.",
        "Fin de sous-liste.",
        "2. Dormez bien.",
        "Fin de liste.",
        "Puis préparez votre sac.",
        "Citation.",
        "La perfusion a changé ma vie.",
        "Fin de citation.",
        "Beaucoup de lecteurs disent la même chose.",
        "Code, 1 ligne.",
        "dose égal poids étoile 2 point 5 point-virgule",
        "Ce calcul ne remplace pas l'avis d'un médecin.",
    ]
    assert said(article, "Notes") == [
        "Liste, 1 élément.",
        "1. Enquête menée auprès de nos lecteurs en 2025.",
    ]


@pytest.mark.parametrize(
    ("language", "list_cue", "table_cue", "quote"),
    [
        ("de", "Liste, 2 Einträge.", "Tabelle, 1 Zeile, 2 Spalten.", "Zitat."),
        ("es", "Lista, 2 elementos.", "Tabla, 1 fila, 2 columnas.", "Cita."),
        ("it", "Elenco, 2 voci.", "Tabella, 1 riga, 2 colonne.", "Citazione."),
        ("fr-CA", "Liste, 2 éléments.", "Tableau, 1 ligne, 2 colonnes.", "Citation."),
        ("en-GB", "List, 2 items.", "Table, 1 row, 2 columns.", "Quote."),
        ("fi", "List, 2 items.", "Table, 1 row, 2 columns.", "Quote."),  # none for Finnish yet
    ],
)
def test_cues_in_each_language(language: str, list_cue: str, table_cue: str, quote: str) -> None:
    prose = (
        "<p>Un texte assez long pour être un article, avec plusieurs mots, et encore quelques "
        "mots de plus ici, pour que la page soit lue comme un article.</p>"
    )
    html = (
        f"<html lang='{language}'><body><article><h1>Titre</h1>{prose}<ul><li>Une infirmière "
        "vous accueille à l'entrée.</li><li>Elle vous installe dans un fauteuil.</li></ul>"
        f"{prose}<table><tr><th>Nom</th><th>Dose</th></tr><tr><td>Un</td><td>2</td></tr>"
        f"</table>{prose}<blockquote><p>Dit.</p></blockquote>{prose}</article></body></html>"
    )
    spoken = [u.text for u in article_utterances(extract(Page(html, "file:///x.html")), True)[0]]
    assert list_cue in spoken and table_cue in spoken and quote in spoken


def test_every_language_has_every_cue_word() -> None:
    tables = tomllib.loads(
        resources.files("reader").joinpath("data", "cues.toml").read_text(encoding="utf-8")
    )
    english = set(tables["en"])
    for code in ("fr", "de", "es", "it"):
        assert set(tables[code]) == english, code
        words = cue_words(code)
        assert words.language == code
        assert words.say("list", items=5) != cue_words("en").say("list", items=5)
        assert words.say("code", lines=1) != words.say("code", lines=12)  # both forms given


def test_cue_words_fill_counts_and_name_symbols() -> None:
    english = cue_words("en")
    assert english.say("list", items=1) == "List, 1 item."
    assert english.say("table", rows=4, columns=3) == "Table, 4 rows, 3 columns."
    assert english.symbol_words("a[0] <= b; // ====") == (
        "a left bracket 0 right bracket less than equals b semicolon slash slash 4 equals"
    )


# ------------------------------------------------------------------ what the app is given


def test_cues_are_utterances_of_their_own_kind_tied_to_their_block() -> None:
    article = page("lists.html")
    index = next(i for i, s in enumerate(article.sections) if s.title == "The day before")
    utterances = article_utterances(article, True)[index]
    cue = next(u for u in utterances if u.text == "List, 3 items.")
    first = utterances[utterances.index(cue) + 1]
    assert cue.kind == "cue" and first.kind == "sentence" and cue.block == first.block
    out = next(u for u in utterances if u.text == "Out of list.")
    last = utterances[utterances.index(out) - 1]  # "Put a snack in it."
    assert out.kind == "cue" and out.block == last.block  # it ends the list, not the paragraph
    assert [u.sentence for u in utterances] == list(range(len(utterances)))


def test_the_screen_shows_the_page_words_of_rows_and_the_cues_as_said() -> None:
    article = page("dosing.html")
    utterances = article_utterances(article, True)
    shown = display_texts(article, utterances)
    assert [len(s) for s in shown] == [len(u) for u in utterances]
    glance = shown[1]
    assert "Table, 4 rows, 3 columns." in glance
    assert "Drug: Natalizumab; Dose: 300 mg; How often: every four weeks" in glance
    code = display_texts(page("lists.html"), article_utterances(page("lists.html"), True))
    assert "return weight * 2.5" in code[4] and "1. Drink plenty of water." in code[1]


def test_a_cue_starts_the_paragraph_of_its_block_on_screen() -> None:
    article = page("lists.html")
    utterances = article_utterances(article, True)[1]
    starts = paragraph_starts(article, 1)
    number = {u.text: u.sentence for u in utterances}
    assert number["List, 3 items."] in starts and number["1. Drink plenty of water."] not in starts
    assert number["Out of list."] not in starts
    assert number["Then set an alarm, so you are not late."] in starts


# ------------------------------------------------------------------ the setting


def test_cues_off_leave_the_text_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READER_CONFIG_DIR", str(tmp_path))
    (tmp_path / "settings.toml").write_text("structure_cues = false\n")
    article = page("lists.html")
    quiet = [u.text for section in article_utterances(article) for u in section]
    assert not any(u.kind == "cue" for section in article_utterances(article) for u in section)
    assert "List, 3 items." not in quiet and "Quote." not in quiet and "Code, 2 lines." not in quiet
    assert "1. Drink plenty of water." in quiet  # the numbers are the page's own
    assert "return weight star 2 dot 5" in quiet
    rows = [u.text for s in article_utterances(page("dosing.html")) for u in s]
    assert f"Drug: {NATALIZUMAB}; Dose: 300 milligrams; How often: every four weeks" in rows
    assert not any(text.startswith("Table,") for text in rows)
    (tmp_path / "settings.toml").write_text("structure_cues = true\n")
    loud = [u.text for section in article_utterances(article) for u in section]
    assert "List, 3 items." in loud


def test_the_setting_is_validated_and_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READER_CONFIG_DIR", str(tmp_path))
    settings, messages = settings_from_dict({"structure_cues": "no"})
    assert settings.structure_cues is True
    assert messages == ["The structure_cues setting must be true or false; using true."]
    save_settings(Settings(structure_cues=False))
    assert "structure_cues = false" in (tmp_path / "settings.toml").read_text()
    assert load_settings()[0].structure_cues is False


def test_hand_made_blocks_without_places_say_no_cues() -> None:
    article = Article(
        "T", "en", "s", [Section("T", 1, "intro", [Block("list_item", "One"), Block("quote", "Q")])]
    )
    assert [u.text for u in article_utterances(article, True)[0]] == ["T", "One", "Q"]
