"""The ``didgah`` command: parses arguments, calls the public functions, turns errors into one line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from didgah.errors import DidgahError


def _print(message: str = "") -> None:
    print(message, flush=True)


def cmd_run(args: argparse.Namespace) -> int:
    from didgah.metrics import format_table
    from didgah.runner import run_experiment

    from didgah.parallel import execution

    with execution(args.backend, args.scheduler, args.n_jobs):
        run_dir = run_experiment(args.config, args.set, args.runs_dir, echo=_print)
    metrics = json.loads((run_dir / "metrics.json").read_text(encoding="utf-8"))
    summary = metrics["summary"]
    flat = {k: v["mean"] for k, v in summary.items() if k != "per_label"}
    flat["per_label"] = {
        label: {k: (v["mean"] if k != "support" else int(round(v["mean"]))) for k, v in scores.items()}
        for label, scores in summary["per_label"].items()
    }
    where = {"kfold": f"mean over {len(metrics['folds'])} folds", "holdout": "held-out split",
             "test": "test set"}[metrics["evaluation"]["method"]]
    _print(f"\nmetrics ({where}):")
    _print(format_table(flat, metrics["task"]))
    head = metrics["headline"]
    _print(f"{head['metric']}: {head['mean']:.3f} ± {head['std']:.3f}")
    dup = metrics["duplicates"]
    if dup["exact"] or dup["near"]:
        _print(f"duplicates between training and evaluation texts: {dup['exact']} exact, {dup['near']} near")
    _print(f"model: {run_dir / 'model.skops'}")
    _print(str(run_dir))
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from didgah.compare import leaderboard, list_runs

    _print(leaderboard(list_runs(args.runs_dir)))
    return 0


def cmd_predict(args: argparse.Namespace) -> int:
    from didgah.persist import load_model
    from didgah.predict import label_rows, predict_file

    if (args.text is None) == (args.input is None):
        raise DidgahError("predict: give either --text or --input (with --output)")
    model = load_model(args.model)
    fields = args.text_field.split(",") if args.text_field else None
    if args.text is not None:
        row = label_rows(model, [{"text": args.text}], ["text"], "--text")[0]
        _print(json.dumps({k: v for k, v in row.items() if k != "text"}, ensure_ascii=False))
        return 0
    if not args.output:
        raise DidgahError("predict: --input needs --output")
    n = predict_file(model, args.input, args.output, fields)
    _print(f"labelled {n} rows -> {args.output}")
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from didgah.metrics import format_table
    from didgah.persist import load_model
    from didgah.predict import evaluate_model

    model = load_model(args.model)
    fields = args.text_field.split(",") if args.text_field else None
    result = evaluate_model(model, args.data, fields, args.label_field)
    if args.json:
        _print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        _print(f"{result['data']['n']} texts from {result['data']['source']}")
        _print(format_table(result, model.task))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from didgah.report import write_report

    for run_dir in args.run_dirs:
        output = Path(args.output) / Path(run_dir).name if args.output else None
        _print(str(write_report(run_dir, output)))
    return 0


def cmd_normalize(args: argparse.Namespace) -> int:
    from didgah.text.normalization import normalize

    text = sys.stdin.read()
    sys.stdout.write(normalize(text, args.normalizer, digits=args.digits, boilerplate=not args.keep_boilerplate))
    sys.stdout.write("\n")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="didgah", description="Persian news text classification toolkit.")
    parser.add_argument("--version", action="version", version=f"didgah {__import__('didgah').__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("run", help="run an experiment config; prints the run directory last")
    p.add_argument("config", help="the experiment YAML file")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="override a config key, e.g. --set model.params.C=3 (repeatable)")
    p.add_argument("--runs-dir", default=None, help="where run directories go (default: the config's runs_dir)")
    p.add_argument("--backend", default="local", choices=["local", "dask"],
                   help="where cross-validation folds run: this machine, or a Dask cluster (extra 'dask')")
    p.add_argument("--scheduler", help="the Dask scheduler's address, e.g. tcp://10.0.0.5:8786")
    p.add_argument("--n-jobs", type=int, default=None, help="folds at once (-1: all cores / cluster threads)")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("compare", help="leaderboard of the finished runs in a runs directory (markdown)")
    p.add_argument("runs_dir", nargs="?", default="runs")
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("predict", help="label texts with a trained model")
    p.add_argument("model", help="a model.skops file")
    p.add_argument("--text", help="one text to label (JSON result on stdout)")
    p.add_argument("--input", help="JSONL/CSV/Parquet file with a text field")
    p.add_argument("--output", help="JSONL file to write: the input fields plus labels and scores")
    p.add_argument("--text-field", help="comma-separated text fields (default: the model's, else 'text')")
    p.set_defaults(func=cmd_predict)

    p = sub.add_parser("evaluate", help="score a trained model on a labelled file")
    p.add_argument("model")
    p.add_argument("--data", required=True, help="labelled JSONL/CSV/Parquet file")
    p.add_argument("--text-field", help="comma-separated text fields (default: the model's)")
    p.add_argument("--label-field", help="label field (default: the model's)")
    p.add_argument("--json", action="store_true", help="print the metrics as JSON")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("report", help="write figures (PNG) and an HTML page for each run directory")
    p.add_argument("run_dirs", nargs="+")
    p.add_argument("--output", help="folder for the reports (default: RUN_DIR/report)")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("normalize", help="normalize Persian text from stdin to stdout")
    p.add_argument("--normalizer", default="persian_normalizer.v1")
    p.add_argument("--digits", default="persian", choices=["persian", "latin", "keep"])
    p.add_argument("--keep-boilerplate", action="store_true", help="do not remove aggregator boilerplate")
    p.set_defaults(func=cmd_normalize)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except DidgahError as exc:
        print(f"didgah: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("didgah: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
