"""The user's config.toml: annotator name, theme and key remapping. A broken file never stops the app.

Lives in the platform's user config folder (`~/.config/reader/config.toml` on Linux); `READER_CONFIG`
points elsewhere (tests, shared machines).

    annotator = "Ada"
    theme = "textual-light"
    [keymap]
    "document.accept" = "enter"     # Binding id = keys, comma-separated for several
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reader.model.annotation import default_author

ENV_VAR = "READER_CONFIG"


def config_path() -> Path:
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    from platformdirs import user_config_dir

    return Path(user_config_dir("reader")) / "config.toml"


@dataclass
class Config:
    annotator: str = field(default_factory=default_author)
    # None: the file sets none, so the theme last picked in the app (kept in the store) is used.
    theme: str | None = None
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
            elif isinstance(keys, str):
                problems.append(f"{path}: [keymap] {binding_id!r} is empty; its default keys stay")
            else:
                problems.append(
                    f"{path}: [keymap] {binding_id!r} must be a string of keys, "
                    f'such as "ctrl+s" or "a,b"; its default keys stay'
                )
    else:
        problems.append(f"{path}: [keymap] must be a table of binding id = keys")
    return config, problems


@dataclass(frozen=True)
class KeyUse:
    """One binding active on a screen: its id (None when a keymap cannot move it), name and keys."""

    binding_id: str | None
    name: str
    keys: tuple[str, ...]
    action: str = ""  # two bindings doing the same (the app's quit and Textual's) do not clash


def check_keymap(
    config: Config,
    keymap: Mapping[str, tuple[str, ...]],
    screens: Mapping[str, Sequence[KeyUse]],
) -> tuple[dict[str, str], list[str]]:
    """The overrides that can be applied as they are, and why each other one was left out.

    `keymap` is the config's keymap with keys spelled as the app spells them ("?" is
    "question_mark"); `screens` lists the bindings active on each screen, by the screen's name. An
    override is left out (its binding keeps its default keys) when its id is unknown, or when on some
    screen it lands on a key that another binding uses there: one of the two would never fire.
    """
    import difflib  # only a config with a keymap gets here

    known = {use.binding_id for uses in screens.values() for use in uses if use.binding_id}
    problems = []
    for binding_id in sorted(set(keymap) - known):
        close = difflib.get_close_matches(binding_id, sorted(known), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        problems.append(f"{binding_id!r} is not a binding id{hint}")
    accepted = {binding_id: keys for binding_id, keys in keymap.items() if binding_id in known}
    while True:
        # Dropping an override puts its default keys back, which may clash in turn: check again.
        clashes: dict[str, str] = {}
        for screen, uses in screens.items():
            on_key: dict[str, list[KeyUse]] = {}
            for use in uses:
                keys = accepted.get(use.binding_id, use.keys) if use.binding_id else use.keys
                for key in keys:
                    if all(other.name != use.name for other in on_key.get(key, [])):
                        on_key.setdefault(key, []).append(use)
            for key, users in on_key.items():
                for use in users:
                    others = ", ".join(
                        repr(o.name) for o in users if o is not use and o.action != use.action
                    )
                    if others and use.binding_id in accepted:
                        clashes.setdefault(
                            use.binding_id,
                            f"{use.binding_id!r} = {config.keymap[use.binding_id]!r}: {key} is "
                            f"already {others} on {screen}",
                        )
        if not clashes:
            break
        for binding_id, why in clashes.items():
            del accepted[binding_id]
            problems.append(why)
    return {binding_id: ",".join(keys) for binding_id, keys in accepted.items()}, problems


MODIFIERS = ("ctrl", "shift", "alt", "meta", "super", "hyper")


def key_problem(key: str, names: Collection[str]) -> str | None:
    """Why `key` (spelled as bindings spell it: "ctrl+s", "question_mark") can never be pressed, or
    None. `names` are the key names the terminal layer knows besides single characters."""
    modifiers, _, base = key.rpartition("+")
    for modifier in modifiers.split("+") if modifiers else []:
        if modifier not in MODIFIERS:
            return f"{modifier!r} is not a modifier (use {', '.join(MODIFIERS)})"
    if not base:
        return f"{key!r} has no key after its modifiers"
    if (len(base) == 1 and base.isprintable()) or base in names:
        return None
    return (
        f"{base!r} is not a key: use one character or a key name such as "
        "f5, pageup, space, escape or question_mark"
    )


# How many problems one notification lists; the rest are counted.
NOTICE_LIMIT = 6


def config_notice(
    config: Config, problems: Sequence[str], keymap: Sequence[str] = (), limit: int = NOTICE_LIMIT
) -> str:
    """The config's problems as one message that names the file, short enough to stay on screen.

    `problems` are lines of `load_config` and the like (they may start with the file's path);
    `keymap` are the [keymap] entries left out, each of which keeps its binding's default keys.
    """
    where = str(config.path or "config.toml")
    items = [(False, p.removeprefix(f"{where}: ")) for p in problems]
    items += [(True, k) for k in keymap]
    shown = items if len(items) <= limit else items[: limit - 1]
    lines = [f"{where}:"]
    in_keymap = False
    for is_keymap, text in shown:
        if is_keymap and not in_keymap:
            lines.append("[keymap] these entries keep their default keys:")
            in_keymap = True
        lines.append(f"• {text}")
    if len(shown) < len(items):
        lines.append(f"… and {len(items) - len(shown)} more; see {where}")
    return "\n".join(lines)
