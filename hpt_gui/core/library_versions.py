"""The versions of the libraries a saved model depends on: written into a model's sidecar
at export and compared with the installed ones when the model is loaded.

Its own module so that exporting (``export``) and loading (``model_file``) both read it
without importing each other.
"""

from __future__ import annotations

import platform


def library_versions() -> dict[str, str]:
    """hpt-gui's, Python's and each model library's version, by name."""
    import joblib
    import numpy
    import pandas
    import sklearn
    import skops

    from .. import __version__

    return {
        "hpt-gui": __version__, "python": platform.python_version(),
        "scikit-learn": sklearn.__version__, "numpy": numpy.__version__,
        "pandas": pandas.__version__, "joblib": joblib.__version__,
        "skops": skops.__version__,
    }
