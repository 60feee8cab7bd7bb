"""Card-writing checks: warnings about flashcards that are hard to learn well.

The rules follow established advice on writing spaced-repetition items:
P. Wozniak, "Effective learning: Twenty rules of formulating knowledge"
(SuperMemo, 1999) -- above all the minimum information principle, avoiding
sets and enumerations, and combating interference -- and the Anki manual's
advice on keeping cards simple.  See README, "Card-writing checks".

Each rule looks at the cards a learner actually studies (generator.study), so a
reversed note is judged in both directions and a cloze note once per deletion.
The checks read text only; nothing here renders anything.
"""

from __future__ import annotations

import re
from functools import lru_cache

from generator import inline
from generator.errors import Problem
from generator.model import ClozeCard, Content
from generator.record import Record
from generator.study import study_cards

# The rules an author may name in a card's `allow` list, with the one-line hint
# each warning ends with.
RULES = {
    "yes-no": "ask for the fact itself (what, which, how many); a yes/no answer is half guessed",
    "giveaway": "reword the prompt so that it does not contain the answer's words",
    "either-or": "ask an open question; a choice offered in the prompt is half guessed",
    "long-answer": "split it into cards with one short answer each (minimum information principle)",
    "long-cloze": "delete a key word or short phrase, not a whole clause",
    "set": "ask for one item per card, or delete each item in its own cloze",
    "reverse-sentence": "make both sides a term or short phrase, or make the card basic",
    "near-duplicate": "merge the two cards, or make their prompts clearly different",
    "function-word": "delete a content word (a name, number or term), not a grammatical word",
    "about-document": "ask about the subject itself; a card outlives the document it came from",
}

# An answer longer than this is not one item: it cannot be recalled word for word,
# so the learner grades a vague gist (Wozniak's rule 4, the minimum information
# principle).  Fifteen words is about one spoken clause with a qualifier.
LONG_ANSWER_WORDS = 15
# A deletion longer than this is a phrase to reproduce, not a word to recall.
CLOZE_MAX_WORDS = 5
# A reverse card's back becomes a prompt; past this length it is a sentence or a
# description, not a term, and the other direction asks to recall a paraphrase.
REVERSE_MAX_WORDS = 10
# Share of an answer's content words that may appear in its own prompt.  Two of
# three already reveal most of the answer; "Complex I" after "which complex"
# (one of two) does not.
GIVEAWAY_SHARE = 2 / 3
# Two cards with the same answer whose prompts share at least this share of
# their content words (Jaccard) teach one fact twice and interfere (rule 11).
NEAR_DUPLICATE_SIMILARITY = 0.5
# Items in a list answer from which it counts as a set (rules 9 and 10).
SET_ITEMS = 3

# Openers of a question answered by yes or no.
AUXILIARIES = frozenset(
    "am is are was were be been do does did has have had can could will would shall should may might must"
    .split())
YES_NO_ANSWERS = frozenset("yes no not never none neither nor true false".split())
# Grammatical words: they carry no fact, so they neither give an answer away nor
# make a good deletion.  Numbers are deliberately absent: they are facts.
FUNCTION_WORDS = frozenset("""
a an the and or but nor so yet if then than that this these those there here
of in on at to from by with without for into onto out over under about after before
between through during within among against per via up down off as like
is am are was were be been being do does did done has have had having can could will would
shall should may might must not no
it its they them their theirs he him his she her hers we us our you your i me my
which what who whom whose when where why how whether while whereas although though because
also only just very more most less least much many some any each every all both either neither
such same other another own one's own
""".split())
# Words that open a subordinate or coordinate clause.
CLAUSE_OPENERS = frozenset(
    "because although though while whereas which that who when where if unless so since after before until"
    .split())
