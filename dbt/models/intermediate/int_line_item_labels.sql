-- Chinese and English labels for every (breakdown, code) a fact can carry, from the reviewed seeds.
with labels as (
    select 'object_of_expenditure' as breakdown, null as entity_code, object_code as code, label_zh, label_en
    from {{ ref('objects_of_expenditure') }} where object_group <> 'mission_category'
    union all
    select 'expenditure_class', null, object_code, label_zh, label_en
    from {{ ref('objects_of_expenditure') }} where object_code in ('posts', 'non_post', 'total')
    union all
    select 'mission_category', null, object_code, label_zh, label_en
    from {{ ref('objects_of_expenditure') }} where object_group in ('mission_category', 'total')
    union all
    select 'component', null, component_code, label_zh, label_en from {{ ref('components') }}
    union all
    select 'subprogramme', entity_code, subprogramme_code, label_zh, label_en from {{ ref('subprogrammes') }}
    union all
    select 'grade', null, grade_code, label_zh, label_en from {{ ref('grades') }}
    union all
    select 'category', null, category_code, label_zh, label_en from {{ ref('post_categories') }}
    union all
    select 'part', null, part_code, nullif(name_zh, ''), name_en from {{ ref('budget_parts') }}
    union all
    select 'section', null, section_code, nullif(name_zh, ''), name_en from {{ ref('budget_sections') }}
    union all
    -- entities, clusters and missions share one code list (seed entities)
    select b.breakdown, null, entity_code, nullif(name_zh, ''), name_en
    from {{ ref('entities') }} cross join (values ('entity'), ('cluster'), ('mission')) as b(breakdown)
    union all
    select breakdown, null, 'total', '共计', 'Total'
    from (values ('component'), ('entity'), ('part'), ('section'), ('cluster'), ('mission')) as b(breakdown)
    union all
    -- mission_category takes its subtotal from objects_of_expenditure (object_group total) above
    select breakdown, null, 'subtotal', '小计', 'Subtotal'
    from (values ('entity'), ('part'), ('section'), ('cluster'), ('mission')) as b(breakdown)
)
select * from labels
