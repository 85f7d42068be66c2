"""The guide's small pictures, drawn at run time with QPainter (no image files, no pyqtgraph).

Each picture is a function returning a QImage of about 360 x 180 pixels on white, in the
app's colours (``plots/style.py``'s Okabe-Ito palette: training orange, validation blue,
the best trial a vermillion star, the one-standard-error choice a green diamond), so a
picture in the guide looks like the view it stands for. The colour names are copied
here rather than imported: ``plots.style`` imports pyqtgraph, which the guide must not.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterable, Sequence

from PySide6.QtCore import QPointF, QRectF, Qt, QUrl
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QGuiApplication,
    QImage,
    QPainter,
    QPen,
    QPolygonF,
    QTextDocument,
)

# Okabe & Ito, as in hpt_gui/ui/plots/style.py (same roles: train orange, validation blue).
ORANGE, SKY, GREEN, YELLOW = "#E69F00", "#56B4E9", "#009E73", "#F0E442"
BLUE, VERMILLION, PURPLE, BLACK, GREY = "#0072B2", "#D55E00", "#CC79A7", "#000000", "#9A9A9A"
TRAIN, VALIDATION, BEST, ONE_SE = ORANGE, BLUE, VERMILLION, GREEN
INK = "#202020"
FAINT = "#c8c8c8"
UNDERFIT_SHADE = QColor(230, 159, 0, 45)
OVERFIT_SHADE = QColor(204, 121, 167, 50)
TEST = PURPLE  # rows kept for the final test

WIDTH, HEIGHT = 360, 180
FONT_PX = 12


# -- drawing helpers --------------------------------------------------------------------


def _font(px: int = FONT_PX, bold: bool = False) -> QFont:
    """The application's own font family at a pixel size (offscreen Qt has few fonts)."""
    font = QFont(QGuiApplication.font())
    font.setPixelSize(px)
    font.setBold(bold)
    return font


def _canvas(width: int = WIDTH, height: int = HEIGHT) -> tuple[QImage, QPainter]:
    """A white image and an antialiased painter on it (the caller ends the painter)."""
    image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.setFont(_font())
    return image, painter


