"""The ``ledger-tool`` command line (kept thin: it parses arguments and calls
the ``ledger``, ``rates`` and ``reports`` packages)."""
