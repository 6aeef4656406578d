"""Labelling on a Dask cluster (the optional extra ``didgah[dask]``): the same rows, decisions and scores as
:func:`didgah.predict.label_rows` in one process, with the model sent once to every worker.

Two entry points:

- :func:`predict_dataframe` labels a Dask (or pandas) DataFrame partition by partition on the workers and
  returns a lazy Dask DataFrame with ``labels`` (or ``label``) and ``scores`` columns added; partitions are read
  where they live (``dd.read_parquet("s3://...")``, ``dd.read_json(..., lines=True)``), so an archive larger
  than one machine never passes through the submitting process.
- :func:`label_batches_on_cluster` (from :mod:`didgah.predict`) labels batches of rows read by the submitting process, keeping a few batches
  in flight per worker and yielding results in input order; ``didgah predict --backend dask`` uses it.
"""

from __future__ import annotations

from typing import Any

from didgah.errors import DidgahError
from didgah.models.text_classifier import TextClassifier
from didgah.predict import label_batches_on_cluster, label_rows, model_text_fields

__all__ = ["label_batches_on_cluster", "predict_dataframe"]


def _client(client: Any = None) -> Any:
    if client is not None:
        return client
    try:
        from distributed import get_client
    except ImportError:
        raise DidgahError("labelling on Dask needs the dask extra: pip install 'didgah[dask]'") from None
    try:
        return get_client()
    except ValueError:
        raise DidgahError("no Dask client: connect one first (distributed.Client(address)) or pass client=") from None


def _label_partition(frame: Any, model: TextClassifier, fields: list[str], where: str,
                     min_confidence: float | None, empty_text: str) -> Any:
    import pandas as pd

    rows = frame.to_dict(orient="records")
    labelled = label_rows(model, rows, fields, where, empty_text=empty_text, min_confidence=min_confidence)
    columns = [*frame.columns, *[c for c in ("labels", "label", "unsure", "best_guess", "scores")
                                  if labelled and c in labelled[0] and c not in frame.columns]]
    return pd.DataFrame(labelled, columns=columns) if labelled else pd.DataFrame(columns=columns)


def predict_dataframe(model: TextClassifier, frame: Any, text_fields: list[str] | None = None, *,
                      client: Any = None, min_confidence: float | None = None, empty_text: str = "error",
                      npartitions: int | None = None) -> Any:
    """Label every row of ``frame`` (a Dask DataFrame, or a pandas one split into ``npartitions``) on the
    Dask cluster of ``client`` (default: the current client). Returns a lazy Dask DataFrame: the input's
    columns plus ``labels``/``label`` and ``scores`` (and ``unsure``/``best_guess`` with ``min_confidence``).

    The model is scattered once to every worker (``broadcast=True``), never once per partition.
    """
    import dask
    import dask.dataframe as dd
    import pandas as pd

    client = _client(client)
    if isinstance(frame, pd.DataFrame):
        frame = dd.from_pandas(frame, npartitions=npartitions or max(1, len(client.scheduler_info()["workers"])))
    if not isinstance(frame, dd.DataFrame):
        raise DidgahError(f"predict_dataframe: expected a pandas or Dask DataFrame, got {type(frame).__name__}")
    fields = text_fields or model_text_fields(model, [dict.fromkeys(frame.columns)])
    missing = [f for f in fields if f not in frame.columns]
    if missing:
        raise DidgahError(f"predict_dataframe: no column {missing[0]!r}; columns: {', '.join(map(str, frame.columns))}")
    shared = client.scatter(model, broadcast=True)
    decision = "labels" if model.task == "multilabel" else "label"
    extra = {"unsure": object, "best_guess": object} if min_confidence is not None else {}
    if model.task == "multilabel":
        extra.pop("best_guess", None)
    else:
        extra.pop("unsure", None)
    meta = frame._meta.assign(**{decision: pd.Series(dtype=object), **{k: pd.Series(dtype=object) for k in extra},
                                 "scores": pd.Series(dtype=object)})
    parts = [dask.delayed(_label_partition)(part, shared, fields, f"partition {i}", min_confidence, empty_text)
             for i, part in enumerate(frame.to_delayed())]
    with dask.config.set({"dataframe.convert-string": False}):  # labels and scores stay lists and dicts
        return dd.from_delayed(parts, meta=meta, verify_meta=False)