PRONOUN_SUBJECTS = frozenset("it they this these those he she we you there".split())
ROMAN = re.compile(r"^(?:I|II|III|IV|V|VI|VII|VIII|IX|X)$")
WORD = re.compile(r"[^\W_]+(?:['’\-+][^\W_]+)*\+?")
ABOUT_DOCUMENT = re.compile(
    r"\b(?:reviewed here|(?:this|the present) (?:article|review|document|explainer|handout|deck|section|"
    r"chapter|text|paper|page|summary|brief)|the article|(?:see|as (?:discussed|mentioned|noted|shown)) "
    r"(?:above|below|earlier))\b", re.IGNORECASE)
LIST_ANSWER = re.compile(r"^[^,;]+(?:,\s*[^,;]+){%d,},?\s+(?:and|or)\s+[^,;]+$" % (SET_ITEMS - 2))


class Item(Record):
    """One studied card: what it shows and what the learner must recall."""

    where: str  # key path of the note, e.g. "cards[3](id=nmn-atp)"
    note: str
    label: str  # which card of the note, for the message
    kind: str
    prompt: str  # plain text
    answer: str  # plain text
    allow: frozenset


def check(content: Content) -> list[Problem]:
    """Every card-writing warning for ``content``, in card order."""
    items = _items(content)
    found: list[tuple[str, str, str, str]] = []  # (where, note, rule, message)
    for item in items:
        for rule, message in _item_rules(item):
            found.append((item.where, item.note, rule, f"{item.label}: {message}" if item.label else message))
    found += _note_rules(content)
    found += _duplicates(items)
    allowed = {item.note: item.allow for item in items}
    seen = set()
    problems = []
    for where, note, rule, message in found:
        if rule in allowed.get(note, ()) or (where, rule, message) in seen:
            continue
        seen.add((where, rule, message))
        problems.append(Problem(where, f"{rule}: {message}; {RULES[rule]}"))
    order = {item.where: n for n, item in enumerate(items)}
    return sorted(problems, key=lambda p: order.get(p.where, 0))


