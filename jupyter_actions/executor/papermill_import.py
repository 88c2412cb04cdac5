"""Importing papermill without the second a lark grammar costs.

papermill imports nbformat, which imports jsonschema, whose format checkers import
``rfc3987_syntax`` (IRI syntax) when it is installed (jsonschema's ``format-nongpl`` extra,
pulled in by Jupyter). That module compiles a lark grammar at import: about 1 s here, more
than half of papermill's import and a twentieth of a 100,000-event batch (upstream:
python-jsonschema/jsonschema#1392). Notebook schemas use no IRI formats, so when jsonschema is
not loaded yet the module is held back for this import: jsonschema then checks no ``iri`` or
``iri-reference`` format in this process, and nothing else changes.
"""

from __future__ import annotations

import sys
from types import ModuleType

_SLOW = "rfc3987_syntax"


def import_papermill() -> ModuleType:
    if "jsonschema" in sys.modules or _SLOW in sys.modules:
        import papermill

        return papermill
    sys.modules[_SLOW] = None  # type: ignore[assignment]  # an import of it raises ImportError
    try:
        import papermill
    finally:
        if sys.modules.get(_SLOW, 0) is None:
            del sys.modules[_SLOW]
    return papermill
