"""The project's own exception types for errors a user can cause.

Every message names the file (and position where there is one) and says what to do; the CLI prints it
on one line without a traceback and the app shows it as a notification or an error screen.
"""

from __future__ import annotations


class ReaderError(Exception):
    """Base for user-facing errors."""


class ProjectError(ReaderError):
    """A project folder, corpus folder or option that cannot be used."""


class CorpusError(ReaderError):
    """A document that cannot be read or decoded; `status` is the short form the library shows."""

    def __init__(self, message: str, status: str = "unreadable") -> None:
        super().__init__(message)
        self.status = status
