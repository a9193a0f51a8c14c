select entity_code, name_zh as entity_name_zh, short_name_zh as entity_short_name_zh,
       name_en as entity_name_en, sort_order
from {{ ref('entities') }}
