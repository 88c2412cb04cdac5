"""The template gallery: starter actions, each with its trigger, secrets, dependencies and test cases.

Templates are data, one folder per template under ``gallery/``: ``code.py`` (the action) and
``manifest.toml`` (description, trigger, secrets, dependencies, test cases). Standard library
only, so listing templates costs nothing at extension load.
"""

from ._catalog import Template, TemplateCase, TemplateModule, get_template, list_templates, load_template

__all__ = ["Template", "TemplateCase", "TemplateModule", "get_template", "list_templates", "load_template"]
