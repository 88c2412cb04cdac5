"""Running actions with Auth0's semantics: test runs of one action, flows of bound actions.

In this package "engine" means one thing: the `Engine` (``engine.py``), one per `Tenant`
object. It turns stored actions into worker jobs (``plan``), runs them on the worker pool it
owns (``resources``), folds what the actions did into one outcome (``triggers``' fold), records
the execution (``records``, written behind by ``writer``) and replays recorded executions with
a candidate (``replay``). It imports nothing from ``jupyter_actions.tenant``.
"""
