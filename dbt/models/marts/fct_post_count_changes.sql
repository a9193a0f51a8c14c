-- The change columns printed beside post counts (2024 vs 2023).
{{ printed_changes('int_posts_labelled') }}
