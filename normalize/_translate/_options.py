"""Options only translation has (compute types, the deprecated ``source=`` alias, the CPU thread budget).

The shared vocabulary (``LANG_CHOICES``, ``BACKENDS``, ``DEVICES``, ``check_choice``, ``check_positive``) and
:class:`~normalize.InvalidOptionError` live in ``normalize._options`` and ``normalize._errors``.
"""

from __future__ import annotations

import math
import os
import warnings
from pathlib import Path

from normalize._errors import InvalidOptionError
from normalize._options import LANG_CHOICES, check_choice

__all__ = ["COMPUTE_TYPES", "CT2_COMPUTE_TYPES", "TRANSFORMERS_COMPUTE_TYPES", "check_compute_type",
           "check_non_negative", "resolve_lang", "thread_budget", "worker_threads"]

#: CTranslate2 compute types. On CPU ``int8`` runs as ``int8_float32`` (int8 matrix products, float32 elsewhere);
#: ``int8_float16``/``int8_bfloat16``/``float16``/``bfloat16`` need a GPU.
CT2_COMPUTE_TYPES = ("int8", "int8_float32", "int16", "float32", "int8_float16", "int8_bfloat16", "float16",
                     "bfloat16")
#: Weight dtypes the transformers backend loads.
TRANSFORMERS_COMPUTE_TYPES = ("float32", "float16", "bfloat16")
#: Everything ``compute_type=`` accepts (which backend takes which is checked when the model loads).
COMPUTE_TYPES = tuple(dict.fromkeys((*CT2_COMPUTE_TYPES, *TRANSFORMERS_COMPUTE_TYPES)))


def resolve_lang(lang: str | None, source: str | None) -> str:
    """The validated ``lang=`` value; ``source=`` is its deprecated alias (kept for one release)."""
    if source is not None:
        if lang is not None:
            raise InvalidOptionError("source", source,
                                     "not together with lang= (source= is the deprecated name of lang=)")
        # stacklevel 3: the warning points at the caller of Translator()/translate(), not at this helper.
        warnings.warn("source= is deprecated and will be removed in the next release; use lang=",
                      DeprecationWarning, stacklevel=3)
        lang = source
    return check_choice("lang", "auto" if lang is None else lang, LANG_CHOICES)


def check_compute_type(value: object) -> str | None:
    """``None`` (the backend's default) or one of :data:`COMPUTE_TYPES`."""
    if value is None:
        return None
    return check_choice("compute_type", value, COMPUTE_TYPES)


def check_non_negative(option: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidOptionError(option, value, "an integer >= 0")
    return value


def _cgroup_cpus() -> float | None:
    # A container may see every host CPU in its affinity mask but be allowed a fraction of them
    # (cgroup v2 cpu.max "quota period"); more threads than that just queue behind each other.
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()[:2]
    except (OSError, ValueError):
        return None
    if quota == "max":
        return None
    return int(quota) / int(period)


def thread_budget() -> int:
    """CPU threads translation may use: ``$OMP_NUM_THREADS`` when the user set it, else the cores this
    process may run on (affinity mask, capped by a cgroup CPU quota)."""
    env = os.environ.get("OMP_NUM_THREADS", "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    quota = _cgroup_cpus()
    if quota is not None:
        cores = min(cores, max(1, math.ceil(quota)))
    return max(1, cores)


# At most this many parallel CTranslate2 workers: each keeps its own batch in flight (beam 4 x 16 pieces
# holds ~16 MB of logits per step plus its caches), and a call rarely has more batches than this to share.
_MAX_WORKERS = 4


def worker_threads(budget: int) -> tuple[int, int]:
    """``(inter_threads, intra_threads)`` for CTranslate2 on CPU within ``budget`` threads.

    Several one-thread workers, each decoding its own batch, beat one worker with several OpenMP threads:
    on 2 cores, 2 x 1 decoded 1.6-1.8x faster than 1 x 2 in benchmarks/bench_translate.py (small matrix
    products per decoding step leave OpenMP threads waiting on each other). CTranslate2's own default
    (1 worker x 4 threads) oversubscribes a 2-core machine. Machines with more than 4 cores were not
    measured; there the threads are shared between at most 4 workers.
    """
    workers = min(budget, _MAX_WORKERS)
    return workers, max(1, budget // workers)
