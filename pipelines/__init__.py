"""UN budget and work-report warehouse pipeline."""
