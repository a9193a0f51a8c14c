{{ config(alias='resources_yoy') }}
{{ bilingual_yoy('fct_resources_yoy') }}
