"""Loading an exported model back: only after the caller has warned that a pickle can run
code, and only when the file's bytes match the sha256 its JSON sidecar recorded.

A model file may come from elsewhere (a colleague, a download, a shared folder). The
sidecar check refuses a file changed since export, or one that is not the exported file,
before anything is unpickled; it cannot make a malicious file safe (whoever wrote both
files can make them agree), which is why the caller must also say the user trusts it.
"""

from __future__ import annotations

import hashlib
import json
import pickle
from pathlib import Path
from typing import Any, NamedTuple

SIDECAR_FORMAT = "hpt-gui model sidecar"
SIDECAR_VERSION = 1
# Libraries whose version decides whether a pickle loads and predicts as it did.
_CHECKED_VERSIONS = ("scikit-learn", "numpy", "pandas", "joblib", "python")


class ModelFileError(ValueError):
    """A model file that is not loaded, phrased for the user (what is wrong, what to do)."""


class LoadedModel(NamedTuple):
    """A loaded model: the fitted pipeline, its sidecar, and version warnings."""

    pipeline: Any
    sidecar: dict[str, Any]
    warnings: list[str]


def sidecar_path(model_path: str | Path) -> Path:
    """Where a model file's sidecar lies: ``model.pkl`` -> ``model.json``; a model
    named ``X.json`` gets ``X.json.sidecar.json`` (never itself). Export and load
    both use this rule."""
    path = Path(model_path)
    if path.suffix == ".json":
        return path.with_name(path.name + ".sidecar.json")
    return path.with_suffix(".json")


def read_sidecar(model_path: str | Path) -> dict[str, Any]:
    """The sidecar of a model file, checked to be an hpt-gui sidecar with a sha256.

    Reading it never unpickles anything, so a window can show what a model is (study,
    trial, scores, versions) before the user decides to load it.
    """
    model = Path(model_path)
    sidecar = sidecar_path(model)
    if not sidecar.is_file():
        raise ModelFileError(
            f"'{model}' has no sidecar '{sidecar.name}' beside it, so it cannot be checked "
            "and was not loaded; keep the two files together as hpt-gui exported them, or "
            "export the model again.")
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise ModelFileError(
            f"The sidecar '{sidecar}' cannot be read ({reason}), so '{model.name}' cannot be "
            "checked and was not loaded; export the model again.") from None
    form = meta.get("format") if isinstance(meta, dict) else None
    digest = meta.get("model_sha256") if isinstance(meta, dict) else None
    if not isinstance(form, str) or not form.startswith(SIDECAR_FORMAT) or \
            not isinstance(digest, str) or len(digest) != 64:
        raise ModelFileError(
            f"'{sidecar}' is not an hpt-gui model sidecar (no format or sha256 in it), so "
            f"'{model.name}' cannot be checked and was not loaded; export the model again.")
    version = form[len(SIDECAR_FORMAT):].strip()
    if not version.isdigit() or int(version) > SIDECAR_VERSION:
        raise ModelFileError(
            f"'{sidecar}' was written by a newer hpt-gui ({form}); update hpt-gui to load "
            f"'{model.name}'.")
    return meta


def load_model(model_path: str | Path, *, trusted: bool) -> LoadedModel:
    """Unpickle an exported model after the checks, in order: the caller says the user
    trusts the file (pickles can run code); the sidecar is there and is hpt-gui's; the
    file's sha256 is the one recorded at export. Only then is it unpickled, from the very
    bytes that were hashed, and it must be able to ``predict``.

    Library versions that differ from the sidecar's are warnings, not refusals: the model
    usually still works, but may predict differently or fail.
    """
    model = Path(model_path)
    if not trusted:
        raise ModelFileError(
            f"'{model}' was not loaded: a model file is a pickle, and loading a pickle can run "
            "code hidden in it; load only files you trust, and say that you trust this one.")
    meta = read_sidecar(model)
    try:
        payload = model.read_bytes()
    except OSError as exc:
        raise ModelFileError(
            f"The model file '{model}' cannot be read ({exc.strerror or exc}).") from None
    if hashlib.sha256(payload).hexdigest() != meta["model_sha256"].lower():
        raise ModelFileError(
            f"'{model}' does not match the sha256 in its sidecar '{sidecar_path(model).name}': "
            "the file changed since it was exported, or it is not the file that was "
            "exported. It was not loaded; export the model again from its project.")
    try:
        pipeline = pickle.loads(payload)  # noqa: S301 -- trusted, and its sha256 checked
    except Exception as exc:
        raise ModelFileError(
            f"'{model}' could not be loaded with the libraries installed here "
            f"({type(exc).__name__}: {exc}); install the versions its sidecar names "
            "or export the model again.") from None
    if not callable(getattr(pipeline, "predict", None)):
        raise ModelFileError(
            f"'{model}' holds a {type(pipeline).__name__}, not a fitted model that can "
            "predict; choose a model file hpt-gui exported.")
    return LoadedModel(pipeline, meta, version_warnings(meta))


def version_warnings(meta: dict[str, Any]) -> list[str]:
    """One sentence per library whose version here differs from the one at export."""
    from .export import library_versions

    saved = meta.get("versions")
    if not isinstance(saved, dict):
        return ["The sidecar does not say which library versions made the model; it may "
                "predict differently here."]
    here = library_versions()
    return [
        f"The model was saved with {name} {saved[name]} and this is {here[name]}: it may "
        "predict differently or fail; refit it here if in doubt."
        for name in _CHECKED_VERSIONS
        if name in saved and name in here and str(saved[name]) != here[name]
    ]


__all__ = ["LoadedModel", "ModelFileError", "load_model", "read_sidecar", "sidecar_path",
           "version_warnings"]
