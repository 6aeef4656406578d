"""The command line's annotation commands: annotate, agreement, label-issues, import-labelstudio and
export-labelstudio. Everything heavy is imported inside the commands, so ``didgah --help`` stays fast."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from didgah.errors import DidgahError

Echo = Callable[[str], None]
STRATEGIES = ("random", "rules", "uncertainty", "diversity", "recheck")  # didgah.annotations.select.STRATEGIES


def _note(message: str) -> None:
    print(f"didgah: note: {message}", file=sys.stderr, flush=True)


def _new_file(path: str, inputs: dict[str, object], where: str) -> Path:
    """An output file that does not exist yet (annotation files are never written over) and is no input."""
    from didgah.outputs import check_output

    target = check_output(path, {k: str(v) for k, v in inputs.items() if v}, where)
    if target.exists():
        raise DidgahError(f"{where}: {target} exists; choose another file (annotation files are never written over)")
    return target


def cmd_annotate(args: argparse.Namespace, echo: Echo) -> int:
    from didgah.annotations.session import open_session, require

    require("textual", "didgah annotate")
    session = open_session(args.data, args.labels, args.out, args.annotator, text_fields=args.text_fields,
                           id_field=args.id_field, strategy=args.strategy, n=args.n, functions=args.functions,
                           model=args.model, guideline=args.guideline, seed=args.seed,
                           multilabel=not args.multiclass, normalizer=args.normalizer, threshold=args.similarity,
                           split=args.split, items=args.items)
    _note(f"{args.strategy}: {session.selection.summary()}; {session.progress()['before']} labelled before by "
          f"{args.annotator}")
    if session.finished:
        echo(f"nothing to label: every chosen item is labelled in {args.out}")
        session.close()
        return 0
    from didgah.annotations.tui import annotation_app

    try:
        annotation_app(session).run()
    finally:
        session.close()
    p = session.progress()
    echo(f"labelled {p['labelled']}, skipped {p['skipped']}, {p['remaining']} left -> {args.out}")
    return 0


def cmd_agreement(args: argparse.Namespace, echo: Echo) -> int:
    from didgah.annotations.agreement import adjudicate, agreement, disagreements, format_agreement

    if args.adjudicate and not args.out:
        raise DidgahError("agreement: --adjudicate needs --out (the adjudicated file to write)")
    if args.out and not args.adjudicate:
        raise DidgahError("agreement: --out is the adjudicated file; give --adjudicate (the adjudicator's file)")
    inputs = {f"input {k + 1}": f for k, f in enumerate(args.files)}
    disagreement_path = _new_file(args.disagreements, inputs, "--disagreements") if args.disagreements else None
    out_path = _new_file(args.out, {**inputs, "--adjudicate": args.adjudicate}, "--out") if args.out else None
    result = agreement(args.files, args.labels)
    listed = disagreements(args.files, args.labels)
    result["disagreements"] = len(listed)
    echo(json.dumps(result, ensure_ascii=False, indent=2) if args.json else format_agreement(result))
    if not args.json:
        echo(f"disagreements: {len(listed)} items")
    if disagreement_path is not None:
        from didgah.data import json_line
        from didgah.outputs import atomic_file

        with atomic_file(disagreement_path, "--disagreements") as tmp, open(tmp, "w", encoding="utf-8") as handle:
            for row in listed:
                handle.write(json_line(row))
        _note(f"{len(listed)} disagreements -> {disagreement_path}")
    if out_path is not None:
        from didgah.annotations.store import write_annotations

        lines, still_open = adjudicate(args.files, args.adjudicate, args.labels)
        write_annotations(out_path, lines)
        _note(f"{len(lines)} items -> {out_path}"
              + (f"; {len(still_open)} disagreements without an adjudicator's line left out (e.g. id "
                 f"{still_open[0]['id']!r})" if still_open else ""))
    return 0


def cmd_label_issues(args: argparse.Namespace, echo: Echo) -> int:
    from didgah.annotations.issues import label_issues

    output = _new_file(args.output, {}, "--output") if args.output else None
    issues = label_issues(args.run_dir, args.top)
    if output is not None:
        from didgah.data import json_line
        from didgah.outputs import atomic_file

        with atomic_file(output) as tmp, open(tmp, "w", encoding="utf-8") as handle:
            for row in issues:
                handle.write(json_line(row))
        echo(f"{len(issues)} likely label errors -> {output}")
        return 0
    if args.json:
        echo(json.dumps(issues, ensure_ascii=False, indent=2))
        return 0
    echo(f"{len(issues)} likely label errors, most likely first:")
    for row in issues:
        text = " ".join(row["text"].split())[:80]
        echo(f"{row['rank']:>4}  {row['id']}  gold {row['gold']}  predicted {row['predicted']}  {text}")
    return 0


def cmd_import_labelstudio(args: argparse.Namespace, echo: Echo) -> int:
    from didgah.annotations.labelstudio import import_export
    from didgah.annotations.store import write_annotations

    out = _new_file(args.out, {"the export": args.export}, "--out")
    lines = import_export(args.export, args.labels, args.source, args.annotator, args.predictions)
    write_annotations(out, lines)
    echo(f"{len(lines)} annotations from {len({a.annotator for a in lines})} annotator(s) -> {out}")
    return 0


def cmd_export_labelstudio(args: argparse.Namespace, echo: Echo) -> int:
    from didgah.annotations.labelstudio import export_tasks, label_config
    from didgah.annotations.store import source_for
    from didgah.data import load_corpus
    from didgah.outputs import atomic_file

    if args.label_config and not args.labels:
        raise DidgahError("export-labelstudio: --label-config needs --labels")
    out = _new_file(args.out, {"--data": args.data}, "--out")
    config_path = _new_file(args.label_config, {"--data": args.data, "--out": args.out}, "--label-config") \
        if args.label_config else None
    corpus = load_corpus(args.data, args.text_fields, None, id_field=args.id_field, where="--data", empty_text="skip")
    tasks = export_tasks(corpus, source_for(args.data, out), args.annotations or [])
    with atomic_file(out) as tmp:
        tmp.write_text(json.dumps(tasks, ensure_ascii=False, indent=1), encoding="utf-8")
    echo(f"{len(tasks)} tasks ({sum('predictions' in t for t in tasks)} with labels) -> {out}")
    if config_path is not None:
        with atomic_file(config_path, "--label-config") as tmp:
            tmp.write_text(label_config(args.labels, not args.multiclass), encoding="utf-8")
        echo(f"labelling interface -> {config_path}")
    return 0


def add_parsers(sub: argparse._SubParsersAction, run: Callable[[Callable[..., int]], Callable[..., int]]) -> None:
    """The annotation commands; ``run(command)`` binds a command to the CLI's output."""
    p = sub.add_parser("annotate", help="choose articles to label (random, rules, uncertainty, diversity, recheck) and label "
                                        "them in the terminal; decisions go to a standoff JSONL file")
    p.add_argument("--data", required=True, help="the unlabelled corpus (JSONL/CSV/Parquet, save_to_disk folder)")
    p.add_argument("--text-fields", nargs="+", default=["text"], metavar="FIELD", help="fields shown as the article")
    p.add_argument("--id-field", default="id", help="the field holding each row's id (default id)")
    p.add_argument("--split", help="split name of a save_to_disk DatasetDict")
    p.add_argument("--labels", nargs="+", required=True, metavar="LABEL", help="the label set; keys 1-9 in this order")
    p.add_argument("--multiclass", action="store_true", help="exactly one label per item (default: any number)")
    p.add_argument("--out", required=True, help="the annotation file (JSONL) to append to; a session resumes it")
    p.add_argument("--annotator", required=True, help="your name, written into every line")
    p.add_argument("--strategy", choices=STRATEGIES, default="random", help="how items are chosen")
    p.add_argument("--functions", help="rules: a labelling-function set (e.g. topic_lfs.v1) or YAML file")
    p.add_argument("--model", help="uncertainty: a saved model file or finished run directory")
    p.add_argument("--items", metavar="FILE", help="recheck: another annotator's file; its positive and borderline "
                   "items are read again, without showing their labels")
    p.add_argument("--n", type=int, default=50, help="items to choose (default 50)")
    p.add_argument("--seed", type=int, default=0, help="seeds random, rules and diversity selection (default 0)")
    p.add_argument("--similarity", type=float, default=0.9,
                   help="diversity: texts at least this similar count as near duplicates (default 0.9)")
    p.add_argument("--guideline", help="a markdown guideline; each label's section is shown beside the article")
    p.add_argument("--normalizer", default="persian_normalizer.v2", help="how the article is shown (default v2)")
    p.set_defaults(func=run(cmd_annotate))

    p = sub.add_parser("agreement", help="agreement between annotators (Cohen's kappa, Krippendorff's alpha, F1), "
                                         "their disagreements, and an adjudicated file")
    p.add_argument("files", nargs="+", help="annotation files (annotators are told apart by their annotator field)")
    p.add_argument("--labels", nargs="+", metavar="LABEL", help="the label set (default: every label seen)")
    p.add_argument("--disagreements", metavar="FILE", help="write the items annotators disagree on (JSONL)")
    p.add_argument("--adjudicate", metavar="FILE", help="an adjudicator's annotation file to merge (needs --out)")
    p.add_argument("--out", help="the adjudicated annotation file to write")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.set_defaults(func=run(cmd_agreement))

    p = sub.add_parser("label-issues", help="likely label errors in a run's training data, by confident learning "
                                            "(cleanlab) over its out-of-fold scores")
    p.add_argument("run_dir", help="a finished run with evaluation.method kfold")
    p.add_argument("--top", type=int, help="list only the N most likely")
    p.add_argument("--output", help="write them as JSONL")
    p.add_argument("--json", action="store_true", help="print them as JSON")
    p.set_defaults(func=run(cmd_label_issues))

    p = sub.add_parser("import-labelstudio", help="turn a Label Studio JSON export into a standoff annotation file")
    p.add_argument("export", help="Label Studio's JSON export (a list of tasks)")
    p.add_argument("--out", required=True, help="the annotation file to write (JSONL)")
    p.add_argument("--labels", nargs="+", metavar="LABEL", help="the label set; other labels are errors")
    p.add_argument("--source", help="the corpus, when the tasks do not name it (didgah_source)")
    p.add_argument("--annotator", help="one name for every annotation (default: Label Studio's user)")
    p.add_argument("--predictions", action="store_true", help="also take pre-annotations of tasks nobody annotated")
    p.set_defaults(func=run(cmd_import_labelstudio))

    p = sub.add_parser("export-labelstudio", help="write a corpus (and its annotation files) as Label Studio tasks")
    p.add_argument("--data", required=True, help="the corpus")
    p.add_argument("--text-fields", nargs="+", default=["text"], metavar="FIELD", help="fields joined into the text")
    p.add_argument("--id-field", default="id", help="the field holding each row's id (default id)")
    p.add_argument("--annotations", nargs="+", metavar="FILE", help="annotation files: their labels become "
                   "pre-annotations")
    p.add_argument("--out", required=True, help="the tasks file to write (JSON)")
    p.add_argument("--labels", nargs="+", metavar="LABEL", help="the label set, for --label-config")
    p.add_argument("--multiclass", action="store_true", help="--label-config: one label per item")
    p.add_argument("--label-config", metavar="FILE", help="also write the labelling interface (XML) to paste in")
    p.set_defaults(func=run(cmd_export_labelstudio))
