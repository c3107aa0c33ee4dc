from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.claims import scores as claims
from reader.claims.lexicon import prepare
from reader.claims.scores import Lexicon, highlight, score_document, score_with
from reader.corpus.documents import sha256_text
from reader.errors import LexiconError

# One sentence where the category fires and one where it does not, for every category and feature
# of the shipped lexicon.
EXAMPLES: dict[str, tuple[str, str]] = {
    "stance": ("I believe the plan is wrong.", "The plan was published on Monday."),
    "conclusion": ("That is why the tax must go.", "The tax was introduced in 2010."),
    "causal": ("Turnout fell because people gave up.", "Turnout was counted overnight."),
    "obligation": ("We must build more homes.", "They built more homes."),
    "prediction": ("This will end in tears.", "This ended in tears."),
    "booster": ("Of course the council knew.", "The council met at noon."),
    "hedge": ("Perhaps the council knew.", "The council met at noon."),
    "evaluative": ("It was a reckless decision.", "It was a decision taken in May."),
    "contrast": ("They want growth rather than cuts.", "They met at the town hall."),
    "desire": ("Residents want change.", "Residents met the mayor."),
    "generalisation": ("People are cynical about politics.", "The bus left at six."),
    "imperative": ("Turn up.", "Turnout was low."),
    "narrative": ("We campaigned in every village.", "Campaigns cost money."),
    "time_anchor": ("The vote took place last week.", "The vote matters."),
    "feeling": ("I am hugely grateful for your trust.", "I am sure of it."),
    "quantity": ("Some 4,000 people came.", "Some people came."),
    "transition": ("First, a bit of context.", "First, the costs rose."),
    "byline": ("Lee Rowley is MP for North East Derbyshire.", "Lee Rowley spoke in the debate."),
    "boilerplate": ("Subscribe to our daily email.", "The daily grind goes on."),
    "event": ("She will speak at our panel event.", "She spoke at length."),
    "number": ("The majority was 2,681.", "The majority was narrow."),
    "number_word": ("Labour lost four seats.", "Labour lost ground."),
    "result": ("Labour lost four seats.", "Labour is a party."),
    "attribution": ("According to the ONS, wages fell.", "Wages feel low."),
    "named_body": ("The NHS says waiting lists grew.", "Hospitals say waiting lists grew."),
    "date": ("The law changed in January 2015.", "The law changes often."),
    "record": ("It was the largest rally in the town.", "It was a large rally in the town."),
    "past_event": ("Eight councillors were elected.", "Eight councillors stand."),
    "modality": ("Prices would fall.", "Prices fell."),
    "not_checkable": ("Donate here.", "Prices fell."),
    "byline_fact": ("Jane Smith is editor of the Courier.", "Jane Smith edits well."),
    "question": ("Why did Derby North counter that trend?", "Derby North countered the trend."),
    "unterminated": ("DONATE HERE", "Donate here."),
    "short": ("Red till the end.", "Red was the colour of every council seat in the district."),
}


def categories(sentence: str) -> set[str]:
    scores = score_document(sentence)
    assert len(scores.sentences) == 1, sentence
    return {reason.category for reason in scores.reasons(0)}


def test_every_lexicon_category_has_examples() -> None:
    lexicon = claims.default_lexicon()
    names = {c.name for c in lexicon.categories} | {f.name for f in lexicon.features}
    assert names == set(EXAMPLES)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_category_fires_on_its_positive_example_only(name: str) -> None:
    positive, negative = EXAMPLES[name]
    assert name in categories(positive)
    assert name not in categories(negative)


@pytest.mark.parametrize(
    "sentence",
    [
        "We can win in North East Derbyshire on our socialist agenda.",
        "Corbyn and McDonnell put forward a clear-sighted programme that chimes with the mood of the "
        "nation as well as the economic juncture that we face.",
        "That red wall has tumbled because people want to get things done.",
        "This would almost definitely result in new lows of living standards for the people of "
        "North East Derbyshire.",
        "That is why we must continue to be the party striving to unite the country.",
        "Turn up.",
        "Cut the spin.",
    ],
)
def test_guide_claims_are_claims(sentence: str) -> None:
    assert "claim" in score_document(sentence).sentences[0].labels


