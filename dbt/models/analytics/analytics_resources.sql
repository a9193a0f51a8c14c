{{ config(alias='resources') }}
{{ bilingual_facts('fct_resources', 'amount_thousands_usd') }}
