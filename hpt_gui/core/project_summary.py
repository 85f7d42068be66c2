"""A few lines of plain text that say what a project file holds."""

from __future__ import annotations

from pathlib import Path

from .store import ProjectStore, StoreError, best_trial, count_states


def summarize_project(path: str | Path) -> str:
    """Each study with its model, trial counts and best score; never raises."""
    path = Path(path)
    if not path.exists():
        return f"The project file '{path}' does not exist."
    try:
        with ProjectStore(path) as store:
            lines = [f"Project {path.name}"]
            studies = store.studies()
            if not studies:
                lines.append("It holds no studies yet.")
            for study in studies:
                trials = store.trials(study.name)
                counts = ", ".join(
                    f"{n} {state.lower()}" for state, n in count_states(trials).items() if n
                )
                best = best_trial(trials)
                score = (
                    f"best {study.spec.scoring} {best.mean_test_score:.3g} (trial {best.number})"
                    if best else "no completed trial"
                )
                lines.append(
                    f"• {study.name}: {study.spec.model}, {study.spec.strategy} search, "
                    f"{counts or 'no trials'}; {score}; {study.status}"
                )
            return "\n".join(lines)
    except StoreError as exc:
        return str(exc)
