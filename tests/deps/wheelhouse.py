"""Builds the offline wheelhouse of the deps tests and benchmark.

The wheels are written directly (a wheel is a zip of the package, METADATA, WHEEL and
RECORD), so that no build backend has to be installed and nothing is fetched. The sources in
packages/ are ja-hello 1.0 and 2.0 (2.0 needs ja-dep), ja-dep, ja-native (a platform wheel)
and ja-sneaky (a pure-tagged wheel that ships a .so file); `[tool.ja-wheel]` in their
pyproject.toml says what is special. The benchmark adds generated `ja-bulk` packages to get a
lock of realistic size.
"""

from __future__ import annotations

import base64
import hashlib
import tomllib
import zipfile
from pathlib import Path

from packaging.tags import sys_tags

PACKAGES = Path(__file__).with_name("packages")

_MODULE = '''"""Generated module {index} of {name}."""

import dataclasses


@dataclasses.dataclass
class Record{index}:
    name: str
    value: int = {index}

    def describe(self) -> str:
        return f"{{self.name}}={{self.value}}"


def make(count: int) -> list:
    return [Record{index}(str(i), i) for i in range(count)]
'''


def build_wheel(source: Path, directory: Path) -> Path:
    """Write the wheel of the project in `source` (a pyproject.toml and one package folder)."""
    pyproject = tomllib.loads((source / "pyproject.toml").read_text())
    project, options = pyproject["project"], pyproject.get("tool", {}).get("ja-wheel", {})
    stem = f"{project['name'].replace('-', '_')}-{project['version']}"
    tag = str(next(iter(sys_tags()))) if options.get("native") else "py3-none-any"
    files = {path.relative_to(source).as_posix(): path.read_bytes() for path in sorted(source.rglob("*.py"))}
    files.update({name: text.encode() for name, text in options.get("generated-files", {}).items()})
    metadata = [f"Metadata-Version: 2.1\nName: {project['name']}\nVersion: {project['version']}\n"]
    metadata += [f"Requires-Dist: {requirement}\n" for requirement in project["dependencies"]]
    files[f"{stem}.dist-info/METADATA"] = "".join(metadata).encode()
    files[f"{stem}.dist-info/WHEEL"] = (
        f"Wheel-Version: 1.0\nGenerator: wheelhouse.py\n"
        f"Root-Is-Purelib: {'false' if options.get('native') else 'true'}\nTag: {tag}\n"
    ).encode()
    record = [f"{name},sha256={_digest(data)},{len(data)}\n" for name, data in files.items()]
    files[f"{stem}.dist-info/RECORD"] = "".join([*record, f"{stem}.dist-info/RECORD,,\n"]).encode()
    wheel = directory / f"{stem}-{tag}.whl"
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), data)
    return wheel


def build_wheelhouse(directory: Path, sources: list[Path] | None = None) -> Path:
    """Wheels of every project in packages/ (plus `sources`) in `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    for source in sorted(PACKAGES.iterdir()) + list(sources or ()):
        build_wheel(source, directory)
    return directory


def write_bulk_sources(root: Path, packages: int, modules: int) -> list[Path]:
    """Sources of `ja-bulk`, which depends on ja-bulk-1 .. ja-bulk-N of `modules` modules each."""
    names = [f"ja-bulk-{i}" for i in range(1, packages + 1)]
    sources = [_write_source(root, name, [], modules) for name in names]
    return [*sources, _write_source(root, "ja-bulk", names, 1)]


def _write_source(root: Path, name: str, dependencies: list[str], modules: int) -> Path:
    source = root / name
    package = source / name.replace("-", "_")
    package.mkdir(parents=True)
    requires = ", ".join(f'"{d}"' for d in dependencies)
    (source / "pyproject.toml").write_text(
        f'[project]\nname = "{name}"\nversion = "1.0"\ndependencies = [{requires}]\n'
    )
    (package / "__init__.py").write_text('__version__ = "1.0"\n')
    for index in range(modules):
        (package / f"module_{index}.py").write_text(_MODULE.format(index=index, name=name))
    return source


def _digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def build_corrupt_wheelhouse(directory: Path, name: str = "ja-corrupt") -> Path:
    """A folder in ``directory`` with the package ``name``, whose wheel resolves but fails to
    install (a bad CRC)."""
    module = name.replace("-", "_")
    source = directory / name
    (source / module).mkdir(parents=True)
    (source / "pyproject.toml").write_text(f'[project]\nname = "{name}"\nversion = "1.0"\ndependencies = []\n')
    (source / module / "__init__.py").write_text("VALUE = '" + "x" * 4000 + "'\n")
    house = directory / f"{name}-house"
    house.mkdir()
    wheel = build_wheel(source, house)
    with zipfile.ZipFile(wheel) as archive:
        info = archive.getinfo(f"{module}/__init__.py")
    data = bytearray(wheel.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for offset in range(start + 10, start + 40):
        data[offset] ^= 0xFF
    wheel.write_bytes(bytes(data))
    return house
