"""The headless flow executor: a parameterised notebook that papermill runs over a batch of events.

``batch.execute_batch`` does the work (also used by the inline executor); ``notebook`` runs
the shipped ``flow_executor.ipynb`` with papermill; ``summary`` turns the results into the
audit shown in the executed notebook.
"""
