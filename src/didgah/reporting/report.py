"""``didgah report``: figures as PNG and one HTML page per run directory."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import yaml

from didgah.errors import DidgahError
from didgah.outputs import atomic_file
from didgah.reporting import plots
from didgah.rundir import RunDir, is_finished_run, is_partial_run

FIGURE_FORMATS = ("png", "svg", "pdf")


def _table(header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _folds_table(metrics: dict[str, Any]) -> str:
    keys = [k for k, v in metrics["folds"][0].items() if isinstance(v, (int, float)) and k != "n"]
    rows = [[str(i)] + [f"{fold[k]:.3f}" for k in keys] for i, fold in enumerate(metrics["folds"])]
    return _table(["fold", *keys], rows)


def _data_table(environment: dict[str, Any], metrics: dict[str, Any]) -> str:
    rows = []
    for name, info in (environment.get("data") or {}).items():
        counts = ", ".join(f"{k} {v}" for k, v in (info.get("label_counts") or {}).items())
        rows.append([html.escape(name), html.escape(str(info.get("source"))), str(info.get("n")), html.escape(counts)])
    duplicates = metrics.get("duplicates") or {}
    note = (f"<p>duplicates between training and evaluation texts: {duplicates.get('exact', 0)} exact, "
            f"{duplicates.get('near', 0)} near (similarity ≥ {duplicates.get('threshold')})</p>")
    return _table(["data", "source", "texts", "label counts"], rows) + note


def _mistakes(run: dict[str, Any], limit: int) -> str:
    """The held-out predictions that were wrong, most confident first, with their scores."""
    wrong = [p for p in run["predictions"]
             if (sorted(p["predicted"]) if isinstance(p["predicted"], list) else p["predicted"])
             != (sorted(p["gold"]) if isinstance(p["gold"], list) else p["gold"])]
    wrong.sort(key=lambda p: -max(p["scores"].values()))
    rows = []
    for p in wrong[:limit]:
        scores = ", ".join(f"{k} {v:.2f}" for k, v in sorted(p["scores"].items(), key=lambda kv: -kv[1]))
        text = p.get("text", "")
        rows.append([html.escape(str(p["id"])), html.escape(json.dumps(p["gold"], ensure_ascii=False)),
                     html.escape(json.dumps(p["predicted"], ensure_ascii=False)), html.escape(scores),
                     f'<span dir="rtl">{html.escape(text[:300])}{"…" if len(text) > 300 else ""}</span>'])
    return (f"<p>{len(wrong)} of {len(run['predictions'])} held-out predictions differ from the gold labels; "
            f"the {min(limit, len(wrong))} most confident:</p>" + _table(["id", "gold", "predicted", "scores", "text"], rows))


def write_report(run_dir: str | Path, output: str | Path | None = None, figure_format: str = "png",
                 dpi: int = 110, mistakes: int = 30) -> Path:
    """Write the run's figures and ``report.html`` into ``output`` (default: ``RUN_DIR/report``).

    The page has the headline and per-label figures, the per-fold table, the data (sources, sizes,
    label counts, duplicates found), the git commit, the most confident held-out mistakes with their
    scores, the figures (``figure_format`` png, svg or pdf, at ``dpi``) and the resolved config as YAML."""
    if figure_format not in FIGURE_FORMATS:
        raise DidgahError(f"--format: {figure_format!r} is not one of {', '.join(FIGURE_FORMATS)}")
    run_dir = Path(run_dir)
    run = plots.load_run(run_dir)
    out = Path(output) if output else run_dir / "report"
    if is_finished_run(out) or is_partial_run(out):
        raise DidgahError(f"--output: {out} is a run directory; reports go into a folder of their own")
    figures = {
        "per_label_scores": plots.per_label_f1(run),
        "confusion": plots.confusion_matrices(run),
        "precision_recall": plots.precision_recall_curves(run),
        "gold_labels": plots.label_distribution([p["gold"] for p in run["predictions"]], "Held-out gold labels"),
    }
    try:
        from didgah.persist import load_model

        figures["top_features"] = plots.top_features(load_model(RunDir(run["path"]).model_path))
    except DidgahError:
        pass  # models without linear weights have no feature plot
    names = {}
    for name, fig in figures.items():
        names[name] = f"{name}.{figure_format}"
        with atomic_file(out / names[name]) as tmp:
            fig.savefig(tmp, dpi=dpi, format=figure_format)
        plt.close(fig)
    m = run["metrics"]
    head = m["headline"]
    git = (run.get("environment") or {}).get("git") or {}
    commit = f"{git.get('commit') or 'unknown'}{' (with uncommitted changes)' if git.get('dirty') else ''}"
    rows = "".join(
        f"<tr><td>{html.escape(label)}</td>" + "".join(f"<td>{s[k]['mean']:.3f} ± {s[k]['std']:.3f}</td>"
                                                        for k in ("precision", "recall", "f1"))
        + f"<td>{s['support'].get('total', round(s['support']['mean']))}</td></tr>"
        for label, s in m["summary"]["per_label"].items()
    )
    images = "".join(f'<h2>{html.escape(n.replace("_", " "))}</h2>'
                     + (f'<img src="{f}" alt="{n}">' if figure_format != "pdf" else f'<p><a href="{f}">{f}</a></p>')
                     for n, f in names.items())
    config_yaml = yaml.safe_dump(run["config"], allow_unicode=True, sort_keys=False, width=100)
    page = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{html.escape(run_dir.name)}</title>
<style>body{{font-family:"DejaVu Sans",Vazirmatn,Tahoma,sans-serif;max-width:1100px;margin:2em auto}}
table{{border-collapse:collapse;margin:0.5em 0}}td,th{{border:1px solid #ccc;padding:4px 8px;vertical-align:top}}
img{{max-width:100%}}</style></head>
<body><h1>{html.escape(run_dir.name)}</h1>
<p>{html.escape(run['config'].get('description') or '')}</p>
<p><b>{head['metric']}</b> {head['mean']:.3f} ± {head['std']:.3f} ({m['evaluation']['method']}); git commit
{html.escape(commit)}</p>
<table><tr><th>label</th><th>precision</th><th>recall</th><th>F1</th><th>support (total)</th></tr>{rows}</table>
<h2>folds</h2>{_folds_table(m)}
<h2>data</h2>{_data_table(run.get("environment") or {}, m)}
<h2>mistakes</h2>{_mistakes(run, mistakes)}
{images}
<h2>config</h2><pre>{html.escape(config_yaml)}</pre>
</body></html>"""
    with atomic_file(out / "report.html") as tmp:
        tmp.write_text(page, encoding="utf-8")
    return out / "report.html"
