"""The tenant's cipher: its master key, encryption of secret values at rest (Fernet),
integrity MACs, and the checks of secret names and values. (Named ``cipher``, not
``secrets``, so that it does not shadow the standard library's ``secrets``.)

The master key comes from ``JUPYTER_ACTIONS_MASTER_KEY`` or, failing that, from a key file
beside the tenant store. The file is made on first use, whole or not at all: written with mode
0600 under a temporary name in its directory, synced, then hard-linked into place, so a process
never reads a partial key and processes racing on a new tenant all use the one linked first.
A missing file is made again only while the tenant holds nothing the old key encrypted or
signed; otherwise it is an error. A key check token stored in the tenant tells a wrong key
apart from corrupt data, and every key error names where the key came from (the variable
only when it is set, else the file).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .errors import InvalidInputError, SecretsError

MASTER_KEY_ENV = "JUPYTER_ACTIONS_MASTER_KEY"
MAX_VALUE_CHARS = 4096
MIN_VALUE_CHARS = 4
JSON_LITERALS = ("true", "false", "null")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,127}$")
_KEY_CHECK_PLAINTEXT = b"jupyter-actions key check"
_MAC_INFO = b"jupyter-actions version integrity"
MacPart = str | int | bool | None


def check_name(name: object) -> str:
    if not isinstance(name, str) or not _NAME.match(name):
        raise InvalidInputError(
            f"invalid secret name {name!r}: use 1 to 128 letters, digits or '_', not starting "
            "with a digit (for example SLACK_WEBHOOK_URL)"
        )
    return name


def check_value(name: str, value: str) -> str:
    """Validate a value; the message never repeats the value itself."""
    if not isinstance(value, str):
        raise InvalidInputError(f"secret {name}: the value must be text")
    if not value:
        raise InvalidInputError(f"secret {name}: the value is empty; give a non-empty value")
    if len(value) < MIN_VALUE_CHARS:
        raise InvalidInputError(
            f"secret {name}: the value is shorter than {MIN_VALUE_CHARS} characters, too short to be "
            "a secret or to be redacted from logs without hiding other text; give the real value"
        )
    if value in JSON_LITERALS:
        raise InvalidInputError(
            f"secret {name}: the value is a JSON literal, which cannot be told apart from the data "
            "around it; give the real value"
        )
    if len(value) > MAX_VALUE_CHARS:
        raise InvalidInputError(f"secret {name}: the value has {len(value)} characters; the limit is {MAX_VALUE_CHARS}")
    return value


class Cipher:
    """Fernet encryption and HMAC-SHA256 with the tenant's master key (loaded on first use).

    ``holds_keyed_data`` tells whether the tenant holds anything the key encrypted or signed;
    while it does, a missing key file is an error instead of a new key (None: nothing to
    protect, as for a key file of its own)."""

    def __init__(self, key_file: Path, *, holds_keyed_data: Callable[[], bool] | None = None) -> None:
        self._key_file = key_file
        self._holds_keyed_data = holds_keyed_data
        self._fernet: Any = None
        self._key = b""
        self._source = ""
        self._mac_key: bytes | None = None

    def encrypt(self, plaintext: str) -> str:
        return self._get().encrypt(plaintext.encode()).decode()

    def decrypt(self, token: str) -> str:
        from cryptography.fernet import InvalidToken

        try:
            return self._get().decrypt(token.encode()).decode()
        except InvalidToken:
            raise SecretsError(_wrong_key_message(self._source, self._key_file)) from None

    def decrypt_or_none(self, token: str) -> str | None:
        """The plaintext, or None when ``token`` is not a token of this key."""
        from cryptography.fernet import InvalidToken

        try:
            return self._get().decrypt(token.encode()).decode()
        except (InvalidToken, ValueError):
            return None

    def encrypt_mapping(self, values: Mapping[str, str]) -> str:
        return self.encrypt(json.dumps(dict(values), sort_keys=True))

    def decrypt_mapping(self, token: str | None) -> dict[str, str]:
        return json.loads(self.decrypt(token)) if token else {}

    def key_check_token(self) -> str:
        return self._get().encrypt(_KEY_CHECK_PLAINTEXT).decode()

    def verify(self, key_check_token: str) -> None:
        """Raise SecretsError when the key is not the one the tenant's secrets were stored with."""
        self.decrypt(key_check_token)

    def mac(self, parts: Sequence[MacPart]) -> str:
        """HMAC-SHA256 (hex) of a canonical encoding of ``parts``, with a key derived from the
        master key (HKDF, its own ``info``: never the encryption key itself)."""
        return hmac.new(self._get_mac_key(), _canonical(parts), hashlib.sha256).hexdigest()

    def verify_mac(self, parts: Sequence[MacPart], mac: str | None) -> bool:
        """Whether ``mac`` is the MAC of ``parts`` (constant-time); a missing MAC never is."""
        return isinstance(mac, str) and hmac.compare_digest(self.mac(parts).encode(), mac.encode())

    def _get_mac_key(self) -> bytes:
        if self._mac_key is None:
            from cryptography.hazmat.primitives import hashes
            from cryptography.hazmat.primitives.kdf.hkdf import HKDF

            self._get()
            master = base64.urlsafe_b64decode(self._key)
            self._mac_key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_MAC_INFO).derive(master)
        return self._mac_key

    def _get(self):  # noqa: ANN202
        if self._fernet is None:
            from cryptography.fernet import Fernet

            key, source = _load_key(self._key_file, self._holds_keyed_data)
            try:
                self._fernet = Fernet(key)
            except (ValueError, TypeError):
                if source == MASTER_KEY_ENV:
                    raise SecretsError(
                        f"{MASTER_KEY_ENV} is not a Fernet key (32 url-safe base64-encoded bytes): make one with "
                        'python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'
                    ) from None
                raise SecretsError(
                    f"the key file {self._key_file} does not hold a Fernet key (32 url-safe base64-encoded bytes): "
                    f"restore it from a backup, or set {MASTER_KEY_ENV} to the original key"
                ) from None
            self._key, self._source = key, source
        return self._fernet


