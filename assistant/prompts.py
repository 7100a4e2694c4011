"""The prompts, as files in ``prompts/``: one Markdown file each, with front matter.

The front matter documents the prompt (``description``) and declares its variables
(``variables``: name -> what it holds). Rendering is strict: the template must use
exactly the declared variables, and a render must give every one of them and nothing
else; a mismatch is an error, never a silently empty placeholder. Templates use
``{name}`` placeholders (``{{`` and ``}}`` for literal braces).
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import frontmatter
import yaml

from corpus import NewsdeskError

PROMPTS_DIR = Path(__file__).resolve().parents[1] / "prompts"


class PromptError(NewsdeskError):
    """A prompt file that cannot be used: the deployment's error, not the user's."""

    status = 500


@dataclass(frozen=True)
class Prompt:
    name: str
    template: str
    description: str
    variables: tuple[str, ...]

    def render(self, **values: object) -> str:
        given, wanted = set(values), set(self.variables)
        if given != wanted:
            missing, extra = sorted(wanted - given), sorted(given - wanted)
            raise PromptError(f"Prompt {self.name!r}: " + "; ".join(
                x for x in (f"missing {', '.join(missing)}" if missing else "",
                            f"unknown {', '.join(extra)}" if extra else "") if x) + ".")
        return self.template.format(**{k: str(v) for k, v in values.items()})


def placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}


@lru_cache(maxsize=None)
def load_prompt(name: str, directory: Path = PROMPTS_DIR) -> Prompt:
    """``prompts/<name>.md``, checked: its placeholders must be its declared variables."""
    path = Path(directory) / f"{name}.md"
    try:
        post = frontmatter.load(path)
    except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError) as exc:
        raise PromptError(f"Cannot read the prompt file {path}: {exc}") from exc
    declared = tuple(post.metadata.get("variables") or {})
    try:
        used = placeholders(post.content)
    except ValueError as exc:  # an unmatched brace
        raise PromptError(f"Prompt {path}: {exc}; write literal braces as {{{{ and }}}}.") from exc
    if used != set(declared):
        raise PromptError(f"Prompt {path} uses {sorted(used)} but declares {sorted(declared)}.")
    return Prompt(name, post.content.strip() + "\n", str(post.metadata.get("description", "")).strip(),
                  declared)
