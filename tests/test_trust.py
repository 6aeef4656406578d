"""Crafted model files: nothing in a refused file may run, whatever it names and wherever it hides.

Each case injects one hostile node into the schema of a real, otherwise valid model, writes a matching
``.sha256``, and loads it through ``didgah.load_model``, ``types_to_trust``, ``didgah predict`` and
``didgah export``. The callables a node names are replaced by recorders first, so a call at load time
(which skops would make for a constructor-like node) is seen and fails the test.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from didgah.cli import main
from didgah.config_types import ExperimentConfig
from didgah.errors import ModelFileError
from didgah.persist import load_model, save_model, sha256_file, types_to_trust
from didgah.registry import build_classifier

CONFIG = {"name": "t", "data": {}, "task": "multilabel", "features": [{"name": "tfidf_words.v1", "params": {"min_df": 1}}],
          "model": {"name": "logistic_regression.v1", "thresholds": {"tune": False}}}
TEXTS = ["حمله نظامی به مرز", "بازسازی شهر پس از زلزله", "حمله موشکی", "بازسازی خانه‌ها"]
LABELS = [["security"], ["reconstruction"], ["security"], ["reconstruction"]]


def _json(value):
    return {"__class__": type(value).__name__, "__module__": "builtins", "__loader__": "JsonNode",
            "content": json.dumps(value), "is_json": True}


def _tuple(*values):
    return {"__class__": "tuple", "__module__": "builtins", "__loader__": "TupleNode",
            "content": [_json(v) for v in values]}


def _node(loader, module, name, **extra):
    return {"__class__": name, "__module__": module, "__loader__": loader, **extra}


# (case id, the callable's module and name that a recorder replaces, the hostile node); a hostile call
# that got through would also leave a file PWNED behind
CASES = [
    ("reduce-builtins-exec", None, "exec",
     _node("ConstructorFromReduceNode", "builtins", "exec", content=_tuple("open('PWNED','w')"))),
    ("reduce-builtins-eval", None, "eval",
     _node("ConstructorFromReduceNode", "builtins", "eval", content=_tuple("open('PWNED','w')"))),
    ("reduce-os-system", "os", "system",
     _node("ConstructorFromReduceNode", "os", "system", content=_tuple("touch PWNED"))),
    ("reduce-sklearn-function", "sklearn.utils.validation", "check_array",
     _node("ConstructorFromReduceNode", "sklearn.utils.validation", "check_array", content=_tuple("x"))),
    ("object-sklearn-function", "sklearn.utils", "resample",
     _node("ObjectNode", "sklearn.utils", "resample", content=_node("DictNode", "builtins", "dict", content={}))),
    ("reduce-numpy-load", "numpy", "load",
     _node("ConstructorFromReduceNode", "numpy", "load", content=_tuple("PWNED.npy"))),
    ("ndarray-scipy-function", "scipy.io", "loadmat",
     _node("NdArrayNode", "scipy.io", "loadmat", type="json", content=[], shape=_tuple(0))),
    ("reduce-didgah-function", "didgah.persist", "save_model",
     _node("ConstructorFromReduceNode", "didgah.persist", "save_model", content=_tuple("x", "PWNED"))),
    ("function-node-subprocess", "subprocess", "check_output",
     _node("FunctionNode", "subprocess", "check_output", content={"module_path": "subprocess", "function": "check_output"})),
    ("operator-methodcaller", "operator", "methodcaller",
     _node("OperatorFuncNode", "operator", "methodcaller", attrs=_tuple("system", "touch PWNED"))),
    ("partial-os-system", "os", "system",
     _node("PartialNode", "functools", "partial",
           content={"func": _node("FunctionNode", "os", "system", content={"module_path": "os", "function": "system"}),
                    "args": _tuple("touch PWNED"), "kwds": _node("DictNode", "builtins", "dict", content={}),
                    "namespace": _json(None)})),
    ("tree-node-constructor", "os", "system",
     _node("TreeNode", "os", "system", content=_node("DictNode", "builtins", "dict", content={}),
           __reduce__={"args": _tuple("touch PWNED")})),
    ("type-node-function", "os", "system", _node("TypeNode", "os", "system")),
    ("method-node", "os", "system",
     _node("MethodNode", "os", "system", content={"func": "system", "obj": _json(0)})),
    ("random-generator-name", "numpy.random", "seed",
     _node("RandomGeneratorNode", "numpy.random._generator", "Generator",
           content={"bit_generator": _node("DictNode", "builtins", "dict",
                                           content={"bit_generator": _json("seed"), "state": _json(0)}),
                    "seed_seq": _json(None)})),
    ("unknown-loader", "os", "system", _node("EvilNode", "os", "system")),
    ("sklearn-class-not-listed", "sklearn.utils._testing", "TempMemmap",
     _node("ObjectNode", "sklearn.utils._testing", "TempMemmap",
           content=_node("DictNode", "builtins", "dict", content={}))),
    ("container-claims-other-type", "os", "system", _node("ListNode", "os", "system", content=[])),
]


@pytest.fixture(scope="module")
def clean_model(tmp_path_factory) -> Path:
    model = build_classifier(ExperimentConfig.from_dict(CONFIG)).fit(TEXTS, LABELS)
    model.metadata_ = {"labels": list(model.classes_)}
    return save_model(model, tmp_path_factory.mktemp("clean") / "model.skops")


def craft(clean: Path, out: Path, hostile: dict, where: str = "metadata") -> Path:
    """A copy of ``clean`` with ``hostile`` nested inside it and a matching checksum beside it."""
    with zipfile.ZipFile(clean) as source:
        members = {name: source.read(name) for name in source.namelist()}
    schema = json.loads(members["schema.json"])
    attrs = schema["content"]["content"]
    if where == "metadata":  # deep inside the model's metadata dict
        meta = attrs["metadata_"]["content"]
        meta["labels"] = {"__class__": "list", "__module__": "builtins", "__loader__": "ListNode",
                          "content": [_json("security"), hostile]}
    else:  # a top-level attribute of the classifier
        attrs["evil"] = hostile
    members["schema.json"] = json.dumps(schema).encode()
    with zipfile.ZipFile(out, "w") as target:
        for name, data in members.items():
            target.writestr(name, data)
    out.with_name(out.name + ".sha256").write_text(sha256_file(out) + "\n")
    return out


@pytest.fixture
def recorder(monkeypatch):
    calls: list[str] = []

    def watch(module_name: str | None, name: str) -> None:
        if module_name is None:  # builtins.exec/eval are not replaced (imports use them): the file tells
            return
        module = __import__(module_name, fromlist=[name])

        def record(*args, **kwargs):
            calls.append(f"{module_name}.{name}")
            raise RuntimeError("a hostile callable ran")

        monkeypatch.setattr(module, name, record, raising=False)

    return calls, watch


@pytest.mark.parametrize("case_id,module,name,hostile", CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("where", ["metadata", "attribute"])
def test_crafted_file_is_refused_before_anything_runs(case_id, module, name, hostile, where, clean_model,
                                                       tmp_path, recorder, monkeypatch, capsys):
    calls, watch = recorder
    monkeypatch.chdir(tmp_path)
    path = craft(clean_model, tmp_path / "model.skops", hostile, where)
    watch(module, name)
    with pytest.raises(ModelFileError, match="refuses untrusted types"):
        load_model(path)
    needed = types_to_trust(path)
    assert needed, "the refused name must be listed for --trust"
    assert main(["predict", str(path), "--text", "حمله"]) == 2
    assert "refuses untrusted types" in capsys.readouterr().err
    assert main(["predict", str(path), "--trust"]) == 0
    assert needed[0] in capsys.readouterr().out
    assert main(["export", str(path), "--output", str(tmp_path / "hub")]) == 2
    assert not calls, f"{calls} ran while loading"
    assert not (tmp_path / "PWNED").exists()


def test_every_refused_name_is_listed(clean_model, tmp_path):
    path = craft(clean_model, tmp_path / "m.skops", {
        "__class__": "list", "__module__": "builtins", "__loader__": "ListNode",
        "content": [CASES[0][3], CASES[8][3], CASES[9][3]]})
    assert set(types_to_trust(path)) == {"builtins.exec", "subprocess.check_output", "operator.methodcaller"}


def test_unchanged_model_needs_no_trust(clean_model):
    assert types_to_trust(clean_model) == []
    assert load_model(clean_model).predict(TEXTS) == [["security"], ["reconstruction"], ["security"],
                                                      ["reconstruction"]]


def test_allowed_names_are_classes_only():
    """Every name the allow-list accepts resolves to a class: a function can never be on it."""
    import importlib

    from didgah.trust import allowed_names

    for loader, names in allowed_names().items():
        if loader == "JsonNode":  # JSON values are parsed, never imported (builtins.NoneType is a label)
            continue
        for full in names:
            module, _, name = full.rpartition(".")
            obj = importlib.import_module(module)
            for part in name.split("."):
                obj = getattr(obj, part)
            assert isinstance(obj, type), f"{loader}: {full} is not a class"


def test_python_labelling_function_in_weak_votes_file_is_refused(tmp_path, monkeypatch):
    """A model whose weak_votes block reads a labelling-function file with code in it needs --trust."""
    lfs = tmp_path / "lfs.yaml"
    lfs.write_text("labels: [security]\nfunctions:\n"
                   "  - {name: attack, type: lexicon, labels: [security], phrases: [حمله]}\n", encoding="utf-8")
    config = {**CONFIG, "features": [{"name": "weak_votes.v1", "params": {"functions": str(lfs)}},
                                     {"name": "tfidf_words.v1", "params": {"min_df": 1}}]}
    model = build_classifier(ExperimentConfig.from_dict(config)).fit(TEXTS, LABELS)
    path = save_model(model, tmp_path / "votes.skops")
    assert types_to_trust(path) == []
    lfs.write_text("labels: [security]\nfunctions:\n"
                   "  - {name: attack, type: python, labels: [security], function: 'os:system'}\n", encoding="utf-8")
    assert types_to_trust(path) == ["python labelling function os.system"]
    with pytest.raises(ModelFileError, match="python labelling function os.system"):
        load_model(path)


def test_generator_with_an_unknown_bit_generator_is_refused(clean_model, tmp_path):
    generator = {"__class__": "Generator", "__module__": "numpy.random._generator", "__loader__": "RandomGeneratorNode",
                 "content": {"bit_generator": {"__class__": "dict", "__module__": "builtins", "__loader__": "DictNode",
                                               "content": {"bit_generator": _json("PCG64"), "state": _json(0)}},
                             "seed_seq": _json(None)}}
    assert types_to_trust(craft(clean_model, tmp_path / "ok.skops", generator)) == []
    generator["content"]["bit_generator"]["content"]["bit_generator"] = _json("set_bit_generator")
    assert types_to_trust(craft(clean_model, tmp_path / "bad.skops", generator)) == ["numpy.random.set_bit_generator"]


def test_a_loaded_model_never_writes_its_cache_where_the_file_says(tmp_path):
    config = {**CONFIG, "preprocess": {"cache_dir": str(tmp_path / "chosen-by-the-file")}}
    model = build_classifier(ExperimentConfig.from_dict(config)).fit(TEXTS, LABELS)
    assert model.pipeline_.named_steps["normalize"].cache_dir == str(tmp_path / "chosen-by-the-file")
    loaded = load_model(save_model(model, tmp_path / "m.skops"))
    loaded.predict(["متنی تازه برای نرمال‌سازی"])
    assert loaded.normalizer.cache_dir is None and loaded.pipeline_.named_steps["normalize"].cache_dir is None
    assert not (tmp_path / "chosen-by-the-file").exists()