@pytest.mark.parametrize(
    "sentence",
    [
        "Labour lost four seats in the East Midlands, two of which had never seen a Tory MP before.",
        "26 out of 31 schools in the constituency have received a lower per-pupil premium than in "
        "2015.",
    ],
)
def test_guide_facts_are_factual(sentence: str) -> None:
    assert "factual" in score_document(sentence).sentences[0].labels


@pytest.mark.parametrize(
    "sentence",
    [
        "First, a bit of context.",
        "Lee Rowley is MP for North East Derbyshire.",
        "So, get going.",
        "Why did Derby North counter that trend?",
        "SUBSCRIBE TO OUR DAILY EMAIL",
    ],
)
def test_guide_non_claims_get_no_label(sentence: str) -> None:
    assert score_document(sentence).sentences[0].labels == ()


def test_people_are_cynical_is_not_a_checkable_fact() -> None:
    assert "factual" not in score_document("People are cynical about politics.").sentences[0].labels


def test_reasons_point_at_the_marker_and_add_up_to_the_score() -> None:
    text = "Intro line here.\n\nAccording to the ONS, 62.8% of voters chose to leave."
    scores = score_document(text)
    scored = scores.sentences[1]
    reasons = scores.reasons(1)
    quoted = {(r.category, text[r.start : r.end]) for r in reasons}
    assert ("attribution", "According to") in quoted
    assert ("number", "62.8%") in quoted
    lexicon = claims.default_lexicon()
    z = lexicon.bias["factual"] + sum(r.weight for r in reasons if r.kind == "factual")
    assert scored.factual == pytest.approx(claims._sigmoid(z))
    assert scored.labels == ("factual",)


def test_same_input_same_output(tmp_path: Path) -> None:
    text = (
        (Path(__file__).parents[2] / "corpus")
        .joinpath("peace-2019-09-winning-back-labours-heartlands.txt")
        .read_text(encoding="utf-8")
    )
    first, second = score_document(text), score_document(text)
    assert first.to_json("x") == second.to_json("x")
    assert score_with(Lexicon.load(), text).to_json("x") == first.to_json("x")


def test_empty_and_whitespace_only_text() -> None:
    for text in ("", "   \n\n\t"):
        scores = score_document(text)
        assert scores.sentences == () and scores.to_json("p")["sentences"] == []


def test_start_skips_front_matter() -> None:
    text = "---\ntitle: We must act\n---\nThe plan failed."
    scores = score_document(text, text.index("The"))
    assert [text[s.start : s.end] for s in scores.sentences] == ["The plan failed."]


def test_hostile_inputs_finish_and_stay_consistent() -> None:
    # A 1 MB line without spaces, a run of 100k markers and long runs of punctuation: the matcher
    # is linear (dict lookups per word, one opening regex per sentence), so these finish quickly.
    hostile = [
        "a" * 1_000_000,
        "must " * 100_000,
        "!?" * 200_000 + ".",
        "-" * 300_000,
        "1," * 200_000,
    ]
    for text in hostile:
        scores = score_document(text)
        assert scores.sentences
        for scored in scores.sentences:
            assert 0.0 <= scored.claim <= 1.0 and 0.0 <= scored.factual <= 1.0
    repeated = score_document("must " * 100_000).sentences[0]
    assert repeated.claim < 1.0 + 1e-9  # saturates: repeats add half of the previous weight


ESCAPES = [
    "\x1b[31m",  # colour (CSI)
    "\x1b[0m",
    "\x1b[2J",  # clear screen
    "\x1b]52;c;aGk=\x07",  # put "hi" on the clipboard (OSC)
    "\x1b]0;title\x1b\\",  # window title, ended by ST
    "\x1bc",  # reset
    "\x9b1m",  # C1 CSI
]


