select section_code::varchar as section_code, part_code, nullif(parent_section_code::varchar, '') as parent_section_code,
       name_en as section_name_en, nullif(name_zh, '') as section_name_zh,
       nullif(name_zh_source, '') as section_name_zh_source, sort_order
from {{ ref('budget_sections') }}
