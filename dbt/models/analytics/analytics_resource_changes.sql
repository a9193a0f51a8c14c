{{ config(alias='resource_changes') }}
{{ bilingual_changes('fct_resource_changes') }}