@pytest.mark.parametrize("escape", ESCAPES)
def test_escape_sequences_are_not_scored_as_numbers_or_words(escape: str) -> None:
    plain = "Red wall seats fell in the vote.\n\nThe party won 42 seats in 2019."
    dirty = plain.replace("Red wall", f"Red {escape}wall{escape}").replace("42", f"{escape}42")
    scores, clean = score_document(dirty), score_document(plain)
    assert [s.labels for s in scores.sentences] == [s.labels for s in clean.sentences]
    for index, (got, want) in enumerate(zip(scores.sentences, clean.sentences, strict=True)):
        assert (got.claim, got.factual) == pytest.approx((want.claim, want.factual))
        shown = [(r.category, dirty[r.start : r.end]) for r in scores.reasons(index)]
        assert shown == [(r.category, plain[r.start : r.end]) for r in clean.reasons(index)]
    # The text and its offsets are the document's own: the sequences are still there to show.
    assert scores.text == dirty
    assert scores.to_json("x")["sentences"][1]["text"].startswith("The party won")


def test_highlight_scores_a_sha256_once(monkeypatch: pytest.MonkeyPatch) -> None:
    claims.clear_cache()
    calls: list[str] = []
    real = claims.score_document

    def counting(text: str, start: int = 0, sha256: str | None = None) -> claims.DocumentScores:
        calls.append(text)
        return real(text, start, sha256)

    monkeypatch.setattr(claims, "score_document", counting)
    text = "We must act. Costs rose by 4%."
    first = highlight(text, sha256_text(text))
    again = highlight(text, sha256_text(text))
    assert first is again and len(calls) == 1
    for n in range(claims.CACHE_SIZE + 1):
        other = f"Other text {n}."
        highlight(other, sha256_text(other))
    highlight(text, sha256_text(text))
    assert len(calls) == claims.CACHE_SIZE + 3  # the first text was evicted and scored again


