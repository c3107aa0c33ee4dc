"""A document's published `url` (corpus.toml): the W3C export names it as the target's source, and
an import maps it back to the document, a Hypothesis-style annotation (a quote selector only, on a
text edited since) included."""

from __future__ import annotations

import json
from pathlib import Path

from reader.store.annotation_store import AnnotationStore
from tests.transfer.test_check import CLAIM, OPED, project, reader, stored

URL = "https://example.org/2019/oped"


def test_the_url_is_the_w3c_source_and_an_import_maps_it_back(tmp_path: Path) -> None:
    root, (claim, _fact, _marginal) = project(tmp_path)
    (root / "corpus" / "corpus.toml").write_text(
        f'[documents."oped"]\nurl = "{URL}"\n', encoding="utf-8"
    )
    out = tmp_path / "a.jsonld"
    done = reader("export", "--format", "w3c", "-o", str(out), str(root))
    assert done.returncode == 0, done.stderr
    items = json.loads(out.read_text(encoding="utf-8"))["first"]["items"]
    assert {item["target"]["source"] for item in items} == {URL}

    # Into a fresh project whose text gained a line since: placed by the quote, on "oped".
    other, _ = project(tmp_path / "other")
    (other / "corpus" / "corpus.toml").write_text(
        f'[documents."oped"]\nurl = "{URL}"\n', encoding="utf-8"
    )
    (other / "corpus" / "oped.txt").write_text("A line on top.\n" + OPED, encoding="utf-8")
    with AnnotationStore.open(other / "annotations" / "store.json") as store:
        for ann in store.annotations():
            store.delete(ann.id)
    hypothesis_style = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "id": "urn:x-hypothesis:1",
        "body": [{"type": "TextualBody", "value": "the key line", "purpose": "commenting"}],
        "target": {
            "source": URL,
            "selector": [{"type": "TextQuoteSelector", "exact": CLAIM, "prefix": "", "suffix": ""}],
        },
    }
    (tmp_path / "h.jsonld").write_text(json.dumps(hypothesis_style), encoding="utf-8")
    for path in (out, tmp_path / "h.jsonld"):
        done = reader("import", str(path), str(other), "--format", "w3c")
        assert done.returncode == 0, done.stderr
    placed = list(stored(other).values())
    assert {ann.doc for ann in placed} == {"oped"}
    text = "A line on top.\n" + OPED
    assert all(text[ann.start : ann.end] == ann.quote for ann in placed if ann.start is not None)
    assert any(ann.note == "the key line" and ann.quote == CLAIM for ann in placed)
    assert claim.id in {ann.id for ann in placed}
