"""Actions Modules: shared code with its own secrets and dependencies, published as immutable,
numbered versions that actions import, each action pinned to one version (docs/modules.md).

A module's draft is saved (code, dependency pins and lock, secret names) and deployed into a
version that snapshots code, lock and secret values, sealed with a MAC like action versions
(store/integrity.py). An action's draft names the module versions it imports
(``action_modules``); deploying the action copies those pins into its version, so a later
module version changes nothing until the action is deployed again.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable, Sequence

from sqlalchemy import func, select
from sqlalchemy.engine import Connection, Row

from .._clock import now_iso
from ..cipher import Cipher, check_name, check_value
from ..errors import CodeError, ConflictError, InvalidInputError, LimitExceeded, NotFoundError, Remedy
from ..model import BuildState, Dependency, Module, ModuleRef, ModuleVersion, SecretInfo
from ..module_imports import PACKAGE, check_module_name, imported_modules
from ..store import integrity
from ..store.rows import MAX_NUMBER, draft_modules
from ..store.schema import action_modules, actions, module_secrets, module_versions, modules
from .codecheck import MAX_CODE_BYTES
from .dependencies import Prepared
from .secret_store import ensure_key

_REF = re.compile(r"^(?P<name>[^@]+)(?:@v?(?P<number>.*))?$")


# -- checks ---------------------------------------------------------------------------------
def check_module_code(name: str, code: str) -> None:
    """Small enough, compiles, and imports no other module (Auth0: modules may depend on
    packages, not on other modules)."""
    if not isinstance(code, str):
        raise InvalidInputError("the module code must be text")
    size = len(code.encode())
    if size > MAX_CODE_BYTES:
        raise CodeError(f"the code of module {name} is {size // 1024} kB; the limit is 100 kB")
    others = imported_modules(code, f"<module {name}>")
    if others:
        raise CodeError(
            f"module {name} imports {PACKAGE} ({', '.join(sorted(others))}): a module cannot import other "
            "modules; import them from the action instead, or use a dependency"
        )
    try:
        compile(code, f"<module {name}>", "exec", dont_inherit=True)
    except SyntaxError as exc:  # what parses but does not compile ('return' outside a function)
        raise CodeError(f"syntax error in module {name} at line {exc.lineno}: {exc.msg}") from None


def check_imports_declared(action: str, code: str, refs: Sequence[ModuleRef]) -> None:
    """Every module the action's code imports is one it declares (and so is pinned)."""
    missing = imported_modules(code, f"<action {action}>") - {r.module_name for r in refs}
    if missing:
        first = sorted(missing)[0]
        raise CodeError(
            f"action {action} imports module {first!r} from {PACKAGE} but does not declare it: save it with "
            f"--module {first}" + ("" if first != "*" else " for each module it uses (no `import *`)")
        )


# -- rows -----------------------------------------------------------------------------------
def module_row(conn: Connection, name: str, *, for_update: bool = False) -> Row:
    query = select(modules).where(modules.c.name == name)
    if for_update:
        query = query.with_for_update()
    row = conn.execute(query).first()
    if row is None:
        raise NotFoundError(f"module {name!r} does not exist", remedy=Remedy("list modules", "modules list"))
    return row


def module_row_by_id(conn: Connection, module_id: str) -> Row:
    """The module with this id (Auth0's Management API names modules by id)."""
    row = conn.execute(select(modules).where(modules.c.id == module_id)).first()
    if row is None:
        raise NotFoundError(f"The module does not exist: no module has the id {module_id!r}")
    return row


def version_number_of(conn: Connection, module: Row, version_id: str) -> int:
    number = conn.execute(
        select(module_versions.c.number).where(
            module_versions.c.module_id == module.id, module_versions.c.id == version_id
        )
    ).scalar()
    if number is None:
        raise NotFoundError(f"The module version does not exist: module {module.name} has no version {version_id!r}")
    return number


