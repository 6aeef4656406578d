"""Reports on finished runs: figures, an HTML page per run, and a model exported in hub layout."""
