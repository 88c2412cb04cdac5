"""Dependency strings as a user writes them: `NAME` or `NAME==VERSION`, nothing else.

Auth0 takes a package name and an optional exact version; so do we. Ranges, extras, markers
and URLs are refused because a dependency is resolved once and then stays pinned forever.
"""

from __future__ import annotations

from collections.abc import Sized
from dataclasses import dataclass

from packaging.requirements import InvalidRequirement
from packaging.requirements import Requirement as _PackagingRequirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from jupyter_actions.errors import InvalidInputError, LimitExceeded

MAX_DEPENDENCIES = 10  # Auth0: "npm dependencies per Action: 10"

_EXAMPLE = "for example 'slack-sdk' or 'slack-sdk==3.27.1'"


@dataclass(frozen=True)
class Requirement:
    """A dependency as added by the user; `version` is None for "the latest"."""

    name: str  # PEP 503 normalised
    version: str | None = None

    def __str__(self) -> str:
        return self.name if self.version is None else f"{self.name}=={self.version}"


@dataclass(frozen=True)
class Pin:
    """A dependency with its exact version, fixed when it was added."""

    name: str
    version: str

    def __str__(self) -> str:
        return f"{self.name}=={self.version}"


def parse_requirement(text: str) -> Requirement:
    """Parse `NAME` or `NAME==VERSION` (InvalidInputError for anything else)."""
    if not isinstance(text, str) or not text.strip():
        raise InvalidInputError(f"a dependency needs a package name, {_EXAMPLE}")
    text = text.strip()
    try:
        parsed = _PackagingRequirement(text)
    except InvalidRequirement:
        raise InvalidInputError(f"cannot read dependency {text!r}: write NAME or NAME==VERSION, {_EXAMPLE}") from None
    if parsed.url:
        raise InvalidInputError(
            f"dependency {text!r} is a URL: only packages from the index can be used; write NAME or NAME==VERSION"
        )
    if parsed.extras:
        raise InvalidInputError(
            f"dependency {text!r} has extras [{','.join(sorted(parsed.extras))}]: "
            "add the packages an extra brings as dependencies of their own"
        )
    if parsed.marker:
        raise InvalidInputError(f"dependency {text!r} has an environment marker: remove everything after ';'")
    name = canonicalize_name(parsed.name)
    specifiers = list(parsed.specifier)
    if not specifiers:
        return Requirement(name)
    only = specifiers[0]
    if len(specifiers) > 1 or only.operator != "==" or only.version.endswith(".*"):
        raise InvalidInputError(
            f"dependency {text!r} is a version range: pin one exact version with == "
            f"(for example '{name}==1.2.3') or leave the version out to get the latest"
        )
    try:
        version = str(Version(only.version))
    except InvalidVersion:
        raise InvalidInputError(
            f"dependency {text!r} has an invalid version {only.version!r}: use a version "
            "published on the index, such as 1.2.3"
        ) from None
    return Requirement(name, version)


def check_count(requirements: Sized, limit: int = MAX_DEPENDENCIES) -> None:
    """Refuse more than `limit` dependencies for one action."""
    if len(requirements) > limit:
        raise LimitExceeded(
            f"an action can have at most {limit} dependencies, got {len(requirements)}: "
            f"remove {len(requirements) - limit}"
        )
