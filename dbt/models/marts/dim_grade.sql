select g.grade_code, g.label_zh as grade_label_zh, g.label_en as grade_label_en, g.category_code,
       c.label_zh as category_label_zh, c.label_en as category_label_en,
       g.label_zh_source as grade_label_zh_source, g.label_en_source as grade_label_en_source, g.sort_order
from {{ ref('grades') }} as g
left join {{ ref('post_categories') }} as c using (category_code)
