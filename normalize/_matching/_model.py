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


# Rows evaluated at once by :meth:`Ranker.margin`: the temporaries are (rows x trees x 8) bytes, so a training
# matrix of a million rows is scored in pieces of a few megabytes.
_CHUNK_ROWS = 4096
# Query blocks have at most POOL rows; gather indexes are prepared for blocks up to this size (a larger matrix
# uses the general gather, which gives the same leaves).
_PREPARED_ROWS = 32
# The leaf index of an oblivious tree packs its (at most 8) answers, one per byte, into one 64-bit word: the
# multiplication by this constant moves byte d's 0/1 to bit 56 + d without carries (the partial products land on
# distinct bits), and the shift by 56 leaves sum(answer_d << d).
_GATHER_BITS = np.uint64(0x0102040810204080)
_GATHER_SHIFT = np.uint64(56)
_MAX_PACKED_DEPTH = 8


@dataclass(frozen=True, slots=True)
class _Plan:
    """The trees recast for speed: each distinct (feature, border) question once (plus one that is never true,
    which pads each tree's questions to 8), per tree the question asked at each depth, the offset of each
    tree's leaves in one flat array, and prepared flat gather indexes for block-sized inputs."""

    feature: npt.NDArray[np.intp]
    border: npt.NDArray[np.float32]
    tree_questions: npt.NDArray[np.intp]  # (trees, 8): question per depth, the never-true one past the depth
    per_depth: tuple[npt.NDArray[np.intp], ...]  # for trees deeper than 8: the question of each tree per depth
    base: npt.NDArray[np.uint64]
    leaves: npt.NDArray[np.float64]
    flat_gather: npt.NDArray[np.intp]  # (_PREPARED_ROWS, trees, 8): tree_questions offset by row

    @classmethod
    def build(cls, split_feature: npt.NDArray[np.int64], border: npt.NDArray[np.float32],
              leaf_values: npt.NDArray[np.float64]) -> _Plan:
        pairs = sorted(set(zip(split_feature.ravel().tolist(), border.ravel().tolist(), strict=True)))
        where = {p: i for i, p in enumerate(pairs)}
        trees, depth = split_feature.shape
        never = len(pairs)  # x > +inf is false for every value, NaN included
        feature = np.asarray([p[0] for p in pairs] + [0], dtype=np.intp)
        borders = np.asarray([p[1] for p in pairs] + [np.inf], dtype=np.float32)
        asked = np.asarray([[where[(int(split_feature[t, d]), float(border[t, d]))] for d in range(depth)]
                            for t in range(trees)], dtype=np.intp).reshape(trees, depth)
        questions = np.full((trees, _MAX_PACKED_DEPTH), never, dtype=np.intp)
        questions[:, :min(depth, _MAX_PACKED_DEPTH)] = asked[:, :_MAX_PACKED_DEPTH]
        flat = (np.arange(_PREPARED_ROWS, dtype=np.intp)[:, None, None] * len(feature) + questions[None])
        return cls(feature, borders, questions, tuple(np.ascontiguousarray(asked[:, d]) for d in range(depth)),
                   (np.arange(trees, dtype=np.uint64) << np.uint64(depth)),
                   np.ascontiguousarray(leaf_values.ravel()), flat)

    def leaf_values_of(self, x: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
        """Per tree and row of ``x``, the value of the leaf the row falls in: (trees, rows), C order."""
        answers = x[:, self.feature] > self.border  # (rows, questions)
        if len(self.per_depth) > _MAX_PACKED_DEPTH:
            leaf = np.repeat(self.base.astype(np.int64)[:, None], len(x), axis=1)
            for d, asked in enumerate(self.per_depth):
                leaf += answers.T[asked].astype(np.int64) << d
            return np.ascontiguousarray(self.leaves[leaf])
        n = len(x)
        if n <= _PREPARED_ROWS:
            packed = answers.ravel()[self.flat_gather[:n]]  # (rows, trees, 8), C order
        else:
            packed = np.ascontiguousarray(answers[:, self.tree_questions])
        words = packed.view(np.uint64)[..., 0]  # (rows, trees): answer d in byte d
        leaf = (words * _GATHER_BITS) >> _GATHER_SHIFT
        return np.ascontiguousarray(self.leaves[(leaf + self.base).T])


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
