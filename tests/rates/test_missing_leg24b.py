"""Review of fix24: a missing-rate error raised in a Dask worker reaches
the client pickled, so it must survive pickling whole."""
from __future__ import annotations

import pickle


def test_no_rate_route_survives_pickling():
    """A Dask worker's exception reaches the client pickled."""
    from rates.table import NoRateRoute
    err = pickle.loads(pickle.dumps(NoRateRoute("XDR", "EUR", "no XDR<->EUR rates")))
    assert isinstance(err, NoRateRoute)
    assert str(err) == "no exchange rate for XDR->EUR: no XDR<->EUR rates"
    assert err.why == "no XDR<->EUR rates"
