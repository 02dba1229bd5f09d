"""Stage 1, load: find the source files and read them strictly, without judging them.

- :mod:`sources`: the layout of the sources folder (every file the hub reads beside the
  organisation files is named there) and the readers of its files;
- :mod:`strict_yaml`: YAML with positions, refusing what would surprise an author;
- :mod:`schemas`: the JSON Schemas that are the source files' contract.

A file that cannot be read becomes a document with a problem, never an exception; judging
the documents is the next stage's work (:mod:`hub_builder.check`).
"""
