"""Frames: JSON head, optional blobs, written with orjson, read as the standard library reads them."""

from __future__ import annotations

import json
import math
import os

import pytest

from jupyter_actions.runtime.protocol import HEADER, FrameReader, ProtocolError, decode, pack, unpack


def body(frame: bytes) -> bytes:
    assert int.from_bytes(frame[:HEADER], "big") == len(frame) - HEADER
    return frame[HEADER:]


def test_blobs_travel_as_they_are_after_the_json() -> None:
    blobs = [b'{"user": {"name": "J\\u00f6rg"}}', "Jörg, raw UTF-8".encode(), b""]
    data = unpack(body(pack({"jobs": [{"x": 0}]}, blobs)))
    assert data["jobs"] == [{"x": 0}] and data["blobs"] == [len(b) for b in blobs]
    assert data["blob_data"] == blobs


def test_what_orjson_will_not_write_falls_back_to_the_standard_library() -> None:
    data = unpack(body(pack({"big": 2**70, "keys": {1: "one", None: "none"}, "text": "Ω"})))
    assert data == {"big": 2**70, "keys": {"1": "one", "null": "none"}, "text": "Ω"}


def test_nan_and_infinity_are_written_as_null_like_javascript() -> None:
    assert unpack(body(pack({"values": [math.nan, math.inf, -math.inf, 1.5]}))) == {"values": [None, None, None, 1.5]}


def test_what_is_not_json_at_all_is_refused() -> None:
    with pytest.raises(TypeError):
        pack({"value": {1, 2}})


@pytest.mark.parametrize(
    "text, expected",
    [
        (b'{"a": 123456789012345678901234567890}', {"a": 123456789012345678901234567890}),
        (b"[-12345678901234567890, 1]", [-12345678901234567890, 1]),
        (b"123456789012345678901", 123456789012345678901),
        ('{"id": "auth0|000000000000000000000005", "n": 1.25}', {"id": "auth0|000000000000000000000005", "n": 1.25}),
        (b'{"n": NaN}', {"n": "nan"}),
    ],
)
def test_decode_reads_as_the_standard_library_does(text, expected) -> None:
    """orjson reads integers beyond 64 bits as floats and refuses NaN: those texts go to the
    standard library, the rest to orjson, with the same result."""
    got = decode(text)
    if expected == {"n": "nan"}:
        assert math.isnan(got["n"])
    else:
        assert got == expected and got == json.loads(text)
        assert [type(v) for v in (got.values() if isinstance(got, dict) else [got])] == [
            type(v) for v in (expected.values() if isinstance(expected, dict) else [expected])
        ]


def test_a_reader_refuses_an_announced_frame_beyond_its_limit() -> None:
    read, write = os.pipe()
    try:
        os.write(write, (1 << 30).to_bytes(HEADER, "big"))
        reader = FrameReader(read, max_frame=1 << 20)
        with pytest.raises(ProtocolError, match="announced"):
            reader.read()
    finally:
        os.close(read)
        os.close(write)
