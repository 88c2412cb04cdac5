"""Numbers in JSON text that orjson would read inexactly (standard library only: the action
workers import it through runtime/protocol.py, the decoding policy through _json_input.py)."""

from __future__ import annotations

# A number in JSON text follows ':', '[', ',', whitespace or '-'; a run of 19 digits there may
# be an integer beyond 64 bits (digits inside strings follow letters, quotes or other marks).
_BEFORE_NUMBER = frozenset(b":[, \t\r\n-")
_DIGITS = bytes(48 if 48 <= c <= 57 else 58 if c in _BEFORE_NUMBER else 32 for c in range(256))
_WIDE = b":" + b"0" * 19


def has_wide_number(raw: bytes) -> bool:
    """Whether a number in the JSON text may have 19 digits or more (orjson reads an integer
    beyond 64 bits as a float)."""
    return _WIDE in b":" + raw.translate(_DIGITS)
