"""A didgah model as an MLflow ``pyfunc`` model, logged as *code*: nothing is pickled.

MLflow loads this file (``mlflow.models.set_model``) and hands it the run's ``model.skops`` as an artifact;
``load_context`` reads that through :func:`didgah.load_model` (its allow-list and checksum), so a logged model
loads, serves (``mlflow models serve``) and registers like any MLflow model without trusting a pickle.

``predict`` takes a pandas DataFrame with the model's text fields (or one ``text`` column), a list of strings or
a list of row dicts, and returns a DataFrame: ``labels`` (multi-label: a list) or ``label``, and one
``score_<class>`` column per class.
"""

from __future__ import annotations

from typing import Any

import mlflow
from mlflow.pyfunc import PythonModel

MODEL_ARTIFACT = "didgah_model"


def _rows(model_input: Any) -> list[dict[str, Any]]:
    if hasattr(model_input, "to_dict"):  # a pandas DataFrame
        return [dict(row) for row in model_input.to_dict(orient="records")]
    rows = list(model_input)
    return [row if isinstance(row, dict) else {"text": row} for row in rows]


class DidgahPyfuncModel(PythonModel):  # type: ignore[misc]  # mlflow has no type hints
    """MLflow's view of a saved didgah model (see the module's docstring)."""

    def load_context(self, context: Any) -> None:
        from didgah.persist import load_model

        self.model = load_model(context.artifacts[MODEL_ARTIFACT])

    def predict(self, context, model_input, params=None):  # type: ignore[no-untyped-def]  # MLflow reads hints as a schema
        import pandas as pd

        from didgah.predict import label_rows, model_target_field, model_text_fields

        rows = _rows(model_input)
        fields = model_text_fields(self.model, rows)
        target = model_target_field(self.model, rows) if self.model.task == "stance" else None
        labelled = label_rows(self.model, rows, fields, "model input", target_field=target)
        out = []
        for row in labelled:
            decision = {"labels": row["labels"]} if "labels" in row else {"label": row["label"]}
            out.append({**decision, **{f"score_{c}": s for c, s in row["scores"].items()}})
        return pd.DataFrame(out)


mlflow.models.set_model(DidgahPyfuncModel())
