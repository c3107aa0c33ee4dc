"""corpus.toml `url`: the W3C export names it as the target's source (Hypothesis anchors on the web
page), and an import maps it back to its document."""

from __future__ import annotations

import json
from pathlib import Path

from reader.corpus.documents import Corpus
from reader.model.annotation import annotation_from_document
from reader.store.annotation_store import AnnotationStore
from reader.transfer import export, import_file

URL = "https://labourlist.org/2019/09/winning-back-labours-heartlands/"


def test_the_url_is_the_w3c_source_and_imports_map_it_back(tmp_path: Path) -> None:
    corpus_dir = tmp_path / "corpus"
    corpus_dir.mkdir()
    (corpus_dir / "oped.txt").write_text("We have to win here. Other text.\n", encoding="utf-8")
    (corpus_dir / "plain.txt").write_text("No url here.\n", encoding="utf-8")
    (corpus_dir / "corpus.toml").write_text(
        f'[documents.oped]\ntitle = "An op-ed"\nurl = "{URL}"\n', encoding="utf-8"
    )
    corpus = Corpus.load(corpus_dir)
    oped, plain = corpus.get("oped"), corpus.get("plain")
    assert oped is not None and plain is not None and oped.url == URL and plain.url == ""
    anns = [
        annotation_from_document(oped, 0, 20, label="claim"),
        annotation_from_document(plain, 0, 2, label="claim"),
    ]
    out = tmp_path / "a.jsonld"
    export("w3c", anns, corpus, out)
    items = json.loads(out.read_text())["first"]["items"]
    assert [item["target"]["source"] for item in items] == [URL, "urn:reader:doc:plain"]
    # The URL alone (as Hypothesis writes it, without reader's ids) finds the document again.
    items[0]["id"] = "urn:x:elsewhere"
    out.write_text(json.dumps(items[0]), encoding="utf-8")
    with AnnotationStore.open(tmp_path / "store.json") as store:
        report = import_file(out, "w3c", corpus, store)
        assert not report.unmatched
        [imported] = store.annotations("oped")
        assert (imported.start, imported.end, imported.label) == (0, 20, "claim")


def test_a_hypothesis_annotation_with_offset_timestamps_imports(tmp_path: Path) -> None:
    # Hypothesis writes times with microseconds and an offset, and a list of selectors per target.
    corpus_dir = tmp_path / "corpus"
    corpus_dir.mkdir()
    (corpus_dir / "oped.txt").write_text("We have to win here. Other text.\n", encoding="utf-8")
    corpus = Corpus.load(corpus_dir)
    item = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "https://hypothes.is/a/abc123",
        "type": "Annotation",
        "created": "2024-03-01T11:00:00.123456+01:00",
        "modified": "2024-03-01T10:00:00.000000+00:00",
        "creator": "acct:sam@hypothes.is",
        "body": [{"type": "TextualBody", "value": "Check this", "purpose": "commenting"}],
        "target": [
            {
                "source": "https://example.org/oped.txt",
                "selector": [{"type": "TextQuoteSelector", "exact": "We have to win here."}],
            }
        ],
    }
    path = tmp_path / "h.jsonld"
    path.write_text(json.dumps(item), encoding="utf-8")
    with AnnotationStore.open(tmp_path / "store.json") as store:
        report = import_file(path, "w3c", corpus, store)
        assert not report.unmatched
        [imported] = store.annotations("oped")
    assert (imported.start, imported.end, imported.note) == (0, 20, "Check this")
    assert (imported.created, imported.modified) == (
        "2024-03-01T10:00:00.123Z",
        "2024-03-01T10:00:00.000Z",
    )