def unknown_rules(names: list[str]) -> list[tuple[int, str]]:
    """(index, message) for every name in an `allow` list that is not a rule."""
    import difflib  # only messages need it: not imported by builds that have none
    out = []
    for i, name in enumerate(names):
        if name not in RULES:
            close = difflib.get_close_matches(name, list(RULES), n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            out.append((i, f"unknown card rule {name!r}; {hint}rules: {', '.join(RULES)}"))
    return out


# ---------------------------------------------------------------- words


@lru_cache(maxsize=65536)  # each rule reads the words of the same prompts and answers
def words(text: str) -> tuple[str, ...]:
    return tuple(WORD.findall(text))


_ENDINGS = ("s", "d", "g")  # the last letters of "'s" and of every suffix ``stem`` takes off


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude English stem, enough to match "lysosomes" with "lysosome"."""
    w = word.lower().replace("’", "'").rstrip("+")
    if not w.endswith(_ENDINGS):  # no suffix below ends otherwise: most words, answered at once
        return w
    if w.endswith("'s"):
        w = w[:-2]
    for suffix, keep in (("ies", "y"), ("sses", "ss"), ("es", ""), ("s", ""), ("ed", ""), ("ing", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3 and not (suffix == "s" and w.endswith("ss")):
            if suffix == "es" and not w[:-2].endswith(("s", "x", "ch", "sh", "z")):
                continue
            return w[: len(w) - len(suffix)] + keep
    return w


@lru_cache(maxsize=65536)
def content_words(text: str, parts: bool = False) -> tuple[str, ...]:
    """Stems of the words that carry meaning (a roman numeral like the I of "Complex I" counts).

    With ``parts``, the parts of hyphenated words count too ("spindle-shaped" shows "spindle").
    """
    if parts:
        # The stems without parts, and those of the parts after them: the rules ask for both
        # forms of one prompt, and text without a hyphen has no parts.
        plain = content_words(text)
        if "-" not in text:
            return plain
        found = [w for w in words(text) if "-" in w and (w.lower() not in FUNCTION_WORDS or ROMAN.match(w))]
        return plain + tuple(stem(part) for w in found for part in w.split("-") if part.lower() not in FUNCTION_WORDS)
    return tuple(filter(None, map(_content_stem, words(text))))


@lru_cache(maxsize=65536)  # thousands of texts share a few thousand words
def _content_stem(word: str) -> str | None:
    """The stem of a word that carries meaning, None for a grammatical one (stems are never empty)."""
    return stem(word) if word.lower() not in FUNCTION_WORDS or ROMAN.match(word) else None


def _same(a: str, b: str) -> bool:
    """Equal stems, or one a prefix of the other by at most two letters ("controll", "control")."""
    if a == b:
        return True
    if len(a) > len(b):
        a, b = b, a
    return len(a) >= 5 and len(b) - len(a) <= 2 and b.startswith(a)


def _contains(stems, word: str) -> bool:
    """Whether some stem in ``stems`` is ``_same`` as ``word``."""
    return word in _near(frozenset(stems)) or any(
        len(word) - cut >= 5 and word[:-cut] in stems for cut in (1, 2))


@lru_cache(maxsize=4096)
def _near(stems: frozenset) -> frozenset:
    """The stems and their forms one or two letters shorter (at least five letters long)."""
    return stems | {s[:-cut] for s in stems for cut in (1, 2) if len(s) - cut >= 5}


def _acronym_in(acronym: str, text: str) -> bool:
    """"NR" is named in a text that says "nicotinamide riboside": consecutive words, their initials."""
    letters = acronym.lower()
    if len(letters) < 2:
        return False
    initials, spelled_out = _spelled(text)
    return any(all(spelled_out[i:i + len(letters)]) and "".join(initials[i:i + len(letters)]).lower() == letters
               for i in range(len(initials) - len(letters) + 1))


@lru_cache(maxsize=1024)
def _spelled(text: str) -> tuple[tuple[str, ...], tuple[bool, ...]]:
    """The initial of each word of letters in ``text``, and whether the word may stand for one
    letter of an acronym (three letters or more, not itself in capitals)."""
    spelled = re.findall(r"[^\W\d_]+", text)
    return tuple(w[0] for w in spelled), tuple(len(w) >= 3 and not w.isupper() for w in spelled)


# ---------------------------------------------------------------- items


@lru_cache(maxsize=65536)  # a note's texts are read for each of its cards and for the note
def _plain(text: str) -> str:
    if "*" not in text and "{" not in text:  # text and citations only, shown as written
        return " ".join(text.split())
    return " ".join(inline.plain(inline.parse(text)).split())


def _cloze_sides(text: str, number: int) -> tuple[str, str]:
    """The prompt (that deletion blanked, the others shown) and the deleted text."""
    answers: list[str] = []
    prompt = _blanked(inline.parse(text, cloze=True), number, answers)
    return " ".join(prompt.split()), " … ".join(" ".join(a.split()) for a in answers)


def _blanked(nodes, number: int, answers: list[str]) -> str:
    """The text of ``nodes`` with deletion ``number`` blanked; its answers added to ``answers``.
    (A module function: a nested function calling itself is a reference cycle left behind.)"""
    out = []
    for node in nodes:
        if isinstance(node, inline.Cloze) and node.number == number:
            answers.append(inline.plain(node.children))
            out.append(" [...] ")
        elif isinstance(node, inline.Text):
            out.append(node.text)
        elif isinstance(node, inline.Cite):
            out.append("")
        else:
            out.append(_blanked(node.children, number, answers))
    return "".join(out)


def _items(content: Content) -> list[Item]:
    cards = {card.id: (i, card) for i, card in enumerate(content.cards)}
    terms = {entry.term: (i, entry) for i, entry in enumerate(content.glossary)}
    items = []
    for sc in study_cards(content):
        if sc.note.startswith("glossary:"):
            i, entry = terms[sc.note[len("glossary:"):]]
            where = f"glossary[{i}](term={entry.term})"
            label = "definition → term card" if sc.ordinal == 2 else "term → definition card"
        else:
            i, entry = cards[sc.note]
            where = f"cards[{i}](id={entry.id})"
            label = {"basic": "", "cloze": f"deletion c{sc.cloze}",
                     "reverse": "front → back card" if sc.ordinal == 1 else "back → front card"}[sc.kind]
        allow = frozenset(getattr(entry, "allow", ()))
        if sc.kind == "cloze":
            prompt, answer = _cloze_sides(sc.front, sc.cloze)
        else:
            prompt, answer = _plain(sc.front), _plain(sc.back)
        items.append(Item(where, sc.note, label, sc.kind, prompt, answer, allow))
    return items


# ---------------------------------------------------------------- rules


def _item_rules(item: Item):
    # A term's definition is its explanation, read for the gist: the length and
    # list rules do not apply to the term → definition direction.
    definition = item.kind == "term" and item.label.startswith("term")
    if item.kind in ("basic", "reverse") and _yes_no(item.prompt, item.answer):
        yield "yes-no", "the prompt is a yes/no question and the answer opens with " \
                        f"{words(item.answer)[0]!r}"
    option = _offered_option(item.prompt, item.answer) if item.kind != "cloze" else None
    if option:
        yield "either-or", f"the prompt offers the answer as an option ({option!r})"
    elif not definition and _given_away(item.prompt, item.answer):
        yield "giveaway", f"the prompt already contains most of the answer {_short(item.answer)!r}"
    if item.kind == "cloze":
        deletion = item.answer.split()
        if len(deletion) > CLOZE_MAX_WORDS or _is_clause(item.answer):
            yield "long-cloze", f"the deletion {_short(item.answer)!r} is a whole clause or phrase " \
                                f"({len(deletion)} words; at most {CLOZE_MAX_WORDS})"
        elif deletion and not content_words(item.answer):
            yield "function-word", f"the deletion {item.answer!r} is a grammatical word, not a fact"
    elif not definition and len(item.answer.split()) > LONG_ANSWER_WORDS:
        yield "long-answer", f"the answer has {len(item.answer.split())} words " \
                             f"(at most {LONG_ANSWER_WORDS} recall as one item)"
    if not definition and _is_set(item.answer):
        yield "set", f"the answer {_short(item.answer)!r} is a list to memorise as a whole"


def _note_rules(content: Content):
    for i, card in enumerate(content.cards):
        where = f"cards[{i}](id={card.id})"
        texts = [card.text, card.extra or ""] if isinstance(card, ClozeCard) else [card.front, card.back]
        for text in texts:
            match = ABOUT_DOCUMENT.search(_plain(text))
            if match:
                yield where, card.id, "about-document", f"the card speaks of the document ({match.group(0)!r})"
                break
        if card.type == "reverse":
            front, back = _plain(card.front), _plain(card.back)
            reason = _sentence_reason(back) or ("its front is a question" if front.rstrip().endswith("?") else "")
            if reason:
                yield where, card.id, "reverse-sentence", f"reversed, this card asks from a sentence: {reason}"
    for i, entry in enumerate(content.glossary):
        match = ABOUT_DOCUMENT.search(_plain(entry.term) + " " + _plain(entry.definition))
        if match:
            yield f"glossary[{i}](term={entry.term})", f"glossary:{entry.term}", "about-document", \
                f"the entry speaks of the document ({match.group(0)!r})"


def _duplicates(items: list[Item]):
    # Only cards with the same answer can be near-duplicates, so group by answer first.  Within a
    # group of many cards (a deck of generated cards, or many asking for "NAD+"), comparing each
    # prompt with every earlier one, one at a time, grows with the square of the group.  Instead
    # the group's earlier cards are counted all at once: each prompt word keeps a bit set of the
    # cards whose prompts have it, and adding those sets up for a new prompt's words (bit-sliced
    # counters: plane k holds bit k of every card's count) gives, for every earlier card, the
    # number of words it shares with the new one.
    groups: dict[frozenset, _Group | tuple[Item, frozenset]] = {}
    pairs: set[tuple[str, str]] = set()  # one warning per pair of notes, not per card
    for item in items:
        answer = frozenset(content_words(item.answer))
        if not answer:
            continue
        prompt = frozenset(content_words(item.prompt))
        group = groups.get(answer)
        if group is None:  # most answers are asked for once: their group's bit sets wait for a second card
            groups[answer] = (item, prompt)
            continue
        if group.__class__ is tuple:
            first = group
            group = groups[answer] = _Group()
            group.add(*first)
        size = len(prompt)
        similar = 0
        if size and group.cards:
            planes: list[int] = []
            for stem in prompt:
                carry = group.having.get(stem, 0)
                for k, plane in enumerate(planes):
                    if not carry:
                        break
                    planes[k], carry = plane ^ carry, plane & carry
                if carry:
                    planes.append(carry)
            everyone = (1 << len(group.cards)) - 1
            at_least: dict[int, int] = {}
            for other_size, members in group.sized.items():
                least = _least_shared(size, other_size)
                if least not in at_least:
                    at_least[least] = _count_at_least(planes, least, everyone)
                similar |= members & at_least[least]
            # Either card may say the pair is meant; a note's own cards are not duplicates.
            similar &= ~(group.allowing | group.notes.get(item.note, 0))
        while similar:  # earliest card first
            low = similar & -similar
            similar ^= low
            other = group.cards[low.bit_length() - 1]
            if (item.note, other.note) not in pairs:
                pairs.add((item.note, other.note))
                yield item.where, item.note, "near-duplicate", \
                    f"asks for {_short(item.answer)!r} much as {other.where}{_of(other.label)} does"
                break
        group.add(item, prompt)


class _Group:
    """The cards so far with one answer, as bit sets: bit n stands for the group's card n."""

    def __init__(self):
        self.cards: list[Item] = []
        self.having: dict[str, int] = {}  # prompt word -> the cards whose prompts have it
        self.sized: dict[int, int] = {}  # number of prompt words -> the cards with that many
        self.notes: dict[str, int] = {}  # note -> its cards
        self.allowing = 0  # the cards that allow near-duplicates

    def add(self, item: Item, prompt: frozenset) -> None:
        bit = 1 << len(self.cards)
        self.cards.append(item)
        for stem in prompt:
            self.having[stem] = self.having.get(stem, 0) | bit
        if prompt:  # an empty prompt is like no other
            self.sized[len(prompt)] = self.sized.get(len(prompt), 0) | bit
        self.notes[item.note] = self.notes.get(item.note, 0) | bit
        if "near-duplicate" in item.allow:
            self.allowing |= bit


@lru_cache(maxsize=4096)
def _least_shared(size: int, other_size: int) -> int:
    """The fewest shared words that make prompts of these sizes near-duplicates (more than
    either has: never); the similarity grows with the words shared."""
    for shared in range(1, min(size, other_size) + 1):
        if shared / (size + other_size - shared) >= NEAR_DUPLICATE_SIMILARITY:
            return shared
    return min(size, other_size) + 1


def _count_at_least(planes: list[int], least: int, everyone: int) -> int:
    """The cards whose count, held bit-sliced in ``planes`` (plane k: bit k), is at least ``least``."""
    if least >> len(planes):
        return 0  # more than any count the planes can hold
    above, equal = 0, everyone
    for k in range(len(planes) - 1, -1, -1):
        if least >> k & 1:
            equal &= planes[k]
        else:
            above |= equal & planes[k]
            equal &= ~planes[k]
    return above | equal


def _of(label: str) -> str:
    return f" ({label})" if label else ""


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _yes_no(prompt: str, answer: str) -> bool:
    first = [w.lower() for w in words(answer)[:1]]
    if not first:
        return False
    if len(words(answer)) == 1 and first[0] in ("yes", "no", "true", "false"):
        return True
    return first[0] in YES_NO_ANSWERS and _polar(prompt)


def _polar(prompt: str) -> bool:
    """A question that opens (or opens after an introductory phrase) with an auxiliary verb."""
    questions = [q for q in re.split(r"(?<=[.!?])\s+", prompt) if q.rstrip().endswith("?")]
    for question in questions:
        for clause in re.split(r"[,:;—–]", question):
            head = words(clause)[:1]
            if head and head[0].lower() in AUXILIARIES:
                return True
    return False


def _offered_option(prompt: str, answer: str) -> str | None:
    """The option of an "A or B?" prompt that the answer picks, if any."""
    if "or" not in prompt:  # no option can be offered
        return None
    question = next((q for q in re.split(r"(?<=[.!?])\s+", prompt) if q.rstrip().endswith("?")), "")
    parts = re.split(r"\bor\b", question.rstrip(" ?"))
    wanted = content_words(answer)
    if len(parts) < 2 or not wanted:
        return None
    options = []
    for n, part in enumerate(parts):
        # An option ends at the punctuation nearest the "or" beside it: "Is X a Y, or a Z?"
        if n == 0:
            part = re.split(r"[,:;]", part.rstrip(" ,;:"))[-1]
        elif n == len(parts) - 1:
            part = re.split(r"[,:;]", part)[0]
        options.append(part)
    # The answer's first content word names one option and no other: it picks from the prompt.
    picked = [option for option in options if _contains(content_words(option), wanted[0])]
    return " ".join(picked[0].strip(" ,;:").split()) if len(picked) == 1 else None


def _given_away(prompt: str, answer: str) -> bool:
    wanted = list(dict.fromkeys(content_words(answer)))
    if not wanted:
        return False
    have = frozenset(content_words(prompt, parts=True))
    near = None  # ``_near(have)`` less ``have``: made once a word needs it (prompts are rarely met twice)
    originals = None  # the answer's words by stem, read only when a word is not in the prompt
    shown = 0
    for w in wanted:
        if w in have or (len(w) >= 6 and w[:-1] in have) or (len(w) >= 7 and w[:-2] in have):  # _contains
            shown += 1
            continue
        if len(w) >= 5:  # no shortened stem is shorter
            if near is None:
                near = {s[:-cut] for s in have for cut in (1, 2) if len(s) - cut >= 5}
            if w in near:
                shown += 1
                continue
        if originals is None:
            originals = {stem(word): word for word in words(answer)}
        if originals.get(w, "").isupper() and _acronym_in(originals[w], prompt):
            shown += 1
    return shown / len(wanted) >= GIVEAWAY_SHARE


def _is_clause(text: str) -> bool:
    tokens = words(text)
    # Punctuation followed by a space joins clauses; "2,000" or "10:30" does not.
    return len(tokens) >= 3 and (tokens[0].lower() in CLAUSE_OPENERS or bool(re.search(r"[,;:]\s", text)))


def _is_set(answer: str) -> bool:
    if "," not in answer:  # a list answer has a comma, and taking out parentheses adds none
        return False
    text = re.sub(r"\([^)]*\)", "", answer).strip().rstrip(".")
    if not LIST_ANSWER.match(text):
        return False
    items = re.split(r",\s*|\s+(?:and|or)\s+", text)
    return len(items) >= SET_ITEMS and all(0 < len(words(i)) <= 4 for i in items)


def _sentence_reason(back: str) -> str:
    tokens = back.split()
    if back.rstrip().rstrip("”\"')").endswith((".", "!", "?")):
        return "its back ends as a sentence"
    if tokens and tokens[0].lower().strip("\"“'") in PRONOUN_SUBJECTS:
        return f"its back opens with {tokens[0]!r}"
    if len(tokens) > REVERSE_MAX_WORDS:
        return f"its back has {len(tokens)} words (a term has at most {REVERSE_MAX_WORDS})"
    return ""
