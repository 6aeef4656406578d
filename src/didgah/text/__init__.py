"""Persian text: normalization steps and named normalizers (``normalization``), the normalizer as a
scikit-learn transformer (``normalizer``), tokenization, word and phrase lexicons, batch work and its cache."""
