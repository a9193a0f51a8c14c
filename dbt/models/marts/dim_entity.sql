-- The Secretariat's structure: budget part > section > entity, and for special political missions
-- SPM > cluster > mission (seeds entities, budget_parts, budget_sections). Labels say where they come from.
with entities as (
    select * from {{ ref('entities') }}
),
-- The cluster of a mission (its parent, or its grandparent for a mission inside a mission group).
clusters as (
    select e.entity_code,
           case when p.entity_type = 'cluster' then p.entity_code
                when gp.entity_type = 'cluster' then gp.entity_code end as cluster_code
    from entities as e
    left join entities as p on p.entity_code = e.parent_entity_code
    left join entities as gp on gp.entity_code = p.parent_entity_code
)
select
    e.entity_code,
    nullif(e.name_zh, '') as entity_name_zh,
    nullif(e.short_name_zh, '') as entity_short_name_zh,
    e.name_en as entity_name_en,
    nullif(e.name_zh_source, '') as entity_name_zh_source,
    e.name_en_source as entity_name_en_source,
    e.entity_type,
    nullif(e.part_code, '') as part_code,
    bp.part_number,
    bp.name_en as part_name_en,
    nullif(bp.name_zh, '') as part_name_zh,
    nullif(e.section_code, '') as section_code,
    bs.section_number,
    bs.name_en as section_name_en,
    nullif(bs.name_zh, '') as section_name_zh,
    nullif(e.parent_entity_code, '') as parent_entity_code,
    p.name_en as parent_entity_name_en,
    c.cluster_code,
    e.sort_order
from entities as e
left join {{ ref('budget_parts') }} as bp on bp.part_code = e.part_code
left join {{ ref('budget_sections') }} as bs on bs.section_code = e.section_code
left join entities as p on p.entity_code = e.parent_entity_code
left join clusters as c on c.entity_code = e.entity_code
