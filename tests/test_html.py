"""The HTML reading edition, read back with an HTML5 parser, the real Anki and a real browser.

Expectations come from the loaded content and from what Anki itself renders,
never from the renderer's own tables.
"""

from __future__ import annotations

import base64
import io
import re
import unicodedata
from pathlib import Path

import html5lib
import pytest
from html5lib import serializer, treewalkers

from generator.inline import parse, plain
from generator.load import load
from generator.render import Options, cardview
from generator.render import anki as anki_render
from generator.render.html import render
from tests import chromium as browser
from tests.conftest import CONTENT, import_apkg, starter, write_content

NS = "{http://www.w3.org/1999/xhtml}"
PAGE = "nmn-autophagy.html"


def tag(name: str) -> str:
    return NS + name


def text(el) -> str:
    return " ".join("".join(el.itertext()).split())


def markup_text(markup: str) -> str:
    return " ".join(plain(parse(markup)).split())


def parse_page(data: bytes):
    return html5lib.parse(data, treebuilder="etree", namespaceHTMLElements=True)


def find_all(root, element: str, **attrs):
    out = []
    for el in root.iter(tag(element)):
        if all(el.get(k.rstrip("_")) == v for k, v in attrs.items()):
            out.append(el)
    return out


def by_id(root, ident: str):
    return next(el for el in root.iter() if el.get("id") == ident)


def classes(el) -> set[str]:
    return set((el.get("class") or "").split())


@pytest.fixture(scope="module")
def shipped():
    return load(CONTENT)


@pytest.fixture(scope="module")
def page_bytes(built) -> bytes:
    return (built / PAGE).read_bytes()


@pytest.fixture(scope="module")
def root(page_bytes):
    return parse_page(page_bytes)


def test_build_writes_the_html_edition_by_default(built):
    assert (built / PAGE).is_file()


def test_document_language_title_and_one_h1(root, shipped):
    html = root
    assert html.get("lang") == "en-GB"
    assert text(find_all(root, "title")[0]) == markup_text(shipped.content.article.title)
    h1 = find_all(root, "h1")
    assert len(h1) == 1 and text(h1[0]) == markup_text(shipped.content.article.title)
    assert find_all(root, "meta", name="viewport")


