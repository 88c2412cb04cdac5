"""The tenant store's tables (SQLAlchemy Core).

Timestamps are ISO-8601 UTC strings (``2026-01-02T03:04:05.123456Z``) so that SQLite and
PostgreSQL store and sort them the same way; JSON columns are text for the same reason.
Secret values exist here only as Fernet ciphertext.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    true,
)

metadata = MetaData()

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

settings = Table(
    "settings",
    metadata,
    Column("key", String(128), primary_key=True),
    Column("value", Text, nullable=False),  # JSON
)

actions = Table(
    "actions",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("trigger_id", String(64), nullable=False),
    Column("trigger_version", String(16), nullable=False),
    Column("runtime", String(32), nullable=False),
    Column("code", Text, nullable=False),
    Column("lock", Text),  # JSON lock of the draft's dependency closure, or NULL
    Column("build_status", String(16), nullable=False),
    Column("build_error", Text),
    Column("built_at", String(32)),
    Column("deployed_version_id", String(36)),
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
    # whether the code may reach api.cache (_code_flags.may_use_cache), computed when saved
    Column("uses_cache", Boolean, nullable=False, server_default=true()),
)

dependencies = Table(
    "dependencies",
    metadata,
    Column("action_id", String(36), ForeignKey("actions.id", ondelete="CASCADE"), primary_key=True),
    Column("name", String(200), primary_key=True),
    Column("version", String(64), nullable=False),
    Column("position", Integer, nullable=False),
)

secrets = Table(
    "secrets",
    metadata,
    Column("action_id", String(36), ForeignKey("actions.id", ondelete="CASCADE"), primary_key=True),
    Column("name", String(128), primary_key=True),
    Column("ciphertext", Text),  # NULL: declared by the action but not set yet
    Column("updated_at", String(32), nullable=False),
)

versions = Table(
    "versions",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("action_id", String(36), ForeignKey("actions.id", ondelete="CASCADE"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("code", Text, nullable=False),
    Column("trigger_id", String(64), nullable=False),
    Column("trigger_version", String(16), nullable=False),
    Column("runtime", String(32), nullable=False),
    Column("dependencies", Text, nullable=False),  # JSON [{name, version}]
    Column("lock", Text),
    Column("secret_names", Text, nullable=False),  # JSON [{name, updated_at}]
    Column("secrets_ciphertext", Text),  # one Fernet token of {name: value}
    Column("content_digest", String(64), nullable=False),
    Column("message", Text),
    Column("build_status", String(16), nullable=False),
    Column("build_error", Text),
    Column("built_at", String(32)),
    Column("created_at", String(32), nullable=False),
    Column("uses_cache", Boolean, nullable=False, server_default=true()),  # the draft's, when deployed
    Column("mac", String(64)),  # store/integrity.py: HMAC of what a worker loads; NULL before sealing
    # JSON [{module_id, module_name, module_version_id, module_version_number}] the version is
    # pinned to (tenant/modules.py), NULL when it uses none; covered by the MAC when present
    Column("modules", Text),
    UniqueConstraint("action_id", "number", name="uq_versions_action_number"),
)

bindings = Table(
    "bindings",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("trigger_id", String(64), nullable=False),
    Column("action_id", String(36), ForeignKey("actions.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("display_name", String(200), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
    UniqueConstraint("trigger_id", "action_id", name="uq_bindings_trigger_action"),
)

executions = Table(
    "executions",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("trigger_id", String(64), nullable=False),
    Column("kind", String(16), nullable=False),  # "flow" or "test"
    Column("status", String(16), nullable=False),  # Auth0's: final, partial, suspended, ...
    Column("outcome_status", String(16), nullable=False),  # allowed, denied, suspended, failed
    Column("outcome", Text, nullable=False),  # JSON, secret values redacted
    Column("event", Text, nullable=False),  # JSON input event, secret values removed
    Column("state", Text),  # JSON needed to continue a suspended execution
    Column("duration_ms", Float, nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
)
Index("ix_executions_created", executions.c.created_at)
Index("ix_executions_trigger_created", executions.c.trigger_id, executions.c.created_at)

execution_results = Table(
    "execution_results",
    metadata,
    Column("execution_id", String(36), ForeignKey("executions.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("action_name", String(100), nullable=False),
    Column("action_id", String(36)),
    Column("version_id", String(36)),
    Column("version_number", Integer),
    Column("binding_id", String(36)),
    Column("error_class", String(32)),
    Column("result", Text, nullable=False),  # JSON: started_at, ended_at, response, commands
)

cache_entries = Table(
    "cache_entries",
    metadata,
    Column("trigger_id", String(64), primary_key=True),
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
    Column("expires_at", BigInteger, nullable=False),  # epoch milliseconds
)

test_cases = Table(
    "test_cases",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("scope", String(16), nullable=False),  # "action" or "flow"
    Column("target", String(100), nullable=False),  # action id, or trigger id for a flow
    Column("name", String(200), nullable=False),
    Column("payload", Text, nullable=False),  # JSON event, secret values removed
    Column("expected", Text, nullable=False),  # JSON: the outcome keys to compare
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
    UniqueConstraint("scope", "target", "name", name="uq_test_cases_scope_target_name"),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", String(36), primary_key=True),  # the public part of the token (its prefix)
    Column("name", String(100), nullable=False, unique=True),
    Column("scope", String(16), nullable=False),  # execute | read | manage
    Column("digest", String(64), nullable=False),  # SHA-256 hex of the secret part; the token is never stored
    Column("created_at", String(32), nullable=False),
    Column("expires_at", String(32)),  # NULL: does not expire
    Column("revoked_at", String(32)),
)

# Actions Modules (tenant/modules.py): shared code with a draft, secrets and numbered versions
modules = Table(
    "modules",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("code", Text, nullable=False),
    Column("dependencies", Text, nullable=False),  # JSON [{name, version}] pinned
    Column("lock", Text),
    Column("build_status", String(16), nullable=False),
    Column("build_error", Text),
    Column("built_at", String(32)),
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
)

module_secrets = Table(
    "module_secrets",
    metadata,
    Column("module_id", String(36), ForeignKey("modules.id", ondelete="CASCADE"), primary_key=True),
    Column("name", String(128), primary_key=True),
    Column("ciphertext", Text),  # NULL: declared but not set yet
    Column("updated_at", String(32), nullable=False),
)

module_versions = Table(
    "module_versions",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("module_id", String(36), ForeignKey("modules.id", ondelete="CASCADE"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("code", Text, nullable=False),
    Column("dependencies", Text, nullable=False),
    Column("lock", Text),
    Column("secret_names", Text, nullable=False),  # JSON [{name, updated_at}]
    Column("secrets_ciphertext", Text),  # one Fernet token of {name: value}
    Column("message", Text),
    Column("created_at", String(32), nullable=False),
    Column("mac", String(64), nullable=False),  # store/integrity.py
    UniqueConstraint("module_id", "number", name="uq_module_versions_module_number"),
)

action_modules = Table(  # the modules an action's draft imports, each pinned to one version
    "action_modules",
    metadata,
    Column("action_id", String(36), ForeignKey("actions.id", ondelete="CASCADE"), primary_key=True),
    Column("module_id", String(36), ForeignKey("modules.id"), primary_key=True),
    Column("module_version_id", String(36), ForeignKey("module_versions.id"), nullable=False),
    Column("position", Integer, nullable=False),
)
