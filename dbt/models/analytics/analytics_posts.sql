{{ config(alias='posts') }}
select f.*, g.grade_label_zh as grade_zh, g.grade_label_en as grade_en
from ({{ bilingual_facts('fct_posts', 'post_count') }}) as f
left join {{ ref('dim_grade') }} as g using (grade_code)
