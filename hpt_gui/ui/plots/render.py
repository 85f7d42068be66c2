"""The study's plots as PNG pictures, drawn offscreen with the window's own views, for
the HTML report (from the window or from ``hpt-gui report``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .base import StudyView, study_data

SIZE = (900, 520)


def _application() -> Any:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        from ..application import make_app

        app = make_app()
    return app


def view_png(view: StudyView) -> bytes:
    """The view's plot as PNG bytes."""
    from PySide6.QtCore import QBuffer, QIODevice

    view.resize(*SIZE)
    view.figure.resize(SIZE[0], SIZE[1] - 80)
    image = view.figure.grab().toImage()  # the plot and its legend row
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data())


# the "How it errs" pictures a report shows, by task (the view's kinds)
ERROR_PICTURES = {"classification": ("confusion", "roc"), "regression": ("actual", "residuals")}


def render_study_pictures(spec: Any, trials: Sequence[Any], diagnosis: Any = None,
                          importance: Any = None,
                          predictions: Any = None) -> list[tuple[str, bytes]]:
    """(title, PNG) for each view worth showing in a report of this study; with the
    selected trial's out-of-fold ``predictions``, also how it errs (the confusion matrix
    and ROC curves, or predicted against actual and the residuals)."""
    from . import all_views
    from .curves import FitCurveView, LearningCurveView

    _application()
    data = study_data(spec, list(trials))
    selected = diagnosis.trial if diagnosis is not None else data.choice.best
    pictures: list[tuple[str, bytes]] = []
    for title, cls in all_views().items():
        if title in ("Model inspector", "Learning curve") and not (
                title == "Learning curve" and diagnosis is not None and diagnosis.learning):
            continue
        if title == "Importance" and importance is None:
            continue
        if title == "How it errs":
            if predictions is not None and predictions.trial == selected:
                pictures += _error_pictures(cls, data, predictions)
            continue
        view = cls()
        view.selected = selected
        if title == "Importance":
            view.importance = importance
        if isinstance(view, LearningCurveView):
            view.computed[selected] = diagnosis.learning
        if isinstance(view, FitCurveView):
            view.baseline = getattr(getattr(diagnosis, "verdict", None), "baseline_score", None)
            for name in data.searched()[:4]:
                view.set_data(data)
                view.param.setCurrentIndex(view.param.findData(name))
                view.set_data(data)
                pictures.append((f"{view.title}: {name}", view_png(view)))
            view.deleteLater()
            continue
        view.set_data(data)
        pictures.append((view.title, view_png(view)))
        view.deleteLater()
    return pictures


def _error_pictures(cls: type, data: Any, predictions: Any) -> list[tuple[str, bytes]]:
    """The "How it errs" view's pictures of ``predictions`` (ROC curves only when the
    model gives probabilities or scores)."""
    view = cls()
    view.selected = predictions.trial
    view.computed[predictions.trial] = predictions
    view.set_data(data)  # sets the task's kinds
    pictures = []
    for kind in ERROR_PICTURES.get(predictions.task, ()):
        if kind == "roc" and predictions.scores is None:
            continue
        view.kind.setCurrentIndex(view.kind.findData(kind))
        view.set_data(data)
        pictures.append((f"How trial {predictions.trial} errs: {view.kind.currentText()}",
                         view_png(view)))
    view.deleteLater()
    return pictures
