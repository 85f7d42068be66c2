"""The diagnostics drawn with pyqtgraph: each view draws what ``core.diagnostics`` computes."""

from __future__ import annotations


def all_views() -> dict[str, type]:
    """Every plot view by its tab title (the bench and the screenshots walk these)."""
    from .curves import FitCurveView, LearningCurveView
    from .distribution import ByValueView, FoldsView, HistogramView
    from .errors_view import ErrorsView
    from .inspector import InspectorView
    from .search import HistoryView, ImportanceView, ParallelView, ParamScatterView

    return {
        "Fold scores": FoldsView, "All scores": HistogramView, "By value": ByValueView,
        "Under/overfit": FitCurveView, "Learning curve": LearningCurveView,
        "History": HistoryView, "Score vs setting": ParamScatterView,
        "Parallel": ParallelView, "Importance": ImportanceView,
        "Model inspector": InspectorView, "How it errs": ErrorsView,
    }
