"""The regular expressions given to ReportLab in place of its own match exactly what its own match."""

from __future__ import annotations

import ast
import inspect
import re
import subprocess
import sys

from hypothesis import example, given, settings, strategies as st
from reportlab.lib import textsplit
from reportlab.platypus import paragraph

from generator.render.pdf import patterns
from tests.conftest import ROOT

EVERY_CHARACTER = "".join(map(chr, range(sys.maxunicode + 1)))


def _fresh(pattern: str, flags: re.RegexFlag) -> re.Pattern:
    # re.UNICODE is what a str pattern gets anyway; it only keeps re's cache (where the
    # equivalents may be seeded under the plain flags) from answering.
    return re.compile(pattern, flags | re.UNICODE)


def _compiled_in(module, name: str) -> tuple[str, int]:
    """The pattern text and flags ``module`` passes to re.compile for ``name``, read from its source."""
    for node in ast.parse(inspect.getsource(module)).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == name:
            call = node.value
            flags = 0
            for arg in call.args[1:]:
                flags |= getattr(re, arg.attr)
            return ast.literal_eval(call.args[0]), flags
    raise AssertionError(f"{module.__name__}.{name} is not compiled at module level any more")


def test_the_seeded_spellings_are_reportlabs():
    assert _compiled_in(paragraph, "uri_pat") == (patterns.URI, patterns.URI_FLAGS)
    assert _compiled_in(textsplit, "rx") == (patterns.CJK, patterns.CJK_FLAGS)


def test_each_respelt_class_matches_every_character_its_original_matches():
    for original, equivalent in patterns.URI_CLASSES.items():
        assert original in patterns.URI
        assert (_fresh(original, patterns.URI_FLAGS).findall(EVERY_CHARACTER)
                == _fresh(equivalent, patterns.URI_FLAGS).findall(EVERY_CHARACTER)), original
    original, equivalent = patterns.CJK_CLASS
    assert (_fresh(original, patterns.CJK_FLAGS).findall(EVERY_CHARACTER)
            == _fresh(equivalent, patterns.CJK_FLAGS).findall(EVERY_CHARACTER))


def test_the_respelt_patterns_differ_from_the_originals_only_in_those_classes():
    uri = patterns.uri()
    for original, equivalent in patterns.URI_CLASSES.items():
        assert original not in uri
        uri = uri.replace(equivalent, original)
    assert uri == patterns.URI
    assert patterns.cjk().replace(patterns.CJK_CLASS[1], patterns.CJK_CLASS[0]) == patterns.CJK


_host_char = st.one_of(st.sampled_from("abcXYZ09-.é\u212a\u017f\u0130\u0131ßÆ\u4e2d\U00010400\U0001d400 _:@/"),
                       st.characters())
_uri_like = st.builds(lambda scheme, host, tail: scheme + host + tail,
                      st.sampled_from(["https://", "HTTP://", "ftp://", "://", "", "a+b.c-d://", "ht tp://"]),
                      st.text(_host_char, max_size=30),
                      st.sampled_from(["", "/", "/path?q=1#f", ":8080", ":80/x", " tail", "\n"]))


@settings(max_examples=400, deadline=None)
@given(_uri_like)
@example("https://doi.org/10.1016/j.cmet.2016.09.004")
@example("https://xn--bcher-kva.example/")
@example("http://LOCALHOST:8000/")
@example("http://192.168.0.1/")
@example("http://[::1]/")
@example("https://\u212aelvin.\u017fite.org")
@example("https://\U00010400.com")
@example("https://a-.com")
def test_the_respelt_uri_pattern_matches_as_reportlabs(text):
    original, respelt = _fresh(patterns.URI, patterns.URI_FLAGS), _fresh(patterns.uri(), patterns.URI_FLAGS)
    a, b = original.match(text), respelt.match(text)
    assert (a is None) == (b is None)
    if a is not None:
        assert a.span() == b.span() and a.groups() == b.groups()


@settings(max_examples=200, deadline=None)
@given(st.text())
@example("\u2e7f\u2e80\uffff\U00010000")
def test_the_respelt_cjk_pattern_splits_as_reportlabs(text):
    assert (_fresh(patterns.CJK, patterns.CJK_FLAGS).split(text)
            == _fresh(patterns.cjk(), patterns.CJK_FLAGS).split(text))


def test_reportlab_gets_the_respelt_patterns_when_studygen_imports_it():
    code = ("import generator.render.pdf.explainer, generator.render.pdf.cards\n"
            "from reportlab.platypus import paragraph\nfrom reportlab.lib import textsplit\n"
            "from generator.render.pdf import patterns\n"
            "print(paragraph.uri_pat.pattern == patterns.uri(), textsplit.rx.pattern == patterns.cjk())")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True"]


def test_the_cjk_pattern_is_compiled_only_when_reportlab_wraps_cjk_text():
    code = ("import re, generator.render.pdf.explainer\n"
            "from reportlab.lib import textsplit\n"
            "from generator.render.pdf import patterns\n"
            "print((str, patterns.cjk(), int(patterns.CJK_FLAGS)) in re._cache)\n"
            "print(repr(textsplit.rx.sub(r'\\1\\0 ', '\u4e2d\u6587 text \u3042\u3044 more')))\n"
            "print((str, patterns.cjk(), int(patterns.CJK_FLAGS)) in re._cache)\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    first, split, last = out.stdout.splitlines()
    assert (first, last) == ("False", "True")
    # As ReportLab uses it (cjkwrap), with the pattern ReportLab compiles for itself.
    assert split == repr(_fresh(patterns.CJK, patterns.CJK_FLAGS).sub(r"\1\0 ", "\u4e2d\u6587 text \u3042\u3044 more"))