def test_self_contained_no_script_and_nothing_fetched(page_bytes, root):
    assert not find_all(root, "script")
    assert not find_all(root, "link")
    assert not find_all(root, "iframe") and not find_all(root, "object") and not find_all(root, "embed")
    for el in root.iter():
        src = el.get("src") or el.get("{http://www.w3.org/1999/xlink}href") or ""
        assert not src or src.startswith("data:"), src
        if el.tag == tag("a"):
            continue  # links are followed only when a reader clicks them
        assert not (el.get("href") or "").startswith(("http:", "https:", "//"))
    styles = "".join(text(s) for s in root.iter() if s.tag.endswith("style"))
    assert "@import" not in styles
    assert all(url.startswith("data:") for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", styles))


def test_order_follows_the_explainer(root, shipped):
    content = shipped.content
    headings = [text(h) for h in find_all(root, "h2")]
    order = ["Key takeaways", "Contents"]
    order += [markup_text(s.heading) for s in content.sections if s.id != "corrections"]
    order += ["The proposed mechanism, step by step", "Claim by claim: what the evidence shows"]
    order += [markup_text(s.heading) for s in content.sections if s.id == "corrections"]
    order += ["Glossary", "References", "Card preview"]
    assert headings == order


def test_every_section_has_a_heading_and_the_contents_link_to_them(root, shipped):
    nav = find_all(root, "nav")
    assert len(nav) == 1
    links = [a.get("href") for a in find_all(nav[0], "a")]
    for section in shipped.content.sections:
        target = by_id(root, f"s-{section.id}")
        assert f"#s-{section.id}" in links
        heading = next(iter(target))
        assert heading.tag == tag("h2") and text(heading) == markup_text(section.heading)
    for link in links:
        by_id(root, link[1:])  # every contents link has a target


def test_evidence_table_has_header_cells_and_a_row_per_claim(root, shipped):
    claims = shipped.content.claims
    table = find_all(root, "table")
    assert len(table) == 1
    cols = [th for th in find_all(table[0], "th") if th.get("scope") == "col"]
    assert [text(th) for th in cols][:2] == ["The article says", "Verdict"]
    rows = find_all(find_all(table[0], "tbody")[0], "tr")
    assert len(rows) == len(claims)
    marks = {}
    for row, claim in zip(rows, claims):
        header = [th for th in row if th.tag == tag("th")]
        assert len(header) == 1 and header[0].get("scope") == "row"
        assert claim.quote in text(header[0])
        verdict = text([td for td in row if td.tag == tag("td")][0])
        word = claim.verdict.capitalize()
        assert verdict.endswith(word)  # the word, never colour alone
        mark = verdict[: -len(word)].strip()
        assert mark and not mark.isalnum()  # and a mark beside it
        marks.setdefault(claim.verdict, set()).add(mark)
        assert markup_text(claim.statement) in text(row)
    assert all(len(m) == 1 for m in marks.values())  # one mark per verdict
    assert len({m for ms in marks.values() for m in ms}) == len(marks)  # different marks


def test_evidence_at_a_glance_counts_each_verdict(root, shipped):
    claims = shipped.content.claims
    figure = next(f for f in find_all(root, "figure") if "glance" in classes(f))
    assert find_all(figure, "figcaption")
    listed = text(figure)
    for verdict in ("supported", "imprecise", "overstated", "unsupported"):
        count = sum(1 for c in claims if c.verdict == verdict)
        assert f"{verdict.capitalize()} ({count} claim{'' if count == 1 else 's'})" in listed
    claims_section = by_id(root, "x-claims")
    order = [el for el in claims_section.iter() if el.tag in (tag("figure"), tag("table"))]
    assert order[0] is figure  # before the table


def test_diagram_is_an_inline_svg_figure_with_its_steps_as_text(root, shipped):
    section = by_id(root, "x-mechanism")
    figure = find_all(section, "figure")[0]
    assert list(figure.iter("{http://www.w3.org/2000/svg}svg"))
    assert find_all(figure, "figcaption")
    steps = find_all(find_all(figure, "ol")[0], "li")
    assert [markup_text(s.label) for s in shipped.content.pathway] == [text(find_all(li, "strong")[0])
                                                                       for li in steps]
    svg_text = " ".join("".join(t.itertext()) for t in figure.iter("{http://www.w3.org/2000/svg}text"))
    for step in shipped.content.pathway[:1]:
        assert markup_text(step.label).split()[0] in svg_text


def test_glossary_is_a_definition_list_in_alphabetical_order(root, shipped):
    dl = find_all(by_id(root, "x-glossary"), "dl")[0]
    terms = [text(dt) for dt in find_all(dl, "dt")]
    assert len(terms) == len(find_all(dl, "dd")) == len(shipped.content.glossary)

    def key(term: str) -> str:
        folded = "".join(c for c in unicodedata.normalize("NFKD", term) if not unicodedata.combining(c))
        return "".join(c for c in folded.casefold() if c.isalnum() or c.isspace()).strip()

    assert [key(t) for t in terms] == sorted(key(t) for t in terms)


def test_references_have_ids_and_doi_links_and_citations_reach_them(root, shipped):
    ol = find_all(by_id(root, "x-references"), "ol")[0]
    items = find_all(ol, "li")
    refs = shipped.content.references
    assert [li.get("id") for li in items] == [f"ref-{r.id}" for r in refs]
    for li, ref in zip(items, refs):
        if ref.doi:
            assert ref.doi_url in [a.get("href") for a in find_all(li, "a")]
    cites = [a for a in find_all(root, "a") if (a.get("href") or "").startswith("#ref-")]
    assert cites
    ids = {el.get("id") for el in root.iter() if el.get("id")}
    assert all(a.get("href")[1:] in ids for a in cites)


def preview_cards(root) -> dict[tuple[str, int], tuple[str, str]]:
    """(note key, card number) -> (front HTML, back HTML), each serialised from the parsed page."""
    out = {}
    for article in find_all(root, "article"):
        if "preview" not in classes(article):
            continue
        sides = {el.get("data-side"): el for el in article.iter() if el.get("data-side")}
        key = (article.get("data-note"), int(article.get("data-card")))
        assert key not in out
        out[key] = (inner_html(sides["front"]), inner_html(sides["back"]))
    return out


def inner_html(el) -> str:
    """An element's content as HTML (serialised from the parsed page)."""
    walker = treewalkers.getTreeWalker("etree")
    whole = serializer.HTMLSerializer(quote_attr_values="always").render(walker(el))
    return whole[whole.index(">") + 1: whole.rindex("<")]


def serialize_fragment(fragment: str) -> str:
    tree = html5lib.parseFragment(fragment, treebuilder="etree", namespaceHTMLElements=True)
    walker = treewalkers.getTreeWalker("etree")
    s = serializer.HTMLSerializer(quote_attr_values="always", omit_optional_tags=False,
                                  alphabetical_attributes=True)
    return s.render(walker(tree))


def canonical(fragment: str) -> str:
    return serialize_fragment(fragment)


def anki_cards(apkg: Path, tmp_path: Path) -> dict[tuple[str, int], tuple[str, str]]:
    """(note GUID, card number) -> (question, answer) as the real Anki renders them, without
    the stylesheet Anki puts before each side."""
    col, _ = import_apkg(tmp_path / "collection.anki2", apkg)
    out = {}
    try:
        for cid in col.find_cards(""):
            card = col.get_card(cid)
            strip = lambda s: re.sub(r"^<style>.*?</style>", "", s, count=1, flags=re.S)  # noqa: E731
            out[(card.note().guid, card.ord + 1)] = (strip(card.question()), strip(card.answer()))
    finally:
        col.close()
    return out


def compare_preview_with_anki(doc, apkg: Path, page: bytes, tmp_path: Path) -> int:
    real = anki_cards(apkg, tmp_path)
    previews = preview_cards(parse_page(page))
    media = {name: base64.b64encode(data).decode("ascii") for name, data in anki_render.media(doc)}
    compared = 0
    assert len(previews) == len(real)
    for note in anki_render.notes(doc.content):
        for view in cardview.cards(note):
            ident = (note.key, view.ordinal)
            front, back = previews[ident]
            # The page carries the deck's media files as data URIs; Anki names the file.
            for name, data in media.items():
                front = front.replace(f"data:image/svg+xml;base64,{data}", name)
                back = back.replace(f"data:image/svg+xml;base64,{data}", name)
            question, answer = real[(note.guid, view.ordinal)]
            assert canonical(front) == canonical(question), ident
            assert canonical(back) == canonical(answer), ident
            compared += 1
    return compared


def test_card_preview_matches_what_anki_renders(built, page_bytes, shipped, tmp_path):
    compared = compare_preview_with_anki(shipped, built / "nmn-autophagy.apkg", page_bytes, tmp_path)
    assert compared == sum(n.cards for n in anki_render.notes(shipped.content))


def test_card_preview_matches_anki_for_tricky_text(tmp_path):
    from generator.build import build

    data = starter()
    data["cards"].append({"id": "tricky-cloze", "type": "cloze",
                          "text": "Odd {{c1::é → 'q' & <x> [y] \"z\" a/b+c=d%::a & <hint>}} then "
                                  "{{c2::**bold** *it* NAD^{+}}} and {{c3::x_{2} ~!@#$^()-_}}",
                          "extra": "Extra & <e> [sound:x.mp3]"})
    data["cards"].append({"id": "tricky-basic", "type": "reverse", "front": "F & <f> {x} [$]x[/$]",
                          "back": "B \\(x\\) <script>alert(1)</script>", "pathway": True})
    data["glossary"].append({"term": "A & <b>", "definition": "Defined [@" + data["references"][0]["id"] + "]",
                             "reverse": True})
    data["glossary"].append({"term": "A & b", "definition": "The first of two terms that differ only in punctuation."})
    data["glossary"].append({"term": "A + b", "definition": "The second of two terms that differ only in punctuation."})
    content = write_content(tmp_path / "c", data)
    out = tmp_path / "out"
    build([content], out, ["anki", "html"], Options())
    doc = load(content)
    page = (out / PAGE).read_bytes()
    compared = compare_preview_with_anki(doc, out / "nmn-autophagy.apkg", page, tmp_path)
    assert compared == sum(n.cards for n in anki_render.notes(doc.content))
    ids = [el.get("id") for el in parse_page(page).iter() if el.get("id")]
    assert len(ids) == len(set(ids)) + ids.count("answer") - (1 if "answer" in ids else 0)  # Anki's own hr id


def test_text_shows_exactly_as_typed(tmp_path):
    hostile = '<script>alert("x")</script> & AT&T "quoted" <b>not bold</b> &amp;'
    data = starter()
    data["article"]["title"] = "Title " + hostile
    data["sections"][0]["heading"] = "Heading " + hostile
    data["sections"][0]["body"] = "Body " + hostile
    data["glossary"][0]["definition"] = "Definition " + hostile
    data["claims"][0]["note"] = "Note " + hostile
    page = render(load(write_content(tmp_path / "c", data)), Options())
    root = parse_page(page)
    assert not find_all(root, "script")
    body_text = text(find_all(root, "body")[0])
    assert body_text.count(" ".join(hostile.split())) >= 5
    assert text(find_all(root, "title")[0]) == "Title " + hostile


def test_two_builds_are_byte_identical(shipped):
    assert render(shipped, Options()) == render(shipped, Options())


# --- a real browser ------------------------------------------------------------------------

def needs_browser():
    reason = browser.available()
    if reason:
        pytest.skip(f"SKIPPED, browser test not run: {reason}")


@pytest.fixture(scope="module")
def chromium():
    needs_browser()
    b = browser.Browser(width=1000, height=1400)
    yield b
    b.close()


def run_axe(chromium) -> list[dict]:
    chromium.evaluate(browser.AXE.read_text(encoding="utf-8"))
    result = chromium.evaluate(
        "axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map("
        "v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.html)})))",
        wait=True)
    return [v for v in result if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_renders_in_chromium_without_errors_and_passes_axe(chromium, built, scheme):
    from PIL import Image, ImageStat

    reason = browser.axe_missing()
    chromium.call("Emulation.setEmulatedMedia", features=[{"name": "prefers-color-scheme", "value": scheme}])
    chromium.open((built / PAGE).resolve().as_uri())
    assert chromium.problems() == []
    image = Image.open(io.BytesIO(chromium.screenshot(full_page=False))).convert("L")
    assert ImageStat.Stat(image).stddev[0] > 10  # text on a page, not a blank screen
    assert chromium.evaluate("document.querySelectorAll('article.preview').length") > 0
    if reason:
        pytest.skip(f"SKIPPED, accessibility check not run: {reason}")
    assert run_axe(chromium) == []
    assert chromium.problems() == []


def test_fits_a_phone_screen(built):
    needs_browser()
    phone = browser.Browser(width=390, height=844)
    try:
        phone.call("Emulation.setDeviceMetricsOverride", width=390, height=844, deviceScaleFactor=2, mobile=True)
        phone.open((built / PAGE).resolve().as_uri())
        # Nothing wider than the screen but the evidence table, which scrolls in its own box.
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        assert phone.problems() == []
    finally:
        phone.close()


def test_print_stylesheet_hides_the_contents(chromium, built):
    chromium.open((built / PAGE).resolve().as_uri())
    chromium.call("Emulation.setEmulatedMedia", media="print")
    try:
        assert chromium.evaluate("getComputedStyle(document.querySelector('nav')).display") == "none"
    finally:
        chromium.call("Emulation.setEmulatedMedia", media="")
