"""The ``didgah`` command: parses arguments, calls the public functions, turns errors into one line."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import warnings
from pathlib import Path

from didgah.cli.annotations import add_parsers as add_annotation_parsers  # parsers only: cheap to import
from didgah.components import KINDS  # names only: cheap to import
from didgah.errors import DidgahError, DidgahWarning
from didgah.stops import Terminated, catching_stops, raise_missed_stop

_SHOWN: set[str] = set()


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:  # noqa: ANN001
    """Warnings as one line each (no source line), each once per command: didgah's own as they are,
    others with their kind."""
    kind = "" if issubclass(category, DidgahWarning) else f"{category.__name__}: "
    text = kind + " ".join(str(message).split())
    if text not in _SHOWN:
        _SHOWN.add(text)
        _warn(text)


def _print(message: str = "") -> None:
    print(message, flush=True)


def _warn(message: str) -> None:
    print(f"didgah: warning: {message}", file=sys.stderr, flush=True)


def _load_model(args: argparse.Namespace):
    """The model named on the command line, or ``None`` after a bare ``--trust`` listed what it would need."""
    from didgah.persist import load_model, types_to_trust

    if args.trust == "":
        needed = types_to_trust(args.model)
        if not needed:
            _print(f"{args.model}: needs no types beyond didgah's trusted list")
        else:
            _print(f"{args.model}: would need these types beyond didgah's trusted list (nothing was loaded):")
            for name in needed:
                _print(f"  {name}")
            _print(f"to load it anyway, only if you trust the file: --trust {','.join(needed)}")
        return None
    trust = [t.strip() for t in args.trust.split(",") if t.strip()] if args.trust else None
    return load_model(args.model, trust=trust)


def cmd_run(args: argparse.Namespace) -> int:
    from didgah.cli.experiments import log_finished, refuse_sweep, tracker
    from didgah.experiment.runner import run_experiment
    from didgah.metrics import format_table
    from didgah.parallel import execution
    from didgah.rundir import RunDir

    refuse_sweep(args.config, args.set)
    track = tracker(args)
    with execution(args.backend, args.scheduler, args.n_jobs):
        run_dir = run_experiment(args.config, args.set, args.runs_dir, echo=_print)
    run = RunDir.open(run_dir)
    metrics = run.metrics()
    summary = metrics["summary"]
    flat = {k: v["mean"] for k, v in summary.items() if k != "per_label"}
    flat["per_label"] = {
        label: {k: (v["mean"] if k != "support" else v["total"]) for k, v in scores.items()}
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
    _print(f"model: {run.model_path}")
    log_finished(track, run_dir, _print)
    _print(str(run_dir))
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from didgah.cli.experiments import compare
    from didgah.experiment.compare import unfinished_note

    _print(compare(args))
    note = unfinished_note(args.runs_dir)
    if note:
        print(f"didgah: note: {note}", file=sys.stderr)
    return 0


def cmd_predict(args: argparse.Namespace) -> int:
    from didgah.predict import label_rows, predict_file

    if args.trust != "" and (args.text is None) == (args.input is None):
        raise DidgahError("predict: give either --text or --input (with --output)")
    if args.explain and args.text is None:
        raise DidgahError("predict: --explain works with --text (in Python: didgah.explain.explain_sentences)")
    if args.output and args.output != "-":  # refused before the model is loaded or anything is labelled
        from didgah.outputs import check_output
        from didgah.persist import model_path

        model_file = model_path(args.model)
        check_output(args.output, {"--input": args.input, "the model": model_file,
                                   "the model's checksum": model_file.with_name(model_file.name + ".sha256")})
    model = _load_model(args)
    if model is None:
        return 0
    fields = args.text_field.split(",") if args.text_field else None
    if args.text is not None:
        row = label_rows(model, [{"text": args.text}], ["text"], "--text", warn=_warn,
                         min_confidence=args.min_confidence)[0]
        if args.explain:
            from didgah.explain import sentence_evidence

            labels = row.get("labels") if model.task == "multilabel" else [row.get("label")]
            row["evidence"] = sentence_evidence(model, args.text, [x for x in labels or [] if x in model.classes_],
                                                args.explain)
        _print(json.dumps({k: v for k, v in row.items() if k != "text"}, ensure_ascii=False))
        return 0
    if not args.output:
        raise DidgahError("predict: --input needs --output")
    from didgah.parallel import execution

    if args.backend == "dask" and not args.input:
        raise DidgahError("predict: --backend dask labels an --input file")
    with execution(args.backend, args.scheduler, args.n_jobs) as client:
        n = predict_file(model, args.input, args.output, fields, empty_text=args.empty_text, warn=_warn,
                         min_confidence=args.min_confidence, n_jobs=args.n_jobs, client=client)
    if args.output == "-":
        print(f"didgah: note: labelled {n} rows", file=sys.stderr)
    else:
        _print(f"labelled {n} rows -> {args.output}")
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from didgah.metrics import format_table
    from didgah.predict import evaluate_model

    if args.trust != "" and not args.data:
        raise DidgahError("evaluate: --data is required")
    model = _load_model(args)
    if model is None:
        return 0
    fields = args.text_field.split(",") if args.text_field else None
    result = evaluate_model(model, args.data, fields, args.label_field, empty_text=args.empty_text, warn=_warn,
                            min_confidence=args.min_confidence, n_jobs=args.n_jobs, annotations=args.annotations,
                            annotations_resolve=args.annotations_resolve)
    for note in result.get("notes", []):
        print(f"didgah: note: {note}", file=sys.stderr, flush=True)
    if args.json:
        _print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        _print(f"{result['data']['n']} texts from {result['data']['source']}")
        _print(format_table(result, model.task))
        weighted = result.get("prevalence_weighted")
        if weighted and "per_label" in weighted:
            _print(f"\nprevalence-weighted (each item stands for its stratum's pool; {weighted['n']} items"
                   + (f", {weighted['left_out']} not drawn at random left out" if weighted["left_out"] else "") + "):")
            _print(format_table(weighted, model.task))
        if "abstention" in result:
            a = result["abstention"]
            _print(f"at confidence >= {a['min_confidence']}: {a['coverage']:.1%} of {a['decisions']} decisions kept, "
                   f"accuracy {a['accuracy_kept']} (left out: {a['accuracy_unsure']}; all: {a['accuracy_all']})")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from didgah.reporting.report import write_report

    for run_dir in args.run_dirs:
        output = Path(args.output) / Path(run_dir).name if args.output else None
        _print(str(write_report(run_dir, output, args.format, args.dpi)))
    return 0


def cmd_sweep(args: argparse.Namespace) -> int:
    from didgah.cli.experiments import sweep

    return sweep(args, _print)


def cmd_rerun(args: argparse.Namespace) -> int:
    from didgah.cli.experiments import rerun

    return rerun(args, _print)


def cmd_export(args: argparse.Namespace) -> int:
    from didgah.reporting.export import export_model

    _print(str(export_model(args.source, args.output, args.license)))
    return 0


def cmd_weak_label(args: argparse.Namespace) -> int:
    from didgah.weak.run import weak_label

    weak_label(args.config, args.set, args.output, echo=_print)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from didgah.experiment.inspect import check_config, format_check

    report = check_config(args.config, args.set)
    _print(json.dumps(report, ensure_ascii=False, indent=2) if args.json else format_check(report))
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    from didgah.experiment.inspect import config_text, infer_schema
    from didgah.outputs import atomic_file, check_output

    schema = infer_schema(args.data)
    output = check_output(args.output, {"--data": args.data}) if args.output != "-" else None
    if output is not None and output.exists() and not args.force:
        raise DidgahError(f"--output: {output} exists; choose another file or pass --force")
    text = config_text(schema, args.name or Path(args.data).stem, args.task)
    print(f"didgah: note: {schema['rows']} rows; text {schema['title_field'] + ' + ' if schema['title_field'] else ''}"
          f"{schema['text_field']}, labels {schema['label_field']} ({schema['task'] or 'none found'}: "
          f"{', '.join(f'{k} {v}' for k, v in list(schema['label_counts'].items())[:8])}), "
          f"id {schema['id_field'] or 'none'}", file=sys.stderr)
    if output is None:
        sys.stdout.write(text)
        return 0
    with atomic_file(output) as tmp:
        tmp.write_text(text, encoding="utf-8")
    _print(str(output))
    return 0


def cmd_components(args: argparse.Namespace) -> int:
    from didgah.registry import REGISTRIES, default_params

    for kind in [args.kind] if args.kind else KINDS:
        _print(f"{kind}:")
        for name, factory in sorted(REGISTRIES[kind].items()):
            if isinstance(factory, str):
                _print(f"  {name}  (file {factory})")
                continue
            params = default_params(kind, name)
            shown = ", ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in params.items())
            _print(f"  {name}  {shown}" if shown else f"  {name}")
    return 0


def cmd_normalize(args: argparse.Namespace) -> int:
    from didgah.text.normalization import normalize

    raw = sys.stdin.buffer.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DidgahError(f"stdin line {line}: not valid UTF-8 (save the text as UTF-8)") from None
    sys.stdout.write(normalize(text, args.normalizer, digits=args.digits, boilerplate=not args.keep_boilerplate,
                               hamza=args.hamza))
    sys.stdout.write("\n")
    return 0


def _tracking_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--track", choices=["local", "mlflow"], help="also log to a tracking backend (default: the "
                   "config's tracking: section, else local run directories only)")
    p.add_argument("--tracking-uri", help="MLflow tracking URI (default sqlite:///mlflow.db)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="didgah", description="Persian news text classification toolkit.")
    parser.add_argument("--version", action="version", version=f"didgah {__import__('didgah').__version__}")
    parser.add_argument("--quiet", action="store_true", help="no progress bars (they are shown only on a terminal)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("run", help="run an experiment config; prints the run directory last")
    p.add_argument("config", help="the experiment YAML file")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="override a config key, e.g. --set model.params.C=3 (repeatable)")
    p.add_argument("--runs-dir", default=None, help="where run directories go (default: the config's runs_dir)")
    _tracking_arguments(p)
    p.add_argument("--backend", default="local", choices=["local", "dask"],
                   help="where cross-validation folds run: this machine, or a Dask cluster (extra 'dask')")
    p.add_argument("--scheduler", help="the Dask scheduler's address, e.g. tcp://10.0.0.5:8786")
    p.add_argument("--n-jobs", type=int, default=None, help="folds at once (-1: all cores / cluster threads)")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("sweep", help="run every point of a config's sweep: section (grid or random, x seeds)")
    p.add_argument("config", help="an experiment YAML file with a sweep: section")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="override a base config key")
    p.add_argument("--runs-dir", default=None, help="where run directories go (default: the config's runs_dir)")
    p.add_argument("--n-jobs", type=int, default=1, help="points run in parallel (processes; default 1)")
    _tracking_arguments(p)
    p.set_defaults(func=cmd_sweep)

    p = sub.add_parser("compare", help="leaderboard of the finished runs in a runs directory; grouped by "
                                       "configuration and tested against a baseline on request")
    p.add_argument("runs_dir", nargs="?", default="runs")
    p.add_argument("--group", action="store_true", help="one row per configuration: mean ± sd over seeds and folds")
    p.add_argument("--baseline", help="a run directory (or run name) to test every other run against")
    p.add_argument("--metric", help="the metric to compare (default: the runs' headline metric)")
    p.add_argument("--format", default="markdown", choices=["markdown", "csv", "json"])
    p.add_argument("--resamples", type=int, default=10_000, help="bootstrap resamples (default 10000, seed 0)")
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("rerun", help="run a finished run's config again; check the data and report metric changes")
    p.add_argument("run_dir")
    p.add_argument("--runs-dir", default=None, help="where the new run goes (default: RUN_DIR/../reruns)")
    p.add_argument("--allow-data-change", action="store_true", help="rerun even if a data file changed")
    p.set_defaults(func=cmd_rerun)

    p = sub.add_parser("export", help="write a trained model as a folder in Hugging Face hub layout")
    p.add_argument("source", help="a run directory or a model.skops file")
    p.add_argument("--output", required=True, help="the folder to create")
    p.add_argument("--license", default="other", help="license for the model card header (default: other)")
    p.set_defaults(func=cmd_export)
    trust_help = ("bare: list the types the model file needs beyond didgah's trusted list, and exit without "
                  "loading it; TYPE[,TYPE...]: load it trusting exactly those types (only for a file you trust)")
    empty_help = "rows with empty or whitespace-only text: error (default, names the rows) or skip them"

    p = sub.add_parser("predict", help="label texts with a trained model")
    p.add_argument("model", help="a model.skops file, a finished run directory or a folder written by didgah export")
    p.add_argument("--text", help="one text to label (JSON result on stdout)")
    p.add_argument("--input", help="JSONL/CSV/Parquet file with a text field")
    p.add_argument("--output", help="JSONL file to write (- for standard output): the input fields plus labels "
                   "and scores; the input is read and labelled in batches")
    p.add_argument("--text-field", help="comma-separated text fields (default: the model's, else 'text')")
    p.add_argument("--min-confidence", type=float, metavar="P",
                   help="leave decisions below this probability of being right as 'unsure' (calibrated models)")
    p.add_argument("--empty-text", choices=["error", "skip"], default="error", help=empty_help)
    p.add_argument("--n-jobs", type=int, default=1, help="worker processes for --input (-1: every core; default 1)")
    p.add_argument("--backend", default="local", choices=["local", "dask"],
                   help="where --input batches are labelled: this machine, or a Dask cluster (extra 'dask'; the "
                        "model is sent once per worker, the output is the same)")
    p.add_argument("--scheduler", help="the Dask scheduler's address, e.g. tcp://10.0.0.5:8786")
    p.add_argument("--explain", type=int, nargs="?", const=1, default=0, metavar="N",
                   help="with --text and a model with sentence_scores.v1: add 'evidence', the N sentence windows "
                        "(default 1) that score highest for each predicted label, with their scores")
    p.add_argument("--trust", nargs="?", const="", metavar="TYPE[,TYPE...]", help=trust_help)
    p.set_defaults(func=cmd_predict)

    p = sub.add_parser("evaluate", help="score a trained model on a labelled file")
    p.add_argument("model", help="a model.skops file or a finished run directory")
    p.add_argument("--data", help="labelled JSONL/CSV/Parquet file (required unless --trust lists types)")
    p.add_argument("--text-field", help="comma-separated text fields (default: the model's)")
    p.add_argument("--label-field", help="label field (default: the model's)")
    p.add_argument("--json", action="store_true", help="print the metrics as JSON")
    p.add_argument("--annotations", nargs="+", metavar="FILE",
                   help="annotation files giving the labels of --data's rows; with recorded selection pools, "
                        "prevalence-weighted figures are reported too")
    p.add_argument("--annotations-resolve", choices=["error", "adjudicated_only", "first"], default="error",
                   help="annotators who disagree with no adjudicated line (as data.annotations_resolve)")
    p.add_argument("--min-confidence", type=float, metavar="P",
                   help="also report how many decisions are kept at this confidence and their accuracy")
    p.add_argument("--empty-text", choices=["error", "skip"], default="error", help=empty_help)
    p.add_argument("--n-jobs", type=int, default=1, help="worker processes (-1: every core; default 1)")
    p.add_argument("--trust", nargs="?", const="", metavar="TYPE[,TYPE...]", help=trust_help)
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("report", help="write figures and an HTML page (per-fold table, data, mistakes, config) for "
                                      "each run directory")
    p.add_argument("run_dirs", nargs="+")
    p.add_argument("--output", help="folder for the reports (default: RUN_DIR/report)")
    p.add_argument("--format", default="png", choices=["png", "svg", "pdf"], help="figure format (default png)")
    p.add_argument("--dpi", type=int, default=110, help="figure resolution (default 110)")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("weak-label", help="label an unlabelled corpus with labelling functions (silver labels)")
    p.add_argument("config", help="the weak-labelling YAML file")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="override a config key, e.g. --set label_model.name=majority.v1 (repeatable)")
    p.add_argument("--output", default=None, help="folder for silver.jsonl and the report (default: the config's)")
    p.set_defaults(func=cmd_weak_label)

    p = sub.add_parser("check", help="validate a config and read its data (sizes, labels, lengths, duplicates) "
                                     "without training")
    p.add_argument("config")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="override a config key")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("init", help="inspect a data file and write a commented experiment config for it")
    p.add_argument("--data", required=True, help="a labelled JSONL/CSV/Parquet file")
    p.add_argument("--output", default="-", help="the config file to write (default: stdout)")
    p.add_argument("--task", choices=["multilabel", "multiclass", "stance"], help="instead of the inferred task")
    p.add_argument("--name", help="the experiment's name (default: the data file's name)")
    p.add_argument("--force", action="store_true", help="write over an existing config file")
    p.set_defaults(func=cmd_init)

    add_annotation_parsers(sub, lambda command: lambda args: command(args, _print))

    p = sub.add_parser("components", help="every registered component with its parameters and defaults")
    p.add_argument("kind", nargs="?", choices=KINDS, help="only this kind")
    p.set_defaults(func=cmd_components)

    p = sub.add_parser("normalize", help="normalize Persian text from stdin to stdout")
    p.add_argument("--normalizer", default="persian_normalizer.v2")
    p.add_argument("--digits", default="persian", choices=["persian", "latin", "keep"])
    p.add_argument("--keep-boilerplate", action="store_true", help="do not remove aggregator boilerplate")
    p.add_argument("--hamza", default=None, choices=["keep", "fold"],
                   help="keep alef with hamza (تأمین) or write it as ا (default: the normalizer's choice)")
    p.set_defaults(func=cmd_normalize)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.quiet:
        from didgah.progress import set_quiet

        set_quiet(True)
    try:
        with catching_stops(), warnings.catch_warnings():
            _SHOWN.clear()
            warnings.showwarning = _show_warning
            # expected with rare labels; the run's per-label support says it better than scikit-learn's note
            warnings.filterwarnings("ignore", message="The least populated class", category=UserWarning)
            code = args.func(args)
            raise_missed_stop()  # a Ctrl-C dropped in a finalizer still ends as one
            return code
    except DidgahError as exc:
        print(f"didgah: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("didgah: interrupted", file=sys.stderr)
        return 130
    except Terminated:
        print("didgah: terminated", file=sys.stderr)
        return 128 + signal.SIGTERM
    except BrokenPipeError:
        return 0
    except OSError as exc:  # the machine's fault, not didgah's: disk full, no permission, read-only
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"didgah: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2

