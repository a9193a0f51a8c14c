{{ config(alias='post_count_changes') }}
{{ bilingual_changes('fct_post_count_changes') }}
