"""brat folders as they really are, on a project in the shape of the persuasive-essays corpus: three
annotators' folders of `.ann` files only and a gold folder, imported into one store as four layers,
and exported back so that brat's own parser reads every line and nothing is lost."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from bratsubset import annotation as brat_annotation
from bratsubset.projectconfig import ProjectConfiguration

from benchmarks.brat_essays import LABELS, Essays, count_lines, make_essays
from reader.corpus.documents import Corpus
from reader.errors import FormatError
from reader.model.annotation import Annotation, annotation_from_document
from reader.store import AnnotationStore
from reader.transfer import ImportReport, export, import_file
from tests.conftest import REPO

ANNOTATORS = ("annotator1", "annotator2", "annotator3")


@pytest.fixture
def essays(tmp_path: Path) -> Essays:
    return make_essays(tmp_path / "essays", essays=4)


def store_of(essays: Essays) -> Path:
    return essays.root / "annotations" / "store.json"


def import_all(essays: Essays, corpus: Corpus) -> dict[str, ImportReport]:
    reports = {}
    with AnnotationStore.open(store_of(essays)) as store:
        for name, folder in essays.folders.items():
            reports[name] = import_file(folder, "brat", corpus, store, annotator=name)
    return reports


def stored(essays: Essays) -> list[Annotation]:
    with AnnotationStore.open(store_of(essays), read_only=True) as store:
        return store.annotations()


def first_claim(essays: Essays) -> tuple[int, int]:
    line = next(
        line
        for line in (essays.folders["gold"] / "essay001.ann").read_text("utf-8").splitlines()
        if "\tClaim " in line
    )
    start, end = line.split("\t")[1].split(" ")[1:3]
    return int(start), int(end)


def test_three_annotators_folders_keep_three_layers_with_their_own_stances(
    essays: Essays,
) -> None:
    corpus = Corpus.load(essays.corpus)
    reports = import_all(essays, corpus)
    anns = stored(essays)
    # Nothing merged: one annotation per T line of each folder, each credited to its annotator.
    for name, folder in essays.folders.items():
        assert reports[name].imported == count_lines(folder)["T"]
        assert sum(a.author == name for a in anns) == count_lines(folder)["T"]
    start, end = first_claim(essays)
    same = {a.author: a.tags for a in anns if (a.doc, a.start, a.end) == ("essay001", start, end)}
    assert same["annotator1"] == ("stance:for",)
    assert same["annotator2"] == ("stance:against",)
    assert same["annotator3"] == ("stance:for",)


def test_reimporting_one_annotators_folder_updates_only_that_annotators_layer(
    essays: Essays,
) -> None:
    corpus = Corpus.load(essays.corpus)
    import_all(essays, corpus)
    before = {a.id: a for a in stored(essays)}
    path = essays.folders["annotator2"] / "essay001.ann"
    path.write_text(path.read_text("utf-8").replace("Stance T2 Against", "Stance T2 For"), "utf-8")
    with AnnotationStore.open(store_of(essays)) as store:
        report = import_file(
            essays.folders["annotator2"], "brat", corpus, store, annotator="annotator2"
        )
    assert (report.imported, report.updated) == (0, 1)
    after = {a.id: a for a in stored(essays)}
    changed = [i for i in after if after[i] != before[i]]
    assert len(changed) == 1 and after[changed[0]].author == "annotator2"
    assert after[changed[0]].tags == ("stance:for",)


def test_a_file_without_an_annotator_is_credited_to_the_one_named_else_to_the_user(
    essays: Essays, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("USER", "ada")
    corpus = Corpus.load(essays.corpus)
    with AnnotationStore.open(store_of(essays)) as store:
        import_file(essays.folders["annotator1"], "brat", corpus, store)
        import_file(essays.folders["annotator1"], "brat", corpus, store, annotator="bo")
    assert Counter(a.author for a in stored(essays)) == {
        "ada": count_lines(essays.folders["annotator1"])["T"],
        "bo": count_lines(essays.folders["annotator1"])["T"],
    }


def test_an_ann_file_whose_document_is_not_in_the_corpus_says_what_to_do(
    essays: Essays,
) -> None:
    corpus = Corpus.load(essays.corpus)
    shutil.copy(essays.folders["annotator1"] / "essay001.ann", essays.root / "essay999.ann")
    folder = essays.root / "lonely"
    folder.mkdir()
    shutil.move(essays.root / "essay999.ann", folder / "essay999.ann")
    with (
        AnnotationStore.open(store_of(essays)) as store,
        pytest.raises(FormatError, match=r"no essay999\.txt beside it.*essay999"),
    ):
        import_file(folder, "brat", corpus, store)


def test_t_lines_ending_in_a_tab_are_read_as_brat_reads_them(essays: Essays) -> None:
    gold = essays.folders["gold"]
    tabbed = [
        line
        for path in gold.glob("*.ann")
        for line in path.read_text("utf-8").splitlines()
        if line.startswith("T") and line.endswith("\t")
    ]
    assert len(tabbed) == 7
    corpus = Corpus.load(essays.corpus)
    with AnnotationStore.open(store_of(essays)) as store:
        report = import_file(gold, "brat", corpus, store, annotator="gold")
    assert report.unmatched == [] and report.imported == count_lines(gold)["T"]
    quotes = {a.quote for a in stored(essays)}
    assert {
        line.split("\t")[2] for line in tabbed if ";" not in line
    } <= quotes  # the tab is not in the text


def test_labels_are_mapped_in_any_case_and_an_unknown_one_says_how_to_map_it(
    tmp_path: Path,
) -> None:
    essays = make_essays(tmp_path / "e", essays=2)
    (essays.corpus / "corpus.toml").unlink()  # the default scheme: claim, premise, ...
    corpus = Corpus.load(essays.corpus)
    folder = essays.folders["annotator1"]
    with AnnotationStore.open(store_of(essays)) as store:
        refused = import_file(folder, "brat", corpus, store, label_map={"claim": "claim"})
        assert refused.problem() is not None and not refused.applied
        reasons = {item.reason for item in refused.unmatched}
        assert any("--map MajorClaim=claim" in r and "corpus.toml" in r for r in reasons)
        assert any("--map Premise=premise" in r for r in reasons)
        mapping = {"majorclaim": "Claim", "CLAIM": "claim", "Premise": "PREMISE"}
        report = import_file(folder, "brat", corpus, store, label_map=mapping)
    assert report.unmatched == [] and report.applied
    assert Counter(a.label for a in stored(essays)) == {
        "claim": sum(c in ("MajorClaim", "Claim") for c in labels_in(folder)),
        "premise": sum(c == "Premise" for c in labels_in(folder)),
    }


def labels_in(folder: Path) -> list[str]:
    return [
        line.split("\t")[1].split(" ")[0]
        for path in folder.glob("*.ann")
        for line in path.read_text("utf-8").splitlines()
        if line.startswith("T")
    ]


def test_discontinuous_spans_and_lines_on_unknown_ids_are_warned_about_by_file_and_line(
    essays: Essays,
) -> None:
    gold = essays.folders["gold"]
    path = gold / "essay002.ann"
    path.write_text(
        path.read_text("utf-8")
        + "#9\tAnnotatorNotes T99\tOn nothing\n"
        + "A9\tStance T98 For\n"
        + "N9\tReference T97 Wikipedia:1\tNobody\n"
        + "R99\tsupports Arg1:T1 Arg2:T96\n"
        + "E1\tClaim:T1\n",
        "utf-8",
    )
    corpus = Corpus.load(essays.corpus)
    with AnnotationStore.open(store_of(essays)) as store:
        report = import_file(gold, "brat", corpus, store, annotator="gold")
    assert report.applied
    lines = report.warning_lines()
    discontinuous = next(n for n, t in tabs_and_lines(gold / "essay001.ann").items() if ";" in t)
    assert any(
        f"essay001.ann: line {discontinuous}" in line and "discontinuous" in line for line in lines
    )
    n = len(path.read_text("utf-8").splitlines())
    for number, what in ((n - 4, "T99"), (n - 3, "T98"), (n - 2, "T97"), (n - 1, "T96")):
        assert any(f"essay002.ann: line {number}: " in ln and what in ln for ln in lines), what
    assert any(f"essay002.ann: line {n}: E1 left out: events" in line for line in lines)
    assert "6 warnings" in report.summary()


def tabs_and_lines(path: Path) -> dict[int, str]:
    return {
        number: line.split("\t")[1]
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1)
    }


def brat_reads(folder: Path, doc_ids: list[str]) -> list[object]:
    """brat's own parser over every exported document: no failed line, every span's text is the
    .txt's slice; returns the parsed documents."""
    ProjectConfiguration(str(folder))
    parsed = []
    for doc_id in doc_ids:
        if not (folder / f"{doc_id}.ann").exists():
            continue
        doc = brat_annotation.TextAnnotations(str(folder / doc_id), read_only=True)
        assert doc.failed_lines == []
        text = (folder / f"{doc_id}.txt").read_text("utf-8")
        for bound in doc.get_textbounds():
            assert bound.text == " ".join(text[s:e] for s, e in bound.spans)
        parsed.append(doc)
    return parsed


