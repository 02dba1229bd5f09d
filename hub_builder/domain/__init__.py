"""The hub's domain rules, worked out from the model and used by every stage after it: when
results come out (:mod:`results`: the summer series, the national results days and each
qualification group's answer from its evidence), how a year's dates stand beside the
years before (:mod:`years`), and each date's calendar identity and what the calendars cannot
hold (:mod:`identity`: validation reports it, the calendars are written by it). Pure: no
I/O; the only clock is the ``today`` given.

The status page's results-deadline check, the answers on the home page, the families guide
and each organisation's page, and the API all take these rules from here, so they never
disagree.
"""