def importers(conn: Connection, module: Row) -> list[dict]:
    """The actions whose drafts import the module, with the version each is pinned to
    (Auth0's ``ActionModuleAction``)."""
    rows = conn.execute(
        select(
            actions.c.id,
            actions.c.name,
            actions.c.trigger_id,
            actions.c.trigger_version,
            module_versions.c.id.label("version_id"),
            module_versions.c.number,
        )
        .join(action_modules, action_modules.c.action_id == actions.c.id)
        .join(module_versions, module_versions.c.id == action_modules.c.module_version_id)
        .where(action_modules.c.module_id == module.id)
        .order_by(actions.c.name)
    )
    return [
        {
            "action_id": r.id,
            "action_name": r.name,
            "module_version_id": r.version_id,
            "module_version_number": r.number,
            "supported_triggers": [{"id": r.trigger_id, "version": r.trigger_version}],
        }
        for r in rows
    ]


def _secret_infos(conn: Connection, module_id: str) -> tuple[SecretInfo, ...]:
    rows = conn.execute(
        select(module_secrets.c.name, module_secrets.c.updated_at, module_secrets.c.ciphertext)
        .where(module_secrets.c.module_id == module_id)
        .order_by(module_secrets.c.name)
    )
    return tuple(SecretInfo(name, updated, token is not None) for name, updated, token in rows)


def _deps(text: str) -> tuple[Dependency, ...]:
    return tuple(Dependency(**d) for d in json.loads(text))


def _version_model(row: Row, name: str) -> ModuleVersion:
    return ModuleVersion(
        id=row.id,
        module_id=row.module_id,
        module_name=name,
        number=row.number,
        code=row.code,
        dependencies=_deps(row.dependencies),
        secrets=tuple(SecretInfo(s["name"], s["updated_at"]) for s in json.loads(row.secret_names)),
        message=row.message,
        created_at=row.created_at,
    )


def _latest(conn: Connection, module_id: str) -> Row | None:
    return conn.execute(
        select(module_versions)
        .where(module_versions.c.module_id == module_id)
        .order_by(module_versions.c.number.desc())
        .limit(1)
    ).first()


def _users(conn: Connection, module_id: str) -> int:
    return conn.execute(
        select(func.count()).select_from(action_modules).where(action_modules.c.module_id == module_id)
    ).scalar_one()


def module_model(conn: Connection, row: Row) -> Module:
    latest = _latest(conn, row.id)
    return Module(
        id=row.id,
        name=row.name,
        code=row.code,
        dependencies=_deps(row.dependencies),
        secrets=_secret_infos(conn, row.id),
        build=BuildState(row.build_status, row.build_error, row.built_at),
        created_at=row.created_at,
        updated_at=row.updated_at,
        latest_version=_version_model(latest, row.name) if latest is not None else None,
        actions_using_module_total=_users(conn, row.id),
    )


def list_modules(conn: Connection) -> list[Module]:
    return [module_model(conn, row) for row in conn.execute(select(modules).order_by(modules.c.name)).all()]


def build_state(conn: Connection, name: str) -> tuple[Row | None, tuple[Dependency, ...]]:
    """The module's row (None before it is first saved) and its pins."""
    row = conn.execute(select(modules).where(modules.c.name == name)).first()
    return row, _deps(row.dependencies) if row is not None else ()


