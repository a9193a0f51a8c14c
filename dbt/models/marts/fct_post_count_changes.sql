-- The change columns printed beside post counts (2024 vs 2023). Incremental by document.
{{ config(**by_document_config()) }}
{{ printed_changes('int_posts_labelled') }}
