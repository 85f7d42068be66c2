"""hpt-gui: an offline workbench for tuning scikit-learn hyperparameters."""

__version__ = "0.1.0"  # the one place: pyproject.toml and packaging/ read it