def _canonical(parts: Sequence[MacPart]) -> bytes:
    """One unambiguous byte string per sequence: each part as a type tag, its length and its
    bytes (text as UTF-8; a number, bool or None as its repr), so no two sequences encode alike."""
    chunks = []
    for part in parts:
        if isinstance(part, str):
            tag, data = b"s", part.encode("utf-8", "surrogatepass")
        else:
            tag, data = b"r", repr(part).encode()
        chunks.append(b"%s%d:%s" % (tag, len(data), data))
    return b"".join(chunks)


def _load_key(key_file: Path, holds_keyed_data: Callable[[], bool] | None) -> tuple[bytes, str]:
    """The master key and where it came from: ``MASTER_KEY_ENV`` or ``"the key file PATH"``."""
    from_env = os.environ.get(MASTER_KEY_ENV)
    if from_env:
        return from_env.strip().encode(), MASTER_KEY_ENV
    source = f"the key file {key_file}"
    key = _read_key(key_file)
    if key is None and holds_keyed_data is not None and holds_keyed_data():
        key = _read_key(key_file)  # another process may have made it meanwhile
        if key is None:
            raise SecretsError(
                f"the master key file {key_file} is missing, but this tenant holds data encrypted or signed with "
                f"it (secrets, deployed versions): restore the file from a backup or set {MASTER_KEY_ENV} to the "
                "original key; a new key would make that data unreadable"
            )
    return (key if key is not None else _create_key(key_file)), source


def _read_key(key_file: Path) -> bytes | None:
    """The key file's content; None when there is no such file."""
    try:
        return key_file.read_bytes().strip()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise SecretsError(
            f"cannot read the master key file {key_file}: {exc.strerror or exc}: check that it is a file "
            f"this user can read, or set {MASTER_KEY_ENV}"
        ) from None


def _create_key(key_file: Path) -> bytes:
    """A new key, linked into place whole; the key of a process that linked first wins."""
    from cryptography.fernet import Fernet

    key = Fernet.generate_key()
    try:
        key_file.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{key_file.name}.", suffix=".new", dir=key_file.parent)
    except OSError as exc:
        raise SecretsError(f"cannot create the master key file {key_file}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(handle, "wb") as file:  # mkstemp: mode 0600
            file.write(key)
            file.flush()
            os.fsync(file.fileno())
        os.link(name, key_file)
    except FileExistsError:
        return _read_key(key_file) or b""  # empty: reported as not a Fernet key
    except OSError as exc:
        raise SecretsError(
            f"cannot create the master key file {key_file}: {exc.strerror or exc} (its file "
            "system must support hard links)"
        ) from None
    finally:
        os.unlink(name)
    directory = os.open(key_file.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
    return key


def _wrong_key_message(source: str, key_file: Path) -> str:
    fix = (
        f"set {MASTER_KEY_ENV} to the original key, or unset it to use the tenant's key file"
        if source == MASTER_KEY_ENV
        else f"restore the original {key_file} from a backup, or set {MASTER_KEY_ENV} to the original key"
    )
    return f"the master key from {source} does not match the key this tenant's data were encrypted with: {fix}"
