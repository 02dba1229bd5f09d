"""The repository's own tools, beside the build: what a change does (``diff``), recording
changes in the history, CODEOWNERS, a new organisation file, the field guide, and reading a
git revision's sources. They read the sources through :func:`hub_builder.check.load_valid`
and write only through :func:`hub_builder.files.write_atomic`."""
