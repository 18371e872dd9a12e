"""The learned ranker: gradient-boosted oblivious trees and an isotonic calibration, evaluated in NumPy.

The weights live next to this module in ``ranker.npz`` (NumPy arrays only, read with ``allow_pickle=False``),
written by ``scripts/train_ranker.py`` from the pinned data (see ``docs/ranker.md``, the model card). Being a
file of the ``_matching`` package, it is part of the library fingerprint, so a retrained model invalidates
compiled gazetteer indexes like any other change to matching.

An oblivious tree of depth ``D`` asks the same ``D`` questions (feature > border) of every row; the answers
are the ``D`` bits of the leaf index. So the whole ensemble is one gather, one comparison and one weighted sum
over the candidate block: ``leaf = (x[:, split] > border) @ 2**arange(D)``, ``margin = sum(values[t, leaf])``.
The calibration maps the margin to the probability that the candidate is the entry the query names,
by linear interpolation between the isotonic regression's knots.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from normalize._cache import register_cache
from normalize._errors import IndexFormatError
from normalize._matching._features import FEATURES

__all__ = ["RANKER_FILE", "Ranker", "bundled_ranker"]

#: The bundled weights' file name, next to this module.
RANKER_FILE = "ranker.npz"
_ARRAYS = ("split_feature", "border", "leaf_values", "scale_bias", "calibration_x", "calibration_y", "meta")


@dataclass(frozen=True)
class Ranker:
    """A trained ensemble: ``split_feature``/``border`` of shape (trees, depth), ``leaf_values`` (trees,
    2**depth), ``scale``/``bias`` of the raw sum, the calibration knots, and the training metadata."""

    split_feature: npt.NDArray[np.int64]
    border: npt.NDArray[np.float32]
    leaf_values: npt.NDArray[np.float64]
    scale: float
    bias: float
    calibration_x: npt.NDArray[np.float64]
    calibration_y: npt.NDArray[np.float64]
    meta: dict[str, Any]

    @property
    def depth(self) -> int:
        return int(self.split_feature.shape[1])

    @cached_property
    def _plan(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32], list[npt.NDArray[np.int64]],
                             npt.NDArray[np.int64], npt.NDArray[np.float64]]:
        """The trees recast for speed: each distinct (feature, border) question once, per depth the question of
        each tree, the offset of each tree's leaves in one flat array."""
        pairs = sorted(set(zip(self.split_feature.ravel().tolist(), self.border.ravel().tolist(), strict=True)))
        where = {p: i for i, p in enumerate(pairs)}
        feature = np.asarray([p[0] for p in pairs], dtype=np.int64)
        border = np.asarray([p[1] for p in pairs], dtype=np.float32)
        trees, depth = self.split_feature.shape
        per_depth = [np.asarray([where[(int(self.split_feature[t, d]), float(self.border[t, d]))]
                                 for t in range(trees)], dtype=np.int64) for d in range(depth)]
        base = np.arange(trees, dtype=np.int64) << depth
        return feature, border, per_depth, base, np.ascontiguousarray(self.leaf_values.ravel())

    def margin(self, x: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
        """The raw score (log-odds scale) of each row of ``x`` (columns in :data:`FEATURES` order)."""
        if not len(x):
            return np.zeros(0)
        feature, border, per_depth, base, leaves = self._plan
        answers = x.T[feature] > border[:, None]  # (questions, rows)
        leaf = np.repeat(base[:, None], len(x), axis=1)  # (trees, rows)
        for d, questions in enumerate(per_depth):
            leaf += answers[questions].astype(np.int64) << d
        out: npt.NDArray[np.float64] = self.scale * leaves[leaf].sum(axis=0) + self.bias
        return out

    def probability(self, x: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
        """Calibrated probability of each row that its candidate is the entry the query names."""
        return self.calibrate(self.margin(x))

    def calibrate(self, margin: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        out: npt.NDArray[np.float64] = np.interp(margin, self.calibration_x, self.calibration_y)
        return out

    def save(self, path: str | Path) -> None:
        """Write the weights (an ``.npz`` of plain arrays; the metadata as UTF-8 JSON bytes)."""
        meta = np.frombuffer(json.dumps(self.meta, sort_keys=True, ensure_ascii=False).encode("utf-8"),
                             dtype=np.uint8)
        with Path(path).open("wb") as f:
            np.savez(f, split_feature=self.split_feature.astype(np.int32), border=self.border.astype(np.float32),
                     leaf_values=self.leaf_values.astype(np.float64),
                     scale_bias=np.asarray([self.scale, self.bias], dtype=np.float64),
                     calibration_x=self.calibration_x, calibration_y=self.calibration_y, meta=meta)

    @classmethod
    def load(cls, path: str | Path) -> Ranker:
        """Read weights written by :meth:`save`; :class:`IndexFormatError` if damaged or for other features."""
        try:
            with np.load(path, allow_pickle=False) as data:
                arrays = {k: np.asarray(data[k]) for k in _ARRAYS}
        except (OSError, ValueError, KeyError) as exc:
            raise IndexFormatError(f"{path}: not a ranker weights file ({exc})") from None
        meta = json.loads(arrays["meta"].tobytes().decode("utf-8"))
        if tuple(meta.get("features", ())) != FEATURES:
            raise IndexFormatError(f"{path}: trained on other features than this version computes; retrain it: "
                                   f"python scripts/train_ranker.py")
        split = arrays["split_feature"].astype(np.int64)
        if split.ndim != 2 or arrays["leaf_values"].shape != (split.shape[0], 1 << split.shape[1]) or \
                int(split.max(initial=0)) >= len(FEATURES):
            raise IndexFormatError(f"{path}: inconsistent tree arrays")
        scale, bias = (float(v) for v in arrays["scale_bias"])
        return cls(split, arrays["border"].astype(np.float32), arrays["leaf_values"].astype(np.float64), scale, bias,
                   arrays["calibration_x"].astype(np.float64), arrays["calibration_y"].astype(np.float64), meta)

    def checksum(self) -> str:
        digest = hashlib.sha256()
        for arr in (self.split_feature, self.border, self.leaf_values, self.calibration_x, self.calibration_y):
            digest.update(np.ascontiguousarray(arr).tobytes())
        return digest.hexdigest()[:16]


class _Bundled:
    """The bundled ranker, loaded once on first use behind a lock."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ranker: Ranker | None = None

    def get(self) -> Ranker:
        ranker = self._ranker
        if ranker is None:
            with self._lock:
                if self._ranker is None:
                    path = Path(str(resources.files("normalize") / "_matching" / RANKER_FILE))
                    if not path.is_file():
                        raise IndexFormatError(f"the ranker weights are missing from this installation ({path}); "
                                               f"reinstall normalize-gazetteer, or regenerate them with "
                                               f"python scripts/train_ranker.py")
                    self._ranker = Ranker.load(path)
                ranker = self._ranker
        return ranker

    def clear(self) -> None:
        with self._lock:
            self._ranker = None


_BUNDLED = _Bundled()
register_cache("normalize._matching._model.bundled", _BUNDLED.clear)


def bundled_ranker() -> Ranker:
    """The ranker shipped with the package."""
    return _BUNDLED.get()
