"""Operations apart from the stages: settings, the one-writer lock, the registry of raw files and its cache,
the pipeline version that decides what is re-parsed, and the run summary."""
