"""Generate the reference pages from the code, so they cannot drift from it.

Writes ``docs/reference/config.md`` (from the config dataclasses ``didgah.config_types.ExperimentConfig`` and
``didgah.weak.config.WeakConfig``),
``docs/reference/cli.md`` (from ``didgah.cli.build_parser()``) and ``docs/reference/components.md``
(from ``didgah.registry.REGISTRIES`` and ``default_params``). The generated files are not committed.

Used as an MkDocs hook (``hooks:`` in mkdocs.yml: runs before every build) or on its own:

    python docs/gen_reference.py

Every schema key needs a one-line description in ``DESCRIPTIONS`` below, and every description must
name a key that exists: either mismatch stops the build, so a new or renamed key cannot go undocumented.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
OUT = DOCS / "reference"
# document this checkout's code, whichever didgah the interpreter has installed
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

# One line per config key (dotted path). Types, defaults and allowed values come from the schema.
DESCRIPTIONS: dict[str, dict[str, str]] = {
    "experiment": {
        "name": "Names the run directory.",
        "description": "Free text, kept in the resolved config and the model card.",
        "task": "`multilabel` (label lists), `multiclass` (one label per text) or `stance` ((target, text) pairs).",
        "seed": "Seeds the splits, threshold CV and every seeded model.",
        "runs_dir": "Default runs folder for `didgah run` (else `./runs`); `--runs-dir` overrides.",
        "data": "The corpus and its fields.",
        "data.train": "A CSV/TSV/JSONL/JSON/Parquet file, a `save_to_disk` folder or a hub id (online only); "
                      "or a list of them, read as one corpus (ids unique across the parts). List items may be *parts*: "
                      "mappings `{path, text_fields, id_field, label_field, group_field, target_field, split, "
                      "annotations}` for corpora whose fields differ (each key defaults to this section's). May be "
                      "left out when `annotations` is given: the corpus their lines name.",
        "data.train_split": "Split name for a saved `DatasetDict` or a hub dataset.",
        "data.test": "Optional separate test set, or list of sets or parts (as in `data.train`; with "
                     "`evaluation.method: test`).",
        "data.test_split": "Split name of the test set.",
        "data.text_fields": "Fields joined with a newline into the text, e.g. `[title, text]`.",
        "data.test_text_fields": "The test set's text fields when they differ (default: `text_fields`).",
        "data.target_field": "Stance: the field holding the target or claim.",
        "data.label_field": "A list of strings (multilabel) or a string (multiclass) per row.",
        "data.labels": "The declared label set, in order; other labels are errors. `null`: the sorted labels seen.",
        "data.id_field": "Optional; row numbers when absent. Duplicate ids are errors.",
        "data.group_field": "Keeps groups (e.g. a claim or story id) out of two folds.",
        "data.empty_text": "`error`, or `skip` rows whose text is empty (rows are listed either way).",
        "data.extra_train": "More labelled sources for every training fold (never evaluation); keys below.",
        "data.annotations": "Annotation files (standoff JSONL, see [Annotation](../annotation.md)) whose labels "
                            "replace the corpus's: rows without an annotation are left out, unknown ids are errors.",
        "data.test_annotations": "The same for `data.test` (which may be left out: the corpus the lines name).",
        "data.annotations_resolve": "Annotators who disagree on an item with no adjudicated line: `error`, "
                                    "`adjudicated_only` (leave the item out) or `first` (the first line's annotator).",
        "preprocess": "Normalization, applied before every feature.",
        "preprocess.normalizer": "The normalizer's registered name.",
        "preprocess.digits": "One digit form: `persian`, `latin` or `keep`.",
        "preprocess.boilerplate": "Remove aggregator boilerplate.",
        "preprocess.glued_words": "Split glued words where unambiguous.",
        "preprocess.hamza": "`keep` alef with hamza (تأمین) or `fold` it to ا; `null`: the normalizer version's choice (v1 folds, v2 keeps).",
        "preprocess.n_jobs": "Worker processes for normalizing large batches (-1: every core); same output.",
        "preprocess.cache": "Keep normalized texts on disk; a second run on the same corpus reads them back.",
        "preprocess.cache_dir": "`null`: `$DIDGAH_CACHE_DIR`, else `~/.cache/didgah` (relative to the config file).",
        "preprocess.max_chars": "Longer texts are cut (one warning); `null`: no limit. Saved in the model.",
        "preprocess.long_text": "`truncate` texts over `max_chars`, or stop with an `error`.",
        "features": "One or more feature extractors `{name, params}`, combined side by side "
                    "(see [Components](components.md)).",
        "model": "The classifier.",
        "model.name": "A registered model (see [Components](components.md)).",
        "model.params": "The model's parameters (defaults in [Components](components.md)).",
        "model.two_stage": "Multiclass/stance: a label (e.g. `unrelated`) separated first.",
        "model.second_stage": "Multiclass/stance with `two_stage`: the second stage's own settings.",
        "model.second_stage.params": "Parameters for stage 2, merged over `model.params`.",
        "model.stacking": "`{name: source_stacking.v1, params: {...}}` (multiclass and stance with "
                          "`data.extra_train`).",
        "model.calibration": "`sigmoid` or `isotonic`: calibrated probabilities (multilabel: fitted on the same "
                             "out-of-fold scores as the thresholds; others: `CalibratedClassifierCV`, `cv` folds).",
        "model.thresholds": "Multilabel: one threshold per label, tuned on out-of-fold scores of the training data.",
        "model.thresholds.tune": "Tune the thresholds (else `default` for every label).",
        "model.thresholds.cv": "Folds for threshold tuning (and calibration).",
        "model.thresholds.default": "The threshold when not tuned.",
        "model.thresholds.tune_on": "`main`: thresholds and calibration from the main corpus's out-of-fold scores "
                                    "only (extra sources still train); `all`: every row.",
        "model.thresholds.prevalence": "`{label: share}`: the share of texts expected to carry each label where the "
                                       "model is used (e.g. `{refugees: 0.05}`); thresholds and calibration are chosen "
                                       "on out-of-fold scores weighed to it. `null`: the training data's share.",
        "model.thresholds.fixed": "`{label: threshold}`: labels whose threshold is this value, neither tuned nor "
                                  "`default` (e.g. `{security: 0.1}`); the other labels as `tune` and `default` say.",
        "training": "How the final and fold models are trained.",
        "training.mode": "`standard`, or `streaming` (out-of-core: batches from `datasets` into `partial_fit`).",
        "training.batch_size": "Streaming: rows per batch.",
        "training.epochs": "Streaming: passes over the training data.",
        "evaluation": "How the figures are measured.",
        "evaluation.method": "`kfold`, `holdout`, or `test` (train on `data.train`, evaluate on `data.test`).",
        "evaluation.folds": "Stratified; iterative stratification for multilabel; grouped with `group_field`.",
        "evaluation.test_size": "Holdout: the share held out.",
        "evaluation.stratify": "Holdout: `false` = exactly scikit-learn's `train_test_split(random_state=seed)`.",
        "evaluation.near_duplicate_threshold": "Cosine of char 4-gram TF-IDF; exact and near duplicates across "
                                               "train/test are reported.",
        "sweep": "Keys to vary, for `didgah sweep` (see [Experiments](../experiments.md#sweeps)).",
        "tracking": "`{backend: local | mlflow, uri: sqlite:///mlflow.db, experiment: NAME}`.",
    },
    "extra_train": {
        "name": "The source's name in metrics and messages (default `extraN`).",
        "path": "A file, folder or hub id, like `data.train`.",
        "weak_label": "Instead of `path`: a weak-labelling config whose silver labels are made when the "
                      "experiment runs.",
        "annotations": "Annotation files giving this source's labels (as `data.annotations`; `path` may then be "
                       "left out).",
        "split": "Split name, as `data.train_split`.",
        "text_fields": "Default: the main data's.",
        "target_field": "Default: the main data's.",
        "label_field": "Default: the main data's.",
        "id_field": "Default: the main data's.",
        "group_field": "Default: the main data's; rows of a group in an evaluation fold leave that fold's training.",
        "weight": "A positive number scaling the source's examples (default 1.0).",
        "weight_field": "A per-row multiplier field, e.g. a silver label's confidence.",
    },
    "weak": {
        "name": "Names the output.",
        "description": "Free text.",
        "input": "The unlabelled corpus.",
        "input.path": "A file, folder or hub id.",
        "input.split": "Split name for a saved `DatasetDict` or a hub dataset.",
        "input.text_fields": "Joined with a newline.",
        "input.id_field": "Required in every row.",
        "input.deduplicate": "Keep the first row of a repeated id (else repeated ids are an error).",
        "input.max_chars": "Label only the first N characters (whitespace runs count as one); `null`: all.",
        "input.empty_text": "`error` or `skip`.",
        "functions": "Built-in sets or YAML files; function names must be unique across them.",
        "labels": "`null`: the labels of the function files.",
        "normalizer": "Applied before the functions read the text.",
        "label_model": "How the votes are combined.",
        "label_model.name": "`learned` (Dawid-Skene by EM) or `majority`.",
        "label_model.params": "The label model's parameters.",
        "threshold": "A probability, or per label: `{security: 0.5, refugees: 0.4}`.",
        "gold": "Optional `{path, name, id_field, label_field, text_field}` files, scored on the ids found "
                "in the input.",
        "output": "The output folder; `--output` overrides.",
    },
}


def _type_name(types: tuple[type, ...], item: Any) -> str:
    names = {str: "string", int: "integer", float: "number", bool: "bool", list: "list", dict: "mapping",
             type(None): "null"}
    out = []
    for t in types:
        name = names.get(t, t.__name__)
        if t is list and item is not None:
            items = item if isinstance(item, tuple) else (item,)
            name = "list of " + " or ".join(names.get(i, i.__name__) for i in items)
        out.append(name)
    return " or ".join(out)


def _value(value: Any) -> str:
    import yaml

    if value is None:
        return "`null`"
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=1000).strip()
    text = text.removesuffix("\n...").removesuffix("...").strip()
    return f"`{text}`"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _schema_table(section: Any, descriptions: dict[str, str], what: str) -> list[str]:
    from didgah.config_files import walk

    paths = {path for path, _ in walk(section)}
    missing = sorted(paths - set(descriptions))
    unknown = sorted(set(descriptions) - paths)
    if missing or unknown:
        raise SystemExit(f"docs/gen_reference.py: {what}: keys without a description: {missing}; "
                         f"descriptions of keys the schema does not have: {unknown}")
    lines = ["| key | type | default | allowed | what it does |", "|---|---|---|---|---|"]
    for path, spec in walk(section):
        if spec.section is not None:
            kind, default = "section", "(required)" if spec.required else ""
            allowed = ""
        else:
            kind = _type_name(spec.types, spec.item)
            default = "(required)" if spec.required else _value(spec.default)
            allowed = ", ".join(_value(c) for c in spec.choices) if spec.choices else ""
        lines.append(f"| `{path}` | {kind} | {_cell(default)} | {_cell(allowed)} | {_cell(descriptions[path])} |")
    return lines


def config_page() -> str:
    from didgah.config_types import EXTRA_KEYS, ExperimentConfig
    from didgah.weak.config import GOLD_KEYS, WeakConfig

    extra = DESCRIPTIONS["extra_train"]
    if set(extra) != set(EXTRA_KEYS):
        raise SystemExit(f"docs/gen_reference.py: data.extra_train keys differ from didgah.config_types.EXTRA_KEYS: "
                         f"{sorted(set(extra) ^ set(EXTRA_KEYS))}")
    lines = [
        "# Config reference",
        "",
        "<!-- generated by docs/gen_reference.py from didgah.config_types.ExperimentConfig: do not edit -->",
        "",
        "Every key of an experiment config (`didgah run`, `didgah sweep`), its type, default and allowed values, "
        "generated from the schema the configs are validated against. Paths are resolved against the config "
        "file's folder. Unknown keys and wrong types are errors that name the key (with a \"did you mean\" "
        "suggestion). Override any key on the command line with `--set key=value` (dotted, e.g. "
        "`--set model.params.C=3` or `--set features.1.params.ngram_range=[3,5]`).",
        "",
        "## Experiment configs",
        "",
        *_schema_table(ExperimentConfig, DESCRIPTIONS["experiment"], "experiment config"),
        "",
        "### `data.extra_train` entries",
        "",
        "Each entry of `data.extra_train` is a mapping with these keys (any other key is an error):",
        "",
        "| key | what it does |",
        "|---|---|",
        *[f"| `{key}` | {_cell(extra[key])} |" for key in EXTRA_KEYS],
        "",
        "Component parameters (`features[].params`, `model.params`, `model.stacking.params`) are listed with "
        "their defaults in [Components](components.md); they are checked by value when the config is read.",
        "",
        "## Weak-labelling configs",
        "",
        "The config of `didgah weak-label` (see [Weak supervision](../weak-supervision.md)), validated the "
        "same way:",
        "",
        *_schema_table(WeakConfig, DESCRIPTIONS["weak"], "weak-labelling config"),
        "",
        f"A `gold` entry takes the keys {', '.join(f'`{k}`' for k in GOLD_KEYS)}.",
        "",
    ]
    return "\n".join(lines)


def _usage(parser: argparse.ArgumentParser) -> str:
    return " ".join(parser.format_usage().removeprefix("usage: ").split())


def _arguments_table(parser: argparse.ArgumentParser) -> list[str]:
    rows = []
    for action in parser._actions:
        if isinstance(action, (argparse._HelpAction, argparse._SubParsersAction)):
            continue
        if action.option_strings:
            name = ", ".join(f"`{o}`" for o in action.option_strings)
            if action.nargs != 0:
                metavar = action.metavar or (action.dest.upper() if not action.choices else None)
                if metavar:
                    name += f" `{metavar}`" if action.nargs != "?" else f" `[{metavar}]`"
        else:
            name = f"`{action.metavar or action.dest}`" + (" (optional)" if action.nargs == "?" else "")
            if action.nargs == "+":
                name += " (one or more)"
        default = ""
        if action.default not in (None, argparse.SUPPRESS, False, []) and action.nargs != 0:
            default = f"`{action.default}`"
        choices = ", ".join(f"`{c}`" for c in action.choices) if action.choices else ""
        if action.required and action.option_strings:
            default = "(required)"
        rows.append(f"| {name} | {_cell(action.help or '')} | {default} | {choices} |")
    if not rows:
        return []
    return ["| argument | what it does | default | choices |", "|---|---|---|---|", *rows]


def cli_page() -> str:
    from didgah.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    helps = {choice.dest: choice.help for choice in sub._choices_actions}
    lines = [
        "# CLI reference",
        "",
        "<!-- generated by docs/gen_reference.py from didgah.cli.build_parser(): do not edit -->",
        "",
        f"`{_usage(parser)}`",
        "",
        "Every command, generated from the command line's own parser (`didgah COMMAND --help` prints the "
        "same). Bad input exits with code 2 and one line `didgah: error: ...` "
        "(see [Reliability and errors](../reliability.md)).",
        "",
        "| command | what it does |",
        "|---|---|",
        *[f"| [`{name}`](#{name}) | {_cell(helps.get(name) or '')} |" for name in sub.choices],
        "",
    ]
    for name, command in sub.choices.items():
        lines += [f"## {name}", "", _cell(helps.get(name) or ""), "", "```", _usage(command), "```", "",
                  *_arguments_table(command), ""]
    return "\n".join(lines)


def _accepts(name: str, parameter: Any) -> str:
    """What a parameter accepts: its constraint in ``didgah.params.CONSTRAINTS``, else its annotation."""
    import inspect

    from sklearn.utils._param_validation import StrOptions

    from didgah.params import CONSTRAINTS

    if name == "ngram_range":
        return "[low, high]: two positive integers, low <= high"
    if name == "pooling":
        from didgah.params import POOLINGS

        return "a non-empty list of " + ", ".join(f"`{p}`" for p in POOLINGS)
    if name in CONSTRAINTS:
        out = []
        for c in CONSTRAINTS[name]:
            if c is None:
                out.append("null")
            elif isinstance(c, type):
                out.append({"str": "a string", "list": "a list", "tuple": "a list", "Integral": "an integer"}
                           .get(c.__name__, c.__name__))
            elif isinstance(c, StrOptions):
                out.append("one of " + ", ".join(f"`{o}`" for o in sorted(c.options)))
            elif c == "boolean":
                out.append("true/false")
            else:
                out.append(str(c).replace("None", "null"))
        return " or ".join(dict.fromkeys(out))
    if parameter.annotation is not inspect.Parameter.empty:
        return str(parameter.annotation).replace("None", "null")
    return ""


def _parameter_docs(target: Any) -> dict[str, str]:
    """Each parameter's description from the ``Parameters`` section of ``target``'s numpydoc docstring."""
    import inspect
    import re

    doc = inspect.getdoc(target) or ""
    match = re.search(r"^Parameters\n-+\n(.*?)(?:\n\n[A-Z][a-z]+\n-+\n|\Z)", doc, re.S | re.M)
    found: dict[str, str] = {}
    current = None
    for line in (match.group(1) if match else "").splitlines():
        head = re.match(r"^(\w+)\s*:", line)
        if head:
            current = head.group(1)
            found[current] = ""
        elif current and line.startswith(" "):
            found[current] = (found[current] + " " + line.strip()).strip()
    return {k: v.replace("``", "`") for k, v in found.items()}


def components_page() -> str:
    import inspect

    from didgah.registry import PAIR_FEATURES, REGISTRIES, STREAMING_FEATURES, default_params
    from didgah.text.normalizer import PersianNormalizer

    kinds = {
        "normalizer": ("Normalizers", "`preprocess.normalizer`; its parameters are the other `preprocess` keys."),
        "feature": ("Features", "`features: [{name, params}]`."),
        "model": ("Models", "`model.name` and `model.params`."),
        "stacking": ("Stacking", "`model.stacking: {name, params}` (multiclass and stance tasks with "
                                 "`data.extra_train`)."),
        "label_model": ("Label models", "`label_model: {name, params}` of a weak-labelling config."),
        "lexicon": ("Lexicons", "the `lexicon` parameter of `topic_lexicon.v1` and `stance_cues.v1`, and "
                                "`lexicon: NAME/category` in labelling-function files; a YAML file path works too."),
        "function_set": ("Labelling-function sets", "`functions:` of a weak-labelling config and the `functions` "
                                                    "parameter of `weak_votes.v1`; a YAML file path works too."),
    }
    missing = set(REGISTRIES) - set(kinds)
    if missing:
        raise SystemExit(f"docs/gen_reference.py: registries without a section: {sorted(missing)}")
    lines = [
        "# Components",
        "",
        "<!-- generated by docs/gen_reference.py from didgah.registry: do not edit -->",
        "",
        "The names configs use for components (`didgah.registry.REGISTRIES`), what each is (the first "
        "paragraph of its docstring) and the parameters it takes with their defaults "
        "(`didgah.registry.default_params(kind, name)`) and accepted values (`didgah.params.CONSTRAINTS`, "
        "else the factory's annotation). Names carry a version, so old configs and models keep meaning what "
        "they meant. A parameter not listed is an error naming it, and values are checked when the config "
        "is read; `seed` and `task` come from the config's top level.",
        "",
    ]
    for kind, (title, where) in kinds.items():
        lines += [f"## {title}", "", f"Set in {where}", ""]
        for name, factory in REGISTRIES[kind].items():
            if isinstance(factory, str):  # a resource file shipped with didgah
                lines += [f"### `{name}`", "", f"The file `{factory}` shipped with didgah.", ""]
                continue
            target = PersianNormalizer if kind == "normalizer" else factory
            doc = (inspect.getdoc(target) or "").split("\n\n")[0].replace("\n", " ").replace("``", "`")
            notes = []
            if kind == "feature" and name in PAIR_FEATURES:
                notes.append("Stance pairs only (`task: stance`).")
            if kind == "feature" and name in STREAMING_FEATURES:
                notes.append("Usable with `training.mode: streaming`.")
            lines += [f"### `{name}`", "", " ".join([doc, *notes]).strip(), ""]
            params = default_params(kind, name)
            if not params:
                lines += ["No parameters.", ""]
                continue
            signature = inspect.signature(target).parameters
            described = _parameter_docs(target)
            lines += ["| parameter | default | accepts | what |", "|---|---|---|---|"]
            for key, value in params.items():
                lines.append(f"| `{key}` | {_cell(_value(value))} | {_cell(_accepts(key, signature[key]))} "
                             f"| {_cell(described.get(key, ''))} |")
            lines.append("")
    return "\n".join(lines)


PAGES = {"config.md": config_page, "cli.md": cli_page, "components.md": components_page}


def generate() -> list[Path]:
    """Write every generated page; a file is rewritten only when its content changed."""
    OUT.mkdir(exist_ok=True)
    written = []
    for name, page in PAGES.items():
        path = OUT / name
        text = page()
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written


def on_pre_build(config: Any) -> None:  # MkDocs hook: before the docs folder is read
    generate()


if __name__ == "__main__":
    for path in generate():
        print(path.relative_to(ROOT))