def test_broken_lexicon_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "lexicon.toml"
    path.write_text("[kinds.claim]\nbias = 0\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=str(path)):
        Lexicon.load(path)
    path.write_text("version = [", encoding="utf-8")
    with pytest.raises(LexiconError, match="not valid TOML"):
        Lexicon.load(path)


# --- the document scan and the reference walk agree --------------------------------------------

# Words that exercise the scan's special cases: wildcard heads and -ed words (with the lexicon's
# exact -ed continuations), phrase heads, numbers, punctuation glued to words, leading quotes.
SCAN_WORDS = [
    *[
        "i",
        "we",
        "he",
        "she",
        "they",
        "was",
        "were",
        "had",
        "has",
        "have",
        "the",
        "it",
        "this",
        "that",
        "our",
        "to",
        "in",
        "of",
    ],
    *[
        "asked",
        "decided",
        "need",
        "needed",
        "promised",
        "tired",
        "wanted",
        "elected",
        "voted",
        "fed",
        "bed",
    ],
    *[
        "according",
        "because",
        "therefore",
        "thanks",
        "must",
        "should",
        "will",
        "clear",
        "time",
        "going",
        "last",
        "week",
    ],
    *[
        "believe",
        "think",
        "sure",
        "fact",
        "reason",
        "per",
        "cent",
        "majority",
        "labour",
        "won",
        "seats",
    ],
    "it's",
    "let's",
    "don't",
    "u.s.",
    "'our",
    "our.'",
    "thanks.'",
    "to,",
    "to.'",
    "we've",
    "4,000",
    "£5bn",
    "$3",
    "€4",
    "62.8%",
    "1990ed",
    "'",
    ".",
    "...",
    "—",
    "(",
    '"',
    "_x",
    "İstanbul",
    "ÉLECTED",
    "École",
    "Σοφία",
    "ΟΔΟΣ",
    "\u212anow",  # the Kelvin sign lower-cases to an ASCII k
    "Ⱥed",
    "\x01",
    # Words of punctuation only: a run of them can be a whole sentence, or lead one.
    *["!", "?!", "——", "—!", "…", "“", "«", "‘", "’", "é", "½"],
    "Stop",
    "Sadly",
    "And",
    "Jane",
    "Smith",
    "MP",
]
SEPARATORS = [" ", " ", " ", "  ", "\n", ". ", ", ", "! ", "? ", " - ", "'", ".' ", "\u00a0", "; "]
# Runs of blanks the scan squeezes into one, in mid-sentence and around sentences.
SEPARATORS += [" – ", ": ", " “", "” ", " (", ") ", "’ ", " ‘", ".”\n\n“", "…"]
# Non-ASCII blanks, and sentences of dashes and punctuation only (no words to score).
SEPARATORS += ["\u2009", " \u202f", "—", "——! ", "?” ‘", "…! "]


def assert_scan_matches_walk(lexicon: Lexicon, text: str) -> None:
    scores, prepared = score_with(lexicon, text), prepare(text)
    for i, scored in enumerate(scores.sentences):
        hits = lexicon.sentence_hits(text, prepared, scored.start, scored.end)
        z_claim, z_factual = lexicon.hits_z(hits)
        assert scored.claim == claims._sigmoid(z_claim), text[scored.start : scored.end]
        assert scored.factual == claims._sigmoid(z_factual), text[scored.start : scored.end]
        assert {r.category for r in scores.reasons(i)} == {h.category for h in hits}
        # The reasons the scan recorded are the reference walk's: same spans, weights, order.
        assert scores.reasons(i) == scores.walked_reasons(i), text[scored.start : scored.end]
    # The batched pass that writes every sentence's reasons (jsonl) finds the same, in order.
    walked = [[tuple(r) for r in scores.walked_reasons(i)] for i in range(len(scores.sentences))]
    assert scores.all_found() == walked, text


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(SCAN_WORDS), st.sampled_from(SEPARATORS)),
        min_size=1,
        max_size=40,
    )
)
def test_document_scan_gives_the_reference_walks_scores(parts: list[tuple[str, str]]) -> None:
    text = "".join(
        word.capitalize() if n % 7 == 0 else word + gap for n, (word, gap) in enumerate(parts)
    )
    assert_scan_matches_walk(claims.default_lexicon(), text)


@pytest.mark.parametrize(
    "text",
    [
        "We need more homes.",  # "need" is an exact continuation of "we", not the -ed wildcard
        "We needed more homes. I asked twice. They voted. It was elected.",
        "He fed them. She wanted 4,000 votes and 1990ed was odd.",  # -ed words of 3 letters, digits
        "We decided to act. Thanks.' Our.' 'Our plan. Therefore.., we act.",
        "According to the u.s. figures, it's clear. According to, the ONS.",
        "We talked about time going on. In the U.S. it's clear we've been there.",
        "I \x01 believe it. We\x01 think so.",  # the text's own separator byte is a plain character
        "The plan was resulted in short order.",  # a phrase from the wildcard's -ed word on
        "The dogs had tired legs.",  # an exact -ed continuation that leads nowhere: no wildcard either
        "Thanks to's credit, we won. Our supporters'd say so.",  # a longer word after the phrase
        "I \u212aNOW it. We ÉLECTED her. ΟΔΟΣ was closed; we Σ-voted.",  # non-ASCII case
        # Blanks squeezed before a sentence's first word, inside it and after its last word.
        "“We must act,” she said. (Costs rose 40%.)",
        "  (((We))) must: act; now — 40% … «rose» £5bn.",
        "... \n\n — \n\n We must act. ‘’ must ’ we ‘40%’.",
        # A first sentence without words: the scan starts with the separator after it.
        "——! our ",
        "! We must act. It is clear.",
        "“—”? We must act. It is clear.",
        "\u00a0\u00a0! our plan. ——! We must.",
    ],
)
def test_scan_and_walk_agree_on_edge_cases(text: str) -> None:
    assert_scan_matches_walk(claims.default_lexicon(), text)


