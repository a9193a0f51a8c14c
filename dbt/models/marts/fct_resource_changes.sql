-- The change columns printed beside money amounts (2024 vs 2023). Incremental by document.
{{ config(**by_document_config()) }}
{{ printed_changes('int_resources_labelled') }}
