"""The documents behind the figures: the archive (``archive``), text
renderings of web pages and PDFs (``render``) and the audit of every
citation (``audit``)."""
