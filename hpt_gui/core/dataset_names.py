"""The data step's fixed words: column roles, tasks and demo sets.

Apart from ``hpt_gui.core.dataset`` (which repeats them), so the window can show its
first page without importing pandas.
"""

# "group": rows with the same value belong together (a patient, a site); never a feature,
# it is what a group k-fold keeps together (set by the study's validation scheme).
# "leakage": the column alone predicts the target almost perfectly, so it was probably
# computed from it (hpt_gui.core.data_checks); set aside until the user keeps it.
ROLES = ("numeric", "categorical", "id", "constant", "leakage", "group", "target")
TASKS = ("classification", "regression")
DEMO_SETS = ("iris", "wine", "breast_cancer", "diabetes", "digits")
