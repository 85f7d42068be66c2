"""The shortcuts that make 100,000 trials quick draw what the slow way drew."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from hpt_gui.ui.plots import style
from hpt_gui.ui.plots.scatter import ManyPoints
from hpt_gui.ui.plots.search import steps


def _points(kind, **options):
    rng = np.random.default_rng(0)
    x, y = rng.uniform(0, 1, 500), rng.uniform(0, 1, 500)
    return kind(x=x, y=y, data=np.arange(500), size=6, pen=None,
                brush=style.brush(style.VALIDATION, 170), hoverable=True, **options)


def test_alike_points_share_the_picture_pyqtgraph_gives_each(qapp):
    ours, theirs = _points(ManyPoints), _points(pg.ScatterPlotItem)
    assert len(ours.data) == 500
    # each point's place in the symbol atlas: the same picture for all, as pyqtgraph found
    ours_rects = ours.data["sourceRect"].tolist()
    assert ours_rects == [ours_rects[0]] * 500 and ours_rects[0][2] > 0
    theirs_rects = theirs.data["sourceRect"].tolist()
    assert [r[2:] for r in ours_rects] == [r[2:] for r in theirs_rects]
    image = {}
    for name, item in (("ours", ours), ("theirs", theirs)):
        plot = pg.PlotWidget()
        plot.resize(300, 200)
        plot.addItem(item)
        plot.getPlotItem().setRange(xRange=(0, 1), yRange=(0, 1), padding=0)
        plot.show()
        qapp.processEvents()
        image[name] = plot.grab().toImage()
        plot.close()
    assert image["ours"] == image["theirs"]


def test_points_with_styles_of_their_own_take_pyqtgraphs_way(qapp):
    item = ManyPoints(x=[0.0, 1.0], y=[0.0, 1.0], size=[5, 9], pen=None)
    rects = item.data["sourceRect"].tolist()
    assert rects[0] != rects[1]  # two sizes, two pictures
    hovering = _points(ManyPoints, hoverSize=12)
    assert (hovering.data["sourceRect"]["w"] > 0).all()


def test_the_best_so_far_line_keeps_only_its_corners():
    rng = np.random.default_rng(1)
    x = np.sort(rng.uniform(0, 100, 2000))
    best = np.maximum.accumulate(rng.normal(0, 1, 2000))
    step_x, step_y = steps(x, best)
    full_x, full_y = np.repeat(x, 2)[1:], np.repeat(best, 2)[:-1]
    assert len(step_x) < len(full_x) / 10
    # the same line: same ends, and at every x the same best (the level after each corner)
    assert (step_x[0], step_y[0], step_x[-1], step_y[-1]) == \
        (full_x[0], full_y[0], full_x[-1], full_y[-1])
    for probe in rng.uniform(0, 100, 300):
        level = full_y[np.searchsorted(full_x, probe, side="right") - 1] \
            if probe >= full_x[0] else None
        mine = step_y[np.searchsorted(step_x, probe, side="right") - 1] \
            if probe >= step_x[0] else None
        assert level == mine
    assert steps(x[:2], best[:2])[0].tolist() == np.repeat(x[:2], 2)[1:].tolist()


def test_many_points_hold_the_records_pyqtgraph_makes(qapp):
    ours, theirs = _points(ManyPoints, name="trials"), _points(pg.ScatterPlotItem, name="trials")
    assert ours.data.dtype == theirs.data.dtype
    for field in ours.data.dtype.names:
        if field in ("sourceRect", "item"):
            continue
        assert ours.data[field].tolist() == theirs.data[field].tolist(), field
    assert {k: v for k, v in ours.opts.items() if k not in ("pen", "brush")} == \
        {k: v for k, v in theirs.opts.items() if k not in ("pen", "brush")}
    assert ours.opts["brush"].color() == theirs.opts["brush"].color()
    assert ours.boundingRect() == theirs.boundingRect()
    more = ManyPoints(x=[0.0], y=[1.0])
    more.addPoints(x=[2.0], y=[3.0])  # a second batch takes pyqtgraph's way
    assert more.data["x"].tolist() == [0.0, 2.0] and more.points()[1].pos().y() == 3.0
