"""The learned ranker: gradient-boosted oblivious trees and a centred isotonic calibration, evaluated in NumPy.

The weights live next to this module in ``ranker.npz`` (NumPy arrays only, read with ``allow_pickle=False``),
written by ``scripts/train_ranker.py`` from the pinned data (see ``docs/ranker.md``, the model card). Being a
file of the ``_matching`` package, it is part of the library fingerprint, so a retrained model invalidates
compiled gazetteer indexes like any other change to matching.

An oblivious tree of depth ``D`` asks the same ``D`` questions (feature > border) of every row; the answers
are the ``D`` bits of the leaf index. So the whole ensemble is one gather, one comparison and one weighted sum
over the candidate block: ``leaf = (x[:, split] > border) @ 2**arange(D)``, ``margin = sum(values[t, leaf])``.
The calibration maps the margin to the probability that the candidate is the entry the query names,
by linear interpolation between knots, one per block of an isotonic fit at the block's mean margin (centred
isotonic regression, ``scripts/_calibration.py``): strictly increasing, so candidates the trees tell apart
never tie on their probability, and the threshold is not confined to the steps of a staircase.
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


# Rows evaluated at once by :meth:`Ranker.margin`: the temporaries are (rows x trees x depth) bytes, so a training
# matrix of a million rows is scored in pieces of a few megabytes.
_CHUNK_ROWS = 4096


@dataclass(frozen=True, slots=True)
class _Plan:
    """The trees recast for speed. Each distinct (feature, border) question is asked once per row; the answers
    are laid out one question per line with the rows along it, so that collecting what every tree asked at one
    depth copies whole lines (a few thousand short copies, not an element gather per tree, depth and row). Per
    depth ``d`` the answers are worth ``1 << d``; their OR over the depths, with the tree's offset in one flat
    array of leaves, is the index of each tree's leaf for each row."""

    feature: npt.NDArray[np.intp]  # (questions,): the feature each question reads
    border: npt.NDArray[np.float32]  # (questions, 1)
    depth_major: npt.NDArray[np.intp]  # (depth * trees,): the question of tree t at depth d at d * trees + t
    weight: npt.NDArray[np.integer[Any]]  # (depth, 1, 1): 1 << d, in the narrowest type holding a leaf
    base: npt.NDArray[np.integer[Any]]  # (trees, 1): t << depth, the tree's first leaf in ``leaves``
    leaves: npt.NDArray[np.float64]  # (trees * 2**depth,)

    @classmethod
    def build(cls, split_feature: npt.NDArray[np.int64], border: npt.NDArray[np.float32],
              leaf_values: npt.NDArray[np.float64]) -> _Plan:
        pairs = sorted(set(zip(split_feature.ravel().tolist(), border.ravel().tolist(), strict=True)))
        where = {p: i for i, p in enumerate(pairs)}
        trees, depth = split_feature.shape
        asked = np.asarray([[where[(int(split_feature[t, d]), float(border[t, d]))] for d in range(depth)]
                            for t in range(trees)], dtype=np.intp).reshape(trees, depth)
        # The narrowest unsigned type that holds every leaf offset (16 bits for the bundled 250 trees of depth 6):
        # the OR of the depths and the offset then run on small integers.
        offset_type = np.min_scalar_type(max(trees << depth, 1))
        bits_type = np.min_scalar_type(max((1 << depth) - 1, 1))
        return cls(np.asarray([p[0] for p in pairs], dtype=np.intp),
                   np.asarray([p[1] for p in pairs], dtype=np.float32).reshape(len(pairs), 1),
                   np.ascontiguousarray(asked.T).ravel(),
                   (np.ones(1, dtype=bits_type) << np.arange(depth, dtype=bits_type)).reshape(depth, 1, 1),
                   (np.arange(trees, dtype=offset_type) << offset_type.type(depth)).reshape(trees, 1),
                   np.ascontiguousarray(leaf_values.ravel()))

    def leaf_values_of(self, x: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
        """Per tree and row of ``x``, the value of the leaf the row falls in: (trees, rows), C order."""
        n = len(x)
        depth, trees = len(self.weight), len(self.base)
        # (questions, rows): one line per question; x > border is false for NaN, as a tree walk answers. The
        # gathers are the arrays' own ``take``: ``np.take`` adds a Python-level dispatch (about a microsecond a
        # call, a tenth of this function on a block of 25 rows).
        answers = np.ascontiguousarray(x.T).take(self.feature, axis=0) > self.border
        bits = answers.view(np.uint8).take(self.depth_major, axis=0).reshape(depth, trees, n)
        bits = bits.astype(self.weight.dtype, copy=False)
        bits *= self.weight
        leaf = np.bitwise_or.reduce(bits, axis=0) | self.base
        out: npt.NDArray[np.float64] = self.leaves.take(leaf)
        return out


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
    def _plan(self) -> _Plan:
        """The trees recast for speed (see :class:`_Plan`)."""
        return _Plan.build(self.split_feature, self.border, self.leaf_values)

    def margin(self, x: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
        """The raw score (log-odds scale) of each row of ``x`` (columns in :data:`FEATURES` order)."""
        if not len(x):
            return np.zeros(0)
        plan = self._plan
        if len(x) > _CHUNK_ROWS:  # the per-row work is independent: bounded temporaries for a large matrix
            return np.concatenate([self.margin(x[i:i + _CHUNK_ROWS]) for i in range(0, len(x), _CHUNK_ROWS)])
        values = plan.leaf_values_of(x)  # (trees, rows), C order, as the sum below has always seen it
        # The sum over trees of a C-ordered (trees, rows) array: NumPy's own order of additions, so the margins
        # are the same to the last bit as those the calibration was fitted to.
        out: npt.NDArray[np.float64] = self.scale * values.sum(axis=0) + self.bias
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
