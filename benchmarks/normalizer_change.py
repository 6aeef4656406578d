"""Which words a change of the normalizer changes on the texts the models see, against a git revision.

Normalizes (``persian_normalizer.v2``) every text of the sample corpus (``data/sample_topics.jsonl``,
``data/sample_stance.jsonl``), of the annotated real news (``data/annotations/topics_real/*.jsonl``) and of
``../shared/data/topics-dev/*.jsonl`` (when present) twice: with the code of ``--base`` (checked out into a
temporary git worktree, so its resources come with it) and with the code of this checkout. Prints every word
that differs, with two words of context, and how many differ.

    python benchmarks/normalizer_change.py --base b5ce8ed
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIELDS = ("text", "title", "headline", "claim", "body")


def text_files(root: Path = ROOT) -> list[Path]:
    shared = root.parent / "shared" / "data" / "topics-dev"
    return [root / "data" / "sample_topics.jsonl", root / "data" / "sample_stance.jsonl",
            *sorted((root / "data" / "annotations" / "topics_real").glob("*.jsonl")), *sorted(shared.glob("*.jsonl"))]


def texts(paths: list[Path]) -> list[str]:
    """Every string field of FIELDS of every row, in file and row order."""
    found = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line) if line.strip() else {}
            found += [row[key] for key in FIELDS if isinstance(row.get(key), str)]
    return found


def word_changes(before: list[str], after: list[str]) -> list[tuple[str, str]]:
    """(the words before with two of context, the words after) for every run of words that differs."""
    changes = []
    for old, new in zip(before, after, strict=True):
        if old == new:
            continue
        a, b = old.split(), new.split()
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
            if op != "equal":
                changes.append((" ".join(a[max(0, i1 - 2):i2 + 2]), " ".join(b[j1:j2])))
    return changes


_NORMALIZE = "import json, sys; from didgah.text.normalization import normalize; " \
             "json.dump([normalize(t) for t in json.load(open(sys.argv[1]))], open(sys.argv[2], 'w'))"


def normalized(source: Path, texts_file: Path, out: Path) -> list[str]:
    """The texts normalized by the didgah package under ``source`` (a checkout's ``src``), in a fresh process."""
    env = {**os.environ, "PYTHONPATH": str(source)}
    subprocess.run([sys.executable, "-c", _NORMALIZE, str(texts_file), str(out)], env=env, check=True)
    return json.loads(out.read_text(encoding="utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="the git revision to compare with")
    args = parser.parse_args(argv)
    all_texts = texts(text_files())
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "texts.json").write_text(json.dumps(all_texts, ensure_ascii=False), encoding="utf-8")
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(work / "base"), args.base],
                       check=True)
        try:
            before = normalized(work / "base" / "src", work / "texts.json", work / "before.json")
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(work / "base")], check=True)
        after = normalized(ROOT / "src", work / "texts.json", work / "after.json")
    changes = word_changes(before, after)
    for old, new in changes:
        print(f"{old} -> {new}")
    print(f"{len(all_texts)} texts, {len(changes)} changes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
