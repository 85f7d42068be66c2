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
from pyqtgraph.graphicsItems.ScatterPlotItem import _mkBrush, _mkPen

_DEFAULTS = {"symbol": None, "size": -1, "pen": None, "brush": None}  # pyqtgraph's
_OBJECT_FIELDS = ("symbol", "pen", "brush", "data", "item")


class ManyPoints(pg.ScatterPlotItem):
    """``pg.ScatterPlotItem`` with the one-picture shortcut in ``updateSpots``, and its
    points' record array made without ``np.empty`` (which fills the object fields with
    None one by one: 50 ms at 100,000 points) when an empty item is given x and y."""

    def addPoints(self, *args: Any, **kargs: Any) -> None:  # noqa: N802 (pyqtgraph's)
        if args or len(self.data) or "spots" in kargs or "pos" in kargs \
                or kargs.get("x") is None or kargs.get("y") is None:
            return super().addPoints(*args, **kargs)
        # pyqtgraph's addPoints for this case, step by step (ScatterPlotItem.addPoints)
        points = np.zeros(len(kargs["y"]), dtype=self.data.dtype)
        for name in _OBJECT_FIELDS:
            points[name] = None  # as np.empty leaves them
        points["size"] = -1  # the item's size
        points["visible"] = True
        points["x"], points["y"] = kargs["x"], kargs["y"]
        self.data = points
        if "name" in kargs:
            self.opts["name"] = kargs["name"]
        if "pxMode" in kargs:
            self.setPxMode(kargs["pxMode"])
        for key in ("antialias", "tip", "useCache"):
            if key in kargs:
                self.opts[key] = kargs[key]
        if "hoverable" in kargs:
            self.opts["hoverable"] = bool(kargs["hoverable"])
        for key in ("pen", "brush", "symbol", "size"):
            if key in kargs:
                setter = getattr(self, "set" + key[0].upper() + key[1:])
                setter(kargs[key], update=False, dataSet=points, mask=kargs.get("mask"))
            hover = "hover" + key.title()
            if hover in kargs:
                value = kargs[hover]
                if key == "pen":
                    value = _mkPen(value)
                elif key == "brush":
                    value = _mkBrush(value)
                self.opts[hover] = value
        if "data" in kargs:
            self.setPointData(kargs["data"], dataSet=points)
        self.prepareGeometryChange()
        self.informViewBoundsChanged()
        self.bounds = [None, None]
        self.invalidate()
        self.updateSpots(points)
        self.sigPlotChanged.emit(self)
        return None

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
