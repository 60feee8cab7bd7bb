from hypothesis import given, settings, strategies as st

from generator import inline
from generator.inline import Cite, Cloze, Span, Text
from generator.render.markup import to_html, to_reportlab


def test_markup_kinds():
    assert inline.parse("a **b** *c* NAD^{+} H_{2}O") == (
        Text("a "), Span("b", (Text("b"),)), Text(" "), Span("i", (Text("c"),)), Text(" NAD"),
        Span("sup", (Text("+"),)), Text(" H"), Span("sub", (Text("2"),)), Text("O"))


def test_nesting():
    assert inline.parse("**bold *and italic***") == (
        Span("b", (Text("bold "), Span("i", (Text("and italic"),)))),)


def test_unbalanced_markers_are_text():
    for s in ["**open", "close**", "^{open", "a * b * c", "****", "_{", "x}"]:
        assert inline.parse(s) == (Text(s),), s


def test_crossed_markers_keep_outer_span():
    tree = inline.parse("**a ^{b** c}")
    assert tree[0] == Span("b", (Text("a ^{b"),))
    assert inline.unparse(tree) == "**a ^{b** c}"


def test_cloze_and_hint():
    tree = inline.parse("{{c1::NAD^{+}::coenzyme}} and {{c2::SIRT1}}", cloze=True)
    assert tree[0] == Cloze(1, (Text("NAD"), Span("sup", (Text("+"),))), "coenzyme")
    assert inline.cloze_numbers(tree) == {1, 2}
    # outside cloze text, the same characters are literal
    assert inline.cloze_numbers(inline.parse("{{c1::x}}")) == set()


def test_a_deletion_inside_markup_keeps_its_own_markup():
    # "**" right after "{{c1::" opens a bold inside the deletion; it must not close the
    # bold around the deletion, which would leave the deletion's "}}" without its opening
    assert inline.parse("**SIRT1 {{c1::**NAD** levels}}**", cloze=True) == (
        Span("b", (Text("SIRT1 "), Cloze(1, (Span("b", (Text("NAD"),)), Text(" levels"))))),)
    assert inline.parse("*a {{c2::*b* c}} d*", cloze=True) == (
        Span("i", (Text("a "), Cloze(2, (Span("i", (Text("b"),)), Text(" c"))), Text(" d"))),)


def test_markup_left_open_across_a_deletion_is_text():
    # the deletion is read first (as Anki reads it); the stars match nothing and stay text
    assert inline.parse("**a {{c1::b** c}}", cloze=True) == (Text("**a "), Cloze(1, (Text("b** c"),)))
    assert inline.parse("{{c1::*a}} b*", cloze=True) == (Cloze(1, (Text("*a"),)), Text(" b*"))


def test_cloze_hint_splits_at_the_first_double_colon_like_anki():
    (node,) = inline.parse("{{c1::a::b::c}}", cloze=True)
    assert node == Cloze(1, (Text("a"),), "b::c")
    (node,) = inline.parse("{{c1::**x**::hint}}", cloze=True)
    assert node == Cloze(1, (Span("b", (Text("x"),)),), "hint")


def test_citations():
    assert inline.parse("shown [@lee2008].") == (Text("shown "), Cite("lee2008"), Text("."))
    assert inline.cites(inline.parse("[@a] and **[@b]**")) == ["a", "b"]


def test_escaping_per_format():
    s = '<script>alert(1)</script> a < b & "c" **bold**'
    assert to_html(s) == ('&lt;script&gt;alert(1)&lt;/script&gt; a &lt; b &amp; '
                          '&quot;c&quot; <b>bold</b>')
    assert to_reportlab(s) == ('&lt;script&gt;alert(1)&lt;/script&gt; a &lt; b &amp; '
                               '&quot;c&quot; <b>bold</b>')
    assert to_reportlab("NAD^{+}") == "NAD<super>+</super>"
    assert to_html("{{c1::a<b}}", cloze=True) == "{{c1::a&lt;b}}"


