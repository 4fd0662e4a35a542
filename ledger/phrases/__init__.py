"""Phrases of money and time as sources write them: amounts (``money``),
periods (``period``), and the money mentions found in a document
(``extract``)."""
