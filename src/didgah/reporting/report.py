"""``didgah report``: figures as PNG and one HTML page per run directory."""

from __future__ import annotations

import html
import json
from pathlib import Path

import matplotlib.pyplot as plt

from didgah.errors import DidgahError
from didgah.outputs import atomic_file
from didgah.reporting import plots
from didgah.rundir import RunDir, is_finished_run, is_partial_run


def write_report(run_dir: str | Path, output: str | Path | None = None) -> Path:
    """Write the run's figures and ``report.html`` into ``output`` (default: ``RUN_DIR/report``)."""
    run_dir = Path(run_dir)
    run = plots.load_run(run_dir)
    out = Path(output) if output else run_dir / "report"
    if is_finished_run(out) or is_partial_run(out):
        raise DidgahError(f"--output: {out} is a run directory; reports go into a folder of their own")
    figures = {
        "per_label_scores.png": plots.per_label_f1(run),
        "confusion.png": plots.confusion_matrices(run),
        "precision_recall.png": plots.precision_recall_curves(run),
        "gold_labels.png": plots.label_distribution([p["gold"] for p in run["predictions"]], "Held-out gold labels"),
    }
    try:
        from didgah.persist import load_model

        figures["top_features.png"] = plots.top_features(load_model(RunDir(run["path"]).model_path))
    except DidgahError:
        pass  # models without linear weights have no feature plot
    for name, fig in figures.items():
        with atomic_file(out / name) as tmp:
            fig.savefig(tmp, dpi=110, format="png")
        plt.close(fig)
    m = run["metrics"]
    head = m["headline"]
    rows = "".join(
        f"<tr><td>{html.escape(label)}</td>" + "".join(f"<td>{s[k]['mean']:.3f} ± {s[k]['std']:.3f}</td>"
                                                        for k in ("precision", "recall", "f1"))
        + f"<td>{s['support'].get('total', round(s['support']['mean']))}</td></tr>"
        for label, s in m["summary"]["per_label"].items()
    )
    images = "".join(f'<h2>{html.escape(n[:-4].replace("_", " "))}</h2><img src="{n}" alt="{n}">' for n in figures)
    page = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{html.escape(run_dir.name)}</title>
<style>body{{font-family:"DejaVu Sans",Vazirmatn,Tahoma,sans-serif;max-width:1100px;margin:2em auto}}
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:4px 8px}}img{{max-width:100%}}</style></head>
<body><h1>{html.escape(run_dir.name)}</h1>
<p>{html.escape(run['config'].get('description') or '')}</p>
<p><b>{head['metric']}</b> {head['mean']:.3f} ± {head['std']:.3f} ({m['evaluation']['method']})</p>
<table><tr><th>label</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr>{rows}</table>
{images}
<h2>config</h2><pre>{html.escape(json.dumps(run['config'], ensure_ascii=False, indent=1))}</pre>
</body></html>"""
    with atomic_file(out / "report.html") as tmp:
        tmp.write_text(page, encoding="utf-8")
    return out / "report.html"