def test_hostile_input_is_fast_and_shallow():
    s = "^{*" * 20000 + "}" * 5000
    tree = inline.parse(s)
    assert inline.unparse(tree) == s


markup_text = st.text(alphabet=st.sampled_from(list("ab *^_{}[]@c:1\\<&")) | st.characters(), max_size=200)


@settings(max_examples=400, deadline=None)
@given(markup_text, st.booleans())
def test_parser_never_raises_and_keeps_all_text(s, cloze):
    tree = inline.parse(s, cloze)
    assert inline.unparse(tree) == s
    # every character that is not markup survives into the visible text
    visible = inline.plain(tree)
    markup = "*^_{}" + ("c:0123456789" if cloze else "")
    for ch in s:
        if ch not in markup:
            assert ch in visible


def _texts_are_whole(nodes) -> bool:
    """No empty text and no two texts side by side, at every depth."""
    for before, node in zip((None,) + tuple(nodes), nodes):
        if isinstance(node, inline.Text) and (not node.text or isinstance(before, inline.Text)):
            return False
        if isinstance(node, (inline.Span, inline.Cloze)) and not _texts_are_whole(node.children):
            return False
    return True


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["*", "**", "***", "^{", "_{", "}", "}}", "{{c1::", "{{c2::", "::", "[@a]", "[@",
                                 "a", " ", "x*", " *", "\n"]), max_size=14).map("".join), st.booleans())
def test_each_run_of_text_is_one_text_node(s, cloze):
    # Renderers and the checks read a run of text as one node (a look-alike deletion or a
    # marker split over two nodes would go unseen).
    tree = inline.parse(s, cloze)
    assert _texts_are_whole(tree) and inline.unparse(tree) == s


def test_blocks_paragraphs_and_lists():
    from generator.prose import ListBlock, Paragraph, blocks
    assert blocks("One\nline.\n \t \nTwo.") == (Paragraph("One line."), Paragraph("Two."))
    assert blocks("Steps:\n- a\n  still a\n- b\n\n3. c\n4. d") == (
        Paragraph("Steps:"), ListBlock(False, ("a still a", "b")), ListBlock(True, ("c", "d"), 3))
    # a wrapped line that starts with a number stays prose; "1." may start a list after a line
    assert blocks("published in\n12. The end") == (Paragraph("published in 12. The end"),)
    assert blocks("Do this:\n1. x") == (Paragraph("Do this:"), ListBlock(True, ("x",), 1))
    assert blocks("-not a bullet\n- \n-") == (Paragraph("-not a bullet - -"),)


def test_html_blocks():
    from generator.render.markup import to_html_blocks
    assert to_html_blocks("a\n\n- **b**\n- c", bare=True) == "<p>a</p><ul><li><b>b</b></li><li>c</li></ul>"
    assert to_html_blocks("just *one*", bare=True) == "just <i>one</i>"
    assert to_html_blocks("just one") == "<p>just one</p>"
    kept = to_html_blocks("2. {{c1::x::h}} y\n3. {{c2::z}}", cloze=True)
    assert kept == '<ol start="2"><li>{{c1::x::h}} y</li><li>{{c2::z}}</li></ol>'


def test_a_text_is_parsed_once_however_parse_is_called(monkeypatch):
    # The checks and renderers call parse(s), parse(s, False) and parse(s, cloze=False) for
    # the same text; each form must find what another form parsed.
    calls = []
    original = inline._parse

    def counted(source, cloze):
        calls.append((source, cloze))
        return original(source, cloze)

    monkeypatch.setattr(inline, "_parse", counted)
    text = "a text only this test parses: **b** [@c] {{c1::d}}"
    trees = [inline.parse(text), inline.parse(text, False), inline.parse(text, cloze=False)]
    assert calls == [(text, False)]
    assert trees[0] == trees[1] == trees[2] == tuple(original(text, False))
    trees = [inline.parse(text, True), inline.parse(text, cloze=True), inline.parse(text, 1)]
    assert calls == [(text, False), (text, True)]
    assert trees[0] == trees[1] == trees[2] == tuple(original(text, True))