# -- drafts and secrets ---------------------------------------------------------------------
def save(
    conn: Connection, name: str, code: str, prepared: Prepared | None, secret_names: Sequence[str], max_secrets: int
) -> bool:
    """Create or update the module's draft; returns whether anything changed."""
    check_module_name(name)
    check_module_code(name, code)
    for secret in secret_names:
        check_name(secret)
    now = now_iso()
    row = conn.execute(select(modules).where(modules.c.name == name)).first()
    if row is None:
        module_id = str(uuid.uuid4())
        conn.execute(
            modules.insert().values(
                id=module_id,
                name=name,
                code=code,
                dependencies="[]",
                lock=None,
                build_status="built",
                built_at=now,
                created_at=now,
                updated_at=now,
            )
        )
        changed = True
        row = module_row(conn, name)
    else:
        module_id = row.id
        changed = row.code != code
        if changed:
            conn.execute(modules.update().where(modules.c.id == module_id).values(code=code, updated_at=now))
    if prepared is not None:
        stored = (_deps(row.dependencies), row.lock, row.build_status)
        if stored != (prepared.pins, prepared.lock, prepared.status):
            conn.execute(
                modules.update()
                .where(modules.c.id == module_id)
                .values(
                    dependencies=json.dumps([d.to_json() for d in prepared.pins]),
                    lock=prepared.lock,
                    build_status=prepared.status,
                    build_error=prepared.reason,
                    built_at=now if prepared.status == "built" else None,
                    updated_at=now,
                )
            )
            changed = True
    existing = set(conn.execute(select(module_secrets.c.name).where(module_secrets.c.module_id == module_id)).scalars())
    new = [n for n in dict.fromkeys(secret_names) if n not in existing]
    if new:
        if len(existing) + len(new) > max_secrets:
            raise LimitExceeded(
                f"a module can have at most {max_secrets} secrets; this would make {len(existing) + len(new)}"
            )
        conn.execute(
            module_secrets.insert(),
            [{"module_id": module_id, "name": n, "ciphertext": None, "updated_at": now} for n in new],
        )
        changed = True
    return changed


def set_secret(conn: Connection, cipher: Cipher, module: str, name: str, value: str, limit: int) -> SecretInfo:
    """Set (or replace) a value of the module's draft; it reaches actions with the next
    module version they are pinned to (a version snapshots its values)."""
    check_name(name)
    check_value(name, value)
    row = module_row(conn, module)
    ensure_key(conn, cipher)
    now = now_iso()
    token = cipher.encrypt(value)
    updated = conn.execute(
        module_secrets.update()
        .where(module_secrets.c.module_id == row.id, module_secrets.c.name == name)
        .values(ciphertext=token, updated_at=now)
    ).rowcount
    if not updated:
        count = conn.execute(
            select(func.count()).select_from(module_secrets).where(module_secrets.c.module_id == row.id)
        ).scalar_one()
        if count >= limit:
            raise LimitExceeded(f"module {module} already has {count} secrets; the limit is {limit}")
        conn.execute(module_secrets.insert().values(module_id=row.id, name=name, ciphertext=token, updated_at=now))
    return SecretInfo(name, now, True)


def list_secrets(conn: Connection, module: str) -> tuple[SecretInfo, ...]:
    return _secret_infos(conn, module_row(conn, module).id)


# -- versions -------------------------------------------------------------------------------
def deploy(conn: Connection, cipher: Cipher, name: str, message: str | None) -> ModuleVersion:
    """A new immutable version from the draft: code, pins, lock and secret values, sealed."""
    row = module_row(conn, name, for_update=True)
    if row.build_status != "built":
        reason = f": {row.build_error}" if row.build_error else ""
        raise ConflictError(f"module {name} cannot be deployed: its dependencies are {row.build_status}{reason}")
    secret_rows = conn.execute(
        select(module_secrets).where(module_secrets.c.module_id == row.id).order_by(module_secrets.c.name)
    ).all()
    missing = [s.name for s in secret_rows if s.ciphertext is None]
    if missing:
        raise ConflictError(
            f"secret {missing[0]} of module {name} has no value",
            remedy=Remedy("set it before deploying", "modules secrets set", (name, missing[0])),
        )
    values = {s.name: cipher.decrypt(s.ciphertext) for s in secret_rows}
    ensure_key(conn, cipher)  # a MAC is keyed data: the key check tells a wrong key from tampering
    number = (
        conn.execute(select(func.max(module_versions.c.number)).where(module_versions.c.module_id == row.id)).scalar()
        or 0
    ) + 1
    content = {
        "id": str(uuid.uuid4()),
        "module_id": row.id,
        "number": number,
        "code": row.code,
        "dependencies": row.dependencies,
        "lock": row.lock,
        "secret_names": json.dumps([{"name": s.name, "updated_at": s.updated_at} for s in secret_rows]),
        "secrets_ciphertext": cipher.encrypt_mapping(values) if values else None,
        "message": message,
        "created_at": now_iso(),
    }
    conn.execute(module_versions.insert().values(**content, mac=integrity.module_mac_of(cipher, content)))
    return _version_model(_version_row(conn, row, number), name)


