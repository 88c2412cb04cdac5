"""Frames: JSON head, optional blobs, written with orjson and read with the standard library."""

from __future__ import annotations

import math

import pytest

from jupyter_actions.runtime.protocol import HEADER, pack, unpack


def body(frame: bytes) -> bytes:
    assert int.from_bytes(frame[:HEADER], "big") == len(frame) - HEADER
    return frame[HEADER:]


def test_blobs_travel_as_they_are_after_the_json() -> None:
    blobs = [b'{"user": {"name": "J\\u00f6rg"}}', "Jörg, raw UTF-8".encode(), b""]
    data = unpack(body(pack({"jobs": [{"x": 0}]}, blobs)))
    assert data["jobs"] == [{"x": 0}] and data["blobs"] == [len(b) for b in blobs]
    assert data["blob_data"] == blobs


def test_what_orjson_will_not_write_falls_back_to_the_standard_library() -> None:
    data = unpack(body(pack({"big": 2 ** 70, "keys": {1: "one", None: "none"}, "text": "Ω"})))
    assert data == {"big": 2 ** 70, "keys": {"1": "one", "null": "none"}, "text": "Ω"}


def test_nan_and_infinity_are_written_as_null_like_javascript() -> None:
    assert unpack(body(pack({"values": [math.nan, math.inf, -math.inf, 1.5]}))) == {"values": [None, None, None, 1.5]}


def test_what_is_not_json_at_all_is_refused() -> None:
    with pytest.raises(TypeError):
        pack({"value": {1, 2}})
