select part_code, part_number, name_en as part_name_en, nullif(name_zh, '') as part_name_zh,
       nullif(name_zh_source, '') as part_name_zh_source, sort_order
from {{ ref('budget_parts') }}