def _version_row(conn: Connection, module: Row, number: int) -> Row:
    found = None
    if 1 <= number <= MAX_NUMBER:
        found = conn.execute(
            select(module_versions).where(module_versions.c.module_id == module.id, module_versions.c.number == number)
        ).first()
    if found is None:
        raise NotFoundError(
            f"module {module.name} has no version {number}",
            remedy=Remedy("list them", "modules versions", (module.name,)),
        )
    return found


def list_versions(conn: Connection, name: str) -> list[ModuleVersion]:
    row = module_row(conn, name)
    rows = conn.execute(
        select(module_versions).where(module_versions.c.module_id == row.id).order_by(module_versions.c.number.desc())
    )
    return [_version_model(v, name) for v in rows]


def get_version(conn: Connection, name: str, number: int) -> ModuleVersion:
    row = module_row(conn, name)
    return _version_model(_version_row(conn, row, number), name)


# -- what actions import --------------------------------------------------------------------
def parse_ref(text: object) -> tuple[str, int | None]:
    """``NAME`` or ``NAME@N`` (also ``NAME@vN``)."""
    match = _REF.match(text) if isinstance(text, str) else None
    if match is None:
        raise InvalidInputError(
            f"invalid module reference {text!r}: write NAME or NAME@VERSION (for example slack_notify@2)"
        )
    name, number = check_module_name(match["name"]), match["number"]
    if number is None:
        return name, None
    if not (number.isascii() and number.isdigit()) or not 1 <= int(number) <= MAX_NUMBER:
        raise InvalidInputError(f"invalid module version in {text!r}: give a version number such as {name}@2")
    return name, int(number)


def resolve(conn: Connection, specs: Iterable[str], current: Sequence[ModuleRef]) -> tuple[ModuleRef, ...]:
    """Pins for ``specs``: ``NAME@N`` is that version; a bare ``NAME`` keeps the version the
    action is pinned to already, else the module's latest version now (as dependencies pin the
    latest release when added, so re-running a cell never floats a version)."""
    pinned = {r.module_name: r for r in current}
    refs: dict[str, ModuleRef] = {}
    for spec in specs:
        name, number = parse_ref(spec)
        row = module_row(conn, name)
        if number is None and name in pinned:
            refs[name] = pinned[name]
            continue
        if number is None:
            version = _latest(conn, row.id)
            if version is None:
                raise ConflictError(
                    f"module {name} has no version yet: deploy it before an action imports it",
                    remedy=Remedy("deploy it", "modules deploy", (name,)),
                )
        else:
            version = _version_row(conn, row, number)
        refs[name] = ModuleRef(row.id, name, version.id, version.number)
    return tuple(refs.values())


def store_action_modules(conn: Connection, action_id: str, refs: Sequence[ModuleRef]) -> bool:
    """Replace the draft's module pins; returns whether they changed."""
    if tuple(refs) == draft_modules(conn, action_id):
        return False
    conn.execute(action_modules.delete().where(action_modules.c.action_id == action_id))
    if refs:
        conn.execute(
            action_modules.insert(),
            [
                {
                    "action_id": action_id,
                    "module_id": r.module_id,
                    "module_version_id": r.module_version_id,
                    "position": i,
                }
                for i, r in enumerate(refs)
            ],
        )
    return True


def pins_json(refs: Sequence[ModuleRef]) -> str | None:
    """What a version stores in ``versions.modules`` (None when it imports no module)."""
    return json.dumps([r.to_json() for r in refs]) if refs else None
