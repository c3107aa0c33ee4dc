"""A project folder: `corpus/` with the documents and `annotations/` with the store."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from reader.corpus.documents import Corpus, Status, parse_front_matter, read_text
from reader.errors import CorpusError, ProjectError

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


def iter_sources(paths: list[Path], warn: Callable[[str], None]) -> Iterator[tuple[str, str, int]]:
    """(path, normalised text, body start) for each document file or each document of a folder.

    A folder is a project (with corpus/) or a corpus itself. Unreadable documents inside a folder are
    skipped with a warning (`warn` gets its text); an unreadable file named directly raises
    CorpusError. A file read as Windows-1252 because it is not UTF-8 is read with a warning naming it.
    """
    for path in paths:
        if path.is_dir():
            folder = path / "corpus" if (path / "corpus").is_dir() else path
            corpus = Project.resolve(path).load_corpus() if folder != path else Corpus.load(path)
            for doc in corpus:
                try:
                    text = doc.text
                except CorpusError as exc:
                    warn(f"skipped {exc}")
                    continue
                if doc.status == Status.CP1252:
                    warn(f"warning: {doc.message}")
                yield str(doc.path), text, doc.body_start
        else:
            decoded = read_text(path)
            if decoded.warning:
                warn(f"warning: {decoded.warning}")
            text = decoded.text
            try:
                front = parse_front_matter(text)
            except ValueError:
                front = None
            yield str(path), text, front[1] if front else 0
