"""Annotation: standoff label files that point into a corpus, choosing what to label next, labelling
sessions (terminal and Jupyter), agreement between annotators, likely label errors, Label Studio.

- :mod:`~didgah.annotations.store`: the JSONL file format, its reader (every line checked) and its
  append-only writer;
- :mod:`~didgah.annotations.join`: a corpus joined with annotation files (adjudicated lines first);
- :mod:`~didgah.annotations.select`: random, rule-enriched, uncertainty and diversity selection;
- :mod:`~didgah.annotations.prevalence`: stratum weights and prevalence-weighted figures;
- :mod:`~didgah.annotations.session`: the labelling queue shared by both front ends,
  :mod:`~didgah.annotations.tui` (textual) and :mod:`~didgah.annotations.widget` (ipywidgets);
- :mod:`~didgah.annotations.agreement`: Cohen's kappa, Krippendorff's alpha, F1 between annotators,
  disagreements and adjudication;
- :mod:`~didgah.annotations.issues`: likely label errors by confident learning (cleanlab);
- :mod:`~didgah.annotations.labelstudio`: Label Studio JSON in and out.

The front ends and the libraries behind agreement and label issues are imported only when used.
"""
