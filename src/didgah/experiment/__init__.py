"""Experiments: config schema and loading, data sources, folds, evaluation, recording a run, sweeps, reruns,
streaming (out-of-core) training, tracking and comparison of runs."""
