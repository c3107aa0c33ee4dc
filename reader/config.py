"""The user's config.toml: annotator name, theme and key remapping. A broken file never stops the app.

Lives in the platform's user config folder (`reader config-path` prints it); `READER_CONFIG` points
elsewhere (tests, shared machines).

    annotator = "Ada"
    theme = "textual-light"
    [keymap]
    "document.accept" = "enter"     # Binding id = keys, comma-separated for several
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from reader.model import default_author

ENV_VAR = "READER_CONFIG"


def config_path() -> Path:
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    from platformdirs import user_config_dir

    return Path(user_config_dir("reader")) / "config.toml"


@dataclass
class Config:
    annotator: str = field(default_factory=default_author)
    theme: str = "textual-dark"
    keymap: dict[str, str] = field(default_factory=dict)
    path: Path | None = None


def load_config(path: Path | None = None) -> tuple[Config, list[str]]:
    """The config and the problems found in it; defaults stand in for anything missing or broken."""
    path = path or config_path()
    config = Config(path=path)
    problems: list[str] = []
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        return config, problems
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        return config, [f"{path}: {exc}; using the default settings"]
    annotator = data.get("annotator")
    if isinstance(annotator, str) and annotator.strip():
        config.annotator = annotator.strip()
    elif annotator is not None:
        problems.append(f"{path}: 'annotator' must be a non-empty string")
    theme = data.get("theme")
    if isinstance(theme, str):
        config.theme = theme
    elif theme is not None:
        problems.append(f"{path}: 'theme' must be a string")
    keymap = data.get("keymap", {})
    if isinstance(keymap, dict):
        for binding_id, keys in keymap.items():
            if isinstance(keys, str) and keys.strip():
                config.keymap[binding_id] = keys
            else:
                problems.append(f"{path}: [keymap] {binding_id!r} must be a string of keys")
    else:
        problems.append(f"{path}: [keymap] must be a table of binding id = keys")
    return config, problems
