"""dovecheck's pytest plugins: options, the catalog gate, verdicts and the report."""
