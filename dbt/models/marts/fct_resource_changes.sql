-- The change columns printed beside money amounts (2024 vs 2023).
{{ printed_changes('int_resources_labelled') }}
