"""Everything that talks to the network, beside the build (which never does): the one HTTP
client (:mod:`http`) and the three commands that use it: ``fetch`` (:mod:`feeds`, the AO
feeds' snapshots), ``check-links`` (:mod:`links`, the guidance link report) and
``register`` (:mod:`register`, the Ofqual Register snapshots). Each writes only its own
files beside the sources; the build reads them."""
