"""What in a store only the tenant's master key opens or vouches for.

While any of it is there the tenant must never get a new key (``Cipher`` refuses to make one):
the secrets' ciphertext, the deployed versions' secrets and MACs, and the key check token
(``tenant/secret_store.ensure_key``). Whatever stores new ciphertext must store the key check
first, so that this stays the whole list.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import exists, or_, select

from .schema import meta, secrets, versions

if TYPE_CHECKING:
    from .database import Store


def holds_keyed_data(store: Store) -> bool:
    with store.read() as conn:
        return bool(
            conn.execute(
                select(
                    exists().where(meta.c.key == "key_check")
                    | exists().where(secrets.c.ciphertext.is_not(None))
                    | exists().where(or_(versions.c.secrets_ciphertext.is_not(None), versions.c.mac.is_not(None)))
                )
            ).scalar()
        )
