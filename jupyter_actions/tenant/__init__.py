"""The `Tenant`: the one Python API that the CLI, magics, widgets, executor and server use."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload

from .. import _json_input as json_input
from ..cipher import Cipher
from ..engine.lean import BatchResult
from ..engine.replay import ReplayReport
from ..errors import ActionsError, InvalidInputError, NotFoundError, Remedy
from ..model import (
    Action,
    ActionVersion,
    Binding,
    Dependency,
    DeployResult,
    Execution,
    Module,
    ModuleVersion,
    SecretInfo,
)
from ..store import Store, files, integrity, keyed, settings, sqlite_url
from ..store.paths import actions_home, tenant_dir, tenant_name
from ..store.rows import MAX_NUMBER, action_model, action_row, action_row_by_id, all_actions, require_values
from ..triggers import Trigger, get_trigger
from . import bindings, drafts, from_template, modules, secret_store, test_cases, versions
from .database_url import check as database_url_check
from .dependencies import Environments, Prepared
from .test_cases import CaseResult, TestCase

if TYPE_CHECKING:
    from ..engine.engine import Engine

DATABASE_URL_ENV = "JUPYTER_ACTIONS_DATABASE_URL"


class Tenant:
    """A named tenant: its actions, versions, secrets, flows and executions.

    ``Tenant()`` opens the tenant named by ``JUPYTER_ACTIONS_TENANT`` (else ``default``) in
    ``JUPYTER_ACTIONS_HOME``; ``database_url`` (or ``JUPYTER_ACTIONS_DATABASE_URL``) selects
    another database such as PostgreSQL.
    """

    def __init__(
        self,
        name: str | None = None,
        *,
        home: str | Path | None = None,
        database_url: str | None = None,
        create: bool = True,
    ) -> None:
        """``create=False``: a tenant that does not exist raises TenantNotFound (tenant/registry.py)."""
        self.name = tenant_name(name)
        self.home = Path(home) if home else actions_home()
        self.directory = tenant_dir(self.name, self.home)
        url = database_url or os.environ.get(DATABASE_URL_ENV)
        if url:
            database_url_check(url)
        if not create:
            from .registry import check_exists

            check_exists(self.name, self.home)
        files.private_directory(self.directory)
        self.store = Store(url or sqlite_url(self.directory / "tenant.db"))
        self.cipher = Cipher(
            self.directory / "master.key", holds_keyed_data=functools.partial(keyed.holds_keyed_data, self.store)
        )
        integrity.seal_existing(self.store, self.cipher)
        self._engine: Engine | None = None
        self.environments = Environments(self.home / "envs")

    @property
    def engine(self) -> Engine:
        """The `Engine` that runs this tenant's actions and owns the processes it starts
        (created on first use)."""
        if self._engine is None:
            from ..engine.engine import Engine

            self._engine = Engine(self.store, self.cipher, self._env_for)
        return self._engine

    def _env_for(self, lock: str | None) -> tuple[str, ...]:
        """The folders a worker puts on sys.path for a dependency lock."""
        return self.environments.sys_path(lock, lambda: self.settings)

    def close(self) -> None:
        """Release everything this tenant object started: its workers, its record sink (after
        the last commit) and the store's connections. Using the tenant again reopens them."""
        try:
            if self._engine is not None:
                self._engine.close()  # raises when records could not be committed
        finally:
            self.store.dispose()

    def flush(self) -> None:
        """Wait until every execution recorded by this tenant object is committed."""
        if self._engine is not None:
            self._engine.resources.flush()

    def __enter__(self) -> Tenant:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # settings ----------------------------------------------------------------------------
    @property
    def on_sqlite(self) -> bool:
        """Whether the tenant's store is a SQLite file (one host's), not a shared server."""
        return self.store.is_sqlite

    @property
    def settings(self) -> dict[str, Any]:
        with self.store.read() as conn:
            return settings.load(conn)

    def configure(self, key: str, value: Any) -> Any:
        parsed = settings.parse_value(key, value)
        with self.store.write() as conn:
            settings.store(conn, key, parsed)
        return parsed

    # actions and drafts ------------------------------------------------------------------
    def save_draft(
        self,
        name: str,
        trigger: str,
        code: str,
        *,
        secrets: Sequence[str] = (),
        secret_values: Mapping[str, str] | None = None,
        dependencies: Sequence[str] | None = None,
        deploy: bool = False,
        message: str | None = None,
        template: str | None = None,
        modules: Sequence[str] | None = None,
    ) -> tuple[Action, bool]:
        """Auth0's Save Draft; returns the action and whether anything changed.

        ``secrets`` declares names; ``secret_values`` sets those secrets' values (declaring
        them too, and keeping the action's other values) in the same transaction as the draft,
        each checked by the secret rules before anything is written: a refused value, or any
        failure while writing, leaves the store as it was. A value given counts as a change.
        With ``deploy=True`` the draft is also deployed in the same transaction (Auth0's
        create-with-deploy), so no other writer can slip a different draft in between.
        ``template`` (a template id for the same trigger): a draft that creates the action also
        saves the template's test cases; an existing action keeps its own. ``modules``
        (``NAME`` or ``NAME@N``) replaces the Actions Modules the draft imports (None keeps
        them); a bare name keeps its pin, else pins the module's latest version now
        (docs/modules.md). The code may import only the modules the draft declares.
        """
        drafts.validate(name, trigger, code)
        values = secret_store.check_values(secret_values or {})
        made_from = from_template.template_for(template, trigger) if template is not None else None
        limits = self.settings
        prepared = None
        if dependencies is not None:
            prepared = self._prepare(name, dependencies, limits, keep_others=False)
        if values:
            self.flush()  # as set_secret: this process's cache writes land first
        with self.store.write() as conn:
            cases_from = made_from if made_from is not None and not from_template.exists(conn, name) else None
            changed = drafts.save(conn, name, trigger, code, prepared, [*secrets, *values], limits["max_secrets"])
            changed |= self._store_modules(conn, name, code, modules)
            for secret, value in values.items():
                secret_store.set_secret(conn, self.cipher, name, secret, value, limits["max_secrets"])
            changed |= bool(values)
            if cases_from is not None:
                from_template.save_cases(conn, cases_from, action_row(conn, name).id)
            if deploy:
                changed |= versions.deploy(conn, self.cipher, name, message, limits["max_versions"]).created
            return action_model(conn, action_row(conn, name)), changed

    @staticmethod
    def _store_modules(conn: Any, name: str, code: str, specs: Sequence[str] | None) -> bool:
        """Pin the draft's modules (``specs``; None keeps them) and check the code imports no
        other module and that the environments agree; returns whether the pins changed."""
        from ..engine.modules_plan import check_environments, module_locks
        from ..store.rows import draft_modules

        row = action_row(conn, name)
        current = draft_modules(conn, row.id)
        refs = current if specs is None else modules.resolve(conn, specs, current)
        modules.check_imports_declared(name, code, refs)
        check_environments(name, row.lock, module_locks(conn, refs))
        return modules.store_action_modules(conn, row.id, refs)

    def create_from_template(
        self,
        template_id: str,
        name: str | None = None,
        *,
        module_secrets: Mapping[str, Mapping[str, str]] | None = None,
    ) -> Action:
        """A new action (named ``name``, else the template id) from a template: its trigger,
        code, secret names and dependencies as the draft, and its test cases (docs/templates.md).
        Refuses a name that is taken; the secrets still need their values. The Actions Modules
        the template imports are pinned: an identical module's latest version, else the
        template's module saved with ``module_secrets[MODULE]`` set and deployed."""
        from ..templates import get_template

        template = get_template(template_id)
        name = template.id if name is None else name
        drafts.validate(name, template.trigger, template.code)
        with self.store.read() as conn:
            from_template.refuse_taken(conn, name)  # before any package work
            steps = from_template.module_steps(conn, template, module_secrets or {})
        pins = [self._template_module(step) for step in steps]
        return self.save_draft(
            name,
            template.trigger,
            template.code,
            secrets=template.secrets,
            dependencies=list(template.dependencies) or None,
            template=template.id,
            modules=pins or None,
        )[0]

    def _template_module(self, step: from_template.ModuleStep) -> str:
        """The pin of a template's module: the version reused, else the latest, deployed now."""
        if step.reuse is not None:
            return f"{step.module.name}@{step.reuse}"
        self.save_module(
            step.module.name,
            step.module.code,
            secrets=step.module.secrets,
            secret_values=step.values,
            dependencies=list(step.module.dependencies) or None,
            deploy=True,
        )
        return step.module.name

    # dependencies ------------------------------------------------------------------------
    def dependencies(self, action: str) -> tuple[Dependency, ...]:
        return self.get_action(action).dependencies

    def dependency_status(self, action: str) -> str:
        """The draft's build status, ``building`` while any process builds its lock."""
        found = self.get_action(action)
        return self.environments.live_status(found.lock, found.build.status)

    def add_dependency(self, action: str, requirement: str) -> Action:
        """Pin ``PKG`` (the latest release now) or ``PKG==V``, lock the closure and build it."""
        self.get_action(action)  # an unknown action fails before any package work
        prepared = self._prepare(action, [requirement], self.settings, keep_others=True)
        return self._write_prepared(action, prepared)

    def remove_dependency(self, action: str, name: str) -> Action:
        from .. import deps

        normalised = deps.parse_requirement(name).name
        current = self.dependencies(action)
        if normalised not in {d.name for d in current}:
            raise NotFoundError(
                f"{action} has no dependency {name!r}", remedy=Remedy("list them", "deps list", (action,))
            )
        remaining = [d for d in current if d.name != normalised]
        prepared = self.environments.prepare(remaining, self.settings)
        return self._write_prepared(action, prepared)

    @overload
    def _prepare(
        self, action: str, requested: Sequence[str], limits: dict[str, Any], *, keep_others: Literal[True]
    ) -> Prepared: ...
    @overload
    def _prepare(
        self, action: str, requested: Sequence[str], limits: dict[str, Any], *, keep_others: bool
    ) -> Prepared | None: ...

    def _prepare(
        self, action: str, requested: Sequence[str], limits: dict[str, Any], *, keep_others: bool
    ) -> Prepared | None:
        with self.store.read() as conn:
            row, current = drafts.build_state(conn, action)
        if not keep_others and not requested and not current:
            return None
        pins = self.environments.resolve(current, requested, limits, keep_others=keep_others)
        if row is not None and pins == current and row.build_status == "built":
            return Prepared(pins, row.lock, "built", None)  # unchanged: no new lock, no build
        return self.environments.prepare(pins, limits)

    def _write_prepared(self, action: str, prepared: Prepared) -> Action:
        from .._clock import now_iso

        with self.store.write() as conn:
            row = action_row(conn, action)
            drafts.store_dependencies(conn, row.id, prepared, now_iso())
            return action_model(conn, action_row(conn, action))

    def get_action(self, name: str) -> Action:
        with self.store.read() as conn:
            return action_model(conn, action_row(conn, name))

    def get_action_by_id(self, action_id: str) -> Action:
        """The action with this id (Auth0's Management API names actions by id)."""
        with self.store.read() as conn:
            return action_model(conn, action_row_by_id(conn, action_id))

    def list_actions(self, trigger: str | None = None) -> list[Action]:
        with self.store.read() as conn:
            return all_actions(conn, trigger)

    def delete_action(self, name: str, *, force: bool = False) -> None:
        with self.store.write() as conn:
            drafts.delete_action(conn, name, force)

    # versions ----------------------------------------------------------------------------
    def deploy(self, name: str, *, message: str | None = None) -> DeployResult:
        with self.store.write() as conn:
            limit = settings.load(conn)["max_versions"]
            deployed = versions.deploy(conn, self.cipher, name, message, limit)
        self._warm_flow_of(name)
        return deployed

    def rollback(self, name: str, number: int, *, update_draft: bool = False) -> ActionVersion:
        """A new deployed version identical to version ``number``; ``update_draft`` resets the
        draft to it too (its secret values replaced as by ``set_secret``)."""
        self.flush()  # this process's cache writes land first, so that none comes back after
        with self.store.write() as conn:
            limit = settings.load(conn)["max_versions"]
            restored = versions.rollback(conn, self.cipher, name, number, update_draft, limit)
        self._warm_flow_of(name)
        return restored

    def versions(self, name: str) -> list[ActionVersion]:
        with self.store.read() as conn:
            return versions.list_versions(conn, name)

    def get_version(self, name: str, number: int) -> ActionVersion:
        with self.store.read() as conn:
            return versions.get_version(conn, name, number)

    def diff(self, name: str, old: int | str, new: int | str = "draft") -> str:
        with self.store.read() as conn:
            return versions.diff(conn, name, old, new)

    # secrets -----------------------------------------------------------------------------
    def set_secret(self, action: str, name: str, value: str) -> SecretInfo:
        """Set (or replace) a value; the cache entries that hold the value it replaces go too."""
        self.flush()  # this process's cache writes land first, so that none comes back after
        with self.store.write() as conn:
            limit = settings.load(conn)["max_secrets"]
            return secret_store.set_secret(conn, self.cipher, action, name, value, limit)

    def secret_in(self, text: str) -> str | None:
        """Which secret value of this tenant (any action's or module's, drafts' and stored versions') ``text``
        is or contains, as a label that names the secret (``secret NAME of action A``); None
        when none. The value itself never leaves: a front end refuses such a text."""
        with self.store.read() as conn:
            labelled = secret_store.labelled_values(conn, self.cipher)
            return secret_store.contained(text, labelled)

    def list_secrets(self, action: str) -> tuple[SecretInfo, ...]:
        with self.store.read() as conn:
            return secret_store.list_secrets(conn, action)

    def delete_secret(self, action: str, name: str) -> None:
        self.flush()
        with self.store.write() as conn:
            secret_store.delete_secret(conn, self.cipher, action, name)

    # actions modules ---------------------------------------------------------------------
    def save_module(
        self,
        name: str,
        code: str,
        *,
        secrets: Sequence[str] = (),
        secret_values: Mapping[str, str] | None = None,
        dependencies: Sequence[str] | None = None,
        deploy: bool = False,
    ) -> tuple[Module, bool]:
        """Save an Actions Module's draft: its code, secret names and (given) dependencies,
        pinned and built as an action's are; returns the module and whether anything changed.
        ``secret_values`` sets values in the same transaction (checked first), ``deploy`` also
        makes a version in it (Auth0's create with ``publish``). Actions see none of it until
        it is deployed and they are pinned to that version."""
        modules.check_module_name(name)
        modules.check_module_code(name, code)
        values = secret_store.check_values(secret_values or {})
        limits = self.settings
        prepared = None
        if dependencies is not None:
            with self.store.read() as conn:
                row, current = modules.build_state(conn, name)
            pins = self.environments.resolve(current, dependencies, limits, keep_others=False)
            if row is not None and pins == current and row.build_status == "built":
                prepared = Prepared(pins, row.lock, "built", None)
            else:
                prepared = self.environments.prepare(pins, limits)
        with self.store.write() as conn:
            changed = modules.save(conn, name, code, prepared, [*secrets, *values], limits["max_secrets"])
            for secret, value in values.items():
                modules.set_secret(conn, self.cipher, name, secret, value, limits["max_secrets"])
            if deploy:
                modules.deploy(conn, self.cipher, name, None)
            return modules.module_model(conn, modules.module_row(conn, name)), changed or bool(values) or deploy

    def set_module_secret(self, module: str, name: str, value: str) -> SecretInfo:
        """Set a secret of the module's draft; its next version carries it."""
        with self.store.write() as conn:
            return modules.set_secret(conn, self.cipher, module, name, value, settings.load(conn)["max_secrets"])

    def module_secrets(self, module: str) -> tuple[SecretInfo, ...]:
        with self.store.read() as conn:
            return modules.list_secrets(conn, module)

    def deploy_module(self, name: str, *, message: str | None = None) -> ModuleVersion:
        """A new immutable, numbered version of the module (Auth0's publish); actions keep the
        version they are pinned to until they are saved with it and deployed again."""
        with self.store.write() as conn:
            return modules.deploy(conn, self.cipher, name, message)

    def get_module(self, name: str) -> Module:
        with self.store.read() as conn:
            return modules.module_model(conn, modules.module_row(conn, name))

    def get_module_by_id(self, module_id: str) -> Module:
        with self.store.read() as conn:
            return modules.module_model(conn, modules.module_row_by_id(conn, module_id))

    def module_version_number(self, module: str, version_id: str) -> int:
        """The number of the module's version with this id (the REST API names versions by id)."""
        with self.store.read() as conn:
            return modules.version_number_of(conn, modules.module_row(conn, module), version_id)

    def module_importers(self, module: str) -> list[dict[str, Any]]:
        """The actions whose drafts import the module, each with the version it is pinned to."""
        with self.store.read() as conn:
            return modules.importers(conn, modules.module_row(conn, module))

    def list_modules(self) -> list[Module]:
        with self.store.read() as conn:
            return modules.list_modules(conn)

    def module_versions(self, name: str) -> list[ModuleVersion]:
        with self.store.read() as conn:
            return modules.list_versions(conn, name)

    def get_module_version(self, name: str, number: int) -> ModuleVersion:
        with self.store.read() as conn:
            return modules.get_version(conn, name, number)

    # flows -------------------------------------------------------------------------------
    def bind(self, trigger: str, action_names: Sequence[str]) -> list[Binding]:
        """Replace the trigger's ordered bindings; every action must be deployed."""
        with self.store.write() as conn:
            limit = settings.load(conn)["max_bindings"]
            bound = bindings.bind(conn, trigger, list(action_names), limit)
        self._warm(trigger)
        return bound

    def _warm(self, trigger: str) -> None:
        """A process that runs flows (its engine exists) starts the workers of a changed
        flow now, so that the next login pays no worker start."""
        if self._engine is not None:
            self._engine.warm(trigger)

    def _warm_flow_of(self, action: str) -> None:
        if self._engine is not None:
            with self.store.read() as conn:
                trigger = action_row(conn, action).trigger_id
            self._engine.warm(trigger)

    def flow(self, trigger: str) -> list[Binding]:
        with self.store.read() as conn:
            return bindings.flow(conn, trigger)

    # running -----------------------------------------------------------------------------
    def test(
        self,
        action: str,
        payload: dict | None = None,
        *,
        version: int | None = None,
        directory: dict | None = None,
        strict: bool = False,
    ) -> Execution:
        """Run the draft (or ``version``) on ``payload`` merged over the trigger's sample (a
        partial payload, as Auth0 users build them; default: the sample; ``strict``: the payload
        as it is, validated whole); the execution as recorded, the action's secret values
        redacted. A draft with a declared secret that has no value raises `MissingSecretValues`
        before it runs."""
        if version is None:
            self._require_secret_values(action, "testing")
        return self.engine.test(action, payload, version, directory, strict=strict)

    def _require_secret_values(self, action: str, doing: str) -> None:
        """Every path that runs a draft checks here; a deployed version holds all its values."""
        with self.store.read() as conn:
            require_values(conn, action_row(conn, action), doing)

    def run_flow(
        self, trigger: str, event: dict, *, directory: dict | None = None, redacted: bool = False
    ) -> Execution:
        """Execute the trigger's flow on one event and record it; ``.outcome`` is what to apply.

        The outcome is the one place a secret value may appear (a claim set from a secret must
        reach the token); pass ``redacted=True`` for an execution to show, as it is recorded."""
        return self.engine.run_flow(trigger, event, directory, redacted=redacted)

    def run_flow_batch(
        self,
        trigger: str,
        events: Iterable[dict],
        *,
        directory: dict | None = None,
        record: bool = True,
        redacted: bool = False,
    ) -> Iterator[tuple[int, Execution | ActionsError]]:
        """Run the flow over many events (all workers busy); yields ``(index, execution)`` in
        the order they finish, ``(index, MalformedInputError)`` for an event that is not plain
        JSON (docs/input.md), ``(index, PayloadError)`` for one that does not fit the trigger.
        ``redacted`` as for :meth:`run_flow`."""
        return self.engine.run_batch(trigger, events, directory=directory, record=record, redacted=redacted)

    def run_flow_lines(
        self,
        trigger: str,
        lines: Iterable[bytes | str],
        *,
        record: bool = True,
        ids: Callable[[int], str] | None = None,
    ) -> Iterator[BatchResult]:
        """The headless executor's batch: each line a JSON event, handed to the workers as the
        text it is; yields a small ``BatchResult`` per line as it finishes (malformed, invalid
        or run), its outcome redacted. ``ids(index)``: each line's execution id (a distributed
        run's), else new ones."""
        return self.engine.run_lines(trigger, lines, record=record, ids=ids)

    def replay(
        self,
        trigger: str,
        candidate: str,
        *,
        since: str | None = None,
        limit: int | None = None,
        ids: list[str] | None = None,
    ) -> ReplayReport:
        """Re-run recorded executions of the flow with ``candidate`` (``ACTION``, ``ACTION@draft``
        or ``ACTION@N``) in place of that action's deployed version; nothing is recorded.
        ``since`` is a duration such as ``12h`` or ``7d``; ``ids`` replays those executions
        instead, in that order (a partition of a distributed replay). Returns a ``ReplayReport``."""
        if limit is not None:
            _check_count("limit", limit, 1)
        return self.engine.replay(trigger, candidate, since, limit or 1_000_000, ids)

    def replay_ids(
        self, trigger: str, candidate: str, *, since: str | None = None, limit: int | None = None
    ) -> list[str]:
        """The ids of the executions ``replay`` would re-run, in its order; the candidate is
        checked as ``replay`` checks it."""
        if limit is not None:
            _check_count("limit", limit, 1)
        return self.engine.replay_ids(trigger, candidate, since, limit or 1_000_000)

    def flow_uses_cache(self, trigger: str) -> bool:
        """Whether an action of the flow may use ``api.cache`` (its batches then run in order)."""
        return self.engine.flow_uses_cache(trigger)

    def continue_flow(
        self, execution_id: str, request: dict | None = None, *, directory: dict | None = None, redacted: bool = False
    ) -> Execution:
        """Resume a suspended execution (after a redirect, challenge or prompt); ``redacted`` as
        for :meth:`run_flow`."""
        return self.engine.continue_flow(execution_id, request, directory, redacted=redacted)

    # saved test cases ----------------------------------------------------------------------
    def save_test_case(
        self, action: str, name: str, payload: dict | None = None, expected: dict | None = None, *, strict: bool = False
    ) -> TestCase:
        """Store a payload (merged over the trigger's sample unless ``strict``, as for
        :meth:`test`) with the outcome it must produce; without ``expected``, the draft's
        current outcome on that payload becomes the expectation. Both are stored with the
        action's secret values redacted, and later runs are compared redacted too."""
        test_cases.check_case_name(name)
        payload = self._test_payload(get_trigger(self.get_action(action).trigger_id), payload, strict)
        if expected is None:
            self._require_secret_values(action, "testing")
            expected = test_cases.expected_from(self.engine.test(action, payload, None, None, record=False).outcome)
        redactor = self.engine.redactor(self.get_action(action).trigger_id)
        with self.store.write() as conn:
            return test_cases.save(
                conn, "action", action_row(conn, action).id, name, redactor.value(payload), redactor.value(expected)
            )

    @staticmethod
    def _test_payload(trigger: Trigger, payload: dict | None, strict: bool) -> dict:
        """A test case's payload, stored whole: merged over the sample, checked."""
        if payload is not None:
            json_input.check_object(payload, "the test case's payload")
        merged = trigger.test_payload(payload, strict=strict)
        return json_input.check_object(merged, "the test case's payload")

    def test_cases(self, action: str) -> list[TestCase]:
        with self.store.read() as conn:
            return test_cases.list_cases(conn, "action", action_row(conn, action).id)

    def delete_test_case(self, action: str, name: str) -> None:
        with self.store.write() as conn:
            test_cases.delete(conn, "action", action_row(conn, action).id, name)

    def run_test_cases(self, action: str, *, version: int | None = None) -> list[CaseResult]:
        """Run every saved case of the action on its draft (or ``version``)."""
        if version is None:
            self._require_secret_values(action, "running its test cases")
        results = []
        for case in self.test_cases(action):
            execution = self.engine.test(action, case.payload, version, None, record=False)
            differences = test_cases.compare(case.expected, execution.outcome)
            results.append(CaseResult(case, not differences, differences, execution))
        return results

    def save_flow_test_case(
        self,
        trigger: str,
        name: str,
        payload: dict | None = None,
        expected: dict | None = None,
        *,
        strict: bool = False,
    ) -> TestCase:
        """A whole-flow case: the payload (merged over the sample unless ``strict``) through
        every bound action in order."""
        test_cases.check_case_name(name)
        payload = self._test_payload(get_trigger(trigger), payload, strict)
        if expected is None:
            expected = test_cases.expected_from(
                self.engine.run_flow(trigger, payload, record=False, redacted=True).outcome
            )
        redactor = self.engine.redactor(trigger)
        with self.store.write() as conn:
            return test_cases.save(conn, "flow", trigger, name, redactor.value(payload), redactor.value(expected))

    def flow_test_cases(self, trigger: str) -> list[TestCase]:
        get_trigger(trigger)
        with self.store.read() as conn:
            return test_cases.list_cases(conn, "flow", trigger)

    def delete_flow_test_case(self, trigger: str, name: str) -> None:
        with self.store.write() as conn:
            test_cases.delete(conn, "flow", trigger, name)

    def run_flow_test_cases(self, trigger: str) -> list[CaseResult]:
        results = []
        for case in self.flow_test_cases(trigger):
            execution = self.engine.run_flow(trigger, case.payload, record=False, redacted=True)
            differences = test_cases.compare(case.expected, execution.outcome)
            results.append(CaseResult(case, not differences, differences, execution))
        return results

    def executions(
        self,
        *,
        trigger: str | None = None,
        kind: str | None = None,
        status: str | None = None,
        since: str | None = None,
        until: str | None = None,
        action: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[Execution]:
        """Recorded executions, newest first; ``since``/``until`` are ISO times, ``action`` keeps
        the executions in which that action ran."""
        _check_count("limit", limit, 1)
        _check_count("offset", offset, 0)
        self.flush()
        from ..engine import records

        with self.store.read() as conn:
            return records.list_recent(
                conn,
                trigger_id=trigger,
                kind=kind,
                status=status,
                since=since,
                until=until,
                action=action,
                limit=limit,
                offset=offset,
            )

    def execution(self, execution_id: str) -> Execution:
        self.flush()
        from ..engine import records

        with self.store.read() as conn:
            return records.get(conn, execution_id)[0]

    def executions_recorded(self, first_id: str, last_id: str) -> int:
        """How many executions are recorded with ids from ``first_id`` to ``last_id`` (a
        distributed batch's partition: its ids are consecutive, ``_ids.batch_execution_id``)."""
        self.flush()
        from ..engine import records

        with self.store.read() as conn:
            return records.count_between(conn, first_id, last_id)

    def prune_executions(self) -> int:
        """Delete executions older than the retention setting; returns how many went."""
        self.flush()
        from ..engine import records

        with self.store.write(lifecycle=False) as conn:
            return records.prune(conn, settings.load(conn)["execution_retention_days"])


def _check_count(name: str, value: int, minimum: int) -> None:
    """A limit or offset given by a user: a whole number the database can hold."""
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= MAX_NUMBER:
        raise InvalidInputError(f"{name} must be a whole number from {minimum} to {MAX_NUMBER}, not {value!r}")
