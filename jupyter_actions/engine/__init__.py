"""Running actions with Auth0's semantics: test runs of one action, flows of bound actions.

The engine turns stored actions into worker jobs (``plan``), runs them on worker pools
(``pools``), folds what the actions did into one outcome (``outcome``) and records the
execution (``records``).
"""
