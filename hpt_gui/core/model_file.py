"""Exported model files, saved and loaded back in the format the file's suffix names.

- ``.skops`` (skops' safe format): loading runs no code. It is loaded without asking the
  user, but only when every type it holds that skops does not trust by itself is a type
  of hpt-gui's own pipelines (``model_types``); anything else is refused, unbuilt.
- Any other suffix (``.pkl``, ``.pickle``, none): a pickle, which can run code when
  loaded, so the caller must first say that the user trusts the file.

Either way the file's bytes must match the sha256 its JSON sidecar recorded, checked
before anything is read as a model. A model file may come from elsewhere (a colleague, a
download, a shared folder): the sidecar check refuses a file changed since export, or
one that is not the exported file; it cannot make a malicious pickle safe (whoever wrote
both files can make them agree), which is why a pickle also needs the user's trust.
"""

from __future__ import annotations

import hashlib
import io
import json
import pickle
from pathlib import Path
from typing import Any, NamedTuple

from .input_files import InputFileError, read_ordinary_file

SIDECAR_FORMAT = "hpt-gui model sidecar"
SIDECAR_VERSION = 1
SKOPS, PICKLE = "skops", "pickle"  # the model file formats, as the sidecar names them
SKOPS_SUFFIX = ".skops"
# What the sidecar tells whoever opens it, by format.
LOAD_WARNINGS = {
    PICKLE: "Load the pickle only if you trust where it came from.",
    SKOPS: "A .skops file runs no code when loaded; hpt-gui loads it only when it holds "
           "nothing but the types of hpt-gui's own pipelines.",
}
# Libraries whose version decides whether a model file loads and predicts as it did.
_CHECKED_VERSIONS = ("scikit-learn", "numpy", "pandas", "joblib", "python")
_FOREIGN_SHOWN = 8


class ModelFileError(ValueError):
    """A model file that is not loaded, phrased for the user (what is wrong, what to do)."""


class LoadedModel(NamedTuple):
    """A loaded model: the fitted pipeline, its sidecar, and version warnings."""

    pipeline: Any
    sidecar: dict[str, Any]
    warnings: list[str]


def model_format(model_path: str | Path) -> str:
    """``SKOPS`` for a ``.skops`` file; ``PICKLE`` for any other suffix (``.pkl``,
    ``.pickle``, none), as every model file was before ``.skops`` existed."""
    return SKOPS if Path(model_path).suffix.lower() == SKOPS_SUFFIX else PICKLE


def needs_trust(model_path: str | Path) -> bool:
    """Whether loading the file can run code, so the user must say they trust it."""
    return model_format(model_path) == PICKLE


def sidecar_path(model_path: str | Path) -> Path:
    """Where a model file's sidecar lies: ``model.pkl`` -> ``model.json``;
    ``model.skops`` -> ``model.skops.json``, so a pickle and a .skops file of one model
    side by side each keep their own; a model named ``X.json`` gets
    ``X.json.sidecar.json`` (never itself). Export and load both use this rule."""
    path = Path(model_path)
    if path.suffix == ".json":
        return path.with_name(path.name + ".sidecar.json")
    if model_format(path) == SKOPS:
        return path.with_name(path.name + ".json")
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


def save_model(pipeline: Any, model_path: str | Path, meta: dict[str, Any]) -> Path:
    """Write a fitted pipeline in the format its suffix names, and its sidecar (``meta``
    after the format, the file's name, format, sha256 and load warning); returns the
    sidecar's path. ``OutputError`` (a sentence) when it cannot be written.

    Both files are written whole to temporary files first; only then is the model renamed
    into place, then the sidecar. A failure before the renames leaves the old pair as it
    was; a crash between them leaves a new model beside the old sidecar, which the sha256
    check refuses on load: the two are never used mismatched.
    """
    from .output_files import replacing

    model, sidecar = Path(model_path), sidecar_path(model_path)
    form = model_format(model)
    payload = _skops_bytes(pipeline) if form == SKOPS else \
        pickle.dumps(pipeline, protocol=pickle.HIGHEST_PROTOCOL)
    meta = {
        "format": f"{SIDECAR_FORMAT} {SIDECAR_VERSION}",
        "model_file": model.name,
        "model_format": form,
        "model_sha256": hashlib.sha256(payload).hexdigest(),
        "warning": LOAD_WARNINGS[form],
        **meta,
    }
    text = json.dumps(meta, indent=2) + "\n"
    # The sidecar's block is left last, so its rename comes after the model's.
    with replacing(sidecar) as sidecar_temporary, replacing(model) as model_temporary:
        model_temporary.write_bytes(payload)
        sidecar_temporary.write_text(text, encoding="utf-8")
    return sidecar