def _pen(color: str | QColor, width: float = 2.0, dashed: bool = False) -> QPen:
    pen = QPen(QColor(color), width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    if dashed:
        pen.setStyle(Qt.PenStyle.DashLine)
    return pen


def _text(p: QPainter, x: float, y: float, text: str, color: str = INK, px: int = FONT_PX,
          bold: bool = False, align: str = "left", width: float = 300) -> None:
    """Text with its top at y: left-aligned from x, centred on x, or right-aligned to x."""
    p.setFont(_font(px, bold))
    p.setPen(QColor(color))
    flags = {"left": Qt.AlignmentFlag.AlignLeft, "center": Qt.AlignmentFlag.AlignHCenter,
             "right": Qt.AlignmentFlag.AlignRight}[align]
    left = {"left": x, "center": x - width / 2, "right": x - width}[align]
    flags |= Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
    p.drawText(QRectF(left, y, width, 5 * px), int(flags), text)


def _vertical_text(p: QPainter, x: float, y_mid: float, text: str) -> None:
    """An axis label turned upright, centred on y_mid."""
    p.save()
    p.translate(x, y_mid)
    p.rotate(-90)
    _text(p, 0, 0, text, align="center", width=200)
    p.restore()


def _line(p: QPainter, points: Iterable[tuple[float, float]], color: str,
          width: float = 2.5, dashed: bool = False) -> None:
    p.setPen(_pen(color, width, dashed))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawPolyline(QPolygonF([QPointF(x, y) for x, y in points]))


def _dot(p: QPainter, x: float, y: float, color: str, r: float = 4.0,
         outline: str | None = None) -> None:
    p.setPen(_pen(outline, 1.2) if outline else Qt.PenStyle.NoPen)
    p.setBrush(QColor(color))
    p.drawEllipse(QPointF(x, y), r, r)


def _star(p: QPainter, x: float, y: float, r: float = 9.0, color: str = BEST) -> None:
    """The best trial's mark, as in the app's plots."""
    points = []
    for k in range(10):
        radius = r if k % 2 == 0 else r * 0.45
        angle = -math.pi / 2 + k * math.pi / 5
        points.append(QPointF(x + radius * math.cos(angle), y + radius * math.sin(angle)))
    p.setPen(_pen(INK, 0.8))
    p.setBrush(QColor(color))
    p.drawPolygon(QPolygonF(points))


def _diamond(p: QPainter, x: float, y: float, r: float = 7.0, color: str = ONE_SE) -> None:
    """The one-standard-error choice's mark, as in the app's plots."""
    p.setPen(_pen(INK, 0.8))
    p.setBrush(QColor(color))
    p.drawPolygon(QPolygonF([QPointF(x, y - r), QPointF(x + r, y), QPointF(x, y + r),
                             QPointF(x - r, y)]))


def _cross(p: QPainter, x: float, y: float, r: float = 4.0, color: str = INK) -> None:
    p.setPen(_pen(color, 2))
    p.drawLine(QPointF(x - r, y - r), QPointF(x + r, y + r))
    p.drawLine(QPointF(x - r, y + r), QPointF(x + r, y - r))


def _arrow(p: QPainter, x1: float, y1: float, x2: float, y2: float, color: str = INK,
           width: float = 1.8) -> None:
    """A straight arrow from (x1, y1) to (x2, y2)."""
    p.setPen(_pen(color, width))
    p.drawLine(QPointF(x1, y1), QPointF(x2, y2))
    angle = math.atan2(y2 - y1, x2 - x1)
    head = [QPointF(x2, y2)]
    for side in (-1, 1):
        a = angle + math.pi + side * 0.45
        head.append(QPointF(x2 + 8 * math.cos(a), y2 + 8 * math.sin(a)))
    p.setBrush(QColor(color))
    p.setPen(Qt.PenStyle.NoPen)
    p.drawPolygon(QPolygonF(head))


def _box(p: QPainter, rect: QRectF, fill: str | QColor, outline: str | None = INK,
         radius: float = 0.0) -> None:
    p.setPen(_pen(outline, 1.0) if outline else Qt.PenStyle.NoPen)
    p.setBrush(QBrush(QColor(fill)))
    if radius:
        p.drawRoundedRect(rect, radius, radius)
    else:
        p.drawRect(rect)


def _axes(p: QPainter, rect: QRectF, x_label: str, y_label: str) -> None:
    """Two dark axes along the rect's left and bottom edges, labelled, without ticks
    (the pictures show shapes, not numbers)."""
    p.setPen(_pen(INK, 1.5))
    p.drawLine(rect.bottomLeft(), rect.topLeft())
    p.drawLine(rect.bottomLeft(), rect.bottomRight())
    _text(p, rect.center().x(), rect.bottom() + 4, x_label, align="center", width=rect.width())
    _vertical_text(p, rect.left() - 20, rect.center().y(), y_label)


def _at(rect: QRectF, u: float, v: float) -> tuple[float, float]:
    """From the unit square (u right, v up) to pixels inside rect."""
    return rect.left() + u * rect.width(), rect.bottom() - v * rect.height()


def _contours(p: QPainter, cx: float, cy: float, rx: float, ry: float, rings: int = 4,
              tilt: float = -25.0) -> None:
    """Faint ellipses around a good region: the landscape the search explores."""
    p.save()
    p.translate(cx, cy)
    p.rotate(tilt)
    p.setBrush(Qt.BrushStyle.NoBrush)
    for k in range(rings, 0, -1):
        shade = 120 + 25 * k
        p.setPen(_pen(QColor(shade, shade, shade), 1.0))
        p.drawEllipse(QPointF(0, 0), rx * k / rings, ry * k / rings)
    p.restore()


def _legend(p: QPainter, x: float, y: float, items: Sequence[tuple[str, str]],
            kind: str = "line") -> None:
    """A small legend: one row per (colour, words); kind 'line', 'dot' or 'box'."""
    for i, (color, words) in enumerate(items):
        row = y + i * (FONT_PX + 5)
        if kind == "line":
            _line(p, [(x, row + 7), (x + 18, row + 7)], color, 3)
        elif kind == "dot":
            _dot(p, x + 8, row + 7, color, 4.5)
        else:
            _box(p, QRectF(x, row + 1, 16, 12), color, None)
        _text(p, x + 24, row, words)


def _finish(image: QImage, painter: QPainter) -> QImage:
    painter.end()
    return image


# -- the pictures -----------------------------------------------------------------------


def parameters() -> QImage:
    """What you set (hyperparameters) goes in, what the model learns (parameters) comes out."""
    image, p = _canvas()
    you = QRectF(6, 40, 124, 96)
    fit = QRectF(150, 62, 60, 52)
    learned = QRectF(230, 40, 124, 96)
    _box(p, you, "#fdf0d2", ORANGE, 8)
    _box(p, fit, "#f2f2f2", GREY, 8)
    _box(p, learned, "#dcebf6", BLUE, 8)
    _text(p, you.center().x(), 12, "You set", bold=True, align="center", width=120)
    _text(p, you.center().x(), 46, "hyperparameters", bold=True, align="center", width=120)
    _text(p, you.left() + 10, 70, "max_depth = 4\nC = 1.0\nalpha = 0.01")
    _text(p, fit.center().x(), 70, "fit on\nthe data", align="center", width=60, px=11)
    _text(p, learned.center().x(), 12, "The model learns", bold=True, align="center",
          width=130)
    _text(p, learned.center().x(), 46, "parameters", bold=True, align="center", width=120)
    _text(p, learned.left() + 10, 70, "weights\nsplit points\nsupport vectors")
    _arrow(p, you.right() + 2, 88, fit.left() - 3, 88)
    _arrow(p, fit.right() + 2, 88, learned.left() - 3, 88)
    _text(p, WIDTH / 2, 148, "Tuning chooses the left box; fitting fills the right one.",
          color="#505050", align="center", width=WIDTH)
    return _finish(image, p)


def manual_grid() -> QImage:
    """One hand-set trial against a grid: 3 values of C times 4 of gamma make 12 trials."""
    image, p = _canvas()
    for panel, title in ((0, "Manual: 1 trial"), (1, "Grid: 3 × 4 = 12 trials")):
        rect = QRectF(34 + panel * 176, 24, 130, 108)
        _box(p, rect, "#fbfbfb", FAINT)
        _text(p, rect.center().x(), 4, title, bold=True, align="center", width=170)
        _text(p, rect.center().x(), rect.bottom() + 4, "C", align="center", width=170)
        _vertical_text(p, rect.left() - 12, rect.center().y(), "gamma")
        spots = [(0.55, 0.4)] if panel == 0 else [
            (u, v) for u in (0.2, 0.5, 0.8) for v in (0.14, 0.38, 0.62, 0.86)]
        for u, v in spots:
            _dot(p, *_at(rect, u, v), VALIDATION, 5)
    _text(p, WIDTH / 2, HEIGHT - 28, "each dot is a trial; each trial is fitted once per fold",
          color="#505050", align="center", width=WIDTH, px=11)
    return _finish(image, p)


def grid_random() -> QImage:
    """Nine grid trials try three values of the setting that matters; nine random trials
    try nine (Bergstra and Bengio, 2012)."""
    image, p = _canvas()
    rng = random.Random(3)
    for panel, title in ((0, "Grid: 9 trials"), (1, "Random: 9 trials")):
        rect = QRectF(34 + panel * 176, 24, 130, 100)
        _box(p, rect, "#fbfbfb", FAINT)
        _text(p, rect.center().x(), 4, title, bold=True, align="center", width=170)
        _text(p, rect.center().x(), rect.bottom() + 17, "setting that matters",
              align="center", width=170)
        _vertical_text(p, rect.left() - 12, rect.center().y(), "hardly matters")
        if panel == 0:
            spots = [(u, v) for u in (0.2, 0.5, 0.8) for v in (0.2, 0.5, 0.8)]
        else:
            spots = [(0.08 + 0.1 * k + rng.uniform(-0.03, 0.03), rng.uniform(0.1, 0.9))
                     for k in range(9)]
            rng.shuffle(spots)
        for u, v in spots:
            _dot(p, *_at(rect, u, v), VALIDATION, 4.5)
            x, _ = _at(rect, u, 0)
            p.setPen(_pen(VERMILLION, 2))
            p.drawLine(QPointF(x, rect.bottom() + 3), QPointF(x, rect.bottom() + 14))
        count = len({round(u, 2) for u, _ in spots})
        _text(p, rect.right() + 4, rect.bottom() + 2, f"{count}", color=VERMILLION, bold=True)
    _text(p, WIDTH / 2, HEIGHT - 16, "red ticks: the values of that setting tried",
          color="#505050", align="center", width=WIDTH, px=11)
    return _finish(image, p)


def bayesian() -> QImage:
    """The first trials spread out; later ones gather where the scores were good."""
    image, p = _canvas()
    rect = QRectF(34, 12, 196, 140)
    _box(p, rect, "#fbfbfb", FAINT)
    best = _at(rect, 0.68, 0.62)
    _contours(p, *best, 80, 48)
    rng = random.Random(7)
    for _ in range(10):
        _dot(p, *_at(rect, rng.uniform(0.05, 0.95), rng.uniform(0.05, 0.95)), GREY, 4.5)
    for _ in range(14):
        angle, radius = rng.uniform(0, 2 * math.pi), rng.uniform(0, 1) ** 0.7
        x, y = best[0] + 38 * radius * math.cos(angle), best[1] + 24 * radius * math.sin(angle)
        _dot(p, x, y, VALIDATION, 4.5)
    _star(p, *best)
    _text(p, rect.center().x(), rect.bottom() + 4, "hyperparameter 1", align="center")
    _vertical_text(p, rect.left() - 12, rect.center().y(), "hyperparameter 2")
    _legend(p, 240, 14, [(GREY, "first trials"), (VALIDATION, "later trials")], "dot")
    _star(p, 248, 54, 7)
    _text(p, 264, 46, "best so far")
    _text(p, 240, 76, "Later trials gather where the scores were good. Rings: "
          "better scores inside.", color="#505050", px=11, width=118)
    return _finish(image, p)


def evolution() -> QImage:
    """Three generations: each is bred from the best of the one before."""
    image, p = _canvas()
    rect = QRectF(34, 12, 196, 140)
    _box(p, rect, "#fbfbfb", FAINT)
    goal = _at(rect, 0.72, 0.66)
    _contours(p, *goal, 80, 48)
    rng = random.Random(11)
    generations = [(GREY, _at(rect, 0.3, 0.35), 60), (SKY, _at(rect, 0.55, 0.52), 34),
                   (BLUE, goal, 16)]
    for color, centre, spread in generations:
        for _ in range(8):
            _dot(p, centre[0] + rng.gauss(0, spread * 0.6), centre[1] + rng.gauss(0, spread * 0.4),
                 color, 4.5)
    _arrow(p, generations[0][1][0], generations[0][1][1], generations[1][1][0] - 8,
           generations[1][1][1] + 6, "#606060")
    _arrow(p, generations[1][1][0], generations[1][1][1], goal[0] - 10, goal[1] + 5, "#606060")
    _text(p, rect.center().x(), rect.bottom() + 4, "hyperparameter 1", align="center")
    _vertical_text(p, rect.left() - 12, rect.center().y(), "hyperparameter 2")
    _legend(p, 240, 14, [(GREY, "generation 1"), (SKY, "generation 2"), (BLUE, "generation 3")],
            "dot")
    _text(p, 240, 76, "Each generation is bred from the best trials of the one before.",
          color="#505050", px=11, width=118)
    return _finish(image, p)


def halving() -> QImage:
    """Rungs: many candidates on a little budget, fewer on more, one on all of it."""
    image, p = _canvas()
    rungs = [(9, 1), (3, 2), (1, 5)]  # candidates, folds each
    left, unit, y0, pitch = 110, 46, 6, 7.5
    for k, (count, folds) in enumerate(rungs):
        _text(p, 8, y0, f"rung {k + 1}", bold=True)
        _text(p, 8, y0 + 15, f"{count} × {folds} fold{'s' if folds > 1 else ''}",
              color="#505050")
        for i in range(count):
            y = y0 + i * pitch
            kept = (k + 1 < len(rungs) and i < rungs[k + 1][0]) or k == len(rungs) - 1
            _box(p, QRectF(left, y, unit * folds, pitch - 2), VALIDATION if kept else FAINT,
                 None)
            if not kept:
                _cross(p, left + unit * folds + 9, y + pitch / 2 - 1, 3, "#7a6520")
        y0 += max(count * pitch, 30) + 9
    _text(p, 186, 8, "the best third go on;", color="#505050")
    _text(p, 186, 24, "the rest are pruned (×)", color="#7a6520")
    _text(p, WIDTH / 2, 160, "bar length: the budget each candidate gets (folds or rows)",
          color="#505050", px=11, align="center", width=WIDTH)
    return _finish(image, p)


def kfold() -> QImage:
    """Five folds: each row of data validates once and trains four times."""
    image, p = _canvas()
    left, width, top, row = 58, 226, 8, 26
    for k in range(5):
        y = top + k * row
        _text(p, 8, y + 3, f"split {k + 1}")
        for j in range(5):
            part = QRectF(left + j * width / 5, y, width / 5 - 2, row - 7)
            _box(p, part, VALIDATION if j == k else TRAIN, None)
        _text(p, left + width + 8, y + 3, "→ score", color="#505050")
    _legend(p, 58, 142, [(TRAIN, "training rows")], "box")
    _legend(p, 190, 142, [(VALIDATION, "validation rows")], "box")
    _text(p, WIDTH / 2, 160, "the study's score is the mean of the 5", color="#505050",
          align="center", width=WIDTH, px=11)
    return _finish(image, p)


def optimism() -> QImage:
    """Many trials equally good in truth; noise lifts the luckiest above the truth."""
    image, p = _canvas()
    rect = QRectF(44, 20, 290, 124)
    _axes(p, rect, "trial", "validation score")
    rng = random.Random(23)  # a draw whose luckiest trial stands clear of the rest
    true_v = 0.45
    scores = [true_v + rng.gauss(0, 0.13) for _ in range(30)]
    luckiest = max(range(len(scores)), key=scores.__getitem__)
    top = 17  # moved to the middle, where its labels have room
    scores[top], scores[luckiest] = scores[luckiest], scores[top]
    y_true = _at(rect, 0, true_v)[1]
    _line(p, [(rect.left(), y_true), (rect.right(), y_true)], INK, 1.5, dashed=True)
    for i, s in enumerate(scores):
        x, y = _at(rect, (i + 0.5) / len(scores), max(0.03, min(0.97, s)))
        if i != top:
            _dot(p, x, y, VALIDATION, 3.8)
    bx, by = _at(rect, (top + 0.5) / len(scores), min(0.97, scores[top]))
    _star(p, bx, by)
    _arrow(p, bx + 16, y_true, bx + 16, by + 4, VERMILLION)
    label_y = (by + y_true) / 2 - 8
    p.fillRect(QRectF(bx + 20, label_y, 72, 16), QColor(255, 255, 255, 230))  # over any dot
    _text(p, bx + 22, label_y, "optimism", color=VERMILLION, bold=True)
    _line(p, [(rect.left() + 8, rect.top() + 2), (rect.left() + 30, rect.top() + 2)], INK, 1.5,
          dashed=True)
    _text(p, rect.left() + 36, rect.top() - 5, "true score (the same for every trial)",
          color="#505050", px=11)
    _text(p, bx - 6, by - 24, "picked: the highest", align="center", width=160,
          color=VERMILLION, px=11)
    return _finish(image, p)


def held_out() -> QImage:
    """The rows split once: the search never sees the test part."""
    image, p = _canvas(WIDTH, 110)
    left, width, y = 10, 340, 34
    search_w = width * 0.8
    for j in range(5):
        part = QRectF(left + j * search_w / 5, y, search_w / 5 - 2, 30)
        _box(p, part, VALIDATION if j == 2 else TRAIN, None)
    _box(p, QRectF(left + search_w + 4, y, width - search_w - 4, 30), TEST, None)
    _text(p, left + search_w / 2, 10, "the search: cross-validation on 80 %",
          align="center", width=search_w)
    _text(p, left + search_w + (width - search_w) / 2, 10, "test 20 %", bold=True,
          align="center", width=100)
    _text(p, left, 72, "The chosen trial is refit on the 80 % and scored once on the test "
          "rows, after the search: an honest score, because nothing was chosen on them.",
          color="#505050", px=11, width=WIDTH - 2 * left)
    return _finish(image, p)


def nested() -> QImage:
    """Three outer folds, each holding a whole search (inner folds) and a scoring part."""
    image, p = _canvas()
    left, width, top, row = 70, 280, 24, 38
    _text(p, left + width / 2, 2, "each outer split runs the whole search inside it",
          align="center", width=width + 60, color="#505050", px=11)
    for k in range(3):
        y = top + k * row
        _text(p, 6, y + 6, f"outer {k + 1}")
        outer_w = width / 3
        x, slot = left, 0  # slot: the inner folds, counted across the outer training part
        for j in range(3):
            if j == k:
                _box(p, QRectF(x, y, outer_w - 3, row - 12), TEST, None)
                _text(p, x + outer_w / 2 - 2, y + 5, "scores", color="white", bold=True,
                      align="center", width=outer_w)
            else:
                inner_w = (outer_w - 3) / 2
                for i in range(2):
                    inner = QRectF(x + i * inner_w, y, inner_w - 2, row - 12)
                    _box(p, inner, VALIDATION if slot == (k + 1) % 4 else TRAIN, None)
                    slot += 1
            x += outer_w
    _legend(p, 20, 142, [(TRAIN, "inner training")], "box")
    _legend(p, 140, 142, [(VALIDATION, "inner validation")], "box")
    _legend(p, 266, 142, [(TEST, "outer test")], "box")
    _text(p, WIDTH / 2, 162, "the mean of the outer scores is the honest estimate",
          align="center", width=WIDTH, color="#505050", px=11)
    return _finish(image, p)


def _fit_curves(u: float) -> tuple[float, float]:
    """Training and validation score of a made-up model of flexibility u in [0, 1]."""
    train = 0.25 + 0.68 * (1 - math.exp(-3.2 * u))
    validation = 0.22 + 0.5 * math.exp(-((u - 0.45) / 0.33) ** 2)
    return train, validation


def bias_variance() -> QImage:
    """Training score rises with flexibility; validation rises, peaks, then falls. The
    shading follows the app's rule: below the peak by more than the noise, on the simpler
    side underfitting, on the more flexible side overfitting."""
    image, p = _canvas()
    rect = QRectF(44, 14, 300, 130)
    us = [i / 120 for i in range(121)]
    peak = max(_fit_curves(u)[1] for u in us)
    noise = 0.08
    below = [u for u in us if _fit_curves(u)[1] < peak - noise]
    top_u = max(us, key=lambda u: _fit_curves(u)[1])
    simple_end = max((u for u in below if u < top_u), default=0.0)
    flexible_start = min((u for u in below if u > top_u), default=1.0)
    for (u0, u1), shade in (((0, simple_end), UNDERFIT_SHADE),
                            ((flexible_start, 1), OVERFIT_SHADE)):
        x0, _ = _at(rect, u0, 0)
        x1, _ = _at(rect, u1, 0)
        p.fillRect(QRectF(x0, rect.top(), x1 - x0, rect.height()), shade)
    _axes(p, rect, "model flexibility →", "score")
    _line(p, [_at(rect, u, _fit_curves(u)[0]) for u in us], TRAIN, 3)
    _line(p, [_at(rect, u, _fit_curves(u)[1]) for u in us], VALIDATION, 3)
    _star(p, *_at(rect, top_u, peak))
    _text(p, _at(rect, simple_end / 2, 0)[0], rect.top() + 2, "underfit\n(high bias)",
          align="center", width=80, color="#5a3d00", px=11)
    _text(p, _at(rect, top_u, 0)[0], rect.top() + 2, "good fit", align="center", width=80,
          color="#004a7a", bold=True)
    _text(p, _at(rect, (1 + flexible_start) / 2, 0)[0], rect.top() + 30,
          "overfit\n(high variance)", align="center", width=100, color="#6b2450", px=11)
    _legend(p, rect.left() + 118, rect.bottom() - 34, [(TRAIN, "training"),
                                                       (VALIDATION, "validation")])
    return _finish(image, p)


def wide_gap() -> QImage:
    """A random forest by depth: training near 1 everywhere, validation flat within its
    error bars. The gap is wide, yet no shallower forest scores better: a good fit."""
    image, p = _canvas()
    rect = QRectF(44, 10, 300, 104)
    _axes(p, rect, "max_depth of a forest →", "score")
    train = [0.93, 0.98, 0.995, 1.0]
    valid = [0.70, 0.73, 0.74, 0.735]
    error = 0.035

    def at(u: float, v: float) -> tuple[float, float]:
        return _at(rect, u, (v - 0.6) / 0.42)  # scores 0.6 .. 1.02 fill the height

    xs = [(i + 0.5) / len(train) for i in range(len(train))]
    _line(p, [at(u, t) for u, t in zip(xs, train, strict=True)], TRAIN, 3)
    _line(p, [at(u, v) for u, v in zip(xs, valid, strict=True)], VALIDATION, 3)
    best = max(range(len(valid)), key=valid.__getitem__)
    for i, (u, v) in enumerate(zip(xs, valid, strict=True)):
        x, y = at(u, v)
        p.setPen(_pen(VALIDATION, 1.5))
        p.drawLine(QPointF(x, at(u, v + error)[1]), QPointF(x, at(u, v - error)[1]))
        if i == best:
            _star(p, x, y)
        else:
            _dot(p, x, y, VALIDATION, 4.5)
    gx = at(xs[best], 0)[0] + 16
    _line(p, [(gx, at(0, train[best])[1] + 4), (gx, at(0, valid[best])[1] - 4)], INK, 1.2,
          dashed=True)
    _text(p, gx + 5, (at(0, train[best])[1] + at(0, valid[best])[1]) / 2 - 8, "gap", px=11)
    _text(p, WIDTH / 2, 140, "A wide gap, but no shallower forest scores better than the "
          "noise (the bars): a good fit, with high variance.", align="center",
          width=WIDTH - 20, color="#505050", px=11)
    return _finish(image, p)


def learning_curves() -> QImage:
    """Left: validation still rising, more rows help. Right: both flat and low, they do not."""
    image, p = _canvas()
    for panel, title in ((0, "more rows would help"), (1, "more rows won't help")):
        rect = QRectF(34 + panel * 178, 26, 136, 108)
        _text(p, rect.center().x(), 4, title, bold=True, align="center", width=176)
        _axes(p, rect, "training rows →", "score")
        us = [i / 40 for i in range(41)]
        if panel == 0:
            train = [0.95 - 0.12 * u for u in us]
            valid = [0.35 + 0.45 * (1 - math.exp(-1.6 * u)) for u in us]
        else:
            train = [0.48 - 0.06 * (1 - math.exp(-5 * u)) for u in us]
            valid = [0.15 + 0.25 * (1 - math.exp(-6 * u)) for u in us]
        _line(p, [_at(rect, 0.04 + 0.92 * u, t) for u, t in zip(us, train, strict=True)],
              TRAIN, 3)
        _line(p, [_at(rect, 0.04 + 0.92 * u, v) for u, v in zip(us, valid, strict=True)],
              VALIDATION, 3)
    _legend(p, 60, 160, [(TRAIN, "training")])
    _legend(p, 200, 160, [(VALIDATION, "validation")])
    return _finish(image, p)


def regularization() -> QImage:
    """The same six weights, weakly penalised, under a strong L2 and under a strong L1."""
    image, p = _canvas()
    weights = [0.9, -0.7, 0.5, 0.3, -0.2, 0.1]
    panels = [("weak penalty", weights, []),
              ("strong L2", [w * 0.45 for w in weights], []),
              ("strong L1", [0.6, -0.4, 0.15, 0, 0, 0], [3, 4, 5])]
    for k, (title, values, zeros) in enumerate(panels):
        left = 14 + k * 118
        mid = 90
        _text(p, left + 50, 6, title, bold=True, align="center", width=116)
        p.setPen(_pen("#808080", 1))
        p.drawLine(QPointF(left, mid), QPointF(left + 100, mid))
        for i, w in enumerate(values):
            x = left + 6 + i * 16
            if i in zeros:
                _cross(p, x + 5, mid, 4.5)
                continue
            height = w * 64
            _box(p, QRectF(x, mid - max(height, 0), 11, abs(height)),
                 BLUE if w > 0 else VERMILLION, None)
    _text(p, WIDTH / 2, 148, "bars: the model's weights, one per input;\n"
          "× = exactly zero (the input is dropped)", align="center", width=WIDTH - 10,
          color="#505050", px=11)
    return _finish(image, p)


def one_se() -> QImage:
    """Mean score ± one standard error by depth: the best, the line one SE below it, and
    the simplest depth above the line."""
    image, p = _canvas()
    rect = QRectF(44, 14, 250, 124)
    _axes(p, rect, "max_depth: simpler ← → more complex", "validation score")
    means = [0.30, 0.55, 0.70, 0.76, 0.78, 0.80, 0.79, 0.77]
    error = 0.06
    best = max(range(len(means)), key=means.__getitem__)
    threshold = means[best] - error
    y_line = _at(rect, 0, threshold)[1]
    _line(p, [(rect.left(), y_line), (rect.right(), y_line)], ONE_SE, 1.5, dashed=True)
    _text(p, rect.right() + 4, y_line - 8, "best − 1\nstandard\nerror", color="#00684c",
          px=11, width=64)
    chosen = next(i for i, m in enumerate(means) if m >= threshold - 1e-12)
    for i, m in enumerate(means):
        x, y = _at(rect, (i + 0.5) / len(means), m)
        _, top = _at(rect, 0, m + error)
        _, low = _at(rect, 0, m - error)
        p.setPen(_pen(VALIDATION, 1.5))
        p.drawLine(QPointF(x, top), QPointF(x, low))
        if i == best:
            _star(p, x, y)
        elif i == chosen:
            _diamond(p, x, y)
        else:
            _dot(p, x, y, VALIDATION, 4.5)
    cx, cy = _at(rect, (chosen + 0.5) / len(means), means[chosen])
    _text(p, cx - 10, cy - 40, "simplest within\none standard error", color="#00684c",
          align="center", width=130, px=11)
    bx, by = _at(rect, (best + 0.5) / len(means), means[best])
    _text(p, bx, by - 36, "best", color=VERMILLION, align="center", width=60, bold=True)
    return _finish(image, p)


def confusion() -> QImage:
    """A two-class confusion matrix: the diagonal right, the other cells the two kinds of
    mistake, each with its count and its share of the true class."""
    image, p = _canvas()
    cells = [[(88, "right"), (12, "missed")], [(6, "false alarm"), (94, "right")]]
    left, top, size = 120, 26, 62
    _text(p, left + size, 6, "predicted class", align="center", width=160, px=11)
    for j, name in enumerate(("yes", "no")):
        _text(p, left + j * size + size / 2, top + 2 * size + 4, name, align="center",
              width=size)
    for i, name in enumerate(("yes", "no")):
        _text(p, left - 8, top + i * size + size / 2 - 7, f"true {name}", align="right",
              width=80)
        for j, (count, words) in enumerate(cells[i]):
            share = count / sum(c for c, _ in cells[i])
            fill = QColor(VALIDATION)
            fill.setAlphaF(0.15 + 0.75 * share)
            _box(p, QRectF(left + j * size, top + i * size, size, size), fill, "#ffffff")
            ink = "#ffffff" if share > 0.55 else INK
            _text(p, left + j * size + size / 2, top + i * size + 12,
                  f"{count}\n{share:.0%}", color=ink, align="center", width=size, px=11)
            if i != j:
                _text(p, left + 2 * size + 10, top + i * size + size / 2 - 7,
                      f"← {words}", color=VERMILLION, px=11, width=110)
    return _finish(image, p)


def importance() -> QImage:
    """How much of the score's variation each setting explains (shares add up to 1)."""
    image, p = _canvas()
    shares = [("C", 0.62), ("gamma", 0.29), ("kernel", 0.07), ("tol", 0.02)]
    left, top, full = 84, 18, 220
    for i, (name, share) in enumerate(shares):
        y = top + i * 32
        _text(p, left - 8, y + 3, name, align="right", width=80)
        _box(p, QRectF(left, y, full * share, 20), VALIDATION, None)
        _text(p, left + full * share + 6, y + 3, f"{share:.2f}")
    _text(p, WIDTH / 2, 150, "share of the score's variation each setting explains",
          align="center", width=WIDTH, color="#505050", px=11)
    return _finish(image, p)


def compare() -> QImage:
    """Two models' scores on the same five folds, each fold joined by a line."""
    image, p = _canvas()
    rect = QRectF(56, 14, 160, 130)
    _axes(p, rect, "", "validation score")
    a = [0.80, 0.74, 0.86, 0.78, 0.71]
    b = [0.83, 0.77, 0.88, 0.82, 0.73]
    xa, xb = rect.left() + 45, rect.right() - 45
    for sa, sb in zip(a, b, strict=True):
        ya = _at(rect, 0, (sa - 0.65) / 0.28)[1]
        yb = _at(rect, 0, (sb - 0.65) / 0.28)[1]
        _line(p, [(xa, ya), (xb, yb)], GREY, 1.5)
        _dot(p, xa, ya, VALIDATION, 5)
        _dot(p, xb, yb, VALIDATION, 5)
    _text(p, xa, rect.bottom() + 4, "model A", align="center", width=80)
    _text(p, xb, rect.bottom() + 4, "model B", align="center", width=80)
    _text(p, 228, 14, "A line joins the same fold of both models.", color="#505050",
          width=128)
    _text(p, 228, 66, "B is higher on every fold, but by little: is that more than noise?",
          color="#505050", width=128)
    return _finish(image, p)


def predict() -> QImage:
    """A new table goes through the saved pipeline and comes out with a prediction column."""
    image, p = _canvas()

    def table(x: float, columns: int, extra: bool) -> None:
        for r in range(5):
            for c in range(columns + (1 if extra else 0)):
                fill = "#eeeeee" if r == 0 else "white"
                if extra and c == columns:
                    fill = GREEN if r == 0 else "#d4efe6"
                _box(p, QRectF(x + c * 18, 50 + r * 16, 18, 16), fill, "#a0a0a0")

    table(10, 4, False)
    _text(p, 46, 20, "new rows\n(no target)", align="center", width=110)
    model = QRectF(122, 52, 106, 76)
    _box(p, model, "#dcebf6", BLUE, 8)
    _text(p, model.center().x(), 60, "saved model\npreprocessing\n+ estimator", align="center",
          width=104)
    _arrow(p, 86, 90, model.left() - 4, 90)
    _arrow(p, model.right() + 2, 90, 256 - 6, 90)
    table(256, 4, True)
    _text(p, 302, 20, "+ prediction", align="center", width=110, color="#00684c", bold=True)
    _text(p, WIDTH / 2, 146, "the same columns as the training data, without the target",
          align="center", width=WIDTH, color="#505050", px=11)
    return _finish(image, p)


PICTURES: dict[str, Callable[[], QImage]] = {
    "parameters": parameters, "manual_grid": manual_grid, "grid_random": grid_random,
    "bayesian": bayesian,
    "evolution": evolution, "halving": halving, "kfold": kfold, "optimism": optimism,
    "held_out": held_out, "nested": nested, "bias_variance": bias_variance,
    "wide_gap": wide_gap,
    "learning_curves": learning_curves, "regularization": regularization, "one_se": one_se,
    "importance": importance, "compare": compare, "predict": predict,
    "confusion": confusion,
}


def picture(name: str) -> QImage:
    """The named picture, drawn now (they are small: drawing beats shipping files)."""
    return PICTURES[name]()


def add_pictures(document: QTextDocument, names: Iterable[str]) -> None:
    """Register each named picture in the document as ``pic:NAME`` (for ``<img>``)."""
    for name in names:
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(f"pic:{name}"),
                             picture(name))
