"""The model artefact on disk: sklearn estimators in skops format plus a JSON sidecar.

`<stem>.skops` holds the DictVectorizer and one LogisticRegression per target; `<stem>.json`
holds the version, the Platt calibration, the thresholds, the training summary and metrics.
Loading refuses any type outside `TRUSTED` (skops never runs arbitrary pickle code).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zipfile import ZIP_DEFLATED

from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

from models.paths import DEFAULT_DIR as DEFAULT_DIR
from models.paths import DEFAULT_STEM as DEFAULT_STEM
from models.paths import TARGETS as TARGETS

TRUSTED = frozenset(
    {
        "sklearn.feature_extraction._dict_vectorizer.DictVectorizer",
        "sklearn.linear_model._logistic.LogisticRegression",
        "numpy.dtype",
        "numpy.ndarray",
        "builtins.dict",
        "builtins.list",
        "builtins.tuple",
        "builtins.str",
        "builtins.int",
        "builtins.float",
        "builtins.type",
    }
)


class ArtefactError(ValueError):
    """The model artefact is missing, untrusted or inconsistent."""


@dataclass
class Artefact:
    vectorizer: DictVectorizer
    estimators: dict[str, LogisticRegression]
    calibration: dict[str, tuple[float, float]]  # target -> (a, b): p = sigmoid(a * z + b)
    thresholds: dict[str, float]
    version: str
    meta: dict[str, Any] = field(default_factory=dict)

    def save(self, stem: Path = DEFAULT_STEM) -> None:
        from skops.io import dump

        stem.parent.mkdir(parents=True, exist_ok=True)
        dump(
            {"vectorizer": self.vectorizer, **self.estimators},
            stem.with_suffix(".skops"),
            compression=ZIP_DEFLATED,
        )
        sidecar = {
            "version": self.version,
            "calibration": {k: list(v) for k, v in self.calibration.items()},
            "thresholds": self.thresholds,
            **self.meta,
        }
        stem.with_suffix(".json").write_text(json.dumps(sidecar, indent=2) + "\n", "utf-8")


def load(stem: Path = DEFAULT_STEM) -> Artefact:
    from skops.io import get_untrusted_types
    from skops.io import load as skops_load

    path, sidecar = stem.with_suffix(".skops"), stem.with_suffix(".json")
    if not path.exists() or not sidecar.exists():
        raise ArtefactError(f"no model artefact at {stem}(.skops|.json): run `vigie train`")
    unknown = sorted(set(get_untrusted_types(file=path)) - TRUSTED)
    if unknown:
        raise ArtefactError(f"{path}: refusing untrusted types: {', '.join(unknown)}")
    obj = skops_load(path, trusted=sorted(TRUSTED))
    meta = json.loads(sidecar.read_text("utf-8"))
    if (
        not isinstance(obj, dict)
        or not isinstance(obj.get("vectorizer"), DictVectorizer)
        or not all(isinstance(obj.get(t), LogisticRegression) for t in TARGETS)
    ):
        raise ArtefactError(
            f"{path}: expected a DictVectorizer and one LogisticRegression per target"
        )
    calibration = {k: (float(v[0]), float(v[1])) for k, v in meta.pop("calibration").items()}
    thresholds = {k: float(v) for k, v in meta.pop("thresholds").items()}
    return Artefact(
        vectorizer=obj["vectorizer"],
        estimators={t: obj[t] for t in TARGETS},
        calibration=calibration,
        thresholds=thresholds,
        version=str(meta.pop("version")),
        meta=meta,
    )
