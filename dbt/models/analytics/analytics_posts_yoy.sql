{{ config(alias='posts_yoy') }}
{{ bilingual_yoy('fct_posts_yoy') }}
