"""VTQ Hub builder: turns awarding organisations' source files into a static site.

The stages, each a module: ``sources`` (load, strict YAML) → ``validate`` (JSON Schema
and semantic checks) → ``normalise`` (one typed model) → ``render`` (pages and data
files as ``(path, content)`` records) → ``publish`` (mkdocs build, swapped into place).
``pipeline.build()`` runs them in that order; ``cli`` is the only place that prints.
"""

__version__ = "0.1.0"