def test_reasons_come_from_the_walk_where_the_scan_cannot_place_a_marker() -> None:
    # The app's panel asks for the reasons of the sentence under the cursor: a marker the scan
    # recorded where the sentence is not must neither crash it nor show in the wrong place.
    from dataclasses import replace

    from reader.claims.scan import scanner

    lexicon = claims.default_lexicon()
    text = "We must act. It is clear."
    scores = score_with(lexicon, text)
    other = "Today we all really must act now. It is clear."  # "must" is past the first sentence
    spans = [(s.start, s.end) for s in score_with(lexicon, other).sentences]
    misplaced = replace(scores, _marks=scanner(lexicon).scores(other, spans)[3])
    misplaced.all_found()  # placed from the other text's marks
    for index in range(len(scores.sentences)):
        assert misplaced.reasons(index) == scores.walked_reasons(index)
    assert misplaced.to_json("x") == scores.to_json("x")  # the batched pass falls back alike
    assert [r.category for r in misplaced.reasons(0)] == [r.category for r in scores.reasons(0)]


def test_corpus_scan_matches_walk() -> None:
    for path in sorted((Path(__file__).parents[2] / "corpus").glob("*.txt")):
        assert_scan_matches_walk(claims.default_lexicon(), path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("terms", "message"),
    [
        ('["per <number>"]', "stands alone"),
        ('["<ed> today"]', "can only end"),
        ('["was <ed> today"]', "can only end"),
        ('["9 in 10"]', "digit or currency"),
    ],
)
def test_lexicon_rejects_terms_the_scan_cannot_match(
    tmp_path: Path, terms: str, message: str
) -> None:
    path = tmp_path / "lexicon.toml"
    path.write_text(
        "[kinds.claim]\nbias = 0\nthreshold = 0.5\n[kinds.factual]\nbias = 0\nthreshold = 0.5\n"
        f'[[categories]]\nname = "x"\nkind = "claim"\nweight = 1\nterms = {terms}\n',
        encoding="utf-8",
    )
    with pytest.raises(LexiconError, match=message):
        Lexicon.load(path)


def test_word_lists_in_patterns_match_either_apostrophe_and_whole_words_only() -> None:
    for sentence in ("Don’t wait.", "Don't wait.", "Simply vote.", "Let’s build."):
        assert "imperative" in categories(sentence), sentence
    for sentence in ("Donate now.", "Dot the i.", "Change is coming."):
        assert "imperative" not in categories(sentence), sentence


def test_a_lexicon_with_non_ascii_terms_matches_them_in_any_case(tmp_path: Path) -> None:
    path = tmp_path / "lexicon.toml"
    path.write_text(
        "[kinds.claim]\nbias = -0.5\nthreshold = 0.5\n[kinds.factual]\nbias = -5\nthreshold = 0.5\n"
        '[[categories]]\nname = "cafe"\nkind = "claim"\nweight = 1\nterms = ["café society"]\n',
        encoding="utf-8",
    )
    lexicon = Lexicon.load(path)
    text = "The CAFÉ SOCIETY met. A café opened. Café society, again."
    scores = score_with(lexicon, text)
    assert [s.labels for s in scores.sentences] == [("claim",), (), ("claim",)]
    assert_scan_matches_walk(lexicon, text)