def _skops_bytes(pipeline: Any) -> bytes:
    """The pipeline as a .skops file, refused (``OutputError``) when skops cannot write it
    or hpt-gui would not load it back (a type outside its pipelines)."""
    import skops.io

    from .model_types import foreign_types
    from .output_files import OutputError

    try:
        payload = skops.io.dumps(pipeline)
        foreign = foreign_types(skops.io.get_untrusted_types(data=payload))
    except Exception as exc:  # e.g. RecursionError on a scorer kept for early stopping
        raise OutputError(
            f"This model cannot be saved as a safe .skops file ({type(exc).__name__}); "
            "save it as a pickle (.pkl) instead.") from None
    if foreign:
        raise OutputError(
            f"This model holds types a .skops file of hpt-gui may not hold "
            f"({', '.join(foreign)}); save it as a pickle (.pkl) instead.")
    return payload


def load_model(model_path: str | Path, *, trusted: bool = False) -> LoadedModel:
    """Load an exported model after the checks, in order: a pickle only when the caller
    says the user trusts it (a ``.skops`` file needs no trust); the sidecar is there and
    is hpt-gui's; the file's sha256 is the one recorded at export; a ``.skops`` file holds
    only the types of hpt-gui's pipelines. Only then is it loaded, from the very bytes that
    were hashed, and it must be able to ``predict``.

    Library versions that differ from the sidecar's are warnings, not refusals: the model
    usually still works, but may predict differently or fail.
    """
    model = Path(model_path)
    safe = model_format(model) == SKOPS
    if not safe and not trusted:
        raise ModelFileError(
            f"'{model}' was not loaded: a model file is a pickle, and loading a pickle can run "
            "code hidden in it; load only files you trust, and say that you trust this one.")
    meta = read_sidecar(model)
    try:
        payload = read_ordinary_file(model, "model file")
    except InputFileError as exc:
        raise ModelFileError(str(exc)) from None
    except OSError as exc:
        raise ModelFileError(
            f"The model file '{model}' cannot be read ({exc.strerror or exc}).") from None
    if hashlib.sha256(payload).hexdigest() != meta["model_sha256"].lower():
        raise ModelFileError(
            f"'{model}' does not match the sha256 in its sidecar '{sidecar_path(model).name}': "
            "the file changed since it was exported, or it is not the file that was "
            "exported. It was not loaded; export the model again from its project.")
    pipeline = _from_skops(model, payload) if safe else _unpickle(model, payload)
    if not callable(getattr(pipeline, "predict", None)):
        raise ModelFileError(
            f"'{model}' holds a {type(pipeline).__name__}, not a fitted model that can "
            "predict; choose a model file hpt-gui exported.")
    return LoadedModel(pipeline, meta, version_warnings(meta))


def _unpickle(model: Path, payload: bytes) -> Any:
    try:
        return pickle.loads(payload)  # noqa: S301 -- trusted, and its sha256 checked
    except Exception as exc:
        raise _not_loadable(model, exc) from None


def _from_skops(model: Path, payload: bytes) -> Any:
    """Build the model from skops' description of it, once every type it names that skops
    does not trust by itself is one of hpt-gui's pipelines; nothing is built before."""
    import skops.io

    from .model_types import foreign_types

    try:
        untrusted = skops.io.get_untrusted_types(data=payload)
    except Exception as exc:  # not a zip, no schema: skops' own words, then ours
        raise ModelFileError(
            f"'{model}' is not a .skops model file that can be read ({type(exc).__name__}: "
            f"{exc}); export the model again.") from None
    foreign = foreign_types(untrusted)
    if foreign:
        shown = ", ".join(foreign[:_FOREIGN_SHOWN])
        if len(foreign) > _FOREIGN_SHOWN:
            shown += f" and {len(foreign) - _FOREIGN_SHOWN} more"
        raise ModelFileError(
            f"This model file holds types hpt-gui's models never contain ({shown}); it was "
            "not made by hpt-gui or was changed. Not loaded.")
    try:
        return skops.io.load(io.BytesIO(payload), trusted=untrusted)
    except Exception as exc:
        raise _not_loadable(model, exc) from None


def _not_loadable(model: Path, exc: Exception) -> ModelFileError:
    return ModelFileError(
        f"'{model}' could not be loaded with the libraries installed here "
        f"({type(exc).__name__}: {exc}); install the versions its sidecar names "
        "or export the model again.")


def version_warnings(meta: dict[str, Any]) -> list[str]:
    """One sentence per library whose version here differs from the one at export."""
    from .library_versions import library_versions

    saved = meta.get("versions")
    if not isinstance(saved, dict):
        return ["The sidecar does not say which library versions made the model; it may "
                "predict differently here."]
    here = library_versions()
    names = (*_CHECKED_VERSIONS, "skops") if meta.get("model_format") == SKOPS \
        else _CHECKED_VERSIONS
    return [
        f"The model was saved with {name} {saved[name]} and this is {here[name]}: it may "
        "predict differently or fail; refit it here if in doubt."
        for name in names
        if name in saved and name in here and str(saved[name]) != here[name]
    ]


__all__ = ["LOAD_WARNINGS", "PICKLE", "SKOPS", "SKOPS_SUFFIX", "LoadedModel", "ModelFileError",
           "load_model", "model_format", "needs_trust", "read_sidecar", "save_model",
           "sidecar_path",
           "version_warnings"]