def export_layers(essays: Essays, corpus: Corpus, out: Path) -> dict[str, Path]:
    anns = stored(essays)
    folders = {}
    for name in essays.folders:
        folders[name] = out / name
        export("brat", [a for a in anns if a.author == name], corpus, folders[name])
    return folders


def test_round_trip_keeps_every_line_type_and_brat_reads_the_export(essays: Essays) -> None:
    corpus = Corpus.load(essays.corpus)
    import_all(essays, corpus)
    out = export_layers(essays, corpus, essays.root / "out")
    for name, folder in essays.folders.items():
        assert count_lines(out[name]) == count_lines(folder), name
        brat_reads(out[name], essays.ids)
    gold = (out["gold"] / "essay001.ann").read_text("utf-8")
    assert "\tStance T2 " in gold  # the attribute's own name and value, not `Tag T1 stance%3Afor`
    assert "\tReference T1 Wikipedia:534366\tBarack Obama\n" in gold
    conf = (out["gold"] / "annotation.conf").read_text("utf-8")
    assert "Stance Arg:<ENTITY>, Value:Against|For" in conf
    config = ProjectConfiguration(str(out["gold"]))
    assert "Stance" in config.get_attribute_types()


def test_several_tags_on_one_span_are_attributes_of_their_own(tmp_path: Path) -> None:
    essays = make_essays(tmp_path / "e", essays=1)
    corpus = Corpus.load(essays.corpus)
    doc = corpus.get("essay001")
    assert doc is not None
    tags = ["stance:for", "stance:against", "economy", "needs_check", "café"]
    ann = annotation_from_document(doc, 0, 5, label="Claim", tags=tags, note="two\nlines")
    # `stance` alone, where `stance` is also an attribute with values: written as a `Tag` value.
    other = annotation_from_document(doc, 6, 9, label="Claim", tags=["stance"])
    folder = tmp_path / "b"
    export("brat", [ann, other], corpus, folder)
    (parsed,) = brat_reads(folder, ["essay001"])
    attributes = [a for a in parsed.get_attributes() if a.target == "T1"]  # type: ignore[attr-defined]
    # brat's client keeps one value per attribute type on a span: no two tags may share a type.
    assert len({a.type for a in attributes}) == len(attributes) == len(tags)
    assert ("Stance", "For") in {(a.type, a.value) for a in attributes}
    config = ProjectConfiguration(str(folder))
    assert {a.type for a in attributes} <= set(config.get_attribute_types())
    assert "Tag Arg:<ENTITY>, Value:stance" in (folder / "annotation.conf").read_text("utf-8")
    with AnnotationStore.open(tmp_path / "s.json") as store:
        import_file(folder, "brat", corpus, store)
        back, back_other = sorted(store.annotations(), key=lambda a: a.start or 0)
    assert back.tags == ann.tags and back.note == ann.note
    assert back_other.tags == ("stance",)


