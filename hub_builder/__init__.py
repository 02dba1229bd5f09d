"""VTQ Hub builder: turns awarding organisations' source files into a static site.

The stages, each a package, in the order ``pipeline.build()`` runs them: ``load`` (strict
YAML and the packaged schemas) → ``check`` (JSON Schema and semantic checks; ``load_valid``
is the one loader of valid sources) → ``feeds`` (snapshots of AO feeds, fetched only by
``vtq-hub fetch``) → ``normalise`` (one typed model, history of moved dates) → ``status``
(what each organisation has and lacks) → ``render`` (pages and data files as ``Output``
records, each handed to the writer as it is made) → ``publish`` (the one writer: the site
engine, the HTML policy, Pagefind, swapped into place). A stage imports only the stages
before it (pyproject's import-linter contract); ``cli`` is the only place that prints or
returns an exit code. ARCHITECTURE.md says more.
"""

__version__ = "0.2.0"  # as pyproject.toml says (tests/test_cli.py checks); CHANGELOG.md
