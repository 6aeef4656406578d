"""Weak supervision: labelling functions vote, a label model combines the votes into silver labels."""

from didgah.weak.functions import ABSTAIN, NEGATIVE, POSITIVE, LexiconLF, PythonLF, RegexLF
from didgah.weak.label_model import LearnedLabelModel, MajorityLabelModel
from didgah.weak.sets import load_functions
from didgah.weak.votes import VoteMatrix, apply_functions, function_stats

__all__ = ["ABSTAIN", "NEGATIVE", "POSITIVE", "LexiconLF", "RegexLF", "PythonLF", "MajorityLabelModel",
           "LearnedLabelModel", "load_functions", "VoteMatrix", "apply_functions", "function_stats"]
