"""A project folder: `corpus/` with the documents and `annotations/` with the store."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reader.corpus import Corpus
from reader.errors import ProjectError

STORE_NAME = "store.json"


@dataclass(frozen=True)
class Project:
    root: Path
    corpus_dir: Path
    store_path: Path

    @classmethod
    def resolve(
        cls, project: Path | None = None, corpus: Path | None = None, store: Path | None = None
    ) -> Project:
        """Resolve the folders a command works on; explicit --corpus/--store win over the project's."""
        root = Path(project) if project is not None else Path.cwd()
        if not root.is_dir():
            raise ProjectError(f"{root}: no such project folder; pass a folder that holds corpus/")
        corpus_dir = Path(corpus) if corpus is not None else root / "corpus"
        if not corpus_dir.is_dir():
            hint = "pass --corpus DIR" if corpus is None else "check the --corpus path"
            raise ProjectError(f"{corpus_dir}: no corpus folder here; {hint}")
        store_path = Path(store) if store is not None else root / "annotations" / STORE_NAME
        return cls(root.resolve(), corpus_dir.resolve(), store_path.absolute())

    def load_corpus(self) -> Corpus:
        return Corpus.load(self.corpus_dir)