def test_older_exports_tag_attribute_and_brats_m_lines_still_read_as_tags(
    tmp_path: Path,
) -> None:
    essays = make_essays(tmp_path / "e", essays=1)
    folder = essays.folders["gold"]
    path = folder / "essay001.ann"
    path.write_text(
        path.read_text("utf-8") + "A90\tTag T1 economy\nM1\tNegated T1\nA91\tUncertain T1\n",
        "utf-8",
    )
    corpus = Corpus.load(essays.corpus)
    with AnnotationStore.open(tmp_path / "s.json") as store:
        import_file(folder, "brat", corpus, store)
        first = next(
            a for a in store.annotations() if a.start is not None and a.label == "MajorClaim"
        )
    assert set(first.tags) == {"economy", "negated", "uncertain"}


def command(essays: Essays, folder: str) -> list[str]:
    return [sys.executable, "-m", "reader", "import", str(essays.folders[folder]), str(essays.root)]


def test_the_cli_import_names_the_annotator_maps_labels_and_prints_every_warning(
    essays: Essays,
) -> None:
    (essays.corpus / "corpus.toml").unlink()
    env = {**os.environ, "PYTHONPATH": str(REPO), "READER_CONFIG": str(essays.root / "none")}
    done = subprocess.run(
        [
            *command(essays, "gold"),
            "--format",
            "brat",
            "--annotator",
            "gold",
            "--map",
            "MajorClaim=claim,Claim=claim",
            "--map",
            "premise=premise",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "warning: gold/essay001.ann: line " in done.stderr
    assert "discontinuous" in done.stderr
    assert "1 warning (above)" in done.stdout
    assert {a.author for a in stored(essays)} == {"gold"}
    bad = subprocess.run(
        [*command(essays, "gold"), "--format", "brat", "--map", "MajorClaim"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert bad.returncode == 2 and "FROM=TO" in bad.stderr


def content(folder: Path) -> Counter[tuple[str, ...]]:
    """What a brat folder says, named by spans rather than by its T numbers: spans (as the span
    covering their fragments) with labels, relations, attributes, notes and normalisations."""
    out: Counter[tuple[str, ...]] = Counter()
    for path in sorted(folder.glob("*.ann")):
        lines = [line.split("\t") for line in path.read_text("utf-8").splitlines()]
        where: dict[str, str] = {}
        for ident, data, *_ in lines:
            if ident[0] == "T":
                kind, offsets = data.split(" ", 1)
                numbers = [int(n) for n in offsets.replace(";", " ").split()]
                where[ident] = f"{path.stem}:{min(numbers)}-{max(numbers)}"
                out[("T", where[ident], kind)] += 1
        for ident, data, *tail in lines:
            words = data.split(" ")
            if ident[0] == "R":
                ends = [where[word.split(":")[1]] for word in words[1:]]
                out[("R", words[0], *ends)] += 1
            elif ident[0] == "A":
                out[("A", where[words[1]], words[0], *words[2:])] += 1
            elif ident[0] in "N#":
                out[(ident[0], where[words[1]], words[0], *words[2:], *tail)] += 1
    return out


def test_the_round_trip_figure_loses_nothing(tmp_path: Path) -> None:
    from benchmarks.brat_round_trip import round_trip, table

    trip = round_trip(tmp_path, essays=3, annotators=3)
    for name, (before, after) in trip.counts.items():
        assert before == after and before["T"] > 0, name
        assert content(trip.out[name]) == content(tmp_path / "brat" / name), name
    assert table(trip)[-1].endswith("| 0 |")
    assert len(trip.warnings) == 1 and "discontinuous" in trip.warnings[0]


def test_one_line_per_unknown_label_says_what_to_do_once(essays: Essays) -> None:
    # A scheme without the folder's labels: every annotation is unmatched for one of three
    # reasons, and each reason is printed once with how many it concerns, not once per line.
    (essays.corpus / "corpus.toml").write_text("", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO), "READER_CONFIG": str(essays.root / "none")}
    done = subprocess.run(
        [*command(essays, "annotator1"), "--format", "brat"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 2
    lines = [line for line in done.stderr.splitlines() if line.startswith("unmatched:")]
    assert len(lines) == 3, done.stderr
    said = {label: line for line in lines for label in LABELS if f"label '{label}'" in line}
    assert set(said) == set(LABELS)
    total = sum(int(line.split()[1]) for line in lines)
    assert total == count_lines(essays.folders["annotator1"])["T"]
    assert all("--map" in line for line in lines)