def test_reasons_from_the_scan_are_the_walks_on_the_benchmark_texts(tmp_path: Path) -> None:
    from benchmarks import claims_speed
    from benchmarks.make_corpus import make_corpus

    corpus = make_corpus(20, tmp_path / "synthetic") / "corpus"
    texts = [claims_speed.one_document(300_000, seed=2)]
    texts += [path.read_text(encoding="utf-8") for path in sorted(corpus.rglob("*.txt"))]
    for text in texts:
        scores = score_document(text)
        walked = [scores.walked_reasons(i) for i in range(len(scores.sentences))]
        assert [scores.reasons(i) for i in range(len(scores.sentences))] == walked
        assert scores.all_found() == [[tuple(r) for r in reasons] for reasons in walked]


def test_speed_benchmark_runs_at_tiny_size(capsys: pytest.CaptureFixture[str]) -> None:
    from benchmarks import claims_speed

    claims_speed.main(
        ["--size", "3000", "--docs", "2", "--runs", "1", "--cli-size", "3000", "--cli-runs", "1"]
    )
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:4] == ["workload", "MB", "score", "s"]
    assert lines[1].startswith("1 document") and lines[2].startswith(
        "synthetic corpus, 2 documents"
    )
    assert lines[5].startswith("end to end, output piped")
    assert lines[6].startswith("reader claims --format jsonl")
    assert lines[7].startswith("reader claims --format text")
    assert lines[10].startswith("where the time goes")
    steps = [line.rsplit(maxsplit=2)[0] for line in lines[11:18]]
    assert steps[0].startswith("start-up") and steps[-1].startswith("text view")
    # the reference walk gives the scan's scores on the benchmark's own document
    document = claims_speed.one_document(3000)
    lexicon = claims.default_lexicon()
    scores = score_with(lexicon, document)
    walked = claims_speed.walk(lexicon, document)
    assert [(s.claim, s.factual) for s in scores.sentences] == [
        (claims._sigmoid(zc), claims._sigmoid(zf)) for zc, zf in walked
    ]


def test_reasons_are_placed_for_the_whole_text_once_and_kept() -> None:
    # The text view asks for one labelled sentence's reasons after another: each time placing
    # every marker of the text again made a large document's view quadratic.
    from tests.claims.test_claims_batch import HOSTILE

    text = sorted((Path(__file__).parents[2] / "corpus").glob("*.txt"))[0].read_text("utf-8")
    scores = score_with(claims.default_lexicon(), text + "\n\n" + HOSTILE * 2)
    last = len(scores.sentences) - 1
    assert scores.reasons(last) == scores.walked_reasons(last)
    kept = scores.all_found()
    assert scores.all_found() is kept
    walked = [[tuple(r) for r in scores.walked_reasons(i)] for i in range(len(scores.sentences))]
    assert kept == walked


def test_one_sentences_reasons_walk_it_and_the_text_view_places_all_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The app's panel asks one sentence's reasons per move: placing the whole text's for it took
    # about 50 ms on opening a 1 MB document. The text view asks every labelled sentence's: one
    # placing for all, not a walk each.
    from reader.claims.marks import Marks
    from reader.claims.reasons import why
    from reader.claims.render import render_plain

    placings: list[int] = []
    place = Marks.place

    def counted(self: Marks, text: str, spans: list[tuple[int, int]]) -> Any:
        placings.append(len(spans))
        return place(self, text, spans)

    monkeypatch.setattr(Marks, "place", counted)
    corpus = Path(__file__).parents[2] / "corpus"
    text = "\n\n".join(p.read_text("utf-8") for p in sorted(corpus.glob("*.txt")))
    scores = score_with(claims.default_lexicon(), text)
    labelled = [s for s in scores.sentences if s.labels]
    for scored in labelled[:5]:
        index = scored.sentence.ordinal
        said = why(scores, index, scored.labels)
        assert scores.found(index) == [tuple(r) for r in scores.walked_reasons(index)]
        assert said
    assert placings == []
    render_plain(scores, ("claim", "factual"))
    assert placings == [len(scores.sentences)]
    assert all(
        scores.found(i) == [tuple(r) for r in scores.walked_reasons(i)]
        for i in range(len(scores.sentences))
    )
