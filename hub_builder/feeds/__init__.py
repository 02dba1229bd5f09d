"""Stage 3, feeds: key dates an AO keeps where it already keeps them (a calendar, a news
feed, a JSON file, or the key-dates CSV it uploads to Ofqual), brought into the hub.

Two stages, on either side of the network:

- ``vtq-hub fetch`` (:mod:`hub_builder.remote.feeds`) fetches every declared feed through
  :mod:`hub_builder.remote.http` and stores each good response as a snapshot
  (:mod:`snapshots`). A failure, or a suspect answer (empty, unreadable, far fewer entries
  than last time), keeps the last good snapshot and records the reason and since when.
- ``vtq-hub build`` (:mod:`ingest`) never touches the network: it parses the snapshots (and
  local CSV files) into key dates with provenance, merges them under the AO file's own dates,
  and gives every organisation its :class:`model.FeedStatus` list.

Parsers (:mod:`formats`: ``FORMATS``) are pure: bytes in, :class:`entries.ParsedFeed` out.
"""
