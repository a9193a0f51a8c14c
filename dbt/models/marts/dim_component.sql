select component_code, label_zh as component_label_zh, label_en as component_label_en, sort_order
from {{ ref('components') }}
