-- Chinese and English labels for every (breakdown, code) a fact can carry, from the reviewed seeds.
with labels as (
    select 'object_of_expenditure' as breakdown, null as entity_code, object_code as code, label_zh, label_en
    from {{ ref('objects_of_expenditure') }}
    union all
    select 'expenditure_class', null, object_code, label_zh, label_en
    from {{ ref('objects_of_expenditure') }} where object_code in ('posts', 'non_post', 'total')
    union all
    select 'component', null, component_code, label_zh, label_en from {{ ref('components') }}
    union all
    select 'component', null, 'total', '共计', 'Total'
    union all
    select 'subprogramme', entity_code, subprogramme_code, label_zh, label_en from {{ ref('subprogrammes') }}
    union all
    select 'grade', null, grade_code, label_zh, label_en from {{ ref('grades') }}
    union all
    select 'category', null, category_code, label_zh, label_en from {{ ref('post_categories') }}
    union all
    select 'entity', null, entity_code, name_zh, name_en from {{ ref('entities') }}
    union all
    select 'entity', null, 'total', '共计', 'Total'
)
select * from labels
