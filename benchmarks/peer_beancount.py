"""beancount's converted balance of an export, for ``run.py --commands``.

    /tmp/peers/bin/python benchmarks/peer_beancount.py FILE.beancount

Loads the file with beancount and runs one bean-query (the sum of every
``Expenses:Purposes`` posting not marked ``secondary``, converted to GBP at
its date) through beanquery's API, and prints the total rounded to the
penny.  ``bean-query`` itself cannot print that sum: its text and CSV
renderers quantize the unrounded sum to the display precision of the rates
and raise ``decimal.InvalidOperation``.  Run with the interpreter of a venv
that has beancount and beanquery (not a dependency of ledger-tool).
"""
import decimal
import sys

QUERY = ("SELECT SUM(CONVERT(position, 'GBP', date)) "
         "WHERE account ~ '^Expenses:Purposes' AND entry_meta('secondary') IS NULL")


def main(path: str) -> None:
    decimal.getcontext().prec = 60
    import beanquery

    rows = beanquery.connect("beancount:" + path).execute(QUERY).fetchall()
    total = sum((pos.units.number for row in rows for pos in row[0]), decimal.Decimal(0))
    print(total.quantize(decimal.Decimal("0.01")))


if __name__ == "__main__":
    main(sys.argv[1])
