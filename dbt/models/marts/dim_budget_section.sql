-- Sections 1-36 (29A-29F under 29) and the two printed lines of section 3 (special political missions, other).
select section_code, nullif(section_number::varchar, '') as section_number, part_code,
       nullif(parent_section_code, '') as parent_section_code,
       name_en as section_name_en, nullif(name_zh, '') as section_name_zh,
       nullif(name_zh_source, '') as section_name_zh_source, sort_order
from {{ ref('budget_sections') }}
