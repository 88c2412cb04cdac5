"""The resolved closure of an action's pins: what its environment contains, exactly."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import cached_property

from packaging.utils import canonicalize_name

from jupyter_actions.errors import InvalidInputError

_PYTHON_VERSION = re.compile(r"^3\.\d+$")


@dataclass(frozen=True)
class Lock:
    """Every package of an environment with its exact version, for one Python version.

    `packages` is kept sorted, so two locks with the same content are equal and share a
    `hash`, which names their environment in the cache.
    """

    packages: tuple[tuple[str, str], ...]
    python_version: str

    def __post_init__(self) -> None:
        check_python_version(self.python_version)
        packages = tuple(sorted((canonicalize_name(n), str(v)) for n, v in self.packages))
        names = [name for name, _ in packages]
        twice = sorted({name for name in names if names.count(name) > 1})
        if twice:
            raise InvalidInputError(f"package {twice[0]!r} appears twice in the lock: keep one version")
        object.__setattr__(self, "packages", packages)

    def to_json(self) -> str:
        """Canonical JSON (sorted keys, no spaces): the form that is hashed and stored."""
        data = {"packages": [list(p) for p in self.packages], "python_version": self.python_version}
        return json.dumps(data, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Lock:
        try:
            data = json.loads(text)
            packages = [(name, version) for name, version in data["packages"]]
            python_version = data["python_version"]
            if not all(isinstance(v, str) for pair in packages for v in pair):
                raise TypeError("package names and versions must be strings")
        except (ValueError, TypeError, KeyError) as error:
            raise InvalidInputError(f"the stored lock cannot be read ({error}): lock again") from None
        return cls(tuple(packages), python_version)

    @cached_property
    def hash(self) -> str:
        return hashlib.sha256(self.to_json().encode()).hexdigest()

    def requirements_txt(self) -> str:
        return "".join(f"{name}=={version}\n" for name, version in self.packages)


def check_python_version(python_version: str) -> None:
    if not isinstance(python_version, str) or not _PYTHON_VERSION.match(python_version):
        raise InvalidInputError(f"python version {python_version!r} is not MAJOR.MINOR: use for example '3.11'")
