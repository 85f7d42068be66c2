"""A pyqtgraph scatter for 100,000 points that all look alike.

pyqtgraph looks up each point's symbol picture one point at a time (a Python tuple and a
dictionary key per point: most of a view's first draw at 100,000 trials). When no point
has a style of its own, and hovering does not restyle points, they all share one
picture: it is looked up once and given to every point. What is drawn, the tooltips and
the clicks are those of ``pg.ScatterPlotItem``, which it falls back to otherwise.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg

_DEFAULTS = {"symbol": None, "size": -1, "pen": None, "brush": None}  # pyqtgraph's


class ManyPoints(pg.ScatterPlotItem):
    """``pg.ScatterPlotItem`` with the one-picture shortcut in ``updateSpots``."""

    def updateSpots(self, dataSet: Any = None) -> None:  # noqa: N802, N803 (pyqtgraph's)
        data = self.data if dataSet is None else dataSet
        opts = self.opts
        if not (opts["pxMode"] and opts["useCache"]) or self._hasHoverStyle():
            return super().updateSpots(dataSet)
        new = data["sourceRect"]["w"] == 0
        if not new.any() or not _alike(data[new]):
            return super().updateSpots(dataSet)
        style = (opts["symbol"], opts["size"], opts["pen"], opts["brush"])
        data["sourceRect"][new] = self.fragmentAtlas[[style]][0]
        self._maybeRebuildAtlas()
        self._updateMaxSpotSizes(data=data)
        self.invalidate()
        return None


def _alike(points: np.ndarray) -> bool:
    """No point has a symbol, size, pen or brush of its own."""
    if not np.all(points["size"] == _DEFAULTS["size"]):
        return False
    return all(points[key].tolist().count(None) == len(points)
               for key in ("symbol", "pen", "brush"))
